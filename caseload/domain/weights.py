"""Weights under scrutiny (DESIGN §12): the tier table held against the team's own records,
and the practitioner's view held against the zone. Nothing here changes a weight.

**The window**: the last N complete ISO weeks (Monday to Sunday) before the week of
today; this week is left out until it is over, so a rate never counts a half-finished week.

**Per tier** (each case under its tier today, the tier names matched ignoring case):
- a *case-week* is a week of the window in which a held case was open (opened on or before
  its Sunday, not closed before its Monday); a case waiting today is not counted (its
  contacts are check-ins, not casework);
- *contacts* are the `contact` notes of those weeks, plus a contact known only as the case's
  `last_contact_on` (imported from a spreadsheet, or set by `update`) when no contact note
  lies on that day or a day either side of it (a note's day is its UTC date);
- *contacts per case-week* = contacts / case-weeks: the least-squares fit through the origin
  of each case-week's contacts on its tier (one coefficient per tier: each tier's mean);
- the *effort ratio* is a tier's contacts per case-week over the default tier's, beside the
  *weight ratio*, its weight over the default tier's weight;
- the *suggested weight* is the default tier's weight times the effort ratio, so the default
  tier keeps its weight and the others are in proportion to their contacts;
- a tier resting on fewer than `MIN_CASES` cases or `MIN_CONTACTS` contacts has "not enough
  evidence": no effort ratio and no suggestion (nor any, when the default tier lacks
  evidence). A rate counted from fewer than 30 contacts moves by a fifth or more by chance
  alone (a count's spread is about its square root), and a team that seldom records
  contacts must not be told its weights are wrong;
- overdue and stale shares are of the tier's cases open today (a review date passed; no
  contact, or opening, within `stale_after_days`).
All of it exact (Fractions of whole counts); contacts are a proxy for effort, and every row
says how many cases and case-weeks it rests on.

**Per worker**: the zone of each week (its latest recorded snapshot, as streaks count them)
beside the worker's own view that week (`feels`: the latest given for the week). A week
*disagrees* when the zone is blue or green and they said overwhelmed, or red and they said
manageable; `FLAG_AFTER` such weeks or more: "the weights may not see this caseload".

**What if**: the team on a day under another tier table (`what_if`), every figure worked
out again by the zone review's own arithmetic, beside today's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

from caseload.domain.model import LoadRules
from caseload.domain.review import TeamFigures, TeamOnDay, WorkerFigures, team_figures
from caseload.domain.trends import Snapshot, week_of, weekly

DEFAULT_WEEKS = 12
MAX_WEEKS = 104
MIN_CASES = 5  # fewer cases than this under a tier: "not enough evidence"
MIN_CONTACTS = 30  # or fewer contacts than this: its rate is mostly chance
FLAG_AFTER = 2  # weeks of disagreement between the zone and the worker's view
FAR = Fraction(5, 4)  # the report names a tier whose suggested weight is this far (or 1/FAR) from its weight
NOT_ENOUGH = "not enough evidence"
NOT_SEEN = "the weights may not see this caseload"


def window(today: date, weeks: int) -> tuple[date, ...]:
    """The Mondays of the last `weeks` complete ISO weeks before the week of `today`, oldest first."""
    this_week = week_of(today)
    return tuple(this_week - timedelta(weeks=n) for n in range(weeks, 0, -1))


@dataclass(frozen=True)
class TierEvidence:
    """What the records say about one tier, as the cases spell it (the store counts it, by
    the definitions above): cases held in the window and their case-weeks and contacts
    there, and today's open cases, overdue reviews and stale contacts."""

    tier: str
    cases: int = 0
    case_weeks: int = 0
    contacts: int = 0
    open_today: int = 0
    overdue: int = 0
    stale: int = 0

    def __add__(self, other: "TierEvidence") -> "TierEvidence":
        return TierEvidence(self.tier, self.cases + other.cases, self.case_weeks + other.case_weeks,
                            self.contacts + other.contacts, self.open_today + other.open_today,
                            self.overdue + other.overdue, self.stale + other.stale)


@dataclass(frozen=True)
class TierRow:
    """One tier's row: its weight, the evidence, and what the contacts suggest."""

    tier: str
    weight: Fraction | None  # None: a tier cases carry that the config no longer has
    cases: int
    case_weeks: int
    contacts: int
    open_cases: int
    contacts_per_week: Fraction | None
    effort_ratio: Fraction | None
    weight_ratio: Fraction | None
    suggested_weight: Fraction | None
    overdue_share: Fraction | None
    stale_share: Fraction | None

    @property
    def enough(self) -> bool:
        return self.cases >= MIN_CASES and self.contacts >= MIN_CONTACTS and self.case_weeks > 0

    @property
    def far(self) -> bool:
        """The suggested weight is FAR or more from the configured one, either way."""
        if self.suggested_weight is None or not self.weight:
            return False
        change = self.suggested_weight / self.weight
        return change >= FAR or change <= 1 / FAR


def share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def tier_rows(evidence: Iterable[TierEvidence], tiers: Mapping[str, Fraction], default_tier: str) -> list[TierRow]:
    """Every configured tier (in the config's order), then any tier only cases carry, with its
    evidence over the window and the suggested weight (see the module's docstring). Tiers
    spelled differently by the cases (`LOW`, `low`) count under the config's spelling."""
    spelled = {name.casefold(): name for name in tiers}
    tallies: dict[str, TierEvidence] = {name: TierEvidence(name) for name in tiers}
    for found in evidence:
        name = spelled.get(found.tier.casefold(), found.tier)
        tallies[name] = tallies.get(name, TierEvidence(name)) + found
    return fit(tallies, tiers, default_tier)


def fit(tallies: Mapping[str, TierEvidence], tiers: Mapping[str, Fraction], default_tier: str) -> list[TierRow]:
    """The rows from each tier's counts: rates, ratios to the default tier, the suggestion."""
    def rate(t: TierEvidence) -> Fraction | None:
        return Fraction(t.contacts, t.case_weeks) if t.case_weeks else None

    base = tallies.get(default_tier, TierEvidence(default_tier))
    base_weight = tiers.get(default_tier)
    def enough(t: TierEvidence) -> bool:
        return t.cases >= MIN_CASES and t.contacts >= MIN_CONTACTS and t.case_weeks > 0

    base_rate = rate(base) if enough(base) else None
    rows = []
    for name, t in tallies.items():
        weight = tiers.get(name)
        per_week = rate(t)
        effort = per_week / base_rate if enough(t) and base_rate else None
        rows.append(TierRow(
            tier=name, weight=weight, cases=t.cases, case_weeks=t.case_weeks, contacts=t.contacts,
            open_cases=t.open_today, contacts_per_week=per_week, effort_ratio=effort,
            weight_ratio=weight / base_weight if weight is not None and base_weight else None,
            suggested_weight=base_weight * effort if effort is not None and base_weight else None,
            overdue_share=share(t.overdue, t.open_today), stale_share=share(t.stale, t.open_today),
        ))
    return rows


def suggested_table(counts: Mapping[str, tuple[int, int, int]], tiers: Mapping[str, Fraction],
                    default_tier: str) -> dict[str, Fraction | None]:
    """The suggested weight of each tier from (cases, case-weeks, contacts): `fit`'s
    suggestion alone (what the property tests hold against the weights)."""
    tallies = {name: TierEvidence(name, cases, weeks, contacts) for name, (cases, weeks, contacts) in counts.items()}
    return {row.tier: row.suggested_weight for row in fit(tallies, tiers, default_tier)}


# -- the practitioner's view -----------------------------------------------------------


def disagrees(zone: str | None, feels: str | None) -> bool:
    """The number and the person disagree: blue or green but overwhelmed; red but manageable."""
    return (zone in ("blue", "green") and feels == "overwhelmed") or (zone == "red" and feels == "manageable")


@dataclass(frozen=True)
class ViewWeek:
    on: date  # the week's Monday
    zone: str | None  # None: no snapshot recorded that week, or none with this worker
    feels: str | None  # None: no view given that week

    @property
    def disagrees(self) -> bool:
        return disagrees(self.zone, self.feels)


@dataclass(frozen=True)
class WorkerView:
    id: str
    weeks: tuple[ViewWeek, ...]

    @property
    def disagreement_weeks(self) -> int:
        return sum(1 for week in self.weeks if week.disagrees)

    @property
    def flagged(self) -> bool:
        return self.disagreement_weeks >= FLAG_AFTER


def worker_views(snapshots: Iterable[Snapshot], feels: Iterable[tuple[str, date, str]],
                 mondays: Sequence[date]) -> list[WorkerView]:
    """Each worker with a zone or a view in the window, by id: week by week, the zone of the
    week's latest snapshot and the view they gave (`feels`: (worker, Monday, view), the
    latest of each week already chosen)."""
    in_window = set(mondays)
    zones: dict[tuple[str, date], str] = {}
    for snapshot in weekly(snapshots):
        monday = week_of(snapshot.on)
        if monday in in_window:
            for worker, row in snapshot.rows.items():
                zones[(worker, monday)] = row.zone
    views = {(worker, monday): view for worker, monday, view in feels if monday in in_window}
    workers = sorted({worker for worker, _ in zones} | {worker for worker, _ in views})
    return [WorkerView(worker, tuple(ViewWeek(monday, zones.get((worker, monday)), views.get((worker, monday)))
                                     for monday in mondays)) for worker in workers]


@dataclass(frozen=True)
class WeightsReview:
    """`weights`: the window, the tiers against their evidence, the workers against their zone."""

    mondays: tuple[date, ...]
    default_tier: str
    tiers: tuple[TierRow, ...]
    workers: tuple[WorkerView, ...]
    feels_recorded: bool  # the worker's own view is kept in this database (`worker feels`)

    @property
    def far_tiers(self) -> list[TierRow]:
        """The tiers, with enough evidence, whose contacts say a weight FAR from theirs."""
        return [row for row in self.tiers if row.far]

    @property
    def flagged(self) -> list[WorkerView]:
        return [w for w in self.workers if w.flagged]


# -- what if ----------------------------------------------------------------------------


def rules_under(rules: LoadRules, tiers: Mapping[str, Fraction], status_factors: Mapping[str, Fraction]) -> LoadRules:
    """The load rules with another tier table and status factors: the file's values in place
    of the config's, each by its name; what the file does not name stays as configured."""
    return replace(rules, tiers={**rules.tiers, **tiers}, status_factors={**rules.status_factors, **status_factors})


@dataclass(frozen=True)
class WhatIf:
    """The team on a day under another table: each worker's figures by id, and the team's."""

    source: str  # the file the table came from, as given
    rules: LoadRules
    workers: Mapping[str, WorkerFigures]
    team: TeamFigures


def what_if(team: TeamOnDay, rules: LoadRules, source: str, waiting: int, oldest_waiting_on: date | None) -> WhatIf:
    """Every figure of the zone review of `team.on` again under `rules` (the same arithmetic,
    exact): only loads change with the table, so capacity and counts stay as they are."""
    figures, _starting = team.figures(rules)
    return WhatIf(source, rules, {f.worker.id: f for f in figures},
                  team_figures(figures, waiting, oldest_waiting_on, team.on, rules.zones))
