"""Taking cases in (DESIGN §5, §11): one case from flags, or a whole CSV file all or nothing.

One case: it waits in the pool, or goes at once to a worker named by hand (`--assign
W|me`) or chosen by rule (`--assign auto`). A CSV file is validated whole before
anything is written: every problem is reported at once with its line, column and
value; then all rows go in, or none. A `worker` column records who already holds a
case (kind `assign`, reason "imported"); `--assign auto` gives the rows without a
worker out by the rules. Where each row goes is `domain.intake.destination`'s rule.
"""

from __future__ import annotations

from dataclasses import dataclass


def one(db, config, today, actor: str, now: str, draft) -> tuple[str, str, list[str]]:
    """Register one case from a validated draft; returns (case id, what became of it, the
    warnings a lead should read). By hand (`--assign W|me`) the lead's judgement stands:
    `Planner.take` warns of every rule the worker fails and of the zone they end in, as
    `assign --to` does. By rule (`--assign auto`) the case goes where `Planner.choose` says,
    or waits: nobody qualifies, or everyone would go past `allocation.max_zone`."""
    from dataclasses import replace

    from caseload.app.team import resolve_worker
    from caseload.domain.intake import new_case
    from caseload.domain.plan import Move
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.cases import insert_case, next_case_id
    from caseload.store.history import Change, record
    from caseload.store.plans import execute

    if draft.requested is not None:
        resolve_worker(db, draft.requested, actor, "--requested")
    by_hand = draft.worker not in (None, "auto")
    target = resolve_worker(db, draft.worker, actor, "--assign", taking_on=today) if by_hand else None
    case = new_case(draft, draft.id or next_case_id(db), config.review_days)
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


@dataclass
class CsvCheck:
    """A CSV file read and checked: its valid drafts (with their lines) and every problem."""

    rows: list
    drafts: list  # (line, CaseDraft)
    problems: list


def check_csv(text: str, source: str, config, today, on_row=None) -> CsvCheck:
    """Read and validate every row of the file `source` (nothing from the store yet)."""
    from pathlib import Path

    from caseload.domain.errors import BadInput
    from caseload.domain.intake import read_draft
    from caseload.domain.intake_csv import read_csv

    rows, problems = read_csv(text)
    drafts = []
    tiers = tuple(config.load.tiers)
    for row in rows:
        found: list[BadInput] = []
        draft = read_draft(row.values, tiers, config.default_tier, today, problems=found)
        for problem in found:
            problem.line = row.line
        problems.extend(found)
        if draft is not None:
            drafts.append((row.line, draft))
        if on_row is not None:
            on_row()
    if not rows and not problems:
        problems.append(BadInput("file", Path(source), "has a header but no rows", 1))
    return CsvCheck(rows, drafts, problems)


def against_the_store(db, actor: str, rows) -> list:
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
        holder = actor if holder == "me" else holder
        if holder and holder != "auto" and fields.WORKER_ID.match(holder):
            if holder not in workers:
                problems.append(BadInput("worker", holder, "is not a worker", row.line))
            elif workers[holder].status == "left":
                problems.append(BadInput("worker", holder, "has left", row.line))
        asked = clean(row, "requested")
        if asked and fields.WORKER_ID.match(asked) and asked not in workers:
            problems.append(BadInput("requested", asked, "is not a worker", row.line))
    return problems


def summary(drafts, auto: bool, actor: str) -> str:
    from caseload.domain.intake import destination

    where = [destination(d, auto, actor) for _, d in drafts]
    held = sum(1 for w in where if w not in ("auto", None))
    by_rule = where.count("auto")
    return f"{held} already held, {by_rule} to assign by rule, {len(where) - held - by_rule} to wait"


def preview(db, config, today, actor: str, drafts, auto: bool) -> list[tuple[int, object, str]]:
    """(line, draft, where it would go) for each row: the holder, the planner's choice for
    rows given out by rule, or why it would wait."""
    from caseload.domain.intake import destination, new_case
    from caseload.store.allocation import requests_for, team_planner

    goes, by_rule, line_of = {}, [], {}
    for line, draft in drafts:
        target = destination(draft, auto, actor)
        if target == "auto":
            case = new_case(draft, draft.id or f"(line {line})", config.review_days)
            by_rule.append(case)
            line_of[case.id] = line
        else:
            goes[line] = target or "waits"
    if by_rule:
        for p in team_planner(db, today, config).plan_batch(requests_for(db, by_rule, config)):
            goes[line_of[p.case]] = f"{p.worker} (by rule)" if p.worker else f"waits: {p.reason}"
    return [(line, draft, goes[line]) for line, draft in drafts]


def write_csv(db, config, today, actor: str, now: str, drafts, auto: bool, source: str, on_row=None):
    """Every row in, in one transaction (the caller's). Returns (case ids, how many wait
    because nobody qualifies)."""
    from caseload.domain.intake import destination, new_case
    from caseload.domain.plan import Move
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.cases import insert_cases, next_case_id
    from caseload.store.history import Change, record_many
    from caseload.store.plans import execute

    cases, moves, by_rule = [], [], []
    for _, draft in drafts:
        case = new_case(draft, draft.id or next_case_id(db), config.review_days)
        cases.append(case)
        target = destination(draft, auto, actor)
        if target == "auto":
            by_rule.append(case)
        elif target is not None:
            moves.append(Move(case.id, None, target, "assign", f"imported from {source}",
                              status=draft.status or "active"))
    insert_cases(db, cases, on_row=on_row)
    record_many(db, [Change(c.id, None, None, "intake", f"imported from {source}") for c in cases], actor, now)
    execute(db, moves, actor, now)
    left_waiting = 0
    if by_rule:
        placements = team_planner(db, today, config).plan_batch(requests_for(db, by_rule, config))
        execute(db, [Move(p.case, None, p.worker, "auto", p.reason) for p in placements if p.worker], actor, now)
        left_waiting = sum(1 for p in placements if p.worker is None)
    return [c.id for c in cases], left_waiting
