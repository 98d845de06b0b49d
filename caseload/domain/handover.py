"""Rules for moving responsibility (DESIGN §4, §5): what may be given out or moved,
handover versus temporary cover, which covers are due back, and when a worker may be
marked as gone.

- `assign` gives out waiting cases only; a closed case or a held one is refused (a
  held case moves with `reassign`).
- A handover is permanent: the case keeps any cover it is under (its home worker and
  end date). Temporary cover (`--temporary --until`) makes the leaving worker the home
  worker and the cover's end the end date, unless the case is already under cover,
  which keeps its own.
- A cover is due back when its end date has passed and the home worker is back: not
  left and not absent today.
- A worker may be marked as left only when they hold no open case and are the home
  worker of none.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Mapping, Sequence

from caseload.domain.model import Case
from caseload.domain.plan import Move


def why_not_assignable(case: Case) -> str | None:
    """Why `assign` cannot give this case out (None: it is waiting, so it can)."""
    if case.status == "closed":
        return f"{case.id} is closed"
    if case.worker is not None:
        return (f"{case.id} is already held by {case.worker}: use "
                f"`caseload reassign {case.id} --to W --reason TEXT` to move it")
    return None


def why_not_reassignable(case: Case, target: str) -> str | None:
    """Why `reassign` cannot move this case to `target` (None: it can)."""
    if case.status == "closed":
        return f"{case.id} is closed"
    if case.worker is None:
        return f"{case.id} is waiting: give it out with `caseload assign {case.id} --to W`"
    if target == case.worker:
        return f"{case.id} is already with {target}"
    return None


def handover_move(case: Case, source: str, to: str, until: date | None, reason: str | None) -> Move:
    """The move of one case in a handover: permanent, or cover until `until`."""
    if until is not None:
        return Move(case.id, source, to, "cover", reason or f"cover for {source} until {until}",
                    home_worker=case.home_worker or source, cover_until=case.cover_until or until)
    return Move(case.id, source, to, "handover", reason or f"handover from {source}",
                home_worker=case.home_worker, cover_until=case.cover_until)


def handover_moves(cases: Mapping[str, Case], placements: Iterable, source: str, until: date | None,
                   reason: str | None) -> list[Move]:
    """The moves for the placed cases of a handover plan (cases nobody can take stay)."""
    return [handover_move(cases[p.case], source, p.worker, until, reason) for p in placements if p.worker is not None]


def covers_due_back(covered: Sequence[Case], back: set[str], today: date) -> list[Case]:
    """Covered cases whose cover ended before today and whose home worker is in `back`
    (not left, not absent today)."""
    return [c for c in covered if c.cover_until is not None and c.cover_until < today and c.home_worker in back]


def return_moves(cases: Iterable[Case]) -> list[Move]:
    """Covered cases going back to their home worker: the cover ends."""
    return [Move(c.id, c.worker, c.home_worker, "return", f"cover by {c.worker} ended") for c in cases]


def why_not_left(worker_id: str, held: int, homed: int) -> str | None:
    """Why a worker cannot be marked as left yet (None: nothing is still theirs)."""
    if held:
        return f"{worker_id} still holds {held} open case(s): `caseload handover {worker_id} --auto` first"
    if homed:
        return (f"{worker_id} is the home worker of {homed} case(s) under cover: "
                f"`caseload handover` them permanently (or `caseload return {worker_id}`) first")
    return None
