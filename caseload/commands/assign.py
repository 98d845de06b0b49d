"""`assign`: give waiting cases to workers, by hand (`--to`) or by rule (`--auto`), explained.

By hand the team lead's judgement stands: a worker who has left is refused, but a
worker who does not qualify, or who will go amber or red, only draws a warning
naming the rule. By rule, the planner of `caseload.domain.allocate` decides and
every decision can be shown with `--explain`; `--dry-run` shows the plan and
writes nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

PlanFormat = Literal["table", "json"]


def assign(
    case_ids: Annotated[Optional[list[str]], typer.Argument(metavar="CASE...", help="Waiting cases to assign.")] = None,
    to: Annotated[Optional[str], typer.Option("--to", metavar="W|me", help="Give the cases to W (or yourself).")] = None,
    auto: Annotated[bool, typer.Option("--auto", help="Choose by the allocation rules.")] = False,
    waiting: Annotated[bool, typer.Option("--waiting", help="Every waiting case (with --auto).")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show every candidate and why the chosen one won.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; write nothing.")] = False,
    format_: Annotated[PlanFormat, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Allocate waiting cases: `--to W|me` by hand, or `--auto` by the rules (`--waiting` for the whole pool).

    Exit 1 when a case named on the command line stays waiting because nobody qualifies
    (the others are assigned); with --waiting, cases left in the pool are normal (exit 0)."""
    from caseload.cli import session
    from caseload.domain import fields
    from caseload.domain.errors import BadInput

    if (to is None) == (not auto):
        raise BadInput("--to/--auto", to or "", "give exactly one: --to W|me (by hand) or --auto (by rule)")
    if waiting and not auto:
        raise BadInput("--waiting", "", "goes with --auto (the whole waiting pool, by rule)")
    if waiting and case_ids:
        raise BadInput("CASE", case_ids[0], "cannot be given with --waiting")
    if not waiting and not case_ids:
        raise BadInput("CASE", "", "is missing: name the cases, or use --waiting --auto")
    from caseload.store.connection import transaction

    ids = [fields.case_id(c, "CASE") for c in case_ids or []]
    s = session()
    db = s.open()
    with transaction(db, write=not dry_run):
        plan = plan_by_hand(db, s, ids, to) if to is not None else plan_by_rule(db, s, ids, waiting, explain)
        if not dry_run:
            _execute(db, s, plan)
    show_plan(plan, s.today, explain, format_, dry_run)
    if ids and any(p.worker is None for p in plan.placements):
        raise typer.Exit(1)  # a named case could not be given out: the placed ones are, the rest are listed


class Plan:
    """What `assign` will do: placements (with reasons), warnings and loads before/after."""

    def __init__(self, kind: str, placements, planner, requests, before: dict, warnings=()):
        self.kind = kind
        self.placements = placements
        self.planner = planner
        self.requests = {r.case.id: r for r in requests}
        self.before = before  # each worker's (load, capacity) in points, before the plan
        self.warnings = list(warnings)


def _waiting_cases(db, ids: list[str]):
    from caseload.domain.errors import CaseloadError
    from caseload.store.cases import get_case

    cases = []
    for case_id in ids:
        case = get_case(db, case_id)
        if case.status == "closed":
            raise CaseloadError(f"{case.id} is closed")
        if case.worker is not None:
            raise CaseloadError(
                f"{case.id} is already held by {case.worker}: use "
                f"`caseload reassign {case.id} --to W --reason TEXT` to move it"
            )
        cases.append(case)
    return cases


def plan_by_rule(db, s, ids: list[str], waiting: bool, explain: bool) -> Plan:
    from caseload.store.allocation import requests_for, team_planner
    from caseload.store.cases import CaseFilter, find_cases

    cases = list(find_cases(db, CaseFilter(statuses=("waiting",)), "opened")) if waiting else _waiting_cases(db, ids)
    planner = team_planner(db, s.today, s.config, explain)
    requests = requests_for(db, cases, s.config)
    before = planner.loads()
    placements = planner.plan_batch(requests)
    return Plan("auto", placements, planner, requests, before)


def plan_by_hand(db, s, ids: list[str], to: str) -> Plan:
    from caseload.commands.intake import resolve_worker
    from caseload.domain.allocate import Placement
    from caseload.store.allocation import requests_for, team_planner

    worker = resolve_worker(db, to, s.actor, "--to")
    cases = _waiting_cases(db, ids)
    planner = team_planner(db, s.today, s.config)
    requests = requests_for(db, cases, s.config)
    before = planner.loads()
    warnings = take_by_hand(planner, worker.id, requests)
    placements = [Placement(r.case.id, worker.id, None, "assigned by hand") for r in requests]
    return Plan("self" if to == "me" else "assign", placements, planner, requests, before, warnings)


def take_by_hand(planner, worker_id: str, requests) -> list[str]:
    """Put these cases on `worker_id` in the planner, and the warnings a lead should read:
    each case the worker does not qualify for (naming the rule), and the zone if it ends
    above 100 %. By hand, the lead's judgement stands: nothing here refuses."""
    from caseload.domain.load import zone

    desk = planner.desks[worker_id]
    warnings = []
    for request in requests:
        failed = planner.failed_rule(desk, request.case)
        if failed is not None:
            warnings.append(f"{worker_id} does not qualify for {request.case.id}: {worker_id} {failed}")
        desk.load += planner.weight_units(request.weight)
        desk.cases += 1
    if not planner.stays_safe(desk, 0):
        z = zone(planner.load_of(worker_id), planner.capacity_of(worker_id), planner.rules.zones)
        warnings.append(f"{worker_id} goes to {planner.pct_text(desk, 0)} ({z.upper()}) with this")
    return warnings


def _execute(db, s, plan: Plan) -> None:
    from caseload.domain.plan import Move
    from caseload.store.plans import execute

    moves = [
        Move(p.case, None, p.worker, plan.kind, p.reason)
        for p in plan.placements if p.worker is not None
    ]
    execute(db, moves, s.actor, s.now())


def plan_document(plan: Plan, on, dry_run: bool) -> dict:
    from caseload.domain.allocate import RISK_ORDER
    from caseload.domain.load import load_pct, zone

    zones = plan.planner.rules.zones
    placed = [p for p in plan.placements if p.worker is not None]
    receivers = sorted({p.worker for p in placed})

    workers = []
    for wid in receivers:
        load_b, cap_b = plan.before[wid]
        load_a, cap_a = plan.planner.load_of(wid), plan.planner.capacity_of(wid)
        workers.append({
            "id": wid, "load_pct_before": load_pct(load_b, cap_b), "load_pct_after": load_pct(load_a, cap_a),
            "zone_after": zone(load_a, cap_a, zones),
        })
    def entry(p) -> dict:
        request = plan.requests[p.case]
        return {
            "case": p.case, "risk": request.case.risk, "tier": request.case.tier, "weight": request.weight,
            "worker": p.worker, "reason": p.reason,
            "candidates": [
                {"worker": v.worker, "qualified": v.qualified, "failed_rule": v.failed_rule,
                 "load_pct_before": v.pct_before, "load_pct_after": v.pct_after, "zone_after": v.zone_after}
                for v in p.candidates
            ],
        }

    def placing_order(p) -> tuple:  # the order the planner placed them in: explanations read in sequence
        request = plan.requests[p.case]
        return (RISK_ORDER.get(request.case.risk, 1), -request.weight, p.case)

    return {
        "date": on,
        "dry_run": dry_run,
        "placements": [entry(p) for p in sorted(placed, key=placing_order)],
        "waiting": [entry(p) for p in sorted((p for p in plan.placements if p.worker is None), key=placing_order)],
        "workers": workers,
        "warnings": plan.warnings,
    }


def show_plan(plan: Plan, on, explain: bool, format_: str, dry_run: bool) -> None:
    from caseload.render import json_text, message, warning, write_text

    for text in plan.warnings:
        warning(text)
    document = plan_document(plan, on, dry_run)
    if format_ == "json":
        write_text(json_text(document), None)
    else:
        _plan_tables(document, explain)
    placed, waiting = len(document["placements"]), len(document["waiting"])
    verb = "would assign" if dry_run else "assigned"
    message(f"{verb} {placed} case(s)" + (f"; {waiting} left waiting" if waiting else "")
            + ("; dry run: nothing was written" if dry_run else ""))


def _plan_tables(document: dict, explain: bool) -> None:
    from caseload.render import cell, console, new_table, pct_text, zone_badge

    out = console()
    if document["placements"]:
        table = new_table("case", "risk", "tier", "weight", "to", "why", title="Plan", right=("weight",))
        for p in document["placements"]:
            table.add_row(p["case"], p["risk"], p["tier"], cell(p["weight"]), p["worker"], p["reason"])
        out.print(table)
    if explain:
        for p in document["placements"] + document["waiting"]:
            _explain_table(out, p)
    if document["workers"]:
        table = new_table("worker", "load % before", "load % after", "zone after", title="Workers receiving cases",
                          right=("load % before", "load % after"))
        for w in document["workers"]:
            table.add_row(w["id"], pct_text(w["load_pct_before"]), pct_text(w["load_pct_after"]),
                          zone_badge(w["zone_after"]))
        out.print(table)
    if document["waiting"]:
        table = new_table("case", "why it stays waiting", title="Left waiting (nobody qualifies)")
        for w in document["waiting"]:
            table.add_row(w["case"], w["reason"])
        out.print(table)


def _explain_table(out, placement: dict) -> None:
    from caseload.render import new_table, pct_text, zone_badge

    table = new_table("worker", "qualifies", "load % now", "load % after", "zone after",
                      title=f"{placement['case']} -> {placement['worker'] or 'stays waiting'}: {placement['reason']}",
                      right=("load % now", "load % after"))
    for v in placement["candidates"]:
        mark = "chosen" if v["worker"] == placement["worker"] else ("yes" if v["qualified"] else f"no: {v['failed_rule']}")
        table.add_row(v["worker"], mark, pct_text(v["load_pct_before"]), pct_text(v["load_pct_after"]),
                      zone_badge(v["zone_after"]))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("assign")(assign)
