"""The qualification rules as objects (DESIGN §4, §7): each rule on its own, each reading
only the fields it names; the planner's cache keyed on those fields, so a new rule that
reads another case field gets per-case answers; and `--explain`, the by-hand warnings and
the planner reading the one list. Pure: no database."""

from dataclasses import fields, replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseload.domain.allocate import Candidate, Planner, Request
from caseload.domain.load import case_weight
from caseload.domain.model import AllocationRules, Case, LoadRules, Worker
from caseload.domain.placing import Desk
from caseload.domain.rules import (PLAN_STATE, RULES, Active, CountCap, InArea, Language, Present, Qualification,
                                   Rule, Skills, Started, TakesAutomatic, and_list)
from test_allocate import batches, teams

F = Fraction
DAY = date(2026, 11, 23)
LOAD = LoadRules()


def desk(cases=0, absent_until=None, starts_on=None, cap=None, **worker) -> Desk:
    w = Worker("ben", "Ben", **worker)
    return Desk(Candidate(w, F(0), F(90), cases, cap, absent_until=absent_until, starts_on=starts_on), 0, 90,
                cases, 0, id="ben", area=w.area)


def case(**kw) -> Case:
    return Case("C-1", "client", DAY, **kw)


def request(case_id="C-1", tier="medium", **kw) -> Request:
    return Request(Case(case_id, "client", DAY, tier=tier, **kw), case_weight(tier, "active", LOAD))


# -- each rule on its own -----------------------------------------------------------

ONE_BY_ONE = [
    # rule, desk, case, by hand?, what it says (None: passes)
    (Active(), desk(), case(), False, None),
    (Active(), desk(status="leaving", leaving_on=date(2026, 12, 31)), case(), False, "is leaving on 2026-12-31"),
    (Active(), desk(status="left"), case(), True, "has left"),
    (TakesAutomatic(), desk(auto=False), case(), False, "takes no automatic allocations"),
    (TakesAutomatic(), desk(auto=False), case(), True, None),  # by hand: how a lead takes a case
    (Present(), desk(absent_until=date(2026, 12, 1)), case(), False, "is absent until 2026-12-01"),
    (Present(), desk(), case(), False, None),
    (Started(), desk(starts_on=date(2026, 12, 14)), case(), False, "starts on 2026-12-14"),
    (Skills(), desk(skills=("debt",)), case(needs=("housing", "benefits", "debt")), False,
     "lacks housing and benefits"),
    (Skills(), desk(skills=("debt", "housing")), case(needs=("housing",)), False, None),
    (Language(), desk(languages=("en",)), case(language="pl"), False, "does not speak pl"),
    (Language(), desk(languages=("en",)), case(), False, None),
    (CountCap(), desk(cases=19, cap=20), case(), False, None),
    (CountCap(), desk(cases=20, cap=20), case(), False, "is at the cap (20 cases)"),
    (CountCap(), desk(cases=22, cap=20), case(), False, "is over the cap (22 cases, cap 20)"),
    (CountCap(), desk(cases=1, cap=1), case(), True, "would be over the cap of 1 case"),
    (CountCap(), desk(cases=500), case(), False, None),  # no cap
    (InArea(), desk(area="south"), case(area="north"), False, "works in south, not north"),
    (InArea(), desk(), case(area="north"), False, "works in no area, not north"),
    (InArea(), desk(area="south"), case(), False, None),
]


@pytest.mark.parametrize("rule, at, for_case, by_hand, says", ONE_BY_ONE,
                         ids=[f"{r[0].name}-{i}" for i, r in enumerate(ONE_BY_ONE)])
def test_each_rule_on_its_own(rule, at, for_case, by_hand, says):
    assert rule.fails(at, for_case, by_hand) == says
    assert rule.keep([at], for_case) == ([at] if rule.fails(at, for_case) is None else [])


def test_the_list_is_the_order_of_design_section_4_and_only_the_cap_follows_the_plan():
    assert [r.name for r in RULES] == ["active", "auto", "absent", "started", "skills", "language", "cap", "area"]
    assert [r.name for r in RULES if r.follows_the_plan] == ["cap"]
    assert [r.name for r in RULES if r.asked_by_the_case] == ["skills", "language", "area"]


def test_the_area_rule_counts_only_when_the_area_is_required():
    for area, applies in (("require", True), ("prefer", False), ("ignore", False)):
        assert InArea().applies(AllocationRules(area=area)) is applies
        names = [r.name for r in Qualification(RULES, AllocationRules(area=area)).all]
        assert ("area" in names) is applies


def test_and_list():
    assert [and_list(x) for x in (["a"], ["a", "b"], ["a", "b", "c"])] == ["a", "a and b", "a, b and c"]


# -- each rule reads only what it names: the cache relies on it ------------------------

OTHER = {str: "zz-other", type(None): "zz-other", tuple: ("zz-other",), bool: None, int: 99, Fraction: F(7, 3),
         date: date(2031, 1, 1)}


def _changed(value):
    if isinstance(value, bool):
        return not value
    for kind, other in OTHER.items():
        if isinstance(value, kind):
            return other
    raise AssertionError(f"no other value for {value!r}")


def _variants(at: Desk, for_case: Case):
    """(field, desk, case) with one field the planner could show a rule changed."""
    for f in fields(Case):
        yield f.name, "case", at, replace(for_case, **{f.name: _changed(getattr(for_case, f.name))})
    w = at.candidate.worker
    for f in fields(Worker):
        if f.name != "id":
            changed = Desk(replace(at.candidate, worker=replace(w, **{f.name: _changed(getattr(w, f.name))})),
                           at.load, at.capacity, at.cases, at.recent, id=at.id, area=at.area)
            yield f.name, "worker", changed, for_case
    for f in ("absent_until", "starts_on", "cap"):
        changed = replace(at.candidate, **{f: _changed(getattr(at.candidate, f))})
        yield f, "worker", Desk(changed, at.load, at.capacity, at.cases, at.recent, id=at.id, area=at.area), for_case
    yield "cases", "worker", Desk(at.candidate, at.load, at.capacity, at.cases + 3, at.recent, id=at.id,
                                  area=at.area), for_case


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_each_rule_reads_only_the_fields_it_names(rule):
    case_fields = {f.name for f in fields(Case)}
    assert set(rule.case_fields) <= case_fields
    assert set(rule.worker_fields) <= {f.name for f in fields(Worker)} | {"absent_until", "starts_on", "cap"} | PLAN_STATE
    for at, for_case, by_hand in [(r[1], r[2], r[3]) for r in ONE_BY_ONE] + [(r[1], r[2], not r[3]) for r in ONE_BY_ONE]:
        said = rule.fails(at, for_case, by_hand)
        for name, side, other_desk, other_case in _variants(at, for_case):
            if name not in (rule.case_fields if side == "case" else rule.worker_fields):
                assert rule.fails(other_desk, other_case, by_hand) == said, (rule, side, name)


# -- a new rule reading another case field: the cache follows it ------------------------

class SeniorForHighRisk(Rule):
    """Test only: a high-risk case goes to a senior (role `lead`)."""

    __slots__ = ()
    name = "risk"
    case_fields = ("risk",)
    worker_fields = ("role",)

    def fails(self, desk, case, by_hand=False):
        if case.risk == "high" and desk.candidate.worker.role != "lead":
            return "is not senior enough for a high-risk case"
        return None


class RoomToSpare(Rule):
    """Test only, following the plan: below 40 % of capacity."""

    __slots__ = ()
    name = "room"
    worker_fields = ("capacity", "load")

    def fails(self, desk, case, by_hand=False):
        return None if desk.load * 100 < desk.capacity * 40 else "has no room to spare"


WITH_RISK = (*RULES, SeniorForHighRisk())


def _team():
    return [Candidate(Worker("asha", "Asha"), F(0), F(90), 0), Candidate(Worker("lead", "Lead", role="lead"), F(30),
                                                                          F(90), 0)]


def test_a_rule_reading_the_risk_is_keyed_on_the_risk_and_answers_per_case():
    planner = Planner(_team(), LOAD, AllocationRules(), qualification_rules=WITH_RISK)
    assert planner.qualification.case_fields == ("language", "needs", "risk")
    low, high = request("C-1", risk="low"), request("C-2", risk="high")  # alike in needs, language and area
    assert planner.choose(low).worker == "asha"  # cached first: both qualify for a low-risk case
    assert [d.id for d in planner.static_fit(high.case)[0]] == ["lead"]
    placed = planner.choose(high)
    assert placed.worker == "lead"
    # without the rule, the same two cases share one cache entry
    assert Planner(_team(), LOAD, AllocationRules()).qualification.case_fields == ("language", "needs")


def test_explain_warnings_and_the_planner_all_read_a_new_rule():
    planner = Planner(_team(), LOAD, AllocationRules(), explain=True, qualification_rules=WITH_RISK)
    high = request("C-2", risk="high")
    placed = planner.choose(high)
    views = {v.worker: v for v in placed.candidates}
    assert views["asha"].failed_rule == "is not senior enough for a high-risk case" and not views["asha"].qualified
    assert planner.ranked(request("C-3", risk="high")) == ["lead"]
    assert planner.take("asha", [high]) == [
        "asha does not qualify for C-2: asha is not senior enough for a high-risk case"]
    nobody = Planner(_team()[:1], LOAD, AllocationRules(), qualification_rules=WITH_RISK).choose(high)
    assert (nobody.worker, nobody.reason) == (
        None, "only asha is otherwise free, and asha is not senior enough for a high-risk case")


def test_a_rule_that_follows_the_plan_is_asked_afresh_never_cached():
    rules = (*RULES, RoomToSpare())
    assert rules[-1].follows_the_plan
    planner = Planner([Candidate(Worker("asha", "Asha"), F(30), F(90), 0)], LOAD, AllocationRules(),
                      qualification_rules=rules)
    assert [r.name for r in planner.qualification.live] == ["cap", "room"]
    assert [r.name for r in planner.qualification.in_swap] == ["room"]  # a swap keeps counts, not loads
    first = planner.choose(request("C-1", tier="intensive"))  # 30 of 90 points, then 39: 33.3% then 43.3%
    second = planner.choose(request("C-2", tier="intensive"))
    assert (first.worker, second.worker) == ("asha", None)
    assert second.reason == "only asha is otherwise free, and asha has no room to spare"


# -- the planner, --explain and the by-hand warnings agree, on random teams ----------

ALLOCATIONS = st.sampled_from([AllocationRules(), AllocationRules(area="require"), AllocationRules(area="ignore")])


@settings(deadline=None, max_examples=60)
@given(data=st.data(), allocation=ALLOCATIONS)
def test_explain_the_warnings_and_the_planner_read_the_same_list(data, allocation):
    candidates = data.draw(teams())
    [req] = data.draw(batches([c.worker.id for c in candidates]))[:1]
    planner = Planner(candidates, LOAD, allocation, explain=True)
    in_force = [r for r in RULES if r.applies(allocation)]
    qualified = set(planner.ranked(req))
    views = {v.worker: v for v in planner.choose(req).candidates}
    for worker_id, at in Planner(candidates, LOAD, allocation).desks.items():
        failed = [said for r in in_force if (said := r.fails(at, req.case)) is not None]
        assert planner.failed_rules(at, req.case) == failed
        assert (worker_id in qualified) is (not failed)
        assert views[worker_id].failed_rule == (failed[0] if failed else None)
        assert views[worker_id].qualified is (not failed)
        by_hand = [said for r in in_force if (said := r.fails(at, req.case, True)) is not None]
        warnings = Planner(candidates, LOAD, allocation).take(worker_id, [req])
        named = [w for w in warnings if " does not qualify for " in w]
        assert named == ([f"{worker_id} does not qualify for {req.case.id}: {worker_id} {and_list(by_hand)}"]
                         if by_hand else [])


@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_a_rule_keeping_many_workers_keeps_those_it_passes(data):
    candidates = data.draw(teams())
    [req] = data.draw(batches([c.worker.id for c in candidates]))[:1]
    desks = list(Planner(candidates, LOAD, AllocationRules()).desks.values())
    for rule in RULES:
        assert rule.keep(desks, req.case) == [d for d in desks if rule.fails(d, req.case) is None]
