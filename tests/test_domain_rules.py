"""The decisions of `caseload.domain` that commands used to make themselves, each a pure
function tested without a database: handover or cover, covers due back, who may be
given a case or leave, red streaks and trends, where a CSV row goes, who the zone
review shows, who rebalance must fix, and a choice by hand (`Planner.take`)."""

from datetime import date
from fractions import Fraction

from caseload.domain.allocate import Candidate, Planner, Placement, Request
from caseload.domain.handover import (
    covers_due_back, handover_move, handover_moves, return_moves, why_not_assignable, why_not_left,
    why_not_reassignable,
)
from caseload.domain.intake import CaseDraft, destination
from caseload.domain.model import AllocationRules, Case, LoadRules, Worker
from caseload.domain.rebalance import overloaded
from caseload.domain.review import shown_in_review
from caseload.domain.trends import Snapshot, SnapshotRow, excessive, red_streaks, trend

TODAY = date(2026, 11, 23)


def case(case_id="C-1", **fields) -> Case:
    return Case(id=case_id, client="X", opened_on=date(2026, 1, 1), **fields)


# -- handover and cover ---------------------------------------------------------

def test_a_handover_is_permanent_and_keeps_an_existing_cover():
    plain = handover_move(case(worker="asha", status="active"), "asha", "ben", None, None)
    assert (plain.kind, plain.home_worker, plain.cover_until) == ("handover", None, None)
    assert plain.reason == "handover from asha"
    covered = case(worker="asha", status="active", home_worker="ewa", cover_until=date(2026, 12, 1))
    kept = handover_move(covered, "asha", "ben", None, "asha leaves")
    assert (kept.home_worker, kept.cover_until, kept.reason) == ("ewa", date(2026, 12, 1), "asha leaves")


def test_a_cover_makes_the_source_the_home_worker_unless_the_case_already_has_one():
    until = date(2026, 12, 7)
    move = handover_move(case(worker="ewa", status="active"), "ewa", "chloe", until, None)
    assert (move.kind, move.home_worker, move.cover_until) == ("cover", "ewa", until)
    assert move.reason == "cover for ewa until 2026-12-07"
    already = case(worker="ewa", status="active", home_worker="dev", cover_until=date(2026, 11, 30))
    again = handover_move(already, "ewa", "chloe", until, None)
    assert (again.home_worker, again.cover_until) == ("dev", date(2026, 11, 30))


def test_handover_moves_leave_the_cases_nobody_can_take():
    cases = {"C-1": case("C-1", worker="asha", status="active"), "C-2": case("C-2", worker="asha", status="active")}
    placements = [Placement("C-1", "ben", "asha", "x"), Placement("C-2", None, "asha", "nobody speaks pl")]
    moves = handover_moves(cases, placements, "asha", None, None)
    assert [(m.case, m.previous, m.to) for m in moves] == [("C-1", "asha", "ben")]


def test_a_cover_is_due_back_when_it_has_ended_and_the_home_worker_is_back():
    ended = case("C-1", worker="chloe", status="active", home_worker="ewa", cover_until=date(2026, 11, 22))
    running = case("C-2", worker="chloe", status="active", home_worker="ewa", cover_until=TODAY)
    away = case("C-3", worker="chloe", status="active", home_worker="dev", cover_until=date(2026, 11, 1))
    due = covers_due_back([ended, running, away], back={"ewa", "chloe"}, today=TODAY)
    assert [c.id for c in due] == ["C-1"]
    [move] = return_moves(due)
    assert (move.previous, move.to, move.kind, move.reason) == ("chloe", "ewa", "return", "cover by chloe ended")


def test_what_may_be_assigned_reassigned_or_marked_left():
    assert why_not_assignable(case(status="waiting")) is None
    assert why_not_assignable(case(status="closed")) == "C-1 is closed"
    assert "reassign C-1" in why_not_assignable(case(status="active", worker="asha"))
    assert why_not_reassignable(case(status="active", worker="asha"), "ben") is None
    assert "assign C-1 --to W" in why_not_reassignable(case(status="waiting"), "ben")
    assert why_not_reassignable(case(status="active", worker="asha"), "asha") == "C-1 is already with asha"
    assert why_not_left("asha", 0, 0) is None
    assert "still holds 3 open case(s)" in why_not_left("asha", 3, 0)
    assert "home worker of 2 case(s)" in why_not_left("asha", 0, 2)


# -- streaks and trends -------------------------------------------------------

def snapshot(on: str, **zones: str) -> Snapshot:
    return Snapshot(on, f"{on}T18:00:00+00:00",
                    {w: SnapshotRow(1, Fraction(100 if z == "red" else 50), Fraction(90), z) for w, z in zones.items()})


def test_red_streaks_count_recorded_reviews_running_from_the_newest():
    newest_first = [snapshot("2026-11-23", asha="red", ben="red", chloe="green"),
                    snapshot("2026-11-16", asha="red", ben="amber"),
                    snapshot("2026-11-09", asha="red", ben="red")]
    streaks = red_streaks(newest_first, ["asha", "ben", "chloe", "dev"])
    assert streaks == {"asha": 3, "ben": 1}
    assert excessive(streaks, 3) == {"asha": 3}
    assert excessive(streaks, 4) == {}


def test_the_trend_is_oldest_first_with_the_team_load():
    points = trend([snapshot("2026-11-23", asha="red", ben="blue"), snapshot("2026-11-16", asha="blue")])
    assert [p.on for p in points] == ["2026-11-16", "2026-11-23"]
    assert points[1].team_load_pct == Fraction(150 * 100, 180)
    assert points[1].workers["asha"] == Fraction(100 * 100, 90)


# -- where a CSV row goes; who the review shows; who rebalance fixes --------------

def test_a_new_case_goes_to_its_worker_by_rule_or_waits():
    assert destination(CaseDraft(client="x", worker="ben"), auto=True, actor="lead") == "ben"
    assert destination(CaseDraft(client="x", worker="me"), auto=False, actor="asha") == "asha"
    assert destination(CaseDraft(client="x", worker="auto"), auto=False, actor="lead") == "auto"
    assert destination(CaseDraft(client="x"), auto=True, actor="lead") == "auto"
    assert destination(CaseDraft(client="x"), auto=False, actor="lead") is None


def test_a_lead_shows_in_the_review_only_while_holding_cases():
    assert shown_in_review(Worker("hana", "Hana", role="lead"), 2)
    assert not shown_in_review(Worker("hana", "Hana", role="lead"), 0)
    assert shown_in_review(Worker("ben", "Ben"), 0)


def candidate(worker_id: str, load: int, capacity: int = 90, **worker) -> Candidate:
    return Candidate(Worker(worker_id, worker_id.title(), **worker), Fraction(load), Fraction(capacity), 0)


def test_rebalance_fixes_exactly_the_workers_above_100_percent():
    team = [candidate("asha", 90), candidate("ben", 91), candidate("chloe", 99)]
    assert overloaded(team, LoadRules().zones) == ["ben", "chloe"]


# -- by hand --------------------------------------------------------------------

def test_taking_cases_by_hand_warns_of_every_unmet_rule_and_the_zone_and_refuses_nothing():
    planner = Planner([candidate("asha", 84, languages=("en",)), candidate("ben", 0)], LoadRules(), AllocationRules())
    polish = case("C-1", language="pl")
    warnings = planner.take("asha", [Request(polish, Fraction(6))])
    assert warnings == ["asha does not qualify for C-1: asha does not speak pl"]  # 100 % is still green: no zone warning
    assert planner.load_of("asha") == 90 and planner.desks["asha"].cases == 1
    more = planner.take("asha", [Request(case("C-2"), Fraction(9))])
    assert more == ["asha goes to 110.0% (RED) with this"]
    assert planner.load_of("asha") == 99


def test_a_tier_respelled_in_the_config_still_weighs_its_cases():
    from fractions import Fraction

    import pytest

    from caseload.domain.errors import CaseloadError
    from caseload.domain.load import case_weight, weight_formula

    rules = LoadRules(tiers={"Low": Fraction(3), "A3": Fraction(9)}, status_factors={"active": Fraction(1), "monitoring": Fraction(1, 2)})
    assert case_weight("low", "active", rules) == 3
    assert case_weight("a3", "monitoring", rules) == Fraction(9, 2)
    assert weight_formula("a3", "monitoring", rules)[1] == "9 x 0.5 = 4.5"
    with pytest.raises(CaseloadError, match="not in the config's tiers"):
        case_weight("medium", "active", rules)
