"""`worker import`: the whole team from a spreadsheet, all or nothing (DESIGN §11).

The file is read through the same reader as `intake --csv` (`domain.spreadsheet`),
every row checked (`domain.team_csv`), and ids already in the team or repeated in the
file reported with their lines; then every worker is added in the caller's one
transaction, or none. A team is a few dozen rows, so the checked workers are kept.
"""

from __future__ import annotations

from typing import Callable

from caseload.store.connection import transaction


def import_team(db, config, today, at: str, sheet, dry_run: bool, proceed: Callable[[list], bool]) -> list:
    """Check every row of the team file (`check_team`) and add every worker, in one
    transaction (a read snapshot for a dry run), all or none. `proceed(workers)` is called
    inside it once the file is checked, to show the team and, on a terminal, ask: it returns
    False to add nobody. Returns the checked workers (`ImportedWorker`s)."""
    with sheet, transaction(db, write=not dry_run):
        workers = check_team(db, config, today, sheet)
        if proceed(workers) and not dry_run:
            add_team(db, workers, at)
    return workers


def check_team(db, config, today, sheet) -> list:
    """Every row of the team file as an ImportedWorker; raises BadInputs with every problem."""
    from caseload.app.intake import Problems
    from caseload.app.sheets import date_orders
    from caseload.domain.errors import BadInput
    from caseload.domain.team_csv import DATE_COLUMNS, read_worker
    from caseload.store.workers import list_workers

    problems = Problems()
    reader = sheet.reader()
    problems.extend(reader.problems)
    problems.raise_if_any()
    orders = date_orders(sheet, DATE_COLUMNS)  # a team is a few dozen rows: one more pass costs nothing
    reader = sheet.reader()
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


def add_team(db, workers, now: str) -> None:
    from caseload.store.workers import add_worker

    for imported in workers:
        add_worker(db, imported.worker, now)
