"""Tables of what the meeting week added (issue 22): absences with their ids."""

from __future__ import annotations

from caseload.render.console import new_table
from caseload.render.numbers import cell


def absences_table(found: list[dict], title: str):
    """`worker absences`: each absence with the id `worker absent ID --change N` takes."""
    table = new_table("id", "worker", "from", "until", "reason", "cover", "state", title=title, right=("id",))
    for a in found:
        table.add_row(str(a["id"]), a["worker"], cell(a["starts_on"]), cell(a["ends_on"]), a["reason"],
                      cell(a["cover"]), a["state"])
    return table
