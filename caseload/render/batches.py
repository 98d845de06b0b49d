"""`undo`'s output (DESIGN §5): the moves that put a batch back, as rows (CSV and the
JSON document's `moves`) and as a table. The keys are named here, beside `render.rows`
(which is full), and nowhere else."""

from __future__ import annotations

from typing import Any

from caseload.render.console import new_table

UNDO_COLUMNS = ("case", "from", "to", "kind", "reason")


def undo_rows(undone) -> list[dict[str, Any]]:
    """Each case going back (`domain.undo.Back`): from its holder now, to its worker before
    the batch (None: the waiting pool)."""
    return [{"case": m.case, "from": m.holder, "to": m.to, "kind": m.kind, "reason": m.reason} for m in undone.moves]


def undo_document(undone, dry_run: bool) -> dict[str, Any]:
    """`undo --format json`: the batch reversed, the undo's own batch number (null on a dry
    run) and the moves back."""
    b = undone.batch
    return {"batch": undone.number, "dry_run": dry_run,
            "undoes": {"batch": b.number, "command": b.command, "actor": b.actor, "at": b.at},
            "moves": undo_rows(undone)}


def undo_table(document: dict):
    """The moves back as a table (the pool shown as "waiting pool")."""
    table = new_table("case", "from", "back to", "recorded as",
                      title=f"Undo of batch {document['undoes']['batch']} ({document['undoes']['command']})")
    for r in document["moves"]:
        table.add_row(r["case"], r["from"] or "", r["to"] or "waiting pool", r["kind"])
    return table
