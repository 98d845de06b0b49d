"""Zone arithmetic: exact boundaries, capacity 0, reductions, the count cap."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseload.config import parse_config
from caseload.domain.load import (
    capacity_breakdown, case_weight, count_cap, load_pct, weight_formula, zone,
)
from caseload.domain.model import LoadRules, Reduction, Worker, ZoneThresholds
from caseload.render.numbers import pct_text

F = Fraction
DAY = date(2026, 11, 23)


def rules_from(yaml_text: str) -> LoadRules:
    return parse_config(yaml_text).load


# Each row: config YAML, worker fte, load in points, expected zone. The loads are
# chosen so the load % lands exactly on 95, 100 or 110 (or a hair either side)
# through fractional fte, admin allowance and weights: with floats several of
# these would come out as 109.99999 or 100.00000001.
BOUNDARIES = [
    ("admin_allowance: 0.1", "0.7", F(5985, 100), "green"),      # 63 capacity, 95 % exactly
    ("admin_allowance: 0.1", "0.7", F(5984, 100), "blue"),       # 94.98 %
    ("admin_allowance: 0.1", "0.7", F(63), "green"),             # 100 % exactly
    ("admin_allowance: 0.1", "0.7", F(6301, 100), "amber"),      # 100.016 %
    ("admin_allowance: 0.1", "0.7", F(693, 10), "red"),          # 110 % exactly
    ("admin_allowance: 0.1", "0.7", F(6929, 100), "amber"),      # 109.98 %
    ("admin_allowance: 0.15\npoints_per_fte: 110", "0.3", F(28050, 1000), "green"),  # 28.05 = 100 %
    ("admin_allowance: 0.15\npoints_per_fte: 110", "0.3", F(30855, 1000), "red"),    # 110 %
    ("admin_allowance: 0.15\npoints_per_fte: 110", "0.3", F(266475, 10000), "green"),  # 95 %
    ("admin_allowance: 0.3", "0.1", F(77, 10), "red"),           # capacity 7, load 7.7 = 110 %
    ("admin_allowance: 0.3", "0.1", F(7), "green"),              # 100 %
    ("admin_allowance: 0.3", "0.1", F(665, 100), "green"),       # 95 %
]


@pytest.mark.parametrize("yaml_text, fte, load, expected", BOUNDARIES)
def test_zone_boundaries_are_exact(yaml_text, fte, load, expected):
    rules = rules_from(yaml_text)
    worker = Worker("w", "W", fte=F(fte))
    capacity = capacity_breakdown(worker, [], rules, DAY).value
    assert zone(load, capacity, rules.zones) == expected


def test_weights_from_yaml_text_reach_110_exactly():
    # 0.1 and 1.1 are not exact binary floats; from the YAML text they are exact.
    rules = rules_from("tiers: {tiny: 1.1}\nstatus_factors: {monitoring: 0.1}\nadmin_allowance: 0\n"
                       "points_per_fte: 1\ndefault_tier: tiny")
    worker = Worker("w", "W", fte=F("0.1"))
    capacity = capacity_breakdown(worker, [], rules, DAY).value  # 0.1 points
    load = case_weight("tiny", "monitoring", rules)  # 1.1 x 0.1 = 0.11
    assert load_pct(load, capacity) == 110
    assert zone(load, capacity, rules.zones) == "red"


def test_capacity_zero_is_blue_only_when_empty():
    rules = LoadRules()
    worker = Worker("w", "W", capacity=F(0))
    capacity = capacity_breakdown(worker, [], rules, DAY).value
    assert capacity == 0
    assert zone(F(0), capacity, rules.zones) == "blue"
    assert zone(F(3, 2), capacity, rules.zones) == "red"
    assert load_pct(F(3), capacity) is None


def test_reductions_count_only_while_active_and_never_below_zero():
    rules = LoadRules()
    worker = Worker("w", "W")
    cuts = [
        Reduction(1, "w", "percent", F(20), "newly qualified", date(2026, 11, 1), date(2026, 12, 31)),
        Reduction(2, "w", "points", F(9), "union duties", date(2026, 11, 1)),
        Reduction(3, "w", "percent", F(50), "project", date(2027, 1, 1)),  # scheduled
    ]
    breakdown = capacity_breakdown(worker, cuts, rules, DAY)
    assert breakdown.value == F(90) * F(8, 10) - 9  # 63
    assert [line.points for line in breakdown.lines] == [90, -18, -9]
    assert cuts[2].state(DAY) == "scheduled" and cuts[0].state(date(2027, 1, 1)) == "expired"
    many = [Reduction(4, "w", "percent", F(70), "other", DAY), Reduction(5, "w", "percent", F(60), "other", DAY)]
    assert capacity_breakdown(worker, many, rules, DAY).value == 0
    deep = [Reduction(6, "w", "points", F(500), "other", DAY)]
    assert capacity_breakdown(worker, deep, rules, DAY).value == 0


def test_waiting_and_closed_cases_weigh_nothing():
    rules = LoadRules()
    assert case_weight("intensive", "waiting", rules) == 0
    assert case_weight("intensive", "closed", rules) == 0
    assert weight_formula("high", "monitoring", rules) == (F(3), "6 x 0.5 = 3")


def test_count_cap_from_worker_or_per_fte():
    rules = rules_from("caps: {max_cases_per_fte: 25}")
    assert count_cap(Worker("w", "W", fte=F("0.6")), rules) == 15
    assert count_cap(Worker("w", "W", fte=F("0.6"), max_cases=4), rules) == 4
    assert count_cap(Worker("w", "W"), LoadRules()) is None


decimals = st.decimals(min_value="0.01", max_value="1", places=2).map(lambda d: F(str(d)))


@given(
    fte=decimals,
    admin=st.decimals(min_value="0", max_value="0.5", places=2).map(lambda d: F(str(d))),
    points=st.integers(min_value=1, max_value=200),
    pct=st.sampled_from([F(95), F(100), F(110)]),
)
def test_exact_boundary_loads_land_in_the_documented_zone(fte, admin, points, pct):
    rules = LoadRules(points_per_fte=F(points), admin_allowance=admin)
    capacity = capacity_breakdown(Worker("w", "W", fte=fte), [], rules, DAY).value
    load = capacity * pct / 100
    assert load_pct(load, capacity) == pct
    assert zone(load, capacity, rules.zones) == {95: "green", 100: "green", 110: "red"}[int(pct)]


@given(load=st.fractions(min_value=0, max_value=500), capacity=st.fractions(min_value=F(1, 100), max_value=500))
def test_displayed_percentage_never_reads_as_a_worse_zone(load, capacity):
    z = ZoneThresholds()
    shown = F(pct_text(load_pct(load, capacity)).rstrip("%"))
    actual = zone(load, capacity, z)
    # rounding down: the figure shown is in the same zone or the one below, never above
    shown_zone = zone(shown, F(100), z)
    order = ["blue", "green", "amber", "red"]
    assert order.index(shown_zone) <= order.index(actual)
    assert load_pct(load, capacity) - shown < F(1, 10)
