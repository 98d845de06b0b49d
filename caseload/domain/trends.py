"""Recorded zone reviews over time: red streaks, "excessive" workload and the load trend
(DESIGN §2, §5).

A recorded review (a snapshot) keeps each worker's cases, load, capacity and zone on
its day; there is at most one snapshot a day (recording again replaces it). Streaks are
counted in ISO weeks (Monday to Sunday), as the probation policy counts them, so that
recording nightly, weekly or at irregular times gives the same alert:
- each week is represented by its latest snapshot (`weekly`);
- a worker's red streak is how many consecutive weeks, counting back from the week of
  the newest snapshot, have a latest snapshot that shows them red. A week with no
  snapshot ends the streak, and so does a snapshot without the worker. The week of the
  newest snapshot counts even while it is still going on (a Monday snapshot already
  counts for its week); a week with no snapshot yet is simply not reached, so a report
  read on a Tuesday after a weekly Friday recording still counts from that Friday's
  week. The streak describes the recorded snapshots only, never today's unrecorded
  figures, and is as old as the newest snapshot (the report says when that was);
- a streak of `excessive_after` weeks or more is excessive workload (the probation
  policy's four weeks above 110 %);
- the trend is each worker's and the team's load % at each snapshot given, oldest first
  (the report gives it every snapshot it reads: at most one a day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

from caseload.domain.load import load_pct


@dataclass(frozen=True)
class SnapshotRow:
    cases: int
    load: Fraction
    capacity: Fraction
    zone: str


@dataclass(frozen=True)
class Snapshot:
    """One recorded zone review: its day, when it was taken, and a row per worker."""

    on: str  # ISO date
    at: str  # UTC timestamp
    rows: Mapping[str, SnapshotRow]
    kind: str = "meeting"  # "meeting" (zone-review --record) or "nightly" (report --record)
    # the ids of the last history row and case change when it was recorded: what came after
    # it is after them (None: recorded before caseload kept them; compared by `at`)
    heads: tuple[int | None, int | None] = (None, None)


def week_of(day: str | date) -> date:
    """The Monday that starts the ISO week (Monday to Sunday) of a day."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return day - timedelta(days=day.weekday())


def weekly(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """The latest snapshot of each ISO week that has one (by its day, then its time), newest
    week first. The snapshots may come in any order."""
    latest: dict[date, Snapshot] = {}
    for snapshot in snapshots:
        week = week_of(snapshot.on)
        kept = latest.get(week)
        if kept is None or (snapshot.on, snapshot.at) > (kept.on, kept.at):
            latest[week] = snapshot
    return [latest[week] for week in sorted(latest, reverse=True)]


def red_streaks(snapshots: Iterable[Snapshot], workers: Iterable[str]) -> dict[str, int]:
    """How many ISO weeks running each worker has been red: consecutive weeks, counting
    back from the week of the newest snapshot, whose latest snapshot shows them red.
    Only the workers red in the newest week appear."""
    weeks = weekly(snapshots)
    streaks = {}
    for worker in workers:
        count = 0
        expected = week_of(weeks[0].on) if weeks else None
        for snapshot in weeks:
            row = snapshot.rows.get(worker)
            if week_of(snapshot.on) != expected or row is None or row.zone != "red":
                break
            count += 1
            expected -= timedelta(weeks=1)
        if count:
            streaks[worker] = count
    return streaks


def red_weeks(zone_now: str, on: str | date, snapshots: Iterable[Snapshot], worker: str) -> int:
    """The ISO weeks in a row a worker has been red, this one included (DESIGN §2): the
    week of `on` counts by the zone seen on `on` (`zone_now`, which stands in for any
    snapshot recorded that week), then each week before it by its latest snapshot; a
    week with no snapshot, or one that does not show them red, ends the streak. Not red
    now: 0."""
    return red_streak(zone_now, on, weeks_before(on, snapshots), worker)


def weeks_before(on: str | date, snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """The latest snapshot of each ISO week before the week of `on`, newest week first: what
    `red_streak` reads, worked out once for a whole team."""
    this_week = week_of(on)
    return weekly(s for s in snapshots if week_of(s.on) < this_week)


def red_streak(zone_now: str, on: str | date, earlier: Sequence[Snapshot], worker: str) -> int:
    """`red_weeks` from `weeks_before(on, snapshots)`."""
    if zone_now != "red":
        return 0
    count, expected = 1, week_of(on) - timedelta(weeks=1)
    for snapshot in earlier:
        row = snapshot.rows.get(worker)
        if week_of(snapshot.on) != expected or row is None or row.zone != "red":
            break
        count += 1
        expected -= timedelta(weeks=1)
    return count


def is_excessive(weeks_red: int, excessive_after: int) -> bool:
    """Excessive workload: red for `excessive_after` ISO weeks running or more."""
    return weeks_red >= excessive_after


def excessive(streaks: Mapping[str, int], excessive_after: int) -> dict[str, int]:
    """The workers whose red streak (in weeks) counts as excessive workload."""
    return {worker: n for worker, n in streaks.items() if n >= excessive_after}


@dataclass(frozen=True)
class TrendPoint:
    on: str
    team_load_pct: Fraction | None
    workers: Mapping[str, Fraction | None]


def trend(snapshots: Sequence[Snapshot]) -> list[TrendPoint]:
    """Each worker's and the team's load % at each snapshot (given newest first), oldest first."""
    points = []
    for snapshot in reversed(snapshots):
        rows = snapshot.rows.values()
        load = sum((r.load for r in rows), Fraction(0))
        capacity = sum((r.capacity for r in rows), Fraction(0))
        points.append(TrendPoint(
            snapshot.on, load_pct(load, capacity),
            {worker: load_pct(r.load, r.capacity) for worker, r in snapshot.rows.items()},
        ))
    return points
