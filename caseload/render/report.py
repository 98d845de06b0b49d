"""Rendering the nightly report's document as a terminal table, Markdown, one
self-contained HTML page (inline CSS and SVG: no network, no external assets, safe
to email), CSV (the worker rows), an Excel workbook (each section a sheet, `sheets`) or
JSON (the document itself).

The document is built once from `app.report.ReportData` (`document`), and every format
reads it, so the figures agree; every text that came from the database is escaped in
HTML.
"""

from __future__ import annotations

import html
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from caseload.render.rows import (
    ATTENTION_COLUMNS, REPORT_COLUMNS, WAITING_COLUMNS, attention_rows, report_row, team_row, waiting_attention,
)
from caseload.render.numbers import cell, cut_text, fmt, pct_text
from caseload.render.output import json_text, output, print_view, write_text

ZONE_COLOURS = {"blue": "#1f5fbf", "green": "#2e8b3d", "amber": "#e08a00", "red": "#c62828"}
PALETTE = ["#6a3d9a", "#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#b15928", "#a6cee3", "#fb9a99",
           "#b2df8a", "#fdbf6f", "#cab2d6", "#8c564b"]


def document(data, redact: bool) -> dict:
    """Every figure of the report as one JSON document (what `--format json` prints)."""
    review = data.review
    workers = [report_row(f, data.previous, data.streaks.get(f.worker.id, 0)) for f in review.workers]
    streaks = sorted(data.streaks.items())
    return {
        "date": data.on,
        "since": data.since,
        "last_review": {"date": data.previous.on, "at": data.previous.at} if data.previous else None,
        "zones": {"workers": workers, "team": team_row(review.team),
                  "counts": {z: sum(1 for w in workers if w["zone"] == z) for z in ("red", "amber", "green", "blue")}},
        "zone_changes": [{"worker": w["id"], "from": w["previous_zone"], "to": w["zone"]}
                         for w in workers if w["previous_zone"] and w["previous_zone"] != w["zone"]],
        "throughput": data.throughput,
        "waiting": waiting_attention(data.waiting, data.list_limit, redact) | {"oldest_days": review.team.oldest_waiting_days},
        "overdue_reviews": attention_rows(data.overdue_reviews, redact),
        "stale_contact": attention_rows(data.stale_contact, redact),
        "long_open": attention_rows(data.long_open, redact),
        "covers_past_end": [{"case": c.id, "worker": c.worker, "home_worker": c.home_worker,
                             "cover_until": c.cover_until} for c in review.covers_past_end],
        "reductions_expiring": [{"worker": r.worker, "kind": r.kind, "amount": r.amount, "reason": r.reason,
                                 "ends_on": r.ends_on} for r in data.reductions_expiring],
        "red_streaks": [{"worker": w, "weeks": n} for w, n in streaks if n >= 2],  # ISO weeks running
        "excessive": [{"worker": w, "weeks": n} for w, n in streaks if n >= data.excessive_after],
        "excessive_after": data.excessive_after,
        "trend": [{"date": p.on, "team_load_pct": p.team_load_pct, "workers": dict(p.workers)} for p in data.trend],
    }


def render_report(document: dict, fmt_name: str, path: Path | None) -> None:
    if fmt_name == "csv":
        output("csv", path, document["zones"]["workers"], REPORT_COLUMNS)
    elif fmt_name == "json":
        write_text(json_text(document), path)
    elif fmt_name == "xlsx":
        output("xlsx", path, (), (), sheets=sheets(document))
    elif fmt_name == "md":
        write_text(markdown(document), path)
    elif fmt_name == "html":
        write_text(html_page(document), path)
    else:
        print_view(lambda out: terminal(out, document), path)


def attention(document: dict) -> list[tuple[str, list[str], list[list[str]], int]]:
    """The attention lists as (title, headers, rows, total) for every human format."""
    sections = []

    def cases(key: str, title: str, columns: list[tuple[str, str]]):
        block = document[key]
        rows = [[cell(row.get(field)) for _, field in columns] for row in block["cases"]]
        sections.append((f"{title} ({block['count']})", [label for label, _ in columns], rows, block["count"]))

    pool = document["waiting"]
    oldest = pool["oldest_days"]
    block = [[row["case"], cell(row["client"]), row["risk"], cell(row["waiting_since"]), cell(row["first_contact_due"]),
              cell(row["check_in_due"]), waiting_flag(row)] for row in pool["cases"]]
    sections.append((
        f"Waiting pool ({pool['count']})" + (f", oldest {oldest} days" if oldest is not None else "")
        + (f": {pool['contact_overdue']} past the first-contact deadline, "
           f"{pool['needs_attention'] - pool['contact_overdue']} more due a check-in" if pool["count"] else ""),
        ["case", "client", "risk", "waiting since", "first contact due", "check-in due", "attention"], block,
        pool["count"]))
    cases("overdue_reviews", "Overdue reviews", [("case", "case"), ("client", "client"), ("worker", "worker"),
                                                 ("risk", "risk"), ("review due", "next_review_on")])
    cases("stale_contact", "Stale contact", [("case", "case"), ("client", "client"), ("worker", "worker"),
                                             ("last contact", "last_contact_on"), ("opened", "opened_on")])
    cases("long_open", "Long-open cases", [("case", "case"), ("client", "client"), ("worker", "worker"),
                                           ("opened", "opened_on")])
    covers = document["covers_past_end"]
    sections.append((f"Covers past their end ({len(covers)})", ["case", "covering", "home worker", "cover ended"],
                     [[c["case"], c["worker"], c["home_worker"], cell(c["cover_until"])] for c in covers], len(covers)))
    cuts = document["reductions_expiring"]
    sections.append((f"Reductions ending soon ({len(cuts)})", ["worker", "cut", "reason", "ends"],
                     [[r["worker"], cut_text(r["kind"], r["amount"]),
                       r["reason"], cell(r["ends_on"])] for r in cuts], len(cuts)))
    return sections


def waiting_flag(row: dict) -> str:
    """What is overdue on a waiting case, in words (empty: nothing)."""
    flags = (["FIRST CONTACT OVERDUE"] if row["contact_overdue"] else []) + \
        (["check-in overdue"] if row["check_in_overdue"] else [])
    return ", ".join(flags)


def sheets(document: dict) -> list:
    """The report as a workbook: a summary sheet (the headline figures and the alerts),
    then one sheet per table, with the JSON document's keys as column names."""
    from caseload.render.xlsx import Sheet, Typed

    team, counts, t = document["zones"]["team"], document["zones"]["counts"], document["throughput"]
    last = document["last_review"]
    lists = [("Waiting", "waiting"), ("Overdue reviews", "overdue_reviews"), ("Stale contact", "stale_contact"),
             ("Long-open cases", "long_open")]
    summary = [("report date", document["date"], "date"), ("since", document["since"], "date"),
               ("last recorded review", last["date"] if last else "none", "date"),
               ("team load %", team["load_pct"], "number"), ("team zone", team["zone"], "zone"),
               *((f"workers {zone}", n, "number") for zone, n in counts.items()),
               ("waiting", team["waiting"], "number"),
               ("oldest waiting (days)", team["oldest_waiting_days"], "number"),
               *((name, t[name], "number") for name in ("intakes", "allocations", "closures", "moves")),
               *((f"{title.lower()} (sheet '{title}' lists the first {len(document[key]['cases'])})",
                  document[key]["count"], "number")
                 for title, key in lists if document[key]["count"] > len(document[key]["cases"])),
               *(("alert", line, "text") for line in alerts(document))]
    workers = sorted({w for point in document["trend"] for w in point["workers"]})
    trend = [(p["date"], p["team_load_pct"], *(p["workers"].get(w) for w in workers)) for p in document["trend"]]
    return [
        Sheet("Summary", ("item", "value"), [(item, Typed(value, kind)) for item, value, kind in summary]),
        Sheet("Zones", REPORT_COLUMNS, document["zones"]["workers"]),
        *(Sheet(title, ATTENTION_COLUMNS + (WAITING_COLUMNS if key == "waiting" else ()), document[key]["cases"])
          for title, key in lists),
        Sheet("Covers past end", ("case", "worker", "home_worker", "cover_until"), document["covers_past_end"]),
        Sheet("Reductions ending", ("worker", "kind", "amount", "reason", "ends_on"), document["reductions_expiring"]),
        Sheet("Red streaks", ("worker", "weeks"), document["red_streaks"]),
        Sheet("Trend", ("date", "team_load_pct", *workers), trend),  # load % are numbers whatever a worker's id
    ]


def alerts(document: dict) -> list[str]:
    """The alert lines, the same in every human format; streaks count ISO weeks (DESIGN §2)."""
    lines = []
    for item in document["excessive"]:
        lines.append(f"EXCESSIVE workload: {item['worker']} has been red for {item['weeks']} weeks "
                     f"running ({document['excessive_after']} or more is excessive)")
    for item in document["red_streaks"]:
        if item["weeks"] < document["excessive_after"]:
            lines.append(f"{item['worker']} red for {item['weeks']} weeks running")
    overdue = document["waiting"]["contact_overdue"]
    if overdue:
        lines.append(f"{overdue} waiting case(s) past the first-contact deadline")
    for change in document["zone_changes"]:
        lines.append(f"{change['worker']}: {change['from']} -> {change['to']} since the last review")
    return lines


def _headline(document: dict) -> list[str]:
    team = document["zones"]["team"]
    counts = document["zones"]["counts"]
    last = document["last_review"]
    t = document["throughput"]
    return [
        f"Team load {pct_text(_frac(team['load_pct']))} ({team['zone']}): "
        + ", ".join(f"{n} {z}" for z, n in counts.items()),
        f"Since {cell(document['since'])}: {t['intakes']} new cases, {t['allocations']} allocations, "
        f"{t['closures']} closures, {t['moves']} moves"
        + (f" (last recorded review {last['date']})" if last else " (no recorded review yet)"),
    ]


def _frac(value: Any) -> Fraction | None:
    return None if value is None else Fraction(value)


def _worker_cells(w: dict) -> list[str]:
    notes = []
    if w["red_streak"] >= 2:
        notes.append(f"red {w['red_streak']} weeks running")
    if w["absent"]:
        notes.append("absent")
    if w["over_cap"]:
        notes.append("over cap")
    return [w["id"], w["name"], str(w["cases"]), str(w["high_risk"]), fmt(w["load"]), fmt(w["capacity"]),
            pct_text(_frac(w["load_pct"])), w["zone"].upper(), (w["previous_zone"] or "—"), ", ".join(notes)]


WORKER_HEADERS = ["worker", "name", "cases", "high risk", "load", "capacity", "load %", "zone", "last review",
                  "notes"]


def terminal(out, document: dict) -> None:
    from caseload.render.console import fitted_table, load_bar, zone_badge

    out.print(f"[bold]Caseload report {cell(document['date'])}[/bold]")
    for line in _headline(document):
        out.print(line)
    for line in alerts(document):
        out.print(f"[bold]! {line}[/bold]")
    headers = (*WORKER_HEADERS[:7], "bar", "zone", "last review", "notes")
    rows = []
    for w in document["zones"]["workers"]:
        cells = _worker_cells(w)
        rows.append(dict(zip(headers, (*cells[:7], load_bar(_frac(w["load_pct"]), w["zone"]),
                                       zone_badge(w["zone"]), *cells[8:]))))
    table = fitted_table(out, headers, rows, ("notes", "bar", "name", "last review", "high risk"), title="Zones",
                         right=("cases", "high risk", "load", "capacity", "load %"))
    for column in table.columns:
        if column.header == "bar":
            column.header = ""  # the load bar speaks for itself
    out.print(table)
    for title, headers, found, total in attention(document):
        if not total:
            continue
        # on a narrow terminal the client's name, then the day a case began waiting, give way
        out.print(fitted_table(out, headers, [dict(zip(headers, row)) for row in found],
                               ("client", "waiting since"), title=title))
        if total > len(found):
            out.print(f"  … and {total - len(found)} more")


_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r\n": " ", "\n": " ", "\r": " ", "\t": " ",
               "\u2028": " ", "\u2029": " "}
_MD_SPECIAL = re.compile(r"\r\n|[\n\r\t\u2028\u2029&<>\\`*_\[\]|~]")


def _md_escape(text: str) -> str:
    """Data as literal Markdown text on one line: `&`, `<` and `>` become entities (no HTML
    gets through, `<script>` included), the characters of inline syntax (backslash, `` ` ``,
    `*`, `_`, `[`, `]`, `|`, `~`) are backslash-escaped, line breaks and tabs become spaces.
    Nothing printed starts a line, so line-start syntax (`#`, `-`, `>`) cannot take effect."""
    return _MD_SPECIAL.sub(lambda found: _MD_ESCAPES.get(found.group(), "\\" + found.group()), text)


def markdown(document: dict) -> str:
    """The report in Markdown; every text interpolated is escaped with `_md_escape`."""
    lines = [f"# Caseload report {_md_escape(cell(document['date']))}", ""]
    lines += [f"{_md_escape(line)}  " for line in _headline(document)] + [""]
    for line in alerts(document):
        lines.append(f"- **{_md_escape(line)}**")
    lines += ["", "## Zones", "", "| " + " | ".join(WORKER_HEADERS) + " |",
              "|" + "---|" * len(WORKER_HEADERS)]
    for w in document["zones"]["workers"]:
        lines.append("| " + " | ".join(_md_escape(c) for c in _worker_cells(w)) + " |")
    for title, headers, rows, total in attention(document):
        lines += ["", f"## {_md_escape(title)}", ""]
        if not total:
            lines.append("None.")
            continue
        lines += ["| " + " | ".join(_md_escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
        if total > len(rows):
            lines.append(f"\n… and {total - len(rows)} more")
    return "\n".join(lines) + "\n"


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.muted{color:#666}.alert{background:#fdecea;border-left:4px solid #c62828;padding:.5rem .8rem;margin:.3rem 0}
.change{background:#f4f6f8;border-left:4px solid #888;padding:.4rem .8rem;margin:.3rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{padding:.35rem .5rem;text-align:left;
border-bottom:1px solid #eee}th{background:#f7f7f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;min-width:4.2em;text-align:center;border-radius:3px;color:#fff;font-weight:700;
font-size:.8rem;padding:.1rem .3rem}.bar{position:relative;width:160px;height:12px;background:#eee;
border-radius:2px}.bar span{position:absolute;left:0;top:0;bottom:0;border-radius:2px}
.bar i{position:absolute;left:133px;top:-2px;bottom:-2px;border-left:2px solid #333}
.summary{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}.tile{border:1px solid #ddd;border-radius:6px;
padding:.6rem 1rem;min-width:8rem}.tile b{display:block;font-size:1.4rem}
footer{margin-top:2rem;font-size:.8rem;color:#888}
"""


def _e(value: Any) -> str:
    return html.escape(cell(value))


def _badge(zone: str) -> str:
    return f'<span class="badge" style="background:{ZONE_COLOURS[zone]}">{zone.upper()}</span>'


def _bar(pct: Fraction | None, zone: str) -> str:
    # 160 px = 120 %; the tick at 133 px marks 100 %
    width = 160 if pct is None else min(160, int(pct * 160 / 120))
    return (f'<div class="bar"><span style="width:{width}px;background:{ZONE_COLOURS[zone]}"></span>'
            f'<i title="100%"></i></div>')


def html_page(document: dict) -> str:
    team = document["zones"]["team"]
    t = document["throughput"]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Caseload report {_e(document['date'])}</title><style>{CSS}</style></head><body>",
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
        parts.append(f'<div class="{css}">{html.escape(line)}</div>')
    parts.append("<h2>Zones</h2><table><tr>" + "".join(f"<th>{h}</th>" for h in [
        "worker", "cases", "high risk", "load", "capacity", "load %", "", "zone", "last review", "notes"]) + "</tr>")
    for w in document["zones"]["workers"]:
        cells = _worker_cells(w)
        parts.append(
            f"<tr><td>{_e(w['name'])} <span class='muted'>({_e(w['id'])})</span></td>"
            + "".join(f'<td class="num">{html.escape(c)}</td>' for c in cells[2:7])
            + f"<td>{_bar(_frac(w['load_pct']), w['zone'])}</td><td>{_badge(w['zone'])}</td>"
            f"<td>{html.escape(cells[8])}</td><td>{html.escape(cells[9])}</td></tr>")
    parts.append("</table>")
    parts.append("<h2>Load over the recorded reviews</h2>" + trend_chart(document["trend"]))
    for title, headers, rows, total in attention(document):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        if not total:
            parts.append('<p class="muted">None.</p>')
            continue
        parts.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</table>")
        if total > len(rows):
            parts.append(f'<p class="muted">… and {total - len(rows)} more</p>')
    parts.append(f"<footer>caseload · personal data: keep this report safe · generated {_e(document['date'])}"
                 "</footer></body></html>")
    return "\n".join(parts) + "\n"


def trend_chart(trend: list[dict]) -> str:
    """An inline SVG line chart: each worker's load % and the team's (thick) over the
    recorded reviews, on the zone bands."""
    if len(trend) < 2:
        return ('<p class="muted">Trends appear once two reviews are recorded '
                "(<code>caseload report --record</code> or <code>zone-review --record</code>).</p>")
    width, height, left, right, top, bottom = 900, 300, 48, 160, 10, 30
    values = [float(v) for point in trend for v in list(point["workers"].values()) + [point["team_load_pct"]]
              if v is not None]
    ceiling = max(130.0, (max(values, default=0) // 10 + 1) * 10)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + plot_w * i / (len(trend) - 1)

    def y(pct: float) -> float:
        return top + plot_h * (1 - min(pct, ceiling) / ceiling)

    svg = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
           'aria-label="Load % over the recorded reviews" xmlns="http://www.w3.org/2000/svg" '
           'font-family="sans-serif" font-size="11">']
    for low, high, zone_name in ((0, 95, "blue"), (95, 100, "green"), (100, 110, "amber"), (110, ceiling, "red")):
        svg.append(f'<rect x="{left}" y="{y(high):.1f}" width="{plot_w}" height="{y(low) - y(high):.1f}" '
                   f'fill="{ZONE_COLOURS[zone_name]}" opacity="0.10"/>')
    for pct in range(0, int(ceiling) + 1, 20):
        svg.append(f'<text x="{left - 6}" y="{y(pct) + 4:.1f}" text-anchor="end" fill="#555">{pct}%</text>')
        svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(pct):.1f}" y2="{y(pct):.1f}" stroke="#ddd"/>')
    svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(100):.1f}" y2="{y(100):.1f}" stroke="#333" '
               'stroke-dasharray="4 3"/>')
    step = max(1, len(trend) // 8)
    for i, point in enumerate(trend):
        if i % step == 0 or i == len(trend) - 1:
            svg.append(f'<text x="{x(i):.1f}" y="{height - 10}" text-anchor="middle" fill="#555">'
                       f'{html.escape(point["date"][5:])}</text>')
    workers = sorted({w for point in trend for w in point["workers"]})
    series = [(w, PALETTE[i % len(PALETTE)], 1.6, [p["workers"].get(w) for p in trend]) for i, w in enumerate(workers)]
    series.append(("team", "#111", 3.5, [p["team_load_pct"] for p in trend]))
    for index, (name, colour, stroke, points) in enumerate(series):
        coords = [f"{x(i):.1f},{y(float(v)):.1f}" for i, v in enumerate(points) if v is not None]
        if coords:
            svg.append(f'<polyline fill="none" stroke="{colour}" stroke-width="{stroke}" points="{" ".join(coords)}"/>')
        legend_y = top + 14 * index + 8
        svg.append(f'<rect x="{width - right + 12}" y="{legend_y - 8}" width="14" height="4" fill="{colour}"/>'
                   f'<text x="{width - right + 32}" y="{legend_y - 3}" fill="#333">{html.escape(name)}</text>')
    svg.append("</svg>")
    return "".join(svg)
