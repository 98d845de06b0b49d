"""`worker import`: the whole team from a spreadsheet, all or nothing (DESIGN §11).

The file is read through the same reader as `intake --file` (`domain.spreadsheet`, or
`domain.workbook` for a workbook), every row checked (`domain.team_csv`), and ids already
in the team or repeated in the file reported with their lines. The team's absences and
capacity reductions come with it when given (`--absences`, `--reductions`, or the sheets of
`export team --format xlsx`: `domain.team_time`), each naming a worker of the file or of
the team; so do its recorded reviews (`--reviews`, or the workbook's sheet `reviews`: the
snapshots behind red streaks, "excessive" and the report's trend), each day one kind,
each worker once a day, in no week the database has a review of already; and so do the
workers' own views (`--feels`, or the sheet `feels`), in no week the database has that
worker's view of. Then every worker, absence and reduction is added in the one transaction, or
none. A team is a few dozen rows, so the checked rows are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Callable

from caseload.app.intake import Problems
from caseload.app.sheets import date_orders
from caseload.domain.errors import BadInput
from caseload.domain.fields import WORKER_ID
from caseload.domain.starters import StarterRules, protected_caseload
from caseload.domain.team_csv import DATE_COLUMNS, read_worker
from caseload.domain.team_time import DATE_COLUMNS as TIME_DATE_COLUMNS
from caseload.domain.team_time import REVIEW_DATE_COLUMNS, read_absence, read_recorded_row, read_reduction, read_view
from caseload.domain.trends import week_of
from caseload.store.connection import transaction
from caseload.store.feels import add_feeling, weeks_with_views
from caseload.store.workers import add_absence, add_reduction, add_worker, list_workers
from caseload.store.zones import record_review_rows, recorded_days


@dataclass
class TeamFiles:
    """What a team import brings: the workers (`ImportedWorker`s), and their absences and
    reductions (empty when no file or sheet of them was given)."""

    workers: list
    absences: list = field(default_factory=list)
    reductions: list = field(default_factory=list)
    reviews: list = field(default_factory=list)  # domain.team_time.RecordedRow, by day
    feels: list = field(default_factory=list)  # domain.team_time.GivenView, in the order given


def import_team(db, config, today, at: str, sheet, dry_run: bool, proceed: Callable[[TeamFiles], bool],
                absences=None, reductions=None, reviews=None, actor: str = "import", feels=None) -> TeamFiles:
    """Check every row of the team file (`check_team`), and of its absences, reductions and
    recorded reviews (`absences`, `reductions`, `reviews`: `app.sheets.Sheet`s or None; a
    review without `recorded_by` is recorded as `actor`'s), and add them all, in one
    transaction (a read snapshot for a dry run), all or none. `proceed(found)` is called
    inside it once everything is checked, to show it and, on a terminal, ask: it returns
    False to add nothing. Returns the checked TeamFiles."""
    with sheet, transaction(db, write=not dry_run):
        found = check_team(db, config, today, sheet)
        problems = Problems()
        known = {w.id for w in list_workers(db, include_left=True)} | {w.worker.id for w in found}
        if absences is not None:
            with absences:
                found_absences = _check_times(absences, read_absence, today, known, problems)
        if reductions is not None:
            with reductions:
                found_reductions = _check_times(reductions, read_reduction, today, known, problems)
        found_reviews = []
        if reviews is not None:
            with reviews:
                found_reviews = _check_times(reviews, read_recorded_row, today, known, problems,
                                             REVIEW_DATE_COLUMNS, _check_days(recorded_days(db)))
        found_feels = []
        if feels is not None:
            with feels:
                found_feels = _check_times(feels, read_view, today, known, problems, REVIEW_DATE_COLUMNS,
                                           _check_views(weeks_with_views(db)))
        problems.raise_if_any()
        team = TeamFiles(found, found_absences if absences is not None else [],
                         found_reductions if reductions is not None else [],
                         sorted(found_reviews, key=lambda r: (r.on, r.worker)),
                         sorted(found_feels, key=lambda v: v.line))
        if proceed(team) and not dry_run:
            add_team(db, team, at, config.starters, actor)
    return team


def _check_views(taken: set[tuple[str, str]]):
    """A worker's view is one a week (the latest of the week counts): a file's view of a
    worker for a week the database has a view of them for is refused, as a review's is."""
    def check(rows: list, problems) -> None:
        for row in rows:
            if (row.worker, week_of(row.on).isoformat()) in taken:
                problems.add(BadInput("on", row.on.isoformat(), f"is in a week this database has {row.worker}'s own "
                                                                f"view of already", row.line))
    return check


def _check_days(taken: set[str]):
    """The checks across a reviews file's rows: a day is one review, so its rows share one
    kind, one `recorded_at` and one `recorded_by`, and name each worker once; and no row
    falls in an ISO week the database has a review of (`taken`: its days). A week counts by
    its latest review, a worker missing from it as not red: a day of a few rows in such a
    week would end every other worker's red streak. An import adds weeks to the record,
    never into them."""
    weeks_taken = {week_of(date.fromisoformat(day)): day for day in taken}

    def check(rows: list, problems) -> None:
        first: dict = {}
        seen: dict = {}
        for row in rows:
            day = row.on.isoformat()
            recorded = weeks_taken.get(week_of(row.on))
            if recorded is not None:
                problems.add(BadInput("on", day, f"is in a week this database has a recorded review of already "
                                                 f"({recorded}): an import adds weeks to the record, never into "
                                                 f"them", row.line))
            kept = first.setdefault(day, row)
            for name, mine, theirs in (("kind", row.kind, kept.kind), ("recorded_at", row.at, kept.at),
                                       ("recorded_by", row.actor, kept.actor)):
                if mine != theirs:  # the kind is a word of caseload's; a name or a moment stays the cell's
                    what = f"line {kept.line}'s {theirs}" if name == "kind" else f"line {kept.line}'s"
                    problems.add(BadInput(name, mine or "", f"differs from {what} on {day} (a day is one review)",
                                          row.line))
                    break
            if (day, row.worker) in seen:
                problems.add(BadInput("worker", row.worker, f"repeats line {seen[day, row.worker]} on {day}",
                                      row.line))
            seen.setdefault((day, row.worker), row.line)
    return check


def _check_times(sheet, read, today, known: set[str], problems, date_columns=TIME_DATE_COLUMNS,
                 across=None) -> list:
    """Every row of an absences, reductions, reviews or views file read by `read`, each worker (and
    cover) one of `known`, and `across(rows, problems)` checking the rows together; the
    problems go to `problems`, with the file's name on each."""
    reader = sheet.reader()
    found_here = Problems()
    found_here.extend(reader.problems)
    if reader.header is not None:
        orders = date_orders(sheet, date_columns)
        reader = sheet.reader()
        found_here.header = reader.header
        rows = []
        for row in reader.rows(on_problem=found_here.add):
            item = read(row, today, found_here, orders)
            for column in ("worker", "cover"):  # a row with other problems too: say who is unknown
                wid = (row.values.get(column) or "").strip().lower()
                if wid and WORKER_ID.fullmatch(wid) and wid not in known:
                    found_here.add(BadInput(column, wid, "is not a worker of the team file or the team", row.line))
            if item is not None:
                rows.append(item)
        if across is not None:
            across(rows, found_here)
    label = sheet.path.name + (f" ({sheet.sheet_name})" if sheet.sheet_name else "")
    for problem in found_here.kept:  # which file: the lines of three files would be alike
        if found_here.header is not None:
            found_here.header.named(problem)
        if problem.field:
            problem.field = f"{label} {problem.field}"
        else:
            problem.problem = f"of {label} {problem.problem}"
        problems.add(problem)
    return rows if reader.header is not None else []


def check_team(db, config, today, sheet) -> list:
    """Every row of the team file as an ImportedWorker; raises BadInputs with every problem."""
    problems = Problems()
    reader = sheet.reader()
    problems.extend(reader.problems)
    problems.raise_if_any()
    orders = date_orders(sheet, DATE_COLUMNS)  # a team is a few dozen rows: one more pass costs nothing
    reader = sheet.reader()
    problems.header = reader.header
    existing = {w.id for w in list_workers(db, include_left=True)}
    first_line: dict[str, int] = {}
    found = []
    rules = config.load
    for row in reader.rows(on_problem=problems.add):
        imported = read_worker(row, rules.points_per_fte, rules.admin_allowance, today, problems, orders)
        if imported is None:
            continue
        wid = imported.worker.id
        if wid in first_line:
            problems.add(BadInput("id", wid, f"repeats line {first_line[wid]}", row.line))
        else:
            first_line[wid] = row.line
        if wid in existing:
            problems.add(BadInput("id", wid, "already exists (change them with `caseload worker edit`)", row.line))
        found.append(imported)
    if not found and not problems:
        problems.add(BadInput("file", sheet.path, "has a header but no rows", 1))
    problems.raise_if_any()
    return found


def add_team(db, team: TeamFiles, now: str, starters: StarterRules = StarterRules(), actor: str = "import") -> None:
    """Every worker, then their absences and reductions, in the caller's transaction; then
    each new starter's protected caseload when the config gives one and the files do not
    bring it already (`domain.starters.protected_caseload`: an exported team re-imports
    with one, not two); then the workers' own views, and the recorded reviews, a snapshot a
    day."""
    for imported in team.workers:
        add_worker(db, imported.worker, now)
    for absence in team.absences:
        add_absence(db, absence, now)
    for reduction in team.reductions:
        add_reduction(db, reduction, now)
    for imported in team.workers:
        due = protected_caseload(imported.worker, [r for r in team.reductions if r.worker == imported.worker.id],
                                 starters)
        if due is not None:
            add_reduction(db, due, now)
    for view in team.feels:
        add_feeling(db, view.worker, view.on, view.feeling, view.actor or actor, view.at)
    for on, rows in groupby(team.reviews, key=lambda r: r.on):
        rows = list(rows)
        record_review_rows(db, [(r.worker, r.cases, r.load, r.capacity, r.zone) for r in rows], on, rows[0].actor or actor,
                           rows[0].at, rows[0].kind)
