"""`cases` (the case table with its filters) and `show CASE` (one case, its notes and history)."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, OutputOption

CASE_COLUMNS = ("id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs",
                "language", "area", "weight", "opened_on", "next_review_on", "last_contact_on", "closed_on")
SortName = Literal["id", "opened", "risk", "tier", "worker", "review", "contact", "status"]


def case_row(case, rules) -> dict:
    """A case as the JSON keys / CSV headers of DESIGN §5."""
    from caseload.domain.load import case_weight

    return {
        "id": case.id, "client": case.client, "summary": case.summary, "tier": case.tier, "risk": case.risk,
        "status": case.status, "worker": case.worker, "home_worker": case.home_worker, "needs": case.needs,
        "language": case.language, "area": case.area, "weight": case_weight(case.tier, case.status, rules),
        "opened_on": case.opened_on, "next_review_on": case.next_review_on,
        "last_contact_on": case.last_contact_on, "closed_on": case.closed_on,
    }


def cases(
    worker: Annotated[Optional[str], typer.Option("--worker", metavar="W", help="Cases held by W.")] = None,
    waiting: Annotated[bool, typer.Option("--waiting", help="Only the waiting pool.")] = False,
    risk: Annotated[Optional[Literal["low", "medium", "high"]], typer.Option("--risk")] = None,
    tier: Annotated[Optional[str], typer.Option("--tier")] = None,
    status: Annotated[Optional[Literal["waiting", "active", "monitoring", "closed"]], typer.Option(
        "--status", help="Only this status (closed cases show only with --status closed).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Review date has passed.")] = False,
    stale: Annotated[bool, typer.Option("--stale", help="No contact for stale_after_days.")] = False,
    sort: Annotated[SortName, typer.Option("--sort", help="Order of the rows.")] = "id",
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List open cases (waiting, active, monitoring), narrowed by the filters given."""
    from datetime import timedelta

    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.model import OPEN_STATUSES
    from caseload.render import cell, emit, new_table
    from caseload.store.cases import CaseFilter, find_cases
    from caseload.store.connection import read_snapshot
    from caseload.store.workers import get_worker

    s = session()
    rules = s.config.load
    if tier is not None:
        tier = fields.choice(tier, tuple(rules.tiers), "--tier")
    statuses = ("waiting", "active", "monitoring")
    if status is not None:
        statuses = (status,)
    if waiting:
        statuses = ("waiting",)
    if overdue or stale:
        statuses = tuple(st for st in statuses if st in OPEN_STATUSES) or OPEN_STATUSES
    where = CaseFilter(
        worker=fields.worker_id(worker, "--worker") if worker else None,
        statuses=statuses, risk=risk, tier=tier,
        review_before=s.today if overdue else None,
        contact_before=s.today - timedelta(days=s.config.stale_after_days) if stale else None,
    )
    db = s.open()
    with read_snapshot(db):
        if where.worker is not None:
            get_worker(db, where.worker)
        rows = [case_row(c, rules) for c in find_cases(db, where, sort)]

    def table():
        t = new_table("id", "client", "tier", "risk", "status", "worker", "weight", "opened", "next review",
                      "last contact", title=f"{len(rows)} case(s)", right=("weight",))
        for r in rows:
            holder = cell(r["worker"]) + (f" (cover for {r['home_worker']})" if r["home_worker"] else "")
            t.add_row(r["id"], r["client"], r["tier"], r["risk"], r["status"], holder, cell(r["weight"]),
                      cell(r["opened_on"]), cell(r["next_review_on"]), cell(r["last_contact_on"]))
        return t

    emit(format_, output, rows, CASE_COLUMNS, table)


def show(case_id: Annotated[str, typer.Argument(metavar="CASE")]) -> None:
    """One case: its fields, its notes and its whole assignment history."""
    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.load import weight_formula
    from caseload.render import cell, console, literal, new_table
    from caseload.store.cases import get_case, notes_for
    from caseload.store.connection import read_snapshot
    from caseload.store.history import history

    s = session()
    db = s.open()
    with read_snapshot(db):
        case = get_case(db, fields.case_id(case_id, "CASE"))
        notes = notes_for(db, case.id)
        changes = history(db, case_id=case.id)
    out = console()
    out.print(f"[bold]{case.id}[/bold] — {literal(case.client)}")
    details = [
        ("summary", case.summary or "—"), ("status", case.status), ("worker", case.worker or "— (waiting)"),
        ("tier", f"{case.tier} (weight {weight_formula(case.tier, case.status, s.config.load)[1]})"),
        ("risk", case.risk), ("needs", cell(case.needs) or "—"), ("language", case.language or "—"),
        ("area", case.area or "—"), ("requested worker", case.requested_worker or "—"),
        ("opened", cell(case.opened_on)), ("next review", cell(case.next_review_on) or "—"),
        ("last contact", cell(case.last_contact_on) or "—"),
    ]
    if case.home_worker:
        details.append(("under cover", f"home worker {case.home_worker}, until {case.cover_until}"))
    if case.closed_on:
        details.append(("closed", f"{case.closed_on}: {case.close_reason}"))
    for label, value in details:
        out.print(f"  {label}: {value}", markup=False)
    if notes:
        notes_table = new_table("at", "kind", "author", "note", title=f"\nNotes ({len(notes)})")
        for n in notes:
            notes_table.add_row(n["at"], n["kind"], n["author"], n["text"])
        out.print(notes_table)
    else:
        out.print("\nNotes: none yet")
    hist = new_table("at", "kind", "from", "to", "reason", "by", title=f"History ({len(changes)})")
    for h in changes:
        hist.add_row(h["at"], h["kind"], h["previous_worker"] or "—", h["worker"] or "—", h["reason"] or "",
                     h["actor"])
    out.print(hist)


def register(app: typer.Typer) -> None:
    app.command("cases")(cases)
    app.command("show")(show)
