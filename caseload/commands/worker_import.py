"""`worker import --file FILE [--absences FILE] [--reductions FILE] [--reviews FILE]
[--feels FILE]`: the whole team from a spreadsheet (CSV or a workbook), with its absences,
capacity reductions, recorded reviews and own views, all or nothing (DESIGN §11).

A subcommand of `worker`, kept in its own module: `register` adds it to the `worker`
group that `commands.workers` made (cli.py registers this module after that one)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def import_(
    csv_file: Annotated[Path, typer.Option("--file", "--csv", metavar="FILE", help="The team (.xlsx or CSV): the "
                                           "columns of `worker list --format csv`.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and show the team; write nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed without a terminal).")] = False,
    encoding: Annotated[Optional[str], typer.Option(
        "--encoding", metavar="E", help="utf-8 (default), cp1252 or latin-1 (Excel's \"CSV (Comma delimited)\" "
                                        "is cp1252).")] = None,
    ignore_unknown: Annotated[bool, typer.Option(
        "--ignore-unknown", help="Leave out columns caseload does not know (e.g. Phone).")] = False,
    header_names: Annotated[Optional[str], typer.Option(
        "--map", metavar="HEADER=COLUMN,...", help="Your own header names (\"Full name=name\").")] = None,
    dates: Annotated[Optional[str], typer.Option(
        "--dates", metavar="dmy|mdy|ymd", help="How the file's dates are written (default: found from them).")] = None,
    sheet_name: Annotated[Optional[str], typer.Option(
        "--sheet", metavar="NAME", help="With a workbook: the sheet to read (default: the first).")] = None,
    absences_file: Annotated[Optional[Path], typer.Option(
        "--absences", metavar="FILE", help="The team's absences (`export absences`; default: a workbook's "
                                           "sheet named absences).")] = None,
    reductions_file: Annotated[Optional[Path], typer.Option(
        "--reductions", metavar="FILE", help="The team's capacity reductions (`export reductions`; default: a "
                                             "workbook's sheet named reductions).")] = None,
    reviews_file: Annotated[Optional[Path], typer.Option(
        "--reviews", metavar="FILE", help="The team's recorded zone reviews, for red streaks and trends (`export "
                                          "reviews`; default: a workbook's sheet named reviews).")] = None,
    feels_file: Annotated[Optional[Path], typer.Option(
        "--feels", metavar="FILE", help="The workers' own views of their caseloads (`export feels`; default: a "
                                        "workbook's sheet named feels).")] = None,
) -> None:
    """Add the whole team from a spreadsheet (the columns of `worker list --format csv`), with
    its absences, reductions, recorded reviews and own views, all or nothing.

    Example: caseload worker import --file team.xlsx   (the workbook of `export team`)"""
    from caseload.app.sheets import team_sheets
    from caseload.app.team_import import import_team
    from caseload.commands import confirm_or_refuse
    from caseload.domain.load import capacity_breakdown
    from caseload.render.console import message
    from caseload.render.output import output as write
    from caseload.render.records import draw_team
    from caseload.render.rows import WORKER_COLUMNS, worker_row
    from caseload.session import current
    from caseload.commands import readable_file
    from caseload.render.console import tracked

    with readable_file(csv_file) as readable:  # `-`: standard input, kept while the command runs
        s = current()
        sheet, absences, reductions, reviews, feels = team_sheets(
            readable, s.config, encoding, ignore_unknown, header_names, dates, sheet_name, absences_file,
            reductions_file, reviews_file, feels_file)
        companions = ((absences, "absence(s)", "absences"), (reductions, "reduction(s)", "reductions"),
                      (reviews, "recorded review row(s)", "reviews"), (feels, "view(s) of their own", "feels"))
        for given in (sheet, absences, reductions, reviews, feels):
            if given is not None:
                given.track = tracked  # a bar on a terminal for each pass over a big file

        def proceed(found) -> bool:  # inside the transaction, the files checked: show them, then ask
            workers = found.workers
            if sheet.ignored:
                message(f"left out column(s): {', '.join(sheet.ignored)}")
            starting = {w.worker.id: w.worker.starts_on for w in workers if not w.worker.started_by(s.today)}
            by_status = {status: sum(1 for w in workers if w.worker.status == status and w.worker.id not in starting)
                         for status in ("active", "leaving", "left")} | {"starting later": len(starting)}
            message(f"{'stdin' if str(csv_file) == '-' else csv_file}: {len(workers)} worker(s) valid; "
                    + ", ".join(f"{n} {status}" for status, n in by_status.items() if n))
            for given, what, key in companions:
                if given is not None:
                    where = given.path.name + (f" sheet {given.sheet_name}" if given.sheet_name else "")
                    message(f"{where}: {len(getattr(found, key))} {what} valid")
            if dry_run:
                rows = [worker_row(w.worker, capacity_breakdown(w.worker, [], s.config.load, s.today).value)
                        for w in workers]
                write("table", None, rows, WORKER_COLUMNS, view=lambda out: draw_team(out, rows, s.today, starting))
                message("dry run: nothing was written")
                return False
            with_them = [key for given, _, key in companions if given is not None]
            confirm_or_refuse(f"Add these {len(workers)} worker(s)"
                              + (f" with their {', '.join(with_them)}?" if with_them else "?"), yes)
            return True

        found = import_team(s.open(), s.config, s.today, s.now(), sheet, dry_run, proceed, absences, reductions,
                            reviews, s.actor, feels)
        if not dry_run:
            extra = "".join(f", {len(getattr(found, key))} {what}" for given, what, key in companions if given)
            message(f"added {len(found.workers)} worker(s){extra}")


def register(app: typer.Typer) -> None:
    group = next(g.typer_instance for g in app.registered_groups if g.name == "worker")
    group.command("import")(import_)
