"""The append-only assignment record (DESIGN §2). Rows are only ever inserted, each
with its hash chained to the row before (`store.chained`); the database's triggers
refuse UPDATE, DELETE and an INSERT over an existing row."""

from __future__ import annotations

import sqlite3

from dataclasses import dataclass
from typing import Iterable

from caseload.store.chained import append


@dataclass(frozen=True)
class Change:
    """One change of responsibility for a case, before it is written."""

    case: str
    worker: str | None
    previous_worker: str | None
    kind: str
    reason: str | None = None


def record(db: sqlite3.Connection, change: Change, actor: str, at: str) -> None:
    record_many(db, [change], actor, at)


HISTORY_SELECT = "SELECT case_id, worker, previous_worker, kind, reason, actor, at FROM history"


def history(
    db: sqlite3.Connection, case_id: str | None = None, worker: str | None = None, since: str | None = None
) -> list[tuple]:
    """History rows as (case, worker, previous worker, kind, reason, actor, at), in time order
    (oldest first; rows of the same time in the order they were written). Time, not id: a
    move-in appends its cases' past (held since, closed on) after today's intake rows."""
    clauses, params = ["1"], []
    if case_id is not None:
        clauses.append("case_id = ?")
        params.append(case_id)
    if worker is not None:
        clauses.append("(worker = ? OR previous_worker = ?)")
        params += [worker, worker]
    if since is not None:
        clauses.append("at >= ?")
        params.append(since)
    cursor = db.execute(f"{HISTORY_SELECT} WHERE {' AND '.join(clauses)} ORDER BY at, id", params)
    cursor.row_factory = None
    return cursor.fetchall()


def record_many(db: sqlite3.Connection, changes: Iterable[Change], actor: str, at: str) -> None:
    """Append the changes in order, hashed in one pass and written with one executemany."""
    append(db, "history", ((c.case, c.worker, c.previous_worker, c.kind, c.reason, actor, at) for c in changes))


def iter_history(db: sqlite3.Connection):
    """Every history row, oldest first, as `history` gives them, streamed (for exports of any size)."""
    cursor = db.execute(f"{HISTORY_SELECT} ORDER BY id")
    cursor.row_factory = None
    yield from cursor
