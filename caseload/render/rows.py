"""Every row shape of caseload's output, defined once (DESIGN §5): the JSON keys and
CSV columns of each kind of row, and the function that makes a row from the domain's
values. Listings, exports, plans and the report all take their rows from here, so a
key is spelled in one place.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from caseload.render.numbers import FORMULA_START, csv_cell, exact_number
from caseload.render.output import CsvText

# -- the team -----------------------------------------------------------------

# DESIGN §5's keys, then `starts_on`, `auto` and `capacity_override`: a listing re-imports
# with `worker import` into the same team (§11), new starters, leads who take automatic
# allocations and capacity overrides included. `capacity` is the capacity on the day (after
# any reduction), so it cannot say whether the worker has an override of their own.
WORKER_COLUMNS = ("id", "name", "role", "fte", "capacity", "max_cases", "skills", "languages", "area",
                  "status", "leaving_on", "starts_on", "auto", "capacity_override")


def worker_row(w, capacity) -> dict[str, Any]:
    """A worker (`worker list`, `export workers`), with their capacity on the day; what
    `worker import` reads back (fte and override) exact, never rounded."""
    return {"id": w.id, "name": w.name, "role": w.role, "fte": exact_number(w.fte), "capacity": capacity,
            "max_cases": w.max_cases, "skills": w.skills, "languages": w.languages, "area": w.area,
            "status": w.status, "leaving_on": w.leaving_on, "starts_on": w.starts_on, "auto": w.auto,
            "capacity_override": exact_number(w.capacity)}


REDUCTION_COLUMNS = ("id", "worker", "kind", "amount", "reason", "starts_on", "ends_on", "state")


def reduction_row(r, on: date, state: str | None = None) -> dict[str, Any]:
    """A reduction (`worker reductions`, `export reductions`) with its state on `on` (or the
    `state` given); `worker import --reductions` reads it back, id and state aside (the
    amount exact: a cut of 33.333333 % is not 33.33 %)."""
    return {"id": r.id, "worker": r.worker, "kind": r.kind, "amount": exact_number(r.amount), "reason": r.reason,
            "starts_on": r.starts_on, "ends_on": r.ends_on, "state": state or r.state(on)}


# -- the zone review ----------------------------------------------------------

ZONE_COLUMNS = ("id", "name", "fte", "cases", "high_risk", "load", "capacity", "load_pct", "zone", "absent",
                "over_cap", "overdue_reviews", "stale", "new_30d")


def zone_row(f) -> dict[str, Any]:
    """A worker's figures in the zone review (`zone-review`, `export zones`)."""
    return {
        "id": f.worker.id, "name": f.worker.name, "fte": f.worker.fte, "cases": f.cases,
        "high_risk": f.high_risk, "load": f.load, "capacity": f.capacity, "load_pct": f.load_pct,
        "zone": f.zone, "absent": f.absence is not None, "over_cap": f.over_cap,
        "overdue_reviews": f.overdue_reviews, "stale": f.stale, "new_30d": f.new_recent,
    }


def team_row(t) -> dict[str, Any]:
    return {"load": t.load, "capacity": t.capacity, "load_pct": t.load_pct, "zone": t.zone,
            "waiting": t.waiting, "oldest_waiting_days": t.oldest_waiting_days}


SUGGESTION_COLUMNS = ("case", "from", "to", "reason")


def suggestion_row(m) -> dict[str, Any]:
    """A proposed rebalance move (`rebalance`, `zone-review --suggest`)."""
    return {"case": m.case, "from": m.source, "to": m.target, "reason": m.reason}


def review_document(review) -> dict[str, Any]:
    """The zone review as JSON: {"date", "workers", "team", "suggestions"}."""
    moves = review.suggestions.moves if review.suggestions is not None else ()
    return {"date": review.on, "workers": list(review_rows(review)), "team": team_row(review.team),
            "suggestions": [suggestion_row(m) for m in moves]}


# -- the meeting (issue 22): streaks, covers and the worker's own view -------

# The worker row of `zone-review` and `export zones`: DESIGN §5's keys, then the meeting's.
MEETING_COLUMNS = ("red_weeks", "excessive", "covering", "covered", "feels")
REVIEW_COLUMNS = ZONE_COLUMNS + MEETING_COLUMNS


def meeting_fields(m) -> dict[str, Any]:
    """A worker's `domain.review.MeetingFigures` as DESIGN §5 names them."""
    return {"red_weeks": m.red_weeks, "excessive": m.excessive, "covering": m.covering, "covered": m.covered,
            "feels": m.feels}


def review_rows(review):
    """The zone review's worker rows (REVIEW_COLUMNS), in id order."""
    for f in review.workers:
        yield zone_row(f) | meeting_fields(review.meeting_of(f.worker.id))


ABSENCE_COLUMNS = ("id", "worker", "starts_on", "ends_on", "reason", "cover", "state")


def absence_row(a, state: str) -> dict[str, Any]:
    """An absence (`worker absences`), with its id for `worker absent ID --change N` / `--cancel`."""
    return {"id": a.id, "worker": a.worker, "starts_on": a.starts_on, "ends_on": a.ends_on, "reason": a.reason,
            "cover": a.cover, "state": state}


REPORT_COLUMNS = ("id", "name", "cases", "high_risk", "load", "capacity", "load_pct", "zone", "previous_zone",
                  "red_streak", "absent", "over_cap", "overdue_reviews", "stale")


def report_row(f, previous, streak: int) -> dict[str, Any]:
    """A worker's zone row in the report, with the zone at the last recorded review and the red streak."""
    before = previous.rows.get(f.worker.id) if previous is not None else None
    return zone_row(f) | {"previous_zone": before.zone if before else None, "red_streak": streak}


# -- cases --------------------------------------------------------------------

CASE_COLUMNS = ("id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs",
                "language", "area", "weight", "opened_on", "next_review_on", "last_contact_on", "closed_on")


def case_row(case, weight) -> dict[str, Any]:
    """A case as the JSON keys / CSV headers of DESIGN §5."""
    return {
        "id": case.id, "client": case.client, "summary": case.summary, "tier": case.tier, "risk": case.risk,
        "status": case.status, "worker": case.worker, "home_worker": case.home_worker, "needs": case.needs,
        "language": case.language, "area": case.area, "weight": weight,
        "opened_on": case.opened_on, "next_review_on": case.next_review_on,
        "last_contact_on": case.last_contact_on, "closed_on": case.closed_on,
    }


WAITING_COLUMNS = ("waiting_since", "waited_days", "first_contact_due", "check_in_due", "contact_overdue",
                   "check_in_overdue")
WAITING_CASE_COLUMNS = CASE_COLUMNS + WAITING_COLUMNS


def waiting_fields(entry) -> dict[str, Any]:
    """A waiting case's place in the pool (`domain.waiting.Waiting`), as DESIGN §5 names it."""
    return {"waiting_since": entry.waiting_since, "waited_days": entry.waited_days,
            "first_contact_due": entry.first_contact_due, "check_in_due": entry.check_in_due,
            "contact_overdue": entry.contact_overdue, "check_in_overdue": entry.check_in_overdue}


def waiting_flags(row: dict) -> str:
    """What a lead must do about a waiting case (a row with `waiting_fields`), in words
    (empty: nothing is overdue)."""
    flags = (["FIRST CONTACT OVERDUE"] if row["contact_overdue"] else []) + \
        (["check-in overdue"] if row["check_in_overdue"] else [])
    return ", ".join(flags)


def waiting_case_row(entry, weight) -> dict[str, Any]:
    """A case of `cases --waiting`: the case's keys, then its wait, deadlines and flags."""
    return case_row(entry.case, weight) | waiting_fields(entry)


# `export cases` adds, after DESIGN §5's keys (first and in their order), what `intake --csv`
# needs to give the same cases back in a fresh database (§11): the day the holder took the
# case, a closed case's reason, the end of a cover and the requested worker. Without them a
# re-import counts every case as new to its worker, makes up a close reason and ends every
# cover today.
CASE_EXPORT_COLUMNS = CASE_COLUMNS + ("held_since", "close_reason", "cover_until", "requested")

# How each column of `export cases` is written as CSV, and where it comes from in the cases
# table (None: not stored; `held_since` is read from history, `store.cases.DERIVED`). The kinds,
# in `csv_cell`'s rules:
# - "code": a value `domain.fields` checks on the way in (an id, a tier, a token, an area,
#   an ISO date): it never holds a comma, a quote or a line break, so it is written bare;
# - "text": typed freely: a leading ' when it starts like a formula (FORMULA_START), and
#   always quoted (RFC 4180, " doubled), so a comma, a quote or a line break (a bare CR
#   too) stays inside its cell without each cell being searched for them;
# - "list": stored comma-joined, written joined with ';';
# - "weight": the case's weight, from its tier and status.
# The SQL that writes the lines of a big export (`store.cases.iter_case_export_csv`) is built
# from this list; tests/test_export_cells.py checks its bytes against the csv module's.
CASE_EXPORT_CELLS = (
    ("id", "code"), ("client", "text"), ("summary", "text"), ("tier", "code"), ("risk", "code"),
    ("status", "code"), ("worker", "code"), ("home_worker", "code"), ("needs", "list"), ("language", "code"),
    ("area", "code"), (None, "weight"), ("opened_on", "code"), ("next_review_on", "code"),
    ("last_contact_on", "code"), ("closed_on", "code"), ("held_since", "code"), ("close_reason", "text"),
    ("cover_until", "code"),
    ("requested_worker", "code"),
)
# What `--redact` writes in place of the freely typed columns: the case id for the client
# and summary, nothing for the close reason (typed freely, it may name the client).
REDACTED = {"client": "id", "summary": "id", "close_reason": None}
# The stored columns of `export cases` in CASE_EXPORT_COLUMNS order (the weight is not
# stored): `store.cases.CASE_EXPORT_FIELDS`, the store's select list, must be this list
# (tests/test_export_cells.py checks it), as `case_export_rows` reads its tuples by place.
CASE_EXPORT_STORED = tuple(field for field, kind in CASE_EXPORT_CELLS if kind != "weight")


def case_export_rows(stored, weight_of, redact: bool):
    """Cases for `export cases` as JSON or a workbook: dicts of CASE_EXPORT_COLUMNS, straight
    from the store's tuples (CASE_EXPORT_STORED). `weight_of(tier, status)` gives the weight.
    Redacted, client and summary are the case id and the close reason is left out (REDACTED)."""
    weights: dict[tuple[str, str], Any] = {}
    for (case_id, client, summary, tier, risk, status, worker, home, needs, language, area,
         opened, review, contact, closed, held, reason, cover_until, requested) in stored:
        weight = weights.get((tier, status))
        if weight is None:
            weights[(tier, status)] = weight = weight_of(tier, status)
        if redact:
            client = summary = case_id
            reason = None
        yield dict(zip(CASE_EXPORT_COLUMNS, (case_id, client, summary, tier, risk, status, worker, home,
                                             needs.split(",") if needs else [], language, area, weight, opened,
                                             review, contact, closed, held, reason, cover_until, requested)))


def case_export_csv_cells(open_weights: dict[str, dict[str, Any]], no_weight, redact: bool) -> dict[str, Any]:
    """How `export cases --format csv` writes its cells, for the query that writes its lines
    (`store.cases.iter_case_export_csv`): `cells`, each column's (stored column, kind) in
    CASE_EXPORT_COLUMNS order (REDACTED in place of the free text with `redact`); `weights`,
    the weight cell of each open status and tier the cases carry, and `no_weight` any other
    case's, as `csv_cell` writes them; and `formula_start`, the marks `csv_cell` guards."""
    cells = tuple((REDACTED[field] if redact and field in REDACTED else field, kind)
                  for field, kind in CASE_EXPORT_CELLS)
    return {"cells": cells,
            "weights": {status: {tier: csv_cell(weight) for tier, weight in by_tier.items()}
                        for status, by_tier in open_weights.items()},
            "no_weight": csv_cell(no_weight), "formula_start": FORMULA_START}


def export_listing(what: str, found, csv: bool, redact: bool) -> tuple[Any, tuple[str, ...]]:
    """The rows and columns of `export WHAT` from what `app.export.gather` read: cases (as CSV,
    lines SQLite writes under CASE_EXPORT_CELLS' rules; else CASE_EXPORT_COLUMNS dicts),
    workers, zones, history (redacted: client names, summaries and reasons left out),
    absences or reductions (their reasons are words from a fixed list: nothing to redact)."""
    if what == "cases" and csv:
        rules = case_export_csv_cells(found.open_weights, found.no_weight, redact)
        return CsvText(lambda line_end: found.lines(rules, line_end)), CASE_EXPORT_COLUMNS
    if what == "cases":
        return case_export_rows(found.stored(), found.weight_of, redact), CASE_EXPORT_COLUMNS
    if what == "workers":
        return (worker_row(w, capacity) for w, capacity in found), WORKER_COLUMNS
    if what == "zones":
        return review_rows(found), REVIEW_COLUMNS
    if what == "absences":
        return (absence_row(a, state) for a, state in found), ABSENCE_COLUMNS
    if what == "reductions":
        return (reduction_row(r, r.starts_on, state) for r, state in found), REDUCTION_COLUMNS
    if what == "reviews":
        return (recorded_row(stored) for stored in found), RECORDED_COLUMNS
    if what == "feels":
        return (dict(zip(FEEL_COLUMNS, stored)) for stored in found), FEEL_COLUMNS
    return history_rows(found, redact), HISTORY_COLUMNS


def team_export(found) -> list[tuple[str, Any, tuple[str, ...]]]:
    """`export team` (an `app.export.TeamExport`): (sheet name, rows, columns) of its workers,
    absences, reductions, recorded reviews and own views, the sheets `worker import --file`
    reads back by those names."""
    return [(what, *export_listing(what, getattr(found, what), False, False))
            for what in ("workers", "absences", "reductions", "reviews", "feels")]


# the workers' own views (`export feels`), every one given, in the order given
FEEL_COLUMNS = ("worker", "on", "feeling", "recorded_at", "recorded_by")


# the recorded reviews (`export reviews`), as `worker import` reads them back: load and
# capacity exact (a decimal, never rounded: the report's trend is worked out from them)
RECORDED_COLUMNS = ("on", "kind", "worker", "cases", "load", "capacity", "zone", "recorded_at", "recorded_by")


def recorded_row(stored: tuple) -> dict[str, Any]:
    """A worker's row of a recorded review, from `store.zones.iter_recorded_rows`' tuple."""
    on, kind, at, actor, worker, cases, load, capacity, zone = stored
    return dict(zip(RECORDED_COLUMNS, (on, kind, worker, cases, exact_number(load), exact_number(capacity), zone,
                                       at, actor)))


ATTENTION_COLUMNS = ("case", "client", "worker", "risk", "opened_on", "next_review_on", "last_contact_on")


COVER_COLUMNS = ("case", "worker", "home_worker", "cover_until")


def cover_row(case) -> dict[str, Any]:
    """A case under cover (the report's covers past their end): who holds it, whose it is, until when."""
    return dict(zip(COVER_COLUMNS, (case.id, case.worker, case.home_worker, case.cover_until)))


EXPIRING_COLUMNS = ("worker", "kind", "amount", "reason", "ends_on")


def expiring_row(r) -> dict[str, Any]:
    """A capacity reduction ending soon (the report)."""
    return dict(zip(EXPIRING_COLUMNS, (r.worker, r.kind, r.amount, r.reason, r.ends_on)))


STREAK_COLUMNS = ("worker", "weeks")  # the report's red streaks, in ISO weeks running


# -- history ------------------------------------------------------------------

HISTORY_COLUMNS = ("case", "worker", "previous_worker", "kind", "reason", "actor", "at")


def history_rows(stored, redact: bool = False):
    """History rows as dicts, from the store's tuples (in HISTORY_COLUMNS order). Redacted
    (`export history --redact`, for records that travel), the reasons are left out: they
    are typed freely and may name the client (DESIGN §6 treats them like notes); the kind
    of each change says what happened."""
    for values in stored:
        row = dict(zip(HISTORY_COLUMNS, values))
        if redact:
            row["reason"] = None
        yield row


# -- plans --------------------------------------------------------------------

PLACEMENT_COLUMNS = ("case", "risk", "tier", "weight", "worker", "reason")


def placement_row(placement, request) -> dict[str, Any]:
    """A case in an `assign` plan: where it goes (worker None: it stays waiting) and why."""
    return {"case": placement.case, "risk": request.case.risk, "tier": request.case.tier,
            "weight": request.weight, "worker": placement.worker, "reason": placement.reason}


def candidate_row(view) -> dict[str, Any]:
    """One line of `--explain`: a candidate's standing for one case."""
    return {"worker": view.worker, "qualified": view.qualified, "failed_rule": view.failed_rule,
            "load_pct_before": view.pct_before, "load_pct_after": view.pct_after, "zone_after": view.zone_after,
            "protected_until": view.protected_until}


RECEIVER_COLUMNS = ("id", "load_pct_before", "load_pct_after", "zone_after")


def receiver_row(worker: str, load_pct_before, load_pct_after, zone_after: str) -> dict[str, Any]:
    """A worker receiving cases in an `assign` plan: load % before and after, zone after."""
    return dict(zip(RECEIVER_COLUMNS, (worker, load_pct_before, load_pct_after, zone_after)))


MOVE_COLUMNS = ("case", "risk", "tier", "from", "to", "load_pct_after", "zone_after", "reason")


def move_row(move, case, load_pct_after, zone_after: str) -> dict[str, Any]:
    """A case in a handover plan: from, to, and the receiver's load % and zone after the plan."""
    return {"case": case.id, "risk": case.risk, "tier": case.tier, "from": move.previous, "to": move.to,
            "load_pct_after": load_pct_after, "zone_after": zone_after, "reason": move.reason}


STUCK_COLUMNS = ("case", "reason", "next")


def stuck_row(case: str, reason: str, next_step: str) -> dict[str, Any]:
    """A case a handover leaves with the worker: why, and what the lead can do next."""
    return dict(zip(STUCK_COLUMNS, (case, reason, next_step)))


RETURN_COLUMNS = ("case", "from", "to", "reason")


def return_row(move) -> dict[str, Any]:
    """A case `return` brings back to its home worker."""
    return {"case": move.case, "from": move.previous, "to": move.to, "reason": move.reason}


# -- one case, one worker -----------------------------------------------------

NOTE_COLUMNS = ("kind", "text", "author", "at")


def note_row(stored) -> dict[str, Any]:
    """A note of `show CASE`, from the store's row (read by name)."""
    return {column: stored[column] for column in NOTE_COLUMNS}


CHANGE_COLUMNS = ("field", "old", "new", "actor", "at")


def change_row(stored) -> dict[str, Any]:
    """A recorded change of a case's field (`update`, `reopen`, `cover --until`), from the
    store's row (read by name); client names and summaries are not repeated there."""
    return {column: stored[column] for column in CHANGE_COLUMNS}
