"""Who may take a case, who should, and a whole batch placed well (DESIGN §4).

A worker **qualifies** for a case when they pass every qualification rule of
`caseload.domain.rules.RULES`, in this order (the first rule that fails is the one
`--explain` names): they are active (not leaving, not left); they take automatic
allocations; they are not absent on the day; they have started (a new starter qualifies
from their first day); they have every skill the case needs; they speak its language;
they are below their count cap; and, when `allocation.area` is `require`, they work in
the case's area. The planner caches who passes the fixed rules under the case fields
those rules name, and asks the rules that follow the plan (the count cap) afresh.

Among the qualified, the planner prefers:
1. nobody pushed into amber or red while a qualified worker would stay at or below
   100 % (blue or green); if everyone would go over, amber before red;
2. the requested worker, then the previous worker (continuity), if they stay <= 100 %;
3. the lowest load % after the case, less `area_bonus` points for an area match when
   `allocation.area` is `prefer`;
4. on a tie, fewer cases received in the recent window, then the worker id.
`Planner.ranked` is that order in full (what `--explain` lists); `Planner.choose` takes
its first place, unless `allocation.max_zone` says the case waits rather than push its
first place into amber or red (green: nobody above 100 %; amber: nobody into red).

By hand (`Planner.take`) nothing is refused: the lead reads a warning naming every
rule the worker fails for each case (`failed_rules`, the same list) and the zone they end in.

Batches are planned by `caseload.domain.batch` on top of this module's choice; the
sentences that explain a choice are `caseload.domain.explain`'s (a base class of Planner);
the values they share (`Candidate`, `Request`, `Placement`, `Desk`) are
`caseload.domain.placing`'s, importable from here too.

Arithmetic: every decision is exact. Zone decisions (<= 100 %, amber, red) compare
integers scaled from the Fractions; the ranking compares the exact rational load %
less the bonus (`Exact`, by integer cross-multiplication), after its correctly rounded
float, which decides alone whenever two floats differ (rounding is monotonic, so a
float order never contradicts the exact one) and keeps the hot loop fast.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import replace
from datetime import date
from fractions import Fraction
from typing import Iterable, Sequence

from caseload.domain.batch import Batch
from caseload.domain.explain import Explanations
from caseload.domain.figures import pct_text
from caseload.domain.load import load_pct, zone
from caseload.domain.model import AllocationRules, Case, LoadRules
from caseload.domain.placing import AMBER, INFINITE, RED, SAFE, Candidate, Desk, Exact, Placement, Request
from caseload.domain.rules import RULES, Qualification, Rule, and_list

TIER_OF_MAX_ZONE = {"green": SAFE, "amber": AMBER, "red": RED}


class Planner(Explanations):
    """Places cases on a team; pure: candidates and requests in, placements out."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        load_rules: LoadRules,
        allocation: AllocationRules,
        explain: bool = False,
        qualification_rules: Sequence[Rule] = RULES,
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
        self.qualification = Qualification(qualification_rules, allocation)
        self._static: dict[object, tuple[list[Desk], frozenset[str]]] = {}
        self._set_limits()
        self.bonus = Fraction(allocation.area_bonus) if allocation.area == "prefer" else Fraction(0)
        self.max_tier = TIER_OF_MAX_ZONE[allocation.max_zone]

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

    def failed_rule(self, desk: Desk, case: Case, live: bool = True) -> str | None:
        """The first qualification rule this worker (one of the planner's desks) fails for this
        case, or None (what `--explain` names); with `live=False` only the fixed rules."""
        rules = self.qualification
        if desk.id not in self.static_fit(case)[1]:
            return next(rules.unmet(desk, case, rules.all if live else rules.fixed), None)
        if live:  # passes every fixed rule (cached): only the live ones are left to ask
            for rule in rules.live:
                failed = rule.fails(desk, case)
                if failed is not None:
                    return failed
        return None

    def failed_rules(self, desk: Desk, case: Case, by_hand: bool = False) -> list[str]:
        """Every qualification rule this worker fails for this case (`failed_rule` is the first);
        `by_hand` as `take` reads them (taking no automatic allocations is no failing, and the
        cap reads as where the worker would be with the case)."""
        return list(self.qualification.unmet(desk, case, self.qualification.all, by_hand))

    def static_fit(self, case: Case) -> tuple[list[Desk], frozenset[str]]:
        """The workers who pass every fixed rule for cases like this one: cached under the case
        fields those rules read, which is all that tells such cases apart (`domain.rules`)."""
        key = self.qualification.key(case)
        found = self._static.get(key)
        if found is None:
            unmet, fixed = self.qualification.unmet, self.qualification.fixed
            desks = [self.desks[w] for w in self.order if next(unmet(self.desks[w], case, fixed), None) is None]
            found = (desks, frozenset(d.id for d in desks))
            self._static[key] = found
        return found

    @staticmethod
    def stays_safe(desk: Desk, extra: int) -> bool:
        """Exactly: at or below 100 % (blue or green) with `extra` more load."""
        return desk.load + extra <= desk.safe_limit

    def area_match(self, desk: Desk, case: Case) -> bool:
        """The area bonus applies: `allocation.area: prefer`, and the worker works in the case's area."""
        return bool(self.bonus) and bool(case.area) and desk.area == case.area

    def rank(self, desk: Desk, case: Case, units: int) -> tuple:
        """Rules 3 and 4: load % after (less the area bonus), then recent allocations, then id."""
        return self.ranking(case, units)(desk)

    def ranking(self, case: Case, units: int):
        """Rules 3 and 4 as a key function for one case (the hot loop of a batch, kept lean):
        (float, exact) load % after less the area bonus, recent allocations, id. The float
        is the exact value correctly rounded, so it orders as the exact value does, except
        that two different values may round alike: then `Exact` decides."""
        bn, bd, area = self.bonus.numerator, self.bonus.denominator, case.area

        def key(d: Desk) -> tuple:
            total = d.load + units
            bonus = bn and area and d.area == area
            if d.capacity:
                if bonus:
                    n, den = total * 100 * bd - bn * d.capacity, d.capacity * bd
                else:
                    n, den = total * 100, d.capacity
                return (n / den, Exact(n, den), d.recent, d.id)
            if total:
                return (INFINITE, Exact(1, 0), d.recent, d.id)
            n, den = (-bn, bd) if bonus else (0, 1)
            return (n / den, Exact(n, den), d.recent, d.id)

        return key

    def standing(self, case: Case, units: int):
        """Rules 1, 3 and 4 as a key function for one case: the zone tier after (at or below
        100 %, amber, red), then `ranking`. The smallest is the single-case rules' choice
        when no requested or previous worker stays at or below 100 %."""
        rank = self.ranking(case, units)

        def key(d: Desk) -> tuple:
            return (d.tier_with(units), *rank(d))

        return key

    def _rough_standing(self, case: Case, units: int):
        """`standing` without its `Exact` part: (tier, float, recent, id). It orders as
        `standing` does except among workers whose floats are equal (see `first_two`)."""
        bn, bd, area = self.bonus.numerator, self.bonus.denominator, case.area

        def key(d: Desk) -> tuple:
            total = d.load + units
            capacity = d.capacity
            if total <= d.safe_limit:
                tier = SAFE
            elif (total <= d.red_limit) if capacity else total == 0:
                tier = AMBER
            else:
                tier = RED
            bonus = bn and area and d.area == area
            if capacity:
                pct = (total * 100 * bd - bn * capacity) / (capacity * bd) if bonus else total * 100 / capacity
            else:
                pct = INFINITE if total else (-bn / bd if bonus else 0.0)
            return (tier, pct, d.recent, d.id)

        return key

    def first_two(self, desks: Sequence[Desk], case: Case, units: int) -> list[Desk]:
        """The first two of `desks` by `standing`, exactly, at the cost of floats: the rough
        key finds them, then every worker whose (tier, float) equals theirs is ranked again
        exactly (a float never orders two values against their exact order, but two
        different values may round to one float)."""
        rough = self._rough_standing(case, units)
        keyed = [(rough(d), d) for d in desks]
        top = heapq.nsmallest(2, keyed)  # keys end with the unique id: desks are never compared
        exact = self.standing(case, units)
        found: list[Desk] = []
        for key, _desk in top:
            tier, pct = key[0], key[1]
            tied = [d for k, d in keyed if k[1] == pct and k[0] == tier and all(d is not f for f in found)]
            found.extend(sorted(tied, key=exact)[:2 - len(found)])
            if len(found) == 2:
                break
        return found

    def allowed_move(self, case: Case, source: Desk, target: Desk, units: int, source_extra: int = 0,
                     target_extra: int = 0) -> bool:
        """Whether a batch's clean-up may move `case` (of `units`) from `source`, who holds it,
        to `target`: always, unless the source works in the case's area with the bonus (an
        area choice); then only to a worker the single-case rules (1, 3, 4) rank higher, each
        side with its load after the change (`*_extra`: other load moving at the same time,
        as in a swap)."""
        if not self.area_match(source, case):
            return True
        # rule 4 counts each side's recent allocations without the cases moving: the source's
        # count holds this case, and in a swap the target's holds the case it gives back
        tier, pct, exact, recent, wid = self.standing(case, source_extra)(source)
        mine = (tier, pct, exact, recent - 1, wid)
        tier, pct, exact, recent, wid = self.standing(case, units + target_extra)(target)
        theirs = (tier, pct, exact, recent - 1 if target_extra < 0 else recent, wid)
        return theirs < mine

    # -- one case ----------------------------------------------------------

    def _preferred(self, request: Request, qualified: Sequence[Desk], units: int) -> tuple[Desk, str] | None:
        """Rule 2: the requested worker, then the previous worker, when they qualify and stay <= 100 %."""
        for preferred, label in ((request.case.requested_worker, "the requested worker"),
                                 (request.previous, "the previous worker (continuity)")):
            if preferred is not None:
                desk = self.desks.get(preferred)
                if desk is not None and any(d is desk for d in qualified) and self.stays_safe(desk, units):
                    return desk, label
        return None

    def _qualified(self, case: Case, excluded: set[str]) -> list[Desk]:
        fitting, _ids = self.static_fit(case)
        desks = [d for d in fitting if d.id not in excluded] if excluded else list(fitting)  # never the cached list
        for rule in self.qualification.live:
            desks = rule.keep(desks, case)
        return desks

    def ranked(self, request: Request, exclude: Iterable[str] = ()) -> list[str]:
        """The qualified workers for one case in the order of the single-case rules (rules 1 to
        4, as `--explain` lists them): the first place is `choose`'s choice, unless
        `allocation.max_zone` keeps the case waiting."""
        units = self.weight_units(request.weight)
        return [d.id for d in self._ranked(request, self._qualified(request.case, set(exclude)), units)]

    def _ranked(self, request: Request, qualified: list[Desk], units: int) -> list[Desk]:
        standing = self.standing(request.case, units)
        order = sorted(qualified, key=standing)
        first = self._preferred(request, qualified, units)
        if first is not None:
            order.remove(first[0])
            order.insert(0, first[0])
            other = request.previous if first[0].id == request.case.requested_worker else None
            second = self.desks.get(other) if other is not None else None
            if second is not None and any(d is second for d in order[1:]) and self.stays_safe(second, units):
                order.remove(second)
                order.insert(1, second)
        return order

    def choose(self, request: Request, exclude: Iterable[str] = ()) -> Placement:
        """Pick the worker for one case against the current loads, and say why."""
        case = request.case
        units = self.weight_units(request.weight)
        excluded = set(exclude)
        qualified = self._qualified(case, excluded)
        failures = self._failures(case, excluded) if (self.explain or not qualified) else {}
        if not qualified:
            views = self._views(units, failures, []) if self.explain else ()
            return Placement(case.id, None, case.worker, self.nobody_reason(case, failures, excluded), views)
        if self.explain:
            order = self._ranked(request, qualified, units)
            views = self._views(units, failures, order)
        else:
            views = ()
        preferred = self._preferred(request, qualified, units)
        if preferred is not None:
            desk, label = preferred
            reason = f"{label}, stays at {self.pct_text(desk, units)}"
            return replace(self._place(request, desk, units, reason, views), continuity=True)
        ranked = self.first_two(qualified, case, units)
        chosen = ranked[0]
        tier = chosen.tier_with(units)
        if tier > self.max_tier:
            return Placement(case.id, None, case.worker, self._zone_reason(chosen, units, tier), views,
                             over_max_zone=True)
        reason = self._why(case, units, ranked, excluded, request)
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

    # -- by hand -----------------------------------------------------------

    def take(self, worker_id: str, requests: Sequence[Request]) -> list[str]:
        """Put these cases on `worker_id` (by hand: the lead's judgement stands, nothing is
        refused), and return the warnings a lead should read: for the cases the worker does
        not qualify for, every rule they fail (`failed_rules`, by hand: taking no automatic
        allocations is no failing), cases failing the same rules in one line; then the zone
        if they end above 100 %."""
        desk = self.desks[worker_id]
        failing: dict[tuple[str, ...], list[str]] = {}
        for request in requests:
            failed = tuple(self.failed_rules(desk, request.case, by_hand=True))
            if failed:
                failing.setdefault(failed, []).append(request.case.id)
            desk.load += self.weight_units(request.weight)
            desk.cases += 1
        warnings = [f"{worker_id} does not qualify for {', '.join(ids)}: {worker_id} {and_list(rules)}"
                    for rules, ids in failing.items()]
        protected = desk.candidate.protected_until
        if protected is not None and requests:
            until = "with no end set" if protected == date.max else f"until {protected}"
            warnings.append(f"{worker_id} is on a protected caseload {until} (newly qualified: a smaller "
                            f"capacity, so automatic allocation gives them less)")
        if not self.stays_safe(desk, 0):
            z = zone(self.load_of(worker_id), self.capacity_of(worker_id), self.rules.zones)
            if desk.capacity == 0:
                warnings.append(f"{worker_id} has no capacity, so any load is {z.upper()}")
            else:
                warnings.append(f"{worker_id} goes to {self.pct_text(desk, 0)} ({z.upper()}) with this")
        return warnings

    # -- a batch -----------------------------------------------------------

    def plan_batch(self, requests: Sequence[Request], exclude: Iterable[str] = ()) -> list[Placement]:
        """Place a batch (see `caseload.domain.batch`): the placements, in the order given."""
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
