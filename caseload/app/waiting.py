"""The waiting list (DESIGN §2, §10): the pool read once and seen on a day, in priority
order, with every first-contact deadline and check-in (`domain.waiting` decides)."""

from __future__ import annotations

from datetime import date

from caseload.domain.waiting import pool as ordered
from caseload.domain.waiting import waiting
from caseload.store.cases import find_cases, waiting_cases
from caseload.store.workers import get_worker


def pool(db, config, on: date) -> list:
    """The waiting cases as `domain.waiting.Waiting`s on `on`, in priority order."""
    return ordered(waiting_cases(db), on, config.waiting)


def listing(db, config, on: date, where, sort: str | None, overdue: bool) -> list:
    """`cases --waiting`: the waiting cases `where` picks (a `store.cases.CaseFilter`), seen on
    `on`; only those needing attention with `overdue`; in priority order unless `sort` names
    a column (then in that column's order, as `cases --sort` gives it)."""
    if where.worker is not None:
        get_worker(db, where.worker)
    cases = find_cases(db, where, sort or "id")
    entries = [waiting(c, on, config.waiting) for c in cases] if sort else ordered(cases, on, config.waiting)
    return [e for e in entries if e.needs_attention] if overdue else entries
