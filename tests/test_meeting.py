"""Issue 22 item 1: meeting and nightly snapshots (DESIGN §2).

`zone-review --record` records a meeting, `report --record` a nightly snapshot; one a day,
and a meeting's is never replaced by a nightly one of the same day. "Since the last
review" compares with the last meeting (or `--since DATE`), so a nightly cron does not
empty the meeting's list of changes. Each worker row carries `red_weeks` (ISO weeks in a
row red, this one included) and `excessive`; `--fail-on excessive` exits 3.

The domain's pure streak rule first, then the command line over a scripted month."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from fractions import Fraction

from caseload.domain.trends import Snapshot, SnapshotRow, is_excessive, red_weeks

MONDAY = date(2026, 11, 2)  # ISO week 45


def snap(day: date, zone: str, worker: str = "ben", kind: str = "meeting") -> Snapshot:
    return Snapshot(day.isoformat(), f"{day.isoformat()}T18:00:00+00:00",
                    {worker: SnapshotRow(10, Fraction(100), Fraction(90), zone)}, kind)


# -- the streak rule, without a database ----------------------------------------

def test_not_red_now_is_no_streak_whatever_came_before():
    weeks = [snap(MONDAY + timedelta(weeks=i), "red") for i in range(3)]
    assert red_weeks("amber", MONDAY + timedelta(weeks=3), weeks, "ben") == 0


def test_this_week_counts_by_todays_zone_then_each_earlier_week_by_its_latest_snapshot():
    today = MONDAY + timedelta(weeks=3, days=2)
    weeks = [snap(MONDAY + timedelta(weeks=i), "red") for i in range(3)]
    assert red_weeks("red", today, weeks, "ben") == 4
    # a green snapshot recorded earlier this week does not count: today's zone stands for the week
    assert red_weeks("red", today, weeks + [snap(MONDAY + timedelta(weeks=3), "green")], "ben") == 4
    # a later snapshot of a week wins over an earlier one of the same week
    friday_green = snap(MONDAY + timedelta(weeks=2, days=4), "green")
    assert red_weeks("red", today, weeks + [friday_green], "ben") == 1


def test_a_week_without_a_snapshot_or_without_the_worker_ends_the_streak():
    today = MONDAY + timedelta(weeks=3)
    gap = [snap(MONDAY, "red"), snap(MONDAY + timedelta(weeks=2), "red")]
    assert red_weeks("red", today, gap, "ben") == 2
    assert red_weeks("red", today, [snap(MONDAY + timedelta(weeks=2), "red", worker="asha")], "ben") == 1


def test_nightly_and_weekly_recording_give_the_same_streak():
    today = MONDAY + timedelta(weeks=3, days=1)
    nightly = [snap(MONDAY + timedelta(days=d), "red", kind="nightly") for d in range(21) if d % 7 < 5]
    weekly = [snap(MONDAY + timedelta(weeks=i, days=4), "red") for i in range(3)]
    assert red_weeks("red", today, nightly, "ben") == red_weeks("red", today, weekly, "ben") == 4


def test_excessive_is_the_configured_weeks_or_more():
    assert not is_excessive(3, 4) and is_excessive(4, 4) and is_excessive(7, 4) and is_excessive(1, 1)


# -- the command line ------------------------------------------------------------

def at(day: date) -> dict:
    return {"CASELOAD_TODAY": day.isoformat()}


def ben_in_the_red(team) -> None:
    """ben (0.8 fte, 72 points): 13 high-tier cases and an intensive one, 91 of 72: red."""
    for i in range(13):
        team.ok("intake", "--client", f"Heavy {i}", "--tier", "high", "--assign", "ben", env=at(MONDAY))
    team.ok("intake", "--client", "Dan D", "--tier", "intensive", "--assign", "ben", env=at(MONDAY))


def kinds(db) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT on_date, kind FROM zone_reviews ORDER BY on_date").fetchall()
    finally:
        conn.close()


def ben(team, day: date, *args) -> dict:
    data = json.loads(team.ok("zone-review", "--format", "json", *args, env=at(day)).stdout)
    return next(w for w in data["workers"] if w["id"] == "ben")


def test_a_nightly_snapshot_never_replaces_the_days_meeting(team):
    team.ok("report", "--record", "--format", "json", env=at(MONDAY))
    assert kinds(team.db) == [(MONDAY.isoformat(), "nightly")]
    team.ok("zone-review", "--record", env=at(MONDAY))  # the meeting replaces that day's nightly one
    assert kinds(team.db) == [(MONDAY.isoformat(), "meeting")]
    result = team.ok("report", "--record", "--format", "json", env=at(MONDAY))
    assert "kept the meeting's zone snapshot of 2026-11-02" in result.stderr
    assert kinds(team.db) == [(MONDAY.isoformat(), "meeting")]


def test_since_the_last_review_means_the_last_meeting_not_last_night(team):
    team.ok("zone-review", "--record", env=at(MONDAY))
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    team.ok("intake", "--client", "New One", "--assign", "asha", env=at(tuesday))
    team.ok("report", "--record", "--format", "json", env=at(tuesday))  # the nightly cron
    text = team.ok("zone-review", env=at(wednesday)).stdout
    assert "Since the last review (2026-11-02): 1 new case(s), 1 move(s)" in text
    assert "waiting -> asha" in text
    # --since names the day to compare with
    text = team.ok("zone-review", "--since", "2026-11-03", env=at(wednesday)).stdout
    assert "Since the last review (2026-11-03): 1 new case(s)" in text
    text = team.ok("zone-review", "--since", "2026-11-04", env=at(wednesday)).stdout
    assert "Since the last review (2026-11-04): 0 new case(s), 0 move(s)" in text


def test_since_in_the_future_is_bad_input(team):
    result = team("zone-review", "--since", "+2d")
    assert result.exit_code == 2 and "--since" in result.stderr


def test_red_weeks_and_excessive_in_the_meeting_json_table_and_fail_on(team):
    ben_in_the_red(team)
    for week in range(4):
        monday = MONDAY + timedelta(weeks=week)
        row = ben(team, monday)
        assert row["red_weeks"] == week + 1 and row["excessive"] == (week == 3), week
        result = team("zone-review", "--fail-on", "excessive", env=at(monday))
        assert result.exit_code == (3 if week == 3 else 0), week
        report = team("report", "--fail-on", "excessive", "--format", "json", env=at(monday))
        assert report.exit_code == (3 if week == 3 else 0), week
        team.ok("zone-review", "--record", env=at(monday))
        for night in range(1, 5):
            team.ok("report", "--record", "--format", "json", env=at(monday + timedelta(days=night)))
    assert "excessive workload): ben" in result.stderr
    text = team.ok("zone-review", env=at(MONDAY + timedelta(weeks=3, days=2))).stdout
    assert "EXCESSIVE: red 4 weeks running" in text
    csv = team.ok("zone-review", "--format", "csv", env=at(MONDAY + timedelta(weeks=3, days=2))).stdout.splitlines()
    assert csv[0].endswith(",red_weeks,excessive,covering,covered,feels")
    export = team.ok("export", "zones", "--format", "csv", env=at(MONDAY + timedelta(weeks=3, days=2))).stdout
    assert export.splitlines()[0].lstrip("\ufeff") == csv[0]
    # a week without any snapshot ends the streak
    later = MONDAY + timedelta(weeks=5)
    assert ben(team, later)["red_weeks"] == 1


# -- the practitioner's voice (item 9) --------------------------------------------

def feels_of(team, day: date) -> dict:
    data = json.loads(team.ok("zone-review", "--format", "json", env=at(day)).stdout)
    return {w["id"]: w["feels"] for w in data["workers"]}


def stored_feels(db) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT worker, on_date, feeling FROM feels ORDER BY id").fetchall()
    finally:
        conn.close()


def test_one_view_a_worker_a_week_the_latest_wins_and_every_view_is_kept(team):
    team.ok("intake", "--client", "A", "--assign", "asha")
    team.ok("intake", "--client", "B", "--assign", "ben")
    tuesday = MONDAY + timedelta(days=1)
    result = team.ok("worker", "feels", "Asha", "overwhelmed", env=at(MONDAY))
    assert "asha feels overwhelmed in the week of 2026-11-02" in result.stderr
    result = team.ok("worker", "feels", "asha", "stretched", "--on", "2026-11-03", env=at(tuesday))
    assert "in place of overwhelmed, given 2026-11-02" in result.stderr
    assert feels_of(team, tuesday) == {"asha": "stretched", "ben": None, "cara": None}
    text = team.ok("zone-review", env=at(tuesday)).stdout
    assert "feels" in text and "stretched" in text
    # a new week starts with no view; last week's still counts for last week
    assert feels_of(team, MONDAY + timedelta(weeks=1))["asha"] is None
    assert stored_feels(team.db) == [("asha", "2026-11-02", "overwhelmed"), ("asha", "2026-11-03", "stretched")]
    # a view given later for an earlier day of the week still wins: it was given last
    team.ok("worker", "feels", "asha", "manageable", "--on", "2026-11-02", env=at(tuesday))
    assert feels_of(team, tuesday)["asha"] == "stretched"  # the latest day of the week wins first


def test_feels_is_append_only(team):
    team.ok("worker", "feels", "asha", "stretched")
    conn = sqlite3.connect(team.db)
    try:
        for sql in ("UPDATE feels SET feeling = 'manageable'", "DELETE FROM feels"):
            try:
                conn.execute(sql)
            except sqlite3.IntegrityError as error:
                assert "append-only" in str(error)
            else:
                raise AssertionError(sql)
    finally:
        conn.close()


def test_bad_views_are_refused_with_nothing_written(team):
    before = team.dump()
    for args, field in ((("asha", "fine"), "feeling"), (("asha", "stretched", "--on", "+1d"), "--on"),
                        (("asha", "stretched", "--on", "soon"), "--on"), (("a sha", "stretched"), "W")):
        result = team("worker", "feels", *args)
        assert result.exit_code == 2 and field in result.stderr, (args, result.stderr)
    assert team("worker", "feels", "nobody", "stretched").exit_code == 1
    assert team.dump() == before
