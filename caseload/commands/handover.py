"""`handover`, `return` and `reassign`: moving responsibility without losing anything.

Every move writes one history row; notes and history stay with the case. A handover
shows its whole plan first (high-risk cases first), asks on a terminal (or needs
--yes without one) and runs in one transaction. `--temporary` makes it cover: each
moved case remembers its home worker and the cover's end date, and `return` gives it
back. A case under cover counts on the covering worker's load. A reassignment is
permanent: it ends any cover on the case. (The rules: `caseload.domain.handover`.)
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from caseload.commands import FormatOption, OutputOption, confirm_or_refuse


def handover(
    worker_id: Annotated[str, typer.Argument(metavar="W", help="Whose caseload moves.")],
    to: Annotated[Optional[str], typer.Option("--to", metavar="W2", help="Give every case to W2.")] = None,
    auto: Annotated[bool, typer.Option("--auto", help="Spread the cases by the allocation rules.")] = False,
    temporary: Annotated[bool, typer.Option("--temporary", help="Cover: the cases come back with `return`.")] = False,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="End of the cover.")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Recorded in history.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; write nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed without a terminal).")] = False,
    max_zone: Annotated[Optional[str], typer.Option(
        "--max-zone", metavar="green|amber|red",
        help="With --auto: the worst zone a case may push someone into, else it stays with W "
             "(default: the config's allocation.max_zone, red).")] = None,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Move a whole caseload: to one worker, or spread by the rules; permanent or temporary cover."""
    from caseload.app import handover as handing
    from caseload.config import with_max_zone
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import message, progress, warning
    from caseload.render.output import output as write
    from caseload.render.plans import draw_handover, handover_document
    from caseload.render.rows import MOVE_COLUMNS
    from caseload.session import current
    from caseload.store.connection import transaction
    from caseload.store.plans import execute

    wid = fields.worker_id(worker_id, "W")
    if (to is None) == (not auto):
        raise BadInput("--to/--auto", to or "", "give exactly one: --to W2 or --auto")
    if temporary != (until is not None):
        raise BadInput("--until" if temporary else "--temporary", until or "",
                       "--temporary and --until go together (a cover has an end date)")
    s = current()
    end = s.day(until, "--until")
    if end is not None and end < s.today:
        raise BadInput("--until", until, "is in the past")
    why = fields.text(reason, "--reason") if reason else None
    target = fields.worker_id(to, "--to") if to else None
    if max_zone is not None and not auto:
        raise BadInput("--max-zone", max_zone, "goes with --auto (by hand, the lead's judgement stands)")
    max_zone_config = with_max_zone(s.config, max_zone)
    db = s.open()
    with transaction(db, write=not dry_run):
        plan = handing.plan(db, max_zone_config, s.today, s.actor, wid, target, end, why)
        for text in plan.warnings:
            warning(text)
        document = handover_document(plan)
        write(format_, output, document["moves"], MOVE_COLUMNS, document=document,
              view=lambda out: draw_handover(out, document))
        if not plan.moves:
            message(f"{wid} holds no case that can move" if not plan.stuck else "nothing can move")
            return
        if dry_run:
            message(f"would move {len(plan.moves)} case(s); dry run: nothing was written")
            return
        confirm_or_refuse(f"Move these {len(plan.moves)} case(s)?", yes)
        with progress(len(plan.moves), "handing over") as advance:
            execute(db, plan.moves, s.actor, s.now(), on_move=advance)
    message(f"{'covered' if temporary else 'handed over'} {len(plan.moves)} case(s) from {wid}"
            + (f" until {end}" if end else ""))
    if plan.stuck:
        message(f"{len(plan.stuck)} case(s) stay with {wid}: see the list above for the next step")


def return_(
    worker_id: Annotated[Optional[str], typer.Argument(metavar="[W]", help="The home worker coming back.")] = None,
    due: Annotated[bool, typer.Option("--due", help="Every cover past its end whose home worker is back.")] = False,
) -> None:
    """End temporary cover: covered cases go back to their home worker."""
    from caseload.app import handover as handing
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import console, message, progress, warning
    from caseload.render.plans import returns_table
    from caseload.session import current
    from caseload.store.connection import write_transaction
    from caseload.store.plans import execute

    if (worker_id is None) == (not due):
        raise BadInput("W/--due", worker_id or "", "give a home worker, or --due")
    home = fields.worker_id(worker_id, "W") if worker_id is not None else None
    s = current()
    db = s.open()
    with write_transaction(db):
        moves, warnings = handing.returns(db, s.today, home)
        for text in warnings:
            warning(text)
        with progress(len(moves), "returning") as advance:
            execute(db, moves, s.actor, s.now(), on_move=advance)
    if moves:
        console().print(returns_table(moves))
    message(f"returned {len(moves)} case(s)" if moves else "no covered case to return")


def reassign(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    to: Annotated[str, typer.Option("--to", metavar="W", help="The new responsible worker.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in history).")],
) -> None:
    """Change who is responsible for a held case (permanent; it ends any cover)."""
    from caseload.app import handover as handing
    from caseload.domain import fields
    from caseload.render.console import message, warning
    from caseload.session import current
    from caseload.store.connection import write_transaction
    from caseload.store.plans import execute

    cid = fields.case_id(case_id, "CASE")
    why = fields.text(reason, "--reason", required=True)
    target = fields.worker_id(to, "--to") if to != "me" else "me"
    s = current()
    db = s.open()
    with write_transaction(db):
        move, warnings = handing.reassign(db, s.config, s.today, s.actor, cid, target, why)
        execute(db, [move], s.actor, s.now())
    for text in warnings:
        warning(text)
    message(f"{cid} moved from {move.previous} to {move.to}")


def register(app: typer.Typer) -> None:
    app.command("handover")(handover)
    app.command("return")(return_)
    app.command("reassign")(reassign)
