"""The data protection lifecycle's use cases (DESIGN §6): `retention` (anonymise the cases
closed before the configured cut-off), `erase` (one case now, on request), `client_record`
(subject access: everything held about one case's client) and `record_summary` (what the
nightly report says: the chain's head and how many cases are due).

Each write opens its one transaction (kill-safe: all of it or none), then, committed,
checkpoints the WAL with truncation, so the erased text is in neither the file nor its
WAL (the connection overwrites deleted content: `store.connection`). The decisions are
`domain.retention`'s; the SQL is `store.privacy`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from caseload.domain.errors import BadInput, CaseloadError
from caseload.domain.handover import closed
from caseload.domain.retention import Period, cut_off, names_the_client
from caseload.domain.witness import head_lines
from caseload.files import backups_beside, unfinished_backups_beside
from caseload.store import privacy as store
from caseload.store.backups import backups_before_erasure, unfinished_copies
from caseload.store.cases import get_case, notes_for, changes_for, update_case
from caseload.store.connection import read_snapshot, write_transaction
from caseload.store.history import Change, record
from caseload.store.witness import current_heads


@dataclass(frozen=True)
class RetentionPlan:
    """The cases due (id, closing day) for a period and a day, and what applying it did."""

    period: Period | None
    cut: date | None
    due: tuple[tuple[str, str], ...]
    applied: bool = False
    checkpointed: bool = True
    older_backups: tuple[Path, ...] = ()


def retention(db, period: Period | None, today: date, apply: bool, actor: str, at: str) -> RetentionPlan:
    """The cases closed before today less `period`; with `apply`, each anonymised and its
    erasure recorded, in one transaction. No period configured: nothing is due."""
    if period is None:
        return RetentionPlan(None, None, ())
    cut = cut_off(today, period)
    with write_transaction(db) if apply else read_snapshot(db):
        due = tuple(store.due_cases(db, cut))
        if apply and due:
            store.anonymise(db, [case_id for case_id, _ in due], "retention",
                            f"closed before {cut.isoformat()} (retention {period})", actor, at)
    checkpointed = store.checkpoint(db) if apply and due else True
    return RetentionPlan(period, cut, due, apply and bool(due), checkpointed, _older_backups(db) if apply and due else ())


@dataclass(frozen=True)
class Erasure:
    case: str
    closed_now: bool
    checkpointed: bool
    older_backups: tuple[Path, ...]


def erase(db, case_id: str, reason: str, today: date, actor: str, at: str) -> Erasure:
    """Erase one case's personal data now; an open case is closed first with `reason`. The
    reason is refused (bad input, nothing written) when it holds the client's name."""
    with write_transaction(db):
        case = get_case(db, case_id)
        if store.is_erased(db, case.id):
            raise CaseloadError(f"{case.id} is already erased")
        if names_the_client(reason, case.client):
            raise BadInput("--reason", "", "holds the client's name: the record of an erasure must not keep it")
        closed_now = case.status != "closed"
        if closed_now:  # a waiting case too: a withdrawn referral (`domain.handover.closed`)
            update_case(db, closed(case, today, reason))
            record(db, Change(case.id, case.worker, case.worker, "close", reason), actor, at)
        store.anonymise(db, [case.id], "request", reason, actor, at)
    return Erasure(case.id, closed_now, store.checkpoint(db), _older_backups(db))


def _older_backups(db) -> tuple[Path, ...]:
    """The backups made before the database's last erasure: they still hold the text (and
    so does the partial copy of an upgrade or a `caseload backup` killed while it copied the
    file)."""
    path = getattr(db, "path", None)
    beside = backups_beside(path) + unfinished_backups_beside(path) if path is not None else []
    return tuple(backups_before_erasure(db, beside)) + tuple(unfinished_copies(db))


def retention_due(db, period: Period | None, today: date) -> int | None:
    """How many cases retention would anonymise today (None when it is off)."""
    return None if period is None else store.count_due(db, cut_off(today, period))


def record_summary(db, period: Period | None, today: date) -> dict:
    """The chain's head (a copy kept elsewhere is a witness) and the cases due, for the report."""
    return {"head": head_lines(current_heads(db)), "retention_due": retention_due(db, period, today),
            "retention": None if period is None else str(period)}


def client_record(db, case_id: str, exclude: tuple[str, ...] = ()) -> dict:
    """Everything held about the client of `case_id`: each case with the same client text,
    with its notes, history (and the zone of the worker it reached, where a review was
    recorded on or before that day) and recorded changes. Read in one snapshot.

    A name is not a person: two clients may share one. `namesakes` are the cases found by
    the name alone (all but the one asked for), for the lead to check before anything is
    sent; `exclude` leaves out those that are someone else (each must be such a case)."""
    with read_snapshot(db):
        case = get_case(db, case_id)
        if store.is_erased(db, case.id):
            raise CaseloadError(f"{case.id} has been erased: its client's name is no longer held, so no other case "
                                "can be found from it; ask about another of their cases (`caseload find NAME` "
                                "finds them)")
        found = [row for row in store.client_cases(db, case.client) if not store.is_erased(db, row["id"])]
        others = {row["id"].casefold() for row in found} - {case.id.casefold()}
        for excluded in exclude:  # case ids, typed in any case
            if excluded.casefold() not in others:
                raise BadInput("--exclude", excluded, f"is not another case with the client's name of {case.id}")
        left_out = {excluded.casefold() for excluded in exclude}
        cases = []
        for row in found:
            if row["id"].casefold() in left_out:
                continue
            history = store.case_history(db, row["id"])
            for move in history:
                move["zone"] = store.zone_on(db, move["worker"], move["at"][:10]) if move["worker"] else None
            cases.append({"case": row, "notes": notes_for(db, row["id"]), "history": history,
                          "changes": changes_for(db, row["id"])})
    return {"client": case.client, "asked_for": case.id, "cases": cases,
            "namesakes": [c["case"]["id"] for c in cases if c["case"]["id"] != case.id]}
