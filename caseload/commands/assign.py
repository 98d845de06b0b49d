"""`assign`: give waiting cases to workers, by hand (`--to`) or by rule (`--auto`), explained
(the rules: `caseload.app.assign` and `caseload.domain.allocate`)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from caseload.commands import FormatOption, OutputOption


def assign(
    case_ids: Annotated[Optional[list[str]], typer.Argument(metavar="CASE...", help="Waiting cases to assign.")] = None,
    to: Annotated[Optional[str], typer.Option("--to", metavar="W|me", help="Give the cases to W (or yourself).")] = None,
    auto: Annotated[bool, typer.Option("--auto", help="Choose by the allocation rules.")] = False,
    waiting: Annotated[bool, typer.Option("--waiting", help="Every waiting case (with --auto).")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show every candidate and why the chosen one won.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; write nothing.")] = False,
    max_zone: Annotated[Optional[str], typer.Option(
        "--max-zone", metavar="green|amber|red",
        help="With --auto: the worst zone a case may push someone into, else it waits "
             "(default: the config's allocation.max_zone, red).")] = None,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Allocate waiting cases: `--to W|me` by hand, or `--auto` by the rules (`--waiting` for the whole pool).

    Exit 1 when a case named on the command line stays waiting because nobody qualifies, or
    everyone would go past --max-zone (the others are assigned); with --waiting, cases left
    in the pool are normal (exit 0).

    Example: caseload assign --waiting --auto --dry-run"""
    from caseload.app import assign as assigning
    from caseload.config import with_max_zone
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import message, warning
    from caseload.render.output import output as write
    from caseload.render.documents import assign_document, assign_rows
    from caseload.render.plans import draw_assign
    from caseload.render.rows import PLACEMENT_COLUMNS
    from caseload.session import current

    if (to is None) == (not auto):
        raise BadInput("--to/--auto", to or "", "give exactly one: --to W|me (by hand) or --auto (by rule)")
    if waiting and not auto:
        raise BadInput("--waiting", "", "goes with --auto (the whole waiting pool, by rule)")
    if waiting and case_ids:
        raise BadInput("CASE", case_ids[0], "cannot be given with --waiting")
    if not waiting and not case_ids:
        raise BadInput("CASE", "", "is missing: name the cases, or use --waiting --auto")
    if max_zone is not None and not auto:
        raise BadInput("--max-zone", max_zone, "goes with --auto (by hand, the lead's judgement stands)")
    ids = [fields.case_id(c, "CASE") for c in case_ids or []]
    to = fields.worker_or_word(to, "--to") if to is not None else None  # `Asha` is asha, `ME` is me
    s = current()
    config = s.config if to is not None else with_max_zone(s.config, max_zone)
    plan = assigning.assign(s.open(), config, s.today, s.actor, s.now(), ids, to, waiting, explain, dry_run)
    for text in plan.warnings:
        warning(text)
    document = assign_document(plan, s.today, dry_run)
    write(format_, output, assign_rows(document), PLACEMENT_COLUMNS, document=document,
          view=lambda out: draw_assign(out, document, explain))
    placed, left = len(document["placements"]), len(document["waiting"])
    message((f"batch {plan.batch}: " if plan.batch else "")
            + f"{'would assign' if dry_run else 'assigned'} {placed} case(s)" + (f"; {left} left waiting" if left else "")
            + ("; dry run: nothing was written" if dry_run else ""))
    if ids and plan.left_waiting:
        raise typer.Exit(1)  # a named case could not be given out: the placed ones are, the rest are listed


def register(app: typer.Typer) -> None:
    app.command("assign")(assign)
