"""Whole-database questions: is it empty, and a plain dump for comparisons."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def has_data(db: "Database") -> bool:
    return any(
        db.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        for table in ("workers", "cases", "history")
    )
