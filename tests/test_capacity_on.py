"""The zone review's capacity (`capacity_on`, the number alone) is always the capacity that
`worker show` explains line by line (`capacity_breakdown`): no database needed."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from caseload.domain.load import capacity_breakdown, capacity_on, case_weight, load_from_counts, weight_table
from caseload.domain.model import LoadRules, Reduction, Worker

DAY = date(2026, 11, 23)
RULES = LoadRules()

REDUCTIONS = st.lists(st.builds(
    Reduction, id=st.integers(1, 99), worker=st.just("w"), kind=st.sampled_from(["percent", "points"]),
    amount=st.integers(0, 1500).map(lambda n: Fraction(n, 10)), reason=st.just("training"),
    starts_on=st.integers(-30, 30).map(lambda d: DAY + timedelta(days=d)),
    ends_on=st.one_of(st.none(), st.integers(-30, 60).map(lambda d: DAY + timedelta(days=d))),
), max_size=5)
WORKERS = st.builds(
    Worker, id=st.just("w"), name=st.just("W"), fte=st.sampled_from([Fraction(1), Fraction(4, 5), Fraction(0)]),
    capacity=st.one_of(st.none(), st.integers(0, 480).map(lambda n: Fraction(n, 4))),
)


@given(worker=WORKERS, reductions=REDUCTIONS)
def test_capacity_on_is_the_value_of_the_breakdown(worker, reductions):
    assert capacity_on(worker, reductions, RULES, DAY) == capacity_breakdown(worker, reductions, RULES, DAY).value


# Tables a team might configure: decimal weights and factors (a weight of 2.25, a factor of
# 1/3), whose common denominator is not 1 (the table keeps each weight as integer points
# over one denominator).
TABLES = st.builds(
    lambda weights, factor: LoadRules(tiers=dict(zip(["low", "medium", "high", "intensive"], weights)),
                                      status_factors={"active": Fraction(1), "monitoring": factor}),
    st.lists(st.integers(0, 4000).map(lambda n: Fraction(n, 100)), min_size=4, max_size=4),
    st.sampled_from([Fraction(1, 2), Fraction(1, 3), Fraction(3, 4), Fraction(1), Fraction(0)]),
)


@given(rules=TABLES, counts=st.lists(st.tuples(
    # "High": a tier spelt otherwise than the config's is weighed by case_weight, outside the table
    st.sampled_from(["low", "medium", "high", "intensive", "High"]),
    st.sampled_from(["active", "monitoring", "closed", "waiting"]), st.integers(0, 40)), max_size=8))
def test_a_load_from_the_weight_table_is_the_load_weighed_case_by_case(rules, counts):
    expected = sum((case_weight(tier, status, rules) * n for tier, status, n in counts), Fraction(0))
    assert load_from_counts(counts, rules, weight_table(rules)) == expected
    assert load_from_counts(counts, rules) == expected
