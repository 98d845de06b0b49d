"""`worker feels`: the worker's own view of their caseload this week (DESIGN §2), as a use
case: one transaction, the worker checked, the view appended (never changed in place).
The week's view is the latest given for it (`domain.feels.of_week`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseload.domain.errors import CaseloadError
from caseload.domain.feels import Feeling, of_week
from caseload.domain.trends import week_of
from caseload.store.connection import write_transaction
from caseload.store.feels import add_feeling, feelings_of_week
from caseload.store.workers import get_worker


@dataclass(frozen=True)
class Given:
    """A view recorded: the week it counts for, and the view it replaced for that week (if any)."""

    worker: str
    feeling: str
    on: date
    week: date
    replaced: Feeling | None


def record_feeling(db, worker_id: str, feeling: str, on: date, actor: str, at: str) -> Given:
    """Append `worker_id`'s view of their caseload on `on`; it counts for that ISO week,
    in place of any view given earlier for the same week (both are kept)."""
    with write_transaction(db):
        worker = get_worker(db, worker_id)
        if worker.status == "left":
            raise CaseloadError(f"{worker.id} has left: their view of a caseload is not recorded")
        week = week_of(on)
        before = of_week(feelings_of_week(db, on), week).get(worker.id)
        add_feeling(db, worker.id, on, feeling, actor, at)
    return Given(worker.id, feeling, on, week, before)
