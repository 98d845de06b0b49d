"""Who may take a case, who should, and a whole batch placed well (DESIGN §4).

A worker **qualifies** for a case when, in this order (the first rule that fails
is the one `--explain` names): they are active (not leaving, not left); they take
automatic allocations; they are not absent on the day; they have every skill the
case needs; they speak its language; they are below their count cap; and, when
`allocation.area` is `require`, they work in the case's area.

Among the qualified, the planner prefers:
1. nobody pushed into amber or red while a qualified worker would stay at or below
   100 % (blue or green);
2. the requested worker, then the previous worker (continuity), if they stay <= 100 %;
3. the lowest load % after the case, less `area_bonus` points for an area match when
   `allocation.area` is `prefer`;
4. on a tie, fewer cases received in the recent window, then the worker id.

Batches are planned by `caseload.domain.batch` on top of this module's choice.

Arithmetic: every zone decision (<= 100 %, amber, red) is exact, on integers scaled
from the Fractions; ranking by load % uses the correctly rounded float of the same
exact ratio, which is fast and deterministic.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Iterable, Sequence

from caseload.domain.figures import fmt, pct_text
from caseload.domain.load import load_pct, zone
from caseload.domain.model import AllocationRules, Case, LoadRules, Worker

RISK_ORDER = {"high": 0, "medium": 1, "low": 2}
INFINITE = float("inf")


@dataclass(frozen=True)
class Candidate:
    """A worker as the planner sees them on the day."""

    worker: Worker
    load: Fraction
    capacity: Fraction
    cases: int
    cap: int | None = None
    absent_until: object = None  # a date when absent on the day, else None
    recent: int = 0  # cases received in the recent window


@dataclass(frozen=True)
class Request:
    """A case to place, with the weight it will carry once held."""

    case: Case
    weight: Fraction
    previous: str | None = None  # the worker who held it (or the client's last case) before


@dataclass(frozen=True)
class CandidateView:
    """One line of `--explain`: a candidate's standing for one case."""

    worker: str
    qualified: bool
    failed_rule: str | None
    pct_before: Fraction | None
    pct_after: Fraction | None
    zone_after: str


@dataclass(frozen=True)
class Placement:
    case: str
    worker: str | None  # None: stays waiting
    previous_holder: str | None
    reason: str
    candidates: tuple[CandidateView, ...] = ()
    continuity: bool = False  # placed by request or continuity: a batch's improvement leaves it put


@dataclass
class Desk:
    """A candidate's running state during planning, in scaled integers."""

    candidate: Candidate
    load: int
    capacity: int
    cases: int
    recent: int
    received: list[str] = field(default_factory=list)
    id: str = ""
    area: str | None = None
    safe_limit: int = 0  # the most load that is still at or below 100 % (exact)
    red_limit: int = 0  # the most load that is still below red (exact)

    def pct_with(self, extra: int) -> float:
        if self.capacity == 0:
            return 0.0 if self.load + extra == 0 else INFINITE
        return (self.load + extra) * 100 / self.capacity


class Planner:
    """Places cases on a team; pure: candidates and requests in, placements out."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        load_rules: LoadRules,
        allocation: AllocationRules,
        explain: bool = False,
    ):
        self.rules = load_rules
        self.allocation = allocation
        self.explain = explain
        numbers = [c.load for c in candidates] + [c.capacity for c in candidates]
        numbers += list(load_rules.tiers.values()) + list(load_rules.status_factors.values())
        self.scale = math.lcm(*(n.denominator for n in numbers), 1)
        # tier x factor products may need the product of denominators
        for tier in load_rules.tiers.values():
            for factor in load_rules.status_factors.values():
                self.scale = math.lcm(self.scale, (tier * factor).denominator)
        self.desks = {
            c.worker.id: Desk(c, self._int(c.load), self._int(c.capacity), c.cases, c.recent, id=c.worker.id,
                               area=c.worker.area)
            for c in candidates
        }
        self.order = sorted(self.desks)
        self._static: dict[tuple, tuple[list[Desk], frozenset[str]]] = {}
        self._set_limits()
        self.bonus = float(allocation.area_bonus) if allocation.area == "prefer" else 0.0

    def _set_limits(self) -> None:
        """Each desk's exact load limits, as integers, so the rules compare without fractions."""
        safe, red = self.rules.zones.amber_above, self.rules.zones.red_from
        for desk in self.desks.values():
            # load * 100 * den <= num * capacity  <=>  load <= floor(num * capacity / (100 * den))
            desk.safe_limit = (safe.numerator * desk.capacity) // (100 * safe.denominator)
            # load * 100 * den < num * capacity  <=>  load <= ceil(num * capacity / (100 * den)) - 1
            desk.red_limit = -((-red.numerator * desk.capacity) // (100 * red.denominator)) - 1

    def _int(self, value: Fraction) -> int:
        return (value * self.scale).numerator  # the scale covers every starting load and capacity

    def weight_units(self, weight: Fraction) -> int:
        """A weight in the planner's integer units (the scale widens if a weight needs it)."""
        scaled = weight * self.scale
        if scaled.denominator != 1:
            factor = scaled.denominator
            self.scale *= factor
            for desk in self.desks.values():
                desk.load *= factor
                desk.capacity *= factor
            self._set_limits()
            scaled = weight * self.scale
        return scaled.numerator

    # -- the rules ---------------------------------------------------------

    def failed_rule(self, desk: Desk, case: Case, count_cap: bool = True) -> str | None:
        """The first qualification rule this worker fails for this case, or None.

        With `count_cap=False` the count cap is not looked at (the rules that depend
        on the case alone, which `static_fit` caches)."""
        w = desk.candidate.worker
        if w.status != "active":
            return "has left" if w.status == "left" else f"is leaving on {w.leaving_on}"
        if not w.auto:
            return "takes no automatic allocations"
        if desk.candidate.absent_until is not None:
            return f"is absent until {desk.candidate.absent_until}"
        missing = [skill for skill in case.needs if skill not in w.skills]
        if missing:
            return f"lacks {', '.join(missing)}"
        if case.language and case.language not in w.languages:
            return f"does not speak {case.language}"
        cap = desk.candidate.cap
        if count_cap and cap is not None and desk.cases >= cap:
            return f"is at the cap ({cap} cases)"
        if self.allocation.area == "require" and case.area and w.area != case.area:
            return f"works in {w.area or 'no area'}, not {case.area}"
        return None

    def static_fit(self, case: Case) -> tuple[list[Desk], frozenset[str]]:
        """The workers who pass every rule but the count cap for cases like this one (cached by
        needs, language and area, which is all those rules look at)."""
        key = (case.needs, case.language, case.area if self.allocation.area == "require" else None)
        found = self._static.get(key)
        if found is None:
            desks = [self.desks[w] for w in self.order if self.failed_rule(self.desks[w], case, count_cap=False) is None]
            found = (desks, frozenset(d.id for d in desks))
            self._static[key] = found
        return found

    def under_cap(self, desk: Desk) -> bool:
        cap = desk.candidate.cap
        return cap is None or desk.cases < cap

    @staticmethod
    def stays_safe(desk: Desk, extra: int) -> bool:
        """Exactly: at or below 100 % (blue or green) with `extra` more load."""
        return desk.load + extra <= desk.safe_limit

    @staticmethod
    def below_red(desk: Desk, extra: int) -> bool:
        """Exactly: below the red threshold with `extra` more load."""
        return desk.load + extra <= desk.red_limit if desk.capacity else desk.load + extra == 0

    @staticmethod
    def area_match(desk: Desk, case: Case) -> bool:
        return bool(case.area) and desk.area == case.area

    def rank(self, desk: Desk, case: Case, units: int) -> tuple:
        """Rules 3 and 4: load % after (less the area bonus), then recent allocations, then id."""
        return self.ranking(case, units)(desk)

    def ranking(self, case: Case, units: int):
        """`rank` as a key function for one case (the hot loop of a batch, kept lean)."""
        bonus, area = self.bonus, case.area

        def key(d: Desk) -> tuple:
            if d.capacity:
                pct = (d.load + units) * 100 / d.capacity
            else:
                pct = 0.0 if d.load + units == 0 else INFINITE
            if bonus and area and d.area == area:
                pct -= bonus
            return (pct, d.recent, d.id)

        return key

    # -- one case ----------------------------------------------------------

    def choose(self, request: Request, exclude: Iterable[str] = ()) -> Placement:
        """Pick the worker for one case against the current loads, and say why."""
        case = request.case
        units = self.weight_units(request.weight)
        excluded = set(exclude)
        fitting, _ids = self.static_fit(case)
        qualified = [d for d in fitting if d.id not in excluded and self.under_cap(d)]
        failures = self._failures(case, excluded) if (self.explain or not qualified) else {}
        views = self._views(units, failures) if self.explain else ()
        if not qualified:
            return Placement(case.id, None, case.worker, self.nobody_reason(case, failures, excluded), views)
        safe = [d for d in qualified if d.load + units <= d.safe_limit]
        for preferred, label in ((case.requested_worker, "the requested worker"),
                                 (request.previous, "the previous worker (continuity)")):
            if preferred is not None and any(d.id == preferred for d in safe):
                desk = self.desks[preferred]
                reason = f"{label}, stays at {self.pct_text(desk, units)}"
                return replace(self._place(request, desk, units, reason, views), continuity=True)
        pool = safe or [d for d in qualified if self.below_red(d, units)] or qualified
        ranked = heapq.nsmallest(2, pool, key=self.ranking(case, units))
        chosen = ranked[0]
        reason = self._why(case, units, chosen, ranked, safe_exists=bool(safe), qualified=qualified, request=request)
        return self._place(request, chosen, units, reason, views)

    def _failures(self, case: Case, excluded: set[str]) -> dict[str, str]:
        """Each worker who does not qualify, with the first rule they fail."""
        failures = {}
        for worker_id in self.order:
            if worker_id in excluded:
                failures[worker_id] = "is the worker the case is leaving"
                continue
            failed = self.failed_rule(self.desks[worker_id], case)
            if failed is not None:
                failures[worker_id] = failed
        return failures

    def _place(self, request: Request, desk: Desk, units: int, reason: str, views) -> Placement:
        desk.load += units
        desk.cases += 1
        desk.recent += 1
        desk.received.append(request.case.id)
        return Placement(request.case.id, desk.id, request.case.worker, reason, views)

    def pct_text(self, desk: Desk, units: int) -> str:
        pct = self._exact_pct(desk, units)
        return "n/a (capacity 0)" if pct is None else pct_text(pct)

    def _exact_pct(self, desk: Desk, units: int) -> Fraction | None:
        return load_pct(Fraction(desk.load + units), Fraction(desk.capacity))

    def _why(self, case, units, chosen, ranked, safe_exists, qualified, request) -> str:
        parts = []
        if not safe_exists:
            red_note = "" if self.below_red(chosen, units) else ", most into red"
            parts.append(f"everyone qualified would go above 100%{red_note}")
        for preferred, label in ((case.requested_worker, "requested worker"), (request.previous, "previous worker")):
            if preferred is not None and preferred != chosen.id:
                desk = self.desks.get(preferred)
                if desk is None or desk not in qualified:
                    parts.append(f"{label} {preferred} does not qualify")
                else:
                    parts.append(f"{label} {preferred} would go to {self.pct_text(desk, units)}")
        after = self.pct_text(chosen, units)
        bonus_note = (f", counted {fmt(self.allocation.area_bonus)} points lower for working in {case.area}"
                      if self.bonus and self.area_match(chosen, case) else "")
        if len(ranked) == 1:
            parts.append(f"the only one {'who qualifies' if len(qualified) == 1 else 'staying at or below 100%'}, "
                         f"goes to {after}")
        else:
            runner = ranked[1]
            mine, theirs = self.rank(chosen, case, units), self.rank(runner, case, units)
            if mine[0] < theirs[0]:
                parts.append(f"lowest load after: {after}{bonus_note} (next {runner.id}: "
                             f"{self.pct_text(runner, units)})")
            elif mine[1] < theirs[1]:
                parts.append(f"tied with {runner.id} at {after}; fewer recent allocations ({mine[1]} vs {theirs[1]})")
            else:
                parts.append(f"tied with {runner.id} at {after} and on recent allocations; first by id")
        return "; ".join(parts)

    def _views(self, units: int, failures: dict[str, str]) -> tuple[CandidateView, ...]:
        views = []
        for worker_id in self.order:
            desk = self.desks[worker_id]
            after = self._exact_pct(desk, units)
            views.append(CandidateView(
                worker_id, worker_id not in failures, failures.get(worker_id),
                self._exact_pct(desk, 0), after,
                zone(Fraction(desk.load + units), Fraction(desk.capacity), self.rules.zones),
            ))
        return tuple(views)

    def nobody_reason(self, case: Case, failures: dict[str, str], excluded: set[str]) -> str:
        """Why nobody qualifies, in a team lead's words: "nobody speaks pl",
        "only asha has housing and she is at the cap (20 cases)"."""
        fits, wants = [], []
        for skill in case.needs:
            wants.append(f"has {skill}")
        if case.language:
            wants.append(f"speaks {case.language}")
        if self.allocation.area == "require" and case.area:
            wants.append(f"works in {case.area}")
        for worker_id in self.order:
            if worker_id in excluded:
                continue
            w = self.desks[worker_id].candidate.worker
            if (all(s in w.skills for s in case.needs) and (not case.language or case.language in w.languages)
                    and not (self.allocation.area == "require" and case.area and w.area != case.area)):
                fits.append(worker_id)
        if not self.desks or len(excluded) == len(self.desks):
            return "nobody else is on the team"
        if not fits:
            return "nobody " + " and ".join(wants) if wants else "nobody qualifies"
        described = " and ".join(wants) if wants else "is otherwise free"
        if len(fits) == 1:
            return f"only {fits[0]} {described}, and {fits[0]} {failures[fits[0]]}"
        if len(fits) <= 3:
            return f"only {', '.join(fits)} {described}: " + "; ".join(f"{w} {failures[w]}" for w in fits)
        return f"the {len(fits)} workers who {described} are all unavailable (" + "; ".join(
            f"{w} {failures[w]}" for w in fits[:3]) + "; …)"

    # -- by hand -----------------------------------------------------------

    def take(self, worker_id: str, requests: Sequence[Request]) -> list[str]:
        """Put these cases on `worker_id` (by hand: the lead's judgement stands, nothing is
        refused), and return the warnings a lead should read: each case the worker does
        not qualify for, naming the rule, and the zone if they end above 100 %."""
        desk = self.desks[worker_id]
        warnings = []
        for request in requests:
            failed = self.failed_rule(desk, request.case)
            if failed is not None:
                warnings.append(f"{worker_id} does not qualify for {request.case.id}: {worker_id} {failed}")
            desk.load += self.weight_units(request.weight)
            desk.cases += 1
        if not self.stays_safe(desk, 0):
            z = zone(self.load_of(worker_id), self.capacity_of(worker_id), self.rules.zones)
            warnings.append(f"{worker_id} goes to {self.pct_text(desk, 0)} ({z.upper()}) with this")
        return warnings

    # -- a batch -----------------------------------------------------------

    def plan_batch(self, requests: Sequence[Request], exclude: Iterable[str] = ()) -> list[Placement]:
        """Place a batch (see `caseload.domain.batch`): the placements, in the order given."""
        from caseload.domain.batch import Batch

        return Batch(self, requests, exclude).plan()

    # -- results -----------------------------------------------------------

    def loads(self) -> dict[str, tuple[Fraction, Fraction]]:
        """Every worker's (load, capacity) in points, as planned so far: take it before
        planning to show "before and after"."""
        return {w: (self.load_of(w), self.capacity_of(w)) for w in self.desks}

    def load_of(self, worker_id: str) -> Fraction:
        """A worker's load as planned so far, in points."""
        return Fraction(self.desks[worker_id].load, self.scale)

    def capacity_of(self, worker_id: str) -> Fraction:
        return Fraction(self.desks[worker_id].capacity, self.scale)
