"""`forecast`: the capacity runway (DESIGN §10) — each worker's zone on each Monday of the
next N weeks from what is already known, the team's headroom, and with `--case` the
earliest week someone who qualifies has room for a waiting case, and who."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from caseload.commands import FormatOption, OutputOption


def forecast(
    weeks: Annotated[Optional[str], typer.Option(
        "--weeks", metavar="N", help="How many Mondays to look at (default 8, at most 52).")] = None,
    case: Annotated[Optional[str], typer.Option(
        "--case", metavar="CASE", help="A waiting case: the earliest week someone who qualifies has room, and who.")]
    = None,
    weights: Annotated[Optional[Path], typer.Option(
        "--weights", metavar="FILE", help="What if: the same weeks also under this YAML table of tiers and "
                                          "status_factors (nothing is stored).")] = None,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """When can we take the next case, and who? Zones on each Monday ahead, from what is known.

    Absences, reductions, leavers (their cases still to hand over), covers ending and new
    starters are taken into account; no new cases or closures are invented. Exit 1 when
    --case finds no week (the forecast is still printed).

    Example: caseload forecast --weeks 12"""
    from caseload.app.forecast import runway
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.forecast import DEFAULT_WEEKS, MAX_WEEKS
    from caseload.render.console import message
    from caseload.render.output import output as write
    from caseload.render.forecast_rows import (FORECAST_COLUMNS, FORECAST_WHAT_IF_COLUMNS, forecast_document, forecast_rows,
                                      forecast_what_if_rows, forecast_with_what_if)
    from caseload.session import current
    from caseload.weights_file import read_weights_file

    count = DEFAULT_WEEKS if weeks is None else fields.count(weeks, "--weeks", minimum=1)
    if count > MAX_WEEKS:
        raise BadInput("--weeks", weeks, f"must be at most {MAX_WEEKS}")
    case_id = fields.case_id(case, "--case") if case is not None else None
    s = current()
    other = None if weights is None else read_weights_file(weights, s.config)
    found = runway(s.open(), s.config, s.today, count, case_id, other)
    document = forecast_document(found)
    rows, columns = forecast_rows(document), FORECAST_COLUMNS
    if found.what_if is not None:
        document = forecast_with_what_if(document, found.what_if, str(weights))
        rows, columns = forecast_what_if_rows(document), FORECAST_COLUMNS + FORECAST_WHAT_IF_COLUMNS

    def view(out) -> None:
        from caseload.render.forecast import draw_forecast

        draw_forecast(out, document, s.today, found.default_tier, found.default_weight, s.config.load.zones.amber_above)
        if found.what_if is not None:
            from caseload.render.weights import draw_forecast_what_if

            draw_forecast_what_if(out, document, s.today, found.what_if)

    write(format_, output, rows, columns, document=document, view=view)
    if found.fit is not None and found.fit.on is None:
        message(f"{found.fit.case}: {found.fit.reason}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("forecast")(forecast)
