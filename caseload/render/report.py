"""Rendering the nightly report's document as a terminal table, Markdown, one
self-contained HTML page (`render.report_html`: inline CSS and SVG, no network, no
external assets, safe to email), CSV (the worker rows), an Excel workbook (each section
a sheet, `sheets`) or JSON (the document itself).

The document is shaped once from `app.report.ReportData` (`render.documents.report_document`,
also importable here as `document`), and every format reads it, so the figures agree;
every text that came from the database is escaped in Markdown and HTML.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator

from caseload.render.numbers import cell, cut_text, fmt, pct_text, week_figure, week_label
from caseload.render.output import json_chunks, output, print_view, write_parts
from caseload.render.rows import (
    ATTENTION_COLUMNS, COVER_COLUMNS, EXPIRING_COLUMNS, REPORT_COLUMNS, STREAK_COLUMNS, WAITING_COLUMNS, waiting_flags,
)
from caseload.render.weights import report_lines


def render_report(document: dict, fmt_name: str, path: Path | None) -> None:
    if fmt_name == "csv":
        output("csv", path, document["zones"]["workers"], REPORT_COLUMNS)
    elif fmt_name == "json":
        write_parts(json_chunks(document), path)
    elif fmt_name == "xlsx":
        output("xlsx", path, (), (), sheets=sheets(document))
    elif fmt_name == "md":
        write_parts(markdown_chunks(document), path)
    elif fmt_name == "html":
        from caseload.render.report_html import html_chunks

        write_parts(html_chunks(document), path)
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
              cell(row["check_in_due"]), waiting_flags(row)] for row in pool["cases"]]
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
        Sheet("Covers past end", COVER_COLUMNS, document["covers_past_end"]),
        Sheet("Reductions ending", EXPIRING_COLUMNS, document["reductions_expiring"]),
        Sheet("Red streaks", STREAK_COLUMNS, document["red_streaks"]),
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
        f"Since {cell(document['since'])}: " + ", ".join(_counted(t[key], word) for key, word in (
            ("intakes", "new case"), ("allocations", "allocation"), ("closures", "closure"), ("moves", "move")))
        + (f" (last recorded review {last['date']})" if last else " (no recorded review yet)"),
        *_record_lines(document.get("record")),
    ]


def _counted(n: int, word: str) -> str:
    """"1 new case", "2 new cases"."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def _record_lines(record: dict | None) -> list[str]:
    """Cases due for retention, and the chain's head: a copy of these lines kept elsewhere
    (this mail) is a witness for `caseload doctor --witness FILE` (DESIGN §6)."""
    if not record:
        return []
    due = record["retention_due"]
    lines = [f"{due} closed case(s) due for anonymising (retention {record['retention']}): "
             "`caseload retention --dry-run` lists them"] if due else []
    return lines + [f"Record head: {line}" for line in record["head"]]


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
    from caseload.render.console import fitted_table, heading, load_bar, zone_badge

    out.print(heading(f"Caseload report {cell(document['date'])}"))
    for line in _headline(document):
        out.print(line)
    for line in alerts(document):
        out.print(heading(f"! {line}"))
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
    weights = report_lines(document.get("weights"))  # DESIGN §12: only what the evidence says
    if weights:
        out.print(heading("Weights"))
        for line in weights:
            out.print(f"  {line}")


_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r\n": " ", "\n": " ", "\r": " ", "\t": " ",
               "\u2028": " ", "\u2029": " "}
# Controls and bidirectional overrides in stored text (only SQL from outside caseload writes
# them): the Markdown and HTML reports show them as � (a right-to-left override would
# reverse what follows on the page)
HIDDEN_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_MD_SPECIAL = re.compile(r"\r\n|[\n\r\t\u2028\u2029&<>\\`*_\[\]|~]" f"|(?P<hidden>[{HIDDEN_CHARACTERS}])")


def _md_escape(text: str) -> str:
    """Data as literal Markdown text on one line: `&`, `<` and `>` become entities (no HTML
    gets through, `<script>` included), the characters of inline syntax (backslash, `` ` ``,
    `*`, `_`, `[`, `]`, `|`, `~`) are backslash-escaped, line breaks and tabs become spaces.
    Nothing printed starts a line, so line-start syntax (`#`, `-`, `>`) cannot take effect.
    Controls and bidirectional overrides (only SQL from outside caseload stores them) show as �."""
    return _MD_SPECIAL.sub(lambda found: "\ufffd" if found.group("hidden") else
                           _MD_ESCAPES.get(found.group(), "\\" + found.group()), text)


def markdown(document: dict) -> str:
    """The report in Markdown; every text interpolated is escaped with `_md_escape`."""
    return "".join(markdown_chunks(document))


def markdown_chunks(document: dict) -> Iterator[str]:
    """`markdown` in pieces, each whole lines, written as they are made (a team of 5,000 has a
    Runway of 5,000 rows)."""
    lines = [f"# Caseload report {_md_escape(cell(document['date']))}", ""]
    lines += [f"{_md_escape(line)}  " for line in _headline(document)] + [""]
    for line in alerts(document):
        lines.append(f"- **{_md_escape(line)}**")
    lines += ["", "## Zones", "", "| " + " | ".join(WORKER_HEADERS) + " |",
              "|" + "---|" * len(WORKER_HEADERS)]
    yield "\n".join(lines) + "\n"
    for w in document["zones"]["workers"]:
        yield "| " + " | ".join(_md_escape(c) for c in _worker_cells(w)) + " |\n"
    yield from (line + "\n" for line in runway_markdown(document.get("runway")))
    lines = []
    for title, headers, rows, total in attention(document):
        lines += ["", f"## {_md_escape(title)}", ""]
        if not total:
            lines.append("None.")
            continue
        lines += ["| " + " | ".join(_md_escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
        if total > len(rows):
            lines.append(f"\n… and {total - len(rows)} more")
    weights = report_lines(document.get("weights"))  # DESIGN §12: only what the evidence says
    if weights:
        lines += ["", "## Weights", ""] + [f"- {_md_escape(line)}" for line in weights]
    yield "\n".join(lines) + "\n"


ZONE_LETTERS = {"red": "R", "amber": "A", "green": "G", "blue": "B"}


def runway_cell(week: dict) -> str:
    """A Runway cell in words: "121% R" (load % rounded down, then the zone's letter, so it
    reads printed in black and white); "—" before a starter's first day; "left R" for a
    leaver's cases on no capacity."""
    figure = week_figure(week)
    return "—" if figure is None else f"{figure} {ZONE_LETTERS[week['zone']]}"


def runway_events(runway: dict) -> list[str]:
    """The runway's events as lines: "w/c 30 Nov: ewa back from leave Sun 29 Nov"."""
    lines = []
    for index, day in enumerate(runway["weeks"]):
        for w in runway["workers"]:
            for event in w["weeks"][index]["events"]:
                lines.append(f"w/c {week_label(day)}: {w['id']} {event}")
    return lines


def runway_markdown(runway: dict | None) -> list[str]:
    if not runway:
        return []
    labels = [week_label(day) for day in runway["weeks"]]
    lines = ["", "## Runway", "", "Load % and zone (R, A, G, B) each Monday, from what is known today.", "",
             "| worker | " + " | ".join(labels) + " |", "|" + "---|" * (len(labels) + 1)]
    for w in runway["workers"]:
        lines.append(f"| {_md_escape(w['id'])} | " + " | ".join(runway_cell(week) for week in w["weeks"]) + " |")
    lines.append("| headroom (points) | " + " | ".join(_md_escape(cell(t["headroom"])) for t in runway["team"]) + " |")
    lines.append("| room (cases) | " + " | ".join(str(t["headroom_cases"]) for t in runway["team"]) + " |")
    events = runway_events(runway)
    if events:
        lines.append("")
        lines += [f"- {_md_escape(line)}" for line in events]
    return lines
