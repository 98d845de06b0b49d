"""Executing a plan: every move updates its case and appends one history row.

Runs inside the caller's write transaction, so a plan lands whole or not at all.
Each move re-checks who holds the case, so a plan made from a stale view (another
team lead moved the case meanwhile) is refused rather than applied over them.
"""

from __future__ import annotations

import sqlite3

from typing import Callable, Iterable

from caseload.domain.errors import CaseloadError
from caseload.domain.plan import Move
from caseload.store.history import Change, record


def execute(
    db: sqlite3.Connection, moves: Iterable[Move], actor: str, at: str, on_move: Callable[[], None] | None = None
) -> int:
    done = 0
    for move in moves:
        row = db.execute("SELECT worker, status FROM cases WHERE id = ?", [move.case]).fetchone()
        if row is None:
            raise CaseloadError(f"case {move.case!r} no longer exists; nothing was changed")
        holder, status = row
        if holder != move.previous or status == "closed":
            raise CaseloadError(
                f"case {move.case} changed while the plan was being made (now with {holder or 'nobody'}); "
                "nothing was changed: run the command again"
            )
        new_status = move.status if status == "waiting" else status
        db.execute(  # a case given out leaves the pool: its wait (waiting_since) ends
            "UPDATE cases SET worker = ?, status = ?, home_worker = ?, cover_until = ?, waiting_since = NULL "
            "WHERE id = ?",
            [move.to, new_status, move.home_worker, move.cover_until.isoformat() if move.cover_until else None,
             move.case],
        )
        record(db, Change(move.case, move.to, move.previous, move.kind, move.reason), actor, at)
        done += 1
        if on_move is not None:
            on_move()
    return done
