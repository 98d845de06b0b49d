"""Plans for people: `assign`, `handover`, `rebalance` and `return` drawn as tables.

Each plan is one document (its JSON) and its main table's rows (its CSV), shaped in
`render.documents` (imported from here too, where commands look for them); the views
here draw that same document, so the three formats always agree.
"""

from __future__ import annotations

from caseload.render.console import new_table, zone_badge
from caseload.render.documents import rebalance_document, return_rows
from caseload.render.numbers import cell, pct_text


# -- assign -------------------------------------------------------------------

def draw_assign(out, document: dict, explain: bool) -> None:
    if document["placements"]:
        table = new_table("case", "risk", "tier", "weight", "to", "why", title="Plan", right=("weight",))
        for p in document["placements"]:
            table.add_row(p["case"], p["risk"], p["tier"], cell(p["weight"]), p["worker"], p["reason"])
        out.print(table)
    if explain:
        explained = document["placements"] + document["waiting"]
        if len(explained) > 1:  # the reasons are the finished plan's; each table, its case's turn
            out.print("Each table shows the candidates as they stood at that case's turn (high risk, then "
                      "heavier cases, first); each reason gives the loads the finished plan leaves.")
        for p in explained:
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
        if v["protected_until"] is not None and v["qualified"]:  # a new starter's smaller capacity (domain.starters)
            mark += f" (protected caseload to {v['protected_until']})"
        table.add_row(v["worker"], mark, pct_text(v["load_pct_before"]), pct_text(v["load_pct_after"]),
                      zone_badge(v["zone_after"]) if v["zone_after"] is not None else "—")
    return table


# -- handover -----------------------------------------------------------------

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

def draw_suggestions(out, proposal, title: str = "Suggested moves") -> None:
    """A rebalance proposal (`rebalance`, `zone-review --suggest`), drawn from its document."""
    draw_rebalance(out, rebalance_document(proposal, None), title)


def draw_rebalance(out, document: dict, title: str = "Suggested moves") -> None:
    if document["moves"]:
        table = new_table("case", "from", "to", "why", title=title)
        for m in document["moves"]:
            table.add_row(m["case"], m["from"], m["to"], m["reason"])
        out.print(table)
    for u in document["unfixable"]:
        out.print(f"cannot bring {u['worker']} to 100% or below: {u['reason']}")
    if not document["moves"] and not document["unfixable"]:
        out.print("Nobody is above 100%: no moves needed.")


# -- return -------------------------------------------------------------------

def returns_table(moves):
    """The cases `return` brought home (`domain` moves), as a table."""
    return returned_table(return_rows(moves))


def returned_table(found: list[dict]):
    """`return`'s rows (RETURN_COLUMNS) as a table."""
    table = new_table("case", "from", "back to", title=f"Returned {len(found)} case(s)")
    for r in found:
        table.add_row(r["case"], r["from"], r["to"])
    return table


# -- intake --csv --dry-run -----------------------------------------------------

def intake_preview_table(preview: list):
    """(line, draft, where it goes) for each row of a CSV file, as the dry run shows it."""
    table = new_table("line", "id", "tier", "risk", "goes to", title=f"{len(preview)} case(s) would be added")
    for line, draft, goes in preview:
        table.add_row(str(line), draft.id or "new", draft.tier, draft.risk, goes)
    return table
