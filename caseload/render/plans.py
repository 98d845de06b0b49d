"""Plans for people and scripts: `assign`, `handover`, `rebalance` and `return`.

Each plan is one document (its JSON), its main table's rows (its CSV) and a view
drawn from the same document, so the three formats always agree.
"""

from __future__ import annotations

from caseload.render import rows
from caseload.render.console import new_table, zone_badge
from caseload.render.numbers import cell, pct_text


def _order(requests):
    """The order a batch places cases in (high risk, then heavier): explanations read in sequence."""
    from caseload.domain.model import RISK_ORDER

    def key(case_id: str):
        request = requests[case_id]
        return (RISK_ORDER.get(request.case.risk, 1), -request.weight, case_id)

    return key


# -- assign -------------------------------------------------------------------

def assign_document(plan, on, dry_run: bool) -> dict:
    from caseload.domain.load import load_pct, zone

    zones = plan.planner.rules.zones
    placed = [p for p in plan.placements if p.worker is not None]
    workers = []
    for wid in sorted({p.worker for p in placed}):
        load_b, cap_b = plan.before[wid]
        load_a, cap_a = plan.planner.load_of(wid), plan.planner.capacity_of(wid)
        workers.append({"id": wid, "load_pct_before": load_pct(load_b, cap_b),
                        "load_pct_after": load_pct(load_a, cap_a), "zone_after": zone(load_a, cap_a, zones)})

    def entry(p) -> dict:
        return rows.placement_row(p, plan.requests[p.case]) | {
            "candidates": [rows.candidate_row(v) for v in p.candidates]}

    order = _order(plan.requests)
    return {
        "date": on,
        "dry_run": dry_run,
        "placements": [entry(p) for p in sorted(placed, key=lambda p: order(p.case))],
        "waiting": [entry(p) for p in sorted(plan.left_waiting, key=lambda p: order(p.case))],
        "workers": workers,
        "warnings": plan.warnings,
    }


def assign_rows(document: dict) -> list[dict]:
    """The CSV of a plan: every case, placed or left waiting (worker empty), with the reason."""
    return document["placements"] + document["waiting"]


def draw_assign(out, document: dict, explain: bool) -> None:
    if document["placements"]:
        table = new_table("case", "risk", "tier", "weight", "to", "why", title="Plan", right=("weight",))
        for p in document["placements"]:
            table.add_row(p["case"], p["risk"], p["tier"], cell(p["weight"]), p["worker"], p["reason"])
        out.print(table)
    if explain:
        for p in document["placements"] + document["waiting"]:
            out.print(_explain_table(p))
    if document["workers"]:
        table = new_table("worker", "load % before", "load % after", "zone after", title="Workers receiving cases",
                          right=("load % before", "load % after"))
        for w in document["workers"]:
            table.add_row(w["id"], pct_text(w["load_pct_before"]), pct_text(w["load_pct_after"]),
                          zone_badge(w["zone_after"]))
        out.print(table)
    if document["waiting"]:
        table = new_table("case", "why it stays waiting", title="Left waiting")
        for w in document["waiting"]:
            table.add_row(w["case"], w["reason"])
        out.print(table)


def _explain_table(placement: dict):
    table = new_table("worker", "qualifies", "load % now", "load % after", "zone after",
                      title=f"{placement['case']} -> {placement['worker'] or 'stays waiting'}: {placement['reason']}",
                      right=("load % now", "load % after"))
    for v in placement["candidates"]:
        mark = "chosen" if v["worker"] == placement["worker"] else ("yes" if v["qualified"] else f"no: {v['failed_rule']}")
        table.add_row(v["worker"], mark, pct_text(v["load_pct_before"]), pct_text(v["load_pct_after"]),
                      zone_badge(v["zone_after"]))
    return table


# -- handover -----------------------------------------------------------------

def next_step(case_id: str) -> str:
    return f"caseload reassign {case_id} --to W --reason TEXT (by hand), or change its needs with `update`"


def handover_document(plan) -> dict:
    from caseload.domain.load import load_pct, zone

    moves = []
    for move in plan.moves:
        case = plan.requests[move.case].case
        load, capacity = plan.planner.load_of(move.to), plan.planner.capacity_of(move.to)
        moves.append(rows.move_row(move, case, load_pct(load, capacity), zone(load, capacity, plan.planner.rules.zones)))
    order = _order(plan.requests)
    moves.sort(key=lambda r: order(r["case"]))
    return {
        "worker": plan.source, "moves": moves, "warnings": plan.warnings,
        "stuck": [{"case": p.case, "reason": p.reason, "next": next_step(p.case)} for p in plan.stuck],
    }


def draw_handover(out, document: dict) -> None:
    source = document["worker"]
    if document["moves"]:
        table = new_table("case", "risk", "tier", "from", "to", "load % after", "zone after",
                          title=f"Handover of {source}: {len(document['moves'])} case(s)", right=("load % after",))
        for r in document["moves"]:
            table.add_row(r["case"], r["risk"], r["tier"], r["from"], r["to"], pct_text(r["load_pct_after"]),
                          zone_badge(r["zone_after"]))
        out.print(table)
    if document["stuck"]:
        table = new_table("case", "why it stays", "next step", title="Staying with " + source)
        for p in document["stuck"]:
            table.add_row(p["case"], p["reason"], p["next"])
        out.print(table)


# -- rebalance ----------------------------------------------------------------

def rebalance_document(proposal, on) -> dict:
    return {"date": on, "moves": [rows.suggestion_row(m) for m in proposal.moves],
            "lower_bound": proposal.lower_bound,
            "unfixable": [{"worker": u.worker, "reason": u.reason} for u in proposal.unfixable]}


def draw_suggestions(out, proposal, title: str = "Suggested moves") -> None:
    if proposal.moves:
        table = new_table("case", "from", "to", "why", title=title)
        for m in proposal.moves:
            table.add_row(m.case, m.source, m.target, m.reason)
        out.print(table)
    for u in proposal.unfixable:
        out.print(f"cannot bring {u.worker} to 100% or below: {u.reason}")
    if not proposal.moves and not proposal.unfixable:
        out.print("Nobody is above 100%: no moves needed.")


# -- return -------------------------------------------------------------------

def returns_table(moves):
    table = new_table("case", "from", "back to", title=f"Returned {len(moves)} case(s)")
    for m in moves:
        table.add_row(m.case, m.previous, m.to)
    return table


# -- intake --csv --dry-run -----------------------------------------------------

def intake_preview_table(preview: list):
    """(line, draft, where it goes) for each row of a CSV file, as the dry run shows it."""
    table = new_table("line", "id", "tier", "risk", "goes to", title=f"{len(preview)} case(s) would be added")
    for line, draft, goes in preview:
        table.add_row(str(line), draft.id or "new", draft.tier, draft.risk, goes)
    return table
