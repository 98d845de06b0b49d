"""Reading cases (DESIGN §5): the case table and its filters, the waiting pool in priority
order, one case with everything recorded about it, the assignment record, and the cases
whose client, summary or notes hold some words (`find`).

Each use case reads in one snapshot (`store.connection.read_snapshot`), so a listing is
one consistent state of the file even while another team lead writes.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Iterator

from caseload.app import waiting as waiting_list
from caseload.domain.model import INTAKE_STATUSES, OPEN_STATUSES
from caseload.domain.search import matches, search_words, word_query
from caseload.store.cases import CaseFilter, changes_for, count_cases, find_cases, get_case, notes_for
from caseload.store.connection import read_snapshot
from caseload.store.history import history as read_history
from caseload.store.search import cases_holding, found_cases
from caseload.store.workers import get_worker


@dataclass(frozen=True)
class CaseList:
    """What `cases` lists: `Case`s, or (`waiting`) the pool's `domain.waiting.Waiting` entries.
    The cases are read as they are written, and may be read more than once (a plain table
    reads them for its column widths, then writes them), each time by the same query in the
    same snapshot. `total`: how many the filters pick, when a `limit` was given (else None)."""

    waiting: bool
    entries: Iterable
    total: int | None = None


@dataclass(frozen=True)
class _Listing:
    """The cases of a listing, read again (`store.cases.find_cases`, in batches) each time they are read."""

    db: object
    where: CaseFilter
    sort: str
    limit: int | None

    def __iter__(self) -> Iterator:
        return find_cases(self.db, self.where, self.sort, self.limit)


@contextmanager
def case_list(db, config, today: date, *, worker: str | None = None, waiting: bool = False, risk: str | None = None,
              tier: str | None = None, status: str | None = None, overdue: bool = False, stale: bool = False,
              sort: str | None = None, limit: int | None = None) -> Iterator[CaseList]:
    """The open cases (or those of `status`; closed ones only when asked) the filters pick, by
    `sort` (default id), the first `limit` of them (the LIMIT of the query), read in one
    snapshot held while the caller writes them. The waiting pool alone (`waiting`, or
    `status` waiting) comes as the waiting list: priority order unless `sort`, `overdue`
    meaning a first contact or check-in overdue. `overdue` and `stale` apply to open cases
    only. A named worker must exist; their listing also holds the cases covered for them by
    others (DESIGN §2: marked by their `home_worker`), so a case under cover never vanishes
    from its home worker's list."""
    statuses = INTAKE_STATUSES
    if status is not None:
        statuses = (status,)
    if waiting:
        statuses = ("waiting",)
    if statuses == ("waiting",) and not stale:
        # the pool is ordered in Python (its priority is worked out case by case), and small
        where = CaseFilter(worker=worker, statuses=("waiting",), risk=risk, tier=tier)
        with read_snapshot(db):
            entries = waiting_list.listing(db, config, today, where, sort, overdue)
        yield CaseList(True, entries[:limit], len(entries) if limit is not None else None)
        return
    if overdue or stale:
        statuses = tuple(st for st in statuses if st in OPEN_STATUSES) or OPEN_STATUSES
    where = CaseFilter(
        worker=worker, statuses=statuses, risk=risk, tier=tier, with_covered=True,
        review_before=today if overdue else None,
        contact_before=today - timedelta(days=config.stale_after_days) if stale else None,
    )
    with read_snapshot(db):
        if where.worker is not None:
            get_worker(db, where.worker)
        total = count_cases(db, where) if limit is not None else None
        yield CaseList(False, _Listing(db, where, sort or "id", limit), total)


@dataclass(frozen=True)
class CaseRecord:
    """Everything held about one case: its fields, notes, history and recorded field changes."""

    case: object
    notes: list
    history: list
    changes: list


def case_record(db, case_id: str) -> CaseRecord:
    """One case (any spelling of its id) with its notes, whole assignment history and field changes."""
    with read_snapshot(db):
        case = get_case(db, case_id)
        return CaseRecord(case, notes_for(db, case.id), list(read_history(db, case_id=case.id)),
                          changes_for(db, case.id))


def history(db, case_id: str | None = None, worker: str | None = None, since: date | None = None) -> list:
    """The assignment record as (case, worker, previous worker, kind, reason, actor, at) rows,
    oldest first: of one case and/or moves to or from one worker (both must exist), from `since`."""
    with read_snapshot(db):
        if case_id:
            case_id = get_case(db, case_id).id  # as stored: `c-0001` is C-0001
        if worker:
            get_worker(db, worker)
        return list(read_history(db, case_id=case_id, worker=worker, since=since.isoformat() if since else None))


def find(db, text: str) -> list[dict]:
    """The cases whose client, summary or notes hold every word of `text`
    (`domain.search`), open ones first, each with the places its words were found
    (`matched`). Bad input (no word) is refused before the database is read."""
    words = search_words(text)
    with read_snapshot(db):
        hits = matches({word: cases_holding(db, word_query(word)) for word in words})
        return [row | {"matched": hits[row["id"]]} for row in found_cases(db, hits)]
