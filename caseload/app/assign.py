"""Giving out waiting cases (DESIGN §4): by hand (`--to W|me`) or by rule (`--auto`).

By hand the team lead's judgement stands: a worker who has left is refused, but one
who does not qualify, or who will go amber or red, only draws a warning naming every
rule they fail (`Planner.take`, shared with `intake --assign W`, `reassign` and
`handover --to`). By rule the planner of `domain.allocate` decides, within the
config's `allocation.max_zone` (the command's `--max-zone` replaces it), and every
decision carries its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from caseload.app.team import resolve_worker
from caseload.domain.allocate import Placement
from caseload.domain.errors import CaseloadError
from caseload.domain.handover import why_not_assignable
from caseload.domain.plan import Move
from caseload.store.allocation import requests_for, team_planner
from caseload.store.batches import recorded
from caseload.store.cases import CaseFilter, find_cases, get_case
from caseload.store.connection import transaction
from caseload.store.plans import execute


@dataclass
class AssignPlan:
    """What `assign` will do: placements (with reasons), warnings, loads before and after."""

    kind: str  # the history kind: auto, assign (by hand) or self
    placements: list
    planner: object
    requests: dict  # case id -> Request
    before: dict  # each worker's (load, capacity) in points, before the plan
    warnings: list = field(default_factory=list)
    batch: int | None = None  # the number of the batch its moves made (`undo --batch N`)

    @property
    def left_waiting(self) -> list:
        return [p for p in self.placements if p.worker is None]


def assign(db, config, today: date, actor: str, at: str, ids: list[str], to: str | None, waiting: bool = False,
           explain: bool = False, dry_run: bool = False) -> AssignPlan:
    """Give waiting cases out in one transaction (a read snapshot for a dry run): the named
    cases (or with `waiting` the whole pool) to `to` (a worker id or `me`) by hand, else by
    rule within `config`'s `allocation.max_zone` (`explain` keeps every candidate's reasons).
    The placements are made unless `dry_run`, as one numbered batch (`plan.batch`, for
    `undo`); those nobody could take stay waiting (`plan.left_waiting`)."""
    with transaction(db, write=not dry_run):
        if to is not None:
            plan = by_hand(db, config, today, actor, ids, to)
        else:
            plan = by_rule(db, config, today, ids, waiting, explain)
        if not dry_run:
            made = moves(plan)
            with recorded(db, "assign", [m.case for m in made], actor, at) as batch:
                execute(db, made, actor, at)
            plan.batch = batch.number
    return plan


def waiting_cases(db, ids: list[str]) -> list:
    """The named cases, each of which must be waiting to be given out."""
    cases = []
    for case_id in ids:
        case = get_case(db, case_id)
        refusal = why_not_assignable(case)
        if refusal:
            raise CaseloadError(refusal)
        cases.append(case)
    return cases


def by_rule(db, config, today, ids: list[str], waiting: bool, explain: bool) -> AssignPlan:
    """The plan by the allocation rules (inside the caller's transaction)."""
    cases = list(find_cases(db, CaseFilter(statuses=("waiting",)), "opened")) if waiting else waiting_cases(db, ids)
    planner = team_planner(db, today, config, explain)
    requests = requests_for(db, cases, config)
    before = planner.loads()
    placements = planner.plan_batch(requests)
    return AssignPlan("auto", placements, planner, {r.case.id: r for r in requests}, before)


def by_hand(db, config, today, actor: str, ids: list[str], to: str) -> AssignPlan:
    """The plan by hand, every case to `to`, with the warnings (inside the caller's transaction)."""
    worker = resolve_worker(db, to, actor, "--to", taking_on=today)
    cases = waiting_cases(db, ids)
    planner = team_planner(db, today, config)
    requests = requests_for(db, cases, config)
    before = planner.loads()
    warnings = planner.take(worker.id, requests)
    placements = [Placement(r.case.id, worker.id, None, "assigned by hand") for r in requests]
    return AssignPlan("self" if to == "me" else "assign", placements, planner, {r.case.id: r for r in requests},
                      before, warnings)


def moves(plan: AssignPlan) -> list:
    """The moves that carry out the placements made (a case left waiting has none)."""
    return [Move(p.case, None, p.worker, plan.kind, p.reason) for p in plan.placements if p.worker is not None]
