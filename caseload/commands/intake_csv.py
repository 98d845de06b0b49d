"""`intake --csv FILE`: a spreadsheet's cases, validated whole, then written all or nothing.

Every row is checked before anything is written, and every problem is reported at
once with its line, column and value; then all rows go in one transaction, or none.
A `worker` column records who already holds a case (kind `assign`, reason
"imported"); `--assign auto` gives the rows without a worker out by the rules.
"""

from __future__ import annotations

from pathlib import Path


def intake_csv(path: Path, dry_run: bool, auto: bool, yes: bool) -> None:
    from caseload.cli import session
    from caseload.commands.confirm import confirm_or_refuse
    from caseload.domain.errors import BadInput, BadInputs
    from caseload.domain.intake import read_draft
    from caseload.domain.intake_csv import read_csv
    from caseload.render import message, progress
    from caseload.store.connection import transaction

    s = session()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BadInput("--csv", str(path), "does not exist") from None
    except UnicodeDecodeError as error:
        raise BadInput("--csv", str(path), f"is not UTF-8 text (byte {error.start}); save it as CSV UTF-8") from None
    except OSError as error:
        raise BadInput("--csv", str(path), f"cannot be read ({error.strerror})") from None
    rows, problems = read_csv(text)
    drafts = []
    tiers = tuple(s.config.load.tiers)
    with progress(len(rows), "checking rows") as advance:
        for row in rows:
            found: list[BadInput] = []
            draft = read_draft(row.values, tiers, s.config.default_tier, s.today, problems=found)
            for problem in found:
                problem.line = row.line
            problems.extend(found)
            if draft is not None:
                drafts.append((row.line, draft))
            advance()
    if not rows and not problems:
        problems.append(BadInput("file", str(path), "has a header but no rows", 1))
    db = s.open()
    with transaction(db, write=not dry_run):
        problems.extend(_against_the_store(db, s, rows))
        if problems:
            raise BadInputs(sorted(problems, key=lambda p: (p.line or 0)))
        summary = _summary(drafts, auto)
        message(f"{path}: {len(drafts)} row(s) valid; {summary}")
        if dry_run:
            _show_what_would_happen(db, s, drafts, auto)
            message("dry run: nothing was written")
            return
        confirm_or_refuse(f"Add these {len(drafts)} case(s)?", yes)
        ids = _write(db, s, drafts, auto, path.name)
    message(f"added {len(ids)} case(s): {ids[0]} to {ids[-1]}" if len(ids) > 1 else f"added case {ids[0]}")


def _against_the_store(db, s, rows) -> list:
    """Problems only the store or the whole file can show: ids that exist or repeat, workers
    unknown or gone. Checked on every row, even one with other problems, so all are reported."""
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.store.cases import existing_case_ids
    from caseload.store.workers import list_workers

    def clean(row, column):
        return (row.values.get(column) or "").strip()

    problems = []
    workers = {w.id: w for w in list_workers(db, include_left=True)}
    taken = existing_case_ids(db, [clean(r, "id") for r in rows if clean(r, "id")])
    first_line: dict[str, int] = {}
    for row in rows:
        case_id = clean(row, "id")
        if case_id:
            if case_id in first_line:
                problems.append(BadInput("id", case_id, f"repeats line {first_line[case_id]}", row.line))
            else:
                first_line[case_id] = row.line
            if case_id in taken:
                problems.append(BadInput("id", case_id, "already exists", row.line))
        holder = clean(row, "worker").lower()
        holder = s.actor if holder == "me" else holder
        if holder and holder != "auto" and fields.WORKER_ID.match(holder):
            if holder not in workers:
                problems.append(BadInput("worker", holder, "is not a worker", row.line))
            elif workers[holder].status == "left":
                problems.append(BadInput("worker", holder, "has left", row.line))
        asked = clean(row, "requested")
        if asked and fields.WORKER_ID.match(asked) and asked not in workers:
            problems.append(BadInput("requested", asked, "is not a worker", row.line))
    return problems


def _show_what_would_happen(db, s, drafts, auto: bool) -> None:
    """The rows as they would go in: id, tier, risk and where each case would go (the
    planner's choice for rows given out by rule, or why it would wait)."""
    from caseload.domain.intake import new_case
    from caseload.render import console, new_table
    from caseload.store.allocation import requests_for, team_planner

    cases, to = [], {}
    for line, draft in drafts:
        case = new_case(draft, draft.id or f"(line {line})", s.config.review_days)
        holder = s.actor if draft.worker == "me" else draft.worker
        if holder not in (None, "auto"):
            to[case.id] = holder
        elif holder == "auto" or auto:
            cases.append(case)
        else:
            to[case.id] = "waits"
    if cases:
        planner = team_planner(db, s.today, s.config)
        for p in planner.plan_batch(requests_for(db, cases, s.config)):
            to[p.case] = f"{p.worker} (by rule)" if p.worker else f"waits: {p.reason}"
    table = new_table("line", "id", "tier", "risk", "goes to", title=f"{len(drafts)} case(s) would be added")
    for line, draft in drafts:
        case_id = draft.id or f"(line {line})"
        table.add_row(str(line), draft.id or "new", draft.tier, draft.risk, to[case_id])
    console().print(table)


def _summary(drafts, auto: bool) -> str:
    held = sum(1 for _, d in drafts if d.worker not in (None, "auto"))
    by_rule = sum(1 for _, d in drafts if d.worker == "auto" or (d.worker is None and auto))
    waiting = len(drafts) - held - by_rule
    return f"{held} already held, {by_rule} to assign by rule, {waiting} to wait"


def _write(db, s, drafts, auto: bool, source: str) -> list[str]:
    from caseload.domain.intake import new_case
    from caseload.domain.plan import Move
    from caseload.render import message, progress
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.cases import insert_cases, next_case_id
    from caseload.store.history import Change, record_many
    from caseload.store.plans import execute

    now = s.now()
    cases, moves, by_rule = [], [], []
    for _, draft in drafts:
        case = new_case(draft, draft.id or next_case_id(db), s.config.review_days)
        cases.append(case)
        holder = s.actor if draft.worker == "me" else draft.worker
        if holder not in (None, "auto"):
            moves.append(Move(case.id, None, holder, "assign", f"imported from {source}",
                              status=draft.status or "active"))
        elif holder == "auto" or auto:
            by_rule.append(case)
    with progress(len(cases), "adding cases") as advance:
        insert_cases(db, cases, on_row=advance)
    record_many(db, [Change(c.id, None, None, "intake", f"imported from {source}") for c in cases], s.actor, now)
    execute(db, moves, s.actor, now)
    if by_rule:
        planner = team_planner(db, s.today, s.config)
        placements = planner.plan_batch(requests_for(db, by_rule, s.config))
        execute(db, [Move(p.case, None, p.worker, "auto", p.reason) for p in placements if p.worker], s.actor, now)
        waiting = [p for p in placements if p.worker is None]
        if waiting:
            message(f"{len(waiting)} case(s) wait: nobody qualifies (see `caseload assign --waiting --auto --explain`)")
    return [c.id for c in cases]
