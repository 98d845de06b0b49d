"""The forecast for people (DESIGN §10): a worker x week grid of load % and zone badges
(each cell also says its zone in words, so it reads without colour), the team's load and
headroom under it, the weeks' events, and the answer for `--case`.

On a narrow terminal the weeks come in blocks that fit (five at 80 columns, all eight
at 140); without a terminal, one table at full width."""

from __future__ import annotations

import math

from caseload.render.console import ZONE_STYLES, Styled, heading, new_table
from caseload.render.numbers import cell, fmt, week_figure, week_label


def grid_cell(week: dict, width: int = 4) -> Styled:
    """"98% GREEN", "left RED", "—" before a starter's first day: the figure right-aligned in
    `width` places, so in a column the figures and the zones line up."""
    shown = week_figure(week)
    if shown is None:
        return Styled("—".rjust(width), "dim")
    return Styled(f"{shown:>{width}} ").append(week["zone"].upper(), ZONE_STYLES.get(week["zone"], "bold"))


def grid(document: dict, start: int, stop: int, title: str | None):
    """The table of weeks `start` to `stop` (exclusive). In each week's column the figures
    are right-aligned in the widest one's places (four at least), the team's rows too."""
    labels = [week_label(day) for day in document["weeks"][start:stop]]
    table = new_table("worker", *labels, title=title)
    team = document["team"][start:stop]
    team_rows = [[pct(t["load_pct"]) for t in team], [fmt(t["headroom"]) for t in team],
                 [str(t["headroom_cases"]) for t in team]]
    widths = [max([4, *(len(week_figure(w["weeks"][start + i]) or "") for w in document["workers"]),
                   *(len(row[i]) for row in team_rows)]) for i in range(len(labels))]
    for w in document["workers"]:
        table.add_row(w["id"], *(grid_cell(week, width) for week, width in zip(w["weeks"][start:stop], widths)))
    table.add_section()
    for label, row in zip((Styled("team load", "bold"), "headroom", "room, cases"), team_rows):
        table.add_row(label, *(value.rjust(width) for value, width in zip(row, widths)))
    return table


def pct(value) -> str:
    return "n/a" if value is None else f"{math.floor(value)}%"


def blocks(out, document: dict) -> list[tuple[int, int]]:
    """Week ranges whose tables fit the terminal (all weeks at once without one)."""
    total = len(document["weeks"])
    if not out.is_terminal:
        return [(0, total)]
    from rich.measure import Measurement

    from caseload.render.console import rich_table

    found, start = [], 0
    while start < total:
        stop = total
        while stop - start > 1:
            table = rich_table(grid(document, start, stop, None))
            if Measurement.get(out, out.options.update_width(10**6), table).maximum <= out.width:
                break
            stop -= 1
        found.append((start, stop))
        start = stop
    return found


def draw_forecast(out, document: dict, today, default_tier: str, weight, limit=100) -> None:
    """`limit`: the load % headroom counts up to (the config's amber threshold)."""
    weeks = document["weeks"]
    title = (f"Forecast from {cell(weeks[0])}: load and zone each Monday, from what is known today "
             f"({today}); no new cases or closures assumed")
    for index, (start, stop) in enumerate(blocks(out, document)):
        out.print(grid(document, start, stop, title if index == 0 else None))
    out.print(f"Headroom: points below {fmt(limit)}% among the workers who take automatic allocations; room, cases: "
              f"{default_tier} cases ({fmt(weight)} points each) that fit, desk by desk.")
    for index, day in enumerate(weeks):
        happening = [(w["id"], event) for w in document["workers"] for event in w["weeks"][index]["events"]]
        if not happening:
            continue
        out.print(heading(f"Week of {cell(day)}").append(" (from today)" if index == 0 and str(day) != str(today)
                                                         else ""))
        for worker, event in happening:
            out.print(f"  {worker}: {event}")
    fit = document.get("case")
    if fit is not None:
        out.print(case_answer(fit))


def case_answer(fit: dict) -> Styled:
    """The answer to a referrer, in one line."""
    if fit["week"] is None:
        return Styled(f"{fit['id']}: {fit['reason']}")
    return heading(f"{fit['id']}: from the week of {cell(fit['week'])}: {fit['worker']}").append(
        f" ({fit['reason']})")  # the rules' own sentence names the load % after
