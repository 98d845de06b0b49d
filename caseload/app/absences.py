"""Absences listed and moved (issue 22): `worker absences [ID] [--all]` and
`worker absent ID --change N [--from D] [--until D]`, each in one transaction."""

from __future__ import annotations

from datetime import date

from caseload.domain.absences import changed_absence
from caseload.domain.model import Absence
from caseload.store.connection import read_snapshot, write_transaction
from caseload.store.workers import get_absence, get_worker, list_absences, set_absence_dates


def absences(db, worker_id: str | None, today: date, everything: bool) -> list[Absence]:
    """One worker's absences or everyone's, by first day: those not over before today,
    or every one with `everything`."""
    with read_snapshot(db):
        if worker_id is not None:
            get_worker(db, worker_id)
        return list_absences(db, worker_id, None if everything else today)


def change_absence(db, worker_id: str, absence_id: int, starts_on: date | None,
                   ends_on: date | None) -> tuple[Absence, Absence]:
    """Move absence `absence_id` of `worker_id` to new dates: (before, after)."""
    with write_transaction(db):
        get_worker(db, worker_id)
        before = get_absence(db, absence_id)
        after = changed_absence(before, worker_id, starts_on, ends_on)
        set_absence_dates(db, absence_id, after.starts_on, after.ends_on)
    return before, after
