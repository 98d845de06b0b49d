"""The zone review's figures for each worker and for the team (DESIGN §3, §5).

The store supplies counts (from SQL aggregation, never row by row); this module
turns them into loads, capacities, percentages and zones.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property
from typing import Iterable, Mapping

from caseload.domain.figures import ratio_sum
from caseload.domain.load import (
    WeightTable, capacity_on, count_cap, load_from_counts, load_pct, weight_table, zone_at,
)
from caseload.domain.model import ZONES, Absence, LoadRules, Reduction, Worker, ZoneThresholds
from caseload.domain.trends import is_excessive, red_streak, weeks_before


@dataclass(frozen=True)
class WorkerCounts:
    """What SQL counts for one worker: open cases by (tier, status) and the attention figures."""

    by_tier_status: tuple[tuple[str, str, int], ...] = ()
    high_risk: int = 0
    overdue_reviews: int = 0
    stale: int = 0
    new_recent: int = 0  # cases that came to them, by any route, in the recent window

    @cached_property  # asked for several times per worker; a frozen dataclass may cache it
    def cases(self) -> int:
        return sum([n for _tier, _status, n in self.by_tier_status])


@dataclass(frozen=True)
class WorkerFigures:
    worker: Worker
    cases: int
    high_risk: int
    load: Fraction
    capacity: Fraction
    load_pct: Fraction | None
    zone: str
    absence: Absence | None
    cap: int | None
    overdue_reviews: int
    stale: int
    new_recent: int

    @property
    def over_cap(self) -> bool:
        return self.cap is not None and self.cases > self.cap


def worker_figures(
    worker: Worker,
    counts: WorkerCounts,
    reductions: Iterable[Reduction],
    absence: Absence | None,
    rules: LoadRules,
    on: date,
    weights: WeightTable | None = None,
) -> WorkerFigures:
    """`weights`: `domain.load.weight_table(rules)`, when the caller works out many workers."""
    load = load_from_counts(counts.by_tier_status, rules, weights)
    capacity = capacity_on(worker, reductions, rules, on)
    pct = load_pct(load, capacity)
    return WorkerFigures(
        worker=worker, cases=counts.cases, high_risk=counts.high_risk, load=load, capacity=capacity,
        load_pct=pct, zone=zone_at(pct, load, rules.zones), absence=absence,
        cap=count_cap(worker, rules), overdue_reviews=counts.overdue_reviews, stale=counts.stale,
        new_recent=counts.new_recent,
    )


@dataclass(frozen=True)
class TeamFigures:
    load: Fraction
    capacity: Fraction
    load_pct: Fraction | None
    zone: str
    waiting: int
    oldest_waiting_days: int | None


def team_figures(
    figures: Iterable[WorkerFigures], waiting: int, oldest_waiting_on: date | None,
    on: date, thresholds: ZoneThresholds,
) -> TeamFigures:
    figures = list(figures)
    load = exact_sum([f.load for f in figures])
    capacity = exact_sum([f.capacity for f in figures])
    oldest = (on - oldest_waiting_on).days if oldest_waiting_on is not None else None
    pct = load_pct(load, capacity)
    return TeamFigures(load, capacity, pct, zone_at(pct, load, thresholds), waiting, oldest)


def exact_sum(values: list[Fraction]) -> Fraction:
    """The sum of Fractions, the same exact value as `sum(values, Fraction(0))`, without a
    Fraction (and its gcd) per term (a team of thousands): `figures.ratio_sum`."""
    return ratio_sum((value.numerator, value.denominator) for value in values)


def shown_in_review(worker: Worker, open_cases: int) -> bool:
    """Who the zone review shows: every worker who has not left, except a lead holding no
    case (a lead's unused capacity would hide the team's real load)."""
    return not (worker.role == "lead" and open_cases == 0)


def as_seen_on(worker: Worker, open_cases: int, on: date) -> Worker | None:
    """The worker as the view of `on` sees them: someone who has left by then (their last
    day before `on`, whether or not `worker left` has been run yet) has no capacity (status
    "gone"), so the cases still on their desk show as red and still to hand over; gone with
    nothing to hand over, they are not in the view (None). Today's review and a look-ahead
    agree: a leaver whose last day has passed is not shown with a full capacity."""
    if worker.leaving_on is not None and worker.leaving_on < on:
        if open_cases == 0:
            return None
        return replace(worker, capacity=Fraction(0), status="gone")
    return worker


def shift_cases(
    counts: dict[str, WorkerCounts], moves: list[tuple[str, str, str, str, str]]
) -> dict[str, WorkerCounts]:
    """Counts after cases move from holder to home worker: (holder, home, tier, status, risk) each.
    Used to look ahead past the end of temporary covers. Only the workers a move touches
    are worked out again (a forecast asks this for every week of a team of hundreds)."""
    shifted = dict(counts)
    tiers: dict[str, dict[tuple[str, str], int]] = {}
    high: dict[str, int] = {}
    for holder, home, tier, status, risk in moves:
        for worker, step in ((holder, -1), (home, 1)):
            mine = tiers.get(worker)
            if mine is None:
                base = counts.get(worker, WorkerCounts())
                mine = tiers[worker] = {(t, st): n for t, st, n in base.by_tier_status}
                high[worker] = base.high_risk
            mine[(tier, status)] = mine.get((tier, status), 0) + step
            if risk == "high":
                high[worker] += step
    for worker, mine in tiers.items():
        base = counts.get(worker, WorkerCounts())
        rows = tuple((t, st, n) for (t, st), n in sorted(mine.items()) if n)
        shifted[worker] = replace(base, by_tier_status=rows, high_risk=high[worker])
    return shifted


def reaches(zone_name: str, threshold: str) -> bool:
    """True when `zone_name` is `threshold` or worse (for --fail-on amber|red)."""
    return ZONES.index(zone_name) >= ZONES.index(threshold)


@dataclass(frozen=True)
class TeamOnDay:
    """The team as seen on a day: its workers (not left), their counts, the reductions
    active and the absences covering that day. The zone review (and its look-ahead), the
    forecast, the planner and rebalance all start from this (`KnownTeam.on`). `today` is
    the day it was read on: a later `on` is a look-ahead."""

    on: date
    workers: tuple[Worker, ...]
    counts: Mapping[str, WorkerCounts]
    cuts: Mapping[str, list[Reduction]]
    away: Mapping[str, Absence]
    today: date | None = None  # None: the day itself

    @property
    def ahead(self) -> bool:
        return self.today is not None and self.on > self.today

    def figures(self, rules: LoadRules, memo: dict | None = None) -> tuple[list[WorkerFigures], list[Worker]]:
        """Each worker as seen on the day (the zone review's rows, in id order), and the new
        starters who have not started (no capacity, no zone: shown apart).

        Shown: every worker who has not left, except a lead holding no case
        (`shown_in_review`); on a look-ahead, someone who will have left by then shows with
        no capacity and their cases still to hand over, or not at all when they hold none
        (`as_seen_on`). A starter who holds cases before their first day (which caseload
        refuses, but a database may say so) shows with those cases on no capacity: red.

        `memo` (a dict kept across days) reuses a worker's figures when nothing they depend
        on has changed since another day: the forecast's weeks mostly repeat."""
        figures, starting = [], []
        weights = weight_table(rules)
        for worker in self.workers:
            mine = self.counts.get(worker.id, WorkerCounts())
            if not worker.started_by(self.on) and mine.cases == 0:
                starting.append(worker)
                continue
            if not shown_in_review(worker, mine.cases):
                continue
            seen = as_seen_on(worker, mine.cases, self.on)
            if seen is None:
                continue
            cuts, away = self.cuts.get(worker.id, []), self.away.get(worker.id)
            key = None if memo is None else (seen, seen.started_by(self.on), mine.by_tier_status, mine.high_risk,
                                               tuple(r.id for r in cuts), away)
            found = memo.get(key) if key is not None else None
            if found is None:
                found = worker_figures(seen, mine, cuts, away, rules, self.on, weights)
                if key is not None:
                    memo[key] = found
            elif (found.overdue_reviews, found.stale, found.new_recent) != (mine.overdue_reviews, mine.stale,
                                                                               mine.new_recent):
                found = replace(found, overdue_reviews=mine.overdue_reviews, stale=mine.stale,
                                new_recent=mine.new_recent)
            figures.append(found)
        return figures, starting


@dataclass(frozen=True)
class Cover:
    """A case under temporary cover: who holds it, whose it is, and the cover's last day."""

    holder: str
    home: str
    tier: str
    status: str
    risk: str
    until: date


@dataclass(frozen=True)
class KnownTeam:
    """What is known today about the team, read once, to see it on any day from `first`:
    the workers who have not left, their counts as read for `first`, every reduction,
    the absences not over before `first`, the cases under cover, and the arrivals by day
    since `first` less the recent window (so "new in the last 30 days" moves with the day).

    It invents nothing: no intake, no closures, no allocations. On a day after `today`,
    covers that have ended count their cases on the home worker (`shift_cases`)."""

    today: date
    first: date
    workers: tuple[Worker, ...]
    counts: Mapping[str, WorkerCounts]
    reductions: Mapping[str, tuple[Reduction, ...]]
    absences: Mapping[str, tuple[Absence, ...]]  # each worker's, by first day
    covers: tuple[Cover, ...] = ()
    arrivals: Mapping[str, tuple[tuple[date, int], ...]] = field(default_factory=dict)
    recent_days: int = 30

    def on(self, day: date, arrivals: bool = True) -> TeamOnDay:
        """The team as seen on `day` (not before `first`). Without `arrivals`, "new in the
        last 30 days" stays as it is on `first` (the forecast's grid, which shows only
        loads and zones, skips moving it: a worker's figures then repeat week to week)."""
        counts = self.counts
        if arrivals and day > self.first and self.arrivals:
            counts = self._recent_moved(counts, day)
        if day > self.today:
            counts = shift_cases(counts, [(c.holder, c.home, c.tier, c.status, c.risk)
                                          for c in self.covers if c.until < day])
        cuts = {w: [r for r in found if r.state(day) == "active"] for w, found in self.reductions.items()}
        away = {}
        for worker, found in self.absences.items():
            for absence in found:  # by first day: the latest-starting absence covering the day counts
                if absence.covers(day):
                    away[worker] = absence
        return TeamOnDay(day, self.workers, counts, {w: c for w, c in cuts.items() if c}, away, self.today)

    def _recent_moved(self, counts: Mapping[str, WorkerCounts], day: date) -> dict[str, WorkerCounts]:
        """Counts whose recent arrivals are those of `day`'s window: the arrivals that fall out
        of the window between `first` and `day` are taken off."""
        start, end = self.first - timedelta(days=self.recent_days), day - timedelta(days=self.recent_days)
        moved = dict(counts)
        for worker, days in self.arrivals.items():
            gone = sum(n for on, n in days if start <= on < end)
            if gone and worker in moved:
                moved[worker] = replace(moved[worker], new_recent=moved[worker].new_recent - gone)
        return moved


@dataclass(frozen=True)
class MeetingFigures:
    """What the meeting adds to a worker's figures (DESIGN §2, §5): the ISO weeks in a row
    they have been red (this one included), whether that is excessive, how many cases they
    cover for others and how many of theirs are covered, and their own view of their
    caseload this week (None: not given)."""

    red_weeks: int = 0
    excessive: bool = False
    covering: int = 0
    covered: int = 0
    feels: str | None = None


def meeting_figures(figures: Iterable[WorkerFigures], on: date, snapshots, excessive_after: int,
                    covering: Mapping[str, int], covered: Mapping[str, int],
                    feels: Mapping[str, str]) -> dict[str, MeetingFigures]:
    """Each worker's MeetingFigures on `on`: the red streak from the zone seen on the day and
    the recorded snapshots of the weeks before (`domain.trends.red_weeks`)."""
    found = {}
    earlier = weeks_before(on, snapshots)
    for f in figures:
        weeks = red_streak(f.zone, on, earlier, f.worker.id)
        found[f.worker.id] = MeetingFigures(weeks, is_excessive(weeks, excessive_after), covering.get(f.worker.id, 0),
                                            covered.get(f.worker.id, 0), feels.get(f.worker.id))
    return found


def zone_changes(last, figures: Iterable[WorkerFigures]) -> list[tuple[str, str, str]]:
    """(worker, zone at the last recorded review, zone now) for each worker whose zone changed."""
    return [
        (f.worker.id, last.rows[f.worker.id].zone, f.zone)
        for f in figures
        if f.worker.id in last.rows and last.rows[f.worker.id].zone != f.zone
    ]
