"""`intake`: register a new case (waiting, or assigned at once with --assign)."""

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
    csv_file: Annotated[Optional[Path], typer.Option(
        "--csv", metavar="FILE", help="Register every row of a CSV file, all or nothing.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With --csv: validate and show; write nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --csv: do not ask (needed without a terminal).")] = False,
) -> None:
    """Register one case (prints its id on stdout), or a whole CSV file with --csv."""
    if csv_file is not None:
        given = [flag for flag, value in (("--client", client), ("--id", case_id), ("--summary", summary),
                                          ("--tier", tier), ("--risk", risk), ("--status", status),
                                          ("--needs", needs), ("--language", language), ("--area", area),
                                          ("--requested", requested), ("--opened", opened)) if value is not None]
        if given or (assign not in (None, "auto")):
            from caseload.domain.errors import BadInput

            raise BadInput(given[0] if given else "--assign", assign or "",
                           "cannot go with --csv (put it in a column; only --assign auto applies to a file)")
        from caseload.commands.intake_csv import intake_csv

        intake_csv(csv_file, dry_run, assign == "auto", yes)
        return
    if dry_run or yes:
        from caseload.domain.errors import BadInput

        raise BadInput("--dry-run" if dry_run else "--yes", "", "goes with --csv")
    from caseload.cli import session
    from caseload.domain.intake import new_case, read_draft
    from caseload.domain.plan import Move
    from caseload.render import message
    from caseload.store.cases import insert_case, next_case_id
    from caseload.store.connection import write_transaction
    from caseload.store.history import Change, record
    from caseload.store.plans import execute

    s = session()
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
    now = s.now()
    with write_transaction(db):
        if draft.requested is not None:
            resolve_worker(db, draft.requested, s.actor, "--requested")
        by_hand = draft.worker not in (None, "auto")
        target = resolve_worker(db, draft.worker, s.actor, "--assign") if by_hand else None
        case = new_case(draft, draft.id or next_case_id(db), s.config.review_days)
        insert_case(db, case, id_field="--id")
        record(db, Change(case.id, None, None, "intake"), s.actor, now)
        if target is not None:
            kind = "self" if draft.worker == "me" else "assign"
            execute(db, [Move(case.id, None, target.id, kind, status=draft.status or "active")], s.actor, now)
            outcome = f"assigned to {target.id}"
        elif draft.worker == "auto":
            outcome = _assign_by_rule(db, s, case, draft.status or "active", now)
        else:
            outcome = "is waiting for allocation"
    sys.stdout.write(case.id + "\n")
    message(f"case {case.id} {outcome}")


def _assign_by_rule(db, s, case, status: str, now: str) -> str:
    """--assign auto: the planner's choice, or the case waits with the reason (exit 0: it is registered)."""
    from caseload.domain.plan import Move
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.plans import execute

    planner = team_planner(db, s.today, s.config)
    placement = planner.choose(requests_for(db, [case], s.config)[0])
    if placement.worker is None:
        return f"is waiting: nobody qualifies ({placement.reason})"
    execute(db, [Move(case.id, None, placement.worker, "auto", placement.reason, status=status)], s.actor, now)
    return f"assigned to {placement.worker}: {placement.reason}"


def resolve_worker(db, given: str, actor: str, field: str):
    """A worker id, or `me` for the acting user, that exists and has not left."""
    from caseload.domain.errors import CaseloadError
    from caseload.store.workers import get_worker

    worker_id = actor if given == "me" else given
    try:
        worker = get_worker(db, worker_id)
    except CaseloadError as error:
        if given == "me":
            raise CaseloadError(f"you act as {actor!r}, who is not a worker: give --as ID or a worker id") from None
        raise CaseloadError(f"{field}: {error}") from None
    if worker.status == "left":
        raise CaseloadError(f"{worker.id} has left and cannot take cases")
    return worker


def register(app: typer.Typer) -> None:
    app.command("intake")(intake)
