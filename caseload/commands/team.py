"""`worker absent/leave/left/reduce/reductions`: absences, departures and capacity reductions.

Decisions: an absence may overlap others (sickness during leave is recorded as it
happens); `worker leave` takes the worker out of automatic allocation from today,
whatever the leaving date, and `worker left` is refused while they still hold a case
or are the home worker of a case under cover, so no case is ever orphaned.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, OutputOption, parse_day

ReasonAbsence = Literal["leave", "sickness", "training", "other"]
REDUCTION_COLUMNS = ("id", "worker", "kind", "amount", "reason", "starts_on", "ends_on", "state")


def absent(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    start: Annotated[str, typer.Option("--from", metavar="DATE", help="First day away.")],
    until: Annotated[str, typer.Option("--until", metavar="DATE", help="Last day away.")],
    reason: Annotated[ReasonAbsence, typer.Option("--reason")] = "leave",
    cover: Annotated[Optional[str], typer.Option("--cover", metavar="W", help="Who covers by default.")] = None,
) -> None:
    """Record an absence: the worker gets no automatic allocations on those days."""
    from caseload.cli import session
    from caseload.commands.intake import resolve_worker
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.model import Absence
    from caseload.render import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import add_absence, get_worker

    wid = fields.worker_id(worker_id, "ID")
    first, last = parse_day(start, "--from"), parse_day(until, "--until")
    if last < first:
        raise BadInput("--until", until, f"is before --from ({first})")
    cover_id = fields.worker_id(cover, "--cover") if cover else None
    if cover_id == wid:
        raise BadInput("--cover", cover, "is the absent worker")
    s = session()
    db = s.open()
    with write_transaction(db):
        get_worker(db, wid)
        if cover_id:
            resolve_worker(db, cover_id, s.actor, "--cover")
        add_absence(db, Absence(0, wid, first, last, reason, cover_id), s.now())
    message(f"{wid} absent {first} to {last} ({reason})" + (f", cover {cover_id}" if cover_id else ""))


def leave(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    on: Annotated[str, typer.Option("--on", metavar="DATE", help="Their last day.")],
) -> None:
    """Mark a worker as leaving: no new allocations from now; hand their cases over before they go."""
    from dataclasses import replace

    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.errors import CaseloadError
    from caseload.render import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import get_worker, update_worker

    wid = fields.worker_id(worker_id, "ID")
    day = parse_day(on, "--on")
    s = session()
    db = s.open()
    with write_transaction(db):
        worker = get_worker(db, wid)
        if worker.status == "left":
            raise CaseloadError(f"{wid} has already left")
        update_worker(db, replace(worker, status="leaving", leaving_on=day))
    message(f"{wid} is leaving on {day}: no new allocations; next: `caseload handover {wid} --auto`")


def left(worker_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Mark a worker as gone; refused while they still hold cases."""
    from dataclasses import replace

    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.errors import CaseloadError
    from caseload.render import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import get_worker, responsibilities, update_worker

    wid = fields.worker_id(worker_id, "ID")
    s = session()
    db = s.open()
    with write_transaction(db):
        worker = get_worker(db, wid)
        held, homed = responsibilities(db, wid)
        if held:
            raise CaseloadError(f"{wid} still holds {held} open case(s): `caseload handover {wid} --auto` first")
        if homed:
            raise CaseloadError(
                f"{wid} is the home worker of {homed} case(s) under cover: "
                f"`caseload handover` them permanently (or `caseload return {wid}`) first")
        update_worker(db, replace(worker, status="left", auto=False))
    message(f"{wid} has left; their history stays with every case")


def reduce(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(
        "--reason", help="training, union duties, newly qualified, phased return, project or other.")],
    start: Annotated[str, typer.Option("--from", metavar="DATE")],
    percent: Annotated[Optional[str], typer.Option("--percent", metavar="P", help="Cut capacity by P %.")] = None,
    points: Annotated[Optional[str], typer.Option("--points", metavar="N", help="Cut capacity by N points.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="Last day (default: open).")] = None,
) -> None:
    """Record a capacity reduction (scheduled before its start, active between its dates)."""
    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.model import REDUCTION_REASONS, Reduction
    from caseload.render import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import add_reduction, get_worker

    wid = fields.worker_id(worker_id, "ID")
    if (percent is None) == (points is None):
        raise BadInput("--percent/--points", percent or points or "", "give exactly one of them")
    if percent is not None:
        kind, amount = "percent", fields.decimal(percent, "--percent")
        if not 0 < amount <= 100:
            raise BadInput("--percent", percent, "must be more than 0 and at most 100")
    else:
        kind, amount = "points", fields.decimal(points, "--points")
        if amount <= 0:
            raise BadInput("--points", points, "must be more than 0")
    why = fields.choice(reason, REDUCTION_REASONS, "--reason")
    first = parse_day(start, "--from")
    last = parse_day(until, "--until") if until else None
    if last is not None and last < first:
        raise BadInput("--until", until, f"is before --from ({first})")
    s = session()
    db = s.open()
    with write_transaction(db):
        get_worker(db, wid)
        add_reduction(db, Reduction(0, wid, kind, amount, why, first, last), s.now())
    shown = f"{percent}%" if kind == "percent" else f"{points} points"
    message(f"{wid}: capacity reduced by {shown} from {first}" + (f" to {last}" if last else "") + f" ({why})")


def reductions(
    worker_id: Annotated[Optional[str], typer.Argument(metavar="[ID]")] = None,
    expiring: Annotated[bool, typer.Option("--expiring", help="Only those ending in the next 28 days.")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List capacity reductions as scheduled, active or expired on today's date."""
    from datetime import timedelta

    from caseload.cli import session
    from caseload.domain import fields
    from caseload.render import cell, emit, new_table
    from caseload.store.connection import read_snapshot
    from caseload.store.workers import get_worker
    from caseload.store.workers import reductions as all_reductions

    s = session()
    wid = fields.worker_id(worker_id, "ID") if worker_id else None
    db = s.open()
    with read_snapshot(db):
        if wid:
            get_worker(db, wid)
        found = all_reductions(db, wid)
    horizon = s.today + timedelta(days=s.config.alerts.expiring_days)
    rows = []
    for r in found:
        state = r.state(s.today)
        if expiring and not (state == "active" and r.ends_on is not None and r.ends_on <= horizon):
            continue
        rows.append({"id": r.id, "worker": r.worker, "kind": r.kind, "amount": r.amount, "reason": r.reason,
                     "starts_on": r.starts_on, "ends_on": r.ends_on, "state": state})

    def table():
        t = new_table("worker", "cut", "reason", "from", "until", "state",
                      title=f"Reductions on {s.today}" + (f" ending by {horizon}" if expiring else ""))
        for r in rows:
            cut = f"{cell(r['amount'])}%" if r["kind"] == "percent" else f"{cell(r['amount'])} points"
            t.add_row(r["worker"], cut, r["reason"], cell(r["starts_on"]), cell(r["ends_on"]) or "open", r["state"])
        return t

    emit(format_, output, rows, REDUCTION_COLUMNS, table)


def register(worker_app: typer.Typer) -> None:
    worker_app.command("absent")(absent)
    worker_app.command("leave")(leave)
    worker_app.command("left")(left)
    worker_app.command("reduce")(reduce)
    worker_app.command("reductions")(reductions)
