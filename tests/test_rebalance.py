"""Rebalance: fewest moves, nobody pushed above 100 %, low-risk recent cases first; applied in one step."""

import json
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from caseload.domain.allocate import Candidate, Request
from caseload.domain.load import case_weight
from caseload.domain.model import AllocationRules, Case, LoadRules, Worker
from caseload.domain.rebalance import Held, fewest_cases_to_cover, plan_rebalance

F = Fraction
RULES = LoadRules()
DAY = date(2026, 11, 23)


def held(case_id, tier, risk="low", days_held=10, worker="asha", status="active"):
    case = Case(case_id, "c", DAY, tier=tier, risk=risk, status=status, worker=worker)
    return Held(Request(case, case_weight(tier, status, RULES)), DAY - timedelta(days=days_held))


def test_fewest_cases_to_cover():
    assert fewest_cases_to_cover([3, 9, 4], 10) == 2
    assert fewest_cases_to_cover([3, 3], 7) is None
    assert fewest_cases_to_cover([5], 0) == 0


def test_moves_low_risk_recent_cases_and_keeps_receivers_safe():
    asha = Worker("asha", "Asha")
    ben = Worker("ben", "Ben")
    cases = [held("C-1", "high", "high", 5), held("C-2", "high", "low", 400), held("C-3", "high", "low", 5),
             held("C-4", "intensive", "medium", 30)] + [held(f"C-{i}", "intensive", "high", 90) for i in range(5, 14)]
    load = sum(h.request.weight for h in cases)  # 6 * 3 + 9 * 10 = 108 of 90: 120 %
    team = [Candidate(asha, load, F(90), len(cases)), Candidate(ben, F(40), F(90), 8)]
    plan = plan_rebalance(team, {"asha": cases}, RULES, AllocationRules())
    # 18 points must go: two intensive cases (9 + 9) are the fewest. The low-risk high cases
    # are preferred but 6 + 9 cannot cover 18, so the medium-risk C-4 goes, with one more 9.
    assert plan.lower_bound == 2
    assert len(plan.moves) == 2
    moved = {m.case for m in plan.moves}
    assert "C-4" in moved and all(m.target == "ben" for m in plan.moves)
    assert plan.unfixable == ()


def test_nobody_with_room_is_reported_not_forced():
    asha = Worker("asha", "Asha", skills=("housing",))
    ben = Worker("ben", "Ben")
    cases = [held(f"C-{i}", "intensive") for i in range(12)]
    cases = [Held(Request(Case(h.request.case.id, "c", DAY, tier="intensive", needs=("housing",), worker="asha",
                               status="active"), F(9)), h.held_since) for h in cases]
    team = [Candidate(asha, F(108), F(90), 12), Candidate(ben, F(0), F(90), 0)]
    plan = plan_rebalance(team, {"asha": cases}, RULES, AllocationRules())
    assert plan.moves == ()
    assert plan.unfixable[0].worker == "asha" and "room" in plan.unfixable[0].reason


# Strategies made once: building one inside the loops below cost Hypothesis far more than
# the planner it feeds (the examples drawn are the same).
SKILL_SETS = st.sets(st.sampled_from(["a", "b"]))
TIERS = st.sampled_from(list(RULES.tiers))
RISKS = st.sampled_from(["low", "medium", "high"])
NEEDS = {}  # a worker's skills -> the strategy for one of their cases' needs


def needs_of(skills: tuple) -> st.SearchStrategy:
    if skills not in NEEDS:
        NEEDS[skills] = st.sets(st.sampled_from(skills), max_size=1)
    return NEEDS[skills]


@st.composite
def overloaded_teams(draw):
    size = draw(st.integers(2, 6))
    team, held_by = [], {}
    for i in range(size):
        worker = Worker(f"w{i}", f"W{i}", skills=tuple(draw(SKILL_SETS)))
        cases = []
        for j in range(draw(st.integers(0, 16))):
            tier = draw(TIERS)
            needs = tuple(draw(needs_of(worker.skills))) if worker.skills else ()
            case = Case(f"C-{i}-{j}", "c", DAY, tier=tier, risk=draw(RISKS),
                        status="active", worker=worker.id, needs=needs)
            cases.append(Held(Request(case, case_weight(tier, "active", RULES)),
                              DAY - timedelta(days=draw(st.integers(0, 500)))))
        capacity = F(draw(st.sampled_from([90, 72, 45])))
        team.append(Candidate(worker, sum((h.request.weight for h in cases), F(0)), capacity, len(cases)))
        held_by[worker.id] = cases
    return team, held_by


@settings(deadline=None)
@given(overloaded_teams())
def test_rebalance_invariants(data):
    team, held_by = data
    plan = plan_rebalance(team, held_by, RULES, AllocationRules())
    load = {c.worker.id: c.load for c in team}
    capacity = {c.worker.id: c.capacity for c in team}
    weights = {h.request.case.id: h.request.weight for cases in held_by.values() for h in cases}
    needs = {h.request.case.id: h.request.case.needs for cases in held_by.values() for h in cases}
    skills = {c.worker.id: c.worker.skills for c in team}
    over_before = {w for w in load if load[w] > capacity[w]}
    for m in plan.moves:
        load[m.source] -= weights[m.case]
        load[m.target] += weights[m.case]
        assert all(n in skills[m.target] for n in needs[m.case])  # receivers qualify
        assert m.target not in over_before
    unfixable = {u.worker for u in plan.unfixable}
    for w in load:
        if w in over_before and w not in unfixable:
            assert load[w] <= capacity[w]  # every fixable overload is fixed
        if w not in over_before:
            assert load[w] <= capacity[w]  # nobody is pushed above 100 %
    assert len(plan.moves) >= plan.lower_bound  # a true lower bound, for the workers the plan relieves


def test_apply_needs_yes_without_a_terminal_and_then_moves_in_one_step(team):
    for _ in range(16):
        team.ok("intake", "--client", "x", "--tier", "high", "--assign", "ben")  # 96 / 72 = 133 %
    proposal = json.loads(team.ok("rebalance", "--format", "json").stdout)
    assert proposal["lower_bound"] == 4 and len(proposal["moves"]) == 4  # 24 points: four high cases
    before = team.dump()
    refused = team("rebalance", "--apply")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert team.dump() == before
    applied = team.ok("rebalance", "--apply", "--yes")
    assert "made 4 move(s)" in applied.stderr
    review = json.loads(team.ok("zone-review", "--format", "json").stdout)
    assert all(w["load_pct"] <= 100 for w in review["workers"])
    moved = [m["case"] for m in proposal["moves"]]
    assert "rebalance" in team.ok("show", moved[0]).stdout
    again = json.loads(team.ok("rebalance", "--format", "json").stdout)
    assert again["moves"] == []


def test_zone_review_suggests_the_same_moves(team):
    for _ in range(16):
        team.ok("intake", "--client", "x", "--tier", "high", "--assign", "ben")
    review = json.loads(team.ok("zone-review", "--suggest", "--format", "json").stdout)
    proposal = json.loads(team.ok("rebalance", "--format", "json").stdout)
    assert review["suggestions"] == proposal["moves"]
    assert set(review["suggestions"][0]) == {"case", "from", "to", "reason"}
    table = team.ok("zone-review", "--suggest").stdout
    assert "Suggested moves" in table
