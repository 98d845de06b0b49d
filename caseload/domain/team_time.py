"""The absences and capacity reductions of a team on the move (DESIGN §11 "The whole team
travels"): the files `export absences` and `export reductions` write (or the sheets of
`export team --format xlsx`), each row read into an Absence or a Reduction, so a team
imported into a fresh database has the same capacity and the same absent workers on
every day, and so the same zone review.

- Absences: `worker`, `starts_on`, `ends_on` (each required), `reason` (leave by default,
  or sickness, training, other), `cover` (a worker, not the absent one).
- Reductions: `worker`, `kind` (percent or points), `amount` (more than 0; a percent at
  most 100; a decimal comma as European spreadsheets write it), `reason` (one of the
  reasons of `worker reduce`), `starts_on` (required), `ends_on` (empty: open-ended).
- Recorded reviews (the zone snapshots behind red streaks, "excessive" and the report's
  trend, `export reviews`): `on` (the day, not after today), `kind` (meeting by default,
  or nightly), `worker`, `cases`, `load`, `capacity`, `zone` (each required),
  `recorded_at` (when it was recorded, ISO; empty: the end of that day) and
  `recorded_by`.
- Workers' own views (`worker feels`, `export feels`): `worker`, `on` (not after today),
  `feeling` (manageable, stretched or overwhelmed), `recorded_at`, `recorded_by`.
- `id` and `state` of the exports are the old database's and the day's: ignored, like
  any computed column (the new database gives its own ids).
Values are checked by the parsers of `worker absent` and `worker reduce`'s flags
(`domain.fields`, `domain.date_order.file_date`). Pure: whether a worker is on the team is
the app's to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from fractions import Fraction
from typing import Mapping

from caseload.domain import fields
from caseload.domain.date_order import file_date
from caseload.domain.errors import BadInput, collecting
from caseload.domain.feels import FEELINGS
from caseload.domain.model import ABSENCE_REASONS, REDUCTION_KINDS, REDUCTION_REASONS, ZONES, Absence, Reduction
from caseload.domain.spreadsheet import Columns, Row

_DAYS = {"from": "starts_on", "start": "starts_on", "start date": "starts_on", "first day": "starts_on",
         "until": "ends_on", "end": "ends_on", "end date": "ends_on", "last day": "ends_on", "to": "ends_on",
         "staff id": "worker", "worker id": "worker"}
ABSENCE_FILE = Columns(
    names=("worker", "starts_on", "ends_on", "reason", "cover"),
    aliases={**_DAYS, "covered by": "cover", "type": "reason"},
    computed=("id", "state"),
    required=("worker", "starts_on", "ends_on"),
    example="worker,starts_on,ends_on",
)
REDUCTION_FILE = Columns(
    names=("worker", "kind", "amount", "reason", "starts_on", "ends_on"),
    aliases={**_DAYS, "type": "kind", "by": "amount"},
    computed=("id", "state"),
    required=("worker", "kind", "amount", "reason", "starts_on"),
    example="worker,kind,amount,reason,starts_on",
)
REVIEW_FILE = Columns(
    names=("on", "kind", "worker", "cases", "load", "capacity", "zone", "recorded_at", "recorded_by"),
    aliases={"date": "on", "day": "on", "staff id": "worker", "worker id": "worker"},
    computed=("load_pct",),
    required=("on", "worker", "cases", "load", "capacity", "zone"),
    example="on,worker,cases,load,capacity,zone",
    moments=("recorded_at",),
)
FEELS_FILE = Columns(
    names=("worker", "on", "feeling", "recorded_at", "recorded_by"),
    aliases={"date": "on", "day": "on", "staff id": "worker", "worker id": "worker", "view": "feeling",
             "feels": "feeling"},
    required=("worker", "on", "feeling"),
    example="worker,on,feeling",
    moments=("recorded_at",),
)
DATE_COLUMNS = ("starts_on", "ends_on")
REVIEW_DATE_COLUMNS = ("on",)
SNAPSHOT_KINDS = ("meeting", "nightly")


@dataclass(frozen=True)
class GivenView:
    """A worker's own view of their caseload on a day, as a file brings it."""

    line: int
    worker: str
    on: date
    feeling: str
    at: str
    actor: str | None


@dataclass(frozen=True)
class RecordedRow:
    """One worker's row of a recorded zone review, as a file brings it."""

    line: int
    on: date
    kind: str
    at: str  # when the review was recorded (ISO)
    actor: str | None
    worker: str
    cases: int
    load: Fraction
    capacity: Fraction
    zone: str


def _cells(row: Row):
    def cell(name: str) -> str:
        return (row.values.get(name) or "").strip()

    return cell


def _dated(row: Row, found: list[BadInput], today: date, orders: Mapping[str, str] | None, required: bool):
    """(first day, last day) of a row, each checked; the last not before the first."""
    cell = _cells(row)
    check = collecting(found)
    orders = orders or {}
    first = check(file_date, cell("starts_on"), today, "starts_on", orders.get("starts_on")) \
        if cell("starts_on") else None
    if not cell("starts_on"):
        found.append(BadInput("starts_on", "", "is required (the first day)"))
    last = check(file_date, cell("ends_on"), today, "ends_on", orders.get("ends_on")) if cell("ends_on") else None
    if required and not cell("ends_on"):
        found.append(BadInput("ends_on", "", "is required (the last day)"))
    if first is not None and last is not None and last < first:
        found.append(BadInput("ends_on", cell("ends_on"), f"is before starts_on ({first})"))
    return first, last


def _done(row: Row, found: list[BadInput], problems: list[BadInput]) -> bool:
    """Whether the row is clean; its problems go to `problems` with its line."""
    for problem in found:
        problem.line = row.line
    problems.extend(found)
    return not found


def read_absence(row: Row, today: date, problems: list[BadInput],
                 date_orders: Mapping[str, str] | None = None) -> Absence | None:
    """The absence a row describes, or None with every problem of the row appended."""
    found: list[BadInput] = []
    cell, check = _cells(row), collecting(found)
    worker = check(fields.worker_id, cell("worker").lower(), "worker") if cell("worker") else None
    if not cell("worker"):
        found.append(BadInput("worker", "", "is required (whose absence)"))
    first, last = _dated(row, found, today, date_orders, required=True)
    reason = check(fields.choice, cell("reason") or "leave", ABSENCE_REASONS, "reason")
    cover = check(fields.worker_id, cell("cover").lower(), "cover") if cell("cover") else None
    if cover is not None and cover == worker:
        found.append(BadInput("cover", cell("cover"), "is the absent worker"))
    if not _done(row, found, problems):
        return None
    return Absence(0, worker, first, last, reason, cover)


def read_reduction(row: Row, today: date, problems: list[BadInput],
                   date_orders: Mapping[str, str] | None = None) -> Reduction | None:
    """The reduction a row describes, or None with every problem of the row appended."""
    found: list[BadInput] = []
    cell, check = _cells(row), collecting(found)
    worker = check(fields.worker_id, cell("worker").lower(), "worker") if cell("worker") else None
    if not cell("worker"):
        found.append(BadInput("worker", "", "is required (whose capacity is reduced)"))
    kind = check(fields.choice, "percent" if cell("kind") == "%" else cell("kind"), REDUCTION_KINDS, "kind") \
        if cell("kind") else None
    if not cell("kind"):
        found.append(BadInput("kind", "", "is required (percent or points)"))
    text = cell("amount").rstrip("%").strip()
    text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text  # 0,5 points
    amount = check(fields.decimal, text, "amount") if text else None
    if not text:
        found.append(BadInput("amount", "", "is required (the percent or points cut)"))
    elif amount is not None and kind == "percent" and not 0 < amount <= 100:
        found.append(BadInput("amount", cell("amount"), "must be more than 0 and at most 100 (percent)"))
    elif amount is not None and amount <= 0:
        found.append(BadInput("amount", cell("amount"), "must be more than 0"))
    reason = check(fields.choice, cell("reason"), REDUCTION_REASONS, "reason") if cell("reason") else None
    if not cell("reason"):
        found.append(BadInput("reason", "", f"is required (one of {', '.join(REDUCTION_REASONS)})"))
    first, last = _dated(row, found, today, date_orders, required=False)
    if not _done(row, found, problems):
        return None
    return Reduction(0, worker, kind, amount, reason, first, last)


def _required(cell, found: list[BadInput], columns: Columns) -> None:
    for name in columns.required:
        if not cell(name):
            found.append(BadInput(name, "", "is required"))


def _day(cell, check, found: list[BadInput], today: date, orders: Mapping[str, str] | None, what: str) -> date | None:
    """The day of a row of a record (a review, a view): a day gone by, not after today."""
    on = check(file_date, cell("on"), today, "on", (orders or {}).get("on")) if cell("on") else None
    if on is not None and on > today:
        found.append(BadInput("on", cell("on"), f"is after today ({today}): {what} is of a day gone by"))
    return on


def _recorded(cell, check, on: date | None) -> tuple[str | None, str | None]:
    """When a record's row was recorded (`moment`; the end of its day when the file does not
    say) and by whom (None: the lead importing it)."""
    at = check(moment, cell("recorded_at"), on, "recorded_at") if cell("recorded_at") and on is not None else None
    actor = check(fields.text, cell("recorded_by"), "recorded_by") if cell("recorded_by") else None
    return at or (f"{on.isoformat()}T23:59:59+00:00" if on is not None else None), actor


def read_recorded_row(row: Row, today: date, problems: list[BadInput],
                      date_orders: Mapping[str, str] | None = None) -> RecordedRow | None:
    """A row of a recorded review, or None with every problem of the row appended. Whether
    its day holds one kind and each worker once is the caller's to check (across rows)."""
    found: list[BadInput] = []
    cell, check = _cells(row), collecting(found)
    _required(cell, found, REVIEW_FILE)
    on = _day(cell, check, found, today, date_orders, "a recorded review")
    kind = check(fields.choice, cell("kind") or "meeting", SNAPSHOT_KINDS, "kind")
    worker = check(fields.worker_id, cell("worker").lower(), "worker") if cell("worker") else None
    cases = check(fields.count, cell("cases"), "cases") if cell("cases") else None
    load = check(figure, cell("load"), "load") if cell("load") else None
    capacity = check(figure, cell("capacity"), "capacity") if cell("capacity") else None
    zone = check(fields.choice, cell("zone").lower(), ZONES, "zone") if cell("zone") else None
    at, actor = _recorded(cell, check, on)
    if not _done(row, found, problems):
        return None
    return RecordedRow(row.line, on, kind, at, actor, worker, cases, load, capacity, zone)


def read_view(row: Row, today: date, problems: list[BadInput],
              date_orders: Mapping[str, str] | None = None) -> GivenView | None:
    """A worker's view a row brings, or None with every problem of the row appended."""
    found: list[BadInput] = []
    cell, check = _cells(row), collecting(found)
    _required(cell, found, FEELS_FILE)
    worker = check(fields.worker_id, cell("worker").lower(), "worker") if cell("worker") else None
    on = _day(cell, check, found, today, date_orders, "a view")
    feeling = check(fields.choice, cell("feeling").lower(), FEELINGS, "feeling") if cell("feeling") else None
    at, actor = _recorded(cell, check, on)
    if not _done(row, found, problems):
        return None
    return GivenView(row.line, worker, on, feeling, at, actor)


MAX_FIGURE = 10 ** 9  # a load or capacity in points: a team's is a few hundred
_FIGURE = re.compile(r"\d{1,10}(\.\d{1,30})?([eE][-+]?\d{1,3})?")


def figure(text: str, field: str) -> Fraction:
    """A recorded load or capacity, exact, as `export reviews` writes it (any number of
    decimals, the float's exponent form `1e-06` for a tiny one) or a spreadsheet does (a
    decimal comma); from 0 to MAX_FIGURE."""
    value = text.strip()
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    if not _FIGURE.fullmatch(value):
        raise BadInput(field, text, "is not a number (e.g. 81.5)")
    number = Fraction(value)
    if number > MAX_FIGURE:
        raise BadInput(field, text, f"is more than {MAX_FIGURE:,} points")
    return number


_NOT_A_MOMENT = ("is not a moment in ISO form (2026-11-16T18:00:00+00:00) or as a spreadsheet writes one "
                 "(16/11/2026 18:00)")
_LOCAL_MOMENT = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def moment(text: str, on: date, field: str) -> str:
    """When a review (or a view) was recorded, in ISO form, made UTC to the second (a time
    without a zone is taken as UTC, as a workbook's time cells are); within a day of its own
    day `on` (a meeting recorded that evening anywhere on Earth). Also as a spreadsheet
    saved as CSV writes a time cell ("28/09/2026 18:00" in the UK, "9/28/2026 18:00" in the
    US): the day and month are the reading within a day of `on`."""
    readings = _readings(text, field)
    for found in readings:
        if abs((found.date() - on).days) <= 1:
            return found.isoformat()
    raise BadInput(field, text, f"is not on the review's day ({on})" if readings else _NOT_A_MOMENT)


def _readings(text: str, field: str) -> list[datetime]:
    """The moments a cell can be, in UTC to the second: one for ISO, day first then month
    first for a spreadsheet's local form (those that are dates)."""
    value = text.strip()
    local = _LOCAL_MOMENT.fullmatch(value)
    if local is not None:
        first, second, year, hour, minute, sec = (int(part or 0) for part in local.groups())
        found = []
        for day, month in ((first, second), (second, first)):  # day first (UK), then month first (US)
            try:
                found.append(datetime(year, month, day, hour, minute, sec, tzinfo=timezone.utc))
            except ValueError:
                continue
        return found
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(field, text, _NOT_A_MOMENT) from None
    if found.tzinfo is None:
        found = found.replace(tzinfo=timezone.utc)
    return [found.astimezone(timezone.utc).replace(microsecond=0)]
