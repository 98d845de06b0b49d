"""The team: finding the worker a command names (an id, or `me` for the acting user),
one worker's sheet, and the team list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def resolve_worker(db, given: str, actor: str, field: str, taking_on: date | None = None):
    """A worker id (in any case: `Asha` is asha), or `me` for the acting user, that exists
    and has not left; with `taking_on` (a case given by hand that day), one who has started.

    A new starter is refused cases before their first day, by hand too: a case given
    to someone not yet in post has nobody working on it, and would leave the waiting
    list (the safety net) for a desk nobody sits at. It waits; `forecast --case` says
    when someone has room, and the starter can take it from their first day."""
    from caseload.domain import fields
    from caseload.domain.errors import CaseloadError
    from caseload.store.workers import get_worker

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
    from caseload.domain.load import capacity_breakdown, count_cap
    from caseload.domain.model import OPEN_STATUSES
    from caseload.store.cases import CaseFilter, find_cases
    from caseload.store.workers import absences, get_worker, reductions

    w = get_worker(db, worker_id)
    held = list(find_cases(db, CaseFilter(worker=worker_id, statuses=OPEN_STATUSES), sort="risk"))
    cuts = reductions(db, worker_id)
    return WorkerSheet(
        on=today, worker=w, rules=config.load, cases=held,
        breakdown=capacity_breakdown(w, cuts, config.load, today),
        scheduled=[r for r in cuts if r.state(today) == "scheduled"],
        absences=[a for a in absences(db, worker_id) if a.ends_on >= today],
        cap=count_cap(w, config.load),
    )


def with_capacity(db, config, on: date, include_left: bool) -> list[tuple]:
    """(worker, capacity on `on`) for the team, as `worker list` and `export workers` show it."""
    from caseload.domain.load import capacity_breakdown
    from caseload.store.workers import list_workers, reductions_active_on

    cuts = reductions_active_on(db, on)
    return [(w, capacity_breakdown(w, cuts.get(w.id, []), config.load, on).value)
            for w in list_workers(db, include_left=include_left)]


def cancel_absence(db, worker_id: str, today: date, start: date | None) -> tuple[list, int]:
    """`worker absent ID --cancel [--from DATE]` (the rules: `domain.handover.absences_to_cancel`):
    the (absence, what is left of it or None when removed) pairs, and how many cases under
    cover the worker is home worker of."""
    from caseload.domain.handover import absences_to_cancel, cancelled_absence
    from caseload.store.workers import absences, get_worker, remove_absence, responsibilities, set_absence_end

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


def end_reduction(db, worker_id: str, reduction_id: int, last: date) -> tuple:
    """`worker reduce ID --end N [--on DATE]` (the rule: `domain.handover.ended_reduction`):
    the reduction as it was and as it is now (None: removed, it would end before it starts)."""
    from caseload.domain.errors import CaseloadError
    from caseload.domain.handover import ended_reduction
    from caseload.store.workers import get_reduction, get_worker, remove_reduction, set_reduction_end

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
