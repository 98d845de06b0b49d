"""Moving responsibility for held cases (DESIGN §4, §5): handover of a whole caseload
(permanent, or temporary cover), the return of covered cases, and reassignment.

The rules (handover or cover, the home worker, which covers are due back) are
`domain.handover`'s; this module reads what they need once, makes the moves and runs
them (`store.plans.execute`) in the command's one transaction. `handover`,
`return_covers`, `move_covers` and `reassign` are the use cases (each opens that
transaction); `plan` and `returns` work inside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Optional

from caseload.app.team import resolve_worker
from caseload.domain.allocate import Placement
from caseload.domain.errors import CaseloadError
from caseload.domain.handover import (
    case_cover_move, covers_due_back, covers_going_home, handover_moves, left_red, moved_covers, permanent_cover_move,
    recorded_cover, rehome_move, return_moves, split_homed, why_not_reassignable,
)
from caseload.domain.model import OPEN_STATUSES
from caseload.domain.plan import Move
from caseload.store.allocation import requests_for, team_planner
from caseload.store.batches import recorded
from caseload.store.cases import (
    CaseFilter, covered_cases, find_cases, get_case, make_cover_permanent, record_changes, update_case,
)
from caseload.store.connection import transaction, write_transaction
from caseload.store.plans import execute
from caseload.store.workers import absences, absences_on, get_worker, list_workers

Tick = Callable[[], None]  # called after each case moved (a progress bar)


@dataclass
class HandoverPlan:
    """The moves of a handover, what stays with the worker, and what the lead is warned of.

    `transfers` change who holds a case; `kept` are covers made permanent (the case stays
    with the worker covering it; its home worker's responsibility ends). `moves` is both,
    as the plan shows them."""

    source: str
    requests: dict  # case id -> Request
    placements: list
    planner: object
    transfers: list
    warnings: list
    kept: list = field(default_factory=list)
    until: date | None = None  # the end of a temporary handover's cover (None: permanent)
    batch: int | None = None  # the number of the batch its moves made (`undo --batch N`)
    today: date | None = None
    leaving: frozenset = frozenset()  # the workers leaving or gone (a cover for them is no next step)

    @property
    def moves(self) -> list:
        return self.transfers + self.kept

    @property
    def stuck(self) -> list:
        return [p for p in self.placements if p.worker is None]


def plan(db, config, today: date, actor: str, source_id: str, target_id: str | None, until: date | None,
         reason: str | None, auto: bool = True) -> HandoverPlan:
    """All of `source_id`'s open cases: to one worker by hand, spread by the rules, or (a
    temporary handover with neither) to the cover worker recorded with today's absence. A
    permanent handover also takes the cases `source_id` is the home worker of
    (`domain.handover.split_homed`). Inside the caller's transaction; nothing is written."""
    get_worker(db, source_id)
    if target_id is None and not auto:
        target_id = recorded_cover(source_id, absences(db, source_id), today)
    held = list(find_cases(db, CaseFilter(worker=source_id, statuses=OPEN_STATUSES), "risk"))
    homed = covered_cases(db, home=source_id) if until is None else []
    team = list_workers(db, include_left=True)
    leaving = {w.id for w in team if w.status != "active"}
    planner = team_planner(db, today, config)
    going_home: list = []
    if target_id is None:  # by rule: a case W covers goes home when its home worker is back
        back = {d.id for d in planner.desks.values()  # at work today, not leaving: as the planner read them
                if d.candidate.absent_until is None and d.candidate.worker.status == "active"}
        going_home, held = covers_going_home(held, back)
    kept_cases, placed_homed = split_homed(homed, target_id, leaving)
    to_place = held + placed_homed
    requests = requests_for(db, to_place + kept_cases + going_home, config)
    by_case = {r.case.id: r for r in requests}
    placing = [by_case[c.id] for c in to_place]
    warnings: list[str] = []
    for home in sorted({c.home_worker for c in going_home}):  # on their desks before the rest is placed
        planner.take(home, [by_case[c.id] for c in going_home if c.home_worker == home])  # their own: no rule asked
        if not planner.stays_safe(planner.desks[home], 0):
            warnings.append(f"{home} goes to {planner.pct_text(planner.desks[home], 0)} with the cases going home "
                            f"to {home}, as `caseload return {home}` would send them (whatever --max-zone says)")
    if target_id is not None:
        target = resolve_worker(db, target_id, actor, "--to", taking_on=today)
        if target.id == source_id:
            raise CaseloadError("a handover needs another worker to receive the cases")
        warnings += planner.take(target.id, placing)
        placements = [Placement(r.case.id, target.id, r.case.worker, "handed over by hand") for r in placing]
    else:
        placements = planner.plan_batch(placing, exclude={source_id})
        warnings += [text for text in [left_red(planner, placements, source_id)] if text]
    homed_ids = {c.id for c in placed_homed}
    own = [p for p in placements if p.case not in homed_ids]
    cases = {c.id: c for c in to_place}
    transfers = handover_moves(cases, own, source_id, until, reason)
    transfers += [rehome_move(cases[p.case], source_id, p.worker, reason)
                  for p in placements if p.case in homed_ids and p.worker is not None]
    transfers += return_moves(going_home)
    kept = [permanent_cover_move(c, source_id, reason) for c in kept_cases]
    return HandoverPlan(source_id, by_case, placements, planner, transfers, warnings, kept, until,
                        today=today, leaving=frozenset(leaving))


def handover(db, config, today: date, actor: str, at: str, source_id: str, target_id: str | None,
             until: date | None, reason: str | None, auto: bool, dry_run: bool,
             proceed: Callable[[HandoverPlan], Optional[Tick]]) -> HandoverPlan:
    """Hand `source_id`'s caseload over (`plan`), in one transaction (a read snapshot for a
    dry run). `proceed(plan)` is called inside it once the plan is made, to show it and, on a
    terminal, ask: it returns None to write nothing, else a function called after each case
    moves. The transfers run, then the covers made permanent, all or none; the cases nobody
    could take stay with the worker (`plan.stuck`). The moves are one numbered batch
    (`plan.batch`, for `undo`)."""
    with transaction(db, write=not dry_run):
        made = plan(db, config, today, actor, source_id, target_id, until, reason, auto=auto)
        tick = proceed(made)
        if tick is None or dry_run or not made.moves:
            return made
        with recorded(db, "handover", [m.case for m in made.moves], actor, at) as batch:
            execute(db, made.transfers, actor, at, on_move=tick)
            for move in made.kept:
                make_cover_permanent(db, move.case, move.previous, move.to, move.reason, actor, at)
                tick()
        made.batch = batch.number
    return made


def return_covers(db, today: date, actor: str, at: str, home_id: str | None,
                  proceed: Callable[[list, list[str]], Tick]) -> tuple[list, list[str]]:
    """End cover in one transaction: the covered cases of `home_id` (or, without one, every
    cover due back, `return --due`) go back to their home worker. `proceed(moves, warnings)`
    is called before they move and returns a function called after each. Returns the moves
    and the warnings."""
    with write_transaction(db):
        moves, warnings = returns(db, today, home_id)
        execute(db, moves, actor, at, on_move=proceed(moves, warnings))
    return moves, warnings


def returns(db, today: date, home_id: str | None) -> tuple[list, list[str]]:
    """The moves that end cover: of one home worker (`return W`), or every cover due back
    (`return --due`); with the warnings a lead should read. Inside the caller's transaction."""
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


def move_covers(db, actor: str, at: str, home_id: str, until: date) -> list:
    """Move the end of every cover of `home_id` to `until` in one transaction, recording each
    change on its case; the (before, after) pairs of the covers that moved."""
    with write_transaction(db):
        get_worker(db, home_id)
        covered = covered_cases(db, home=home_id)
        if not covered:
            raise CaseloadError(f"{home_id} is the home worker of no case under cover "
                                f"(cover starts with `caseload handover {home_id} --temporary --until DATE`)")
        moved = moved_covers(covered, until)
        for before, after in moved:
            update_case(db, after)
            record_changes(db, before, after, actor, at)
    return moved


def reassign(db, config, today: date, actor: str, at: str, case_id: str, to: str, reason: str):
    """Move one held case to another worker in one transaction (permanent: it ends any
    cover); returns the move made, the warnings of a choice by hand and its batch number."""
    with write_transaction(db):
        case = get_case(db, case_id)
        held = case.worker is not None and case.status != "closed"
        target = resolve_worker(db, to, actor, "--to", taking_on=today) if held else None
        refusal = why_not_reassignable(case, target.id if target else "")
        if refusal:
            raise CaseloadError(refusal)
        warnings = team_planner(db, today, config).take(target.id, requests_for(db, [case], config))
        move = Move(case.id, case.worker, target.id, "reassign", reason)
        with recorded(db, "reassign", [case.id], actor, at) as batch:
            execute(db, [move], actor, at)
    return move, warnings, batch.number


def cover_case(db, config, today: date, actor: str, at: str, case_id: str, by: str, until: date,
               reason: str | None):
    """Cover one held case (`domain.handover.case_cover_move`) in one transaction: it moves
    to `by` with its home worker and end recorded, and goes home with `return` (or `return
    --due` once `until` has passed). Returns the move made and the warnings of a choice by
    hand (absent, skills, zone after, ...)."""
    with write_transaction(db):
        case = get_case(db, case_id)
        target = resolve_worker(db, by, actor, "--by", taking_on=today)
        move = case_cover_move(case, target.id, until, reason)
        warnings = team_planner(db, today, config).take(target.id, requests_for(db, [case], config))
        execute(db, [move], actor, at)
    return move, warnings
