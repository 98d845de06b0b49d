"""`worker absent|leave|left|reduce|reductions`: when a worker is away, leaving, or has
less capacity. Subcommands of the `worker` group that `commands.workers` makes (cli.py
builds this module with it).

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

from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, LimitOption, OutputOption, limited
from caseload.domain.model import ABSENCE_REASONS

AbsenceReason = Literal[ABSENCE_REASONS]  # type: ignore[valid-type]


def absent(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    start: Annotated[Optional[str], typer.Option(
        "--from", metavar="DATE", help="First day away (with --cancel: picks the absence starting that day).")] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="Last day away.")] = None,
    reason: Annotated[Optional[AbsenceReason], typer.Option("--reason", help="Default: leave.")] = None,
    cover: Annotated[Optional[str], typer.Option("--cover", metavar="W", help="Who covers by default.")] = None,
    cancel: Annotated[bool, typer.Option(
        "--cancel", help="Cancel the absence covering today, else the next one (or the one --from picks).")] = False,
    change: Annotated[Optional[int], typer.Option(
        "--change", metavar="N", help="Move absence N (from `worker absences`) to the --from/--until given.")] = None,
) -> None:
    """Record an absence: the worker gets no automatic allocations on those days (`--cancel` undoes one).

    A cancelled absence that has begun ends yesterday (the worker is back today); one that
    has not begun is removed. Covered cases stay covered until `caseload return ID`.

    Example: caseload worker absent ewa --from 2026-12-01 --until 2026-12-14 --reason leave --cover ben"""
    from caseload.app import team
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import message
    from caseload.session import current

    wid = fields.worker_id(worker_id, "ID")
    s = current()
    if change is not None:
        _change_absence(s, wid, change, start, until, cancel, reason, cover)
        return
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
    team.absent(s.open(), s.actor, s.now(), wid, first, last, reason, cover_id)
    message(f"{wid} absent {first} to {last} ({reason})" + (f", cover {cover_id}" if cover_id else ""))


def _change_absence(s, wid: str, absence_id: int, start, until, cancel, reason, cover) -> None:
    """`worker absent ID --change N [--from D] [--until D]` (the rule: `domain.absences.changed_absence`)."""
    from caseload.app.absences import change_absence
    from caseload.domain.errors import BadInput
    from caseload.render.console import message

    for flag, value in (("--cancel", cancel or None), ("--reason", reason), ("--cover", cover)):
        if value is not None:
            raise BadInput(flag, "", "does not go with --change (only --from and --until)")
    if start is None and until is None:
        raise BadInput("--from", "", "or --until is required with --change (the new first or last day)")
    before, after = change_absence(s.open(), wid, absence_id, s.day(start, "--from"), s.day(until, "--until"))
    message(f"{wid}'s absence {absence_id} is now {after.starts_on} to {after.ends_on} "
            f"(was {before.starts_on} to {before.ends_on})")


def _cancel_absence(s, wid: str, start) -> None:
    """`worker absent ID --cancel [--from DATE]` (the rules: `domain.handover.absences_to_cancel`)."""
    from caseload.app.team import cancel_absence
    from caseload.render.console import message

    done, homed = cancel_absence(s.open(), wid, s.today, start)
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
    """Mark a worker as leaving: no new allocations from now; hand their cases over before they go.

    Example: caseload worker leave ewa --on 2027-01-31"""
    from caseload.app import team
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import message
    from caseload.session import current

    wid = fields.worker_id(worker_id, "ID")
    if cancel and on is not None:
        raise BadInput("--on", on, "does not go with --cancel")
    if not cancel and on is None:
        raise BadInput("--on", "", "is required (their last day), or --cancel")
    s = current()
    day = s.day(on, "--on")
    if cancel:
        worker, staying = team.stay(s.open(), wid)
        message(f"{wid} is no longer leaving (was leaving on {worker.leaving_on}): active, automatic allocations "
                + ("on" if staying.auto else "off (a lead)"))
        return
    team.leave(s.open(), wid, day)
    message(f"{wid} is leaving on {day}: no new allocations; next: `caseload handover {wid} --auto`")


def left(worker_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Mark a worker as gone; refused while they still hold cases.

    Example: caseload worker left ewa"""
    from caseload.app import team
    from caseload.domain import fields
    from caseload.render.console import message
    from caseload.session import current

    wid = fields.worker_id(worker_id, "ID")
    s = current()
    team.mark_left(s.open(), wid)
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
    a warning (both count).

    Example: caseload worker reduce ewa --percent 20 --reason "phased return" --from today --until +8w"""
    from caseload.app import team
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.model import REDUCTION_REASONS
    from caseload.render.console import message, warning
    from caseload.session import current

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
    overlaps = team.reduce(s.open(), s.now(), wid, kind, amount, why, first, last)
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

    s = current()
    last = s.day(on, "--on") if on is not None else s.today
    reduction, after = end_reduction(s.open(), wid, reduction_id, last)
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
    limit: LimitOption = None,
) -> None:
    """List capacity reductions as scheduled, active or expired on today's date.

    Example: caseload worker reductions --expiring"""
    from caseload.app import team
    from caseload.domain import fields
    from caseload.render.output import output as write
    from caseload.render.records import reductions_table
    from caseload.render.rows import REDUCTION_COLUMNS, reduction_row
    from caseload.session import current

    s = current()
    wid = fields.worker_id(worker_id, "ID") if worker_id else None
    found, horizon = team.reductions(s.open(), s.config, s.today, wid, expiring)
    rows = limited([reduction_row(r, s.today) for r in found], limit, "reduction(s)")
    title = f"Reductions on {s.today}" + (f" ending by {horizon}" if expiring else "")
    write(format_, output, rows, REDUCTION_COLUMNS, lambda: reductions_table(rows, title))


def register(app: typer.Typer) -> None:
    group = next(g.typer_instance for g in app.registered_groups if g.name == "worker")
    for name, command in (("absent", absent), ("leave", leave), ("left", left), ("reduce", reduce),
                          ("reductions", reductions)):
        group.command(name)(command)
