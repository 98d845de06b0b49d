"""Weighted load, capacity, load % and zones (DESIGN §3), in exact arithmetic.

case weight = tiers[tier] x status_factors[status] (waiting and closed weigh 0)
base capacity = the worker's override, else fte x points_per_fte x (1 - admin_allowance)
capacity = base x (1 - min(1, sum of active % reductions)) - active point reductions, >= 0
load % = load / capacity x 100, compared with the zone thresholds exactly.
Capacity 0: load 0 is blue, any load is red.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Iterable

from caseload.domain.errors import CaseloadError
from caseload.domain.figures import fmt, ratio_sum
from caseload.domain.model import LoadRules, OPEN_STATUSES, Reduction, Worker, ZoneThresholds


def case_weight(tier: str, status: str, rules: LoadRules) -> Fraction:
    """The points a case of this tier and status puts on its worker."""
    if status not in OPEN_STATUSES:
        return Fraction(0)
    return tier_weight(tier, rules) * rules.status_factors.get(status, Fraction(1))


def tier_weight(tier: str, rules: LoadRules) -> Fraction:
    """A tier's points, its name matched ignoring case (DESIGN §2): cases stored as `low`
    still weigh after the config re-spells the tier `Low`."""
    try:
        return rules.tiers[tier]
    except KeyError:
        pass
    for name, weight in rules.tiers.items():
        if name.casefold() == tier.casefold():
            return weight
    raise CaseloadError(
        f"tier {tier!r} is used by a case but is not in the config's tiers "
        f"({', '.join(rules.tiers)}): add it back to the config"
    )


def weight_formula(tier: str, status: str, rules: LoadRules) -> tuple[Fraction, str]:
    """A case's weight and the sum behind it, e.g. (3, "high 6 x monitoring 0.5 = 3")."""
    weight = case_weight(tier, status, rules)
    if status not in OPEN_STATUSES:
        return weight, f"{status}: 0"
    factor = rules.status_factors.get(status, Fraction(1))
    if factor == 1:
        return weight, fmt(weight)
    return weight, f"{fmt(tier_weight(tier, rules))} x {fmt(factor)} = {fmt(weight)}"


@dataclass(frozen=True)
class WeightTable:
    """The weight of every configured tier in every open status, worked out once for a
    whole team (a zone review of thousands of workers would otherwise redo it per worker):
    each weight as `points[(tier, status)] / denominator`, one common denominator, so a
    worker's load is a sum of integers and one Fraction, not a Fraction sum per row."""

    points: dict[tuple[str, str], int]
    denominator: int


def weight_table(rules: LoadRules) -> WeightTable:
    """`WeightTable` of these rules: exactly `case_weight` of each tier and open status."""
    weights = {(tier, status): case_weight(tier, status, rules) for tier in rules.tiers for status in OPEN_STATUSES}
    denominator = math.lcm(*(weight.denominator for weight in weights.values())) if weights else 1
    points = {key: weight.numerator * (denominator // weight.denominator) for key, weight in weights.items()}
    return WeightTable(points, denominator)


def load_from_counts(counts: Iterable[tuple[str, str, int]], rules: LoadRules,
                     weights: WeightTable | None = None) -> Fraction:
    """Sum of weights from (tier, status, number of cases) rows, as SQL's GROUP BY gives them.
    `weights` is `weight_table(rules)` when the caller has it; anything not in it (a closed
    case, a tier spelt otherwise than the config's or missing from it) is weighed, or
    refused, by `case_weight`."""
    if weights is None:
        return ratio_sum(_weighed(counts, rules))
    points, total, others = weights.points, 0, []
    for tier, status, n in counts:
        found = points.get((tier, status))
        if found is None:
            others.append((tier, status, n))
        else:
            total += found * n
    load = Fraction(total, weights.denominator)
    return load + ratio_sum(_weighed(others, rules)) if others else load


def _weighed(counts: Iterable[tuple[str, str, int]], rules: LoadRules) -> Iterable[tuple[int, int]]:
    """Each row's weight x count as (numerator, denominator): the exact sum without a
    Fraction (and its gcd) per row (`figures.ratio_sum`)."""
    for tier, status, n in counts:
        weight = case_weight(tier, status, rules)
        yield weight.numerator * n, weight.denominator


def base_capacity(worker: Worker, rules: LoadRules) -> Fraction:
    if worker.capacity is not None:
        return worker.capacity
    fte, points, admin = worker.fte, rules.points_per_fte, rules.admin_allowance
    # keyed on the integers, not the Fractions: a Fraction's hash (pure Python, a modular
    # inverse) cost more than the product it saves, three of them per worker
    key = (fte.numerator, fte.denominator, points.numerator, points.denominator, admin.numerator,
           admin.denominator)
    found = _FTE_CAPACITY.get(key)
    if found is None:
        if len(_FTE_CAPACITY) >= 4096:
            _FTE_CAPACITY.clear()
        found = _FTE_CAPACITY[key] = fte * points * (1 - admin)
    return found


# An FTE's points, worked out once per FTE and config: a team of thousands shares a
# handful of FTEs (Fractions are immutable, so the result can be shared).
_FTE_CAPACITY: dict[tuple[int, int, int, int, int, int], Fraction] = {}


@dataclass(frozen=True)
class CapacityLine:
    """One line of the capacity sum that `worker show` prints."""

    label: str
    points: Fraction  # the signed change this line makes (the base is positive)


@dataclass(frozen=True)
class CapacityBreakdown:
    lines: tuple[CapacityLine, ...]
    value: Fraction


def capacity_breakdown(
    worker: Worker, reductions: Iterable[Reduction], rules: LoadRules, on: date
) -> CapacityBreakdown:
    """The capacity on `on`, as the line-by-line sum a team lead can check by hand.

    Only reductions active on `on` count. Percentage reductions apply to the base
    together (capped at 100 %); point reductions are then taken off; the result is
    never below 0. A new starter has no capacity before their first day (DESIGN §2).
    """
    base = base_capacity(worker, rules)
    if worker.capacity is not None:
        lines = [CapacityLine(f"capacity override {fmt(base)} points", base)]
    else:
        lines = [CapacityLine(
            f"base: fte {fmt(worker.fte)} x {fmt(rules.points_per_fte)} points"
            f" x (1 - admin {fmt(rules.admin_allowance * 100)}%)",
            base,
        )]
    if not worker.started_by(on):
        lines.append(CapacityLine(f"starts on {worker.starts_on}: no capacity before", -base))
        return CapacityBreakdown(tuple(lines), Fraction(0))
    active = [r for r in reductions if r.state(on) == "active"]
    percent = sum((r.amount for r in active if r.kind == "percent"), Fraction(0))
    capped = min(percent, Fraction(100))
    for r in active:
        if r.kind == "percent":
            lines.append(CapacityLine(f"reduction {fmt(r.amount)}% ({r.reason})", -base * r.amount / 100))
    if percent > 100:
        lines.append(CapacityLine("percentage reductions capped at 100%", base * (percent - 100) / 100))
    value = base * (1 - capped / 100)
    for r in active:
        if r.kind == "points":
            lines.append(CapacityLine(f"reduction {fmt(r.amount)} points ({r.reason})", -r.amount))
            value -= r.amount
    if value < 0:
        lines.append(CapacityLine("capacity cannot go below 0", -value))
        value = Fraction(0)
    return CapacityBreakdown(tuple(lines), value)


def capacity_on(worker: Worker, reductions: Iterable[Reduction], rules: LoadRules, on: date) -> Fraction:
    """`capacity_breakdown(...).value` without writing its lines (the zone review needs the
    number for every worker, the lines for none): the same sum, in the same order. A new
    starter has no capacity before their first day, as in the breakdown."""
    if worker.starts_on is not None and worker.starts_on > on:
        return Fraction(0)
    base = base_capacity(worker, rules)
    active = [r for r in reductions if r.state(on) == "active"]
    if not active:
        return base if base.numerator >= 0 else Fraction(0)
    percent = sum((r.amount for r in active if r.kind == "percent"), Fraction(0))
    value = base * (1 - min(percent, Fraction(100)) / 100)
    for r in active:
        if r.kind == "points":
            value -= r.amount
    return value if value >= 0 else Fraction(0)


def load_pct(load: Fraction, capacity: Fraction) -> Fraction | None:
    """Load as a percentage of capacity; None when capacity is 0 (no percentage exists)."""
    if capacity == 0:
        return None
    # load x 100 / capacity made as one Fraction: the same value, one normalisation, not two
    return Fraction(load.numerator * 100 * capacity.denominator, load.denominator * capacity.numerator)


def zone(load: Fraction, capacity: Fraction, thresholds: ZoneThresholds) -> str:
    """The traffic light for this load and capacity, boundaries compared exactly."""
    return zone_at(load_pct(load, capacity), load, thresholds)


def zone_at(pct: Fraction | None, load: Fraction, thresholds: ZoneThresholds) -> str:
    """`zone` from the load % already worked out (`load_pct(load, capacity)`)."""
    if pct is None:
        return "blue" if load == 0 else "red"
    # compared as integers (denominators are positive): exact, and without the Fraction
    # comparisons a review of thousands of workers would make three of per worker
    n, d = pct.numerator, pct.denominator
    bound = thresholds.green_from
    if n * bound.denominator < bound.numerator * d:
        return "blue"
    bound = thresholds.amber_above
    if n * bound.denominator <= bound.numerator * d:
        return "green"
    bound = thresholds.red_from
    if n * bound.denominator < bound.numerator * d:
        return "amber"
    return "red"


def count_cap(worker: Worker, rules: LoadRules) -> int | None:
    """The most open cases this worker may hold: `max_cases`, else caps.max_cases_per_fte x fte."""
    if worker.max_cases is not None:
        return worker.max_cases
    if rules.max_cases_per_fte is not None:
        return _fte_cap(rules.max_cases_per_fte, worker.fte)
    return None


@functools.lru_cache(maxsize=4096)
def _fte_cap(max_cases_per_fte: Fraction, fte: Fraction) -> int:
    return math.floor(max_cases_per_fte * fte)
