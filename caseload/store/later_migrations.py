"""Migration steps from 16 (`store.migrations.MIGRATIONS` runs them): a return home is no
new arrival, a recorded review knows the last rows it saw, and each night's report knows
where the night before stopped counting.

Each step is frozen as it was at its version: a later change needs a step of its own.
"""

from __future__ import annotations

import sqlite3

from caseload.domain.model import TAKEN_ON_KINDS
from caseload.store.rows import run_script, sql_any

# "Held since" and "new in 30 days" count from when a worker took a case on: a return home
# after a cover gives the case back to the worker who held it before, whose time with it
# runs on (`domain.model.TAKEN_ON_KINDS`). history_arrivals held the returns too;
# `store.cases.arrived_at` repeats the new WHERE term for term, so it reads through it.
SCHEMA_TAKEN_ON = f"""
DROP INDEX IF EXISTS history_arrivals;  -- made again below in any case
CREATE INDEX history_arrivals ON history (case_id, worker, at)
WHERE {sql_any('kind', TAKEN_ON_KINDS)} AND previous_worker IS NOT worker;
"""


def returns_are_no_arrivals(db: sqlite3.Connection) -> None:
    run_script(db, SCHEMA_TAKEN_ON)


# What a recorded review had seen: the last history row and the last case change when it
# was recorded. "Since the last meeting" and the report's throughput count the rows after
# them: times are whole seconds, and a move made in the second the review was recorded
# (a script that records the meeting, then gives out the waiting cases) is after it.
# Reviews recorded before this step have none: they are compared by their time, as before.
SCHEMA_HEADS = """
ALTER TABLE zone_reviews ADD COLUMN history_head INTEGER;
ALTER TABLE zone_reviews ADD COLUMN changes_head INTEGER;
"""


def review_heads(db: sqlite3.Connection) -> None:
    run_script(db, SCHEMA_HEADS)


# Where each night's `report --record` stopped counting: the last history row it saw. The
# next night counts the rows after it, whatever became of the day's snapshot (a meeting
# recorded that day keeps its own, and replaces a nightly one), so each move is in one
# nightly report's throughput: not two (a meeting's snapshot is older than the night's
# count), not none (a meeting's replaces the night's, and saw later rows). One a day.
SCHEMA_REPORT_RUNS = """
CREATE TABLE report_runs (
    on_date TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    history_head INTEGER NOT NULL
);
"""


def report_runs(db: sqlite3.Connection) -> None:
    run_script(db, SCHEMA_REPORT_RUNS)
