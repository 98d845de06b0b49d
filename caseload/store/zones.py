"""Recorded zone reviews: the snapshots behind trends ("red for 3 weeks running").

At most one snapshot a day (DESIGN §2): recording again on the same day replaces that
day's snapshot, inside the caller's transaction, so the meeting's `zone-review --record`
and the nightly `report --record` never count twice. A snapshot is a meeting's or a
nightly one (`kind`); a nightly snapshot never replaces a meeting's of the same day.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Iterable, Iterator

from caseload.domain.trends import Snapshot, SnapshotRow
from caseload.store.rows import exact, exact_text


def record_review(db: sqlite3.Connection, figures: Iterable, on: date, actor: str, at: str,
                  kind: str = "meeting") -> int | None:
    """Store a zone review's figures (WorkerFigures), taken now, as the snapshot of its day,
    with the last rows it saw (what comes after it is after them)."""
    return record_review_rows(db, [(f.worker.id, f.cases, f.load, f.capacity, f.zone) for f in figures], on, actor, at,
                              kind, now=True)


def kind_on(db: sqlite3.Connection, on: date) -> str | None:
    """The kind of the snapshot recorded on a day (None: no snapshot that day)."""
    found = db.execute("SELECT kind FROM zone_reviews WHERE on_date = ?", [on.isoformat()]).fetchone()
    return found[0] if found else None


def record_review_rows(db: sqlite3.Connection, rows: Iterable, on: date, actor: str, at: str,
                       kind: str = "meeting", now: bool = False) -> int | None:
    """Store a snapshot from (worker, cases, load, capacity, zone) rows as the snapshot of
    `on`, replacing any snapshot already recorded that day, except that a nightly snapshot
    leaves a meeting's of the same day in place (None: nothing stored). The caller holds
    the write transaction, so the old snapshot goes only if the new one is stored. `now`:
    taken at this moment, so it keeps the last history row and case change (what comes
    after it is after them); a review written afterwards (the demo's past weeks, `worker
    import --reviews`) keeps none and is compared by its time."""
    day = on.isoformat()
    if kind == "nightly" and kind_on(db, on) == "meeting":
        return None
    db.execute("DELETE FROM zone_review_rows WHERE review IN (SELECT id FROM zone_reviews WHERE on_date = ?)", [day])
    db.execute("DELETE FROM zone_reviews WHERE on_date = ?", [day])
    heads = ("(SELECT ifnull(max(id), 0) FROM history), (SELECT ifnull(max(id), 0) FROM case_changes)" if now
             else "NULL, NULL")
    review_id = db.execute(
        f"INSERT INTO zone_reviews (at, on_date, actor, kind, history_head, changes_head) VALUES (?, ?, ?, ?, {heads})",
        [at, day, actor, kind]).lastrowid
    db.executemany(
        "INSERT INTO zone_review_rows (review, worker, cases, load, capacity, zone) VALUES (?, ?, ?, ?, ?, ?)",
        [(review_id, worker, cases, exact_text(load), exact_text(capacity), z) for worker, cases, load, capacity, z in rows],
    )
    return review_id


def iter_recorded_rows(db: sqlite3.Connection) -> Iterator[tuple]:
    """Every row of every recorded review, oldest day first and by worker: (day, kind,
    recorded at, recorded by, worker, cases, load, capacity, zone), load and capacity exact
    (`export reviews`: the record a team takes with it)."""
    for on, kind, at, actor, worker, cases, load, capacity, zone in db.execute(
            "SELECT r.on_date, r.kind, r.at, r.actor, w.worker, w.cases, w.load, w.capacity, w.zone "
            "FROM zone_reviews r JOIN zone_review_rows w ON w.review = r.id ORDER BY r.on_date, w.worker"):
        yield on, kind, at, actor, worker, cases, exact(load), exact(capacity), zone


def recorded_days(db: sqlite3.Connection) -> set[str]:
    """The days (ISO) that have a recorded review."""
    return {day for day, in db.execute("SELECT on_date FROM zone_reviews")}


NEWEST_FIRST = "ORDER BY on_date DESC, at DESC, id DESC"


def recorded_reviews(db: sqlite3.Connection, limit: int = 52) -> list[Snapshot]:
    """The most recent recorded reviews, newest first, each with its rows by worker."""
    return _snapshots(db, f"{NEWEST_FIRST} LIMIT ?", [limit])


def last_meeting(db: sqlite3.Connection, before: date | None = None) -> Snapshot | None:
    """The newest meeting snapshot (on or before `before`, when given), or None."""
    if before is None:
        found = _snapshots(db, f"WHERE kind = 'meeting' {NEWEST_FIRST} LIMIT 1", [])
    else:
        found = _snapshots(db, f"WHERE kind = 'meeting' AND on_date <= ? {NEWEST_FIRST} LIMIT 1", [before.isoformat()])
    return found[0] if found else None


def last_on_or_before(db: sqlite3.Connection, day: date) -> Snapshot | None:
    """The newest snapshot of any kind recorded on or before `day`, or None."""
    found = _snapshots(db, f"WHERE on_date <= ? {NEWEST_FIRST} LIMIT 1", [day.isoformat()])
    return found[0] if found else None


def recorded_since(db: sqlite3.Connection, day: date) -> list[Snapshot]:
    """Every recorded review on or after `day`, newest first, each with its rows by worker."""
    return _snapshots(db, f"WHERE on_date >= ? {NEWEST_FIRST}", [day.isoformat()])


def red_since(db: sqlite3.Connection, day: date) -> list[Snapshot]:
    """`recorded_since`, each review with only its red rows: all a red streak reads (a
    worker with no row that week was not red), without the rows of a whole team's weeks."""
    return _snapshots(db, f"WHERE on_date >= ? {NEWEST_FIRST}", [day.isoformat()], "AND zone = 'red'")


def _snapshots(db: sqlite3.Connection, which: str, params: list, rows_which: str = "") -> list[Snapshot]:
    """The reviews that `which` (a WHERE/ORDER BY/LIMIT tail) selects, read in two queries;
    `rows_which` narrows the rows read of each."""
    found = db.execute(f"SELECT id, on_date, at, kind, history_head, changes_head FROM zone_reviews {which}",
                       params).fetchall()
    rows: dict[int, dict[str, SnapshotRow]] = {review_id: {} for review_id, *_ in found}
    for review_id, worker, cases, load, capacity, zone in db.execute(
            "SELECT review, worker, cases, load, capacity, zone FROM zone_review_rows "
            f"WHERE review IN (SELECT id FROM zone_reviews {which}) {rows_which} ORDER BY review, worker", params):
        rows[review_id][worker] = SnapshotRow(cases, exact(load), exact(capacity), zone)
    return [Snapshot(on_date, at, rows[review_id], kind, (history_head, changes_head))
            for review_id, on_date, at, kind, history_head, changes_head in found]


def last_report_run(db: sqlite3.Connection, before: date) -> tuple[str, str, int] | None:
    """(day, at, last history row) of the newest nightly `report --record` before `before`."""
    return db.execute("SELECT on_date, at, history_head FROM report_runs WHERE on_date < ? ORDER BY on_date DESC "
                      "LIMIT 1", [before.isoformat()]).fetchone()


def record_report_run(db: sqlite3.Connection, on: date, at: str) -> None:
    """The night's report of `on` counted up to the last history row there is now (inside
    its write transaction); a second run that day replaces the first."""
    db.execute("INSERT OR REPLACE INTO report_runs (on_date, at, history_head) "
               "VALUES (?, ?, (SELECT ifnull(max(id), 0) FROM history))", [on.isoformat(), at])
