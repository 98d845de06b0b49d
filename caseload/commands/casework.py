"""Day-to-day work on a case: `note`, `review`, `update`, `close`, and `history`.

Notes and history stay with a case for ever, closed or not. A `contact` note sets
the last contact date; a review sets the next review date (by default after the
risk's interval). `update` changes any intake field; a change of tier or status
shows the worker's load before and after, because it changes their zone.
Moving a case between workers is not an update: that is `reassign` (history).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from caseload.commands import FormatOption, OutputOption

def _open_case(db, case_id: str):
    from caseload.domain import fields
    from caseload.domain.errors import CaseloadError
    from caseload.store.cases import get_case

    case = get_case(db, fields.case_id(case_id, "CASE"))
    if case.status == "closed":
        raise CaseloadError(f"{case.id} is closed (closed cases keep their notes and history, read-only)")
    return case


def note(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    text: Annotated[str, typer.Argument(metavar="TEXT")],
    contact: Annotated[bool, typer.Option("--contact", help="A contact with the client (sets last contact).")] = False,
) -> None:
    """Add a note to a case (with --contact, record a contact made today)."""
    from dataclasses import replace

    from caseload.session import current
    from caseload.domain import fields
    from caseload.render.console import message
    from caseload.store.cases import add_note, update_case
    from caseload.store.connection import write_transaction

    body = fields.text(text, "TEXT", required=True, multiline=True)
    s = current()
    db = s.open()
    with write_transaction(db):
        case = _open_case(db, case_id)
        add_note(db, case.id, "contact" if contact else "note", body, s.actor, s.now())
        if contact:
            update_case(db, replace(case, last_contact_on=s.today))
    said = f"noted on {case.id}" + (f"; last contact {s.today}" if contact else "")
    if contact and case.status == "waiting":  # a contact while it waits is a check-in (DESIGN §2)
        from caseload.domain.waiting import waiting

        after = waiting(replace(case, last_contact_on=s.today), s.today, s.config.waiting)
        said += f" (a check-in while it waits; the next is due {after.check_in_due})"
    message(said)


def review(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    next_on: Annotated[Optional[str], typer.Option("--next", metavar="DATE", help="Next review (default: by risk).")] = None,
    text: Annotated[Optional[str], typer.Option("--note", help="What the review found.")] = None,
) -> None:
    """Record a review and set the next review date."""
    from dataclasses import replace
    from datetime import timedelta

    from caseload.session import current
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import message
    from caseload.store.cases import add_note, update_case
    from caseload.store.connection import write_transaction

    s = current()
    body = fields.text(text, "--note", multiline=True) if text else ""
    chosen = s.day(next_on, "--next") if next_on else None
    if chosen is not None and chosen <= s.today:
        raise BadInput("--next", next_on, "must be after today")
    db = s.open()
    with write_transaction(db):
        case = _open_case(db, case_id)
        following = chosen or s.today + timedelta(days=s.config.review_days[case.risk])
        add_note(db, case.id, "review", (body + " " if body else "") + f"(next review {following})", s.actor, s.now())
        update_case(db, replace(case, next_review_on=following))
    message(f"reviewed {case.id}; next review {following}")


CLEARABLE = ("needs", "language", "area", "requested")  # `update --FIELD none` empties them


def update(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    client: Annotated[Optional[str], typer.Option("--client")] = None,
    summary: Annotated[Optional[str], typer.Option("--summary")] = None,
    tier: Annotated[Optional[str], typer.Option("--tier")] = None,
    risk: Annotated[Optional[str], typer.Option("--risk")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="active or monitoring (a held case).")] = None,
    needs: Annotated[Optional[str], typer.Option("--needs", metavar="A,B")] = None,
    language: Annotated[Optional[str], typer.Option("--language")] = None,
    area: Annotated[Optional[str], typer.Option("--area")] = None,
    requested: Annotated[Optional[str], typer.Option("--requested", metavar="W")] = None,
    opened: Annotated[Optional[str], typer.Option("--opened", metavar="DATE")] = None,
) -> None:
    """Change any intake field of a case (`none` clears needs, language, area or requested); a tier or status
    change shows the load before and after."""
    from dataclasses import replace

    from caseload.session import current
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.intake import read_changes
    from caseload.domain.model import OPEN_STATUSES
    from caseload.domain.waiting import opening_moved
    from caseload.render.console import message
    from caseload.store.cases import record_changes, update_case
    from caseload.store.connection import write_transaction
    from caseload.store.workers import get_worker

    s = current()
    raw = {"client": client, "summary": summary, "tier": tier, "risk": risk, "needs": needs, "language": language,
           "area": area, "requested": requested, "opened": opened}
    for name in CLEARABLE:  # `--language none` clears the field, as `--capacity none` does on a worker
        if raw[name] is not None and raw[name].strip().lower() == "none":
            raw[name] = ""
    changes = read_changes(raw, tuple(s.config.load.tiers), s.today)
    if status is not None:
        changes["status"] = fields.choice(status, OPEN_STATUSES, "--status")
    if not changes:
        raise BadInput("flags", "", "are missing: give at least one field to change, e.g. --tier high")
    db = s.open()
    with write_transaction(db):
        case = _open_case(db, case_id)
        if "status" in changes and case.worker is None:
            raise BadInput("--status", status, f"needs a held case; {case.id} is waiting (use `assign`)")
        if changes.get("requested_worker"):
            get_worker(db, changes["requested_worker"])
        before = _worker_load(db, s, case.worker) if case.worker else None
        updated = replace(case, **changes)
        if "opened_on" in changes:  # a wait that began at opening begins on the corrected day
            updated = replace(updated, waiting_since=opening_moved(case, changes["opened_on"]))
        update_case(db, updated)
        record_changes(db, case, updated, s.actor, s.now())
        after = _worker_load(db, s, case.worker) if case.worker else None
    message(f"updated {case.id}: {', '.join(sorted(changes))}")
    if before is not None and ("tier" in changes or "status" in changes) and before != after:
        message(f"{case.worker}: load {before} -> {after}")


def _worker_load(db, s, worker_id: str) -> str:
    """A worker's load, capacity, load % and zone on the day, as one line."""
    from caseload.domain.load import load_pct, zone
    from caseload.render.numbers import fmt
    from caseload.render.numbers import pct_text
    from caseload.store.allocation import worker_load

    load, capacity = worker_load(db, worker_id, s.today, s.config)
    z = zone(load, capacity, s.config.load.zones)
    return f"{fmt(load)}/{fmt(capacity)} = {pct_text(load_pct(load, capacity))} {z.upper()}"


def close(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    reason: Annotated[str, typer.Option("--reason", help="Why the case closes (recorded in history).")],
) -> None:
    """Close a case; it keeps its notes and history for ever and leaves the worker's load."""
    from dataclasses import replace

    from caseload.session import current
    from caseload.domain import fields
    from caseload.render.console import message
    from caseload.store.cases import update_case
    from caseload.store.connection import write_transaction
    from caseload.store.history import Change, record

    from caseload.domain.errors import CaseloadError
    from caseload.domain.handover import why_not_closable

    why = fields.text(reason, "--reason", required=True)
    s = current()
    db = s.open()
    with write_transaction(db):
        case = _open_case(db, case_id)
        refusal = why_not_closable(case)
        if refusal:
            raise CaseloadError(refusal)
        update_case(db, replace(case, status="closed", closed_on=s.today, close_reason=why,
                                home_worker=None, cover_until=None))
        record(db, Change(case.id, case.worker, case.worker, "close", why), s.actor, s.now())
    message(f"closed {case.id}")


def reopen(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    reason: Annotated[str, typer.Option("--reason", help="Why the case reopens (recorded with it).")],
) -> None:
    """Reopen a closed case: back to the worker who held it if they are still active, else to the waiting pool.

    Its notes and history are kept; what changed is recorded and shown by `show CASE`."""
    from caseload.app import handover as handing
    from caseload.domain import fields
    from caseload.render.console import message, warning
    from caseload.session import current
    from caseload.store.connection import write_transaction

    cid = fields.case_id(case_id, "CASE")
    why = fields.text(reason, "--reason", required=True)
    s = current()
    db = s.open()
    with write_transaction(db):
        after, former, warnings = handing.reopen(db, s.config, s.today, s.actor, s.now(), cid, why)
    for text in warnings:
        warning(text)
    if after.worker is not None:
        message(f"reopened {cid}: back with {after.worker} (active)")
    else:
        gone = "no former worker"
        if former is not None:
            gone = f"{former.id} {'has left' if former.status == 'left' else 'is leaving'}"
        message(f"reopened {cid}: waiting ({gone}); give it out with `caseload assign {cid} --auto` (or --to W)")


def history(
    case_id: Annotated[Optional[str], typer.Argument(metavar="[CASE]")] = None,
    worker: Annotated[Optional[str], typer.Option("--worker", metavar="W", help="Moves to or from W.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE")] = None,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """The assignment record: every change of responsibility, oldest first."""
    from caseload.domain import fields
    from caseload.render.output import output as write
    from caseload.render.records import history_table
    from caseload.render.rows import HISTORY_COLUMNS, history_rows
    from caseload.session import current
    from caseload.store.cases import get_case
    from caseload.store.connection import read_snapshot
    from caseload.store.history import history as read_history
    from caseload.store.workers import get_worker

    s = current()
    cid = fields.case_id(case_id, "CASE") if case_id else None
    wid = fields.worker_id(worker, "--worker") if worker else None
    start = s.day(since, "--since")
    db = s.open()
    with read_snapshot(db):
        if cid:
            cid = get_case(db, cid).id  # as stored: `c-0001` is C-0001
        if wid:
            get_worker(db, wid)
        rows = list(history_rows(read_history(db, case_id=cid, worker=wid, since=start.isoformat() if start else None)))
    write(format_, output, rows, HISTORY_COLUMNS, lambda: history_table(rows, title=f"History ({len(rows)} rows)"))


def register(app: typer.Typer) -> None:
    app.command("note")(note)
    app.command("review")(review)
    app.command("update")(update)
    app.command("close")(close)
    app.command("reopen")(reopen)
    app.command("history")(history)
