"""`report` (the nightly summary) and `export` (spreadsheet- and script-friendly data).

The report is built once as a plain document (what `--format json` prints) and every
other format renders that document, so the figures agree whatever the format.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, get_args

import typer

from caseload.commands import OutputOption, settle_format

ReportFormat = Literal["table", "md", "html", "csv", "json", "xlsx"]
FAIL_ON = ("amber", "red", "waiting", "excessive")


def report(
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE",
                                                 help="Throughput from this day (default: the last recorded review).")] = None,
    format_: Annotated[ReportFormat, typer.Option(
        "--format", "-f", callback=settle_format(get_args(ReportFormat)),
        help="table, md, html, csv, json or xlsx (a workbook, with --output); default: from the --output name "
             "(.md .html .csv .json .xlsx), else table.")] = "table",
    output: OutputOption = None,
    record: Annotated[bool, typer.Option("--record", help="Also record today's zone snapshot.")] = False,
    fail_on: Annotated[Optional[list[str]], typer.Option(
        "--fail-on", metavar="[amber|red|waiting|excessive]", help="Exit 3 (after writing the whole report) when anyone is in this zone or worse (amber, "
                          "red), when a waiting case is past its first-contact deadline (waiting), or when "
                          "someone has been red for alerts.excessive_after weeks running (excessive); "
                          "give it more than once for several.")] = None,
    redact: Annotated[bool, typer.Option("--redact", help="Case ids instead of client names.")] = False,
) -> None:
    """The nightly summary: zones and their change, throughput, attention lists, alerts.

    Example: caseload report --record --quiet -o report.html"""
    from caseload.app.reporting import nightly_report
    from caseload.domain.review import reaches
    from caseload.render.console import alert, message
    from caseload.render.documents import report_document
    from caseload.render.report import render_report
    from caseload.session import current

    thresholds = fail_on_thresholds(fail_on or [])
    if format_ == "xlsx":  # refused before anything is read or recorded
        from caseload.render.xlsx import require_file

        require_file(output)
    s = current()
    start = s.day(since, "--since")
    # with --record, the snapshot commits only once the report is written
    review, kept = nightly_report(s.open(), s.config, s.today, start,
                                  lambda data: render_report(report_document(data, redact), format_, output),
                                  record_as=(s.actor, s.now()) if record else None)
    if record:
        message(f"recorded the zone snapshot of {s.today}" if kept else
                f"kept the meeting's zone snapshot of {s.today} (a nightly one never replaces it)")
    reached = False
    for threshold in thresholds:
        if threshold == "waiting":
            overdue = [w.case.id for w in review.waiting if w.contact_overdue]
            if overdue:
                shown = ", ".join(overdue[:10]) + (f" and {len(overdue) - 10} more" if len(overdue) > 10 else "")
                alert(f"{len(overdue)} waiting case(s) past the first-contact deadline: {shown}")
                reached = True
            continue
        if threshold == "excessive":
            if review.excessive:
                alert(f"{len(review.excessive)} worker(s) red for {s.config.alerts.excessive_after} week(s) "
                        f"running or more (excessive workload): {', '.join(review.excessive)}")
                reached = True
            continue
        worst = [f.worker.id for f in review.workers if reaches(f.zone, threshold)]
        if worst:
            alert(f"{len(worst)} worker(s) at {threshold} or worse: {', '.join(worst)}")
            reached = True
    if reached:
        raise typer.Exit(3)


def fail_on_thresholds(given: list[str]) -> list[str]:
    """The --fail-on values, each once, in the order given (any case); anything else is bad input."""
    from caseload.domain.fields import choice

    return list(dict.fromkeys(choice(value, FAIL_ON, "--fail-on") for value in given))


def export(
    what: Annotated[Literal["cases", "workers", "zones", "history", "absences", "reductions", "reviews", "feels",
                            "team", "client"],
                    typer.Argument(help="What to export (reviews: the recorded zone reviews; feels: the workers' "
                                        "own views; team: workers, absences, reductions, reviews and feels, one "
                                        "workbook; "
                                        "`client CASE`: everything held about that case's client).")],
    case: Annotated[Optional[str], typer.Argument(metavar="[CASE]", help="With `client`: the case.")] = None,
    format_: Annotated[Optional[Literal["csv", "json", "xlsx", "md", "html"]], typer.Option(
        "--format", "-f", callback=settle_format(("csv", "json", "xlsx", "md", "html")), help="csv, json or xlsx (an Excel workbook, with --output); default: from the --output "
                               "name (.json, .xlsx), else csv (team: xlsx). `client`: json (its default), md or html.")] = None,
    output: OutputOption = None,
    redact: Annotated[bool, typer.Option("--redact", help="Case ids instead of client names and summaries; no close reasons, no reasons in history.")] = False,
    exclude: Annotated[Optional[str], typer.Option("--exclude", metavar="CASES", help="With `client`: leave out these cases (comma-separated) found by the client's name that are someone else.")] = None,
) -> None:
    """Export for spreadsheets and scripts: ISO dates, lists joined with ';', files created 0600.

    A CSV file written with --output starts with a UTF-8 byte-order mark so that Excel
    reads non-ASCII names; text that a spreadsheet would run as a formula is quoted.
    Rows are streamed from the database as they are written. An xlsx workbook (written
    only to a file) has real date and number cells, zones filled in their colour, a
    frozen header row and filters. `export team` is the whole team as it travels: a
    workbook of sheets workers, absences, reductions, reviews and feels, which `worker import
    --file` reads back.

    Example: caseload export team -o team.xlsx"""
    from caseload.app.reporting import export as read_export
    from caseload.render.output import output as write
    from caseload.render.documents import client_record_document
    from caseload.render.rows import export_listing
    from caseload.session import current

    if format_ is None:  # neither --format nor an --output name that says (`commands.format_for_output`)
        format_ = "json" if what == "client" else "xlsx" if what == "team" else "csv"
    if what == "client" or case is not None:
        from caseload.app.privacy import client_record
        from caseload.domain.errors import BadInput
        from caseload.render.client_record import html_page, markdown
        from caseload.render.output import json_text, write_text

        from caseload.render.console import warning

        if what != "client" or case is None or format_ not in ("json", "md", "html"):
            raise BadInput("export", what, "takes CASE only as `export client CASE [--format json|md|html]`")
        left_out = tuple(part.strip() for part in (exclude or "").split(",") if part.strip())
        found = client_record(current().open(), case, left_out)
        write_text({"json": json_text, "md": markdown, "html": html_page}[format_](client_record_document(found)),
                   output)
        if found["namesakes"]:
            warning(f"found by the client's name alone: {', '.join(found['namesakes'])}; a name is not a person: "
                    f"check each is the same client before this is sent, and leave out anyone else with "
                    f"--exclude {found['namesakes'][0]}")
        return
    if exclude is not None:
        from caseload.domain.errors import BadInput

        raise BadInput("--exclude", exclude, "goes with `export client CASE` only")
    if format_ not in ("csv", "json", "xlsx"):
        from caseload.domain.errors import BadInput

        raise BadInput("--format", format_, "is for `export client CASE` only (csv, json or xlsx here)")
    if what == "team" and format_ == "csv":
        from caseload.domain.errors import BadInput

        raise BadInput("--format", "csv", "cannot hold the whole team in one file: give --format xlsx (sheets "
                                          "workers, absences, reductions, reviews and feels) or json, or export "
                                          "them one by one")
    if format_ == "xlsx":
        from caseload.render.xlsx import require_file

        require_file(output)
    s = current()

    def write_export(found) -> None:  # inside the export's one read snapshot
        if what == "team":
            _write_team(found, format_, output)
            return
        listing, columns = export_listing(what, found, format_ == "csv", redact)
        write(format_, output, listing, columns, excel=True, sheet=what)

    read_export(s.open(), s.config, s.today, what, write_export)


def _write_team(found, format_: str, output) -> None:
    """The team's five tables: sheets of one workbook, or one JSON object of five lists."""
    from caseload.render.output import output as write
    from caseload.render.rows import team_export
    from caseload.render.xlsx import Sheet

    parts = team_export(found)
    if format_ == "json":
        write("json", output, [], (), document={name: list(rows) for name, rows, _ in parts})
    else:
        write("xlsx", output, [], (), sheets=[Sheet(name, columns, rows) for name, rows, columns in parts])


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("export")(export)
