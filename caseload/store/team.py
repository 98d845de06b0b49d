"""The team as read once for a day (`domain.review.TeamOnDay`): workers who have not left,
their open-case counts (SQL aggregates), active reductions and absences."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from caseload.domain.review import TeamOnDay
from caseload.store.loads import worker_counts
from caseload.store.workers import absences_on, list_workers, reductions_active_on


def read_team(db: sqlite3.Connection, on: date, config) -> TeamOnDay:
    recent_since = (on - timedelta(days=config.allocation.recent_days)).isoformat()
    return TeamOnDay(
        on=on,
        workers=tuple(list_workers(db)),
        counts=worker_counts(db, on, config.stale_after_days, recent_since),
        cuts=reductions_active_on(db, on),
        away=absences_on(db, on),
    )
