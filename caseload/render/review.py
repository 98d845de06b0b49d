"""The zone review for people: the meeting table (highest load first), the zones line,
the waiting pool, covers past their end, what changed since the last recorded review,
and suggested moves."""

from __future__ import annotations

from caseload.render.console import (Styled, heading, load_bar, natural_width, new_table, print_indented,
                                     zone_badge)
from caseload.render.numbers import fmt, pct_text


# How the meeting table narrows on a terminal (DESIGN §5): first the notes' dates lose their
# year (nothing lost), then the bar gives way, then the workers' full names, then the notes'
# long words (`absent to 12-07`, `abs 12-07`, `abs`; at the last step only what a meeting
# must see: absent, leaving, red for weeks, over cap, covering, covered; the overdue
# reviews and stale contacts are then listed under the table, by worker), then the least
# read figures; the notes go last of all, so a review at 80 columns still says who is
# absent, leaving, covering or over cap (and narrower, without the column, the short notes
# are listed under the table). Each step is (columns dropped, notes' level).
NARROWING = (
    ((), 0), ((), 1), (("bar",), 1), (("bar", "name"), 1), (("bar", "name"), 2), (("bar", "name"), 3),
    (("bar", "name", "fte"), 3), (("bar", "name", "fte", "capacity"), 3),
    (("bar", "name", "fte", "capacity", "high risk"), 3), (("bar", "name", "fte", "capacity", "high risk", "notes"), 3),
)
SHORTEST = 3  # the notes' shortest level: only what a meeting must see, the rest under the table
HEADERS = ("worker", "fte", "cases", "high risk", "load", "capacity", "load %", "bar", "zone", "feels", "notes")


def review_table(review, out=None):
    """The meeting table, highest load first, and what of the notes it had to leave out:
    "counts" (the overdue reviews and stale contacts), "notes" (the column itself, on a very
    narrow terminal); `draw_review` lists them under it. On a narrow terminal (`out`), the
    columns and the notes' words give way in the order of NARROWING, so each row stays one
    line."""
    t = review.team
    with_feels = any(review.meeting_of(f.worker.id).feels for f in review.workers)

    def sort_key(f):
        return (-(f.load_pct if f.load_pct is not None else (10**9 if f.load else -1)), f.worker.id)

    def build(dropped: frozenset, level: int = 0):
        shown = [h for h in HEADERS if h not in dropped and (h != "feels" or with_feels)]
        table = new_table(*[("" if h == "bar" else h) for h in shown],
                          title=f"Zone review {review.on}" + (" (look-ahead)" if review.ahead else ""),
                          right=("fte", "cases", "high risk", "load", "capacity", "load %"))

        def row(cells: dict) -> list:
            return [cells[h] for h in shown]

        for f in sorted(review.workers, key=sort_key):
            meeting = review.meeting_of(f.worker.id)
            table.add_row(*row({
                "worker": f.worker.id if "name" in dropped else f"{f.worker.id} ({f.worker.name})",
                "fte": fmt(f.worker.fte), "cases": str(f.cases), "high risk": str(f.high_risk), "load": fmt(f.load),
                "capacity": fmt(f.capacity), "load %": pct_text(f.load_pct), "bar": load_bar(f.load_pct, f.zone),
                "zone": zone_badge(f.zone), "feels": feels_text(meeting.feels, level),
                "notes": ", ".join(worker_notes(f, meeting, level)),
            }))
        table.add_section()
        table.add_row(*row({
            "worker": Styled("team", "bold"), "fte": "", "cases": str(sum(f.cases for f in review.workers)),
            "high risk": str(sum(f.high_risk for f in review.workers)), "load": fmt(t.load),
            "capacity": fmt(t.capacity), "load %": pct_text(t.load_pct), "bar": load_bar(t.load_pct, t.zone),
            "zone": zone_badge(t.zone), "feels": "", "notes": "",
        }))
        return table

    if out is None or not out.is_terminal:
        return build(frozenset()), frozenset()
    for dropped, level in NARROWING:
        table = build(frozenset(dropped), level)
        if natural_width(out, table) <= out.width:
            break
    left_out = {"counts"} if level >= SHORTEST else set()
    return table, frozenset(left_out | ({"counts", "notes"} if "notes" in dropped else set()))


SHORT_FEELINGS = {"manageable": "ok", "stretched": "strch", "overwhelmed": "OVERWH"}


def feels_text(feeling: str | None, level: int) -> str:
    """The worker's own view of the week, shortened at the notes' shortest level."""
    if feeling is None:
        return ""
    return SHORT_FEELINGS.get(feeling, feeling) if level >= 3 else feeling


def worker_notes(f, meeting=None, level: int = 0) -> list[str]:
    """What the meeting must know about a worker beyond the figures, in words; `level` 0 to 3
    says each note shorter (DESIGN §5: `absent to 12-07` becomes `abs`), for a narrow
    terminal. Level 0 is the full text, dates whole."""

    def day(d) -> str:
        return str(d) if level == 0 else d.strftime("%m-%d")

    def pick(*forms: str) -> str:  # the forms from longest to shortest; level picks one
        return forms[min(level, len(forms) - 1)]

    notes = []
    if f.worker.status == "gone":
        notes.append(pick(f"left {day(f.worker.leaving_on)}: {f.cases} case(s) still to hand over",
                          f"left {day(f.worker.leaving_on)}: {f.cases} to hand over", f"left, {f.cases} to go",
                          f"left {f.cases}"))
    elif f.worker.status == "leaving":
        notes.append(pick(f"leaving {day(f.worker.leaving_on)}", f"leaving {day(f.worker.leaving_on)}",
                          f"leav {day(f.worker.leaving_on)}", "leav"))
    if f.absence is not None:
        notes.append(pick(f"absent to {day(f.absence.ends_on)}", f"absent to {day(f.absence.ends_on)}",
                          f"abs {day(f.absence.ends_on)}", "abs"))
    if meeting is not None and (meeting.red_weeks > 1 or meeting.excessive):
        weeks = meeting.red_weeks
        if meeting.excessive:
            notes.append(pick(f"EXCESSIVE: red {weeks} weeks running", f"EXCESSIVE: red {weeks} wks",
                              f"EXCESS {weeks}w", f"EXC {weeks}w"))
        else:
            notes.append(pick(f"red {weeks} weeks running", f"red {weeks} wks", f"red {weeks}w", f"red{weeks}w"))
    if f.over_cap:
        notes.append(pick(f"over cap ({f.cap})", f"over cap ({f.cap})", f"cap+{f.cases - f.cap}",
                          f"cap+{f.cases - f.cap}"))
    if meeting is not None and meeting.covering:
        notes.append(pick(f"covering {meeting.covering} for others", f"covering {meeting.covering}",
                          f"cov {meeting.covering}", f"cov{meeting.covering}"))
    if meeting is not None and meeting.covered:
        notes.append(pick(f"{meeting.covered} covered by others", f"{meeting.covered} covered",
                          f"{meeting.covered} cvd", f"cvd{meeting.covered}"))
    if level >= SHORTEST:  # overdue reviews and stale contacts are then listed under the table
        return notes
    if f.overdue_reviews:
        notes.append(pick(f"{f.overdue_reviews} overdue", f"{f.overdue_reviews} overdue", f"{f.overdue_reviews} ovd"))
    if f.stale:
        notes.append(pick(f"{f.stale} stale", f"{f.stale} stale", f"{f.stale} stale"))
    return notes


def draw_review(out, review) -> None:
    """The meeting view: the table, the zones line, the waiting pool, covers past their end."""
    table, left_out = review_table(review, out)
    out.print(table)
    t = review.team
    counts = {z: sum(1 for f in review.workers if f.zone == z) for z in ("red", "amber", "green", "blue")}
    out.print("Zones: " + ", ".join(f"{n} {z}" for z, n in counts.items()))
    if "notes" in left_out:  # no room for the column: what a meeting must see, worker by worker
        noted = [f"{f.worker.id} {', '.join(found)}" for f in sorted(review.workers, key=lambda f: f.worker.id)
                 if (found := worker_notes(f, review.meeting_of(f.worker.id), SHORTEST))]
        if noted:
            out.print(f"Notes: {'; '.join(noted)}")
    if "counts" in left_out:  # a narrow terminal: what the notes had no room for
        for label, figure in (("Overdue reviews", "overdue_reviews"), ("Stale contact", "stale")):
            line = per_worker_line(review.workers, figure)
            if line:
                out.print(f"{label}: {line}")
    for worker in review.starting:  # not in post yet: no capacity, no zone
        out.print(f"Starting: {worker.id} ({worker.name}) starts {worker.starts_on}, "
                  f"no capacity or cases before (`caseload forecast` shows the weeks ahead)")
    if t.waiting:
        attention = review.waiting_attention
        overdue = sum(1 for w in attention if w.contact_overdue)
        out.print(f"Waiting pool: {t.waiting} case(s), the oldest waiting {t.oldest_waiting_days} day(s); "
                  f"{overdue} past the first-contact deadline, {len(attention) - overdue} more due a check-in")
        draw_waiting_attention(out, attention)
    else:
        out.print("Waiting pool: empty")
    if review.covers_past_end:
        out.print(f"Covers past their end ({len(review.covers_past_end)}; `caseload return --due` ends them):")
        for c in review.covers_past_end:
            out.print(f"  {c.id}: {c.worker} covering for {c.home_worker}, cover ended {c.cover_until}")


def per_worker_line(figures, figure: str) -> str:
    """"chloe 3, asha 2, ben 1": the workers whose `figure` (a WorkerFigures count) is above
    0, most first, then by id."""
    found = sorted((-getattr(f, figure), f.worker.id) for f in figures if getattr(f, figure))
    return ", ".join(f"{worker} {-n}" for n, worker in found)


WAITING_SHOWN = 10  # the meeting reads the first of them; `cases --waiting` has them all


def waiting_attention_line(w) -> str:
    """One waiting case that needs someone now, by id (no client name: the meeting view is
    shown on a screen), with what is overdue."""
    due = (f"first contact was due {w.first_contact_due}, none yet" if w.contact_overdue
           else f"check-in was due {w.check_in_due} (last contact {w.contacted_on or 'none'})")
    return f"{w.case.id} {w.case.risk} risk, waiting {w.waited_days} day(s): {due}"


def draw_waiting_attention(out, attention: list) -> None:
    """The top of the attention list: waiting cases past their first-contact deadline or
    due a check-in, in priority order (risk, first-contact deadline, wait)."""
    if not attention:
        return
    out.print(f"Needs attention ({len(attention)} waiting; `caseload cases --waiting` lists the pool):")
    for w in attention[:WAITING_SHOWN]:
        print_indented(out, waiting_attention_line(w))
    if len(attention) > WAITING_SHOWN:
        out.print(f"  … and {len(attention) - WAITING_SHOWN} more")


def draw_memory(out, memory) -> None:
    """What changed since the last recorded review (or how to start keeping one)."""
    if memory is None:
        out.print("No recorded review yet: `caseload zone-review --record` keeps this one for next time.")
        return
    out.print(heading(f"Since the last review ({memory.date})").append(
        f": {memory.new_cases} new case(s), {memory.moves} move(s), {len(memory.risk_changes)} risk change(s)"))
    changes = memory.zone_changes
    for worker, before, now in changes[:20]:
        out.print(f"  {worker}: {before} -> {now}")
    if len(changes) > 20:
        out.print(f"  … and {len(changes) - 20} more zone change(s) (`caseload report` lists them all)")
    for case, previous, worker, kind in memory.move_list[:10]:
        if previous is not None and previous == worker:  # a reopening to its worker: no change of hands
            out.print(f"  {case} {kind}: stays with {worker}")
        else:  # an undo puts a case back in the pool: no worker after
            out.print(f"  {case} {kind}: {previous or 'waiting'} -> {worker or 'waiting'}")
    if memory.moves > 10:
        out.print(f"  … and {memory.moves - 10} more move(s) (`caseload history --since {memory.date}`)")
    for case, old, new in memory.risk_changes:
        out.print(f"  {case} risk {old} -> {new}")
