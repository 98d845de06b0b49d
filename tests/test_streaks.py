"""Red streaks and "excessive" workload counted in ISO weeks (DESIGN §2): one snapshot a
day, each week's latest snapshot counts, a week with no snapshot ends the streak, and
recording nightly, weekly or at irregular times gives the same alert.

The first half drives the real command line over a scripted month (CASELOAD_TODAY moves
the day); the second half is the domain's pure functions, with no database.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseload.domain.trends import Snapshot, SnapshotRow, excessive, red_streaks, week_of, weekly

MONDAY = date(2026, 11, 2)  # ISO week 45: the scripted month is weeks 45 to 48 (2 to 29 November)
MONTH = [MONDAY + timedelta(days=i) for i in range(28)]


def ben_in_the_red(team) -> None:
    """ben (0.8 fte, 72 points): 13 high-tier cases and an intensive one, 91 of 72 = 126 %: red."""
    for i in range(13):
        team.ok("intake", "--client", f"Heavy {i}", "--tier", "high", "--assign", "ben", env=at(MONDAY))
    team.ok("intake", "--client", "Dan D", "--tier", "intensive", "--assign", "ben", env=at(MONDAY))


def at(day: date) -> dict:
    return {"CASELOAD_TODAY": day.isoformat()}


def report(team, day: date, *args: str) -> dict:
    return json.loads(team.ok("report", "--format", "json", *args, env=at(day)).stdout)


def ben_row(data: dict) -> dict:
    return next(w for w in data["zones"]["workers"] if w["id"] == "ben")


def snapshot_days(db) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [d for (d,) in conn.execute("SELECT on_date FROM zone_reviews ORDER BY on_date")]
    finally:
        conn.close()


def nightly_and_monday_meetings(day: date) -> list[tuple[str, ...]]:
    """The README's weekday cron line, and the team meeting's recorded review on Mondays."""
    runs = [("zone-review", "--record")] if day.weekday() == 0 else []
    return runs + ([("report", "--record", "--format", "json")] if day.weekday() < 5 else [])


def mondays_only(day: date) -> list[tuple[str, ...]]:
    return [("zone-review", "--record")] if day.weekday() == 0 else []


IRREGULAR = {date(2026, 11, 5), date(2026, 11, 10), date(2026, 11, 14), date(2026, 11, 22), date(2026, 11, 25),
             date(2026, 11, 26)}  # Thu; Tue, Sat; Sun; Wed, Thu


def irregular(day: date) -> list[tuple[str, ...]]:
    return [("report", "--record", "--format", "json")] if day in IRREGULAR else []


@pytest.mark.parametrize("schedule", [nightly_and_monday_meetings, mondays_only, irregular])
def test_excessive_appears_in_the_fourth_week_whatever_the_recording_schedule(team, schedule):
    ben_in_the_red(team)
    recorded = []
    for day in MONTH:
        for run in schedule(day):
            team.ok(*run, env=at(day))
            recorded.append(day)
        data = report(team, day)  # what anyone reading the report that day sees
        week = (day - MONDAY).days // 7 + 1
        newest = max(recorded, default=None)
        # the streak counts back from the week of the newest snapshot: every week so far
        # has one and ben is red in all of them
        weeks = 0 if newest is None else (newest - MONDAY).days // 7 + 1
        if schedule is not irregular:
            assert weeks == week, day  # nightly or on Mondays: this week is already recorded
        assert ben_row(data)["red_streak"] == weeks and ben_row(data)["zone"] == "red", day
        assert data["red_streaks"] == ([{"worker": "ben", "weeks": weeks}] if weeks >= 2 else []), day
        assert data["excessive"] == ([{"worker": "ben", "weeks": weeks}] if weeks >= 4 else []), day
        assert data["excessive_after"] == 4
        text = team.ok("report", env=at(day)).stdout
        assert ("EXCESSIVE workload: ben has been red for 4 weeks running (4 or more is excessive)" in text) \
            == (weeks == 4), day
        assert ("EXCESSIVE" in text) == (weeks >= 4), day
        if 2 <= weeks < 4:
            assert f"ben red for {weeks} weeks running" in text, day
    assert week == 4 and weeks == 4
    # one snapshot a day at most: the Monday meeting and that night's report made one
    assert snapshot_days(team.db) == sorted({d.isoformat() for d in recorded})
    if schedule is nightly_and_monday_meetings:
        assert len(snapshot_days(team.db)) == 20


def test_the_nightly_report_itself_alerts_from_the_monday_of_week_four(team):
    ben_in_the_red(team)
    for day in MONTH:
        if day.weekday() >= 5:
            continue
        data = report(team, day, "--record")
        week = (day - MONDAY).days // 7 + 1
        assert data["excessive"] == ([{"worker": "ben", "weeks": 4}] if week == 4 else []), day
    # the streak is not the number of recorded reviews (20): it is the weeks
    assert report(team, MONTH[-1])["red_streaks"] == [{"worker": "ben", "weeks": 4}]


def test_every_format_says_the_same_words(team):
    ben_in_the_red(team)
    for day in (MONDAY, MONDAY + timedelta(weeks=1)):
        team.ok("zone-review", "--record", env=at(day))
    day = MONDAY + timedelta(weeks=1, days=2)
    line = "ben red for 2 weeks running"
    assert line in team.ok("report", env=at(day)).stdout
    assert f"- **{line}**" in team.ok("report", "--format", "md", env=at(day)).stdout
    assert f'<div class="alert">{line}</div>' in team.ok("report", "--format", "html", env=at(day)).stdout
    assert "red 2 weeks running" in team.ok("report", "--format", "md", env=at(day)).stdout  # ben's row note
    assert "ben,Ben Okafor,14," in team.ok("report", "--format", "csv", env=at(day)).stdout
    rows = team.ok("report", "--format", "csv", env=at(day)).stdout.splitlines()
    header, ben = rows[0].split(","), next(r for r in rows if r.startswith("ben,")).split(",")
    assert ben[header.index("red_streak")] == "2"
    for day in (MONDAY + timedelta(weeks=2), MONDAY + timedelta(weeks=3)):
        team.ok("zone-review", "--record", env=at(day))
    line = "EXCESSIVE workload: ben has been red for 4 weeks running (4 or more is excessive)"
    assert line in team.ok("report", env=at(day)).stdout
    assert f"- **{line}**" in team.ok("report", "--format", "md", env=at(day)).stdout
    assert f'<div class="alert">{line}</div>' in team.ok("report", "--format", "html", env=at(day)).stdout


def test_recording_twice_on_one_day_leaves_one_snapshot_the_later(team):
    ben_in_the_red(team)
    last_week = MONDAY + timedelta(weeks=2)
    day = MONDAY + timedelta(weeks=3)
    team.ok("zone-review", "--record", env=at(last_week))
    team.ok("report", "--record", env=at(day))  # an early nightly run
    team.ok("intake", "--client", "After the first run", "--tier", "high", "--assign", "asha", env=at(day))
    data = report(team, day, "--record")  # the nightly report again: it replaces the day's nightly snapshot
    assert snapshot_days(team.db) == [last_week.isoformat(), day.isoformat()]
    assert data["last_review"]["date"] == last_week.isoformat()  # compared with last week, not the meeting
    assert data["since"] == last_week.isoformat()
    assert data["red_streaks"] == [{"worker": "ben", "weeks": 2}]
    conn = sqlite3.connect(team.db)
    try:
        rows = conn.execute("SELECT r.worker, r.load FROM zone_review_rows r JOIN zone_reviews z ON z.id = r.review "
                            "WHERE z.on_date = ? ORDER BY r.worker", [day.isoformat()]).fetchall()
        orphans = conn.execute("SELECT count(*) FROM zone_review_rows WHERE review NOT IN "
                               "(SELECT id FROM zone_reviews)").fetchone()[0]
    finally:
        conn.close()
    assert dict(rows)["asha"] == "6"  # the later figures: the case taken after the meeting
    assert sorted(dict(rows)) == ["asha", "ben", "cara"] and orphans == 0
    # and again the same day: still one snapshot
    team.ok("report", "--record", env=at(day))
    assert snapshot_days(team.db) == [last_week.isoformat(), day.isoformat()]


def test_a_week_without_a_snapshot_ends_the_streak(team):
    ben_in_the_red(team)
    for week in (0, 1, 3, 4):  # nothing recorded in the third week
        team.ok("zone-review", "--record", env=at(MONDAY + timedelta(weeks=week)))
        data = report(team, MONDAY + timedelta(weeks=week, days=3))
        assert ben_row(data)["red_streak"] == {0: 1, 1: 2, 3: 1, 4: 2}[week]
    # during the week with no snapshot the streak still counts from the week before ...
    assert ben_row(report(team, MONDAY + timedelta(weeks=2, days=6)))["red_streak"] == 2
    # ... and five weeks after the start, with a gap, nothing is excessive
    assert report(team, MONDAY + timedelta(weeks=4, days=6))["excessive"] == []


def test_a_streak_longer_than_the_old_26_snapshots_is_still_counted(team):
    """Nightly recording every day for eight weeks is 56 snapshots: the report reads by date."""
    from caseload.store.zones import record_review_rows

    conn = sqlite3.connect(team.db)
    try:
        for i in range(56):
            day = MONDAY + timedelta(days=i)
            record_review_rows(conn, [("asha", 1, Fraction(6), Fraction(90), "blue"),
                                      ("ben", 14, Fraction(91), Fraction(72), "red")],
                               day, "cron", f"{day.isoformat()}T06:30:00+00:00")
        conn.commit()
    finally:
        conn.close()
    data = report(team, MONDAY + timedelta(days=55))
    assert data["red_streaks"] == [{"worker": "ben", "weeks": 8}]
    assert data["excessive"] == [{"worker": "ben", "weeks": 8}]
    assert len(data["trend"]) == 56 and data["trend"][-1]["date"] == "2026-12-27"  # one point per snapshot


# -- the domain: pure functions, no database -----------------------------------

def snap(on: str, at: str = "18:00:00", **zones: str) -> Snapshot:
    return Snapshot(on, f"{on}T{at}+00:00",
                    {w: SnapshotRow(1, Fraction(100 if z == "red" else 50), Fraction(90), z) for w, z in zones.items()})


def days(first: str, count: int, **zones: str) -> list[Snapshot]:
    start = date.fromisoformat(first)
    return [snap((start + timedelta(days=i)).isoformat(), **zones) for i in range(count)]


def test_iso_weeks_run_monday_to_sunday_across_the_new_year():
    assert week_of("2026-11-02") == week_of("2026-11-08") == date(2026, 11, 2)
    assert week_of("2026-11-09") == date(2026, 11, 9)
    assert week_of("2027-01-03") == date(2026, 12, 28)  # ISO week 53 of 2026
    streaks = red_streaks([snap("2027-01-04", a="red"), snap("2027-01-03", a="red"), snap("2026-12-21", a="red")],
                          ["a"])
    assert streaks == {"a": 3}


def test_each_week_is_its_latest_snapshot_newest_week_first_in_any_order():
    shuffled = [snap("2026-11-10", a="red"), snap("2026-11-03", a="red"), snap("2026-11-12", "09:00:00", a="green"),
                snap("2026-11-12", "07:00:00", a="red"), snap("2026-11-08", a="amber")]
    assert [(s.on, s.rows["a"].zone) for s in weekly(shuffled)] == [("2026-11-12", "green"), ("2026-11-08", "amber")]
    assert weekly([]) == []


def test_nightly_weekly_and_irregular_recording_give_the_same_streaks():
    nightly = days("2026-11-02", 26, a="red", b="amber")[::-1]  # Monday 2 to Friday 27 November
    weekly_only = [s for s in nightly if date.fromisoformat(s.on).weekday() == 0]
    odd = [s for s in nightly if s.on in ("2026-11-27", "2026-11-19", "2026-11-15", "2026-11-03")]
    for snapshots in (nightly, weekly_only, odd):
        assert red_streaks(snapshots, ["a", "b", "c"]) == {"a": 4}
        assert excessive(red_streaks(snapshots, ["a"]), 4) == {"a": 4}
        assert excessive(red_streaks(snapshots, ["a"]), 5) == {}


def test_only_the_latest_snapshot_of_a_week_counts():
    week_green_at_its_end = [snap("2026-11-20", a="green"), snap("2026-11-19", a="red"), snap("2026-11-16", a="red")]
    before = [snap("2026-11-13", a="red"), snap("2026-11-06", a="red")]
    assert red_streaks(week_green_at_its_end + before, ["a"]) == {}
    red_at_its_end = [snap("2026-11-20", a="red"), snap("2026-11-16", a="green")]
    assert red_streaks(red_at_its_end + before, ["a"]) == {"a": 3}


def test_the_newest_week_counts_as_soon_as_it_has_a_snapshot():
    three_weeks = [snap("2026-11-16", a="red"), snap("2026-11-09", a="red"), snap("2026-11-02", a="red")]
    assert red_streaks(three_weeks, ["a"]) == {"a": 3}
    assert red_streaks([snap("2026-11-23", a="red")] + three_weeks, ["a"]) == {"a": 4}  # Monday of week four


def test_a_gap_week_or_a_missing_worker_ends_the_streak():
    with_gap = [snap("2026-11-23", a="red", b="red"), snap("2026-11-16", a="red", b="red"),
                snap("2026-11-02", a="red", b="red")]  # nothing in the week of 9 November
    assert red_streaks(with_gap, ["a", "b"]) == {"a": 2, "b": 2}
    without_b = [snap("2026-11-23", a="red", b="red"), snap("2026-11-16", a="red"), snap("2026-11-09", a="red", b="red")]
    assert red_streaks(without_b, ["a", "b"]) == {"a": 3, "b": 1}
    assert red_streaks([], ["a"]) == {}
    assert red_streaks([snap("2026-11-23", a="amber")], ["a"]) == {}


@given(st.lists(st.sets(st.integers(0, 6), min_size=1), min_size=1, max_size=8), st.booleans())
def test_any_schedule_with_a_snapshot_every_week_counts_every_week(weeks, shuffle):
    """Whatever days of each week are recorded, a worker red throughout is red for as many
    weeks as were recorded; the count equals that of the weekly latest snapshots alone."""
    snapshots = [snap((MONDAY + timedelta(weeks=w, days=d)).isoformat(), a="red")
                 for w, chosen in enumerate(weeks) for d in sorted(chosen)]
    if not shuffle:
        snapshots.reverse()
    assert red_streaks(snapshots, ["a"]) == {"a": len(weeks)}
    assert red_streaks(weekly(snapshots), ["a"]) == {"a": len(weeks)}
    assert len(weekly(snapshots)) == len(weeks)
