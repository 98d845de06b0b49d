"""Whole-database questions: does it hold any data yet."""

from __future__ import annotations

import sqlite3


def has_data(db: sqlite3.Connection) -> bool:
    return any(
        db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        for table in ("workers", "cases", "history")
    )
