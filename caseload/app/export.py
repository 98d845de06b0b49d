"""`export cases/workers/zones/history/absences/reductions/reviews/feels/team`: what each export reads,
inside the caller's read snapshot, as domain values and stored rows;
`render.rows.export_listing` (and `render.rows.team_export` for the whole team) shapes
them into the export's rows and columns.

Cases stream (an export of a million cases never sits in memory): `CaseExport` hands out
the stored tuples, and the CSV lines SQLite writes for the CSV export (`lines`, given the
cell rules of render.rows). The weight of every tier and status an open case carries is
worked out before a row is read, so a tier missing from the config is refused before
anything is written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Iterator

from caseload.app.review import gather as gather_review
from caseload.app.team import with_capacity
from caseload.domain.absences import absence_state
from caseload.domain.load import case_weight
from caseload.domain.model import OPEN_STATUSES
from caseload.store.cases import iter_case_export, iter_case_export_csv, open_case_tiers
from caseload.store.feels import iter_feels
from caseload.store.history import iter_history
from caseload.store.workers import list_absences, reductions
from caseload.store.zones import iter_recorded_rows

EXPORTS = ("cases", "workers", "zones", "history", "absences", "reductions", "reviews", "feels", "team")


@dataclass(frozen=True)
class TeamExport:
    """The whole team as it travels (DESIGN §11): every worker with their capacity on the
    day, every absence and reduction, past ones too, each with its state on the day, and
    the recorded reviews (the red streaks and trends of its meetings) and the workers' own
    views of their caseloads."""

    workers: list
    absences: list  # (Absence, state) pairs, by first day
    reductions: list  # (Reduction, state) pairs, by worker and first day
    reviews: Iterator[tuple]  # store.zones.iter_recorded_rows
    feels: Iterator[tuple]  # store.feels.iter_feels


@dataclass(frozen=True)
class CaseExport:
    """Every case, streamed. `open_weights[status][tier]`: the weight of each open status and
    tier the cases carry; `no_weight`: a case that is not open (waiting, closed)."""

    db: sqlite3.Connection
    open_weights: dict[str, dict[str, Fraction]]
    no_weight: Fraction
    rules: Any  # config.load: the weights of anything else

    def stored(self) -> Iterator[tuple]:
        """The cases as the store's tuples (store.cases.CASE_EXPORT_FIELDS), in id order."""
        return iter_case_export(self.db)

    def weight_of(self, tier: str, status: str) -> Fraction:
        return case_weight(tier, status, self.rules)

    def lines(self, cell_rules: dict, line_end: str) -> Iterator[tuple[str, int]]:
        """The cases as CSV lines written by SQLite (store.cases.iter_case_export_csv) under
        `cell_rules` (render.rows.case_export_csv_cells)."""
        return iter_case_export_csv(self.db, line_end=line_end, **cell_rules)


def gather(db, config, on: date, what: str):
    """What `export WHAT` writes: a CaseExport; (worker, capacity on `on`) pairs for the
    whole team, leavers included; the zone review on `on`; the history's stored tuples,
    oldest first; every absence or reduction with its state on `on`; the recorded reviews'
    rows; the workers' views; or all of the team (a TeamExport)."""
    if what == "cases":
        tiers = open_case_tiers(db)
        return CaseExport(db, {status: {tier: case_weight(tier, status, config.load) for tier in tiers}
                               for status in OPEN_STATUSES},
                          case_weight("", "closed", config.load), config.load)
    if what == "workers":
        return with_capacity(db, config, on, True)
    if what == "zones":
        return gather_review(db, config, on, on)
    if what == "history":
        return iter_history(db)
    if what == "absences":
        return [(a, absence_state(a, on)) for a in list_absences(db)]
    if what == "reductions":
        return [(r, r.state(on)) for r in reductions(db)]
    if what == "reviews":
        return iter_recorded_rows(db)
    if what == "feels":
        return iter_feels(db)
    if what == "team":
        return TeamExport(with_capacity(db, config, on, True), gather(db, config, on, "absences"),
                          gather(db, config, on, "reductions"), iter_recorded_rows(db), iter_feels(db))
    raise ValueError(f"no export of {what!r}")
