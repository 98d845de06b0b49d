"""Two things a lead's month found wrong with what the meeting reads (DESIGN §2, §11):

- a return home after a temporary cover made the home worker's own cases "new" to her: held
  since the return day, counted in "new in 30 days" (and so in the tie-break's recent
  allocations and rebalance's recently allocated cases), and exported that way, so a move
  to a new database kept the wrong day;
- a move made in the second the meeting was recorded (a script that records the meeting,
  then gives out the waiting pool) was missing from the next meeting's "since the last
  review" and from the nightly report's throughput: times are whole seconds.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3

from conftest import Cli

EWA_FILE = "id,client,worker,opened,held_since\nPR-1,Ann A,ewa,2025-01-10,2025-01-10\nPR-2,Bob B,ewa,2025-06-01,2025-06-01\n"


def at(day: str) -> dict:
    return {"CASELOAD_TODAY": day}


def covered_and_back(cli: Cli, tmp_path, meeting: bool = False) -> None:
    """ewa's two long-held cases, covered by chloe for her week away, then back with her
    (with `meeting`, the meeting of 9 March recorded before she is back)."""
    cli.ok("worker", "add", "ewa", "--name", "Ewa N", env=at("2026-03-02"))
    cli.ok("worker", "add", "chloe", "--name", "Chloe D", env=at("2026-03-02"))
    (tmp_path / "cases.csv").write_text(EWA_FILE)
    cli.ok("intake", "--file", str(tmp_path / "cases.csv"), "--yes", env=at("2026-03-02"))
    cli.ok("worker", "absent", "ewa", "--from", "today", "--until", "2026-03-13", "--cover", "chloe",
           env=at("2026-03-09"))
    cli.ok("handover", "ewa", "--temporary", "--until", "2026-03-13", "--yes", env=at("2026-03-09"))
    if meeting:
        cli.ok("zone-review", "--record", env=at("2026-03-09"))
    cli.ok("return", "ewa", env=at("2026-03-16"))


def zone_rows(cli: Cli, day: str) -> dict[str, dict]:
    return {row["id"]: row for row in json.loads(cli.ok("zone-review", "--format", "json", env=at(day)).stdout)["workers"]}


def test_a_return_home_keeps_the_home_workers_held_since_and_is_not_new_to_her(cli, tmp_path):
    covered_and_back(cli, tmp_path)
    exported = {row["id"]: row for row in csv.DictReader(io.StringIO(
        cli.ok("export", "cases", "--format", "csv", env=at("2026-03-16")).stdout))}
    assert {case: (row["worker"], row["held_since"]) for case, row in exported.items()} == {
        "PR-1": ("ewa", "2025-01-10"), "PR-2": ("ewa", "2025-06-01")}
    rows = zone_rows(cli, "2026-03-16")
    assert rows["ewa"]["cases"] == 2 and rows["ewa"]["new_30d"] == 0  # hers for a year and more
    assert rows["chloe"]["new_30d"] == 2  # the cover did bring her two cases this month
    # the move to another database carries the same day: the first review there agrees
    moved = Cli(tmp_path / "moved.db")
    moved.ok("init")
    for worker in ("ewa", "chloe"):
        moved.ok("worker", "add", worker, "--name", worker.title())
    (tmp_path / "export.csv").write_text(cli.ok("export", "cases", "--format", "csv", env=at("2026-03-16")).stdout)
    moved.ok("intake", "--file", str(tmp_path / "export.csv"), "--yes", env=at("2026-03-16"))
    assert zone_rows(moved, "2026-03-16")["ewa"]["new_30d"] == 0


def test_the_return_is_still_a_move_the_meeting_hears_of(cli, tmp_path):
    covered_and_back(cli, tmp_path, meeting=True)
    history = cli.ok("history", "PR-1", "--format", "json", env=at("2026-03-16")).stdout
    assert [row["kind"] for row in json.loads(history)][-1] == "return"
    text = cli.ok("zone-review", env=at("2026-03-16")).stdout
    assert "PR-1 return: chloe -> ewa" in text and "PR-2 return: chloe -> ewa" in text


def test_an_upgraded_database_stops_counting_returns_as_arrivals(cli, tmp_path):
    """A file of schema version 15 (before the change): the upgrade makes the index of
    arrivals again without the returns, and "held since" reads through it
    (tests/test_query_plans.py checks the plan); its reviews get their heads."""
    from caseload.domain.model import ARRIVAL_KINDS
    from caseload.store.later_migrations import returns_are_no_arrivals
    from caseload.store.migrations import MIGRATIONS
    from caseload.store.rows import sql_any

    covered_and_back(cli, tmp_path, meeting=True)
    conn = sqlite3.connect(cli.db, isolation_level=None)
    conn.execute("DROP INDEX history_arrivals")  # as version 15 left it
    conn.execute(f"CREATE INDEX history_arrivals ON history (case_id, worker, at) "
                 f"WHERE {sql_any('kind', ARRIVAL_KINDS)} AND previous_worker IS NOT worker")
    conn.execute("ALTER TABLE zone_reviews DROP COLUMN history_head")
    conn.execute("ALTER TABLE zone_reviews DROP COLUMN changes_head")
    conn.execute("DROP TABLE report_runs")
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(returns_are_no_arrivals)}")
    conn.close()
    upgraded = cli.ok("export", "cases", "--format", "csv", env=at("2026-03-16"))
    assert "from schema version 15 to" in upgraded.stderr
    assert [row["held_since"] for row in csv.DictReader(io.StringIO(upgraded.stdout))] == ["2025-01-10", "2025-06-01"]
    assert cli.ok("doctor").stderr.endswith("no problems found\n")
    conn = sqlite3.connect(cli.db)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'history_arrivals'").fetchone()[0]
    conn.close()
    assert "'return'" not in sql and "'cover'" in sql
    # the meeting recorded before the upgrade has no heads: what came after it is told by time
    text = cli.ok("zone-review", env=at("2026-03-16")).stdout
    assert "Since the last review (2026-03-09): 0 new case(s), 2 move(s)" in text


def _same_second(db, review_day: str) -> None:
    """Stamp the recorded review of `review_day` with the second of the rows written after it."""
    conn = sqlite3.connect(db)
    with conn:
        (head,) = conn.execute("SELECT history_head FROM zone_reviews WHERE on_date = ?", [review_day]).fetchone()
        (later,) = conn.execute("SELECT min(at) FROM history WHERE id > ?", [head]).fetchone()
        conn.execute("UPDATE zone_reviews SET at = ? WHERE on_date = ?", [later, review_day])
    conn.close()


def test_a_move_made_in_the_second_the_meeting_was_recorded_is_in_the_next_meeting(team):
    team.ok("intake", "--client", "Ann A", env=at("2026-11-23"))
    team.ok("intake", "--client", "Bob B", env=at("2026-11-23"))
    team.ok("zone-review", "--record", env=at("2026-11-23"))
    team.ok("assign", "--waiting", "--auto", env=at("2026-11-23"))
    _same_second(team.db, "2026-11-23")
    text = team.ok("zone-review", env=at("2026-11-30")).stdout
    assert "Since the last review (2026-11-23): 0 new case(s), 2 move(s)" in text
    assert "C-0001 auto: waiting ->" in text and "C-0002 auto: waiting ->" in text
    report = json.loads(team.ok("report", "--format", "json", env=at("2026-11-30")).stdout)
    assert report["throughput"]["allocations"] == 2 and report["throughput"]["intakes"] == 0


def test_what_the_meeting_saw_is_not_counted_again(team):
    team.ok("intake", "--client", "Ann A", "--assign", "asha", env=at("2026-11-23"))
    team.ok("zone-review", "--record", env=at("2026-11-23"))
    text = team.ok("zone-review", env=at("2026-11-30")).stdout
    assert "Since the last review (2026-11-23): 0 new case(s), 0 move(s)" in text


def test_reviews_written_afterwards_are_compared_by_their_time(demo_db):
    """The demo's past weeks (and `worker import --reviews`) are recorded after the fact: they
    keep no last rows, or the demo's meeting would say nothing happened since its last
    review (it took the rows of the whole demo as seen)."""
    text = Cli(demo_db).ok("zone-review").stdout
    assert "Since the last review (2026-11-16): 7 new case(s), 2 move(s)" in text
    report = Cli(demo_db).ok("report").stdout
    assert "Since 2026-11-16: 7 new cases, 2 allocations, 6 closures, 0 moves" in report


def nightly(team, day: str) -> dict:
    return json.loads(team.ok("report", "--record", "--format", "json", env=at(day)).stdout)["throughput"]


def test_a_move_after_the_meeting_is_in_one_nightly_report_not_two(team):
    """The meeting recorded first, a move, then the night's report (its snapshot not kept: the
    meeting's stays): the next night counted the move again, from the meeting's snapshot."""
    for client in ("Ann A", "Bob B"):
        team.ok("intake", "--client", client, "--assign", "asha", env=at("2026-11-22"))
    nightly(team, "2026-11-22")
    team.ok("zone-review", "--record", env=at("2026-11-23"))
    team.ok("reassign", "C-0001", "--to", "ben", "--reason", "closer to home", env=at("2026-11-23"))
    assert nightly(team, "2026-11-23")["moves"] == 1
    assert nightly(team, "2026-11-24")["moves"] == 0


def test_a_move_before_the_meeting_replaced_the_nights_snapshot_is_counted(team):
    """The night's snapshot recorded, a move, then a meeting that replaces that snapshot (and
    saw the move), another move: the next night counted only the second."""
    for client in ("Ann A", "Bob B"):
        team.ok("intake", "--client", client, "--assign", "asha", env=at("2026-11-22"))
    nightly(team, "2026-11-22")
    nightly(team, "2026-11-23")
    team.ok("reassign", "C-0001", "--to", "ben", "--reason", "closer to home", env=at("2026-11-23"))
    team.ok("zone-review", "--record", env=at("2026-11-23"))
    team.ok("reassign", "C-0002", "--to", "ben", "--reason", "closer to home", env=at("2026-11-23"))
    assert nightly(team, "2026-11-24")["moves"] == 2
