"""Which history rows an `undo` voided (`store.batches` records the batches): a small
module of its own, because the zone review and the allocation rules read it, and neither
needs the batches' machinery at start-up.
"""

from __future__ import annotations

import sqlite3

# A history row `h` written by a batch that an undo reversed (the undos are few: each names
# the batch whose rows first_row..last_row it put back).
UNDONE_ROW = ("EXISTS (SELECT 1 FROM batches u JOIN batches b ON b.id = u.undoes "
              "WHERE u.undoes IS NOT NULL AND h.id BETWEEN b.first_row AND b.last_row)")


def void_rows(db: sqlite3.Connection, since: str, alias: str = "h") -> tuple[str, list]:
    """The SQL condition (and its parameters) that leaves out the history rows of batches
    recorded from `since` on that an undo reversed, and the rows of the undos themselves:
    moves that, net, never happened, so they are no arrival ("new in 30 days", the recent
    allocations of the tie-break). Empty when there are none, as there mostly are. (An
    undo reversed by a later undo, `undo --batch N` naming an undo, leaves its batch's
    rows out all the same.)"""
    ranges = db.execute(
        "SELECT first_row, last_row FROM batches WHERE at >= ? AND (command = 'undo' OR id IN "
        "(SELECT undoes FROM batches WHERE undoes IS NOT NULL))", [since]).fetchall()
    if not ranges:
        return "", []
    return (" AND NOT (" + " OR ".join(f"{alias}.id BETWEEN ? AND ?" for _ in ranges) + ")",
            [bound for pair in ranges for bound in pair])
