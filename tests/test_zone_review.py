"""The zone review: figures, the JSON contract, --fail-on, recording, and the demo team."""

import json

from conftest import Cli

WORKER_KEYS = {"id", "name", "fte", "cases", "high_risk", "load", "capacity", "load_pct", "zone", "absent",
               "over_cap", "overdue_reviews", "stale", "new_30d", "red_weeks", "excessive", "covering", "covered",
               "feels"}


def review(cli, *args):
    return json.loads(cli.ok("zone-review", "--format", "json", *args).stdout)


def test_json_has_exactly_the_design_keys(team):
    team.ok("intake", "--client", "A", "--assign", "asha")
    team.ok("intake", "--client", "B")
    data = review(team)
    assert set(data) == {"date", "workers", "team", "suggestions"}
    assert data["date"] == "2026-11-23"
    assert all(set(w) == WORKER_KEYS for w in data["workers"])
    assert set(data["team"]) == {"load", "capacity", "load_pct", "zone", "waiting", "oldest_waiting_days"}
    assert data["team"]["waiting"] == 1 and data["team"]["oldest_waiting_days"] == 0
    assert data["suggestions"] == []


def test_figures_and_zones_of_a_small_team(team):
    # ben: 0.8 fte -> 72 points. 12 high cases = 72 -> 100 % green; one more low -> 104.2 % amber
    for _ in range(12):
        team.ok("intake", "--client", "x", "--tier", "high", "--assign", "ben")
    ben = next(w for w in review(team)["workers"] if w["id"] == "ben")
    assert (ben["load"], ben["capacity"], ben["load_pct"], ben["zone"]) == (72, 72, 100, "green")
    team.ok("intake", "--client", "x", "--tier", "low", "--assign", "ben")
    ben = next(w for w in review(team)["workers"] if w["id"] == "ben")
    assert ben["zone"] == "amber" and ben["load_pct"] == 104.16 and ben["cases"] == 13 and ben["new_30d"] == 13
    workers = [w["id"] for w in review(team)["workers"]]
    assert "lead" not in workers  # a lead with no cases is not in the meeting view


def test_fail_on_exits_3_after_printing_everything(team):
    for _ in range(14):
        team.ok("intake", "--client", "x", "--tier", "high", "--assign", "ben")  # 84/72 = 116 % red
    result = team("zone-review", "--fail-on", "red")
    assert result.exit_code == 3
    assert "Waiting pool" in result.stdout and "RED" in result.stdout
    assert "ben" in result.stderr
    as_json = team("zone-review", "--fail-on", "amber", "--format", "json")
    assert as_json.exit_code == 3 and "ben" in as_json.stderr
    assert {w["id"]: w["zone"] for w in json.loads(as_json.stdout)["workers"]}["ben"] == "red"


def test_fail_on_passes_when_nobody_is_there(team):
    team.ok("intake", "--client", "x", "--assign", "ben")
    result = team("zone-review", "--fail-on", "amber")
    assert result.exit_code == 0
    assert "Zones: 0 red, 0 amber, 0 green, 3 blue" in result.stdout
    assert result.stderr == ""  # no "at amber or worse" line


def test_record_stores_a_snapshot(team):
    import sqlite3

    team.ok("intake", "--client", "x", "--assign", "ben")
    recorded = team.ok("zone-review", "--record")
    assert recorded.stderr == "recorded the zone review of 2026-11-23\n" and "Zone review 2026-11-23" in recorded.stdout
    conn = sqlite3.connect(team.db)
    assert conn.execute("SELECT count(*) FROM zone_reviews").fetchone()[0] == 1
    assert conn.execute("SELECT worker, zone FROM zone_review_rows WHERE worker = 'ben'").fetchone() == ("ben", "blue")


def test_demo_has_every_zone_and_a_waiting_pool(demo_db):
    demo = Cli(demo_db)  # read-only commands: the session's demo stays as built
    data = json.loads(demo.ok("zone-review", "--format", "json").stdout)
    assert {w["zone"] for w in data["workers"]} == {"red", "amber", "green", "blue"}
    assert len(data["workers"]) == 8
    assert data["team"]["waiting"] > 0 and data["team"]["oldest_waiting_days"] > 0
    assert any(w["absent"] for w in data["workers"])
    assert sum(w["overdue_reviews"] for w in data["workers"]) > 0
    cases = json.loads(demo.ok("cases", "--format", "json").stdout)
    closed = json.loads(demo.ok("cases", "--status", "closed", "--format", "json").stdout)
    assert 170 <= len(cases) + len(closed) <= 190


def test_the_demo_allocates_automatically_only_to_workers_who_take_automatic_allocations(demo_db):
    """hana, the demo's lead, has automatic allocation off: her cases came by hand."""
    demo = Cli(demo_db)
    manual = {w["id"] for w in json.loads(demo.ok("worker", "list", "--format", "json").stdout) if not w["auto"]}
    history = json.loads(demo.ok("export", "history", "--format", "json").stdout)
    assert manual and any(row["worker"] in manual for row in history)
    assert not [row["case"] for row in history if row["kind"] == "auto" and row["worker"] in manual]


def test_demo_refuses_a_database_with_data_even_forced(tmp_path, team):
    before = team.dump()
    for force in ([], ["--force"]):  # a team's database is never a demo (tests/test_demo_safety.py)
        result = team("demo", *force)
        assert result.exit_code == 1 and "it holds a team's records" in result.stderr
        assert team.dump() == before


def test_demo_without_db_never_touches_the_default_database(tmp_path):
    from conftest import CliRunner

    from caseload.cli import build_app

    app = build_app()
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0
    home = tmp_path / "config-home" / "caseload"
    assert (home / "demo.db").exists() and not (home / "caseload.db").exists()
    assert "caseload --db" in result.stderr
    again = CliRunner().invoke(app, ["demo"])  # its own demo file is simply rebuilt
    assert again.exit_code == 0 and "RED" in again.stdout


def test_a_leaver_whose_last_day_has_passed_shows_with_no_capacity_today(team, monkeypatch):
    """Today's review agrees with yesterday's look-ahead: past their last day, a leaver not
    yet marked `left` has no capacity and their cases show as still to hand over."""
    team.ok("intake", "--client", "A", "--tier", "high", "--assign", "ben")
    team.ok("worker", "leave", "ben", "--on", "2026-12-04")
    ahead = json.loads(team.ok("zone-review", "--on", "2026-12-07", "--format", "json").stdout)
    monkeypatch.setenv("CASELOAD_TODAY", "2026-12-07")
    today = json.loads(team.ok("zone-review", "--format", "json").stdout)
    ben = next(w for w in today["workers"] if w["id"] == "ben")
    assert (ben["capacity"], ben["zone"], ben["cases"]) == (0, "red", 1)
    assert ben == next(w for w in ahead["workers"] if w["id"] == "ben")
