"""The waiting list (DESIGN §2, §10): the pool read once and seen on a day, in priority
order, with every first-contact deadline and check-in (`domain.waiting` decides)."""

from __future__ import annotations

from datetime import date


def pool(db, config, on: date) -> list:
    """The waiting cases as `domain.waiting.Waiting`s on `on`, in priority order."""
    from caseload.domain.waiting import pool as ordered
    from caseload.store.cases import waiting_cases

    return ordered(waiting_cases(db), on, config.waiting)
