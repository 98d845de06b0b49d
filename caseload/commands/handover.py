"""`handover`, `return` and `reassign`: moving responsibility without losing anything.

Every move writes one history row; notes and history stay with the case. A handover
shows its whole plan first (high-risk cases first), asks on a terminal (or needs
--yes without one) and runs in one transaction. `--temporary` makes it cover: each
moved case remembers its home worker and the cover's end date, and `return` gives it
back (`cover W --until D` moves the end). A case under cover counts on the covering
worker's load. A permanent handover also re-homes the cases W is the home worker of.
A handover that leaves cases with the worker moves the rest and exits 1. A
reassignment is permanent: it ends any cover on the case. (The rules:
`caseload.domain.handover`.)
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from caseload.commands import FormatOption, OutputOption, confirm_or_refuse


def handover(
    worker_id: Annotated[str, typer.Argument(metavar="W", help="Whose caseload moves.")],
    to: Annotated[Optional[str], typer.Option("--to", metavar="W2", help="Give every case to W2.")] = None,
    auto: Annotated[bool, typer.Option("--auto", help="Spread the cases by the allocation rules.")] = False,
    temporary: Annotated[bool, typer.Option(
        "--temporary", help="Cover: the cases come back with `return` (without --to or --auto: to the cover "
        "worker recorded with W's absence today).")] = False,
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
    """Move a whole caseload: to one worker, or spread by the rules; permanent or temporary cover.

    A permanent handover also re-homes the cases W is the home worker of (under cover by
    others): with --to they go to W2, with --auto each stays with the worker covering it,
    for good. Cases nobody can take stay with W and are listed with the next step; the
    rest are moved, then the command exits 1 (a dry run exits 0).

    Example: caseload handover ewa --auto --temporary --until 2026-12-14"""
    from contextlib import ExitStack

    from caseload.app import handover as handing
    from caseload.config import with_max_zone
    from caseload.domain import fields
    from caseload.domain.errors import BadInput, CaseloadError
    from caseload.domain.handover import stuck_message
    from caseload.render.console import message, progress, warning
    from caseload.render.output import output as write
    from caseload.render.documents import handover_document
    from caseload.render.plans import draw_handover
    from caseload.render.rows import MOVE_COLUMNS
    from caseload.session import current

    wid = fields.worker_id(worker_id, "W")
    if to is not None and auto:
        raise BadInput("--to/--auto", to, "give exactly one: --to W2 or --auto")
    if to is None and not auto and not temporary:
        raise BadInput("--to/--auto", "", "give exactly one: --to W2 or --auto (a temporary handover without "
                       "them goes to the cover recorded with the absence)")
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

    def proceed(plan):  # inside the transaction: show the plan, then ask
        for text in plan.warnings:
            warning(text)
        document = handover_document(plan)
        write(format_, output, document["moves"], MOVE_COLUMNS, document=document,
              view=lambda out: draw_handover(out, document))
        stuck = [p.case for p in plan.stuck]
        if not plan.moves and not stuck:
            message(f"{wid} holds no open case and is the home worker of none: nothing to hand over")
            return None
        if dry_run:
            message(f"would move {len(plan.moves)} case(s)"
                    + (f"; {len(stuck)} would stay with {wid}" if stuck else "") + "; dry run: nothing was written")
            return None
        if not plan.moves:
            return None
        confirm_or_refuse(f"Move these {len(plan.moves)} case(s)?", yes)
        return bar.enter_context(progress(len(plan.moves), "handing over"))

    with ExitStack() as bar:
        plan = handing.handover(s.open(), max_zone_config, s.today, s.actor, s.now(), wid, target, end, why, auto,
                                dry_run, proceed)
    stuck = [p.case for p in plan.stuck]
    if dry_run or not (plan.moves or stuck):
        return
    if plan.moves:
        message(f"batch {plan.batch}: {'covered' if temporary else 'handed over'} {len(plan.moves)} case(s) from {wid}"
                + (f" until {end}" if end else "")
                + (f" ({len(plan.kept)} kept by the worker covering them, now for good)" if plan.kept else ""))
    if stuck:
        raise CaseloadError(stuck_message(wid, stuck, held_back=[p.case for p in plan.stuck if p.over_max_zone],
                                          until=end))


def return_(
    worker_id: Annotated[Optional[str], typer.Argument(metavar="[W]", help="The home worker coming back.")] = None,
    due: Annotated[bool, typer.Option("--due", help="Every cover past its end whose home worker is back.")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """End temporary cover: covered cases go back to their home worker (the moves as a table, CSV or JSON).

    Example: caseload return --due"""
    from contextlib import ExitStack

    from caseload.app import handover as handing
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import message, progress, warning
    from caseload.render.output import output as write
    from caseload.render.plans import returns_table
    from caseload.render.rows import RETURN_COLUMNS, return_row
    from caseload.session import current

    if (worker_id is None) == (not due):
        raise BadInput("W/--due", worker_id or "", "give a home worker, or --due")
    home = fields.worker_id(worker_id, "W") if worker_id is not None else None
    s = current()

    def proceed(moves, warnings):  # inside the transaction, before the cases move
        for text in warnings:
            warning(text)
        return bar.enter_context(progress(len(moves), "returning"))

    with ExitStack() as bar:
        moves, _warnings = handing.return_covers(s.open(), s.today, s.actor, s.now(), home, proceed)
    if moves or format_ != "table" or output is not None:  # an empty table prints nothing; CSV and JSON their header
        write(format_, output, [return_row(m) for m in moves], RETURN_COLUMNS, lambda: returns_table(moves))
    message(f"returned {len(moves)} case(s)" if moves else "no covered case to return")


def cover(
    target: Annotated[str, typer.Argument(
        metavar="CASE|W", help="With --by: the case to cover. Without: the home worker whose covers move.")],
    until: Annotated[str, typer.Option("--until", metavar="DATE", help="The last day of the cover.")],
    by: Annotated[Optional[str], typer.Option(
        "--by", metavar="W", help="Cover one case: W holds it until DATE, its home worker stays recorded.")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Recorded in history (with --by).")] = None,
) -> None:
    """Cover one case (`cover CASE --by W --until DATE`), or move the end of W's covers (`cover W --until DATE`).

    One case covered goes to W with its home worker recorded; it counts on W's load, the
    home worker's `cases --worker` still lists it (marked "cover"), and it goes home with
    `caseload return HOME` (or `return --due` once DATE has passed). Without --by, the end
    of every open case whose home worker is W moves (e.g. when an absence runs on): the
    cases stay with the workers covering them; each change is recorded in the case's
    changes (`show CASE`).

    Example: caseload cover C-0042 --by ben --until 2026-12-11"""
    from caseload.app import handover as handing
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import message, warning
    from caseload.session import current

    if by is None and reason is not None:
        raise BadInput("--reason", "", "goes with --by (moving the end of covers records it in the case's changes)")
    s = current()
    if by is not None:
        cid = fields.case_id(target, "CASE")
        who = fields.worker_or_word(by, "--by")
        end = s.day(until, "--until")
        if end < s.today:
            raise BadInput("--until", until, "is in the past (a cover ends on a day to come)")
        why = fields.text(reason, "--reason") if reason else None
        move, warnings = handing.cover_case(s.open(), s.config, s.today, s.actor, s.now(), cid, who, end, why)
        for text in warnings:
            warning(text)
        if move.kind == "return":
            message(f"{move.case} is back with {move.to}, its home worker: the cover has ended")
        else:
            message(f"{move.case} covered by {move.to} until {end} (home worker {move.home_worker}); "
                    f"`caseload return {move.home_worker}` brings it home")
        return
    wid = fields.worker_id(target, "W")
    end = s.day(until, "--until")
    if end < s.today:
        raise BadInput("--until", until, "is in the past (a cover that has ended goes back with `caseload return`)")
    moved = handing.move_covers(s.open(), s.actor, s.now(), wid, end)
    for before, _ in moved:
        message(f"  {before.id}: covered by {before.worker}, until {before.cover_until} -> {end}")
    message(f"{len(moved)} cover(s) of {wid} now end on {end}" if moved else f"{wid}'s covers already end on {end}")


def undo(
    batch: Annotated[Optional[int], typer.Option(
        "--batch", metavar="N", min=1,
        help="The batch to undo (its number was printed by assign, handover, rebalance or reassign; "
             "default: the last one not undone).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would go back; write nothing.")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Put every case of the last (or the named) batch back where it was.

    A batch is one run of assign, handover, rebalance or reassign that moved cases; each
    prints its number ("batch 12: ..."). Every case goes back to its worker (a case given
    out of the pool: back to the pool, with its old wait), recorded as new history rows.
    All or nothing: when a case has moved since (or was closed, or its worker has left),
    nothing changes and the cases are named (exit 1).

    Example: caseload undo --batch 12 --dry-run"""
    from caseload.app import undo as undoing
    from caseload.render.batches import UNDO_COLUMNS, undo_document, undo_table
    from caseload.render.console import message
    from caseload.render.output import output as write
    from caseload.session import current

    s = current()
    done = undoing.undo(s.open(), s.actor, s.now(), batch, dry_run)
    document = undo_document(done, dry_run)
    write(format_, output, document["moves"], UNDO_COLUMNS, lambda: undo_table(document), document=document)
    if dry_run:
        message(f"would put back {len(done.moves)} case(s) of batch {done.batch.number}; dry run: nothing was written")
    else:
        message(f"batch {done.number}: put back {len(done.moves)} case(s) of batch {done.batch.number} "
                f"({done.batch.command} by {done.batch.actor}, {done.batch.at[:10]})")


def reassign(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    to: Annotated[str, typer.Option("--to", metavar="W", help="The new responsible worker.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in history).")],
) -> None:
    """Change who is responsible for a held case (permanent; it ends any cover).

    Example: caseload reassign C-0042 --to ben --reason 'speaks Polish'"""
    from caseload.app import handover as handing
    from caseload.domain import fields
    from caseload.render.console import message, warning
    from caseload.session import current

    cid = fields.case_id(case_id, "CASE")
    why = fields.text(reason, "--reason", required=True)
    target = fields.worker_or_word(to, "--to")
    s = current()
    move, warnings, batch = handing.reassign(s.open(), s.config, s.today, s.actor, s.now(), cid, target, why)
    for text in warnings:
        warning(text)
    message(f"batch {batch}: {move.case} moved from {move.previous} to {move.to}")


def register(app: typer.Typer) -> None:
    app.command("handover")(handover)
    app.command("return")(return_)
    app.command("reassign")(reassign)
    app.command("cover")(cover)
    app.command("undo")(undo)
