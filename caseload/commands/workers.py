"""`worker ...`: the team — add, edit, list and show workers. The `worker` group's
other subcommands live beside it: absences, leaving and reductions in
`commands.worker_time`, `worker import` in `commands.worker_import` (cli.py builds them
with this module)."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, LimitOption, OutputOption, limited
from caseload.domain.model import WORKER_ROLES

RoleName = Literal[WORKER_ROLES]  # type: ignore[valid-type]

Name = Annotated[Optional[str], typer.Option("--name", help="Full name.")]
Role = Annotated[Optional[RoleName], typer.Option(
    "--role", help="worker or lead (leads get no automatic allocations unless --auto).")]
Fte = Annotated[Optional[str], typer.Option("--fte", help="Full-time equivalent, more than 0 and at most 1.0.")]
Capacity = Annotated[Optional[str], typer.Option(
    "--capacity", metavar="POINTS", help="Capacity in points, instead of the fte formula.")]
MaxCases = Annotated[Optional[str], typer.Option("--max-cases", metavar="N", help="A cap on the number of cases.")]
Skills = Annotated[Optional[str], typer.Option("--skills", metavar="A,B", help="Skills, comma-separated.")]
Languages = Annotated[Optional[str], typer.Option("--languages", metavar="X,Y", help="Languages, comma-separated.")]
Area = Annotated[Optional[str], typer.Option("--area", help="The area they work in.")]
Auto = Annotated[Optional[bool], typer.Option(
    "--auto/--no-auto", help="Receives automatic allocations (default: yes for workers, no for leads).")]
Starts = Annotated[Optional[str], typer.Option(
    "--starts", metavar="DATE", help="A new starter's first day: no capacity or cases before it (`none` clears).")]


def _starts(s, starts: str | None, changes: dict) -> None:
    """--starts DATE (or `none`) into `changes`, read with the session's today."""
    if starts is not None:
        changes["starts_on"] = None if starts.strip().lower() in ("", "none") else s.day(starts, "--starts")


def _changes(name, role, fte, capacity, max_cases, skills, languages, area, auto) -> dict:
    """The fields given on the command line, validated; the ones not given are left out."""
    from caseload.domain import fields

    changes: dict = {}
    if name is not None:
        changes["name"] = fields.text(name, "--name", required=True)
    if role is not None:
        changes["role"] = role
    if fte is not None:
        changes["fte"] = fields.fte(fte, "--fte")
    if capacity is not None:
        changes["capacity"] = None if capacity in ("", "none") else fields.decimal(capacity, "--capacity")
    if max_cases is not None:
        changes["max_cases"] = None if max_cases in ("", "none") else fields.count(max_cases, "--max-cases")
    if skills is not None:
        changes["skills"] = fields.tokens(skills, "--skills")
    if languages is not None:
        changes["languages"] = fields.tokens(languages, "--languages")
    if area is not None:
        changes["area"] = fields.area(area, "--area")
    if auto is not None:
        changes["auto"] = auto
    return changes


def add(
    worker_id: Annotated[str, typer.Argument(metavar="ID", help="A short handle, e.g. asha.")],
    name: Name = None, role: Role = None, fte: Fte = None, capacity: Capacity = None,
    max_cases: MaxCases = None, skills: Skills = None, languages: Languages = None,
    area: Area = None, auto: Auto = None, starts: Starts = None,
) -> None:
    """Add a worker to the team (a new starter with --starts: no capacity or cases before that day).

    With the config's `starters.protected_percent` and `starters.protected_weeks`, a new
    starter also gets a protected caseload: a capacity reduction (`newly qualified`) from
    their first day, listed by `worker reductions`.

    Example: caseload worker add eve --name 'Eve Long' --starts 2026-12-14"""
    from caseload.app import team
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.model import Worker
    from caseload.render.console import message
    from caseload.session import current

    new_id = fields.new_worker_id(worker_id, "id")
    if name is None:
        raise BadInput("--name", "", "is required (the worker's full name)")
    changes = _changes(name, role, fte, capacity, max_cases, skills, languages, area, auto)
    changes.setdefault("auto", changes.get("role", "worker") == "worker")
    s = current()
    _starts(s, starts, changes)
    worker = Worker(id=new_id, **changes)
    protected = team.add(s.open(), s.now(), worker, s.config.starters)
    message(f"added worker {new_id}" + (f", starting on {worker.starts_on}" if worker.starts_on else ""))
    if protected is not None:
        message(_protected_text(new_id, protected))


def _protected_text(worker_id: str, reduction) -> str:
    """What a new starter's protected caseload (config `starters`) is, and how to end it."""
    from caseload.render.numbers import fmt

    return (f"protected caseload for {worker_id}: capacity -{fmt(reduction.amount)}% ({reduction.reason}) from "
            f"{reduction.starts_on} to {reduction.ends_on} (reduction {reduction.id}; "
            f"`caseload worker reduce {worker_id} --end {reduction.id}` ends it)")


def edit(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    name: Name = None, role: Role = None, fte: Fte = None, capacity: Capacity = None,
    max_cases: MaxCases = None, skills: Skills = None, languages: Languages = None,
    area: Area = None, auto: Auto = None, starts: Starts = None,
) -> None:
    """Change a worker's details; only the flags given change (`--capacity none` removes an override,
    `--starts none` a start day).

    A change of --role brings that role's default for automatic allocations (off for a
    lead, on for a worker) unless --auto/--no-auto is given.

    Example: caseload worker edit ewa --capacity 60"""
    from caseload.app import team
    from caseload.domain import fields
    from caseload.render.console import message, warning
    from caseload.session import current

    wid = fields.worker_id(worker_id, "ID")
    changes = _changes(name, role, fte, capacity, max_cases, skills, languages, area, auto)
    s = current()
    _starts(s, starts, changes)
    changes, held, protected = team.edit(s.open(), s.today, wid, changes, role, auto, s.now(), s.config.starters)
    if not changes:
        message(f"nothing to change for {wid} (give a flag such as --fte)")
        return
    message(f"updated worker {wid}: {', '.join(sorted(changes))}"
            + (f" (automatic allocations {'on' if changes['auto'] else 'off'})" if "auto" in changes else ""))
    if protected is not None:
        message(_protected_text(wid, protected))
    if held:
        warning(f"{wid} holds {held} case(s) but starts on {changes['starts_on']}: until then they count on no "
                f"capacity (red); hand them to someone in post (`caseload handover {wid} --auto`)")


def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include workers who have left.")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List the team with each worker's capacity today.

    Example: caseload worker list -o team.csv"""
    from caseload.app.team import team as read_team
    from caseload.render.output import output as write
    from caseload.render.records import draw_team
    from caseload.render.rows import WORKER_COLUMNS, worker_row
    from caseload.session import current

    s = current()
    team = read_team(s.open(), s.config, s.today, all_)
    rows = limited([worker_row(w, capacity) for w, capacity in team], limit, "worker(s)")
    starting = {w.id: w.starts_on for w, _capacity in team if not w.started_by(s.today)}
    write(format_, output, rows, WORKER_COLUMNS, view=lambda out: draw_team(out, rows, s.today, starting))


def show(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """A worker's profile, their capacity sum, their caseload and the load worked out case by case.

    Example: caseload worker show asha"""
    from caseload.app.team import worker_card
    from caseload.domain import fields
    from caseload.render.output import output as write
    from caseload.render.documents import worker_document
    from caseload.render.records import draw_worker
    from caseload.render.rows import CASE_COLUMNS
    from caseload.session import current

    s = current()
    wid = fields.worker_id(worker_id, "ID")
    sheet = worker_card(s.open(), s.config, s.today, wid)
    document = worker_document(sheet)
    write(format_, output, document["cases"], CASE_COLUMNS, document=document,
          view=lambda out: draw_worker(out, document))


def register(app: typer.Typer) -> None:
    worker_app = typer.Typer(help="Manage the team: add, list, show and edit workers; absences, leaving, "
                             "reductions.", no_args_is_help=True)
    for name, command in (("add", add), ("edit", edit), ("list", list_), ("show", show)):
        worker_app.command(name)(command)
    app.add_typer(worker_app, name="worker")
