"""Cases under temporary cover, counted per worker for the zone review (DESIGN §2): how
many cases each worker covers for others, and how many of theirs are covered."""

from __future__ import annotations

import sqlite3
from datetime import date

from caseload.store.rows import OPEN


def cover_counts(db: sqlite3.Connection, ended_from: date | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """(covering, covered): per worker, the open cases they hold for someone else, and the
    open cases of theirs someone else holds. With `ended_from` (a look-ahead day), covers
    that will have ended before that day are left out (their cases will be home)."""
    clause, params = f"home_worker IS NOT NULL AND status IN {OPEN}", []
    if ended_from is not None:
        clause += " AND cover_until >= ?"
        params.append(ended_from.isoformat())
    covering: dict[str, int] = {}
    covered: dict[str, int] = {}
    for home, holder, n in db.execute(
            f"SELECT home_worker, worker, count(*) FROM cases INDEXED BY cases_cover WHERE {clause} "
            "GROUP BY home_worker, worker", params):
        covering[holder] = covering.get(holder, 0) + n
        covered[home] = covered.get(home, 0) + n
    return covering, covered
