"""The forecast's rows and document (DESIGN §10), and the forecast under another tier
table (`forecast --weights FILE`, DESIGN §12) beside its own figures."""

from __future__ import annotations

from typing import Any

from caseload.render.weights_rows import WHAT_IF_COLUMNS

# -- the forecast (DESIGN §10) ------------------------------------------------

FORECAST_COLUMNS = ("on", "worker", "name", "capacity", "load", "load_pct", "zone", "events", "headroom",
                    "headroom_cases")  # CSV: a row per worker and week, then the team's row per week (name "team")


def forecast_week(week) -> dict[str, Any]:
    """A worker on one Monday of the forecast; zone None when not in post (or gone with no case)."""
    return {"on": week.on, "capacity": week.capacity, "load": week.load, "load_pct": week.load_pct,
            "zone": week.zone, "events": list(week.events)}


def forecast_team_week(t) -> dict[str, Any]:
    return {"on": t.on, "capacity": t.capacity, "load": t.load, "load_pct": t.load_pct, "headroom": t.headroom,
            "headroom_cases": t.headroom_cases}


def forecast_document(found) -> dict[str, Any]:
    """{"weeks", "workers": [{"id", "name", "weeks": [...]}], "team": [...]}, and with --case
    "case": {"id", "week", "worker", "load_pct_after", "reason"} (week and worker None: not in time)."""
    document = {
        "weeks": list(found.weeks),
        "workers": [{"id": w.id, "name": w.name, "weeks": [forecast_week(week) for week in weeks]}
                    for w, weeks in found.workers],
        "team": [forecast_team_week(t) for t in found.team],
    }
    if found.fit is not None:
        fit = found.fit
        document["case"] = {"id": fit.case, "week": fit.on, "worker": fit.worker,
                            "load_pct_after": fit.load_pct_after, "reason": fit.reason}
    return document


def forecast_rows(document: dict):
    """The CSV rows of a forecast document: each worker's weeks, then the team's."""
    for w in document["workers"]:
        for week in w["weeks"]:
            yield {"worker": w["id"], "name": w["name"], **week}
    for t in document["team"]:
        yield {"worker": "", "name": "team", "zone": None, "events": [], **t}


FORECAST_WHAT_IF_COLUMNS = WHAT_IF_COLUMNS + ("what_if_headroom", "what_if_headroom_cases")


def forecast_with_what_if(document: dict, other, source: str) -> dict[str, Any]:
    """`forecast --weights FILE`: "what_if" is the forecast under the file's table, the
    forecast's own shape, with "weights" (the file)."""
    document["what_if"] = {"weights": source} | forecast_document(other)
    return document


def forecast_what_if_rows(document: dict):
    """The CSV rows of a forecast with a what-if: each row with the figures under the file's
    table beside its own (FORECAST_WHAT_IF_COLUMNS)."""
    other = document["what_if"]
    weeks = {(w["id"], str(week["on"])): week for w in other["workers"] for week in w["weeks"]}
    team = {str(t["on"]): t for t in other["team"]}
    for row in forecast_rows(document):
        if row["name"] == "team" and row["worker"] == "":
            t = team.get(str(row["on"]), {})
            yield row | {"what_if_load": t.get("load"), "what_if_load_pct": t.get("load_pct"),
                         "what_if_headroom": t.get("headroom"), "what_if_headroom_cases": t.get("headroom_cases")}
        else:
            week = weeks.get((row["worker"], str(row["on"])), {})
            yield row | {"what_if_load": week.get("load"), "what_if_load_pct": week.get("load_pct"),
                         "what_if_zone": week.get("zone")}
