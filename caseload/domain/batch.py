"""A batch of cases placed well (DESIGN §4): `assign --waiting --auto`, `handover --auto`,
`intake --csv --assign auto`.

1. Place high-risk cases first, then heavier cases first, each by the planner's choice
   for one case (`Planner.choose`), updating loads as it goes.
2. Improve: while a move, or a swap of two cases, of this batch's cases away from the
   receiver with the highest load % lowers that highest load %, make it. A case placed
   by request or continuity stays put, and a case on a worker in its area (an area
   choice: the bonus counts for them) moves only to a worker the single-case rules rank
   higher (`Planner.allowed_move`): the clean-up never undoes a choice of those rules
   for someone they rank lower. A batch of one case is placed exactly as
   `Planner.choose` places it (everyone else ranks lower, and without an area bonus a
   lower load % after is a higher rank).
3. Repair rule 1 for the final plan: no case is left on a worker above 100 % while a
   qualified worker could take it and stay at or below 100 % (rule 1 outranks
   continuity, so such a case moves too, but last).
4. Moves can free a place under someone's count cap: try the waiting cases again, and
   repeat from 2 until nothing changes. A case still waiting gives the reason of its
   last try (nobody qualifies, or `allocation.max_zone`), true of the final plan.

Each accepted step replaces two load %s by values both below the larger of the two
old ones, so the sorted vector of load %s falls at every step and the loop ends. Every
comparison of load %s is exact (a float first, `Exact` when two floats are equal). A
moved case's reason says where it went first and why it moved.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from caseload.domain.model import RISK_ORDER
from caseload.domain.explain import said_at_its_turn
from caseload.domain.placing import Desk, Placement, Request


# A batch of up to this many cases has each reason weighed again against the plan it ends
# with (`Planner.reason_in_plan`): a reason given at a case's turn can cite loads later
# cases changed. A bigger one (a whole caseload moving in) keeps each reason of its turn,
# said to be that: weighing every case again doubles its planning time (a 2,000-case batch
# on 400 workers: 0.39 s to 0.78 s), past DESIGN §8's "well under a second".
WEIGHED_AGAIN = 500


class Batch:
    """One batch's plan, made with a `domain.allocate.Planner` (its choice for one case, its
    rules and its desks); the planner imports this module, not the other way round."""

    def __init__(self, planner, requests: Sequence[Request], exclude: Iterable[str] = ()):
        self.planner = planner
        self.requests = list(requests)
        self.excluded = set(exclude)
        for request in self.requests:  # settle the integer scale before caching any weight in it
            planner.weight_units(request.weight)
        self.by_id = {r.case.id: r for r in self.requests}
        self.units = {r.case.id: planner.weight_units(r.weight) for r in self.requests}
        self.holders: dict[str, str] = {}
        self.pinned: set[str] = set()  # placed by request or continuity
        self.notes: dict[str, list[str]] = {}

    def plan(self) -> list[Placement]:
        planner = self.planner
        ordered = sorted(self.requests, key=lambda r: (RISK_ORDER.get(r.case.risk, 1), -r.weight, r.case.id))
        placements: dict[str, Placement] = {}
        for request in ordered:
            placements[request.case.id] = placement = planner.choose(request, self.excluded)
            if placement.continuity:
                self.pinned.add(request.case.id)
        self.holders = {p.case: p.worker for p in placements.values() if p.worker is not None}
        while True:
            while self.improve() | self.repair():
                pass
            retried = False
            for request in ordered:
                if placements[request.case.id].worker is None:
                    again = planner.choose(request, self.excluded)
                    placements[request.case.id] = again  # placed, or waiting for the reason that holds now
                    if again.worker is not None:
                        self.holders[request.case.id] = again.worker
                        if again.continuity:
                            self.pinned.add(request.case.id)
                        retried = True
            if not retried:
                break
        result = []
        for request in self.requests:
            p = placements[request.case.id]
            if p.case in self.holders and self.holders[p.case] != p.worker:  # moved by the clean-up
                p = replace(p, worker=self.holders[p.case], reason=p.reason + "; " + "; ".join(self.notes[p.case]))
            if p.worker is not None and 1 < len(self.requests) <= WEIGHED_AGAIN:  # true of the final plan
                p = replace(p, reason=planner.reason_in_plan(request, p.worker, self.excluded, p.reason))
            elif p.worker is not None and len(self.requests) > WEIGHED_AGAIN:
                p = replace(p, reason=said_at_its_turn(p.reason))
            result.append(p)
        return result

    # -- steps -------------------------------------------------------------

    def move(self, case_id: str, source: Desk, target: Desk) -> None:
        units = self.units[case_id]
        source.load -= units
        source.cases -= 1
        source.received.remove(case_id)
        target.load += units
        target.cases += 1
        target.received.append(case_id)
        self.holders[case_id] = target.id

    def note(self, case_id: str, text: str) -> None:
        self.notes.setdefault(case_id, []).append(text)

    def movable(self, desk: Desk) -> list[str]:
        return sorted(c for c in desk.received if c not in self.pinned)

    def can_take(self, desk: Desk, case_id: str, swap: bool = False) -> bool:
        """Qualifies for the case (the planner's rules); in a `swap`, which keeps every count,
        a worker at the count cap may take it (`Qualification.passes_live`)."""
        case = self.by_id[case_id].case
        return (desk.id not in self.excluded and desk.id in self.planner.static_fit(case)[1]
                and self.planner.qualification.passes_live(desk, case, swap))

    def improve(self) -> bool:
        """Move or swap batch cases off the highest-load receiver while that peak falls."""
        changed = False
        while True:
            receivers = [d for d in self.planner.desks.values() if d.received]
            if not receivers:
                return changed
            peak = max(receivers, key=lambda d: (*_pct(d, 0), d.id))
            top = _pct(peak, 0)
            best = self.best_move(peak, top) or self.best_swap(peak, top)
            if best is None:
                return changed
            changed = True
            action = best[1]
            before = self.planner.pct_text(peak, 0)
            if action[0] == "move":
                _, case_id, target = action
                self.move(case_id, peak, target)
                self.note(case_id, f"then moved from {peak.id} to {target.id} to lower the highest load "
                                   f"({before} -> {self.higher(peak, target)})")
            else:
                _, mine, theirs, other = action
                self.move(mine, peak, other)
                self.move(theirs, other, peak)
                lowered = f"({before} -> {self.higher(peak, other)})"
                for case_id, source, target in ((mine, peak, other), (theirs, other, peak)):
                    self.note(case_id, f"then swapped from {source.id} to {target.id} to lower the highest "
                                       f"load {lowered}")

    def higher(self, one: Desk, other: Desk) -> str:
        """The higher load % of two workers, in words."""
        return self.planner.pct_text(max(one, other, key=lambda d: _pct(d, 0)), 0)

    def best_move(self, peak: Desk, top: tuple):
        best = None
        planner = self.planner
        for case_id in self.movable(peak):
            units = self.units[case_id]
            case = self.by_id[case_id].case
            peak_after = peak.pct_with(-units)
            peak_exact = None
            for target in planner.static_fit(case)[0]:
                if target is peak or not self.can_take(target, case_id):
                    continue
                rough = max(peak_after, target.pct_with(units))
                if rough > top[0] or (best is not None and rough > best[0][0][0]):
                    continue
                if peak_exact is None:
                    peak_exact = (peak_after, peak.exact_with(-units))
                after = max(peak_exact, _pct(target, units))
                if not after < top:
                    continue
                key = (after, case_id, target.id)
                if (best is None or key < best[0]) and self.allowed(case_id, peak, target):
                    best = (key, ("move", case_id, target))
        return best

    def best_swap(self, peak: Desk, top: tuple):
        best = None
        planner = self.planner
        for mine in self.movable(peak):
            mine_units = self.units[mine]
            for other in planner.desks.values():
                if other is peak or not other.received or not self.can_take(other, mine, swap=True):
                    continue
                for theirs in self.movable(other):
                    theirs_units = self.units[theirs]
                    if theirs_units >= mine_units or not self.can_take(peak, theirs, swap=True):
                        continue
                    shift = theirs_units - mine_units
                    rough = max(peak.pct_with(shift), other.pct_with(-shift))
                    if rough > top[0] or (best is not None and rough > best[0][0][0]):
                        continue
                    after = max(_pct(peak, shift), _pct(other, -shift))
                    if not after < top:
                        continue
                    key = (after, mine, theirs)
                    if (best is None or key < best[0]) and self.swap_allowed(mine, theirs, peak, other):
                        best = (key, ("swap", mine, theirs, other))
        return best

    def allowed(self, case_id: str, source: Desk, target: Desk, target_extra: int = 0) -> bool:
        """An area choice moves only to a worker the single-case rules rank higher."""
        return self.planner.allowed_move(
            self.by_id[case_id].case, source, target, self.units[case_id], 0, target_extra)

    def swap_allowed(self, mine: str, theirs: str, peak: Desk, other: Desk) -> bool:
        """Neither case of a swap leaves an area choice for a worker the single-case rules rank lower."""
        return (self.allowed(mine, peak, other, -self.units[theirs])
                and self.allowed(theirs, other, peak, -self.units[mine]))

    def repair(self) -> bool:
        """Rule 1 for the final plan (see the module's docstring, step 3)."""
        planner = self.planner
        repaired = False
        changed = True
        while changed:
            changed = False
            largest_room = max((d.safe_limit - d.load for d in planner.desks.values()), default=0)
            for desk in sorted(planner.desks.values(), key=lambda d: d.id):
                for case_id in sorted(desk.received, key=lambda c: (c in self.pinned, c)):
                    if planner.stays_safe(desk, 0):
                        break
                    units = self.units[case_id]
                    if units > largest_room:
                        continue
                    case = self.by_id[case_id].case
                    options = [t for t in planner.static_fit(case)[0]
                               if t is not desk and self.can_take(t, case_id) and planner.stays_safe(t, units)]
                    if options:  # rule 1 outranks the area bonus: any of them ranks above this worker
                        target = min(options, key=planner.ranking(case, units))
                        self.move(case_id, desk, target)
                        self.note(case_id, f"then moved from {desk.id} to {target.id}, who stays at or below 100%")
                        changed = repaired = True
                        largest_room = max(d.safe_limit - d.load for d in planner.desks.values())
        return repaired


def _pct(desk: Desk, extra: int) -> tuple:
    """A desk's load % with `extra` more load, as an exact sort key (float, then `Exact`)."""
    return (desk.pct_with(extra), desk.exact_with(extra))
