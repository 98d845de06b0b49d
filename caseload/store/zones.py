"""Recorded zone reviews: the snapshots behind trends ("red for 3 reviews running")."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Iterable

from caseload.store.rows import exact_text

if TYPE_CHECKING:
    from sqlite_utils import Database


def record_review(db: "Database", figures: Iterable, on: date, actor: str, at: str) -> int:
    review_id = db.conn.execute(
        "INSERT INTO zone_reviews (at, on_date, actor) VALUES (?, ?, ?)", [at, on.isoformat(), actor]
    ).lastrowid
    db.conn.executemany(
        "INSERT INTO zone_review_rows (review, worker, cases, load, capacity, zone) VALUES (?, ?, ?, ?, ?, ?)",
        [(review_id, f.worker.id, f.cases, exact_text(f.load), exact_text(f.capacity), f.zone) for f in figures],
    )
    return review_id
