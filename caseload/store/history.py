"""The append-only assignment record (DESIGN §2). Rows are only ever inserted;
the database's triggers refuse UPDATE and DELETE."""

from __future__ import annotations

import sqlite3

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One change of responsibility for a case, before it is written."""

    case: str
    worker: str | None
    previous_worker: str | None
    kind: str
    reason: str | None = None


def record(db: sqlite3.Connection, change: Change, actor: str, at: str) -> None:
    db.execute(
        "INSERT INTO history (case_id, worker, previous_worker, kind, reason, actor, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [change.case, change.worker, change.previous_worker, change.kind, change.reason, actor, at],
    )


HISTORY_SELECT = "SELECT case_id, worker, previous_worker, kind, reason, actor, at FROM history"


def history(
    db: sqlite3.Connection, case_id: str | None = None, worker: str | None = None, since: str | None = None
) -> list[tuple]:
    """History rows as (case, worker, previous worker, kind, reason, actor, at), oldest first."""
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
    cursor = db.execute(f"{HISTORY_SELECT} WHERE {' AND '.join(clauses)} ORDER BY id", params)
    cursor.row_factory = None
    return cursor.fetchall()


def record_many(db: sqlite3.Connection, changes: list[Change], actor: str, at: str) -> None:
    db.executemany(
        "INSERT INTO history (case_id, worker, previous_worker, kind, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(c.case, c.worker, c.previous_worker, c.kind, c.reason, actor, at) for c in changes],
    )


def iter_history(db: sqlite3.Connection):
    """Every history row, oldest first, as `history` gives them, streamed (for exports of any size)."""
    cursor = db.execute(f"{HISTORY_SELECT} ORDER BY id")
    cursor.row_factory = None
    yield from cursor
