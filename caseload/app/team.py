"""The team: finding the worker a command names (an id, or `me` for the acting user),
one worker's sheet, the team list and the reductions; and the use cases that change a
worker (`worker add/edit/absent/leave/left/reduce`), each in its own write transaction.

Decisions are `domain.handover`'s (a leaver with cases, a cancelled absence or leave, an
ended reduction, an overlapping one); this module reads what they need, asks, and writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from caseload.domain import fields
from caseload.domain.errors import CaseloadError
from caseload.domain.handover import (
    absences_to_cancel, auto_for_role, cancelled_absence, ended_reduction, leave_cancelled, overlapping_reductions,
    why_not_left,
)
from caseload.domain.load import capacity_breakdown, count_cap
from caseload.domain.model import OPEN_STATUSES, Absence, Reduction
from caseload.domain.starters import StarterRules, protected_caseload
from caseload.store import workers as stored
from caseload.store.cases import CaseFilter, find_cases
from caseload.store.connection import read_snapshot, write_transaction
from caseload.store.workers import (
    absences, get_reduction, get_worker, list_workers, reductions_active_on, remove_absence, remove_reduction,
    responsibilities, set_absence_end, set_reduction_end,
)


def resolve_worker(db, given: str, actor: str, field: str, taking_on: date | None = None):
    """A worker id (in any case: `Asha` is asha), or `me` for the acting user, that exists
    and has not left; with `taking_on` (a case given by hand that day), one who has started.

    A new starter is refused cases before their first day, by hand too: a case given
    to someone not yet in post has nobody working on it, and would leave the waiting
    list (the safety net) for a desk nobody sits at. It waits; `forecast --case` says
    when someone has room, and the starter can take it from their first day."""
    given = fields.worker_or_word(given, field)
    worker_id = actor if given == "me" else given
    try:
        worker = get_worker(db, worker_id)
    except CaseloadError as error:
        if given == "me":
            raise CaseloadError(f"you act as {actor!r}, who is not a worker: give --as ID or a worker id") from None
        raise CaseloadError(f"{field}: {error}") from None
    if worker.status == "left":
        raise CaseloadError(f"{worker.id} has left and cannot take cases")
    if taking_on is not None and not worker.started_by(taking_on):
        raise CaseloadError(f"{worker.id} starts on {worker.starts_on} and cannot take cases before then "
                            f"(nobody would be working with the client): give it to them from that day")
    return worker


@dataclass(frozen=True)
class WorkerSheet:
    """Everything `worker show` prints for one worker on a day."""

    on: date
    worker: object
    rules: object  # LoadRules
    cases: list  # open cases, high risk first
    breakdown: object  # CapacityBreakdown on the day
    scheduled: list  # reductions not started yet
    absences: list  # absences not over yet
    cap: int | None


def worker_sheet(db, config, today: date, worker_id: str) -> WorkerSheet:
    w = get_worker(db, worker_id)
    held = list(find_cases(db, CaseFilter(worker=worker_id, statuses=OPEN_STATUSES), sort="risk"))
    cuts = stored.reductions(db, worker_id)
    return WorkerSheet(
        on=today, worker=w, rules=config.load, cases=held,
        breakdown=capacity_breakdown(w, cuts, config.load, today),
        scheduled=[r for r in cuts if r.state(today) == "scheduled"],
        absences=[a for a in absences(db, worker_id) if a.ends_on >= today],
        cap=count_cap(w, config.load),
    )


def with_capacity(db, config, on: date, include_left: bool) -> list[tuple]:
    """(worker, capacity on `on`) for the team, as `worker list` and `export workers` show it."""
    cuts = reductions_active_on(db, on)
    return [(w, capacity_breakdown(w, cuts.get(w.id, []), config.load, on).value)
            for w in list_workers(db, include_left=include_left)]


def _cancel_absence(db, worker_id: str, today: date, start: date | None) -> tuple[list, int]:
    """`worker absent ID --cancel [--from DATE]` (the rules: `domain.handover.absences_to_cancel`):
    the (absence, what is left of it or None when removed) pairs, and how many cases under
    cover the worker is home worker of."""
    get_worker(db, worker_id)
    done = []
    for absence in absences_to_cancel(worker_id, absences(db, worker_id), today, start):
        after = cancelled_absence(absence, today)
        if after is None:
            remove_absence(db, absence.id)
        else:
            set_absence_end(db, absence.id, after.ends_on)
        done.append((absence, after))
    return done, responsibilities(db, worker_id)[1]


def _end_reduction(db, worker_id: str, reduction_id: int, last: date) -> tuple:
    """`worker reduce ID --end N [--on DATE]` (the rule: `domain.handover.ended_reduction`):
    the reduction as it was and as it is now (None: removed, it would end before it starts)."""
    get_worker(db, worker_id)
    reduction = get_reduction(db, reduction_id)
    if reduction.worker != worker_id:
        raise CaseloadError(f"reduction {reduction_id} is {reduction.worker}'s, not {worker_id}'s "
                            f"(see `caseload worker reductions {worker_id}`)")
    after = ended_reduction(reduction, last)
    if after is None:
        remove_reduction(db, reduction.id)
    else:
        set_reduction_end(db, reduction.id, after.ends_on)
    return reduction, after


# -- the use cases of `worker ...`: each opens its command's one transaction -----------------

def team(db, config, on: date, include_left: bool = False) -> list[tuple]:
    """(worker, capacity on `on`) for everyone who has not left (with `include_left`, everyone)."""
    with read_snapshot(db):
        return with_capacity(db, config, on, include_left)


def worker_card(db, config, today: date, worker_id: str) -> WorkerSheet:
    """Everything `worker show` prints for one worker today, read in one snapshot."""
    with read_snapshot(db):
        return worker_sheet(db, config, today, worker_id)


def reductions(db, config, today: date, worker_id: str | None = None, expiring: bool = False):
    """The reductions of the team (or of one worker, who must exist), and with `expiring` only
    those ending within the config's `alerts.expiring_days`; returns (reductions, that horizon)."""
    horizon = today + timedelta(days=config.alerts.expiring_days)
    with read_snapshot(db):
        if worker_id:
            stored.get_worker(db, worker_id)
        found = stored.reductions(db, worker_id)
    return [r for r in found if not expiring or r.ends_within(today, horizon)], horizon


def _protect(db, at: str, worker, starters: StarterRules) -> Reduction | None:
    """A new starter's protected caseload (`domain.starters.protected_caseload`), stored when due."""
    due = protected_caseload(worker, stored.reductions(db, worker.id), starters)
    if due is None:
        return None
    return replace(due, id=stored.add_reduction(db, due, at))


def add(db, at: str, worker, starters: StarterRules = StarterRules()) -> Reduction | None:
    """Add a new worker (a `domain.model.Worker` built from the flags) to the team; a new
    starter gets their protected caseload when the config gives one (returned, else None)."""
    with write_transaction(db):
        stored.add_worker(db, worker, at)
        return _protect(db, at, worker, starters)


def edit(db, today: date, worker_id: str, changes: dict, role: str | None, auto: bool | None,
         at: str = "", starters: StarterRules = StarterRules()) -> tuple[dict, int, Reduction | None]:
    """Change the fields of `changes` on an existing worker; a new role brings its default for
    automatic allocations unless `auto` is given (`domain.handover.auto_for_role`). Returns the
    changes made (empty: nothing changed), when a start day moves into the future how many
    cases the worker holds (they would count on no capacity until then), and the protected
    caseload a start day given here brought (the config's `starters`), else None."""
    with write_transaction(db):
        worker = stored.get_worker(db, worker_id)
        held = stored.responsibilities(db, worker_id)[0] \
            if changes.get("starts_on") and changes["starts_on"] > today else 0
        if not changes:
            return changes, held, None
        takes_auto = auto_for_role(worker, role, auto)
        if takes_auto is not None:
            changes = {**changes, "auto": takes_auto}
        edited = replace(worker, **changes)
        stored.update_worker(db, edited)
        protected = _protect(db, at, edited, starters) if changes.get("starts_on") else None
    return changes, held, protected


def absent(db, actor: str, at: str, worker_id: str, first: date, last: date, reason: str, cover_id: str | None):
    """Record an absence of an existing worker, with the worker who covers by default (one who
    exists and has not left)."""
    with write_transaction(db):
        stored.get_worker(db, worker_id)
        if cover_id:
            resolve_worker(db, cover_id, actor, "--cover")
        stored.add_absence(db, Absence(0, worker_id, first, last, reason, cover_id), at)


def cancel_absence(db, worker_id: str, today: date, start: date | None) -> tuple[list, int]:
    """`worker absent ID --cancel [--from DATE]` in one transaction (the rules:
    `domain.handover.absences_to_cancel`): the (absence, what is left of it or None when
    removed) pairs, and how many cases under cover the worker is home worker of."""
    with write_transaction(db):
        return _cancel_absence(db, worker_id, today, start)


def leave(db, worker_id: str, on: date):
    """Mark a worker as leaving on `on` (refused once they have left): no new allocations from now."""
    with write_transaction(db):
        worker = stored.get_worker(db, worker_id)
        if worker.status == "left":
            raise CaseloadError(f"{worker_id} has already left")
        stored.update_worker(db, replace(worker, status="leaving", leaving_on=on))


def stay(db, worker_id: str) -> tuple:
    """`worker leave ID --cancel`: a leaver stays (`domain.handover.leave_cancelled`); returns
    the worker as they were and as they are now."""
    with write_transaction(db):
        worker = stored.get_worker(db, worker_id)
        staying = leave_cancelled(worker)
        stored.update_worker(db, staying)
    return worker, staying


def mark_left(db, worker_id: str) -> None:
    """Mark a worker as gone, refused while they hold a case or are the home worker of one
    under cover (`domain.handover.why_not_left`): no case is ever orphaned."""
    with write_transaction(db):
        worker = stored.get_worker(db, worker_id)
        refusal = why_not_left(worker_id, *stored.responsibilities(db, worker_id))
        if refusal:
            raise CaseloadError(refusal)
        stored.update_worker(db, replace(worker, status="left", auto=False))


def reduce(db, at: str, worker_id: str, kind: str, amount, reason: str, first: date, last: date | None) -> list:
    """Record a capacity reduction of an existing worker; returns the reductions of the same
    reason it overlaps (recorded all the same: both count)."""
    with write_transaction(db):
        stored.get_worker(db, worker_id)
        new = Reduction(0, worker_id, kind, amount, reason, first, last)
        overlaps = overlapping_reductions(new, stored.reductions(db, worker_id))
        stored.add_reduction(db, new, at)
    return overlaps


def end_reduction(db, worker_id: str, reduction_id: int, last: date) -> tuple:
    """`worker reduce ID --end N [--on DATE]` in one transaction (the rule:
    `domain.handover.ended_reduction`): the reduction as it was and as it is now (None:
    removed, it would end before it starts)."""
    with write_transaction(db):
        return _end_reduction(db, worker_id, reduction_id, last)
