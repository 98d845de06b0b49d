"""Dates as a team lead types them (DESIGN §5): YYYY-MM-DD, today, tomorrow, +Nd, +Nw.

Also accepted, for `--since` and the like: yesterday, -Nd, -Nw.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from caseload.domain.errors import BadInput, Described

_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dw])$")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date cell a spreadsheet saved with its time ("2025-06-01 00:00:00", "2025-06-01T00:00"): the date.
_WITH_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?")
# Day and month in some order, as a spreadsheet shows them: never guessed (01/12 is 1 December
# in London and January 12 in Boston), refused with how to write it.
_LOCAL = re.compile(r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}")
# Digits and a date's or a time's separators: nothing private, so a message shows it.
_DATE_LIKE = re.compile(r"[0-9][0-9 :/.T+Z-]{0,39}")
DATE_FORMS = "YYYY-MM-DD, today, tomorrow, yesterday, +Nd, +Nw, -Nd or -Nw"
ISO_HINT = "write dates as yyyy-mm-dd (in the spreadsheet: format the column as yyyy-mm-dd before saving)"


def iso_date(text: str) -> date | None:
    """A YYYY-MM-DD date, with or without a time after it (which is dropped), else None."""
    if not _ISO.fullmatch(text):
        match = _WITH_TIME.fullmatch(text)
        if match is None:
            return None
        text = match.group(1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def shown_date(text: str) -> object:
    """The value a date's message shows: a date-like text (digits and separators) as it is,
    even from a file; anything else by the privacy rule of domain/errors.py."""
    value = text.strip()
    return Described(value) if _DATE_LIKE.fullmatch(value) else text


EARLIEST = date(1900, 1, 1)
YEARS_AHEAD = 10  # a date typed or imported more than this many years after today is a typo


def latest(today: date) -> date:
    """The last day a date may be: YEARS_AHEAD years after today (28 February for the 29th)."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def in_horizon(day: date, today: date) -> bool:
    """Whether a date is within the sane horizon: from 1900 to ten years after today, so
    that every later computation on it (weeks, review intervals) stays in the calendar."""
    return EARLIEST <= day <= latest(today)


def parse_date(text: str, today: date, field: str) -> date:
    """Read one date; a BadInput names `field` and the text when it is not a date, when a
    relative date would fall outside the calendar (years 1 to 9999), or when the date is
    before 1900 or more than ten years after today (DESIGN §6, far dates)."""
    return within_horizon(_read_date(text, today, field), text, today, field)


def within_horizon(day: date, text: str, today: date, field: str) -> date:
    """`day`, or a BadInput naming `field` and the text when it is before 1900 or more than
    ten years after today (DESIGN §6, far dates)."""
    if not in_horizon(day, today):
        why = "is before 1900" if day < EARLIEST else f"is more than {YEARS_AHEAD} years after today ({today.isoformat()})"
        raise BadInput(field, shown_date(text), why)
    return day


def _read_date(text: str, today: date, field: str) -> date:
    if _ISO.fullmatch(text):  # the common case first: a CSV file of dates is mostly this
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise BadInput(field, text, "is not a real date") from None
    value = text.strip().lower()
    if value == "today":
        return today
    offset = {"tomorrow": 1, "yesterday": -1}.get(value)
    match = _RELATIVE.match(value)
    if match:
        sign, number, unit = match.groups()
        days = int(number) * (7 if unit == "w" else 1)
        offset = days if sign == "+" else -days
    if offset is not None:
        try:
            return today + timedelta(days=offset)
        except OverflowError:  # CASELOAD_TODAY=9999-12-31 and +1d
            raise BadInput(field, text, f"is outside the calendar (today is {today.isoformat()})") from None
    iso = _ISO.fullmatch(value) or _WITH_TIME.fullmatch(value)
    if iso:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise BadInput(field, shown_date(text), "is not a real date") from None
    if _LOCAL.fullmatch(value):  # 13/01/2026: a flag is typed, a cell was saved by a spreadsheet
        raise BadInput(field, shown_date(text), "is not a date: " + (
            f"use {DATE_FORMS}" if field.startswith("--") else ISO_HINT))
    raise BadInput(field, shown_date(text), f"is not a date (use {DATE_FORMS})")


TODAY_RANGE = (date(1900, 1, 1), date(2999, 12, 31))  # far enough from the calendar's ends (years 1 and
# 9999) that today plus or minus any offset caseload computes (at most 9999 weeks, ~192 years) is a date


def check_today(day: date, field: str = "CASELOAD_TODAY") -> date:
    """`day` as today's date, or BadInput when it is so far from now that date arithmetic
    on it (a review interval, `+2w`) would leave the calendar."""
    first, last = TODAY_RANGE
    if not first <= day <= last:
        raise BadInput(field, day.isoformat(), f"is outside the years {first.year} to {last.year}")
    return day


def plus_days(day: date, days: int) -> date:
    """`day` plus `days`, held at the calendar's ends: a far date a database holds (one typed
    before the horizon existed, or written with raw SQL) never makes a command fail."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def parse_iso(text: str | None) -> date | None:
    """A date as the store keeps it (ISO text), or None."""
    return date.fromisoformat(text) if text else None
