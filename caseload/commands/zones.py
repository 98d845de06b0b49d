"""`zone-review`: the team meeting view (DESIGN §5). The table is highest load first, for
the meeting; CSV and JSON rows are in id order, for scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, OutputOption


def zone_review(
    record: Annotated[bool, typer.Option("--record", help="Store this review as a snapshot for trends.")] = False,
    suggest: Annotated[bool, typer.Option(
        "--suggest", help="Add the rebalance proposal as suggested moves.")] = False,
    fail_on: Annotated[Optional[Literal["amber", "red", "excessive"]], typer.Option(
        "--fail-on", help="Exit 3 (after printing) when any worker is in this zone or worse, or (excessive) "
                          "red for alerts.excessive_after weeks running.")] = None,
    since: Annotated[Optional[str], typer.Option(
        "--since", metavar="DATE", help="What changed since this day (default: the last recorded meeting).")] = None,
    on: Annotated[Optional[str], typer.Option(
        "--on", metavar="DATE", help="Look ahead: the zones on a future day from what is already known.")] = None,
    weights: Annotated[Optional[Path], typer.Option(
        "--weights", metavar="FILE", help="What if: the team also under this YAML table of tiers and "
                                          "status_factors, beside today's figures (nothing is stored).")] = None,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """The team meeting view: each worker's load against capacity as red/amber/green/blue.

    Example: caseload zone-review --record --suggest"""
    from caseload.app import review as reviews
    from caseload.domain.errors import BadInput
    from caseload.domain.review import reaches
    from caseload.render.console import alert, message
    from caseload.render.output import output as write
    from caseload.render.weights_rows import review_output
    from caseload.session import current

    s = current()
    day = s.day(on, "--on") if on else s.today
    start = s.day(since, "--since") if since else None
    if start is not None and start > s.today:
        raise BadInput("--since", since, "is in the future")
    if day < s.today:
        raise BadInput("--on", on, "is in the past (recorded reviews are in `caseload report`)")
    if day > s.today and (record or suggest):
        raise BadInput("--record" if record else "--suggest", "", "cannot go with a look-ahead (--on)")
    if weights is not None and record:
        raise BadInput("--weights", weights, "cannot go with --record (a what-if is never recorded)")
    other = None
    if weights is not None:  # the what-if's reader and arithmetic are loaded only when asked for
        from caseload.domain.weights import what_if
        from caseload.weights_file import read_weights_file

        table = read_weights_file(weights, s.config)

        def under_the_file(team, waiting, oldest):
            return what_if(team, table, str(weights), waiting, oldest)

        other = under_the_file
    meeting = day == s.today and format_ == "table"

    def deliver(review, memory) -> None:  # inside the transaction: with --record, it commits once this is written
        def view(out) -> None:  # the people's view, imported only when drawn
            from caseload.render.review import draw_memory, draw_review

            draw_review(out, review)
            if meeting:
                draw_memory(out, memory)
            if suggest:
                from caseload.render.plans import draw_suggestions

                draw_suggestions(out, review.suggestions)
            if review.what_if is not None:
                from caseload.render.weights import draw_what_if

                draw_what_if(out, review)

        document, columns = review_output(review)
        write(format_, output, document["workers"], columns, document=document, view=view)

    planner = None
    if suggest:  # the planner is loaded only when its proposal is asked for
        from caseload.app.rebalance import suggested as planner
    review = reviews.zone_review(s.open(), s.config, s.today, day, deliver, suggest=planner, pool=format_ == "table",
                                 remember=meeting, since=start, other=other,
                                 record_as=(s.actor, s.now()) if record else None)
    if record:
        message(f"recorded the zone review of {s.today}")
    if fail_on == "excessive":
        if review.excessive:
            alert(f"{len(review.excessive)} worker(s) red for {s.config.alerts.excessive_after} week(s) running "
                    f"or more (excessive workload): {', '.join(review.excessive)}")
            raise typer.Exit(3)
        return
    worst = [f.worker.id for f in review.workers if fail_on is not None and reaches(f.zone, fail_on)]
    if worst:
        alert(f"{len(worst)} worker(s) at {fail_on} or worse: {', '.join(worst)}")
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    app.command("zone-review")(zone_review)
