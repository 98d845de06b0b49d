"""Dates as a spreadsheet writes them (DESIGN §11): `31/01/2025` in London, `01/31/2025` in
Boston, `2025/01/31` anywhere, and Excel's serial numbers (`45688`).

- With an order given (`--dates dmy|mdy|ymd`, config `import.dates`) every date of the
  file is read that way.
- Without one, each column's order is found from its own dates: a date whose first part is
  above 12 can only be day-first, one whose second part is above 12 only month-first.
  A column that shows one order is read that way; a column whose dates all read both ways
  takes the order the file's other columns show; a file whose dates all read both ways
  (`01/03/2025`) is refused with the advice to give `--dates` (never guessed: 1 March in
  London is 3 January in Boston).
- ISO dates (`2025-01-31`) always read as ISO, whatever the order.
Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from caseload.domain.dates import parse_date, shown_date, within_horizon
from caseload.domain.errors import BadInput

ORDERS = ("dmy", "mdy", "ymd")
# Three numbers with `/`, `.` or `-` between them, maybe a time after (a spreadsheet's "00:00")
_LOCAL = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")  # Excel's day count: 20000 is 1954, 80000 is 2119
_EXCEL_DAY_0 = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts a 29 February 1900 that never was)
SERIALS = (20000, 80000)
ADVICE = "give --dates dmy (UK: 31/01/2025), --dates mdy (US: 01/31/2025) or --dates ymd"


def order_named(text: str | None, field: str = "--dates") -> str | None:
    if text is None:
        return None
    value = text.strip().lower()
    if value not in ORDERS:
        raise BadInput(field, text, f"is not one of {', '.join(ORDERS)}")
    return value


def _parts(text: str) -> tuple[int, int, int, bool] | None:
    """The three numbers of a local date (not an ISO one), and whether the last was written
    with two digits or fewer (`31/01/25`: a short year), or None."""
    match = _LOCAL.fullmatch(text.strip())
    if match is None or (match.group(2) == "-" and len(match.group(1)) == 4):
        return None  # 2025-01-31 is ISO, read as ISO
    return int(match.group(1)), int(match.group(3)), int(match.group(4)), len(match.group(4)) <= 2


def is_local(text: str) -> bool:
    """Whether `text` is a date whose order must be known (`31/01/2025`, `1.2.25`)."""
    return _parts(text) is not None


def orders_of(text: str) -> set[str]:
    """The orders a local date can be read in (empty: none, it is no date)."""
    parts = _parts(text)
    if parts is None:
        return set()
    return {order for order in ORDERS if _build(parts, order) is not None}


def _build(parts: tuple[int, int, int, bool], order: str) -> date | None:
    a, b, c, short_year = parts
    if order == "ymd":
        if a < 1000:
            return None  # a year first is written whole
        year, month, day = a, b, c
    else:
        day, month, year = (a, b, c) if order == "dmy" else (b, a, c)
        if short_year:
            year += 2000  # `31/01/25`: a spreadsheet's two-digit year is this century's
        elif year < 1000:
            return None  # `01/01/0001` is the year 1, not 2001: no such date here
    try:
        return date(year, month, day)
    except ValueError:
        return None


_EXAMPLES = {"dmy": "31/01/2025", "mdy": "01/31/2025", "ymd": "2025/01/31"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _no_such_day(parts: tuple[int, int, int, bool], order: str) -> str | None:
    """Why a date written in `order` is none, when its month is a month: "31/02/2026" is
    written dmy well enough, but February 2026 has 28 days."""
    a, b, c, short_year = parts
    year, month, day = (a, b, c) if order == "ymd" else (c + 2000 if short_year else c, b, a) if order == "dmy" \
        else (c + 2000 if short_year else c, a, b)
    if not (1 <= month <= 12 and day >= 1 and 1000 <= year <= 9999):
        return None
    days = 31 if month == 12 else (date(year, month + 1, 1) - timedelta(days=1)).day  # (December 9999 has no next)
    return f"is no such day: {_MONTHS[month - 1]} {year} has {days} days" if day > days else None


def file_date(text: str, today: date, field: str, order: str | None) -> date:
    """A date cell of a file: a local date in `order` (`31/01/2025` with dmy), an Excel serial
    number, or what `dates.parse_date` reads (ISO, `today`, `+2w`). A local date with no
    order known raises OrderUnknown (the caller finds the file's order and reads again)."""
    parts = _parts(text)
    if parts is None:
        value = text.strip()
        if _SERIAL.fullmatch(value) and SERIALS[0] <= float(value) <= SERIALS[1]:
            return within_horizon(_EXCEL_DAY_0 + timedelta(days=int(float(value))), text, today, field)
        return parse_date(text, today, field)
    if order is None:
        if not any(_build(parts, order) for order in ORDERS):
            reasons = {_no_such_day(parts, order) for order in ORDERS} - {None}  # a month, but no such day in it
            raise BadInput(field, shown_date(text), reasons.pop() if len(reasons) == 1 else
                           "is not a date in any order (31/01/2025, 01/31/2025 or 2025/01/31)")
        raise OrderUnknown(field)
    day = _build(parts, order)
    if day is None:
        raise BadInput(field, shown_date(text), _no_such_day(parts, order) or
                       f"is not a date written {order} (as {_EXAMPLES[order]})")
    return within_horizon(day, text, today, field)



class OrderUnknown(Exception):
    """A local date was met before the file's date order was known: find it (`DateOrders`)."""


class DateOrders:
    """The order of each date column, found from the cells fed to it."""

    def __init__(self):
        self.seen: dict[str, set[str]] = {}  # column -> the orders its decided dates show
        self.local: set[str] = set()  # the columns with a local date

    def feed(self, column: str, text: str) -> None:
        orders = orders_of(text)
        if not orders:
            return
        self.local.add(column)
        if len(orders) > 1:
            return  # reads both ways (01/03/2025): decides nothing
        self.seen.setdefault(column, set()).update(orders)

    def decide(self) -> dict[str, str]:
        """Each date column's order; BadInput when a column shows both, or when nothing decides."""
        found: dict[str, str] = {}
        for column, orders in self.seen.items():
            if len(orders) > 1:
                raise BadInput(column, "", f"has dates day-first (31/01) and month-first (01/31): {ADVICE}")
            found[column] = next(iter(orders))
        shown = set(found.values())
        undecided = sorted(self.local - set(found))
        if undecided:
            if len(shown) != 1:
                which = ", ".join(undecided)
                raise BadInput("--dates", "", f"is needed: every date in {which} reads both day-first and "
                                              f"month-first (01/03/2025 is 1 March or January 3): {ADVICE}")
            order = next(iter(shown))
            found.update({column: order for column in undecided})
        return found
