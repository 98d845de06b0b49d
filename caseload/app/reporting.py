"""The nightly report and the exports, as use cases (DESIGN §5, §6): each reads the team
in one transaction and hands what it read to the command's writer inside it.

`report --record` records today's zone snapshot in a write transaction that commits only
once the report has been written (both happen or neither); without it, and for every
export, a read snapshot: one consistent state of the file while others write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from caseload.app import report as reports
from caseload.app import review as reviews
from caseload.app.forecast import read_ahead
from caseload.app.team import with_capacity
from caseload.domain.forecast import DEFAULT_WEEKS
from caseload.store import cases as stored_cases
from caseload.store.connection import read_snapshot, transaction
from caseload.store.history import iter_history


def nightly_report(db, config, today: date, since: date | None, deliver: Callable[[object], None],
                   record_as: tuple | None = None):
    """The report of `today` (`app.report.gather`, from one read of the team for its review and
    its runway), throughput from `since` (default: the last recorded review). `deliver(data)`
    writes it inside the transaction; with `record_as` (actor, at) today's review is recorded
    first and commits only once `deliver` returns. Returns today's review (for `--fail-on`)."""
    with transaction(db, write=record_as is not None):
        known = read_ahead(db, config, today, DEFAULT_WEEKS)  # the team read once: review and runway
        review = reviews.gather(db, config, today, today, known=known)
        if record_as is not None:
            reviews.record(db, review, today, *record_as)
        data = reports.gather(db, config, review, since, recorded_now=record_as is not None, known=known)
        deliver(data)
    return review


@dataclass(frozen=True)
class ExportSource:
    """What `export` reads, each table streamed from the one snapshot `export` holds open."""

    db: object
    config: object
    today: date

    def open_case_tiers(self):
        """The tiers of the open cases (the CSV cells' weights are worked out once per tier)."""
        return stored_cases.open_case_tiers(self.db)

    def case_lines(self, **cell_rules):
        """The cases as CSV text written by the query (`store.cases.iter_case_export_csv`)."""
        return stored_cases.iter_case_export_csv(self.db, **cell_rules)

    def cases(self):
        """Every case, as the export reads it (`store.cases.iter_case_export`)."""
        return stored_cases.iter_case_export(self.db)

    def team(self):
        """(worker, capacity today) for everyone, leavers included."""
        return with_capacity(self.db, self.config, self.today, True)

    def zones(self):
        """Today's zone review, worker by worker."""
        return reviews.gather(self.db, self.config, self.today, self.today).workers

    def history(self):
        """The whole assignment record, oldest first."""
        return iter_history(self.db)


def export(db, config, today: date, write: Callable[[ExportSource], None]) -> None:
    """Hold one read snapshot while `write(source)` streams what it exports from `source`."""
    with read_snapshot(db):
        write(ExportSource(db, config, today))
