"""The demo (DESIGN §5): the built-in sample team of `domain.sample`, written into a
database in one transaction, with its history and weekly recorded reviews dated
relative to today."""

from __future__ import annotations


def load_sample(db, sample, now: str) -> None:
    from caseload.store.cases import insert_cases, set_case_sequence
    from caseload.store.imports import append_history
    from caseload.store.workers import add_absence, add_reduction, add_worker
    from caseload.store.zones import record_review_rows

    for worker in sample.workers:
        add_worker(db, worker, now)
    for reduction in sample.reductions:
        add_reduction(db, reduction, now)
    for absence in sample.absences:
        add_absence(db, absence, now)
    insert_cases(db, sample.cases)
    # the history in one hash-chained executemany, each row dated as it happened (as a moved-in file's)
    append_history(db, ((e.case, e.worker, e.previous, e.kind, e.reason, "demo", f"{e.on.isoformat()}T09:00:00+00:00")
                        for e in sorted(sample.events, key=lambda e: (e.on, e.case))))
    set_case_sequence(db, len(sample.cases))
    for day, rows in sample.reviews:
        record_review_rows(db, rows, day, "demo", f"{day.isoformat()}T18:00:00+00:00")
