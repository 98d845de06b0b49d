"""The nightly report and the exports, as use cases (DESIGN §5, §6): each reads the team
in one transaction and hands what it read to the command's writer inside it.

`report --record` records today's zone snapshot in a write transaction that commits only
once the report has been written (both happen or neither); without it, and for every
export, a read snapshot: one consistent state of the file while others write.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from caseload.app import report as reports
from caseload.app import review as reviews
from caseload.app.export import gather as gather_export
from caseload.app.forecast import read_ahead
from caseload.domain.forecast import DEFAULT_WEEKS
from caseload.store.connection import read_snapshot, transaction
from caseload.store.zones import last_report_run, record_report_run


def nightly_report(db, config, today: date, since: date | None, deliver: Callable[[object], None],
                   record_as: tuple | None = None):
    """The report of `today` (`app.report.gather`, from one read of the team for its review and
    its runway), throughput from `since` (default: the last recorded review). `deliver(data)`
    writes it inside the transaction; with `record_as` (actor, at) today's review is recorded
    first, as the nightly snapshot, and commits only once `deliver` returns. Returns today's
    review (for `--fail-on`) and whether its snapshot was recorded (False: not asked, or the
    day's meeting snapshot stays; DESIGN §2). A recorded (nightly) report counts from where the
    night before stopped (`store.zones.last_report_run`), so each move is in one night's
    throughput, whatever the day's meeting recorded meanwhile."""
    with transaction(db, write=record_as is not None):
        known = read_ahead(db, config, today, DEFAULT_WEEKS)  # the team read once: review and runway
        review = reviews.gather(db, config, today, today, known=known)
        kept = reviews.record(db, review, today, *record_as, "nightly") if record_as is not None else False
        night_before = last_report_run(db, today) if record_as is not None else None
        data = reports.gather(db, config, review, since, recorded_now=record_as is not None, known=known,
                              night_before=night_before)
        if record_as is not None:
            record_report_run(db, today, record_as[1])
        deliver(data)
    return review, kept


def export(db, config, today: date, what: str, write: Callable[[object], None]) -> None:
    """Hold one read snapshot while `write(found)` streams what `export WHAT` reads
    (`app.export.gather`)."""
    with read_snapshot(db):
        write(gather_export(db, config, today, what))
