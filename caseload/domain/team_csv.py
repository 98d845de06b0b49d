"""The team file of a move (DESIGN §11): the columns of `worker list --format csv`, each
row read into a Worker.

- `capacity_override` (caseload's own listing) is the worker's override, empty for none;
  with it, `capacity` (the day's figure, reductions applied) is ignored like a computed
  column. A hand-made file without it gives `capacity`, read as follows.
- `capacity` in a listing is the capacity on the day it was made. Equal to the fte
  formula (`fte × points_per_fte × (1 − admin_allowance)`) it is no override and is not
  stored; any other figure is the worker's capacity override (a reduction active when
  the list was made is thereby kept as it stood: reductions are not in the listing).
- `status` active (default), leaving (with `leaving_on`) or left: leavers come in too,
  so closed cases keep the worker who held them.
- `fte` and `capacity` may have a decimal comma (`0,8`), as European spreadsheets write them.
- `starts_on` (a new starter's first day) is optional; a starter's `capacity` of 0 in a
  listing made before that day is their capacity not yet begun, not an override.
- `auto` (yes/no) is optional: by default workers receive automatic allocations, leads not.
Values are checked by the same parsers as `worker add`'s flags (`domain.fields`).
Pure: ids taken or repeated are the app's to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Mapping

from caseload.domain import fields
from caseload.domain.date_order import file_date
from caseload.domain.errors import BadInput, collecting
from caseload.domain.model import WORKER_ROLES, WORKER_STATUSES, Worker
from caseload.domain.spreadsheet import Columns, Row

TEAM_FILE = Columns(
    names=("id", "name", "role", "fte", "capacity", "max_cases", "skills", "languages", "area", "status",
           "leaving_on", "starts_on", "auto", "capacity_override"),
    aliases={"worker": "id", "leaving": "leaving_on",
             # headers as people type them in a team spreadsheet (DESIGN §11)
             "worker id": "id", "staff id": "id", "handle": "id", "initials": "id", "username": "id",
             "full name": "name", "worker name": "name", "staff name": "name", "job role": "role",
             "start date": "starts_on", "starting": "starts_on", "starts": "starts_on", "date started": "starts_on",
             "leaving date": "leaving_on", "leave date": "leaving_on", "end date": "leaving_on",
             "full time equivalent": "fte", "wte": "fte", "max caseload": "max_cases", "case cap": "max_cases",
             "specialisms": "skills", "patch": "area", "locality": "area", "auto allocate": "auto"},
    required=("id", "name"),
    example="id,name",
)
DATE_COLUMNS = ("starts_on", "leaving_on")
_YES = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


@dataclass(frozen=True)
class ImportedWorker:
    line: int
    worker: Worker


def read_worker(row: Row, points_per_fte: Fraction, admin_allowance: Fraction, today: date,
                problems: list[BadInput], date_orders: Mapping[str, str] | None = None) -> ImportedWorker | None:
    """The worker a row describes, or None with every problem of the row appended (with its line)."""
    found: list[BadInput] = []

    def cell(name: str) -> str:
        return (row.values.get(name) or "").strip()

    def number(name: str) -> str:  # European spreadsheets write 0,8
        text = cell(name)
        return text.replace(",", ".") if text.count(",") == 1 and "." not in text else text

    check = collecting(found)

    worker_id = check(fields.new_worker_id, cell("id").lower(), "id") if cell("id") else None
    if not cell("id"):
        found.append(BadInput("id", "", "is required (a short handle, e.g. asha)"))
    name = check(fields.text, cell("name"), "name", True)
    role = check(fields.choice, cell("role") or "worker", WORKER_ROLES, "role")
    fte = check(fields.fte, number("fte") or "1", "fte")
    listed = "capacity_override" in row.values  # caseload's own listing: `capacity` is the day's figure
    if listed:
        capacity = check(fields.decimal, number("capacity_override"), "capacity_override") \
            if cell("capacity_override") else None
    else:
        capacity = check(fields.decimal, number("capacity"), "capacity") if cell("capacity") else None
    max_cases = check(fields.count, cell("max_cases"), "max_cases") if cell("max_cases") else None
    skills = check(fields.tokens, cell("skills"), "skills") if cell("skills") else ()
    languages = check(fields.tokens, cell("languages"), "languages", ",", False) if cell("languages") else ()
    area = check(fields.area, cell("area"), "area")
    status = check(fields.choice, cell("status") or "active", WORKER_STATUSES, "status")
    orders = date_orders or {}  # each date column's order (31/01/2025), when the file has one
    leaving_on = check(file_date, cell("leaving_on"), today, "leaving_on", orders.get("leaving_on")) \
        if cell("leaving_on") else None
    starts_on = check(file_date, cell("starts_on"), today, "starts_on", orders.get("starts_on")) \
        if cell("starts_on") else None
    auto = None
    if cell("auto"):
        auto = _YES.get(cell("auto").lower())
        if auto is None:
            found.append(BadInput("auto", cell("auto"), "is not yes or no"))
    if status == "leaving" and leaving_on is None and not cell("leaving_on"):
        found.append(BadInput("leaving_on", "", "is needed for a worker who is leaving"))
    if status == "active" and cell("leaving_on"):
        found.append(BadInput("leaving_on", cell("leaving_on"), "goes with status leaving or left"))
    if found:
        for problem in found:
            problem.line = row.line
        problems.extend(found)
        return None
    if not listed and capacity is not None and capacity == fte * points_per_fte * (1 - admin_allowance):
        capacity = None  # the formula's figure, as a listing shows it: no override
    if not listed and capacity == 0 and starts_on is not None and starts_on > today:
        capacity = None  # a starter listed before their first day: no capacity yet, not an override of 0
    return ImportedWorker(row.line, Worker(
        id=worker_id, name=name, role=role, fte=fte, capacity=capacity, max_cases=max_cases, skills=skills,
        languages=languages, area=area, status=status, leaving_on=leaving_on, starts_on=starts_on,
        auto=(role == "worker") if auto is None else auto))
