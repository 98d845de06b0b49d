"""Weights under scrutiny (DESIGN §12): a tier against its evidence, the `weights`
document, the nightly report's short section, and the zone review under another table
(`zone-review --weights FILE`) beside today's figures."""

from __future__ import annotations

from typing import Any

from caseload.render.rows import REVIEW_COLUMNS, review_document, team_row

WEIGHTS_TIER_COLUMNS = ("tier", "weight", "cases", "case_weeks", "contacts_per_week", "effort_ratio",
                        "weight_ratio", "suggested_weight", "overdue_share", "stale_share")  # CSV: a row per tier


def weights_tier_row(row) -> dict[str, Any]:
    """A tier against its evidence (`domain.weights.TierRow`); ratios and the suggestion are
    None where there is not enough evidence."""
    return {"tier": row.tier, "weight": row.weight, "cases": row.cases, "case_weeks": row.case_weeks,
            "contacts_per_week": row.contacts_per_week, "effort_ratio": row.effort_ratio,
            "weight_ratio": row.weight_ratio, "suggested_weight": row.suggested_weight,
            "overdue_share": row.overdue_share, "stale_share": row.stale_share}


def weights_document(review) -> dict[str, Any]:
    """{"weeks": [Monday…], "tiers": [...], "workers": [{"id", "weeks": [{"on", "zone", "feels"}],
    "disagreement_weeks"}]} (`domain.weights.WeightsReview`)."""
    return {
        "weeks": list(review.mondays),
        "tiers": [weights_tier_row(row) for row in review.tiers],
        "workers": [{"id": w.id, "weeks": [{"on": week.on, "zone": week.zone, "feels": week.feels}
                                           for week in w.weeks],
                     "disagreement_weeks": w.disagreement_weeks} for w in review.workers],
    }


def weights_report_section(review) -> dict[str, Any]:
    """The report's short weights section: the window, the tiers (with enough evidence) whose
    contacts say a weight far from theirs, and the workers whose view disagreed with their
    zone in two weeks or more."""
    return {"weeks": len(review.mondays), "from": review.mondays[0], "to": review.mondays[-1],
            "default_tier": review.default_tier,
            "tiers": [weights_tier_row(row) for row in review.far_tiers],
            "workers": [{"id": w.id, "disagreement_weeks": w.disagreement_weeks} for w in review.flagged]}


WHAT_IF_COLUMNS = ("what_if_load", "what_if_load_pct", "what_if_zone")


def what_if_fields(f) -> dict[str, Any]:
    """A worker's figures under another table (`--weights FILE`), beside today's."""
    if f is None:
        return dict.fromkeys(WHAT_IF_COLUMNS)
    return {"what_if_load": f.load, "what_if_load_pct": f.load_pct, "what_if_zone": f.zone}


def review_with_what_if(document: dict, review) -> dict[str, Any]:
    """`zone-review --weights FILE`: each worker row with WHAT_IF_COLUMNS after its own, and
    "what_if": {"weights" (the file), "team"} after the team's figures."""
    other = review.what_if
    for row in document["workers"]:
        row.update(what_if_fields(other.workers.get(row["id"])))
    document["what_if"] = {"weights": other.source, "team": team_row(other.team)}
    return document


def review_output(review) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The zone review's JSON document and CSV columns, with the what-if when there is one."""
    document = review_document(review)
    if review.what_if is None:
        return document, REVIEW_COLUMNS
    return review_with_what_if(document, review), REVIEW_COLUMNS + WHAT_IF_COLUMNS
