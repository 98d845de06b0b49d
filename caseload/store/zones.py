"""Recorded zone reviews: the snapshots behind trends ("red for 3 reviews running")."""

from __future__ import annotations

import sqlite3

from datetime import date
from typing import Iterable

from caseload.domain.trends import Snapshot, SnapshotRow
from caseload.store.rows import exact, exact_text


def record_review(db: sqlite3.Connection, figures: Iterable, on: date, actor: str, at: str) -> int:
    """Store a zone review's figures (WorkerFigures) as a snapshot."""
    return record_review_rows(db, [(f.worker.id, f.cases, f.load, f.capacity, f.zone) for f in figures], on, actor, at)


def record_review_rows(db: sqlite3.Connection, rows: Iterable, on: date, actor: str, at: str) -> int:
    """Store a snapshot from (worker, cases, load, capacity, zone) rows."""
    review_id = db.execute(
        "INSERT INTO zone_reviews (at, on_date, actor) VALUES (?, ?, ?)", [at, on.isoformat(), actor]
    ).lastrowid
    db.executemany(
        "INSERT INTO zone_review_rows (review, worker, cases, load, capacity, zone) VALUES (?, ?, ?, ?, ?, ?)",
        [(review_id, worker, cases, exact_text(load), exact_text(capacity), z) for worker, cases, load, capacity, z in rows],
    )
    return review_id


def recorded_reviews(db: sqlite3.Connection, limit: int = 52) -> list[Snapshot]:
    """The most recent recorded reviews, newest first, each with its rows by worker."""
    found = []
    for review_id, on_date, at in db.execute(
            "SELECT id, on_date, at FROM zone_reviews ORDER BY id DESC LIMIT ?", [limit]).fetchall():
        rows = {
            worker: SnapshotRow(cases, exact(load), exact(capacity), zone)
            for worker, cases, load, capacity, zone in db.execute(
                "SELECT worker, cases, load, capacity, zone FROM zone_review_rows WHERE review = ?", [review_id])
        }
        found.append(Snapshot(on_date, at, rows))
    return found
