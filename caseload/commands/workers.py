"""`worker ...`: the team — add, edit, list and show workers; absences, leaving and
capacity reductions.

Decisions: an absence may overlap others (sickness during leave is recorded as it
happens); `worker leave` takes the worker out of automatic allocation from today,
whatever the leaving date, and `worker left` is refused while they still hold a case
or are the home worker of a case under cover (`domain.handover.why_not_left`), so no
case is ever orphaned. A reduction that overlaps another of the same reason warns
(probably recorded twice) and is still recorded.

Mistakes undone (the rules: `domain.handover`): `absent ID --cancel`, `reduce ID --end N`,
`leave ID --cancel`. There is no worker history yet: these change the worker's absence,
reduction or status in place and say on stderr what they changed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, OutputOption
from caseload.domain.model import ABSENCE_REASONS, WORKER_ROLES

AbsenceReason = Literal[ABSENCE_REASONS]  # type: ignore[valid-type]
RoleName = Literal[WORKER_ROLES]  # type: ignore[valid-type]

Name = Annotated[Optional[str], typer.Option("--name", help="Full name.")]
Role = Annotated[Optional[RoleName], typer.Option(
    "--role", help="worker or lead (leads get no automatic allocations unless --auto).")]
Fte = Annotated[Optional[str], typer.Option("--fte", help="Full-time equivalent, more than 0 and at most 1.0.")]
Capacity = Annotated[Optional[str], typer.Option(
    "--capacity", metavar="POINTS", help="Capacity in points, instead of the fte formula.")]
MaxCases = Annotated[Optional[str], typer.Option("--max-cases", metavar="N", help="A cap on the number of cases.")]
Skills = Annotated[Optional[str], typer.Option("--skills", metavar="A,B", help="Skills, comma-separated.")]
Languages = Annotated[Optional[str], typer.Option("--languages", metavar="X,Y", help="Languages, comma-separated.")]
Area = Annotated[Optional[str], typer.Option("--area", help="The area they work in.")]
Auto = Annotated[Optional[bool], typer.Option(
    "--auto/--no-auto", help="Receives automatic allocations (default: yes for workers, no for leads).")]
Starts = Annotated[Optional[str], typer.Option(
    "--starts", metavar="DATE", help="A new starter's first day: no capacity or cases before it (`none` clears).")]


def _starts(s, starts: str | None, changes: dict) -> None:
    """--starts DATE (or `none`) into `changes`, read with the session's today."""
    if starts is not None:
        changes["starts_on"] = None if starts.strip().lower() in ("", "none") else s.day(starts, "--starts")


def _changes(name, role, fte, capacity, max_cases, skills, languages, area, auto) -> dict:
    """The fields given on the command line, validated; the ones not given are left out."""
    from caseload.domain import fields

    changes: dict = {}
    if name is not None:
        changes["name"] = fields.text(name, "--name", required=True)
    if role is not None:
        changes["role"] = role
    if fte is not None:
        changes["fte"] = fields.fte(fte, "--fte")
    if capacity is not None:
        changes["capacity"] = None if capacity in ("", "none") else fields.decimal(capacity, "--capacity")
    if max_cases is not None:
        changes["max_cases"] = None if max_cases in ("", "none") else fields.count(max_cases, "--max-cases")
    if skills is not None:
        changes["skills"] = fields.tokens(skills, "--skills")
    if languages is not None:
        changes["languages"] = fields.tokens(languages, "--languages")
    if area is not None:
        changes["area"] = fields.area(area, "--area")
    if auto is not None:
        changes["auto"] = auto
    return changes


def add(
    worker_id: Annotated[str, typer.Argument(metavar="ID", help="A short handle, e.g. asha.")],
    name: Name = None, role: Role = None, fte: Fte = None, capacity: Capacity = None,
    max_cases: MaxCases = None, skills: Skills = None, languages: Languages = None,
    area: Area = None, auto: Auto = None, starts: Starts = None,
) -> None:
    """Add a worker to the team (a new starter with --starts: no capacity or cases before that day)."""
    from caseload.session import current
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.model import Worker
    from caseload.render.console import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import add_worker

    new_id = fields.new_worker_id(worker_id, "id")
    if name is None:
        raise BadInput("--name", "", "is required (the worker's full name)")
    changes = _changes(name, role, fte, capacity, max_cases, skills, languages, area, auto)
    changes.setdefault("auto", changes.get("role", "worker") == "worker")
    s = current()
    _starts(s, starts, changes)
    worker = Worker(id=new_id, **changes)
    db = s.open()
    with write_transaction(db):
        add_worker(db, worker, s.now())
    message(f"added worker {new_id}" + (f", starting on {worker.starts_on}" if worker.starts_on else ""))


def edit(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    name: Name = None, role: Role = None, fte: Fte = None, capacity: Capacity = None,
    max_cases: MaxCases = None, skills: Skills = None, languages: Languages = None,
    area: Area = None, auto: Auto = None, starts: Starts = None,
) -> None:
    """Change a worker's details; only the flags given change (`--capacity none` removes an override,
    `--starts none` a start day).

    A change of --role brings that role's default for automatic allocations (off for a
    lead, on for a worker) unless --auto/--no-auto is given."""
    from caseload.session import current
    from caseload.domain import fields
    from caseload.domain.handover import auto_for_role
    from caseload.render.console import message, warning
    from caseload.store.connection import write_transaction
    from caseload.store.workers import get_worker, responsibilities, update_worker

    wid = fields.worker_id(worker_id, "ID")
    changes = _changes(name, role, fte, capacity, max_cases, skills, languages, area, auto)
    s = current()
    _starts(s, starts, changes)
    db = s.open()
    with write_transaction(db):
        worker = get_worker(db, wid)
        held = responsibilities(db, wid)[0] if changes.get("starts_on") and changes["starts_on"] > s.today else 0
        if not changes:
            message(f"nothing to change for {wid} (give a flag such as --fte)")
            return
        takes_auto = auto_for_role(worker, role, auto)
        if takes_auto is not None:
            changes["auto"] = takes_auto
        update_worker(db, replace(worker, **changes))
    message(f"updated worker {wid}: {', '.join(sorted(changes))}"
            + (f" (automatic allocations {'on' if changes['auto'] else 'off'})" if "auto" in changes else ""))
    if held:
        warning(f"{wid} holds {held} case(s) but starts on {changes['starts_on']}: until then they count on no "
                f"capacity (red); hand them to someone in post (`caseload handover {wid} --auto`)")


def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include workers who have left.")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List the team with each worker's capacity today."""
    from caseload.app.team import with_capacity
    from caseload.render.output import output as write
    from caseload.render.records import draw_team
    from caseload.render.rows import WORKER_COLUMNS, worker_row
    from caseload.session import current
    from caseload.store.connection import read_snapshot

    s = current()
    db = s.open()
    with read_snapshot(db):
        team = with_capacity(db, s.config, s.today, all_)
    rows = [worker_row(w, capacity) for w, capacity in team]
    starting = {w.id: w.starts_on for w, _capacity in team if not w.started_by(s.today)}
    write(format_, output, rows, WORKER_COLUMNS, view=lambda out: draw_team(out, rows, s.today, starting))


def show(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """A worker's profile, their capacity sum, their caseload and the load worked out case by case."""
    from caseload.app.team import worker_sheet
    from caseload.domain import fields
    from caseload.render.output import output as write
    from caseload.render.records import draw_worker, worker_document
    from caseload.render.rows import CASE_COLUMNS
    from caseload.session import current
    from caseload.store.connection import read_snapshot

    s = current()
    wid = fields.worker_id(worker_id, "ID")
    db = s.open()
    with read_snapshot(db):
        sheet = worker_sheet(db, s.config, s.today, wid)
    document = worker_document(sheet)
    write(format_, output, document["cases"], CASE_COLUMNS, document=document,
          view=lambda out: draw_worker(out, document))


def absent(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    start: Annotated[Optional[str], typer.Option(
        "--from", metavar="DATE", help="First day away (with --cancel: picks the absence starting that day).")] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="Last day away.")] = None,
    reason: Annotated[Optional[AbsenceReason], typer.Option("--reason", help="Default: leave.")] = None,
    cover: Annotated[Optional[str], typer.Option("--cover", metavar="W", help="Who covers by default.")] = None,
    cancel: Annotated[bool, typer.Option(
        "--cancel", help="Cancel the absence covering today, else the next one (or the one --from picks).")] = False,
) -> None:
    """Record an absence: the worker gets no automatic allocations on those days (`--cancel` undoes one).

    A cancelled absence that has begun ends yesterday (the worker is back today); one that
    has not begun is removed. Covered cases stay covered until `caseload return ID`."""
    from caseload.session import current
    from caseload.app.team import resolve_worker
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.model import Absence
    from caseload.render.console import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import add_absence, get_worker

    wid = fields.worker_id(worker_id, "ID")
    s = current()
    if cancel:
        for flag, value in (("--until", until), ("--reason", reason), ("--cover", cover)):
            if value is not None:
                raise BadInput(flag, "", "does not go with --cancel (only --from, to pick the absence)")
        _cancel_absence(s, wid, s.day(start, "--from"))
        return
    if start is None or until is None:
        raise BadInput("--from" if start is None else "--until", "", "is required (the first and last day away), "
                       "or --cancel")
    first, last = s.day(start, "--from"), s.day(until, "--until")
    if last < first:
        raise BadInput("--until", until, f"is before --from ({first})")
    reason = reason or "leave"
    cover_id = fields.worker_id(cover, "--cover") if cover else None
    if cover_id == wid:
        raise BadInput("--cover", cover, "is the absent worker")
    db = s.open()
    with write_transaction(db):
        get_worker(db, wid)
        if cover_id:
            resolve_worker(db, cover_id, s.actor, "--cover")
        add_absence(db, Absence(0, wid, first, last, reason, cover_id), s.now())
    message(f"{wid} absent {first} to {last} ({reason})" + (f", cover {cover_id}" if cover_id else ""))


def _cancel_absence(s, wid: str, start) -> None:
    """`worker absent ID --cancel [--from DATE]` (the rules: `domain.handover.absences_to_cancel`)."""
    from caseload.app.team import cancel_absence
    from caseload.render.console import message
    from caseload.store.connection import write_transaction

    db = s.open()
    with write_transaction(db):
        done, homed = cancel_absence(db, wid, s.today, start)
    for absence, after in done:
        was = f"{wid}'s absence {absence.starts_on} to {absence.ends_on} ({absence.reason})"
        message(f"cancelled {was}: " + (f"it now ends on {after.ends_on}; back from {s.today}" if after
                                        else "removed (it had not begun)"))
    if homed:
        message(f"{wid} is the home worker of {homed} case(s) under cover: `caseload return {wid}` gives them back")


def leave(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="Their last day.")] = None,
    cancel: Annotated[bool, typer.Option(
        "--cancel", help="They are staying: back to active (automatic allocations on again, unless a lead).")] = False,
) -> None:
    """Mark a worker as leaving: no new allocations from now; hand their cases over before they go."""
    from dataclasses import replace

    from caseload.session import current
    from caseload.domain import fields
    from caseload.domain.errors import BadInput, CaseloadError
    from caseload.domain.handover import leave_cancelled
    from caseload.render.console import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import get_worker, update_worker

    wid = fields.worker_id(worker_id, "ID")
    if cancel and on is not None:
        raise BadInput("--on", on, "does not go with --cancel")
    if not cancel and on is None:
        raise BadInput("--on", "", "is required (their last day), or --cancel")
    s = current()
    day = s.day(on, "--on")
    db = s.open()
    with write_transaction(db):
        worker = get_worker(db, wid)
        if cancel:
            staying = leave_cancelled(worker)
            update_worker(db, staying)
        else:
            if worker.status == "left":
                raise CaseloadError(f"{wid} has already left")
            update_worker(db, replace(worker, status="leaving", leaving_on=day))
    if cancel:
        message(f"{wid} is no longer leaving (was leaving on {worker.leaving_on}): active, automatic allocations "
                + ("on" if staying.auto else "off (a lead)"))
        return
    message(f"{wid} is leaving on {day}: no new allocations; next: `caseload handover {wid} --auto`")


def left(worker_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Mark a worker as gone; refused while they still hold cases."""
    from dataclasses import replace

    from caseload.session import current
    from caseload.domain import fields
    from caseload.domain.errors import CaseloadError
    from caseload.render.console import message
    from caseload.store.connection import write_transaction
    from caseload.domain.handover import why_not_left
    from caseload.store.workers import get_worker, responsibilities, update_worker

    wid = fields.worker_id(worker_id, "ID")
    s = current()
    db = s.open()
    with write_transaction(db):
        worker = get_worker(db, wid)
        refusal = why_not_left(wid, *responsibilities(db, wid))
        if refusal:
            raise CaseloadError(refusal)
        update_worker(db, replace(worker, status="left", auto=False))
    message(f"{wid} has left; their history stays with every case")


def reduce(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Annotated[Optional[str], typer.Option(
        "--reason", help="training, union duties, newly qualified, phased return, project or other.")] = None,
    start: Annotated[Optional[str], typer.Option("--from", metavar="DATE", help="First day.")] = None,
    percent: Annotated[Optional[str], typer.Option("--percent", metavar="P", help="Cut capacity by P %.")] = None,
    points: Annotated[Optional[str], typer.Option("--points", metavar="N", help="Cut capacity by N points.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="Last day (default: open).")] = None,
    end: Annotated[Optional[str], typer.Option(
        "--end", metavar="N", help="End reduction N (the id column of `worker reductions`) instead.")] = None,
    on: Annotated[Optional[str], typer.Option(
        "--on", metavar="DATE", help="With --end: its last day (default today; before its start removes it).")] = None,
) -> None:
    """Record a capacity reduction (scheduled before its start, active between its dates); `--end N` ends one.

    A reduction overlapping another of the same reason for the same worker is recorded with
    a warning (both count)."""
    from caseload.session import current
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.handover import overlapping_reductions
    from caseload.domain.model import REDUCTION_REASONS, Reduction
    from caseload.render.console import message, warning
    from caseload.store.connection import write_transaction
    from caseload.store.workers import add_reduction, get_worker
    from caseload.store.workers import reductions as all_reductions

    wid = fields.worker_id(worker_id, "ID")
    if end is not None:
        for flag, value in (("--reason", reason), ("--from", start), ("--percent", percent), ("--points", points),
                            ("--until", until)):
            if value is not None:
                raise BadInput(flag, "", "does not go with --end (only --on, the reduction's last day)")
        _end_reduction(wid, fields.count(end, "--end", minimum=1), on)
        return
    if on is not None:
        raise BadInput("--on", on, "goes with --end N (the last day of reduction N)")
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
    if reason is None:
        raise BadInput("--reason", "", f"is required (one of {', '.join(REDUCTION_REASONS)})")
    why = fields.choice(reason, REDUCTION_REASONS, "--reason")
    if start is None:
        raise BadInput("--from", "", "is required (the reduction's first day)")
    s = current()
    first = s.day(start, "--from")
    last = s.day(until, "--until") if until else None
    if last is not None and last < first:
        raise BadInput("--until", until, f"is before --from ({first})")
    db = s.open()
    with write_transaction(db):
        get_worker(db, wid)
        new = Reduction(0, wid, kind, amount, why, first, last)
        overlaps = overlapping_reductions(new, all_reductions(db, wid))
        add_reduction(db, new, s.now())
    shown = f"{percent}%" if kind == "percent" else f"{points} points"
    message(f"{wid}: capacity reduced by {shown} from {first}" + (f" to {last}" if last else "") + f" ({why})")
    for other in overlaps:
        warning(f"{wid} already has a {why} reduction overlapping these dates: {_reduction_text(other)}; "
                f"both count (end one with `caseload worker reduce {wid} --end {other.id}`)")


def _reduction_text(r) -> str:
    from caseload.render.numbers import cut_text

    return f"{r.id} ({cut_text(r.kind, r.amount)} from {r.starts_on}" + (f" to {r.ends_on})" if r.ends_on else ", open-ended)")


def _end_reduction(wid: str, reduction_id: int, on: str | None) -> None:
    """`worker reduce ID --end N [--on DATE]` (the rule: `domain.handover.ended_reduction`)."""
    from caseload.app.team import end_reduction
    from caseload.render.console import message
    from caseload.session import current
    from caseload.store.connection import write_transaction

    s = current()
    last = s.day(on, "--on") if on is not None else s.today
    db = s.open()
    with write_transaction(db):
        reduction, after = end_reduction(db, wid, reduction_id, last)
    was = f"{wid}'s reduction {_reduction_text(reduction)}"
    if after is None:
        message(f"removed {was}: it would end before it starts, so it never applies")
    else:
        state = {"active": "active until then", "expired": "no longer active",
                 "scheduled": f"it applies from {after.starts_on} to then"}[after.state(s.today)]
        message(f"ended {was}: last day {after.ends_on}; {state}")


def reductions(
    worker_id: Annotated[Optional[str], typer.Argument(metavar="[ID]")] = None,
    expiring: Annotated[bool, typer.Option("--expiring", help="Only those ending in the next 28 days.")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List capacity reductions as scheduled, active or expired on today's date."""
    from datetime import timedelta

    from caseload.domain import fields
    from caseload.render.output import output as write
    from caseload.render.records import reductions_table
    from caseload.render.rows import REDUCTION_COLUMNS, reduction_row
    from caseload.session import current
    from caseload.store.connection import read_snapshot
    from caseload.store.workers import get_worker
    from caseload.store.workers import reductions as all_reductions

    s = current()
    wid = fields.worker_id(worker_id, "ID") if worker_id else None
    db = s.open()
    with read_snapshot(db):
        if wid:
            get_worker(db, wid)
        found = all_reductions(db, wid)
    horizon = s.today + timedelta(days=s.config.alerts.expiring_days)
    rows = [reduction_row(r, s.today) for r in found if not expiring or r.ends_within(s.today, horizon)]
    title = f"Reductions on {s.today}" + (f" ending by {horizon}" if expiring else "")
    write(format_, output, rows, REDUCTION_COLUMNS, lambda: reductions_table(rows, title))


def register(app: typer.Typer) -> None:
    worker_app = typer.Typer(help="Manage the team: add, list, show and edit workers; absences, leaving, "
                             "reductions.", no_args_is_help=True)
    for name, command in (("add", add), ("edit", edit), ("list", list_), ("show", show), ("absent", absent),
                          ("leave", leave), ("left", left), ("reduce", reduce), ("reductions", reductions)):
        worker_app.command(name)(command)
    app.add_typer(worker_app, name="worker")
