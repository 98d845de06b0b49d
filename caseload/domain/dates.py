"""Dates as a team lead types them (DESIGN §5): YYYY-MM-DD, today, tomorrow, +Nd, +Nw.

Also accepted, for `--since` and the like: yesterday, -Nd, -Nw.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from caseload.domain.errors import BadInput

_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dw])$")
DATE_FORMS = "YYYY-MM-DD, today, tomorrow, yesterday, +Nd, +Nw, -Nd or -Nw"


def parse_date(text: str, today: date, field: str) -> date:
    """Read one date; a BadInput names `field` and the text when it is not a date."""
    value = text.strip().lower()
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    if value == "yesterday":
        return today - timedelta(days=1)
    match = _RELATIVE.match(value)
    if match:
        sign, number, unit = match.groups()
        days = int(number) * (7 if unit == "w" else 1)
        return today + timedelta(days=days if sign == "+" else -days)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise BadInput(field, text, "is not a real date") from None
    raise BadInput(field, text, f"is not a date (use {DATE_FORMS})")


def parse_iso(text: str | None) -> date | None:
    """A date as the store keeps it (ISO text), or None."""
    return date.fromisoformat(text) if text else None
