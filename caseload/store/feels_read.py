"""The worker's own view of their caseload (`worker feels`, DESIGN §2), as `weights` reads
it: at most one per worker per ISO week, the latest given winning.

The table is written by `worker feels` (its own module and migration); this reader
only needs its columns — worker, week (the ISO week's Monday, YYYY-MM-DD), feels, at,
actor — and finds nothing in a database that has no such table yet.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from caseload.domain.weights import FEELS


def feels_kept(db: sqlite3.Connection) -> bool:
    """This database keeps the workers' views (the table exists)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feels'").fetchone() is not None


def feels_between(db: sqlite3.Connection, first: date, last: date) -> list[tuple[str, date, str]]:
    """(worker, Monday, view) for every week from Monday `first` to Monday `last` in which a
    worker gave a view: the latest given that week (by its time). A view that
    is not one of FEELS (written outside caseload) is left out."""
    if not feels_kept(db):
        return []
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for worker, week, feels, at in db.execute(
            "SELECT worker, week, feels, at FROM feels WHERE week >= ? AND week <= ? ORDER BY at",
            [first.isoformat(), last.isoformat()]):
        found[(worker, week)] = (feels, at)  # in time order: the latest of the week stays
    rows = []
    for (worker, week), (feels, _at) in sorted(found.items()):
        try:
            monday = date.fromisoformat(week)
        except (TypeError, ValueError):
            continue  # not a date: written outside caseload
        if feels in FEELS:
            rows.append((worker, monday, feels))
    return rows
