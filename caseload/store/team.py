"""The team as read once (`domain.review.KnownTeam`): workers who have not left, their
open-case counts (SQL aggregates), reductions, absences and, for a look-ahead, the cases
under cover and the arrivals that move the recent window. `read_team` is the team on
one day (`KnownTeam.on`): the zone review, the planner and the forecast share it."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from caseload.domain.review import KnownTeam, TeamOnDay
from caseload.store.loads import arrivals_by_day, covered_open_cases, worker_counts
from caseload.store.workers import absences_from, list_workers, reductions


def read_known(db: sqlite3.Connection, config, today: date, first: date, last: date | None = None,
               events_from: date | None = None) -> KnownTeam:
    """What is known on `today`, to see the team on any day from `first` to `last`
    (default `first`): counts as of `first`; covers only when a day is after today;
    arrivals only when the days run past `first`. `events_from` (before `first`): also the
    absences and reductions ending from that day (the forecast tells of them)."""
    last = last or first
    since = min(first, events_from or first)
    recent_since = first - timedelta(days=config.allocation.recent_days)
    cuts: dict[str, list] = {}
    for reduction in reductions(db):
        if reduction.ends_on is None or reduction.ends_on >= since:
            cuts.setdefault(reduction.worker, []).append(reduction)
    return KnownTeam(
        today=today,
        first=first,
        workers=tuple(list_workers(db)),
        counts=worker_counts(db, first, config.stale_after_days, recent_since.isoformat()),
        reductions={w: tuple(found) for w, found in cuts.items()},
        absences=absences_from(db, since),
        covers=tuple(covered_open_cases(db)) if last > today else (),
        arrivals=arrivals_by_day(db, recent_since, last - timedelta(days=config.allocation.recent_days))
        if last > first else {},
        recent_days=config.allocation.recent_days,
    )


def read_team(db: sqlite3.Connection, on: date, config, today: date | None = None) -> TeamOnDay:
    """The team as seen on `on` (a look-ahead when after `today`)."""
    return read_known(db, config, today or on, on).on(on)
