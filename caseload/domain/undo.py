"""Undoing a batch (DESIGN §5, `undo [--batch N]`): the rules, without the store.

Every run of `assign`, `handover`, `rebalance` or `reassign` that moves cases is a numbered
batch, remembering where each of its cases was before it (`Before`). Undoing it puts every
one of those cases back — to its worker, or to the waiting pool with its old wait — as new
history rows (the record is append-only: nothing is deleted). It is all or nothing:

- a batch already undone, or one whose case has moved since (a later history row: moved,
  covered, returned or closed, unless that later move was itself undone), is refused,
  naming the case; so is a case that would go back to a worker who has left;
- `undo` without a number takes the last batch that is not itself an undo and has not been
  undone; an undo can be undone by its number (the moves are made again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping, Sequence

from caseload.domain.errors import CaseloadError

UNDOABLE_COMMANDS = ("assign", "handover", "rebalance", "reassign")


@dataclass(frozen=True)
class Before:
    """A case of a batch as it was before the batch moved it, and who the batch gave it to."""

    case: str
    worker: str | None
    status: str
    home_worker: str | None
    cover_until: date | None
    waiting_since: date | None
    moved_to: str | None


@dataclass(frozen=True)
class Batch:
    """One recorded run: its number, command, who and when (UTC text), its history rows
    (first_row..last_row), the batch it undid (an undo) and its cases as they were before."""

    number: int
    command: str
    actor: str
    at: str
    first_row: int
    last_row: int
    undoes: int | None
    cases: tuple[Before, ...]


@dataclass(frozen=True)
class LaterMove:
    """A history row of a case after a batch: what moved it since (`row`: its id)."""

    kind: str
    worker: str | None
    at: str
    row: int = 0


def standing_moves(batch: Batch, later: Mapping[str, Sequence[LaterMove]], batches: Sequence[Batch],
                   undone: Mapping[int, int]) -> dict[str, LaterMove]:
    """For each case, the first move after `batch` that still stands: a move of a later batch
    that was undone since, and the undo itself, cancel out (undo the reassignment, then the
    assignment before it)."""
    cancelled = {b.number for b in batches if b.number > batch.number and b.number in undone}
    cancelled |= {undone[n] for n in cancelled}
    spans = [(b.first_row, b.last_row) for b in batches if b.number in cancelled]
    found = {}
    for case_id, moves in later.items():
        for move in moves:
            if not any(first <= move.row <= last for first, last in spans):
                found[case_id] = move
                break
    return found


@dataclass(frozen=True)
class Back:
    """One case going back: from its holder now to `to` (None: the waiting pool), with the
    status, cover and wait it had before, and the history kind and reason to record."""

    case: str
    holder: str | None
    to: str | None
    status: str | None  # the status to restore (a case given out of the pool goes back waiting); None: keep
    home_worker: str | None
    cover_until: date | None
    waiting_since: date | None
    kind: str
    reason: str


def chosen(batches: Sequence[Batch], number: int | None, undone: Mapping[int, int]) -> Batch:
    """The batch to undo: `number`, or the last one that is not an undo and is not undone.
    `undone` maps a batch to the undo that reversed it. Refused (CaseloadError) when there is
    no such batch or it was undone already."""
    if number is None:
        open_ones = [b for b in batches if b.command != "undo" and b.number not in undone]
        if not open_ones:
            raise CaseloadError("nothing to undo: no assign, handover, rebalance or reassign since the last undo")
        return max(open_ones, key=lambda b: b.number)
    found = [b for b in batches if b.number == number]
    if not found:
        last = max((b.number for b in batches), default=None)
        raise CaseloadError(f"there is no batch {number}" + (f" (the last is {last})" if last else " (none yet)"))
    if number in undone:
        raise CaseloadError(f"batch {number} was undone already (by batch {undone[number]})")
    return found[0]


def refusals(batch: Batch, later: Mapping[str, LaterMove], gone: set[str]) -> list[str]:
    """Why the batch cannot be put back, one line per case (empty: it can): a case moved
    since (named with what moved it), or whose worker before it has left (`gone`)."""
    problems = []
    for before in batch.cases:
        since = later.get(before.case)
        if since is not None:
            what = "closed" if since.kind == "close" else f"moved since ({since.kind} to {since.worker or 'the pool'})"
            problems.append(f"{before.case} was {what} on {since.at[:10]}")
        elif before.worker is not None and before.worker in gone:
            problems.append(f"{before.case} would go back to {before.worker}, who has left")
    return problems


def back_moves(batch: Batch) -> list[Back]:
    """The moves that put each case of `batch` back where it was, in the batch's order. A case
    back under cover is recorded as `cover`; any other move back as `reassign` (the lead's
    move, by hand), to its worker or to the pool."""
    moves = []
    for b in batch.cases:
        reason = f"undo of batch {batch.number} ({batch.command})"
        if b.worker is None:
            reason += ": back to the waiting pool"
        moves.append(Back(
            b.case, b.moved_to, b.worker, "waiting" if b.worker is None else None, b.home_worker, b.cover_until,
            b.waiting_since if b.worker is None else None, "cover" if b.home_worker is not None else "reassign",
            reason))
    return moves
