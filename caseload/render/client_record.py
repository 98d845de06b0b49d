"""Subject access (`export client CASE`, DESIGN §6) for the person it is about: the
document of `render.documents.client_record_document` as Markdown or HTML, every value escaped
as the report's are (`render.report`, `render.report_html`)."""

from __future__ import annotations

import html
from typing import Any

from caseload.render.report import _md_escape

INTRO = ("Everything this caseload holds about the client named below: each case with that name, its notes, "
         "who held it and when (with that worker's zone at the time, where a zone review was recorded), "
         "and every recorded change.")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _sections(document: dict):
    """(title, headers, rows) of each table, in reading order."""
    for item in document["cases"]:
        case = item["case"]
        yield (f"Case {case['id']}", ["field", "value"], [[key, _text(value)] for key, value in case.items()])
        yield (f"Notes on {case['id']}", ["at", "kind", "author", "text"],
               [[n["at"], n["kind"], n["author"], n["text"]] for n in item["notes"]])
        yield (f"Who held {case['id']}", ["at", "kind", "worker", "previous worker", "zone", "reason", "by"],
               [[h["at"], h["kind"], _text(h["worker"]), _text(h["previous_worker"]), _text(h["zone"]),
                 _text(h["reason"]), h["actor"]] for h in item["history"]])
        yield (f"Changes to {case['id']}", ["at", "field", "old", "new", "by"],
               [[c["at"], c["field"], _text(c["old"]), _text(c["new"]), c["actor"]] for c in item["changes"]])


def markdown(document: dict) -> str:
    lines = [f"# Records held about {_md_escape(document['client'])}", "", INTRO, ""]
    for title, headers, rows in _sections(document):
        lines += [f"## {_md_escape(title)}", ""]
        if not rows:
            lines += ["(none)", ""]
            continue
        lines.append("| " + " | ".join(headers) + " |")
        lines.append("|" + "---|" * len(headers))
        lines += ["| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def html_page(document: dict) -> str:
    e = html.escape
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
             f"<title>Records held about {e(document['client'])}</title></head><body>",
             f"<h1>Records held about {e(document['client'])}</h1>", f"<p>{e(INTRO)}</p>"]
    for title, headers, rows in _sections(document):
        parts.append(f"<h2>{e(title)}</h2>")
        if not rows:
            parts.append("<p>(none)</p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in rows]
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
