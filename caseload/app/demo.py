"""The demo (DESIGN §5): the built-in sample team of `domain.sample`, written into a
database in one transaction, with its history and weekly recorded reviews dated
relative to today.

`demo` fills only a new file, an empty caseload database that is not the team's, or a
database it made as a demo (`store.admin`'s mark); it refuses every other file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from caseload.app.review import gather
from caseload.domain.errors import CaseloadError
from caseload.store.admin import mark_demo, what_is
from caseload.store.cases import insert_cases, set_case_sequence
from caseload.store.connection import read_snapshot, write_transaction
from caseload.store.feels import add_feeling
from caseload.store.imports import append_history
from caseload.store.workers import add_absence, add_reduction, add_worker
from caseload.store.zones import record_review_rows

REFUSALS = {"data": "it holds a team's records", "empty": "it is the team's database",
            "other": "it is another program's SQLite database", "not sqlite": "it is not an SQLite database",
            "not a file": "it is a folder or a device"}


def make_demo(path: Path, team_db: Path, sample, open_db: Callable[[], object], config, today, at: str,
              replacing: Callable[[], None]):
    """Fill the database at `path` with `sample` (`domain.sample.build_sample`) in one write
    transaction, marked as a demo, and return its zone review today. A file that is not new,
    an empty database other than the team's (`team_db`) or a demo is refused (nothing is
    touched); a former demo's files are removed first (`replacing()` is told). `open_db()`
    opens (creating) the file."""
    found = what_is(path)
    if found != "new" and found != "demo" and (found != "empty" or _same_file(path, team_db)):
        raise CaseloadError(f"{path} is not a demo database ({REFUSALS[found]}): `caseload demo` only fills a new "
                            "file or a demo it made; nothing was changed (give --db a new file for the demo)")
    if found == "demo":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        replacing()
    db = open_db()
    with write_transaction(db):
        load_sample(db, sample, at)
        mark_demo(db)
    with read_snapshot(db):
        return gather(db, config, today, today)


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:  # the other does not exist: not the same file
        return False


def load_sample(db, sample, now: str) -> None:
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
    for worker, day, feeling in sample.feels:
        add_feeling(db, worker, day, feeling, "demo", f"{day.isoformat()}T10:00:00+00:00")
