"""Recorded zone reviews over time: red streaks, "excessive" workload and the load trend
(DESIGN §2, §5).

A recorded review (a snapshot) keeps each worker's cases, load, capacity and zone on
its day. From the snapshots, newest first:
- a worker's red streak is how many snapshots running, from the newest, show them red
  (a snapshot without them ends the streak);
- a streak of `excessive_after` or more is excessive workload (the probation policy's
  four weeks above 110 %);
- the trend is each worker's and the team's load % at each snapshot, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def red_streaks(snapshots: Sequence[Snapshot], workers: Iterable[str]) -> dict[str, int]:
    """How many snapshots running (newest first) each worker has been red; only those red now."""
    streaks = {}
    for worker in workers:
        count = 0
        for snapshot in snapshots:
            row = snapshot.rows.get(worker)
            if row is None or row.zone != "red":
                break
            count += 1
        if count:
            streaks[worker] = count
    return streaks


def excessive(streaks: Mapping[str, int], excessive_after: int) -> dict[str, int]:
    """The workers whose red streak counts as excessive workload."""
    return {worker: n for worker, n in streaks.items() if n >= excessive_after}


@dataclass(frozen=True)
class TrendPoint:
    on: str
    team_load_pct: Fraction | None
    workers: Mapping[str, Fraction | None]


def trend(snapshots: Sequence[Snapshot]) -> list[TrendPoint]:
    """Each worker's and the team's load % at each snapshot, oldest first."""
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
