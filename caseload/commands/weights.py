"""`weights`: the tier table against the team's own records, and each worker's view
against their zone (DESIGN §12). It reads; it never changes a weight."""

from __future__ import annotations

from typing import Annotated, Literal, Optional, get_args

import typer

from caseload.commands import OutputOption, settle_format

WeightsFormat = Literal["table", "csv", "json", "md", "html"]


def weights(
    weeks: Annotated[Optional[str], typer.Option(
        "--weeks", metavar="N", help="How many complete weeks to look back over (default 12).")] = None,
    format_: Annotated[WeightsFormat, typer.Option(
        "--format", "-f", callback=settle_format(get_args(WeightsFormat)),
        help="table, csv (a row per tier), json, md or html (default: from the --output name, else table).")] = "table",
    output: OutputOption = None,
) -> None:
    """The weights against the evidence: contacts per case-week by tier, the effort ratio beside
    the weight ratio, a suggested table, and the weeks a worker's own view disagreed with their zone.

    Contacts are a proxy for effort; every row says how many cases and case-weeks it rests on.

    Example: caseload weights --weeks 26 --format html --output weights.html"""
    from caseload.app.weights import weights_review
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.weights import DEFAULT_WEEKS, MAX_WEEKS
    from caseload.render.output import output as write
    from caseload.render.output import write_text
    from caseload.render.weights_rows import WEIGHTS_TIER_COLUMNS, weights_document, weights_tier_row
    from caseload.session import current

    count = DEFAULT_WEEKS if weeks is None else fields.count(weeks, "--weeks", minimum=1)
    if count > MAX_WEEKS:
        raise BadInput("--weeks", weeks, f"must be at most {MAX_WEEKS}")
    s = current()
    review = weights_review(s.open(), s.config, s.today, count)
    if format_ in ("md", "html"):
        from caseload.render.weights_page import html_page, markdown

        write_text((markdown if format_ == "md" else html_page)(review, s.today), output)
        return

    def view(out) -> None:
        from caseload.render.weights import draw_weights

        draw_weights(out, review)

    write(format_, output, (weights_tier_row(row) for row in review.tiers), WEIGHTS_TIER_COLUMNS,
          document=weights_document(review), view=view)


def register(app: typer.Typer) -> None:
    app.command("weights")(weights)
