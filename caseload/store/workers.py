"""Queries on workers, their absences and their capacity reductions."""

from __future__ import annotations

import sqlite3
from datetime import date

from caseload.domain.errors import NotFound
from caseload.domain.model import Absence, Reduction, Worker
from caseload.store.rows import (
    OPEN, WORKER_FIELDS, absence_from_row, exact_text, insert_new, reduction_from_row, update_by_id, worker_from_row,
    worker_to_row, workers_from_tuples,
)


def add_worker(db: sqlite3.Connection, worker: Worker, now: str) -> None:
    insert_new(db, "workers", worker_to_row(worker) | {"created_at": now},
               "already exists (choose another id, or use `worker edit`)")


def update_worker(db: sqlite3.Connection, worker: Worker) -> None:
    update_by_id(db, "workers", worker_to_row(worker))


def get_worker(db: sqlite3.Connection, worker_id: str) -> Worker:
    row = db.execute("SELECT * FROM workers WHERE id = ?", [worker_id]).fetchone()
    if row is None:
        raise NotFound(f"no worker {worker_id!r} (see `caseload worker list`)")
    return worker_from_row(row)


def list_workers(db: sqlite3.Connection, include_left: bool = False) -> list[Worker]:
    where = "" if include_left else "WHERE status != 'left'"
    cursor = db.execute(f"SELECT {', '.join(WORKER_FIELDS)} FROM workers {where} ORDER BY id")
    cursor.row_factory = None
    return workers_from_tuples(cursor)


def reductions(db: sqlite3.Connection, worker_id: str | None = None) -> list[Reduction]:
    if worker_id is None:
        rows = db.execute("SELECT * FROM reductions ORDER BY worker, starts_on, id")
    else:
        rows = db.execute("SELECT * FROM reductions WHERE worker = ? ORDER BY starts_on, id", [worker_id])
    return [reduction_from_row(row) for row in rows]


def reductions_active_on(db: sqlite3.Connection, on: date) -> dict[str, list[Reduction]]:
    day = on.isoformat()
    found: dict[str, list[Reduction]] = {}
    for row in db.execute(
        "SELECT * FROM reductions WHERE starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?) ORDER BY id",
        [day, day],
    ):
        found.setdefault(row["worker"], []).append(reduction_from_row(row))
    return found


def absences_on(db: sqlite3.Connection, on: date) -> dict[str, Absence]:
    """Each worker's absence covering `on`, if any."""
    day = on.isoformat()
    return {
        row["worker"]: absence_from_row(row)
        for row in db.execute(
            "SELECT * FROM absences WHERE starts_on <= ? AND ends_on >= ? ORDER BY starts_on", [day, day]
        )
    }


def absences_from(db: sqlite3.Connection, day: date) -> dict[str, tuple[Absence, ...]]:
    """Each worker's absences not over before `day`, by first day."""
    found: dict[str, list[Absence]] = {}
    for row in db.execute("SELECT * FROM absences WHERE ends_on >= ? ORDER BY starts_on, id", [day.isoformat()]):
        found.setdefault(row["worker"], []).append(absence_from_row(row))
    return {worker: tuple(days) for worker, days in found.items()}


def absences(db: sqlite3.Connection, worker_id: str) -> list[Absence]:
    return [
        absence_from_row(row)
        for row in db.execute("SELECT * FROM absences WHERE worker = ? ORDER BY starts_on", [worker_id])
    ]


def add_absence(db: sqlite3.Connection, absence: Absence, now: str) -> int:
    return db.execute(
        "INSERT INTO absences (worker, starts_on, ends_on, reason, cover, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [absence.worker, absence.starts_on.isoformat(), absence.ends_on.isoformat(), absence.reason,
         absence.cover, now],
    ).lastrowid


def add_reduction(db: sqlite3.Connection, reduction: Reduction, now: str) -> int:
    return db.execute(
        "INSERT INTO reductions (worker, kind, amount, reason, starts_on, ends_on, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [reduction.worker, reduction.kind, exact_text(reduction.amount), reduction.reason,
         reduction.starts_on.isoformat(), reduction.ends_on.isoformat() if reduction.ends_on else None, now],
    ).lastrowid


def responsibilities(db: sqlite3.Connection, worker_id: str) -> tuple[int, int]:
    """(open cases they hold, open cases they are the home worker of while covered)."""
    held = db.execute(
        f"SELECT count(*) FROM cases WHERE worker = ? AND status IN {OPEN}", [worker_id]
    ).fetchone()[0]
    homed = db.execute(
        f"SELECT count(*) FROM cases WHERE home_worker = ? AND status IN {OPEN}", [worker_id]
    ).fetchone()[0]
    return held, homed


def get_reduction(db: sqlite3.Connection, reduction_id: int) -> Reduction:
    row = db.execute("SELECT * FROM reductions WHERE id = ?", [reduction_id]).fetchone()
    if row is None:
        raise NotFound(f"no reduction {reduction_id} (see the id column of `caseload worker reductions`)")
    return reduction_from_row(row)


def set_reduction_end(db: sqlite3.Connection, reduction_id: int, ends_on: date | None) -> None:
    db.execute("UPDATE reductions SET ends_on = ? WHERE id = ?",
               [ends_on.isoformat() if ends_on else None, reduction_id])


def remove_reduction(db: sqlite3.Connection, reduction_id: int) -> None:
    db.execute("DELETE FROM reductions WHERE id = ?", [reduction_id])


def set_absence_end(db: sqlite3.Connection, absence_id: int, ends_on: date) -> None:
    db.execute("UPDATE absences SET ends_on = ? WHERE id = ?", [ends_on.isoformat(), absence_id])


def remove_absence(db: sqlite3.Connection, absence_id: int) -> None:
    db.execute("DELETE FROM absences WHERE id = ?", [absence_id])


# -- absences listed and moved (issue 22) ---------------------------------------

def get_absence(db: sqlite3.Connection, absence_id: int) -> Absence:
    row = db.execute("SELECT * FROM absences WHERE id = ?", [absence_id]).fetchone()
    if row is None:
        raise NotFound(f"no absence {absence_id} (see the id column of `caseload worker absences`)")
    return absence_from_row(row)


def list_absences(db: sqlite3.Connection, worker_id: str | None = None, ending_from: date | None = None) -> list[Absence]:
    """Absences by first day (then id): one worker's or everyone's; with `ending_from`, only
    those not over before that day."""
    clauses, params = [], []
    if worker_id is not None:
        clauses.append("worker = ?")
        params.append(worker_id)
    if ending_from is not None:
        clauses.append("ends_on >= ?")
        params.append(ending_from.isoformat())
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return [absence_from_row(row) for row in db.execute(
        f"SELECT * FROM absences {where} ORDER BY starts_on, id", params)]


def set_absence_dates(db: sqlite3.Connection, absence_id: int, starts_on: date, ends_on: date) -> None:
    db.execute("UPDATE absences SET starts_on = ?, ends_on = ? WHERE id = ?",
               [starts_on.isoformat(), ends_on.isoformat(), absence_id])
