"""Transitions as a team lead lives them: a departure, a temporary cover and its return,
reassignments, reductions, notes and closing, with nothing ever lost."""

import json

import pytest


def cases_json(cli, *args):
    return json.loads(cli.ok("cases", "--format", "json", *args).stdout)


def history_json(cli, *args):
    return json.loads(cli.ok("history", "--format", "json", *args).stdout)


@pytest.fixture
def busy(team):
    """asha holds six cases with notes; one needs Urdu, which only asha speaks."""
    for i, tier in enumerate(["high", "intensive", "low", "medium", "medium"]):
        team.ok("intake", "--client", f"client {i}", "--tier", tier, "--risk", ["high", "low"][i % 2],
                "--assign", "asha")
    team.ok("intake", "--client", "urdu speaker", "--language", "ur", "--assign", "asha")
    team.ok("note", "C-0001", "Met at the housing office", "--contact")
    team.ok("note", "C-0006", "Prefers phone calls")
    return team


def test_a_departure_from_start_to_finish(busy):
    busy.ok("worker", "leave", "asha", "--on", "+4w")
    assert "leaving" in busy.ok("zone-review").stdout
    # leaving: no automatic allocations any more
    busy.ok("intake", "--client", "new", "--assign", "auto")
    assert cases_json(busy, "--worker", "asha")[-1]["id"] == "C-0006"
    refused = busy("worker", "left", "asha")
    assert refused.exit_code == 1 and "still holds 6" in refused.stderr

    plan = json.loads(busy.ok("handover", "asha", "--auto", "--dry-run", "--format", "json").stdout)
    assert [m["risk"] for m in plan["moves"]][:1] == ["high"]  # high-risk cases first
    assert plan["stuck"] == [{"case": "C-0006", "reason": "nobody speaks ur",
                              "next": plan["stuck"][0]["next"]}]
    assert "caseload reassign C-0006" in plan["stuck"][0]["next"]

    done = busy("handover", "asha", "--auto", "--yes")  # the rest move; a case left with asha is exit 1
    assert done.exit_code == 1 and "handed over 5 case(s)" in done.stderr
    assert "error: 1 case(s) stay with asha (nobody can take them): C-0006" in done.stderr
    busy.ok("reassign", "C-0006", "--to", "ben", "--reason", "ben will use an interpreter")
    busy.ok("worker", "left", "asha")

    assert cases_json(busy, "--worker", "asha") == []
    rows = history_json(busy, "--worker", "asha")
    moved = {r["case"] for r in rows if r["previous_worker"] == "asha"}
    assert moved == {f"C-{i:04d}" for i in range(1, 7)}
    assert {r["kind"] for r in rows if r["previous_worker"] == "asha"} == {"handover", "reassign"}
    shown = busy.ok("show", "C-0001").stdout
    assert "Met at the housing office" in shown and "handover" in shown
    assert "Prefers phone calls" in busy.ok("show", "C-0006").stdout
    workers = json.loads(busy.ok("worker", "list", "--all", "--format", "json").stdout)
    assert next(w for w in workers if w["id"] == "asha")["status"] == "left"
    assert "asha" not in [w["id"] for w in json.loads(busy.ok("worker", "list", "--format", "json").stdout)]


def test_temporary_cover_and_return_restore_exactly_the_home_cases(busy):
    busy.ok("intake", "--client", "bens own", "--assign", "ben")
    before = {c["id"]: c["worker"] for c in cases_json(busy)}
    busy.ok("worker", "absent", "asha", "--from", "today", "--until", "+2w", "--reason", "sickness")
    busy.ok("handover", "asha", "--to", "ben", "--temporary", "--until", "+2w", "--yes")
    during = cases_json(busy)
    for c in during:
        if before[c["id"]] == "asha":
            assert c["worker"] == "ben" and c["home_worker"] == "asha"
    review = json.loads(busy.ok("zone-review", "--format", "json").stdout)
    ben = next(w for w in review["workers"] if w["id"] == "ben")
    assert ben["cases"] == 7  # covered cases count on the covering worker's load
    assert next(w for w in review["workers"] if w["id"] == "asha")["absent"]

    returned = busy.ok("return", "asha")
    assert "returned 6 case(s)" in returned.stderr
    assert {c["id"]: c["worker"] for c in cases_json(busy)} == before
    assert all(c["home_worker"] is None for c in cases_json(busy))
    kinds = [r["kind"] for r in history_json(busy, "C-0001")]
    assert kinds == ["intake", "assign", "cover", "return"]


def test_return_due_waits_for_the_home_worker_to_be_back(busy, monkeypatch):
    busy.ok("worker", "absent", "asha", "--from", "today", "--until", "+3d")
    covering = busy("handover", "asha", "--auto", "--temporary", "--until", "+2d", "--yes")
    assert covering.exit_code == 1 and "C-0006" in covering.stderr  # nobody else speaks ur: it stays
    covered = [c["id"] for c in cases_json(busy) if c["home_worker"] == "asha"]
    assert covered
    monkeypatch.setenv("CASELOAD_TODAY", "2026-11-26")  # cover ended on the 25th; asha away until the 26th
    assert "no covered case to return" in busy.ok("return", "--due").stderr
    assert "Covers past their end" in busy.ok("zone-review").stdout
    monkeypatch.setenv("CASELOAD_TODAY", "2026-11-27")
    assert f"returned {len(covered)} case(s)" in busy.ok("return", "--due").stderr
    assert all(c["worker"] == "asha" for c in cases_json(busy) if c["id"] in covered)


def test_refusals_leave_the_database_unchanged(busy):
    busy.ok("worker", "leave", "cara", "--on", "today")
    busy.ok("worker", "edit", "cara", "--no-auto")
    before = busy.dump()
    attempts = [
        (["handover", "zed", "--auto", "--yes"], 1, "no worker 'zed'"),
        (["handover", "asha", "--to", "zed", "--yes"], 1, "--to: no worker 'zed'"),
        (["handover", "asha", "--to", "asha", "--yes"], 1, "needs another worker to receive the cases"),
        (["handover", "asha", "--auto"], 2, "--yes is needed"),  # no terminal and no --yes
        (["handover", "asha", "--auto", "--temporary", "--yes"], 2, "a cover has an end date"),  # needs --until
        (["handover", "asha", "--yes"], 2, "--to/--auto give exactly one"),
        (["reassign", "C-0001", "--to", "ben"], 2, "Missing option '--reason'"),  # reason missing
        (["reassign", "C-0001", "--to", "ben", "--reason", "  "], 2, "--reason: '  ' is empty"),
        (["reassign", "C-0001", "--to", "asha", "--reason", "x"], 1, "C-0001 is already with asha"),  # already there
        (["reassign", "C-0099", "--to", "ben", "--reason", "x"], 1, "no case 'C-0099'"),
        (["worker", "left", "asha"], 1, "asha still holds 6 open case(s)"),
        (["worker", "absent", "asha", "--from", "+3d", "--until", "today"], 2, "--until: 'today' is before --from"),
        (["worker", "absent", "asha", "--from", "tomorrow", "--until", "+3d", "--cover", "zed"], 1,
         "--cover: no worker 'zed'"),
        (["worker", "reduce", "ben", "--percent", "150", "--reason", "project", "--from", "today"], 2,
         "--percent: '150' must be more than 0 and at most 100"),
        (["worker", "reduce", "ben", "--points", "5", "--reason", "holiday", "--from", "today"], 2,
         "--reason: 'holiday' is not one of"),
        (["worker", "reduce", "ben", "--reason", "project", "--from", "today"], 2, "--percent/--points"),
        (["close", "C-0001"], 2, "Missing option '--reason'"),
        (["update", "C-0001", "--tier", "huge"], 2, "--tier: 'huge' is not one of"),
        (["update", "C-0001"], 2, "give at least one field to change"),
        (["note", "C-0099", "hello"], 1, "no case 'C-0099'"),
        (["return"], 2, "--due"),
    ]
    for args, code, problem in attempts:
        result = busy(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert "Traceback" not in result.output
        assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1, (args, result.stderr)
        assert problem in result.stderr, (args, result.stderr)
    busy.ok("worker", "left", "cara")
    after_cara = busy.dump()
    handed = busy("handover", "asha", "--to", "cara", "--yes")
    assert handed.exit_code == 1 and "cara has left" in handed.stderr
    assert busy.dump() == after_cara
    assert after_cara != before  # only `worker left cara` changed anything


def test_reductions_cut_capacity_and_show_line_by_line(team):
    team.ok("worker", "reduce", "ben", "--percent", "25", "--reason", "phased return", "--from", "today",
            "--until", "+10d")
    team.ok("worker", "reduce", "ben", "--points", "4", "--reason", "union duties", "--from", "today")
    team.ok("worker", "reduce", "ben", "--percent", "50", "--reason", "project", "--from", "+60d")
    shown = " ".join(team.ok("worker", "show", "ben").stdout.split())
    assert "72 base: fte 0.8 x 100 points x (1 - admin 10%) - 18 reduction 25% (phased return) " \
           "- 4 reduction 4 points (union duties) = 50 points" in shown
    assert "scheduled: 50% from 2027-01-22" in shown
    rows = json.loads(team.ok("worker", "reductions", "ben", "--format", "json").stdout)
    assert [r["state"] for r in rows] == ["active", "active", "scheduled"]
    expiring = json.loads(team.ok("worker", "reductions", "--expiring", "--format", "json").stdout)
    assert [r["reason"] for r in expiring] == ["phased return"]
    review = json.loads(team.ok("zone-review", "--format", "json").stdout)
    team.ok("intake", "--client", "x", "--assign", "ben", "--tier", "high")
    review = json.loads(team.ok("zone-review", "--format", "json").stdout)
    ben = next(w for w in review["workers"] if w["id"] == "ben")
    assert ben["capacity"] == 50 and ben["load_pct"] == 12


def test_notes_reviews_updates_and_closing(busy):
    busy.ok("review", "C-0002", "--note", "stable now")
    case = next(c for c in cases_json(busy) if c["id"] == "C-0002")
    assert case["next_review_on"] == "2027-01-18"  # low risk: 56 days
    busy.ok("review", "C-0002", "--next", "+7d")
    assert next(c for c in cases_json(busy) if c["id"] == "C-0002")["next_review_on"] == "2026-11-30"
    assert next(c for c in cases_json(busy) if c["id"] == "C-0001")["last_contact_on"] == "2026-11-23"

    changed = busy.ok("update", "C-0002", "--tier", "low", "--status", "monitoring")
    assert "asha: load 30/90 = 33.3% BLUE -> 22.5/90 = 25.0% BLUE" in changed.stderr
    busy.ok("close", "C-0002", "--reason", "goals met")
    assert "C-0002" not in [c["id"] for c in cases_json(busy)]
    closed = cases_json(busy, "--status", "closed")
    assert closed[0]["id"] == "C-0002" and closed[0]["closed_on"] == "2026-11-23" and closed[0]["weight"] == 0
    shown = busy.ok("show", "C-0002").stdout
    assert "stable now" in shown and "goals met" in shown
    late = busy("note", "C-0002", "too late")
    assert late.exit_code == 1 and "C-0002 is closed" in late.stderr
    assert "too late" not in busy.ok("show", "C-0002").stdout
    assert [r["kind"] for r in history_json(busy, "C-0002")] == ["intake", "assign", "close"]
    assert history_json(busy, "--since", "tomorrow") == []


def test_reassign_ends_a_cover(busy):
    busy.ok("handover", "asha", "--to", "ben", "--temporary", "--until", "+1w", "--yes")
    busy.ok("reassign", "C-0001", "--to", "cara", "--reason", "cara knows the family")
    case = next(c for c in cases_json(busy) if c["id"] == "C-0001")
    assert case["worker"] == "cara" and case["home_worker"] is None
    assert "returned 5 case(s)" in busy.ok("return", "asha").stderr


def test_the_departure_story_on_the_demo_team(demo_db, tmp_path):
    """leave -> handover --auto -> the cases nobody can take go by hand -> left, on the demo."""
    import shutil

    from conftest import Cli

    db = tmp_path / "demo-copy.db"
    shutil.copy(demo_db, db)
    demo = Cli(db)
    notes_before = {c: demo.ok("show", c).stdout.count("\n") for c in ("C-0001", "C-0005")}
    demo.ok("worker", "leave", "asha", "--on", "+2w")
    plan = json.loads(demo.ok("handover", "asha", "--auto", "--dry-run", "--format", "json").stdout)
    assert demo("handover", "asha", "--auto", "--yes").exit_code == 1  # the stuck cases stay with asha
    for stuck in plan["stuck"]:  # only asha spoke these languages: the lead decides by hand
        demo.ok("reassign", stuck["case"], "--to", "dev", "--reason", "interpreter arranged")
    demo.ok("worker", "left", "asha")
    assert cases_json(demo, "--worker", "asha") == []
    moved = [r for r in history_json(demo, "--worker", "asha")
             if r["previous_worker"] == "asha" and r["kind"] in ("handover", "reassign")]
    assert len(moved) == len(plan["moves"]) + len(plan["stuck"]) == 25
    for case_id, lines in notes_before.items():
        assert demo.ok("show", case_id).stdout.count("\n") >= lines  # nothing lost, history grew
    assert demo.ok("doctor").stderr.endswith("no problems found\n")


def test_closing_a_waiting_case_closes_a_withdrawn_referral(team):
    # was refused until issue 22; tests/test_referrals_starters_find.py has the whole story
    case_id = team.ok("intake", "--client", "Withdrawn").stdout.strip()
    result = team.ok("close", case_id, "--reason", "referral withdrawn")
    assert "a withdrawn referral" in result.stderr and "damaged" not in result.stderr


def test_a_handover_that_leaves_workers_red_says_so_and_amber_holds_them_back(demo_db, tmp_path):
    """The demo has no room for asha's whole caseload: spread by the rules (the default
    --max-zone red), five receivers end red; the plan says so, and --max-zone amber keeps
    everyone out of red, leaving more of the cases with asha."""
    import shutil

    from conftest import Cli

    db = tmp_path / "demo-copy.db"
    shutil.copy(demo_db, db)
    demo = Cli(db)
    spread = demo.ok("handover", "asha", "--auto", "--dry-run", "--format", "json")
    plan = json.loads(spread.stdout)
    red = sorted({m["to"] for m in plan["moves"] if m["zone_after"] == "red"})
    assert len(red) == 5
    warning = (f"5 worker(s) would be red after this handover ({', '.join(red)}): the team has no room for all "
               f"of asha's cases; --max-zone amber keeps them out of red and leaves the rest with asha")
    assert plan["warnings"] == [warning] and f"warning: {warning}" in spread.stderr
    held = json.loads(demo.ok("handover", "asha", "--auto", "--dry-run", "--max-zone", "amber", "-f", "json").stdout)
    assert held["warnings"] == [] and all(m["zone_after"] != "red" for m in held["moves"])
    assert len(held["stuck"]) > len(plan["stuck"])
