"""`handover`, `return` and `reassign`: moving responsibility without losing anything.

Every move writes one history row; notes and history stay with the case. A
handover shows its whole plan first (high-risk cases first), asks on a terminal
(or needs --yes without one) and runs in one transaction. `--temporary` makes it
cover: each moved case remembers its home worker and the cover's end date, and
`return` gives it back. A case under cover counts on the covering worker's load.
A reassignment is permanent: it ends any cover on the case.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from caseload.commands import parse_day


def handover(
    worker_id: Annotated[str, typer.Argument(metavar="W", help="Whose caseload moves.")],
    to: Annotated[Optional[str], typer.Option("--to", metavar="W2", help="Give every case to W2.")] = None,
    auto: Annotated[bool, typer.Option("--auto", help="Spread the cases by the allocation rules.")] = False,
    temporary: Annotated[bool, typer.Option("--temporary", help="Cover: the cases come back with `return`.")] = False,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="End of the cover.")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Recorded in history.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; write nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed without a terminal).")] = False,
    format_: Annotated[Literal["table", "json"], typer.Option("--format", "-f")] = "table",
) -> None:
    """Move a whole caseload: to one worker, or spread by the rules; permanent or temporary cover."""
    from caseload.cli import session
    from caseload.commands.confirm import confirm_or_refuse
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render import json_text, message, write_text
    from caseload.store.connection import transaction

    wid = fields.worker_id(worker_id, "W")
    if (to is None) == (not auto):
        raise BadInput("--to/--auto", to or "", "give exactly one: --to W2 or --auto")
    if temporary != (until is not None):
        raise BadInput("--until" if temporary else "--temporary", until or "",
                       "--temporary and --until go together (a cover has an end date)")
    s = session()
    end = parse_day(until, "--until") if until else None
    if end is not None and end < s.today:
        raise BadInput("--until", until, "is in the past")
    why = fields.text(reason, "--reason") if reason else None
    db = s.open()
    with transaction(db, write=not dry_run):
        plan = handover_plan(db, s, wid, fields.worker_id(to, "--to") if to else None, end, why)
        document = plan.document()
        if format_ == "json":
            write_text(json_text(document), None)
        else:
            plan.print()
        if not plan.moves:
            message(f"{wid} holds no case that can move" if not plan.stuck else "nothing can move")
            return
        if dry_run:
            message(f"would move {len(plan.moves)} case(s); dry run: nothing was written")
            return
        confirm_or_refuse(f"Move these {len(plan.moves)} case(s)?", yes)
        execute_with_progress(db, s, plan.moves, "handing over")
    kind = "covered" if temporary else "handed over"
    message(f"{kind} {len(plan.moves)} case(s) from {wid}" + (f" until {end}" if end else ""))
    if plan.stuck:
        message(f"{len(plan.stuck)} case(s) stay with {wid}: see the list above for the next step")


class HandoverPlan:
    """The moves of a handover with what the lead sees: receivers' load after and the zone."""

    def __init__(self, source, requests, placements, planner, moves, warnings):
        self.source = source
        self.requests = {r.case.id: r for r in requests}
        self.placements = placements
        self.planner = planner
        self.moves = moves
        self.warnings = warnings
        self.stuck = [p for p in placements if p.worker is None]

    def rows(self) -> list[dict]:
        from caseload.domain.allocate import RISK_ORDER
        from caseload.domain.load import load_pct, zone

        rows = []
        for move in self.moves:
            case = self.requests[move.case].case
            load, capacity = self.planner.load_of(move.to), self.planner.capacity_of(move.to)
            rows.append({
                "case": case.id, "risk": case.risk, "tier": case.tier, "from": move.previous, "to": move.to,
                "load_pct_after": load_pct(load, capacity), "zone_after": zone(load, capacity, self.planner.rules.zones),
                "reason": move.reason,
            })
        return sorted(rows, key=lambda r: (RISK_ORDER[r["risk"]], -self.requests[r["case"]].weight, r["case"]))

    def document(self) -> dict:
        return {
            "worker": self.source, "moves": self.rows(), "warnings": self.warnings,
            "stuck": [{"case": p.case, "reason": p.reason, "next": self.next_step(p.case)} for p in self.stuck],
        }

    def next_step(self, case_id: str) -> str:
        return f"caseload reassign {case_id} --to W --reason TEXT (by hand), or change its needs with `update`"

    def print(self) -> None:
        from caseload.render import console, new_table, pct_text, warning, zone_badge

        for text in self.warnings:
            warning(text)
        out = console()
        if self.moves:
            table = new_table("case", "risk", "tier", "from", "to", "load % after", "zone after",
                              title=f"Handover of {self.source}: {len(self.moves)} case(s)", right=("load % after",))
            for r in self.rows():
                table.add_row(r["case"], r["risk"], r["tier"], r["from"], r["to"], pct_text(r["load_pct_after"]),
                              zone_badge(r["zone_after"]))
            out.print(table)
        if self.stuck:
            table = new_table("case", "why nobody can take it", "next step", title="Staying with " + self.source)
            for p in self.stuck:
                table.add_row(p.case, p.reason, self.next_step(p.case))
            out.print(table)


def handover_plan(db, s, source_id: str, target_id: str | None, until, reason: str | None) -> HandoverPlan:
    from caseload.commands.assign import take_by_hand
    from caseload.commands.intake import resolve_worker
    from caseload.domain.allocate import Placement
    from caseload.domain.errors import CaseloadError
    from caseload.domain.model import OPEN_STATUSES
    from caseload.domain.plan import Move
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.cases import CaseFilter, find_cases
    from caseload.store.workers import get_worker

    get_worker(db, source_id)
    cases = list(find_cases(db, CaseFilter(worker=source_id, statuses=OPEN_STATUSES), "risk"))
    planner = team_planner(db, s.today, s.config)
    requests = requests_for(db, cases, s.config)
    warnings: list[str] = []
    if target_id is not None:
        target = resolve_worker(db, target_id, s.actor, "--to")
        if target.id == source_id:
            raise CaseloadError("a handover needs another worker to receive the cases")
        warnings = take_by_hand(planner, target.id, requests)
        placements = [Placement(r.case.id, target.id, source_id, "handed over by hand") for r in requests]
    else:
        placements = planner.plan_batch(requests, exclude={source_id})
    by_id = {r.case.id: r.case for r in requests}
    moves = []
    for p in placements:
        if p.worker is None:
            continue
        case = by_id[p.case]
        if until is not None:  # cover: the case remembers where it belongs (an existing cover keeps its own)
            home, end = case.home_worker or source_id, case.cover_until or until
            why = reason or f"cover for {source_id} until {until}"
            kind = "cover"
        else:
            home, end = case.home_worker, case.cover_until
            why = reason or f"handover from {source_id}"
            kind = "handover"
        moves.append(Move(case.id, source_id, p.worker, kind, why, home_worker=home, cover_until=end))
    return HandoverPlan(source_id, requests, placements, planner, moves, warnings)


def execute_with_progress(db, s, moves, label: str) -> None:
    """Execute moves inside the caller's transaction, with a progress bar on a terminal for big ones."""
    from caseload.render import progress
    from caseload.store.plans import execute

    with progress(len(moves), label) as advance:
        execute(db, moves, s.actor, s.now(), on_move=advance)


def return_(
    worker_id: Annotated[Optional[str], typer.Argument(metavar="[W]", help="The home worker coming back.")] = None,
    due: Annotated[bool, typer.Option("--due", help="Every cover past its end whose home worker is back.")] = False,
) -> None:
    """End temporary cover: covered cases go back to their home worker."""
    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.errors import BadInput, CaseloadError
    from caseload.domain.plan import Move
    from caseload.render import console, message, new_table, warning
    from caseload.store.cases import covered_cases
    from caseload.store.connection import write_transaction
    from caseload.store.workers import absences_on, get_worker, list_workers

    if (worker_id is None) == (not due):
        raise BadInput("W/--due", worker_id or "", "give a home worker, or --due")
    s = session()
    db = s.open()
    with write_transaction(db):
        away = absences_on(db, s.today)
        if worker_id is not None:
            home = get_worker(db, fields.worker_id(worker_id, "W"))
            if home.status == "left":
                raise CaseloadError(f"{home.id} has left: hand their covered cases over permanently instead")
            if home.id in away:
                warning(f"{home.id} is absent until {away[home.id].ends_on}; returning their cases anyway")
            cases = covered_cases(db, home=home.id)
        else:
            back = {w.id for w in list_workers(db) if w.status != "left" and w.id not in away}
            cases = [c for c in covered_cases(db, ended_before=s.today) if c.home_worker in back]
        moves = [Move(c.id, c.worker, c.home_worker, "return", f"cover by {c.worker} ended") for c in cases]
        execute_with_progress(db, s, moves, "returning")
    if moves:
        table = new_table("case", "from", "back to", title=f"Returned {len(moves)} case(s)")
        for m in moves:
            table.add_row(m.case, m.previous, m.to)
        console().print(table)
    message(f"returned {len(moves)} case(s)" if moves else "no covered case to return")


def reassign(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    to: Annotated[str, typer.Option("--to", metavar="W", help="The new responsible worker.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in history).")],
) -> None:
    """Change who is responsible for a held case (permanent; it ends any cover)."""
    from caseload.cli import session
    from caseload.commands.assign import take_by_hand
    from caseload.commands.intake import resolve_worker
    from caseload.domain import fields
    from caseload.domain.errors import CaseloadError
    from caseload.domain.plan import Move
    from caseload.render import message, warning
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.cases import get_case
    from caseload.store.connection import write_transaction
    from caseload.store.plans import execute

    cid = fields.case_id(case_id, "CASE")
    why = fields.text(reason, "--reason", required=True)
    s = session()
    db = s.open()
    with write_transaction(db):
        case = get_case(db, cid)
        if case.status == "closed":
            raise CaseloadError(f"{cid} is closed")
        if case.worker is None:
            raise CaseloadError(f"{cid} is waiting: give it out with `caseload assign {cid} --to W`")
        target = resolve_worker(db, fields.worker_id(to, "--to") if to != "me" else "me", s.actor, "--to")
        if target.id == case.worker:
            raise CaseloadError(f"{cid} is already with {target.id}")
        planner = team_planner(db, s.today, s.config)
        warnings = take_by_hand(planner, target.id, requests_for(db, [case], s.config))
        execute(db, [Move(cid, case.worker, target.id, "reassign", why)], s.actor, s.now())
    for text in warnings:
        warning(text)
    message(f"{cid} moved from {case.worker} to {target.id}")


def register(app: typer.Typer) -> None:
    app.command("handover")(handover)
    app.command("return")(return_)
    app.command("reassign")(reassign)
