"""Storage limitation and erasure (DESIGN §6, "Data protection lifecycle"): which closed
cases are due for anonymising, and what an erasure may be recorded with.

A retention period is written as a number and a unit, `6y`, `18m`, `26w` or `90d`
(`retention.closed_after` in the config; off when absent). A case is due when it closed
before the cut-off day (today less the period): only closed cases, never an open one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

_PERIOD = re.compile(r"\s*(\d{1,4})\s*([ymwd])\s*", re.IGNORECASE)
MAX_DAYS = 100 * 366  # a century: anything longer keeps everything, say so instead


@dataclass(frozen=True)
class Period:
    """A retention period: `count` years, months, weeks or days (`unit` y, m, w or d)."""

    count: int
    unit: str

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


def parse_period(text: str) -> Period:
    """`6y`, `18m`, `26w`, `90d` as a Period; ValueError (saying what is accepted) otherwise."""
    found = _PERIOD.fullmatch(text) if isinstance(text, str) else None
    if not found or int(found.group(1)) == 0:
        raise ValueError("is not a period such as 6y, 18m, 26w or 90d (more than 0)")
    period = Period(int(found.group(1)), found.group(2).lower())
    if cut_off(date(2000, 1, 1), period) < date(2000, 1, 1) - timedelta(days=MAX_DAYS):
        raise ValueError("is longer than a century")
    return period


def cut_off(today: date, period: Period) -> date:
    """The day before which a closed case is due: `today` less `period` (29 February
    becomes the 28th in a year without one)."""
    if period.unit in ("d", "w"):
        days = period.count * (7 if period.unit == "w" else 1)
        return today - timedelta(days=min(days, (today - date.min).days))
    months = period.count * (12 if period.unit == "y" else 1)
    total = today.year * 12 + (today.month - 1) - months
    year, month = divmod(total, 12)
    if year < date.min.year:
        return date.min
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, min(day, today.day))
        except ValueError:
            continue
    return date(year, month, 28)


def is_due(status: str, closed_on: date | None, cut: date) -> bool:
    """A case is due for anonymising when it is closed and closed before the cut-off."""
    return status == "closed" and closed_on is not None and closed_on < cut


ERASED_CLIENT = "erased"


# Letters that carry no accent to strip but are written without one on many keyboards
_PLAIN_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "œ": "oe", "æ": "ae", "þ": "th"})


def _folded(text: str) -> str:
    """`text` in one case and without accents, as people also type a name: Łukasik is
    lukasik, Zoë is zoe."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.casefold().translate(_PLAIN_LETTERS)


def names_the_client(reason: str, client: str) -> bool:
    """Whether an erasure reason holds the client's name (whole, or any word of it of three
    letters or more, or every word of a name of two-letter words, "Xu Li" for Li Xu; in any
    case, with or without its accents: "LUKASIK family" for Zoë Łukasik): the record of an
    erasure must not keep what it erased. A two-letter word alone ("an", "no") is not taken
    for a name: an ordinary reason would be refused."""
    folded = _folded(reason)
    name = _folded(client).strip()
    if not name or name == ERASED_CLIENT:
        return False
    if name in folded:
        return True
    words = set(re.findall(r"\w+", folded))
    parts = re.findall(r"\w+", name)
    if any(len(part) >= 3 and part in words for part in parts):
        return True
    short = [part for part in parts if len(part) == 2]  # "an", "no": words of any reason, but
    return bool(short) and len(short) == len(parts) and all(part in words for part in short)  # "Xu Li" whole
