"""The JSON documents of caseload's output that are more than a list of rows (DESIGN §5,
§7): the nightly report, the plans of `assign`, `handover`, `rebalance` and `return`, a
worker (`worker show`), a case (`show CASE`), and a client's whole record (`export client CASE`). Each is shaped here once, from the rows of
`render.rows`; its JSON is the document, its CSV the document's main table, and the views
for people (`render.report`, `render.plans`, `render.records`) draw what the document
holds, so every format says the same. (The zone review's document is in `render.rows`, the forecast's
in `render.forecast_rows`, beside their rows.)

Values stay what the domain gives (Fractions, dates): `render.output` writes them as JSON
and the views format them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from caseload.domain.handover import stuck_cover_end, stuck_next_step
from caseload.domain.load import load_pct, weight_formula, zone
from caseload.domain.model import RISK_ORDER, ZoneThresholds
from caseload.render import rows
from caseload.render.forecast_rows import forecast_document
from caseload.render.weights_rows import weights_report_section

# -- the nightly report -------------------------------------------------------

ZONES = ("red", "amber", "green", "blue")  # the order the report counts its zones in


def zone_bounds(zones: ZoneThresholds | None) -> dict[str, Any]:
    """The config's zone boundaries in load % (the charts' bands): green from, amber above, red from."""
    zones = zones or ZoneThresholds()
    return {"green_from": zones.green_from, "amber_above": zones.amber_above, "red_from": zones.red_from}


def report_document(data, redact: bool) -> dict[str, Any]:
    """Every figure of the report (`app.report.ReportData`) as one document: what `report
    --format json` prints and what every other format of the report draws. Redacted, the
    attention lists show case ids for client names."""
    review = data.review
    workers = [rows.report_row(f, data.previous, data.streaks.get(f.worker.id, 0)) for f in review.workers]
    streaks = sorted(data.streaks.items())
    return {
        "date": data.on,
        "since": data.since,
        "last_review": {"date": data.previous.on, "at": data.previous.at} if data.previous else None,
        "zones": {"workers": workers, "team": rows.team_row(review.team),
                  "counts": {z: sum(1 for w in workers if w["zone"] == z) for z in ZONES},
                  "bounds": zone_bounds(data.zone_bounds)},
        "zone_changes": [{"worker": w["id"], "from": w["previous_zone"], "to": w["zone"]}
                         for w in workers if w["previous_zone"] and w["previous_zone"] != w["zone"]],
        "throughput": data.throughput,
        "waiting": waiting_attention(data.waiting, data.list_limit, redact)
        | {"oldest_days": review.team.oldest_waiting_days},
        "overdue_reviews": attention_rows(data.overdue_reviews, redact),
        "stale_contact": attention_rows(data.stale_contact, redact),
        "long_open": attention_rows(data.long_open, redact),
        "covers_past_end": [rows.cover_row(c) for c in review.covers_past_end],
        "reductions_expiring": [rows.expiring_row(r) for r in data.reductions_expiring],
        "red_streaks": [dict(zip(rows.STREAK_COLUMNS, s)) for s in streaks if s[1] >= 2],  # ISO weeks running
        "excessive": [dict(zip(rows.STREAK_COLUMNS, s)) for s in streaks if s[1] >= data.excessive_after],
        "excessive_after": data.excessive_after,
        "trend": [{"date": p.on, "team_load_pct": p.team_load_pct, "workers": dict(p.workers)} for p in data.trend],
        "runway": forecast_document(data.runway) if data.runway is not None else None,
        "record": data.record,  # {"head": lines a witness copy holds, "retention_due", "retention"}
        "weights": weights_report_section(data.weights) if data.weights is not None else None,
    }


def attention_rows(found: tuple[int, list], redact: bool) -> dict[str, Any]:
    """An attention list of the report: {"count", "cases": [...]}, from the store's count and
    rows (`store.reporting`: each case's stored fields, read by name). Redacted, the client
    is the case id."""
    total, stored = found
    return {"count": total, "cases": [
        dict(zip(rows.ATTENTION_COLUMNS, (r["id"], r["id"] if redact else r["client"], r["worker"], r["risk"],
                                          r["opened_on"], r["next_review_on"], r["last_contact_on"])))
        for r in stored]}


def waiting_attention(entries: list, limit: int, redact: bool) -> dict[str, Any]:
    """The report's waiting list: {"count", "contact_overdue", "check_in_overdue", "needs_attention" (either),
    "cases": [...]},
    the cases (the first `limit`) in the order given, each with the attention list's keys and
    its wait, deadlines and flags (WAITING_COLUMNS)."""
    cases = []
    for entry in entries[:limit]:
        c = entry.case
        cases.append(dict(zip(rows.ATTENTION_COLUMNS, (c.id, c.id if redact else c.client, c.worker, c.risk,
                                                       c.opened_on, c.next_review_on, c.last_contact_on)))
                     | rows.waiting_fields(entry))
    return {"count": len(entries), "contact_overdue": sum(1 for e in entries if e.contact_overdue),
            "check_in_overdue": sum(1 for e in entries if e.check_in_overdue),
            "needs_attention": sum(1 for e in entries if e.needs_attention), "cases": cases}


# -- plans --------------------------------------------------------------------

def _order(requests):
    """The order a batch places cases in (high risk, then heavier): explanations read in sequence."""

    def key(case_id: str):
        request = requests[case_id]
        return (RISK_ORDER.get(request.case.risk, 1), -request.weight, case_id)

    return key


def assign_document(plan, on, dry_run: bool) -> dict[str, Any]:
    """An `assign` plan: {"date", "dry_run", "placements", "waiting" (the cases left waiting),
    "workers" (each receiver's load % before and after), "warnings"}; every case with its
    candidates (`--explain`), in the order the batch placed them."""
    zones = plan.planner.rules.zones
    placed = [p for p in plan.placements if p.worker is not None]
    workers = []
    for wid in sorted({p.worker for p in placed}):
        load_b, cap_b = plan.before[wid]
        load_a, cap_a = plan.planner.load_of(wid), plan.planner.capacity_of(wid)
        workers.append(rows.receiver_row(wid, load_pct(load_b, cap_b), load_pct(load_a, cap_a),
                                         zone(load_a, cap_a, zones)))

    def entry(p) -> dict:
        return rows.placement_row(p, plan.requests[p.case]) | {
            "candidates": [rows.candidate_row(v) for v in p.candidates]}

    order = _order(plan.requests)
    return {
        "date": on,
        "dry_run": dry_run,
        "placements": [entry(p) for p in sorted(placed, key=lambda p: order(p.case))],
        "waiting": [entry(p) for p in sorted(plan.left_waiting, key=lambda p: order(p.case))],
        "workers": workers,
        "warnings": plan.warnings,
    }


def assign_rows(document: dict) -> list[dict]:
    """The CSV of an `assign` plan (PLACEMENT_COLUMNS): every case, placed or left waiting
    (worker empty), with the reason."""
    return document["placements"] + document["waiting"]


def next_step(placement, until) -> str:
    """What a lead can do about a case a handover cannot move (`domain.handover.stuck_next_step`)."""
    return stuck_next_step(placement.case, placement.over_max_zone, until)


def handover_document(plan) -> dict[str, Any]:
    """A handover plan: {"worker", "moves" (MOVE_COLUMNS, in the order the batch placed
    them), "warnings", "stuck" (the cases that stay, why, and what to do)}."""
    moves = []
    for move in plan.moves:
        case = plan.requests[move.case].case
        load, capacity = plan.planner.load_of(move.to), plan.planner.capacity_of(move.to)
        moves.append(rows.move_row(move, case, load_pct(load, capacity), zone(load, capacity, plan.planner.rules.zones)))
    order = _order(plan.requests)
    moves.sort(key=lambda r: order(r["case"]))
    return {
        "worker": plan.source, "moves": moves, "warnings": plan.warnings,
        "stuck": [rows.stuck_row(p.case, p.reason, next_step(p, stuck_cover_end(plan.requests[p.case].case, plan.until, plan.leaving, plan.today))) for p in plan.stuck],
    }


def rebalance_document(proposal, on) -> dict[str, Any]:
    """A rebalance proposal: {"date", "moves" (SUGGESTION_COLUMNS), "lower_bound", "unfixable"}."""
    return {"date": on, "moves": [rows.suggestion_row(m) for m in proposal.moves],
            "lower_bound": proposal.lower_bound,
            "unfixable": [{"worker": u.worker, "reason": u.reason} for u in proposal.unfixable]}


def return_rows(moves) -> list[dict]:
    """The cases `return` brought home (RETURN_COLUMNS), as its table, CSV and JSON list them."""
    return [rows.return_row(m) for m in moves]


# -- one worker, one case -----------------------------------------------------

def worker_document(sheet) -> dict[str, Any]:
    """A worker's sheet (`app.team.WorkerSheet`) as `worker show` prints it: the profile, the
    absences, the capacity sum line by line, the scheduled reductions, the open cases
    (CASE_COLUMNS, its CSV) and the load by tier and status with each weight's formula."""
    w, rules = sheet.worker, sheet.rules
    by_kind: dict[tuple[str, str], int] = {}
    for c in sheet.cases:
        by_kind[(c.tier, c.status)] = by_kind.get((c.tier, c.status), 0) + 1
    load_lines, load = [], Fraction(0)
    for (tier, status), n in sorted(by_kind.items()):
        weight, formula = weight_formula(tier, status, rules)
        load += weight * n
        load_lines.append({"cases": n, "tier": tier, "status": status, "weight": weight, "formula": formula,
                           "points": weight * n})
    capacity = sheet.breakdown.value
    return {
        "date": sheet.on,
        "worker": rows.worker_row(w, capacity) | {"auto": w.auto, "case_cap": sheet.cap, "starts_on": w.starts_on},
        "absences": [{"from": a.starts_on, "until": a.ends_on, "reason": a.reason, "cover": a.cover}
                     for a in sheet.absences],
        "capacity": {"lines": [{"label": line.label, "points": line.points} for line in sheet.breakdown.lines],
                     "value": capacity},
        "scheduled_reductions": [rows.reduction_row(r, sheet.on) for r in sheet.scheduled],
        "cases": [rows.case_row(c, weight_formula(c.tier, c.status, rules)[0]) for c in sheet.cases],
        "load": {"lines": load_lines, "load": load, "capacity": capacity, "load_pct": load_pct(load, capacity),
                 "zone": zone(load, capacity, rules.zones),
                 "over_cap": sheet.cap is not None and len(sheet.cases) > sheet.cap},
    }


def case_document(case, weight, formula: str, notes: list[dict], history: list[dict],
                  changes: list[dict] | None = None) -> dict[str, Any]:
    """A case as `show CASE` prints it: {"case" (the case's keys, its requested worker,
    cover end, close reason and weight formula), "notes", "history" (HISTORY_COLUMNS, its
    CSV)}, and "changes" (the recorded field changes) when given. Notes and changes come as
    the store reads them and are shaped by `rows.note_row` and `rows.change_row`."""
    document = {
        "case": rows.case_row(case, weight) | {
            "requested_worker": case.requested_worker, "cover_until": case.cover_until,
            "close_reason": case.close_reason, "weight_formula": formula},
        "notes": [rows.note_row(n) for n in notes],
        "history": history,
    }
    if changes is not None:
        document["changes"] = [rows.change_row(c) for c in changes]
    return document


# -- the data protection lifecycle (DESIGN §6) --------------------------------

RETENTION_COLUMNS = ("case", "closed_on")


def retention_rows(due):
    """The cases retention anonymises (or would): id and closing day."""
    return ({"case": case_id, "closed_on": closed_on} for case_id, closed_on in due)


def client_record_document(found: dict) -> dict[str, Any]:
    """Subject access (`export client CASE`): {"client", "asked_for", "cases": [{"case": {case
    keys}, "notes": [{"at", "kind", "author", "text"}], "history": [{"at", "kind", "worker",
    "previous_worker", "zone", "reason", "actor"}], "changes": [{"at", "field", "old", "new",
    "actor"}]}]}."""
    case_keys = ("id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs", "language",
                 "area", "opened_on", "next_review_on", "last_contact_on", "closed_on", "close_reason", "cover_until",
                 "requested_worker")
    return {
        "client": found["client"],
        "asked_for": found["asked_for"],
        "cases": [{
            "case": {key: item["case"].get(key) for key in case_keys},
            "notes": [{"at": n["at"], "kind": n["kind"], "author": n["author"], "text": n["text"]} for n in item["notes"]],
            "history": [{"at": h["at"], "kind": h["kind"], "worker": h["worker"], "previous_worker": h["previous_worker"],
                         "zone": h["zone"], "reason": h["reason"], "actor": h["actor"]} for h in item["history"]],
            "changes": [{"at": c["at"], "field": c["field"], "old": c["old"], "new": c["new"], "actor": c["actor"]}
                        for c in item["changes"]],
        } for item in found["cases"]],
    }
