"""Moving responsibility for held cases (DESIGN §4, §5): handover of a whole caseload
(permanent, or temporary cover), the return of covered cases, and reassignment.

The rules (handover or cover, the home worker, which covers are due back) are
`domain.handover`'s; this module reads what they need once and hands back the moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class HandoverPlan:
    """The moves of a handover, what stays with the worker, and what the lead is warned of."""

    source: str
    requests: dict  # case id -> Request
    placements: list
    planner: object
    moves: list
    warnings: list

    @property
    def stuck(self) -> list:
        return [p for p in self.placements if p.worker is None]


def plan(db, config, today: date, actor: str, source_id: str, target_id: str | None, until: date | None,
         reason: str | None) -> HandoverPlan:
    """All of `source_id`'s open cases: to one worker by hand, or spread by the rules."""
    from caseload.app.team import resolve_worker
    from caseload.domain.allocate import Placement
    from caseload.domain.errors import CaseloadError
    from caseload.domain.handover import handover_moves
    from caseload.domain.model import OPEN_STATUSES
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.cases import CaseFilter, find_cases
    from caseload.store.workers import get_worker

    get_worker(db, source_id)
    cases = list(find_cases(db, CaseFilter(worker=source_id, statuses=OPEN_STATUSES), "risk"))
    planner = team_planner(db, today, config)
    requests = requests_for(db, cases, config)
    warnings: list[str] = []
    if target_id is not None:
        target = resolve_worker(db, target_id, actor, "--to")
        if target.id == source_id:
            raise CaseloadError("a handover needs another worker to receive the cases")
        warnings = planner.take(target.id, requests)
        placements = [Placement(r.case.id, target.id, source_id, "handed over by hand") for r in requests]
    else:
        placements = planner.plan_batch(requests, exclude={source_id})
    moves = handover_moves({c.id: c for c in cases}, placements, source_id, until, reason)
    return HandoverPlan(source_id, {r.case.id: r for r in requests}, placements, planner, moves, warnings)


def returns(db, today: date, home_id: str | None) -> tuple[list, list[str]]:
    """The moves that end cover: of one home worker (`return W`), or every cover due back
    (`return --due`); with the warnings a lead should read."""
    from caseload.domain.errors import CaseloadError
    from caseload.domain.handover import covers_due_back, return_moves
    from caseload.store.cases import covered_cases
    from caseload.store.workers import absences_on, get_worker, list_workers

    away = absences_on(db, today)
    warnings = []
    if home_id is not None:
        home = get_worker(db, home_id)
        if home.status == "left":
            raise CaseloadError(f"{home.id} has left: hand their covered cases over permanently instead")
        if home.id in away:
            warnings.append(f"{home.id} is absent until {away[home.id].ends_on}; returning their cases anyway")
        cases = covered_cases(db, home=home.id)
    else:
        back = {w.id for w in list_workers(db) if w.id not in away}
        cases = covers_due_back(covered_cases(db, ended_before=today), back, today)
    return return_moves(cases), warnings


def reassign(db, config, today: date, actor: str, case_id: str, to: str, reason: str):
    """The move of one held case to another worker (permanent: it ends any cover), with
    the warnings of a choice by hand."""
    from caseload.app.team import resolve_worker
    from caseload.domain.errors import CaseloadError
    from caseload.domain.handover import why_not_reassignable
    from caseload.domain.plan import Move
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.cases import get_case

    case = get_case(db, case_id)
    target = resolve_worker(db, to, actor, "--to") if case.worker is not None and case.status != "closed" else None
    refusal = why_not_reassignable(case, target.id if target else "")
    if refusal:
        raise CaseloadError(refusal)
    warnings = team_planner(db, today, config).take(target.id, requests_for(db, [case], config))
    return Move(case.id, case.worker, target.id, "reassign", reason), warnings
