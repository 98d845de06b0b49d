"""`rebalance`: propose (or, with --apply, make) the fewest moves that bring every
amber or red worker to 100 % or below without pushing anyone above it."""

from __future__ import annotations

from typing import Annotated

import typer

from caseload.commands import FormatOption, OutputOption, confirm_or_refuse


def rebalance(
    apply: Annotated[bool, typer.Option("--apply", help="Make the moves (asks first on a terminal).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed with --apply without a terminal).")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Propose the fewest moves that bring amber and red workers to 100% or below.

    Example: caseload rebalance --apply"""
    from contextlib import ExitStack

    from caseload.app import rebalance as rebalancing
    from caseload.render.console import message, progress
    from caseload.render.output import output as write
    from caseload.render.documents import rebalance_document
    from caseload.render.plans import draw_suggestions
    from caseload.render.rows import SUGGESTION_COLUMNS
    from caseload.session import current

    s = current()

    def proceed(proposal):  # inside the transaction: show the proposal, then ask
        document = rebalance_document(proposal, s.today)
        write(format_, output, document["moves"], SUGGESTION_COLUMNS, document=document,
              view=lambda out: draw_suggestions(out, proposal, "Rebalance plan"))
        if not (apply and proposal.moves):
            return None
        confirm_or_refuse(f"Make these {len(proposal.moves)} move(s)?", yes)
        return bar.enter_context(progress(len(proposal.moves), "rebalancing"))

    with ExitStack() as bar:
        proposal, batch = rebalancing.rebalance(s.open(), s.config, s.today, s.actor, s.now(), apply, proceed)
    if apply and proposal.moves:
        message(f"batch {batch}: made {len(proposal.moves)} move(s) (`caseload undo --batch {batch}` puts them back)")
    elif proposal.moves:
        message(f"{len(proposal.moves)} move(s) proposed (the fewest possible: {proposal.lower_bound}); "
                "`caseload rebalance --apply` makes them")


def register(app: typer.Typer) -> None:
    app.command("rebalance")(rebalance)
