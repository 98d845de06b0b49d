"""The views for people of the team and its cases: the listings (`worker list`, `cases`,
`cases --waiting`, reductions, history), one worker (`worker show`) and one case (`show
CASE`). Each draws the rows of `render.rows` or the document of `render.documents`
(`worker_document` and `case_document`, imported from here too, where commands look for
them), the same data the command writes as CSV and JSON.

A worker's sheet prints every figure of their load so it can be checked by hand: the
capacity sum line by line, each case's weight, the load by tier and status.
"""

from __future__ import annotations

from typing import Iterable

from caseload.render.console import Styled, fitted_table, heading, load_bar, local_time, new_table, zone_badge
from caseload.render.numbers import cell, cut_text, fmt, pct_text
from caseload.render.plain import StreamedTable
from caseload.render.rows import waiting_flags

# -- listings -----------------------------------------------------------------

def draw_team(out, found: list[dict], on, starting: dict | None = None) -> None:
    """`worker list`: on a narrow terminal languages, skills, max cases, then names give way.
    `starting`: new starters not in post on the day, with their first day."""
    starting = starting or {}
    rows = [{"id": r["id"], "name": r["name"], "role": r["role"], "fte": cell(r["fte"]),
             "capacity": cell(r["capacity"]), "max cases": cell(r["max_cases"]), "skills": cell(r["skills"]),
             "languages": cell(r["languages"]), "area": cell(r["area"]),
             "status": r["status"] + (f" (leaving {r['leaving_on']})" if r["leaving_on"] else "")
             + (f" (starts {starting[r['id']]})" if r["id"] in starting else "")} for r in found]
    out.print(fitted_table(out, ("id", "name", "role", "fte", "capacity", "max cases", "skills", "languages", "area",
                                 "status"), rows, ("languages", "skills", "max cases", "name", "area"),
                           title=f"Team on {on}", right=("fte", "capacity", "max cases")))


def reductions_table(found: list[dict], title: str):
    table = new_table("id", "worker", "cut", "reason", "from", "until", "state", title=title, right=("id",))
    for r in found:
        table.add_row(str(r["id"]), r["worker"], cut_text(r["kind"], r["amount"]), r["reason"], cell(r["starts_on"]), cell(r["ends_on"]) or "open", r["state"])
    return table


CASE_HEADERS = ("id", "client", "tier", "risk", "status", "worker", "weight", "opened", "next review", "last contact")


def _case_cells(r: dict) -> tuple:
    return (r["id"], r["client"], r["tier"], r["risk"], r["status"],
            cell(r["worker"]) + (f" (cover for {r['home_worker']})" if r["home_worker"] else ""),
            cell(r["weight"]), cell(r["opened_on"]), cell(r["next_review_on"]), cell(r["last_contact_on"]))


def draw_cases(out, found: Iterable[dict], total: int | None = None) -> None:
    """`cases`: on a narrow terminal last contact, opened, weight and status give way first.
    `found` may be read twice: without a terminal the table streams (`render.plain.StreamedTable`),
    however many cases. `total`: how many the filters picked, when --limit cut them."""

    def title(count: int) -> str:
        return f"the first {count:,} of {total:,} case(s)" if total is not None and total > count else f"{count} case(s)"

    if not out.is_terminal:
        out.print(StreamedTable(CASE_HEADERS, lambda: map(_case_cells, found), title, right=("weight",)))
        return
    rows = [dict(zip(CASE_HEADERS, _case_cells(r))) for r in found]
    out.print(fitted_table(out, CASE_HEADERS, rows, ("last contact", "opened", "weight", "status"),
                           title=title(len(rows)), right=("weight",)))


def draw_waiting(out, found: list[dict], on) -> None:
    """`cases --waiting`: the pool in priority order; on a narrow terminal the last contact,
    the tier, the day it entered the pool and the next check-in give way first (the
    attention column says when a check-in is due), the client's name last: a lead reads
    who is waiting."""
    rows = [{"id": r["id"], "client": r["client"], "risk": r["risk"], "tier": r["tier"],
             "waiting since": cell(r["waiting_since"]), "days": str(r["waited_days"]),
             "first contact due": cell(r["first_contact_due"]), "check-in due": cell(r["check_in_due"]),
             "last contact": cell(r["last_contact_on"]), "attention": waiting_flags(r)} for r in found]
    overdue = sum(1 for r in found if r["contact_overdue"])
    unchecked = sum(1 for r in found if r["check_in_overdue"] and not r["contact_overdue"])
    title = (f"Waiting pool on {on}: {len(found)} case(s), {overdue} past the first-contact deadline, "
             f"{unchecked} more due a check-in")
    out.print(fitted_table(out, ("id", "client", "risk", "tier", "waiting since", "days", "first contact due",
                                 "check-in due", "last contact", "attention"), rows,
                           ("last contact", "tier", "waiting since", "check-in due", "client"), title=title,
                           right=("days",)))


# -- a worker -----------------------------------------------------------------

def draw_worker(out, document: dict) -> None:
    w = document["worker"]
    out.print(heading(w["name"]).append(
        f" ({w['id']}) — {w['role']}, fte {fmt(w['fte'])}, {w['status']}"
        + (f" (leaving {w['leaving_on']})" if w["leaving_on"] else "")
        + (f" (starts {w['starts_on']})" if w["starts_on"] and w["starts_on"] > document["date"] else "")))
    profile = [
        ("skills", cell(w["skills"]) or "—"), ("languages", cell(w["languages"]) or "—"), ("area", w["area"] or "—"),
        ("automatic allocation", "yes" if w["auto"] else "no"),
        ("case cap", str(w["case_cap"]) if w["case_cap"] is not None else "none"),
    ]
    for label, value in profile:
        out.print(f"  {label}: {value}")
    for a in document["absences"]:
        out.print(f"  absent {a['from']} to {a['until']} ({a['reason']})" + (f", cover {a['cover']}" if a["cover"] else ""))

    out.print()
    out.print(heading(f"Capacity on {document['date']}"))
    for index, line in enumerate(document["capacity"]["lines"]):
        sign = " " if index == 0 else ("+" if line["points"] >= 0 else "-")
        out.print(f"  {sign} {fmt(abs(line['points'])):>8}  {line['label']}")
    out.print(f"  = {fmt(document['capacity']['value']):>8}  points")
    for r in document["scheduled_reductions"]:
        out.print(f"  (scheduled: {cut_text(r['kind'], r['amount'])} from {r['starts_on']} for {r['reason']})")

    cases = document["cases"]
    formulas = {(line["tier"], line["status"]): line["formula"] for line in document["load"]["lines"]}
    rows = [{"case": c["id"], "client": c["client"], "tier": c["tier"], "risk": c["risk"], "status": c["status"],
             "weight": formulas[(c["tier"], c["status"])], "opened": cell(c["opened_on"]),
             "next review": cell(c["next_review_on"])} for c in cases]
    out.print()
    out.print(fitted_table(out, ("case", "client", "tier", "risk", "status", "weight", "opened", "next review"), rows,
                           ("opened", "client"), title=f"Caseload ({len(cases)} open cases)", right=("weight",)))

    load = document["load"]
    out.print(heading("Load"))
    for line in load["lines"]:
        out.print(f"  {line['cases']:>3} x {line['tier']} {line['status']} ({line['formula']}) = {fmt(line['points'])}")
    summary = Styled(f"  load {fmt(load['load'])} / capacity {fmt(load['capacity'])} = {pct_text(load['load_pct'])}  ")
    summary.append(zone_badge(load["zone"])).append("  ").append(load_bar(load["load_pct"], load["zone"]))
    out.print(summary)
    if load["over_cap"]:
        out.print(Styled("  ").append(heading("over cap")).append(f": {len(cases)} cases, cap {w['case_cap']}"))


# -- a case -------------------------------------------------------------------

def draw_case(out, document: dict) -> None:
    case = document["case"]
    out.print(heading(case["id"]).append(f" — {case['client']}"))
    nobody = "— (withdrawn: nobody held it)" if case["status"] == "closed" else "— (waiting)"
    details = [
        ("summary", case["summary"] or "—"), ("status", case["status"]), ("worker", case["worker"] or nobody),
        ("tier", f"{case['tier']} (weight {case['weight_formula']})"),
        ("risk", case["risk"]), ("needs", cell(case["needs"]) or "—"), ("language", case["language"] or "—"),
        ("area", case["area"] or "—"), ("requested worker", case["requested_worker"] or "—"),
        ("opened", cell(case["opened_on"])), ("next review", cell(case["next_review_on"]) or "—"),
        ("last contact", cell(case["last_contact_on"]) or "—"),
    ]
    if case["home_worker"]:
        details.append(("under cover", f"home worker {case['home_worker']}, until {case['cover_until']}"))
    if case["closed_on"]:
        details.append(("closed", f"{case['closed_on']}: {case['close_reason']}"))
    for label, value in details:
        out.print(f"  {label}: {value}")
    notes = document["notes"]
    out.print()
    if notes:
        table = new_table("at", "kind", "author", "note", title=f"Notes ({len(notes)})")
        for n in notes:
            table.add_row(local_time(n["at"]), n["kind"], n["author"], n["text"])
        out.print(table)
    else:
        out.print("Notes: none yet")
    out.print(history_table(document["history"], title=f"History ({len(document['history'])})", with_case=False))


def history_table(history: list[dict], title: str, with_case: bool = True):
    headers = ("at", "case", "kind", "from", "to", "reason", "by") if with_case else \
        ("at", "kind", "from", "to", "reason", "by")
    table = new_table(*headers, title=title)
    for h in history:
        cells = [local_time(h["at"]), h["case"], h["kind"], h["previous_worker"] or "—", h["worker"] or "—",
                 h["reason"] or "", h["actor"]]
        if not with_case:
            del cells[1]
        table.add_row(*cells)
    return table
