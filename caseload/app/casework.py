"""Day-to-day work on one case (DESIGN §5): `note`, `review`, `update`, `close` and `reopen`.

Each use case opens the one write transaction of its command and does all of the work
inside it: the case is read, the rule asked (`domain`), the change written with its note,
history row or recorded field changes; all of it lands or none. A closed case keeps its
notes and history read-only: every use case here but `reopen` refuses it, and `reopen`
refuses an erased one (DESIGN §6: nothing can be added to what was erased).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction

from caseload.domain import fields
from caseload.domain.errors import BadInput, CaseloadError, NotFound
from caseload.domain.handover import closed, reopened
from caseload.domain.load import zone
from caseload.domain.waiting import opening_moved, waiting
from caseload.store.allocation import requests_for, team_planner, worker_load
from caseload.store.cases import add_note, get_case, record_changes, update_case
from caseload.store.connection import write_transaction
from caseload.store.history import Change, record
from caseload.store.privacy import is_erased
from caseload.store.workers import get_worker


def open_case(db, case_id: str):
    """The case named (any spelling of its id), refused when closed."""
    case = get_case(db, fields.case_id(case_id, "CASE"))
    if case.status == "closed":
        raise CaseloadError(f"{case.id} is closed (closed cases keep their notes and history, read-only)")
    return case


@dataclass(frozen=True)
class Noted:
    """A note written: the case as it was, and for a contact while it waits, the next check-in due."""

    case: object
    check_in_due: date | None = None


def note(db, config, today: date, actor: str, at: str, case_id: str, text: str, contact: bool) -> Noted:
    """Add a note to an open case; a contact also sets its last contact to `today` (and on a
    waiting case counts as a check-in, DESIGN §2: its next one is returned)."""
    with write_transaction(db):
        case = open_case(db, case_id)
        add_note(db, case.id, "contact" if contact else "note", text, actor, at)
        if contact:
            update_case(db, replace(case, last_contact_on=today))
    due = None
    if contact and case.status == "waiting":
        due = waiting(replace(case, last_contact_on=today), today, config.waiting).check_in_due
    return Noted(case, due)


def review(db, config, today: date, actor: str, at: str, case_id: str, text: str, next_on: date | None):
    """Record a review of an open case (a `review` note) and set its next review: `next_on`, or
    after its risk's interval. Returns (the case, the next review date)."""
    with write_transaction(db):
        case = open_case(db, case_id)
        following = next_on or today + timedelta(days=config.review_days[case.risk])
        add_note(db, case.id, "review", (text + " " if text else "") + f"(next review {following})", actor, at)
        update_case(db, replace(case, next_review_on=following))
    return case, following


Load = tuple[Fraction, Fraction, str]  # a worker's load, capacity and zone


def _load(db, config, today: date, worker_id: str) -> Load:
    load, capacity = worker_load(db, worker_id, today, config)
    return load, capacity, zone(load, capacity, config.load.zones)


@dataclass(frozen=True)
class Updated:
    """An update made: the case before it, and its worker's load before and after (None when it waits)."""

    case: object
    before: Load | None
    after: Load | None


def update(db, config, today: date, actor: str, at: str, case_id: str, changes: dict, status_given: str | None = None
           ) -> Updated:
    """Change intake fields of an open case (`changes`, read by `domain.intake.read_changes`),
    recording each change; a status change needs a held case, a requested worker must exist,
    and a corrected opening day moves a wait that began on it."""
    with write_transaction(db):
        case = open_case(db, case_id)
        if "status" in changes and case.worker is None:
            raise BadInput("--status", status_given, f"needs a held case; {case.id} is waiting (use `assign`)")
        if changes.get("requested_worker"):
            get_worker(db, changes["requested_worker"])
        before = _load(db, config, today, case.worker) if case.worker else None
        updated = replace(case, **changes)
        if "opened_on" in changes:  # a wait that began at opening begins on the corrected day
            updated = replace(updated, waiting_since=opening_moved(case, changes["opened_on"]))
        update_case(db, updated)
        record_changes(db, case, updated, actor, at)
        after = _load(db, config, today, case.worker) if case.worker else None
    return Updated(case, before, after)


def close(db, today: date, actor: str, at: str, case_id: str, reason: str):
    """Close a case that is not closed (`domain.handover.closed`): a held case leaves its
    worker's load; a waiting one is a withdrawn referral and leaves the pool. It keeps its
    notes and history, and history records why (a `close` row naming the worker who held it,
    or nobody). Returns the case as it was before."""
    with write_transaction(db):
        case = open_case(db, case_id)
        update_case(db, closed(case, today, reason))
        record(db, Change(case.id, case.worker, case.worker, "close", reason), actor, at)
    return case


def reopen(db, config, today: date, actor: str, at: str, case_id: str, reason: str):
    """Reopen a closed case (`domain.handover.reopened`): back to its former worker if still
    active, else to the pool. Every field that changes is recorded in the case's changes; a
    case that goes back to its worker also gets a history row (`assign`: the lead gives it
    back, by hand), and one that waits gets a note with the reason. Returns the reopened case,
    its former worker (None if unknown) and the warnings of a choice by hand (absent, skills,
    zone after, ...)."""
    with write_transaction(db):
        case = get_case(db, case_id)
        if is_erased(db, case.id):  # its client is gone: new work on them is a new case
            raise CaseloadError(f"{case.id} was erased and cannot be reopened: take the client in again as a new "
                                "case (`caseload intake`)")
        try:
            former = get_worker(db, case.worker) if case.worker else None
        except NotFound:
            former = None
        after = reopened(case, former, today)
        warnings: list[str] = []
        if after.worker is not None:
            warnings = team_planner(db, today, config).take(after.worker, requests_for(db, [after], config))
        update_case(db, after)
        record_changes(db, case, after, actor, at)
        if after.worker is not None:
            # previous = the worker itself: the case does not change hands, so "held since" stays
            # their arrival before the close (`store.cases.arrived_at`)
            record(db, Change(case.id, after.worker, after.worker, "assign", f"reopened: {reason}"), actor, at)
        else:
            add_note(db, case.id, "note", f"reopened: {reason}", actor, at)
    return after, former, warnings
