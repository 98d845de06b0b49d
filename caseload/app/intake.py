"""Taking cases in (DESIGN §5, §11): one case from flags, or a whole CSV file all or nothing.

One case: it waits in the pool, or goes at once to a worker named by hand (`--assign
W|me`) or chosen by rule (`--assign auto`). A CSV file is validated whole before
anything is written: every problem is reported at once with its line, column and
value; then all rows go in, or none. A `worker` column records who already holds a
case (kind `assign`, reason "imported"); `--assign auto` gives the rows without a
worker out by the rules. Where each row goes is `domain.intake.destination`'s rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from caseload.app.sheets import date_orders
from caseload.app.team import resolve_worker
from caseload.domain import fields
from caseload.domain.date_order import OrderUnknown
from caseload.domain.errors import BadInput, BadInputs
from caseload.domain.intake import new_case
from caseload.domain.intake_csv import DATE_COLUMNS, CaseRows, Tally, case_of, stale_before
from caseload.domain.plan import Move
from caseload.store.allocation import requests_for, team_planner
from caseload.store.cases import insert_case
from caseload.store.history import Change, record
from caseload.store.imports import CaseWriter, FileIds, allocate_case_ids
from caseload.store.plans import execute
from caseload.store.workers import list_workers


def one(db, config, today, actor: str, now: str, draft) -> tuple[str, str, list[str]]:
    """Register one case from a validated draft; returns (case id, what became of it, the
    warnings a lead should read). By hand (`--assign W|me`) the lead's judgement stands:
    `Planner.take` warns of every rule the worker fails and of the zone they end in, as
    `assign --to` does. By rule (`--assign auto`) the case goes where `Planner.choose` says,
    or waits: nobody qualifies, or everyone would go past `allocation.max_zone`."""
    if draft.requested is not None:
        resolve_worker(db, draft.requested, actor, "--requested")
    by_hand = draft.worker not in (None, "auto")
    target = resolve_worker(db, draft.worker, actor, "--assign", taking_on=today) if by_hand else None
    case = new_case(draft, draft.id or allocate_case_ids(db, 1, config.case_id_prefix)[0], config.review_days)
    insert_case(db, case, id_field="--id")
    record(db, Change(case.id, None, None, "intake"), actor, now)
    status = draft.status or "active"
    if target is None and draft.worker != "auto":
        return case.id, "is waiting for allocation", []
    request = requests_for(db, [replace(case, status=status)], config)[0]  # weighed as it will be held
    planner = team_planner(db, today, config)
    if target is not None:
        kind = "self" if draft.worker == "me" else "assign"
        warnings = planner.take(target.id, [request])
        execute(db, [Move(case.id, None, target.id, kind, status=status)], actor, now)
        return case.id, f"assigned to {target.id}", warnings
    placement = planner.choose(request)
    if placement.worker is None:
        if placement.over_max_zone:
            return case.id, f"is waiting: {placement.reason}", []
        return case.id, f"is waiting: nobody qualifies ({placement.reason})", []
    execute(db, [Move(case.id, None, placement.worker, "auto", placement.reason, status=status)], actor, now)
    return case.id, f"assigned to {placement.worker}: {placement.reason}", []


BATCH = 2000  # rows validated, given ids and written together
PREVIEW_ROWS = 200  # a dry run lists each row up to this many; beyond, it gives the counts
MAX_PROBLEMS = 1000  # reported one by one; beyond, counted


class Problems:
    """Every problem of a file with its line, up to MAX_PROBLEMS kept (the rest counted),
    so a file of a million bad rows is reported in flat memory."""

    def __init__(self):
        self.kept: list = []
        self.more = 0
        self.header = None  # the file's header (`domain.spreadsheet.Header`), once read: its names in messages

    def add(self, problem) -> None:
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(problem)
        else:
            self.more += 1

    def extend(self, problems) -> None:
        for problem in problems:
            self.add(problem)

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_if_any(self) -> None:
        if not self.kept:
            return
        found = sorted(self.kept if self.header is None else map(self.header.named, self.kept),
                       key=lambda p: p.line or 0)
        if self.more:
            found.append(BadInput("…", "", f"and {self.more:,} more problem(s), not listed"))
        raise BadInputs(found)


@dataclass
class CsvCheck:
    """A cases file read and checked whole (the first pass): what it would bring in, the
    first rows for the dry run's listing, the columns left out."""

    tally: object
    first_rows: list  # stored rows (`domain.intake_csv.STORED`), at most PREVIEW_ROWS
    ignored: list
    kept: object = None  # store.imports.CaseWriter: the checked rows written so far, when a write follows


def check_csv(db, config, today, actor: str, sheet, auto: bool, keep: bool = False, source: str = "",
              now: str = "") -> CsvCheck:
    """Read and validate every row of the file, against the store too (ids taken or
    repeated, workers unknown or gone); raises BadInputs with every problem, by line.
    With `keep` (a write to follow, in the caller's write transaction), each batch of
    checked rows goes straight into the cases table with its history ("imported from
    `source`", at `now`), inside a savepoint (`store.imports.CaseWriter`): the file is
    parsed once and its rows written once; after the first problem nothing more is
    written, and the caller's rollback takes out what was. Each row is read by
    `domain.intake_csv.CaseRows`. A file of ISO dates is read once; one with dates like
    31/01/2025 and no order given is read again once their order is found
    (`app.sheets.date_orders`), and so is a file whose own ids continue the numbers given to
    its rows without one (new ids come after the file's highest)."""
    orders = dict.fromkeys(DATE_COLUMNS, sheet.dates) if sheet.dates else None

    def writer(first_number: int | None = None) -> CaseWriter | None:
        return CaseWriter(db, config.case_id_prefix, f"imported from {source}", actor, now, first_number) \
            if keep else None

    try:
        checked = _check_csv(db, config, today, actor, sheet, auto, writer(), orders)
    except OrderUnknown:
        orders = date_orders(sheet, DATE_COLUMNS)  # (the rows written so far were taken out)
        checked = _check_csv(db, config, today, actor, sheet, auto, writer(), orders)
    if isinstance(checked, int):  # the file's own ids reach those given to rows without one
        checked = _check_csv(db, config, today, actor, sheet, auto, writer(first_number=checked), orders)
    return checked


def _check_csv(db, config, today, actor: str, sheet, auto: bool, writer, orders) -> CsvCheck | int:
    """One pass (`check_csv`); returns the number to give new ids from in a second pass
    when the file's own ids reach those given (its rows taken out again)."""
    try:
        return _checked(db, config, today, actor, sheet, auto, writer, orders)
    except OrderUnknown:
        if writer is not None:
            writer.undo()
        raise


def _checked(db, config, today, actor: str, sheet, auto: bool, writer, orders) -> CsvCheck | int:
    problems = Problems()
    reader = sheet.reader()
    problems.extend(reader.problems)
    if reader.header is None:
        problems.raise_if_any()
    problems.header = reader.header
    status_of = {w.id: w.status for w in list_workers(db, include_left=True)}
    rows = CaseRows(reader.header.columns, tuple(config.load.tiers), config.default_tier, config.review_days, today,
                    actor, auto, orders)
    tally, first_rows = Tally(), []
    today_iso, before = today.isoformat(), stale_before(today, config.stale_after_days).isoformat()
    file_ids = FileIds(db)
    pending: list[tuple[str, int]] = []
    checked: list = []
    worker_id = fields.WORKER_ID.fullmatch
    on_team = {w for w, status in status_of.items() if status != "left"}
    read, cell = rows.read, rows.cell

    def known(column: str, cell: str | None, line: int, left_ok: bool = False) -> None:
        wid = (cell or "").strip().lower()
        if column == "worker" and wid == "me":
            wid = actor
        if not wid or wid == "auto" or not worker_id(wid):
            return
        status = status_of.get(wid)
        if status is None:
            problems.add(BadInput(column, wid, "is not a worker", line))
        elif status == "left" and not left_ok:
            problems.add(BadInput(column, wid, "has left", line))

    for line, cells in reader.cells(on_problem=problems.add):
        found = read(line, cells, problems)  # appends the row's own problems
        if found is not None:
            stored = found[0]
            worker, home, requested = stored[10], stored[11], stored[13]
            all_known = ((worker is None or worker in on_team or stored[6] == "closed" and worker in status_of)
                         and (home is None or home in on_team) and (requested is None or requested in status_of))
        if found is None or not all_known:  # say which worker is unknown or gone
            closed = (cell(cells, "status") or "").strip().lower() == "closed"
            known("worker", cell(cells, "worker"), line, left_ok=closed)
            known("home_worker", cell(cells, "home_worker"), line)
            known("requested", cell(cells, "requested"), line, left_ok=True)
            if found is None:
                given = (cell(cells, "id") or "").strip()
                if given:
                    pending.append((given, line))
                continue
        stored, review_given, contact_given = found
        given = stored[1]
        if given:
            pending.append((given, line))
        if len(pending) >= BATCH:
            file_ids.add(pending)
            pending.clear()
        tally.add(stored, review_given, contact_given, today_iso, before)
        if len(first_rows) < PREVIEW_ROWS:
            first_rows.append(stored)
        if writer is not None and not problems:  # after the first problem nothing more is written
            checked.append(stored)
            if len(checked) >= BATCH:
                writer.add(checked)
                checked.clear()
    file_ids.add(pending)
    if writer is not None and not problems:
        writer.add(checked)
    for case_id, line, what, first in file_ids.problems():
        problems.add(BadInput("id", case_id, f"repeats line {first}" if what == "repeats" else "already exists",
                              line))
    if not tally.rows and not problems:
        problems.add(BadInput("file", sheet.path, "has a header but no rows", 1))
    problems.raise_if_any()
    if writer is not None:
        again = writer.given_too_low(file_ids)
        if again is not None:
            writer.undo()
            return again
    return CsvCheck(tally, first_rows, reader.header.ignored, writer)


def preview(db, config, today, first_rows) -> list[tuple[int, object, str]]:
    """(line, case, where it would go) for the first rows (stored rows, `intake_csv.STORED`):
    the holder, the planner's choice for rows given out by rule, or that it waits."""
    goes, by_rule, line_of, listed = {}, [], {}, []
    for stored in first_rows:
        line, case, goes_to = case_of(stored)
        listed.append((line, case))
        if goes_to == "auto":
            case = replace(case, id=case.id or f"(line {line})")
            by_rule.append(case)
            line_of[case.id] = line
        elif case.status == "closed":
            goes[line] = f"closed ({goes_to})"
        else:
            goes[line] = goes_to or "waits"
    if by_rule:
        for p in team_planner(db, today, config).plan_batch(requests_for(db, by_rule, config)):
            goes[line_of[p.case]] = f"{p.worker} (by rule)" if p.worker else f"waits: {p.reason}"
    return [(line, case, goes[line]) for line, case in listed]


def write_csv(db, config, today, actor: str, now: str, checked: CsvCheck):
    """After `check_csv(..., keep=True)` wrote every row, in the caller's transaction: the
    indexes made again, then the rows given out by rule placed. Returns an ImportSummary."""
    writer = checked.kept
    writer.finish()
    left_waiting = 0
    by_rule = writer.by_rule() if checked.tally.by_rule else []
    if by_rule:
        placements = team_planner(db, today, config).plan_batch(requests_for(db, by_rule, config))
        execute(db, [Move(p.case, None, p.worker, "auto", p.reason) for p in placements if p.worker], actor, now)
        left_waiting = sum(1 for p in placements if p.worker is None)
    return ImportSummary(writer.count, writer.new_ids, writer.first_new, writer.last_new, writer.first, left_waiting)


@dataclass(frozen=True)
class ImportSummary:
    """What a file brought in: how many cases, how many of them were given new ids (the first
    and last of those), and how many wait because nobody could take them by the rules."""

    count: int
    new_ids: int
    first_new: str | None
    last_new: str | None
    first: str | None  # the first case's id (the only one, for a file of one row)
    left_waiting: int

    def words(self) -> str:
        """"added 182 case(s): 180 with the file's own ids, 2 given new ids, PR-0183 to PR-0184"."""
        if self.count == 1:
            return f"added case {self.first}"
        own = self.count - self.new_ids
        parts = [f"{own} with the file's own ids"] if own else []
        if self.new_ids == 1:
            parts.append(f"1 given a new id, {self.first_new}")
        elif self.new_ids:
            parts.append(f"{self.new_ids} given new ids, {self.first_new} to {self.last_new}")
        return f"added {self.count} case(s): {', '.join(parts)}"
