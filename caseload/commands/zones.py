"""`zone-review`: the team meeting view (DESIGN §5).

Who is in it: every worker who has not left; a lead appears only while holding
cases, so a lead's unused capacity does not hide the team's real load. The table
is sorted highest load first, for the meeting; CSV and JSON rows are in id order,
for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, OutputOption

ZONE_COLUMNS = ("id", "name", "fte", "cases", "high_risk", "load", "capacity", "load_pct", "zone", "absent",
                "over_cap", "overdue_reviews", "stale", "new_30d")


@dataclass(frozen=True)
class Review:
    on: date
    workers: list  # WorkerFigures, in id order
    team: object  # TeamFigures
    suggestions: list
    covers_past_end: list = ()  # cases whose temporary cover should have ended
    ahead: bool = False  # a look-ahead to a future day


def gather_review(db, s, on: date) -> Review:
    """Every figure of the zone review on `on`, from SQL aggregates (read inside one snapshot).

    A day after today is a look-ahead from what is already known: absences and
    reductions on that day, reviews that will be overdue, temporary covers that will
    have ended (their cases counted back on the home worker), and workers who will have
    left by then (capacity 0, their cases shown as still to hand over)."""
    from caseload.domain.review import WorkerCounts, as_seen_on, shift_cases, team_figures, worker_figures
    from caseload.store.loads import covers_ending_before, waiting_pool, worker_counts
    from caseload.store.workers import absences_on, list_workers, reductions_active_on

    cfg = s.config
    recent_since = (on - timedelta(days=cfg.allocation.recent_days)).isoformat()
    counts = worker_counts(db, on, cfg.stale_after_days, recent_since)
    ahead = on > s.today
    if ahead:
        counts = shift_cases(counts, covers_ending_before(db, on))
    cuts = reductions_active_on(db, on)
    away = absences_on(db, on)
    figures = []
    for worker in list_workers(db):
        mine = counts.get(worker.id, WorkerCounts())
        if worker.role == "lead" and mine.cases == 0:
            continue
        worker = as_seen_on(worker, mine.cases, on, s.today)
        if worker is None:
            continue
        figures.append(worker_figures(worker, mine, cuts.get(worker.id, []), away.get(worker.id), cfg.load, on))
    waiting, oldest = waiting_pool(db)
    team = team_figures(figures, waiting, oldest, on, cfg.load.zones)
    from caseload.store.cases import covered_cases

    return Review(on, figures, team, [], [] if ahead else covered_cases(db, ended_before=on), ahead)


def worker_row(f) -> dict:
    return {
        "id": f.worker.id, "name": f.worker.name, "fte": f.worker.fte, "cases": f.cases,
        "high_risk": f.high_risk, "load": f.load, "capacity": f.capacity, "load_pct": f.load_pct,
        "zone": f.zone, "absent": f.absence is not None, "over_cap": f.over_cap,
        "overdue_reviews": f.overdue_reviews, "stale": f.stale, "new_30d": f.new_recent,
    }


def review_document(review: Review) -> dict:
    t = review.team
    return {
        "date": review.on,
        "workers": [worker_row(f) for f in review.workers],
        "team": {
            "load": t.load, "capacity": t.capacity, "load_pct": t.load_pct, "zone": t.zone,
            "waiting": t.waiting, "oldest_waiting_days": t.oldest_waiting_days,
        },
        "suggestions": review.suggestions,
    }


def review_table(review: Review):
    from rich.text import Text

    from caseload.domain.load import fmt
    from caseload.render import load_bar, new_table, pct_text, zone_badge

    t = review.team
    table = new_table(
        "worker", "fte", "cases", "high risk", "load", "capacity", "load %", "", "zone", "notes",
        title=f"Zone review {review.on}" + (" (look-ahead)" if review.ahead else ""), right=("fte", "cases", "high risk", "load", "capacity", "load %"),
    )

    def sort_key(f):
        return (-(f.load_pct if f.load_pct is not None else (10**9 if f.load else -1)), f.worker.id)

    for f in sorted(review.workers, key=sort_key):
        notes = []
        if f.worker.status == "gone":
            notes.append(f"left {f.worker.leaving_on}: {f.cases} case(s) still to hand over")
        elif f.worker.status == "leaving":
            notes.append(f"leaving {f.worker.leaving_on}")
        if f.absence is not None:
            notes.append(f"absent to {f.absence.ends_on}")
        if f.over_cap:
            notes.append(f"over cap ({f.cap})")
        if f.overdue_reviews:
            notes.append(f"{f.overdue_reviews} overdue")
        if f.stale:
            notes.append(f"{f.stale} stale")
        table.add_row(
            f"{f.worker.id} ({f.worker.name})", fmt(f.worker.fte), str(f.cases), str(f.high_risk), fmt(f.load),
            fmt(f.capacity), pct_text(f.load_pct), load_bar(f.load_pct, f.zone), zone_badge(f.zone),
            ", ".join(notes),
        )
    table.add_section()
    table.add_row(
        Text("team", style="bold"), "", str(sum(f.cases for f in review.workers)),
        str(sum(f.high_risk for f in review.workers)), fmt(t.load), fmt(t.capacity), pct_text(t.load_pct),
        load_bar(t.load_pct, t.zone), zone_badge(t.zone), "",
    )
    return table


def print_review(review: Review) -> None:
    from caseload.render import console

    out = console()
    out.print(review_table(review))
    t = review.team
    counts = {z: sum(1 for f in review.workers if f.zone == z) for z in ("red", "amber", "green", "blue")}
    out.print("Zones: " + ", ".join(f"{n} {z}" for z, n in counts.items()))
    if t.waiting:
        out.print(f"Waiting pool: {t.waiting} case(s), the oldest waiting {t.oldest_waiting_days} day(s)")
    else:
        out.print("Waiting pool: empty")
    if review.covers_past_end:
        out.print(f"Covers past their end ({len(review.covers_past_end)}; `caseload return --due` ends them):")
        for c in review.covers_past_end:
            out.print(f"  {c.id}: {c.worker} covering for {c.home_worker}, cover ended {c.cover_until}")


def meeting_memory(db, review: Review) -> dict | None:
    """What changed since the last recorded review: new cases, moves, risk changes, zones."""
    from caseload.store.reporting import changes_since
    from caseload.store.zones import recorded_reviews

    history = recorded_reviews(db, limit=1)
    if not history:
        return None
    last = history[0]
    memory = changes_since(db, last["at"])
    memory["date"] = last["on_date"]
    memory["zone_changes"] = [
        (f.worker.id, last["rows"][f.worker.id]["zone"], f.zone)
        for f in review.workers
        if f.worker.id in last["rows"] and last["rows"][f.worker.id]["zone"] != f.zone
    ]
    return memory


def print_memory(memory: dict | None) -> None:
    from caseload.render import console

    out = console()
    if memory is None:
        out.print("No recorded review yet: `caseload zone-review --record` keeps this one for next time.")
        return
    out.print(f"[bold]Since the last review ({memory['date']})[/bold]: {memory['new_cases']} new case(s), "
              f"{memory['moves']} move(s), {len(memory['risk_changes'])} risk change(s)")
    changes = memory["zone_changes"]
    for worker, before, now in changes[:20]:
        out.print(f"  {worker}: {before} -> {now}")
    if len(changes) > 20:
        out.print(f"  … and {len(changes) - 20} more zone change(s) (`caseload report` lists them all)")
    for move in memory["move_list"][:10]:
        out.print(f"  {move['case']} {move['kind']}: {move['previous_worker'] or 'waiting'} -> {move['worker']}")
    if memory["moves"] > 10:
        out.print(f"  … and {memory['moves'] - 10} more move(s) (`caseload history --since {memory['date']}`)")
    for change in memory["risk_changes"]:
        out.print(f"  {change['case']} risk {change['old']} -> {change['new']}")


def zone_review(
    record: Annotated[bool, typer.Option("--record", help="Store this review as a snapshot for trends.")] = False,
    suggest: Annotated[bool, typer.Option(
        "--suggest", help="Add the rebalance proposal as suggested moves.")] = False,
    fail_on: Annotated[Optional[Literal["amber", "red"]], typer.Option(
        "--fail-on", help="Exit 3 (after printing) when any worker is in this zone or worse.")] = None,
    on: Annotated[Optional[str], typer.Option(
        "--on", metavar="DATE", help="Look ahead: the zones on a future day from what is already known.")] = None,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """The team meeting view: each worker's load against capacity as red/amber/green/blue."""
    from caseload.cli import session
    from caseload.commands import parse_day
    from caseload.domain.errors import BadInput
    from caseload.domain.review import reaches
    from caseload.render import emit, message
    from caseload.store.connection import transaction

    s = session()
    day = parse_day(on, "--on") if on else s.today
    if day < s.today:
        raise BadInput("--on", on, "is in the past (recorded reviews are in `caseload report`)")
    if day > s.today and (record or suggest):
        raise BadInput("--record" if record else "--suggest", "", "cannot go with a look-ahead (--on)")
    db = s.open()
    with transaction(db, write=record):
        review = gather_review(db, s, day)
        memory = meeting_memory(db, review) if day == s.today and format_ == "table" and output is None else None
        if record:
            from caseload.store.zones import record_review

            record_review(db, review.workers, s.today, s.actor, s.now())
        if suggest:
            from dataclasses import replace

            from caseload.commands.rebalance import rebalance_plan, suggestion_rows

            proposal = rebalance_plan(db, s)
            review = replace(review, suggestions=suggestion_rows(proposal))
    document = review_document(review)
    if format_ == "table" and output is None:
        print_review(review)
        if day == s.today:
            print_memory(memory)
        if suggest:
            from caseload.commands.rebalance import print_suggestions

            print_suggestions(proposal)
    else:
        emit(format_, output, document["workers"], ZONE_COLUMNS, lambda: review_table(review), document=document)
    if record:
        message(f"recorded the zone review of {s.today}")
    if fail_on is not None and any(reaches(f.zone, fail_on) for f in review.workers):
        worst = [f.worker.id for f in review.workers if reaches(f.zone, fail_on)]
        message(f"{len(worst)} worker(s) at {fail_on} or worse: {', '.join(worst)}")
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    app.command("zone-review")(zone_review)
