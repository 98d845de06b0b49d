"""`report` (the nightly summary) and `export` (spreadsheet- and script-friendly data).

The report is built once as a plain document (what `--format json` prints) and every
other format renders that document, so the figures agree whatever the format.
Attention lists show how many cases there are and the first LIST_LIMIT of them.
`--since` defaults to the last recorded review, else to a week ago.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Annotated, Literal, Optional

import typer

from caseload.commands import OutputOption, parse_day

LIST_LIMIT = 100
ReportFormat = Literal["table", "md", "html", "csv", "json"]
REPORT_COLUMNS = ("id", "name", "cases", "high_risk", "load", "capacity", "load_pct", "zone", "previous_zone",
                  "red_streak", "absent", "over_cap", "overdue_reviews", "stale")


def build_report(db, s, review, since_text: str | None, redact: bool, recorded_now: bool) -> dict:
    """Every figure of the report (around today's zone review), read inside the caller's transaction."""
    from caseload.commands.zones import review_document
    from caseload.domain.load import load_pct
    from caseload.store import reporting
    from caseload.store.workers import reductions
    from caseload.store.zones import recorded_reviews

    cfg, on = s.config, s.today
    history = recorded_reviews(db, limit=26)
    # with --record the newest recorded review is today's own: compare with the one before it
    earlier = history[1:] if recorded_now else history
    previous = earlier[0] if earlier else None
    if since_text:
        since = parse_day(since_text, "--since")
    elif previous is not None:
        since = date.fromisoformat(previous["on_date"])
    else:
        since = on - timedelta(days=7)
    streaks = red_streaks(history, [f.worker.id for f in review.workers])
    zones = review_document(review)
    for row in zones["workers"]:
        before = previous["rows"].get(row["id"]) if previous else None
        row["previous_zone"] = before["zone"] if before else None
        row["red_streak"] = streaks.get(row["id"], 0)

    def listing(found):
        total, rows = found
        for row in rows:
            if redact:
                row["client"] = row["case"]
        return {"count": total, "cases": rows}

    horizon = on + timedelta(days=cfg.alerts.expiring_days)
    expiring = [
        {"worker": r.worker, "kind": r.kind, "amount": r.amount, "reason": r.reason, "ends_on": r.ends_on}
        for r in reductions(db)
        if r.state(on) == "active" and r.ends_on is not None and r.ends_on <= horizon
    ]
    trend = []
    for recorded in reversed(history):
        rows = recorded["rows"]
        load = sum((Fraction(r["load"]) for r in rows.values()), Fraction(0))
        capacity = sum((Fraction(r["capacity"]) for r in rows.values()), Fraction(0))
        trend.append({
            "date": recorded["on_date"], "team_load_pct": load_pct(load, capacity),
            "workers": {w: load_pct(Fraction(r["load"]), Fraction(r["capacity"])) for w, r in rows.items()},
        })
    covers = [{"case": c.id, "worker": c.worker, "home_worker": c.home_worker, "cover_until": c.cover_until}
              for c in review.covers_past_end]
    return {
        "date": on,
        "since": since,
        "last_review": {"date": previous["on_date"], "at": previous["at"]} if previous else None,
        "zones": {"workers": zones["workers"], "team": zones["team"],
                  "counts": {z: sum(1 for w in zones["workers"] if w["zone"] == z)
                             for z in ("red", "amber", "green", "blue")}},
        "zone_changes": [{"worker": w["id"], "from": w["previous_zone"], "to": w["zone"]}
                         for w in zones["workers"] if w["previous_zone"] and w["previous_zone"] != w["zone"]],
        "throughput": reporting.throughput(db, since.isoformat()),
        "waiting": listing(reporting.waiting_list(db, LIST_LIMIT)) | {
            "oldest_days": zones["team"]["oldest_waiting_days"]},
        "overdue_reviews": listing(reporting.overdue_reviews(db, on, LIST_LIMIT)),
        "stale_contact": listing(reporting.stale_contact(db, on, cfg.stale_after_days, LIST_LIMIT)),
        "long_open": listing(reporting.long_open(db, on, cfg.long_open_days, LIST_LIMIT)),
        "covers_past_end": covers,
        "reductions_expiring": expiring,
        "red_streaks": [{"worker": w, "reviews": n} for w, n in sorted(streaks.items()) if n >= 2],
        "excessive": [{"worker": w, "reviews": n} for w, n in sorted(streaks.items())
                      if n >= cfg.alerts.excessive_after],
        "excessive_after": cfg.alerts.excessive_after,
        "trend": trend,
    }


def red_streaks(history: list[dict], workers: list[str]) -> dict[str, int]:
    """How many recorded reviews running (newest first) each worker has been red."""
    streaks = {}
    for worker in workers:
        count = 0
        for recorded in history:
            row = recorded["rows"].get(worker)
            if row is None or row["zone"] != "red":
                break
            count += 1
        if count:
            streaks[worker] = count
    return streaks


def report(
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE",
                                                 help="Throughput from this day (default: the last recorded review).")] = None,
    format_: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, md, html, csv or json.")] = "table",
    output: OutputOption = None,
    record: Annotated[bool, typer.Option("--record", help="Also record today's zone snapshot.")] = False,
    fail_on: Annotated[Optional[Literal["amber", "red"]], typer.Option(
        "--fail-on", help="Exit 3 (after writing the whole report) when anyone is in this zone or worse.")] = None,
    redact: Annotated[bool, typer.Option("--redact", help="Case ids instead of client names.")] = False,
) -> None:
    """The nightly summary: zones and their change, throughput, attention lists, alerts."""
    from caseload.cli import session
    from caseload.commands.zones import gather_review
    from caseload.domain.review import reaches
    from caseload.render import message
    from caseload.report_view import render_report
    from caseload.store.connection import transaction

    s = session()
    db = s.open()
    with transaction(db, write=record):
        review = gather_review(db, s, s.today)
        if record:
            from caseload.store.zones import record_review

            record_review(db, review.workers, s.today, s.actor, s.now())
        document = build_report(db, s, review, since, redact, recorded_now=record)
    render_report(document, format_, output)
    if record:
        message(f"recorded the zone snapshot of {s.today}")
    if fail_on is not None:
        worst = [w["id"] for w in document["zones"]["workers"] if reaches(w["zone"], fail_on)]
        if worst:
            message(f"{len(worst)} worker(s) at {fail_on} or worse: {', '.join(worst)}")
            raise typer.Exit(3)


EXPORTS = {
    "cases": ("id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs", "language",
              "area", "weight", "opened_on", "next_review_on", "last_contact_on", "closed_on"),
    "workers": ("id", "name", "role", "fte", "capacity", "max_cases", "skills", "languages", "area", "status",
                "leaving_on"),
    "zones": ("id", "name", "fte", "cases", "high_risk", "load", "capacity", "load_pct", "zone", "absent",
              "over_cap", "overdue_reviews", "stale", "new_30d"),
    "history": ("case", "worker", "previous_worker", "kind", "reason", "actor", "at"),
}


def export(
    what: Annotated[Literal["cases", "workers", "zones", "history"], typer.Argument(help="What to export.")],
    format_: Annotated[Literal["csv", "json"], typer.Option("--format", "-f")] = "csv",
    output: OutputOption = None,
    redact: Annotated[bool, typer.Option("--redact", help="Case ids instead of client names and summaries.")] = False,
) -> None:
    """Export for spreadsheets and scripts: ISO dates, lists joined with ';', files created 0600.

    A CSV file written with --output starts with a UTF-8 byte-order mark so that Excel
    reads non-ASCII names; text that a spreadsheet would run as a formula is quoted."""
    from caseload.cli import session
    from caseload.render import stream_csv, stream_rows
    from caseload.store.connection import read_snapshot

    s = session()
    db = s.open()
    with read_snapshot(db):
        if what == "cases" and format_ == "csv":
            stream_csv(_case_cells(db, s, redact), EXPORTS["cases"], output, excel=True)
        else:
            stream_rows(_export_rows(db, s, what, redact), EXPORTS[what], format_, output, excel=True)


def _case_cells(db, s, redact: bool):
    """Cases as CSV cells, straight from SQL rows: the hot path of a big export."""
    from caseload.domain.load import case_weight
    from caseload.render import csv_cell
    from caseload.store.cases import iter_case_export

    weights: dict[tuple[str, str], str] = {}
    for (case_id, client, summary, tier, risk, status, worker, home, needs, language, area,
         opened, review, contact, closed) in iter_case_export(db):
        weight = weights.get((tier, status))
        if weight is None:
            weight = weights[(tier, status)] = csv_cell(case_weight(tier, status, s.config.load))
        if redact:
            client = summary = case_id
        yield (case_id, csv_cell(client), csv_cell(summary), tier, risk, status, worker, home,
               needs.replace(",", ";"), language, area, weight, opened, review, contact, closed)


def _export_rows(db, s, what: str, redact: bool):
    if what == "cases":
        from caseload.domain.load import case_weight
        from caseload.store.cases import CASE_EXPORT_COLUMNS, iter_case_export

        weights: dict[tuple[str, str], Fraction] = {}
        for values in iter_case_export(db):
            row = dict(zip(CASE_EXPORT_COLUMNS, values))
            row["needs"] = row["needs"].split(",") if row["needs"] else []
            key = (row["tier"], row["status"])
            if key not in weights:
                weights[key] = case_weight(row["tier"], row["status"], s.config.load)
            row["weight"] = weights[key]
            if redact:
                row["client"] = row["summary"] = row["id"]
            yield row
    elif what == "workers":
        from caseload.domain.load import capacity_breakdown
        from caseload.store.workers import list_workers, reductions_active_on

        cuts = reductions_active_on(db, s.today)
        for w in list_workers(db, include_left=True):
            yield {"id": w.id, "name": w.name, "role": w.role, "fte": w.fte,
                   "capacity": capacity_breakdown(w, cuts.get(w.id, []), s.config.load, s.today).value,
                   "max_cases": w.max_cases, "skills": w.skills, "languages": w.languages, "area": w.area,
                   "status": w.status, "leaving_on": w.leaving_on}
    elif what == "zones":
        from caseload.commands.zones import gather_review, worker_row

        yield from (worker_row(f) for f in gather_review(db, s, s.today).workers)
    else:
        from caseload.store.history import iter_history

        yield from iter_history(db)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("export")(export)

