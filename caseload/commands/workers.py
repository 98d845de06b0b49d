"""`worker add/list/show/edit`: the team, its capacity and each worker's caseload."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, OutputOption

WORKER_COLUMNS = ("id", "name", "role", "fte", "capacity", "max_cases", "skills", "languages", "area",
                  "status", "leaving_on")

Name = Annotated[Optional[str], typer.Option("--name", help="Full name.")]
Role = Annotated[Optional[Literal["worker", "lead"]], typer.Option(
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
        changes["area"] = fields.token(area, "--area")
    if auto is not None:
        changes["auto"] = auto
    return changes


def add(
    worker_id: Annotated[str, typer.Argument(metavar="ID", help="A short handle, e.g. asha.")],
    name: Name = None, role: Role = None, fte: Fte = None, capacity: Capacity = None,
    max_cases: MaxCases = None, skills: Skills = None, languages: Languages = None,
    area: Area = None, auto: Auto = None,
) -> None:
    """Add a worker to the team."""
    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.model import Worker
    from caseload.render import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import add_worker

    new_id = fields.new_worker_id(worker_id, "id")
    if name is None:
        raise BadInput("--name", "", "is required (the worker's full name)")
    changes = _changes(name, role, fte, capacity, max_cases, skills, languages, area, auto)
    changes.setdefault("auto", changes.get("role", "worker") == "worker")
    worker = Worker(id=new_id, **changes)
    s = session()
    db = s.open()
    with write_transaction(db):
        add_worker(db, worker, s.now())
    message(f"added worker {new_id}")


def edit(
    worker_id: Annotated[str, typer.Argument(metavar="ID")],
    name: Name = None, role: Role = None, fte: Fte = None, capacity: Capacity = None,
    max_cases: MaxCases = None, skills: Skills = None, languages: Languages = None,
    area: Area = None, auto: Auto = None,
) -> None:
    """Change a worker's details; only the flags given change (`--capacity none` removes an override)."""
    from caseload.cli import session
    from caseload.domain import fields
    from caseload.render import message
    from caseload.store.connection import write_transaction
    from caseload.store.workers import get_worker, update_worker

    wid = fields.worker_id(worker_id, "ID")
    changes = _changes(name, role, fte, capacity, max_cases, skills, languages, area, auto)
    s = session()
    db = s.open()
    with write_transaction(db):
        worker = get_worker(db, wid)
        if not changes:
            message(f"nothing to change for {wid} (give a flag such as --fte)")
            return
        update_worker(db, replace(worker, **changes))
    message(f"updated worker {wid}: {', '.join(sorted(changes))}")


def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include workers who have left.")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List the team with each worker's capacity today."""
    from caseload.cli import session
    from caseload.domain.load import capacity_breakdown
    from caseload.render import emit, new_table
    from caseload.store.connection import read_snapshot
    from caseload.store.workers import list_workers, reductions_active_on

    s = session()
    db = s.open()
    with read_snapshot(db):
        workers = list_workers(db, include_left=all_)
        active = reductions_active_on(db, s.today)
    rows = []
    for w in workers:
        capacity = capacity_breakdown(w, active.get(w.id, []), s.config.load, s.today).value
        rows.append({
            "id": w.id, "name": w.name, "role": w.role, "fte": w.fte, "capacity": capacity,
            "max_cases": w.max_cases, "skills": w.skills, "languages": w.languages, "area": w.area,
            "status": w.status, "leaving_on": w.leaving_on,
        })

    def table():
        from caseload.render import cell

        t = new_table("id", "name", "role", "fte", "capacity", "max cases", "skills", "languages", "area",
                      "status", title=f"Team on {s.today}", right=("fte", "capacity", "max cases"))
        for r in rows:
            status = r["status"] + (f" (leaving {r['leaving_on']})" if r["leaving_on"] else "")
            t.add_row(r["id"], r["name"], r["role"], cell(r["fte"]), cell(r["capacity"]), cell(r["max_cases"]),
                      cell(r["skills"]), cell(r["languages"]), cell(r["area"]), status)
        return t

    emit(format_, output, rows, WORKER_COLUMNS, table)


def show(worker_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """A worker's profile, their capacity sum, their caseload and the load worked out case by case."""
    from fractions import Fraction

    from rich.text import Text

    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.load import capacity_breakdown, count_cap, fmt, load_pct, weight_formula, zone
    from caseload.domain.model import OPEN_STATUSES
    from caseload.render import cell, console, literal, load_bar, new_table, pct_text, zone_badge
    from caseload.store.cases import CaseFilter, find_cases
    from caseload.store.connection import read_snapshot
    from caseload.store.workers import absences, get_worker, reductions

    s = session()
    rules = s.config.load
    wid = fields.worker_id(worker_id, "ID")
    db = s.open()
    with read_snapshot(db):
        w = get_worker(db, wid)
        held = list(find_cases(db, CaseFilter(worker=wid, statuses=OPEN_STATUSES), sort="risk"))
        cuts = reductions(db, wid)
        away = [a for a in absences(db, wid) if a.ends_on >= s.today]
    out = console()
    out.print(f"[bold]{literal(w.name)}[/bold] ({w.id}) — {w.role}, fte {fmt(w.fte)}, {w.status}"
              + (f" (leaving {w.leaving_on})" if w.leaving_on else ""))
    cap = count_cap(w, rules)
    profile = [
        ("skills", cell(w.skills) or "—"), ("languages", cell(w.languages) or "—"), ("area", w.area or "—"),
        ("automatic allocation", "yes" if w.auto else "no"),
        ("case cap", str(cap) if cap is not None else "none"),
    ]
    for label, value in profile:
        out.print(f"  {label}: {value}", markup=False)
    for a in away:
        out.print(f"  absent {a.starts_on} to {a.ends_on} ({a.reason})" + (f", cover {a.cover}" if a.cover else ""))

    breakdown = capacity_breakdown(w, cuts, rules, s.today)
    out.print(f"\n[bold]Capacity on {s.today}[/bold]")
    for index, line in enumerate(breakdown.lines):
        sign = " " if index == 0 else ("+" if line.points >= 0 else "-")
        out.print(f"  {sign} {fmt(abs(line.points)):>8}  {line.label}")
    out.print(f"  = {fmt(breakdown.value):>8}  points")
    scheduled = [r for r in cuts if r.state(s.today) == "scheduled"]
    for r in scheduled:
        amount = f"{fmt(r.amount)}%" if r.kind == "percent" else f"{fmt(r.amount)} points"
        out.print(f"  (scheduled: {amount} from {r.starts_on} for {r.reason})")

    table = new_table("case", "client", "tier", "risk", "status", "weight", "opened", "next review",
                      title=f"\nCaseload ({len(held)} open cases)", right=("weight",))
    for c in held:
        table.add_row(c.id, c.client, c.tier, c.risk, c.status, weight_formula(c.tier, c.status, rules)[1],
                      cell(c.opened_on), cell(c.next_review_on))
    out.print(table)

    out.print("[bold]Load[/bold]")
    by_kind: dict[tuple[str, str], int] = {}
    for c in held:
        by_kind[(c.tier, c.status)] = by_kind.get((c.tier, c.status), 0) + 1
    load = Fraction(0)
    for (tier, status), n in sorted(by_kind.items()):
        weight, formula = weight_formula(tier, status, rules)
        load += weight * n
        out.print(f"  {n:>3} x {tier} {status} ({formula}) = {fmt(weight * n)}")
    pct = load_pct(load, breakdown.value)
    z = zone(load, breakdown.value, rules.zones)
    summary = Text(f"  load {fmt(load)} / capacity {fmt(breakdown.value)} = {pct_text(pct)}  ")
    summary.append_text(zone_badge(z))
    summary.append("  ")
    summary.append_text(load_bar(pct, z))
    out.print(summary)
    if cap is not None and len(held) > cap:
        out.print(f"  [bold]over cap[/bold]: {len(held)} cases, cap {cap}")


def register(app: typer.Typer) -> None:
    from caseload.commands import team

    worker_app = typer.Typer(help="Manage the team: add, list, show and edit workers; absences, leaving, "
                             "reductions.", no_args_is_help=True)
    worker_app.command("add")(add)
    worker_app.command("edit")(edit)
    worker_app.command("list")(list_)
    worker_app.command("show")(show)
    team.register(worker_app)
    app.add_typer(worker_app, name="worker")
