"""Rebalance: the fewest moves that bring every amber or red worker to 100 % or below,
without pushing anyone above 100 % (DESIGN §4).

For each overloaded worker (highest load % first) the smallest number of cases
whose weights cover the excess is found (heaviest first gives that number, which
is also the proven lower bound for that worker); among the sets of that size, the
one preferred is chosen case by case: low risk before high, recently received
before long held (relationships matter), then lighter. Each chosen case goes to
the qualified worker with the lowest load % after who stays at or below 100 %. A
case under temporary cover is never moved. A worker who cannot be brought to
100 % is left as they are and reported with the reason: partial moves would
disturb relationships without making anyone safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Sequence

from caseload.domain.allocate import Candidate, Planner, Request
from caseload.domain.figures import fmt
from caseload.domain.model import AllocationRules, LoadRules, ZoneThresholds

RISK_FIRST_TO_MOVE = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Held:
    """A case on an overloaded worker's desk, as rebalance weighs it."""

    request: Request
    held_since: date


@dataclass(frozen=True)
class Suggestion:
    case: str
    source: str
    target: str
    reason: str


@dataclass(frozen=True)
class Unfixable:
    worker: str
    reason: str


@dataclass(frozen=True)
class RebalancePlan:
    moves: tuple[Suggestion, ...]
    unfixable: tuple[Unfixable, ...]
    # the fewest moves any plan could use to relieve the workers this one relieves (ignoring
    # receivers' room); a worker it cannot relieve (`unfixable`) has no moves, and no part in it
    lower_bound: int


def overloaded(candidates: Sequence[Candidate], zones: ZoneThresholds) -> list[str]:
    """The workers above 100 % (amber or red), exactly: the ones rebalance tries to fix."""
    return [c.worker.id for c in candidates if c.load * 100 > c.capacity * zones.amber_above]


def fewest_cases_to_cover(weights: Sequence[int], excess: int) -> int | None:
    """How many cases at least must go to shed `excess` (heaviest first); None if all are not enough."""
    total, count = 0, 0
    for weight in sorted(weights, reverse=True):
        if total >= excess:
            break
        total += weight
        count += 1
    return count if total >= excess else None


def plan_rebalance(
    candidates: Sequence[Candidate],
    held: dict[str, Sequence[Held]],
    load_rules: LoadRules,
    allocation: AllocationRules,
) -> RebalancePlan:
    planner = Planner(candidates, load_rules, allocation)
    over = sorted(
        (d for d in planner.desks.values() if not planner.stays_safe(d, 0)),
        key=lambda d: (-d.pct_with(0), d.id),
    )
    over_ids = {d.id for d in over}
    moves: list[Suggestion] = []
    unfixable: list[Unfixable] = []
    lower_bound = 0
    for desk in over:
        mine = [h for h in held.get(desk.id, []) if h.request.case.home_worker is None]
        units = {h.request.case.id: planner.weight_units(h.request.weight) for h in mine}
        excess = desk.load - desk.safe_limit  # the load that must go, exactly
        needed = fewest_cases_to_cover(list(units.values()), excess)
        if needed is None:
            unfixable.append(Unfixable(desk.id, _short_reason(planner, excess, mine)))
            continue
        before = planner.pct_text(desk, 0)
        placed = _place_some(planner, desk, mine, units, excess, needed, over_ids)
        if placed is None:
            unfixable.append(Unfixable(
                desk.id,
                f"needs {fmt(Fraction(excess, planner.scale))} points moved, but the qualified workers "
                "do not have that much room at or below 100%",
            ))
            continue
        lower_bound += needed
        after = planner.pct_text(desk, 0)
        for held_case, target, target_after in placed:
            moves.append(Suggestion(
                held_case.request.case.id, desk.id, target,
                f"brings {desk.id} from {before} to {after}; {target} goes to {target_after}; "
                f"{held_case.request.case.risk} risk, held since {held_case.held_since}",
            ))
    return RebalancePlan(tuple(moves), tuple(unfixable), lower_bound)



def _preference(h: Held) -> tuple:
    return (RISK_FIRST_TO_MOVE.get(h.request.case.risk, 1), -h.held_since.toordinal(), h.request.weight,
            h.request.case.id)


def _choose_set(cases: list[Held], units: dict[str, int], excess: int, size: int) -> list[Held] | None:
    """`size` cases covering `excess`, taken in order of preference where the rest can still cover it."""
    chosen: list[Held] = []
    total = 0
    remaining = sorted(cases, key=_preference)
    for index, h in enumerate(remaining):
        slots_left = size - len(chosen) - 1
        if slots_left < 0:
            break
        rest = sorted((units[o.request.case.id] for o in remaining[index + 1:]), reverse=True)[:slots_left]
        if total + units[h.request.case.id] + sum(rest) >= excess:
            chosen.append(h)
            total += units[h.request.case.id]
    return chosen if len(chosen) == size and total >= excess else None


def _place_some(planner: Planner, desk, mine: list[Held], units, excess: int, needed: int, over_ids: set[str]):
    """Choose and place the fewest cases that fix `desk`; None if no such placement is found."""
    blocked: set[str] = set()
    for size in range(needed, len(mine) + 1):
        while True:
            pool = [h for h in mine if h.request.case.id not in blocked]
            chosen = _choose_set(pool, units, excess, size)
            if chosen is None:
                break
            placed = _try_place(planner, desk, chosen, units, over_ids)
            if isinstance(placed, list):
                return placed
            blocked.add(placed)  # this case has nowhere to go: choose without it
    return None


def _try_place(planner: Planner, desk, chosen: list[Held], units, over_ids: set[str]):
    """Place the chosen cases (heaviest first); on failure undo and return the case that found no room."""
    done = []
    for h in sorted(chosen, key=lambda h: (-units[h.request.case.id], h.request.case.id)):
        case = h.request.case
        size = units[case.id]
        options = [
            t for t in planner.desks.values()
            if t.id != desk.id and t.id not in over_ids and planner.failed_rule(t, case) is None
            and planner.stays_safe(t, size)
        ]
        if not options:
            for target, moved in done:
                target.load -= moved
                target.cases -= 1
                desk.load += moved
                desk.cases += 1
            return case.id
        target = min(options, key=lambda t: planner.rank(t, case, size))
        target.load += size
        target.cases += 1
        desk.load -= size
        desk.cases -= 1
        done.append((target, size))
    return [
        (h, target.id, planner.pct_text(target, 0))
        for h, (target, _) in zip(sorted(chosen, key=lambda h: (-units[h.request.case.id], h.request.case.id)), done)
    ]


def _short_reason(planner: Planner, excess: int, mine: list[Held]) -> str:
    points = fmt(Fraction(excess, planner.scale))
    if not mine:
        return f"needs {points} points moved but holds no case that can move (cases under cover stay)"
    return f"needs {points} points moved, more than all of their movable cases weigh"
