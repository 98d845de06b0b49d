"""Recorded zone reviews: the snapshots behind trends ("red for 3 reviews running")."""

from __future__ import annotations

import sqlite3

from datetime import date
from typing import Iterable

from caseload.store.rows import exact_text


def record_review(db: sqlite3.Connection, figures: Iterable, on: date, actor: str, at: str) -> int:
    review_id = db.execute(
        "INSERT INTO zone_reviews (at, on_date, actor) VALUES (?, ?, ?)", [at, on.isoformat(), actor]
    ).lastrowid
    db.executemany(
        "INSERT INTO zone_review_rows (review, worker, cases, load, capacity, zone) VALUES (?, ?, ?, ?, ?, ?)",
        [(review_id, f.worker.id, f.cases, exact_text(f.load), exact_text(f.capacity), f.zone) for f in figures],
    )
    return review_id
