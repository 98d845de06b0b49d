"""Recorded zone reviews: the snapshots behind trends ("red for 3 weeks running").

At most one snapshot a day (DESIGN §2): recording again on the same day replaces that
day's snapshot, inside the caller's transaction, so the meeting's `zone-review --record`
and the nightly `report --record` never count twice.
"""

from __future__ import annotations

import sqlite3

from datetime import date
from typing import Iterable

from caseload.domain.trends import Snapshot, SnapshotRow
from caseload.store.rows import exact, exact_text


def record_review(db: sqlite3.Connection, figures: Iterable, on: date, actor: str, at: str) -> int:
    """Store a zone review's figures (WorkerFigures) as the snapshot of its day."""
    return record_review_rows(db, [(f.worker.id, f.cases, f.load, f.capacity, f.zone) for f in figures], on, actor, at)


def record_review_rows(db: sqlite3.Connection, rows: Iterable, on: date, actor: str, at: str) -> int:
    """Store a snapshot from (worker, cases, load, capacity, zone) rows as the snapshot of
    `on`, replacing any snapshot already recorded that day. The caller holds the write
    transaction, so the old snapshot goes only if the new one is stored."""
    day = on.isoformat()
    db.execute("DELETE FROM zone_review_rows WHERE review IN (SELECT id FROM zone_reviews WHERE on_date = ?)", [day])
    db.execute("DELETE FROM zone_reviews WHERE on_date = ?", [day])
    review_id = db.execute(
        "INSERT INTO zone_reviews (at, on_date, actor) VALUES (?, ?, ?)", [at, day, actor]
    ).lastrowid
    db.executemany(
        "INSERT INTO zone_review_rows (review, worker, cases, load, capacity, zone) VALUES (?, ?, ?, ?, ?, ?)",
        [(review_id, worker, cases, exact_text(load), exact_text(capacity), z) for worker, cases, load, capacity, z in rows],
    )
    return review_id


NEWEST_FIRST = "ORDER BY on_date DESC, at DESC, id DESC"


def recorded_reviews(db: sqlite3.Connection, limit: int = 52) -> list[Snapshot]:
    """The most recent recorded reviews, newest first, each with its rows by worker."""
    return _snapshots(db, f"{NEWEST_FIRST} LIMIT ?", [limit])


def recorded_since(db: sqlite3.Connection, day: date) -> list[Snapshot]:
    """Every recorded review on or after `day`, newest first, each with its rows by worker."""
    return _snapshots(db, f"WHERE on_date >= ? {NEWEST_FIRST}", [day.isoformat()])


def _snapshots(db: sqlite3.Connection, which: str, params: list) -> list[Snapshot]:
    """The reviews that `which` (a WHERE/ORDER BY/LIMIT tail) selects, read in two queries."""
    found = db.execute(f"SELECT id, on_date, at FROM zone_reviews {which}", params).fetchall()
    rows: dict[int, dict[str, SnapshotRow]] = {review_id: {} for review_id, _, _ in found}
    for review_id, worker, cases, load, capacity, zone in db.execute(
            "SELECT review, worker, cases, load, capacity, zone FROM zone_review_rows "
            f"WHERE review IN (SELECT id FROM zone_reviews {which}) ORDER BY review, worker", params):
        rows[review_id][worker] = SnapshotRow(cases, exact(load), exact(capacity), zone)
    return [Snapshot(on_date, at, rows[review_id]) for review_id, on_date, at in found]
