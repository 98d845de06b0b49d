"""`weights` for people (DESIGN §12): the tiers against the team's own records and the
numbers against the person, as a terminal table (here) and as Markdown or one HTML page
(`render.weights_page`); and the nightly report's short weights section in words
(`report_lines`), which the report's formats print.

Every view says what the figures rest on (cases, case-weeks, contacts) and that contacts
are a proxy for effort. Ratios are shown to two decimals, a suggested weight to one,
shares as whole percentages (rounded down); "not enough evidence" below MIN_CASES cases or MIN_CONTACTS contacts.
"""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction

from caseload.domain.weights import FLAG_AFTER, MIN_CASES, MIN_CONTACTS, NOT_ENOUGH, NOT_SEEN
from caseload.render.console import ZONE_STYLES, Styled, fitted_table, heading, zone_badge
from caseload.render.forecast import blocks, grid
from caseload.render.numbers import fmt, number, pct_text, week_label

ZONE_LETTERS = {"red": "R", "amber": "A", "green": "G", "blue": "B"}
FEELS_LETTERS = {"manageable": "M", "stretched": "S", "overwhelmed": "O"}
# "per week": contacts per case-week; "effort x" and "weight x": the ratios to the default tier
TIER_HEADERS = ("tier", "weight", "cases", "case-weeks", "contacts", "per week", "effort x", "weight x", "suggested",
                "overdue", "stale", "note")
LEGEND = ("Each week: the zone (R A G B; · no snapshot) and the worker's own view (M manageable, S stretched, "
          "O overwhelmed; · none given); ! where they disagree (blue or green but overwhelmed, red but manageable).")


def ratio(value: Fraction | None) -> str:
    """Rounded down to two places, as in the JSON and CSV."""
    return "" if value is None else str(number(value))


def suggested(value: Fraction | None) -> str:
    """A suggested weight to one decimal (a suggestion, not a figure the zones rest on)."""
    return "" if value is None else f"{float(value):.1f}"


def percent(value: Fraction | None) -> str:
    return "" if value is None else f"{math.floor(value * 100)}%"


def tier_cells(row) -> dict[str, str]:
    """A tier's row as text, by TIER_HEADERS."""
    note = ""
    if row.weight is None:
        note = "not in the config"
    elif not row.enough:
        note = f"{NOT_ENOUGH} (under {MIN_CASES} cases)" if row.cases < MIN_CASES else \
            f"{NOT_ENOUGH} (under {MIN_CONTACTS} contacts)"
    elif row.far:
        note = "contacts say " + ("heavier" if row.suggested_weight > row.weight else "lighter")
    return {"tier": row.tier, "weight": "" if row.weight is None else fmt(row.weight), "cases": str(row.cases),
            "case-weeks": str(row.case_weeks), "contacts": str(row.contacts),
            "per week": ratio(row.contacts_per_week), "effort x": ratio(row.effort_ratio),
            "weight x": ratio(row.weight_ratio), "suggested": suggested(row.suggested_weight),
            "overdue": percent(row.overdue_share), "stale": percent(row.stale_share), "note": note}


def period(review) -> str:
    """"the 12 weeks from 31 Aug to 22 Nov" (Monday of the first, Sunday of the last)."""
    first, last = review.mondays[0], review.mondays[-1] + timedelta(days=6)
    return f"the {len(review.mondays)} complete week(s) from {first} to {last}"


def explanation(review) -> list[str]:
    """What the tier table means and what it rests on, in a lead's words."""
    default = next((row for row in review.tiers if row.tier == review.default_tier), None)
    cases = sum(row.cases for row in review.tiers)
    weeks = sum(row.case_weeks for row in review.tiers)
    contacts = sum(row.contacts for row in review.tiers)
    lines = [
        f"Per week: contacts per case-week. Effort x and weight x: the contacts' and the weights' ratios to "
        f"the default tier ({review.default_tier}). Suggested: weights in proportion to the "
        f"contacts, {review.default_tier} keeping its weight"
        + (f" ({fmt(default.weight)})" if default is not None and default.weight is not None else "")
        + "; nothing is changed: edit the config, or try a table first with `zone-review --weights FILE`.",
        f"Contacts are a proxy for effort: a long visit and a short call count the same, and work that is not "
        f"recorded as a contact is not seen. These figures rest on {cases} case(s), {weeks} case-week(s) and "
        f"{contacts} contact(s); a tier under {MIN_CASES} cases or {MIN_CONTACTS} contacts has {NOT_ENOUGH}.",
    ]
    if default is None or not default.enough:
        lines.append(f"The default tier ({review.default_tier}) has {NOT_ENOUGH}: no table is suggested.")
    return lines


def view_cell(week) -> str:
    text = f"{ZONE_LETTERS.get(week.zone, '·')} {FEELS_LETTERS.get(week.feels, '·')}"
    return text + ("!" if week.disagrees else " ")


def worker_note(view) -> str:
    return NOT_SEEN if view.flagged else ""


def draw_weights(out, review) -> None:
    """The terminal view: the tier table, what it rests on, then the numbers against the person."""
    out.print(heading(f"Weights against the team's own records: {period(review)} (this week is left out "
                      f"until it is over)"))
    rows = [tier_cells(row) for row in review.tiers]
    out.print(fitted_table(out, TIER_HEADERS, rows, ("note", "contacts", "case-weeks", "overdue", "stale"),
                           title="Tiers", right=TIER_HEADERS[1:-1]))
    for line in explanation(review):
        out.print(line)
    out.print(heading("The numbers against the person: the zone each week beside the worker's own view"))
    if not review.feels_recorded:
        out.print("No worker's own view is recorded in this database yet (`worker feels`): this part needs it.")
    if not review.workers:
        out.print("No zone snapshot or view in these weeks.")
        return
    labels = [week_label(monday) for monday in review.mondays]
    headers = ("worker", *labels, "disagree", "note")
    grid = []
    for view in review.workers:
        cells = {"worker": view.id, "disagree": str(view.disagreement_weeks), "note": worker_note(view)}
        for label, week in zip(labels, view.weeks):
            shown = Styled()
            shown.append(ZONE_LETTERS.get(week.zone, "·"), ZONE_STYLES.get(week.zone))
            shown.append(view_cell(week)[1:], "bold" if week.disagrees else None)
            cells[label] = shown
        grid.append(cells)
    out.print(fitted_table(out, headers, grid, ("note", *labels[:-1]), right=("disagree",)))
    out.print(LEGEND)
    out.print(f"Flagged: {FLAG_AFTER} or more weeks of disagreement: {NOT_SEEN}.")


def report_lines(section: dict | None) -> list[str]:
    """The nightly report's weights section in words (its "weights" document), one line per
    finding; empty when the evidence says nothing worth a line."""
    if not section:
        return []
    lines = []
    for tier in section["tiers"]:
        lines.append(
            f"tier {tier['tier']}: contacts say {ratio(tier['effort_ratio'])}x {section['default_tier']}, the weights "
            f"say {ratio(tier['weight_ratio'])}x (suggested weight {suggested(tier['suggested_weight'])} for "
            f"{fmt(tier['weight'])}; {tier['cases']} cases, {tier['case_weeks']} case-weeks, "
            f"{tier['contacts_per_week'] * tier['case_weeks']} contacts)")
    for worker in section["workers"]:
        lines.append(f"{worker['id']}: their own view disagreed with their zone in {worker['disagreement_weeks']} "
                     f"of the last {section['weeks']} weeks: {NOT_SEEN}")
    if lines:
        lines.append(f"Over the {section['weeks']} complete weeks from {section['from']}; contacts are a proxy for "
                     f"effort (`caseload weights` shows every tier and what it rests on).")
    return lines


# -- what if (zone-review --weights FILE, forecast --weights FILE) -----------------------


def draw_what_if(out, review) -> None:
    """The team under the file's table beside today's figures, worker by worker (by id), then the team."""
    other = review.what_if
    headers = ("worker", "load", "load %", "zone", "load (file)", "load % (file)", "zone (file)", "change")
    rows = []

    def row(name, today, then) -> dict:
        change = "" if then is None or then.zone == today.zone else f"{today.zone} -> {then.zone}"
        return {"worker": name, "load": fmt(today.load), "load %": pct_text(today.load_pct),
                "zone": zone_badge(today.zone), "load (file)": "" if then is None else fmt(then.load),
                "load % (file)": "" if then is None else pct_text(then.load_pct),
                "zone (file)": "" if then is None else zone_badge(then.zone), "change": change}

    for f in review.workers:
        rows.append(row(f.worker.id, f, other.workers.get(f.worker.id)))
    rows.append(row(Styled("team", "bold"), review.team, other.team))
    out.print(heading(f"What if: the team under the weights of {other.source}"))
    out.print(fitted_table(out, headers, rows, ("change",), right=("load", "load %", "load (file)",
                                                                   "load % (file)")))
    out.print(f"Tiers: {table_text(other.rules.tiers)}; status factors: {table_text(other.rules.status_factors)}. "
              "Nothing is stored and the config is not changed.")


def table_text(values) -> str:
    return ", ".join(f"{name} {fmt(value)}" for name, value in values.items())


def draw_forecast_what_if(out, document: dict, today, other) -> None:
    """The forecast's grid again under the file's table (`document["what_if"]`)."""
    what_if = document["what_if"]
    title = f"What if: the same weeks under the weights of {what_if['weights']}"
    for index, (start, stop) in enumerate(blocks(out, what_if)):
        out.print(grid(what_if, start, stop, title if index == 0 else None))
    out.print(f"Headroom under that table: {other.default_tier} cases of {fmt(other.default_weight)} points each. "
              "Nothing is stored and the config is not changed.")
