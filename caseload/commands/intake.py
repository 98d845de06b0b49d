"""`intake`: register a new case (waiting, or assigned at once with --assign), or every row of a
CSV file, all or nothing (`--csv`). The rules are `caseload.app.intake`'s."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer


def intake(
    client: Annotated[Optional[str], typer.Option("--client", help="Name or reference (personal data).")] = None,
    case_id: Annotated[Optional[str], typer.Option("--id", help="Your own reference (default: C-0001, ...).")] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", help="What the case is about.")] = None,
    tier: Annotated[Optional[str], typer.Option("--tier", help="Complexity tier (default: the config's).")] = None,
    risk: Annotated[Optional[str], typer.Option("--risk", help="low, medium (default) or high.")] = None,
    status: Annotated[Optional[str], typer.Option(
        "--status", help="waiting, active or monitoring (default: active with --assign, else waiting).")] = None,
    needs: Annotated[Optional[str], typer.Option("--needs", metavar="A,B", help="Skills the case needs.")] = None,
    language: Annotated[Optional[str], typer.Option("--language", help="Language the client needs.")] = None,
    area: Annotated[Optional[str], typer.Option("--area", help="The client's area.")] = None,
    requested: Annotated[Optional[str], typer.Option("--requested", metavar="W", help="A worker asked for.")] = None,
    opened: Annotated[Optional[str], typer.Option("--opened", metavar="DATE", help="Opened on (default today).")] = None,
    assign: Annotated[Optional[str], typer.Option(
        "--assign", metavar="W|me|auto",
        help="Give the case to worker W, to yourself (--as), or by the allocation rules.")] = None,
    max_zone: Annotated[Optional[str], typer.Option(
        "--max-zone", metavar="green|amber|red",
        help="With --assign auto: the worst zone the case may push someone into, else it waits "
             "(default: the config's allocation.max_zone, red).")] = None,
    csv_file: Annotated[Optional[Path], typer.Option(
        "--file", "--csv", metavar="FILE",
        help="Register every row of a spreadsheet (.xlsx or CSV), all or nothing.")] = None,
    header_names: Annotated[Optional[str], typer.Option(
        "--map", metavar="HEADER=COLUMN,...", help="With --file: your own header names (\"Client name=client\").")] = None,
    dates: Annotated[Optional[str], typer.Option(
        "--dates", metavar="dmy|mdy|ymd", help="With --file: how its dates are written (default: found from them).")] = None,
    sheet_name: Annotated[Optional[str], typer.Option(
        "--sheet", metavar="NAME", help="With a workbook: the sheet to read (default: the first).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With --csv: validate and show; write nothing.")] = False,
    encoding: Annotated[Optional[str], typer.Option(
        "--encoding", metavar="E", help="With --csv: the file's encoding, utf-8 (default), cp1252 or latin-1 "
                                        "(Excel's \"CSV (Comma delimited)\" is cp1252).")] = None,
    ignore_unknown: Annotated[bool, typer.Option(
        "--ignore-unknown", help="With --csv: leave out columns caseload does not know (e.g. Phone).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --csv: do not ask (needed without a terminal).")] = False,
) -> None:
    """Register one case (prints its id on stdout), or a whole CSV file with --csv.

    Example: caseload intake --client "Maria Nguyen" --tier high --risk high --assign auto"""
    if assign is not None and assign.strip().lower() in ("auto", "me"):
        assign = assign.strip().lower()  # the words in any case (`Auto`); a worker id is folded by read_draft
    if max_zone is not None and (assign != "auto" or csv_file is not None):
        from caseload.domain.errors import BadInput

        raise BadInput("--max-zone", max_zone, "goes with --assign auto for one case (for a file, set "
                       "allocation.max_zone in the config)" if csv_file is not None else
                       "goes with --assign auto (by hand, the lead's judgement stands)")
    if csv_file is not None:
        given = [flag for flag, value in (("--client", client), ("--id", case_id), ("--summary", summary),
                                          ("--tier", tier), ("--risk", risk), ("--status", status),
                                          ("--needs", needs), ("--language", language), ("--area", area),
                                          ("--requested", requested), ("--opened", opened)) if value is not None]
        if given or (assign not in (None, "auto")):
            from caseload.domain.errors import BadInput

            raise BadInput(given[0] if given else "--assign", assign or "",
                           "cannot go with --csv (put it in a column; only --assign auto applies to a file)")
        intake_csv(csv_file, dry_run, assign == "auto", yes, encoding, ignore_unknown, header_names, dates, sheet_name)
        return
    if dry_run or yes or encoding is not None or ignore_unknown or header_names or dates or sheet_name:
        from caseload.domain.errors import BadInput

        flag = "--dry-run" if dry_run else "--yes" if yes else "--encoding" if encoding is not None else \
            "--ignore-unknown" if ignore_unknown else "--map" if header_names else "--dates" if dates else "--sheet"
        raise BadInput(flag, "", "goes with --csv")
    from caseload.app.taking_in import intake_case
    from caseload.config import with_max_zone
    from caseload.domain.intake import read_draft
    from caseload.render.console import message, warning
    from caseload.render.output import write_text
    from caseload.session import current

    s = current()
    if client is None and sys.stdin.isatty():
        client = typer.prompt("Client (name or reference)")
    raw = {
        "client": client, "id": case_id, "summary": summary, "tier": tier, "risk": risk, "status": status,
        "needs": needs.replace(",", ";") if needs else needs, "language": language, "area": area,
        "requested": requested, "opened": opened, "worker": assign,
    }
    draft = read_draft(raw, tuple(s.config.load.tiers), s.config.default_tier, s.today, label=lambda f: f"--{f}"
                       if f != "worker" else "--assign")
    db = s.open()
    config = with_max_zone(s.config, max_zone)
    new_id, outcome, warnings = intake_case(db, config, s.today, s.actor, s.now(), draft)
    write_text(new_id + "\n", None)  # the new id alone on stdout, for scripts
    message(f"case {new_id} {outcome}")
    for text in warnings:
        warning(text)


def intake_csv(path: Path, dry_run: bool, auto: bool, yes: bool, encoding: str | None,
               ignore_unknown: bool, header_names: str | None = None, dates: str | None = None,
               sheet_name: str | None = None) -> None:
    """Every row of a CSV file: checked whole in a first pass, then written in a second, all
    or nothing, in one transaction (`caseload.app.intake`). The file is read line by line."""
    from caseload.app.sheets import sheet_for
    from caseload.commands import readable_file
    from caseload.domain.intake_csv import CASE_FILE
    from caseload.render.console import tracked
    from caseload.session import current

    s = current()
    with readable_file(path) as readable:
        sheet = sheet_for(readable, CASE_FILE, s.config, encoding, ignore_unknown, header_names, dates, sheet_name)
        sheet.track = tracked  # a bar on a terminal for each pass over a big file
        _take_in(s, sheet, path, dry_run, auto, yes)


def _take_in(s, sheet, path: Path, dry_run: bool, auto: bool, yes: bool) -> None:
    """The checked file shown and asked about, then written (`intake_csv`)."""
    from caseload.app.taking_in import intake_file
    from caseload.commands import confirm_or_refuse
    from caseload.render.console import message
    from caseload.render.output import print_view
    from caseload.render.plans import intake_preview_table

    def proceed(checked, preview) -> bool:  # inside the transaction, the file checked: show it, then ask
        tally = checked.tally
        if checked.ignored:
            message(f"left out column(s): {', '.join(checked.ignored)}")
        message(f"{'stdin' if str(path) == '-' else path}: {tally.summary()}")
        message(tally.first_review(s.config.review_days, s.config.stale_after_days))
        if tally.covers_ending_today:
            message(f"{tally.covers_ending_today} covered case(s) have no cover_until: their cover ends today "
                    "(move it with `caseload cover W --until DATE`)")
        if dry_run:
            if preview is not None:
                print_view(lambda out: out.print(intake_preview_table(preview)), None)
            message("dry run: nothing was written")
            return False
        confirm_or_refuse(f"Add these {tally.rows} case(s)?", yes)
        return True

    source = "stdin" if str(path) == "-" else path.name
    written = intake_file(s.open(), s.config, s.today, s.actor, s.now(), sheet, auto, dry_run, source, proceed)
    if written is None:
        return
    if written.left_waiting:
        message(f"{written.left_waiting} case(s) wait: nobody could take them by the rules (see `caseload assign --waiting --auto --explain`)")
    message(written.words())


def register(app: typer.Typer) -> None:
    app.command("intake")(intake)
