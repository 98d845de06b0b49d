"""What a case's row must agree with in its assignment record (DESIGN §6): a raw
`UPDATE cases SET worker = ...` (or status) changes the case but writes no history, so
the case no longer agrees with its last history row. `doctor` asks `disagreement` of
every case.

The rules follow how caseload writes: every allocation, move, cover and return appends a
history row naming the worker who holds the case after it; `close` appends `close` naming
the worker who held it; a case reopened into the waiting pool has `close` as its last
row (its reopening is a case change, not a move); an intake without a worker is `intake`;
a case put back into the pool by `undo` has a last row naming no worker.
"""

from __future__ import annotations

from caseload.domain.model import OPEN_STATUSES


def disagreement(status: str, worker: str | None, last_kind: str | None, last_worker: str | None) -> str | None:
    """Why a case (its status and worker) disagrees with its last history row, or None."""
    if last_kind is None:
        return None  # no history at all: doctor's invariants name that already
    if status in OPEN_STATUSES:
        if last_kind in ("close", "intake"):
            return f"is {status} with {worker} but its history ends with {last_kind!r} (no allocation recorded)"
        if worker != last_worker:
            return f"is held by {worker} but its history says {last_worker}"
    elif status == "closed":
        if last_kind != "close" and not (last_kind == "intake" and worker is None):
            return f"is closed but its history ends with {last_kind!r} (no closing recorded)"
        if last_kind == "close" and worker != last_worker:
            return f"is held by {worker} but its history says {last_worker}"
    elif status == "waiting" and last_kind not in ("intake", "close") and last_worker is not None:
        return f"is waiting but its history ends with {last_kind!r} to {last_worker} (no return to the pool recorded)"
    return None
