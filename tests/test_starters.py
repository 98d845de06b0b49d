"""New starters (DESIGN §2): `worker add/edit --starts DATE`. Before their first day they
have no capacity and take no case — not by rule, and not by hand either (a case given to
someone not yet in post has nobody working on it and would leave the waiting list); the
zone review lists them apart, with no zone; from their first day they are like anyone."""

import json
from datetime import date
from fractions import Fraction

from caseload.domain.allocate import Planner, Request
from caseload.domain.candidates import team_candidates
from caseload.domain.load import capacity_breakdown
from caseload.domain.model import AllocationRules, Case, LoadRules, Worker
from caseload.domain.review import KnownTeam, WorkerCounts

RULES = LoadRules()
EVE = Worker("eve", "Eve Long", starts_on=date(2026, 12, 14))


def test_no_capacity_before_the_first_day_full_capacity_from_it():
    before = capacity_breakdown(EVE, [], RULES, date(2026, 12, 13))
    assert before.value == 0 and before.lines[-1].label == "starts on 2026-12-14: no capacity before"
    assert capacity_breakdown(EVE, [], RULES, date(2026, 12, 14)).value == 90


def test_a_starter_does_not_qualify_before_the_first_day():
    known = KnownTeam(date(2026, 11, 23), date(2026, 11, 23), (EVE,), {}, {}, {})
    case = Case("C-1", "x", date(2026, 11, 1))
    for day, worker in ((date(2026, 12, 13), None), (date(2026, 12, 14), "eve")):
        planner = Planner(team_candidates(known.on(day), RULES), RULES, AllocationRules(), explain=True)
        placement = planner.choose(Request(case, Fraction(4)))
        assert placement.worker == worker
    before = Planner(team_candidates(known.on(date(2026, 12, 13)), RULES), RULES, AllocationRules())
    assert before.failed_rule(before.desks["eve"], case) == "starts on 2026-12-14"


def test_the_zone_review_lists_a_starter_apart_until_their_first_day():
    known = KnownTeam(date(2026, 11, 23), date(2026, 11, 23), (Worker("ann", "Ann"), EVE),
                      {"ann": WorkerCounts((("medium", "active", 3),))}, {}, {})
    figures, starting = known.on(date(2026, 11, 23)).figures(RULES)
    assert [f.worker.id for f in figures] == ["ann"] and starting == [EVE]
    figures, starting = known.on(date(2026, 12, 14)).figures(RULES)
    assert [f.worker.id for f in figures] == ["ann", "eve"] and starting == []


def test_add_show_list_and_review(team):
    team.ok("worker", "add", "eve", "--name", "Eve Long", "--skills", "housing", "--starts", "2026-12-14")
    show = team.ok("worker", "show", "eve").stdout
    assert "(starts 2026-12-14)" in show and "starts on 2026-12-14: no capacity before" in show
    listed = team.ok("worker", "list").stdout
    assert "active (starts 2026-12-14)" in listed
    assert next(r for r in json.loads(team.ok("worker", "list", "--format", "json").stdout)
                if r["id"] == "eve")["capacity"] == 0
    review = team.ok("zone-review").stdout
    assert "Starting: eve (Eve Long) starts 2026-12-14" in review
    assert "eve" not in [w["id"] for w in json.loads(team.ok("zone-review", "--format", "json").stdout)["workers"]]
    ahead = json.loads(team.ok("zone-review", "--on", "2026-12-14", "--format", "json").stdout)
    eve = next(w for w in ahead["workers"] if w["id"] == "eve")
    assert (eve["capacity"], eve["zone"]) == (90, "blue")


def test_no_case_before_the_first_day_by_hand_or_by_rule(team):
    team.ok("worker", "add", "eve", "--name", "Eve Long", "--skills", "immigration", "--starts", "2026-12-14")
    case = team.ok("intake", "--client", "Referral", "--needs", "immigration").stdout.strip()
    before = team.dump()
    by_hand = team("assign", case, "--to", "eve")
    assert by_hand.exit_code == 1 and "eve starts on 2026-12-14" in by_hand.stderr
    assert team("intake", "--client", "Other", "--assign", "eve").exit_code == 1
    assert team.dump() == before
    by_rule = team("assign", case, "--auto", "--explain")
    assert by_rule.exit_code == 1 and "starts on 2026-12-14" in by_rule.output
    # from the first day, like anyone
    team.ok("assign", case, "--auto", env={"CASELOAD_TODAY": "2026-12-14"})
    assert json.loads(team.ok("show", case, "--format", "json").stdout)["case"]["worker"] == "eve"


def test_edit_sets_and_clears_the_start_day(team):
    team.ok("worker", "edit", "cara", "--starts", "2026-12-01")
    assert "no capacity before" in team.ok("worker", "show", "cara").stdout
    team.ok("worker", "edit", "cara", "--starts", "none")
    assert "no capacity before" not in team.ok("worker", "show", "cara").stdout


def test_a_start_day_in_the_future_for_someone_holding_cases_warns(team):
    team.ok("intake", "--client", "X", "--assign", "cara")
    result = team.ok("worker", "edit", "cara", "--starts", "+2w")
    assert "cara holds 1 case(s) but starts on 2026-12-07" in result.stderr


def test_a_bad_start_day_is_refused_naming_the_flag(team):
    before = team.dump()
    for flag in (("worker", "add", "zed", "--name", "Zed", "--starts", "soon"),
                 ("worker", "edit", "ben", "--starts", "2026-02-30")):
        result = team(*flag)
        assert result.exit_code == 2 and "--starts" in result.stderr
    assert team.dump() == before


def test_a_starter_holding_cases_before_the_first_day_has_no_capacity_and_is_red():
    # the zone review's capacity (`capacity_on`) and `worker show`'s sum agree: 0 before day one
    from caseload.domain.load import capacity_on

    for day in (date(2026, 12, 13), date(2026, 12, 14)):
        assert capacity_on(EVE, [], RULES, day) == capacity_breakdown(EVE, [], RULES, day).value
    assert capacity_on(EVE, [], RULES, date(2026, 12, 13)) == 0
    known = KnownTeam(date(2026, 11, 23), date(2026, 11, 23), (EVE,),
                      {"eve": WorkerCounts((("medium", "active", 2),))}, {}, {})
    (figure,), starting = known.on(date(2026, 11, 23)).figures(RULES)
    assert starting == [] and figure.capacity == 0 and figure.load_pct is None and figure.zone == "red"


def test_a_team_files_dry_run_shows_a_starter_as_starting(cli, tmp_path):
    path = tmp_path / "team.csv"
    path.write_text("id,name,fte,starts_on\namy,Amy A,1,\nhana,Hana K,1,2026-12-21\n")
    dry = cli.ok("worker", "import", "--file", str(path), "--dry-run")
    assert "2 worker(s) valid; 1 active, 1 starting later" in dry.stderr
    assert "active (starts 2026-12-21)" in next(line for line in dry.stdout.splitlines() if line.startswith("hana"))
