"""The aggregations behind the zone review: per-worker counts by SQL GROUP BY.

Loads come from counting the open cases per (status, worker, tier) over the covering
index `cases_open_load`, so a zone review costs one walk of the open cases' index
entries, not a Python loop over every case (DESIGN §8).
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from caseload.domain.model import TAKEN_ON_KINDS
from caseload.domain.review import Cover, WorkerCounts
from caseload.store.rows import OPEN, sql_list
from caseload.store.undone import void_rows

# "new in the last 30 days" counts every way a case comes to someone new to it (not a
# return to its home worker: `domain.model.TAKEN_ON_KINDS`)
TAKEN_ON = sql_list(TAKEN_ON_KINDS)


def worker_counts(
    db: sqlite3.Connection, today: date, stale_after_days: int, recent_since: str
) -> dict[str, WorkerCounts]:
    """Counts for every worker holding open cases (workers with none are absent from the dict)."""
    by_tier: dict[str, list[tuple[str, str, int]]] = {}
    high: dict[str, int] = {}
    # in the order of cases_open_load (status, worker, tier, risk): one walk of the open
    # cases' index entries, no sorting; the high-risk count rides along (risk is in the index)
    cursor = db.execute(
        f"SELECT worker, tier, status, count(*), sum(risk = 'high') FROM cases "
        f"WHERE worker IS NOT NULL AND status IN {OPEN} GROUP BY status, worker, tier"
    )
    cursor.row_factory = None  # plain tuples: thousands of workers' rows
    for worker, tier, status, n, n_high in cursor:
        mine = by_tier.get(worker)
        if mine is None:
            by_tier[worker] = [(tier, status, n)]
            high[worker] = n_high
        else:
            mine.append((tier, status, n))
            high[worker] += n_high
    overdue = _per_worker(
        db, f"SELECT worker, count(*) FROM cases WHERE status IN {OPEN} AND next_review_on < ? GROUP BY worker",
        [today.isoformat()])
    stale_before = (today - timedelta(days=stale_after_days)).isoformat()
    stale = _per_worker(
        db, f"SELECT worker, count(*) FROM cases WHERE status IN {OPEN} "
            f"AND COALESCE(last_contact_on, opened_on) < ? GROUP BY worker", [stale_before])
    void, params = void_rows(db, recent_since)  # an undone batch and its undo: nothing arrived
    recent = _per_worker(
        db, f"SELECT worker, count(*) FROM history h WHERE at >= ? AND kind IN {TAKEN_ON}{void} GROUP BY worker",
        [recent_since, *params])
    found = {
        worker: WorkerCounts(by_tier_status=tuple(sorted(rows)), high_risk=high[worker],
                             overdue_reviews=overdue.get(worker, 0), stale=stale.get(worker, 0),
                             new_recent=recent.get(worker, 0))
        for worker, rows in by_tier.items()
    }
    for worker in recent.keys() - by_tier.keys():  # new to someone who holds no open case now
        found[worker] = WorkerCounts(new_recent=recent[worker])
    return found


def _per_worker(db: sqlite3.Connection, sql: str, params: list) -> dict[str, int]:
    cursor = db.execute(sql, params)
    cursor.row_factory = None
    return dict(cursor)


def waiting_pool(db: sqlite3.Connection) -> tuple[int, date | None]:
    """How many cases wait, and the day the longest-waiting one entered the pool."""
    count, oldest = db.execute(
        "SELECT count(*), min(COALESCE(waiting_since, opened_on)) FROM cases WHERE status = 'waiting'"
    ).fetchone()
    return count, date.fromisoformat(oldest) if oldest else None


def covered_open_cases(db: sqlite3.Connection) -> list:
    """Every open case under temporary cover, with the cover's last day (`domain.review.Cover`);
    through cases_home, named (as `store.cases.covered_cases`)."""
    return [Cover(holder, home, tier, status, risk, date.fromisoformat(until)) for holder, home, tier, status, risk, until
            in db.execute(f"SELECT worker, home_worker, tier, status, risk, cover_until FROM cases "
                          f"INDEXED BY cases_home WHERE home_worker IS NOT NULL AND status IN {OPEN}")]


def arrivals_by_day(db: sqlite3.Connection, since: date, before: date) -> dict[str, tuple[tuple[date, int], ...]]:
    """Cases coming to each worker (any route but a return home) per day, from `since` to
    the day before `before`: what falls out of the recent window as a look-ahead moves on."""
    found: dict[str, list[tuple[date, int]]] = {}
    if before <= since:
        return {}
    void, params = void_rows(db, since.isoformat())
    for worker, day, n in db.execute(
        f"SELECT worker, substr(at, 1, 10) AS day, count(*) FROM history h WHERE at >= ? AND at < ? "
        f"AND kind IN {TAKEN_ON} AND worker IS NOT NULL{void} GROUP BY worker, day",
        [since.isoformat(), before.isoformat(), *params],
    ):
        found.setdefault(worker, []).append((date.fromisoformat(day), n))
    return {worker: tuple(days) for worker, days in found.items()}
