"""The report as one self-contained HTML page (inline CSS and SVG: no network, no external
assets, safe to email), from the document of `render.report`; every text that came from
the database is escaped.

Printed (`@media print`, on A4), each part starts a page, table rows are never cut and
table headers repeat; zone colours print, and every zone also reads in words or letters
(badges, the Runway's R/A/G/B), so a black-and-white copy says the same.

On a phone (390 px) the page never scrolls sideways: each table scrolls inside its own
box (`.scroll`), the charts scale with their viewBox, the tiles wrap. A cell of one word
(an id, a date, a number) never breaks across lines, on screen or on paper ("C-0143"
stays whole). Dates carry their year (the Runway's weeks, the charts' axes).
"""

from __future__ import annotations

import html
import re
from datetime import date
from fractions import Fraction
from typing import Any, Iterable, Iterator

from caseload.render.numbers import cell, pct_text, week_label
from caseload.render.report import (
    HIDDEN_CHARACTERS, ZONE_LETTERS, _frac, _headline, _worker_cells, alerts, attention, runway_cell, runway_events,
)
from caseload.render.weights import report_lines

_HIDDEN = re.compile(f"[{HIDDEN_CHARACTERS}]")  # shown as � (render.report)


def _escape(text: str) -> str:
    """Data as literal HTML text (`html.escape`), with hidden characters shown as �."""
    return html.escape(_HIDDEN.sub("\ufffd", text))


ZONE_COLOURS = {"blue": "#1f5fbf", "green": "#2a7d36", "amber": "#e08a00", "red": "#c62828"}
# the text on a zone's colour: at least 4.5:1 against it, so a badge or a Runway cell reads on
# screen and printed in grey (white on amber was 2.7:1: AMBER all but vanished on paper)
ZONE_TEXT = {"blue": "#fff", "green": "#fff", "amber": "#111", "red": "#fff"}


def _zone_style(zone: str) -> str:
    return f"background:{ZONE_COLOURS[zone]};color:{ZONE_TEXT[zone]}"


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem;overflow-wrap:break-word}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}.nb{white-space:nowrap}
svg{max-width:100%;height:auto}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
.muted{color:#666}.alert{background:#fdecea;border-left:4px solid #c62828;padding:.5rem .8rem;margin:.3rem 0}
.change{background:#f4f6f8;border-left:4px solid #888;padding:.4rem .8rem;margin:.3rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{padding:.35rem .5rem;text-align:left;
border-bottom:1px solid #eee}th{background:#f7f7f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;min-width:4.2em;text-align:center;border-radius:3px;font-weight:700;
font-size:.8rem;padding:.1rem .3rem}.bar{position:relative;width:160px;height:12px;background:#eee;
border-radius:2px}.bar span{position:absolute;left:0;top:0;bottom:0;border-radius:2px}
.bar i{position:absolute;left:83.3%;top:-2px;bottom:-2px;border-left:2px solid #333}
.summary{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}.tile{border:1px solid #ddd;border-radius:6px;
padding:.6rem 1rem;min-width:8rem}.tile b{display:block;font-size:1.4rem}
table.runway{width:auto}.runway th,.runway td{padding:.25rem .45rem;text-align:center;white-space:nowrap;
border:1px solid #fff}.runway th:first-child,.runway td:first-child{text-align:left}
.runway td.z{font-weight:700;font-size:.82rem;font-variant-numeric:tabular-nums}
.runway td.none{color:#888;background:#f4f4f4}.runway tr.team td{border-top:2px solid #999;background:#fafafa}
.legend span{display:inline-block;padding:.05rem .4rem;margin-right:.4rem;border-radius:3px;font-size:.8rem;
font-weight:700}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:.6rem 1rem}
.multiples figure{margin:0}.multiples figcaption{font-size:.85rem;display:flex;justify-content:space-between}
footer{margin-top:2rem;font-size:.8rem;color:#888}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@media (max-width:600px){
body{margin:1rem auto;padding:0 .7rem}h1{font-size:1.3rem}
.summary{gap:.5rem}.tile{min-width:0;flex:1 1 7rem;padding:.4rem .6rem}.tile b{font-size:1.15rem}
table{font-size:.85rem}th,td{padding:.3rem .35rem}.bar{width:90px}
.multiples{grid-template-columns:1fr 1fr}
}
@page{size:A4;margin:12mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10pt}.scroll{overflow:visible}
section{break-before:page}section.first{break-before:auto}
h2,h3{break-after:avoid}tr,td,th,.tile,figure,.alert,.change{break-inside:avoid}
thead{display:table-header-group}table{font-size:9pt}
.multiples{grid-template-columns:repeat(3,1fr)}.bar{width:120px}
}
"""


def _e(value: Any) -> str:
    return _escape(cell(value))


def _badge(zone: str) -> str:
    return f'<span class="badge" style="{_zone_style(zone)}">{zone.upper()}</span>'


def _bar(pct: Fraction | None, zone: str) -> str:
    # the bar's width is 120 %; the tick at 83.3 % of it marks 100 % (in %, so a narrower printed bar scales)
    width = 100 if pct is None else min(100, int(pct * 100 / 120))
    return (f'<div class="bar"><span style="width:{width}%;background:{ZONE_COLOURS[zone]}"></span>'
            f'<i title="100%"></i></div>')


def _table(headers: list[str], rows: Iterable[str], css: str = "") -> str:
    """A table whose header repeats on every printed page (thead) and whose rows are never cut,
    in a box of its own that scrolls sideways when the screen is narrower (a phone)."""
    return "".join(_table_chunks(headers, rows, css))


def _table_chunks(headers: list[str], rows: Iterable[str], css: str = "") -> Iterator[str]:
    """`_table` in pieces, its rows made as they are written."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    yield f'<div class="scroll"><table{f" class={chr(34)}{css}{chr(34)}" if css else ""}><thead><tr>{head}</tr>' \
        "</thead><tbody>"
    yield from rows
    yield "</tbody></table></div>"


def _td(text: str) -> str:
    """A cell; one word (an id such as C-0143, a date, a number) never breaks across lines."""
    return f'<td class="nb">{_escape(text)}</td>' if text and " " not in text.strip() else f"<td>{_escape(text)}</td>"


def html_page(document: dict) -> str:
    """The report as one page (`html_chunks` joined)."""
    return "".join(html_chunks(document))


def html_chunks(document: dict) -> Iterator[str]:
    """The report as one page, in pieces written as they are made (a team of 5,000 makes a
    page of 12 MB: held whole, with its parts, it cost 60 MB more); each part is a <section>,
    and printed, each starts a page."""
    team = document["zones"]["team"]
    t = document["throughput"]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Caseload report {_e(document['date'])}</title><style>{CSS}</style></head><body>",
        '<section class="first">',
        f"<h1>Caseload report {_e(document['date'])}</h1>",
        f'<p class="muted">{_e(_headline(document)[1])}</p>',
        '<div class="summary">',
        f'<div class="tile">Team load<b>{_e(pct_text(_frac(team["load_pct"])))}</b>{_badge(team["zone"])}</div>',
    ]
    for zone_name, count in document["zones"]["counts"].items():
        parts.append(f'<div class="tile">{zone_name.title()}<b>{count}</b>workers</div>')
    parts.append(f'<div class="tile">Waiting<b>{team["waiting"]}</b>'
                 + (f'oldest {team["oldest_waiting_days"]} days' if team["oldest_waiting_days"] is not None else "")
                 + "</div>")
    parts.append(f'<div class="tile">Since {_e(document["since"])}<b>{t["intakes"]}</b>new · '
                 f'{t["allocations"]} allocated · {t["closures"]} closed · {t["moves"]} moved</div></div>')
    for line in alerts(document):
        css = "alert" if ("red" in line or "EXCESSIVE" in line or "first-contact" in line) else "change"
        parts.append(f'<div class="{css}">{_escape(line)}</div>')
    yield "\n".join(parts) + "\n"  # every part is followed by a line break
    yield "<h2>Zones</h2>"
    yield from _table_chunks(["worker", "cases", "high risk", "load", "capacity", "load %", "", "zone", "last review",
                              "notes"], map(_worker_row, document["zones"]["workers"]))
    yield "\n</section>\n"
    if document.get("runway"):
        yield "<section><h2>Runway</h2>"
        yield from runway_chunks(document["runway"])
        yield "</section>\n"
    now = {w["id"]: (w["load_pct"], w["zone"]) for w in document["zones"]["workers"]}
    yield "<section><h2>Load over the recorded reviews</h2>"
    yield from trend_chunks(document["trend"], now, document["zones"].get("bounds"))
    yield "</section>\n<section>\n"
    for title, headers, rows, total in attention(document):
        yield f"<h2>{_escape(title)}</h2>\n"
        if not total:
            yield '<p class="muted">None.</p>\n'
            continue
        yield from _table_chunks([_escape(h) for h in headers], ("<tr>" + "".join(map(_td, row)) + "</tr>" for row in rows))
        yield "\n"
        if total > len(rows):
            yield f'<p class="muted">… and {total - len(rows)} more</p>\n'
    yield "</section>\n"
    weights = report_lines(document.get("weights"))  # DESIGN §12: only what the evidence says
    if weights:
        yield ("<section><h2>Weights</h2><ul>" + "".join(f"<li>{_escape(line)}</li>" for line in weights)
               + "</ul></section>\n")
    yield (f"<footer>caseload · personal data: keep this report safe · generated {_e(document['date'])}"
           "</footer></body></html>\n")


def _worker_row(w: dict) -> str:
    cells = _worker_cells(w)
    return (f"<tr><td>{_e(w['name'])} <span class='muted nb'>({_e(w['id'])})</span></td>"
            + "".join(f'<td class="num">{_escape(c)}</td>' for c in cells[2:7])
            + f"<td>{_bar(_frac(w['load_pct']), w['zone'])}</td><td>{_badge(w['zone'])}</td>"
            f"{_td(cells[8])}<td>{_escape(cells[9])}</td></tr>")


def runway_chunks(runway: dict) -> Iterator[str]:
    """The Runway: a worker x week grid, each cell coloured by its zone and carrying the load %
    and the zone's letter (R, A, G, B), so it reads printed in black and white; the team's
    headroom under it; the weeks' events. In pieces, a worker's row at a time."""
    legend = "".join(f'<span style="{_zone_style(z)}">'
                     f"{ZONE_LETTERS[z]} = {z}</span>" for z in ("red", "amber", "green", "blue"))
    headers = ["worker"] + [_escape(f"{week_label(day)} {str(day)[:4]}") for day in runway["weeks"]]

    def rows() -> Iterator[str]:
        for w in runway["workers"]:
            cells = []
            for week in w["weeks"]:
                z = week["zone"]
                style = f' style="{_zone_style(z)}"' if z else ""
                title = _escape("; ".join(week["events"]))
                cells.append(f'<td class="z {z or "none"}"{style}'
                             + (f' title="{title}"' if title else "") + f">{_escape(runway_cell(week))}"
                             + ("*" if week["events"] else "") + "</td>")
            yield f"<tr><td>{_e(w['id'])}</td>{''.join(cells)}</tr>"
        yield ('<tr class="team"><td>team load</td>'
               + "".join(f"<td>{_e(pct_text(_frac(t['load_pct'])))}</td>" for t in runway["team"]) + "</tr>")
        yield ('<tr class="team"><td>headroom (points)</td>'
               + "".join(f"<td>{_e(t['headroom'])}</td>" for t in runway["team"]) + "</tr>")
        yield ('<tr class="team"><td>room (cases)</td>'
               + "".join(f"<td>{t['headroom_cases']}</td>" for t in runway["team"]) + "</tr>")

    yield (f'<p class="muted">Load % and zone on each Monday from what is known today (absences, reductions, '
           f'leavers, covers ending, new starters; no new cases or closures). * marks a week with events.</p>'
           f'<p class="legend">{legend}</p>')
    yield from _table_chunks(headers, rows(), "runway")
    events = runway_events(runway)
    if events:
        yield "<ul>" + "".join(f"<li>{_escape(line)}</li>" for line in events) + "</ul>"


# The highest load % a trend chart's scale reaches: a load above it is drawn at the top (its
# figure is in the tables). A capacity of almost nothing (a reduction leaving 0.01 points,
# an imported review's typo) gives a load of millions of per cent, and a scale to it wrote
# a label every 20 % (a report of 37 MB, or one that ran out of memory).
CHART_TOP = 300


def trend_chunks(trend: list[dict], now: dict | None = None, bounds: dict | None = None) -> Iterator[str]:
    """In pieces, a chart at a time: the load % over the recorded reviews, the x axis spaced by date: the team's line on the
    zone bands, then one small chart per worker on the same scale (small multiples: twelve
    lines in one chart cannot be told apart), captioned with today's load % and zone letter
    (`now`: worker -> (load_pct, zone)); the zone bands are the config's (`bounds`, as in
    the report's document: green_from, amber_above, red_from)."""
    now = now or {}
    bounds = bounds or {"green_from": 95, "amber_above": 100, "red_from": 110}
    bands = [(float(low), float(high), name) for low, high, name in (
        (0, bounds["green_from"], "blue"), (bounds["green_from"], bounds["amber_above"], "green"),
        (bounds["amber_above"], bounds["red_from"], "amber"))]
    if len(trend) < 2:
        yield ('<p class="muted">Trends appear once two reviews are recorded '
               "(<code>caseload report --record</code> or <code>zone-review --record</code>).</p>")
        return
    values = [float(v) for point in trend for v in list(point["workers"].values()) + [point["team_load_pct"]]
              if v is not None]
    ceiling = max(130.0, (min(max(values, default=0), CHART_TOP) // 10 + 1) * 10, (bands[-1][1] // 10 + 2) * 10)
    bands.append((bands[-1][1], ceiling, "red"))
    days = [date.fromisoformat(cell(point["date"])) for point in trend]
    yield ('<figure>' + _line_chart(days, [p["team_load_pct"] for p in trend], ceiling, 900, 220, "team",
                                    bands, axis=True) + "<figcaption class='muted'>Team load %</figcaption></figure>")
    yield '<h3>Each worker</h3><div class="multiples">'
    for worker in sorted({w for point in trend for w in point["workers"]}):
        points = [p["workers"].get(worker) for p in trend]
        pct, zone_now = now.get(worker, (None, None))
        yield (f"<figure><figcaption><b>{_escape(worker)}</b><span>"
               + (f"{_escape(pct_text(_frac(pct)))} {ZONE_LETTERS[zone_now]}" if zone_now else "")
               + "</span></figcaption>" + _line_chart(days, points, ceiling, 260, 90, worker, bands) + "</figure>")
    yield "</div>"


def _line_chart(days: list, points: list, ceiling: float, width: int, height: int, name: str,
                bands: list, axis: bool = False) -> str:
    """One SVG line chart of load % by date on the zone bands, with the 100 % line dashed."""
    left, right, top, bottom = (44, 10, 8, 24) if axis else (30, 6, 4, 16)
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max((days[-1] - days[0]).days, 1)

    def x(day) -> float:
        return left + plot_w * (day - days[0]).days / span

    def y(pct: float) -> float:
        return top + plot_h * (1 - min(pct, ceiling) / ceiling)

    svg = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="Load % of {_escape(name)} over the recorded reviews" '
           'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="10">']
    for low, high, zone_name in bands:
        svg.append(f'<rect x="{left}" y="{y(high):.1f}" width="{plot_w}" height="{y(low) - y(high):.1f}" '
                   f'fill="{ZONE_COLOURS[zone_name]}" opacity="0.12"><title>{zone_name} band: {low:g}% to '
                   f'{high:g}%</title></rect>')
    for pct in range(0, int(ceiling) + 1, 20) if axis else (0, 100):
        svg.append(f'<text x="{left - 4}" y="{y(pct) + 3:.1f}" text-anchor="end" fill="#555">{pct}%</text>')
    svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(100):.1f}" y2="{y(100):.1f}" stroke="#333" '
               'stroke-dasharray="4 3"/>')
    labels = days if axis else [days[0], days[-1]]
    shown: list[float] = []
    for i, day in enumerate(labels):  # the first and last dates always; others where they do not crowd
        last = i == len(labels) - 1
        if not last and shown and x(day) - shown[-1] < 80 or last and len(shown) > 1 and x(day) - shown[-1] < 80:
            if not last:
                continue
            shown.pop()
            svg.pop()
        anchor = "start" if i == 0 else "end" if last else "middle"
        shown.append(x(day))
        svg.append(f'<text x="{x(day):.1f}" y="{height - 4}" text-anchor="{anchor}" fill="#555">'
                   f"{day.isoformat()}</text>")
    coords = [(x(d), y(float(v))) for d, v in zip(days, points) if v is not None]
    if coords:
        svg.append(f'<polyline fill="none" stroke="#111" stroke-width="{2.5 if axis else 1.6}" points="'
                   + " ".join(f"{a:.1f},{b:.1f}" for a, b in coords) + '"/>')
        for a, b in coords:
            svg.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{2.2 if axis else 1.6}" fill="#111"/>')
    svg.append("</svg>")
    return "".join(svg)
