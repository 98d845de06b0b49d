"""Numbered batches (DESIGN §5, `undo`): the runs of assign, handover, rebalance and
reassign that moved cases, where each of their cases was before, and putting them back.

A batch is recorded by `recorded`, around the moves of one write transaction: it reads the
cases' state before, lets the moves run, then appends the batch with the history rows they
wrote (consecutive ids: one transaction appends them). `batches` and `batch_cases` are
append-only (triggers); an undo is a batch of its own naming the one it reversed.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from caseload.domain.dates import parse_iso
from caseload.domain.errors import CaseloadError
from caseload.domain.undo import Back, Batch, Before, LaterMove
from caseload.store.history import Change, record
from caseload.store.rows import id_chunks


@dataclass
class Recording:
    """The batch being recorded: its number once the moves are written (None: nothing moved)."""

    number: int | None = None


def _next_row(db: sqlite3.Connection) -> int:
    return db.execute("SELECT ifnull(max(id), 0) + 1 FROM history").fetchone()[0]


def _state(db: sqlite3.Connection, case_ids: Sequence[str]) -> dict[str, tuple]:
    found = {}
    for chunk, marks in id_chunks(case_ids):
        for row in db.execute("SELECT id, worker, status, home_worker, cover_until, waiting_since FROM cases "
                              f"WHERE id IN ({marks})", chunk):
            found[row[0]] = tuple(row)
    return found


@contextmanager
def recorded(db: sqlite3.Connection, command: str, case_ids: Iterable[str], actor: str, at: str,
             undoes: int | None = None) -> Iterator[Recording]:
    """Record the moves made inside the block as one batch of `command`, for `case_ids` (the
    cases the moves may touch). Inside the caller's write transaction; a block that moved
    none of them records nothing (`Recording.number` stays None)."""
    wanted = list(dict.fromkeys(case_ids))
    before = _state(db, wanted)
    first = _next_row(db)
    made = Recording()
    yield made
    last = _next_row(db) - 1
    if last < first:
        return
    moved = {case_id: worker for case_id, worker in db.execute(
        "SELECT case_id, worker FROM history WHERE id BETWEEN ? AND ? ORDER BY id", [first, last])}
    cursor = db.execute("INSERT INTO batches (command, actor, at, first_row, last_row, undoes) VALUES (?, ?, ?, ?, ?, ?)",
                        [command, actor, at, first, last, undoes])
    made.number = cursor.lastrowid
    db.executemany(
        "INSERT INTO batch_cases (batch, case_id, worker, status, home_worker, cover_until, waiting_since, moved_to) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ((made.number, *before[case_id], moved[case_id])
         for case_id in wanted if case_id in moved and case_id in before))


def all_batches(db: sqlite3.Connection) -> tuple[list[Batch], dict[int, int]]:
    """Every batch (its cases in the order they moved) and, for each batch undone, the undo
    that reversed it."""
    cases: dict[int, list[Before]] = {}
    for row in db.execute("SELECT bc.batch, bc.case_id, bc.worker, bc.status, bc.home_worker, bc.cover_until, "
                          "bc.waiting_since, bc.moved_to FROM batch_cases bc ORDER BY bc.batch, bc.rowid"):
        cases.setdefault(row[0], []).append(
            Before(row[1], row[2], row[3], row[4], parse_iso(row[5]), parse_iso(row[6]), row[7]))
    found, undone = [], {}
    for number, command, actor, at, first, last, undoes in db.execute(
            "SELECT id, command, actor, at, first_row, last_row, undoes FROM batches ORDER BY id"):
        found.append(Batch(number, command, actor, at, first, last, undoes, tuple(cases.get(number, ()))))
        if undoes is not None:
            undone[undoes] = number
    return found, undone


def moved_since(db: sqlite3.Connection, batch: Batch) -> dict[str, list[LaterMove]]:
    """For each case of `batch` moved after it, the history rows that did, in order."""
    later: dict[str, list[LaterMove]] = {}
    for before in batch.cases:
        for kind, worker, at, row in db.execute(
                "SELECT kind, worker, at, id FROM history WHERE case_id = ? AND id > ? ORDER BY id",
                [before.case, batch.last_row]):
            later.setdefault(before.case, []).append(LaterMove(kind, worker, at, row))
    return later


def put_back(db: sqlite3.Connection, moves: Sequence[Back], actor: str, at: str) -> None:
    """Each case to where it was, with its history row; refused (nothing changed: the caller
    rolls back) if a case is no longer with the holder the batch left it with."""
    for move in moves:
        row = db.execute("SELECT worker, status FROM cases WHERE id = ?", [move.case]).fetchone()
        if row is None or row[0] != move.holder or row[1] == "closed":
            raise CaseloadError(f"{move.case} has moved since (now with {row[0] if row else 'nobody'}): "
                                "nothing was undone")
        status = move.status or row[1]
        db.execute(
            "UPDATE cases SET worker = ?, status = ?, home_worker = ?, cover_until = ?, waiting_since = ? WHERE id = ?",
            [move.to, status, move.home_worker, move.cover_until.isoformat() if move.cover_until else None,
             move.waiting_since.isoformat() if move.waiting_since else None, move.case])
        record(db, Change(move.case, move.to, move.holder, move.kind, move.reason), actor, at)

