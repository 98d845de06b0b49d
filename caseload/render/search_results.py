"""What `find` prints (DESIGN §5): the found cases' row shape (its JSON keys and CSV
columns, defined here once, as `render.rows` does for the other listings) and their table."""

from __future__ import annotations

from typing import Any

from caseload.render.console import fitted_table
from caseload.render.numbers import cell

FOUND_COLUMNS = ("id", "client", "status", "risk", "worker", "home_worker", "matched")


def found_row(found: dict) -> dict[str, Any]:
    """A found case (`app.cases.find`): `matched` lists where its words were found
    (client, summary, notes)."""
    return {"id": found["id"], "client": found["client"], "status": found["status"], "risk": found["risk"],
            "worker": found["worker"], "home_worker": found["home_worker"], "matched": found["matched"]}


def draw_found(out, found: list[dict]) -> None:
    """The found cases; on a narrow terminal the risk and the status give way first."""
    rows = [{"id": r["id"], "client": r["client"], "status": r["status"], "risk": r["risk"],
             "worker": cell(r["worker"]) + (f" (cover for {r['home_worker']})" if r["home_worker"] else ""),
             "found in": ", ".join(r["matched"])} for r in found]
    title = f"{len(found)} case(s) found" if found else "no case found"
    out.print(fitted_table(out, ("id", "client", "status", "risk", "worker", "found in"), rows, ("risk", "status"),
                           title=title))
