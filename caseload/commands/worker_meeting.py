"""`worker feels` and `worker absences`: what the team meeting records about a worker
besides their figures, and the absences with their ids (DESIGN §2, §5, issue 22). Subcommands of the `worker` group that `commands.workers` makes
(cli.py builds this module with it)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from caseload.commands import FormatOption, LimitOption, OutputOption, limited


def feels(
    worker_id: Annotated[str, typer.Argument(metavar="W")],
    feeling: Annotated[str, typer.Argument(metavar="manageable|stretched|overwhelmed")],
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="The day they said it (default today).")] = None,
) -> None:
    """Record the worker's own view of their caseload this week: manageable, stretched or overwhelmed.

    One view counts per worker per ISO week (the latest given wins; earlier ones are kept).
    The zone review shows it beside the zone (`feels`).

    Example: caseload worker feels asha stretched"""
    from caseload.app.feels import record_feeling
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.feels import FEELINGS
    from caseload.render.console import message
    from caseload.session import current

    wid = fields.worker_id(worker_id, "W")
    chosen = fields.choice(feeling, FEELINGS, "feeling")
    s = current()
    day = s.day(on, "--on") if on else s.today
    if day > s.today:
        raise BadInput("--on", on, "is in the future (a view is recorded when it is given)")
    given = record_feeling(s.open(), wid, chosen, day, s.actor, s.now())
    replaced = (f" (in place of {given.replaced.feeling}, given {given.replaced.on})"
                if given.replaced is not None else "")
    message(f"{given.worker} feels {given.feeling} in the week of {given.week}{replaced}")


def absences(
    worker_id: Annotated[Optional[str], typer.Argument(metavar="[ID]")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Past absences too.")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List absences with their ids (current and scheduled; past ones too with --all).

    The id is what `worker absent ID --change N --until DATE` moves.

    Example: caseload worker absences ewa --all"""
    from caseload.app.absences import absences as listed
    from caseload.domain import fields
    from caseload.domain.absences import absence_state
    from caseload.render.output import output as write
    from caseload.render.rows import ABSENCE_COLUMNS, absence_row
    from caseload.session import current

    wid = fields.worker_id(worker_id, "ID") if worker_id else None
    s = current()
    rows = limited([absence_row(a, absence_state(a, s.today)) for a in listed(s.open(), wid, s.today, everything)],
                   limit, "absence(s)")
    title = f"Absences on {s.today}" + (f" of {wid}" if wid else "") + ("" if everything else " (not yet over)")

    def view():
        from caseload.render.meeting import absences_table

        return absences_table(rows, title)

    write(format_, output, rows, ABSENCE_COLUMNS, view)


def register(app: typer.Typer) -> None:
    group = next(g.typer_instance for g in app.registered_groups if g.name == "worker")
    group.command("feels")(feels)
    group.command("absences")(absences)
