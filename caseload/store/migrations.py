"""Numbered schema migrations on `PRAGMA user_version` (DESIGN §6).

The CHECK constraints name the vocabularies of `domain.model` (statuses, risks, kinds,
reasons), so the database refuses exactly what the commands refuse. A vocabulary that
grows needs a migration of its own: SQLite cannot alter a CHECK in place.

`MIGRATIONS[i]` takes a database from version i to i + 1; `store.connection.migrate` runs
them when a file is opened. A database newer than this code is refused (exit 1); an
older one is backed up beside itself, then upgraded in one transaction. A file with tables but no version is not ours and is
refused rather than touched.

sqlite-utils' own `Migrations` records applied steps in a table of its own; we
use `user_version` instead because it is what `doctor` and a newer release read
before anything else, and it costs one header read.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from caseload.domain.chain import GENESIS, link
from caseload.domain.model import (
    ABSENCE_REASONS, CASE_STATUSES, HISTORY_KINDS, NOTE_KINDS, REDUCTION_KINDS, RISKS, WORKER_ROLES, WORKER_STATUSES,
)
from caseload.store import rows
from caseload.store.later_migrations import report_runs, returns_are_no_arrivals, review_heads
from caseload.store.recent_migrations import (
    RECHAINED, backups_made, batches, evidence_indexes, feels, full_text, meeting_snapshots,
    sealed_personal_data, withdrawn_referrals,
)
from caseload.store.rows import sql_list, sql_statements
from caseload.store.written_out import written_out

SCHEMA_V1 = f"""
CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN {sql_list(WORKER_ROLES)}),
    fte TEXT NOT NULL,                  -- exact decimal text, e.g. '0.8'
    capacity TEXT,                      -- override in points, exact decimal text
    max_cases INTEGER CHECK (max_cases IS NULL OR max_cases >= 0),
    skills TEXT NOT NULL DEFAULT '',    -- sorted, comma-separated
    languages TEXT NOT NULL DEFAULT '',
    area TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN {sql_list(WORKER_STATUSES)}),
    leaving_on TEXT,
    auto INTEGER NOT NULL CHECK (auto IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    client TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    tier TEXT NOT NULL,
    risk TEXT NOT NULL CHECK (risk IN {sql_list(RISKS)}),
    status TEXT NOT NULL CHECK (status IN {sql_list(CASE_STATUSES)}),
    needs TEXT NOT NULL DEFAULT '',
    language TEXT,
    area TEXT,
    worker TEXT REFERENCES workers(id),
    home_worker TEXT REFERENCES workers(id),
    cover_until TEXT,
    requested_worker TEXT REFERENCES workers(id),
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    close_reason TEXT,
    next_review_on TEXT,
    last_contact_on TEXT,
    CHECK ((status = 'waiting') = (worker IS NULL)),
    CHECK ((home_worker IS NULL) = (cover_until IS NULL))
);
-- Per-worker loads come from GROUP BY worker, tier, status, risk over this index
-- alone, never touching the rows (DESIGN §8).
CREATE INDEX cases_load ON cases (worker, tier, status, risk);
CREATE INDEX cases_status ON cases (status, opened_on);
CREATE INDEX cases_home ON cases (home_worker) WHERE home_worker IS NOT NULL;
CREATE INDEX cases_client ON cases (client COLLATE NOCASE, opened_on);

CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    worker TEXT,
    previous_worker TEXT,
    kind TEXT NOT NULL CHECK (kind IN {sql_list(HISTORY_KINDS)}),
    reason TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL                    -- UTC, ISO 8601
);
CREATE INDEX history_case ON history (case_id, id);
CREATE INDEX history_worker ON history (worker, at);
CREATE INDEX history_at ON history (at, kind);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be changed'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be deleted'); END;

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN {sql_list(NOTE_KINDS)}),
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX notes_case ON notes (case_id, id);

CREATE TABLE absences (
    id INTEGER PRIMARY KEY,
    worker TEXT NOT NULL REFERENCES workers(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN {sql_list(ABSENCE_REASONS)}),
    cover TEXT REFERENCES workers(id),
    created_at TEXT NOT NULL,
    CHECK (starts_on <= ends_on)
);
CREATE INDEX absences_worker ON absences (worker, ends_on);

CREATE TABLE reductions (
    id INTEGER PRIMARY KEY,
    worker TEXT NOT NULL REFERENCES workers(id),
    kind TEXT NOT NULL CHECK (kind IN {sql_list(REDUCTION_KINDS)}),
    amount TEXT NOT NULL,
    reason TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX reductions_worker ON reductions (worker, starts_on);

CREATE TABLE zone_reviews (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    on_date TEXT NOT NULL,
    actor TEXT NOT NULL
);
CREATE TABLE zone_review_rows (
    review INTEGER NOT NULL REFERENCES zone_reviews(id),
    worker TEXT NOT NULL,
    cases INTEGER NOT NULL,
    load TEXT NOT NULL,
    capacity TEXT NOT NULL,
    zone TEXT NOT NULL,
    PRIMARY KEY (review, worker)
);

CREATE TABLE sequences (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO sequences (name, value) VALUES ('case', 0);
"""


def _v1(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_V1):
        db.execute(statement)


SCHEMA_V2 = """
-- What `update` changed on a case (risk, tier, status, ...), so the zone review can say
-- "risk raised to high" since the last meeting. Append-only like history.
CREATE TABLE case_changes (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX case_changes_at ON case_changes (at);
CREATE TRIGGER case_changes_no_update BEFORE UPDATE ON case_changes
BEGIN SELECT RAISE(ABORT, 'case changes are append-only'); END;
CREATE TRIGGER case_changes_no_delete BEFORE DELETE ON case_changes
BEGIN SELECT RAISE(ABORT, 'case changes are append-only'); END;
-- Overdue reviews and stale contact per worker without touching every row.
CREATE INDEX cases_review ON cases (status, next_review_on, worker);
CREATE INDEX cases_contact ON cases (status, COALESCE(last_contact_on, opened_on), worker);
"""


def _v2(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_V2):
        db.execute(statement)


SCHEMA_V3 = """
-- Each row carries sha256(previous row's hash + its own values): see domain/chain.py.
ALTER TABLE history ADD COLUMN hash TEXT;
ALTER TABLE case_changes ADD COLUMN hash TEXT;
-- INSERT OR REPLACE over an existing id deletes the old row without firing the DELETE
-- triggers: refuse any insert whose id is taken.
CREATE TRIGGER history_no_replace BEFORE INSERT ON history
WHEN EXISTS (SELECT 1 FROM history WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be replaced'); END;
CREATE TRIGGER case_changes_no_replace BEFORE INSERT ON case_changes
WHEN EXISTS (SELECT 1 FROM case_changes WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'case changes are append-only'); END;
"""

# The tables chained by version 3 and their columns as they were then, id first. Frozen
# here rather than taken from store.chained: a later version that adds a column runs
# after this step, and must chain the table again itself.
_V3_CHAINED = {
    "history": ("id", "case_id", "worker", "previous_worker", "kind", "reason", "actor", "at"),
    "case_changes": ("id", "case_id", "field", "old", "new", "actor", "at"),
}
_V3_NO_UPDATE = {"history": ("history_no_update", SCHEMA_V1), "case_changes": ("case_changes_no_update", SCHEMA_V2)}


def _v3(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_V3):
        db.execute(statement)
    for table, columns in _V3_CHAINED.items():
        # The rows already there get their hashes: the no-update trigger steps aside for
        # this one UPDATE, inside the migration's transaction, and comes back unchanged.
        trigger, script = _V3_NO_UPDATE[table]
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        select = f"SELECT {', '.join(columns)} FROM {table}"
        previous = GENESIS
        batch = db.execute(f"{select} ORDER BY id LIMIT ?", [rows.CHAIN_BATCH]).fetchall()
        while batch:  # in batches of ids, so a history of millions is never held in memory
            hashes = []
            for row in batch:
                previous = link(previous, tuple(row))
                hashes.append((previous, row[0]))
            db.executemany(f"UPDATE {table} SET hash = ? WHERE id = ?", hashes)
            batch = db.execute(f"{select} WHERE id > ? ORDER BY id LIMIT ?", [batch[-1][0], rows.CHAIN_BATCH]).fetchall()
        db.execute(_trigger_sql(script, trigger))


def _trigger_sql(script: str, name: str) -> str:
    """The CREATE TRIGGER statement for `name` in a schema script, exactly as written there."""
    (statement,) = [s for s in sql_statements(script) if s.startswith(f"CREATE TRIGGER {name} ")]
    return statement


SCHEMA_V4 = """
-- Every count behind zone-review, report and assign reads one covering index, never the
-- rows of cases or history (DESIGN §8). Written for SQLite without ANALYZE statistics.
-- Loads: only the open cases, already in the GROUP BY's order, and every column the count
-- reads. It also finds a worker's open cases (status IN open AND worker = ?), which is
-- what the worker-first cases_load was for.
DROP INDEX cases_load;
CREATE INDEX cases_open_load ON cases (status, worker, tier, risk);
-- Stale contact: SQLite reads the columns of an indexed expression from the row, so the
-- index carries them too, and covers the count.
DROP INDEX cases_contact;
CREATE INDEX cases_contact ON cases (status, COALESCE(last_contact_on, opened_on), worker, last_contact_on, opened_on);
-- "New in 30 days" and throughput: the arrivals of a time range with the worker they
-- reached. history_worker is gone: nothing asks for a worker's rows by time, and SQLite
-- chose it to skip-scan millions of rows for the 30-day count.
DROP INDEX history_at;
DROP INDEX history_worker;
CREATE INDEX history_at ON history (at, kind, worker);
"""


def _v4(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_V4):
        db.execute(statement)



SCHEMA_WAITING = """
-- The day a waiting case entered the pool (its opening day, or the day it went back):
-- its first-contact deadline and check-ins count from it (DESIGN §2, domain/waiting.py).
-- Only a waiting case has one: allocation clears it.
ALTER TABLE cases ADD COLUMN waiting_since TEXT CHECK (waiting_since IS NULL OR status = 'waiting');
-- The pool's count and its oldest wait from the index alone (DESIGN §8).
DROP INDEX cases_status;
CREATE INDEX cases_status ON cases (status, opened_on, waiting_since);
"""


def _waiting_since(db: sqlite3.Connection) -> None:
    """Add `cases.waiting_since` and fill it for the cases waiting now: the day they last
    went back to the pool (the latest recorded change of their status to `waiting`, which
    `reopen` writes; the date of its UTC timestamp), else their opening day. The changes
    are read in one pass, not once per waiting case."""
    for statement in sql_statements(SCHEMA_WAITING):
        db.execute(statement)
    db.execute("CREATE TEMP TABLE back_to_pool (case_id TEXT PRIMARY KEY, day TEXT NOT NULL)")
    db.execute("INSERT INTO back_to_pool SELECT case_id, max(substr(at, 1, 10)) FROM case_changes "
               "WHERE field = 'status' AND new = 'waiting' GROUP BY case_id")
    db.execute("UPDATE cases SET waiting_since = COALESCE((SELECT day FROM back_to_pool WHERE case_id = cases.id), "
               "opened_on) WHERE status = 'waiting'")
    db.execute("DROP TABLE back_to_pool")



SCHEMA_STARTS = """
-- A new starter's first day (ISO date): no capacity and no cases before it.
ALTER TABLE workers ADD COLUMN starts_on TEXT;
"""


def _starts(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_STARTS):
        db.execute(statement)


MIGRATIONS: list[Callable] = [_v1, _v2, _v3, _v4, _waiting_since, _starts, meeting_snapshots, feels,
                              sealed_personal_data, batches, withdrawn_referrals, full_text, evidence_indexes,
                              backups_made, written_out, returns_are_no_arrivals, review_heads, report_runs]
# Steps that change every chained row: opening an older database says so on stderr.
RECHAINS = {sealed_personal_data: RECHAINED}
# Steps given sqlite-utils' Database over the connection (table rebuilds with `transform`,
# the full-text index with `enable_fts`); the others take the sqlite3 connection.
WITH_SQLITE_UTILS = {withdrawn_referrals, full_text, written_out}

CURRENT_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def apply_steps(db: sqlite3.Connection, steps: list[Callable]):
    """Run `steps` on `db` in order, inside the caller's transaction; returns sqlite-utils'
    Database over `db`. sqlite-utils is imported here, when a database is created or
    upgraded (and by `doctor`, which builds the expected schema), never by an ordinary
    command: it costs ~140 ms of start-up (DESIGN §8, tests/test_startup.py)."""
    from sqlite_utils import Database  # only when a file is created or upgraded, and by doctor

    tables = Database(db, execute_plugins=False)
    for step in steps:
        step(tables if step in WITH_SQLITE_UTILS else db)
    return tables
