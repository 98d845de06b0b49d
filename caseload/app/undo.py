"""`undo [--batch N]` (DESIGN §5): put every case of the last (or the named) batch of
assign, handover, rebalance or reassign back where it was, in one transaction.

The rules (which batch, what refuses it, the moves back) are `domain.undo`'s; the batches
and the putting back are `store.batches`'. The undo is recorded as new history rows and as
a batch of its own, naming the batch it reversed: the record is append-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseload.domain.errors import CaseloadError
from caseload.domain.undo import Batch, back_moves, chosen, refusals, standing_moves
from caseload.store.batches import all_batches, moved_since, put_back, recorded
from caseload.store.connection import transaction
from caseload.store.workers import list_workers


@dataclass(frozen=True)
class Undone:
    """What `undo` did (or, on a dry run, would do): the batch reversed, the moves back
    (`domain.undo.Back`), and the number of the undo's own batch (None on a dry run)."""

    batch: Batch
    moves: list
    number: int | None


def undo(db, actor: str, at: str, number: int | None, dry_run: bool = False) -> Undone:
    """Undo batch `number` (None: the last one not undone) in one transaction (a read
    snapshot for a dry run), all or nothing. Refused (CaseloadError, nothing written) when
    there is no such batch, it was undone already, or one of its cases has moved since or
    would go back to a worker who has left: every such case is named."""
    with transaction(db, write=not dry_run):
        batches, undone = all_batches(db)
        batch = chosen(batches, number, undone)
        gone = {w.id for w in list_workers(db, include_left=True) if w.status == "left"}
        problems = refusals(batch, standing_moves(batch, moved_since(db, batch), batches, undone), gone)
        if problems:
            raise CaseloadError(f"batch {batch.number} cannot be undone, nothing was changed: " + "; ".join(problems))
        moves = back_moves(batch)
        if dry_run:
            return Undone(batch, moves, None)
        with recorded(db, "undo", [m.case for m in moves], actor, at, undoes=batch.number) as made:
            put_back(db, moves, actor, at)
    return Undone(batch, moves, made.number)
