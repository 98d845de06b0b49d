"""`weights --format md|html` (DESIGN §12): the tier table and the numbers against the person
as Markdown or one self-contained HTML page, in the style of the nightly report (its
escaping, its CSS, its zone colours and letters: every zone reads without colour too).
The words are `render.weights`'s, so every format says the same."""

from __future__ import annotations

from caseload.render.numbers import week_label
from caseload.render.report import _md_escape
from caseload.render.report_html import CSS, ZONE_COLOURS, ZONE_TEXT, _escape, _table
from caseload.render.weights import (LEGEND, NOT_SEEN, TIER_HEADERS, ZONE_LETTERS, explanation,
                                     period, tier_cells, view_cell, worker_note)

TITLE = "Weights under scrutiny"


def _md_row(cells) -> str:
    return "| " + " | ".join(_md_escape(str(c)) for c in cells) + " |"


def markdown(review, today) -> str:
    """The weights review in Markdown; every text interpolated is escaped."""
    lines = [f"# {TITLE} {today}", "", _md_escape(f"The team's own records over {period(review)}."), "",
             "## Tiers", "", _md_row(TIER_HEADERS), "|" + "---|" * len(TIER_HEADERS)]
    lines += [_md_row(tier_cells(row).values()) for row in review.tiers]
    lines += [""] + [f"{_md_escape(line)}  " for line in explanation(review)]
    lines += ["", "## The numbers against the person", ""]
    if not review.feels_recorded:
        lines.append("No worker's own view is recorded in this database yet (`worker feels`).")
    if not review.workers:
        lines.append("No zone snapshot or view in these weeks.")
        return "\n".join(lines) + "\n"
    headers = ["worker", *(week_label(m) for m in review.mondays), "disagree", "note"]
    lines += [_md_row(headers), "|" + "---|" * len(headers)]
    for view in review.workers:
        lines.append(_md_row([view.id, *(view_cell(w).strip() for w in view.weeks), view.disagreement_weeks,
                              worker_note(view)]))
    lines += ["", _md_escape(LEGEND)]
    return "\n".join(lines) + "\n"


def html_page(review, today) -> str:
    """The weights review as one page: inline CSS, no network; every text escaped."""
    tier_rows = []
    for row in review.tiers:
        cells = tier_cells(row)
        css = ' class="far"' if row.far else ""
        tier_rows.append(f"<tr{css}>" + "".join(
            f'<td{"" if h in ("tier", "note") else " class=num"}>{_escape(cells[h])}</td>' for h in TIER_HEADERS)
            + "</tr>")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{TITLE} {_escape(str(today))}</title><style>{CSS}"
        "tr.far td{background:#fff6e0}td.view{text-align:center;white-space:nowrap;font-weight:700;"
        "font-size:.82rem;border:1px solid #fff}td.view.none{color:#888;background:#f4f4f4}"
        "td.view.differs{outline:3px solid #111;outline-offset:-3px}.scroll{overflow-x:auto}"
        ".runway td.note{white-space:normal;min-width:9em;text-align:left}</style></head><body>",
        '<section class="first">', f"<h1>{TITLE} {_escape(str(today))}</h1>",
        '<p class="muted">' + _escape(f"The team's own records over {period(review)}.") + "</p>",
        "<h2>Tiers</h2>", '<div class="scroll">' + _table([_escape(h) for h in TIER_HEADERS], tier_rows) + "</div>",
        *(f'<p class="muted">{_escape(line)}</p>' for line in explanation(review)), "</section>",
        "<section><h2>The numbers against the person</h2>",
    ]
    if not review.feels_recorded:
        parts.append('<p class="muted">No worker\'s own view is recorded in this database yet '
                     "(<code>worker feels</code>).</p>")
    if not review.workers:
        parts.append('<p class="muted">No zone snapshot or view in these weeks.</p>')
    else:
        rows = []
        for view in review.workers:
            cells = []
            for week in view.weeks:
                style = (f' style="background:{ZONE_COLOURS[week.zone]};color:{ZONE_TEXT[week.zone]}"'
                         if week.zone in ZONE_COLOURS else "")
                css = "view" + ("" if week.zone else " none") + (" differs" if week.disagrees else "")
                title = f"{week.zone or 'no snapshot'}; {week.feels or 'no view given'}"
                cells.append(f'<td class="{css}"{style} title="{_escape(title)}">{_escape(view_cell(week).strip())}'
                             "</td>")
            rows.append(f"<tr><td>{_escape(view.id)}</td>{''.join(cells)}<td class=num>{view.disagreement_weeks}"
                        f'</td><td class="note">{_escape(worker_note(view))}</td></tr>')
        headers = ["worker", *(_escape(week_label(m)) for m in review.mondays), "disagree", "note"]
        parts.append('<div class="scroll">' + _table(headers, rows, "runway") + "</div>")  # a phone scrolls it
        parts.append(f'<p class="muted">{_escape(LEGEND)} Zones: '
                     + ", ".join(f"{letter} {name}" for name, letter in ZONE_LETTERS.items())
                     + f". Flagged: {_escape(NOT_SEEN)}.</p>")
    parts.append("</section>")
    parts.append(f"<footer>caseload · weights under scrutiny · generated {_escape(str(today))}</footer></body></html>")
    return "\n".join(parts) + "\n"
