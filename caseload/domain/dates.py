"""Dates as a team lead types them (DESIGN §5): YYYY-MM-DD, today, tomorrow, +Nd, +Nw.

Also accepted, for `--since` and the like: yesterday, -Nd, -Nw.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from caseload.domain.errors import BadInput

_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dw])$")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FORMS = "YYYY-MM-DD, today, tomorrow, yesterday, +Nd, +Nw, -Nd or -Nw"


def parse_date(text: str, today: date, field: str) -> date:
    """Read one date; a BadInput names `field` and the text when it is not a date, or when
    a relative date would fall outside the calendar (years 1 to 9999)."""
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
    if _ISO.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise BadInput(field, text, "is not a real date") from None
    raise BadInput(field, text, f"is not a date (use {DATE_FORMS})")


TODAY_RANGE = (date(1900, 1, 1), date(2999, 12, 31))  # far enough from the calendar's ends (years 1 and
# 9999) that today plus or minus any offset caseload computes (at most 9999 weeks, ~192 years) is a date


def check_today(day: date, field: str = "CASELOAD_TODAY") -> date:
    """`day` as today's date, or BadInput when it is so far from now that date arithmetic
    on it (a review interval, `+2w`) would leave the calendar."""
    first, last = TODAY_RANGE
    if not first <= day <= last:
        raise BadInput(field, day.isoformat(), f"is outside the years {first.year} to {last.year}")
    return day


def parse_iso(text: str | None) -> date | None:
    """A date as the store keeps it (ISO text), or None."""
    return date.fromisoformat(text) if text else None
