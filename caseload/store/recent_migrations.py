"""Migration steps from 7 (`store.migrations.MIGRATIONS` runs them): the meeting week's
snapshot kinds and cover index, the worker's own view of their caseload (DESIGN §2),
personal data that can leave the record (DESIGN §6, "Data protection lifecycle"), the
numbered batches `undo` reverses (DESIGN §5), withdrawn referrals (a closed case nobody
held, DESIGN §2), the full-text index of `find` (DESIGN §5), the indexes the nightly
report's weights and `export cases`' held-since read through (DESIGN §8), and the list of
backups made with `caseload backup` (DESIGN §6).

Each step is frozen as it was at its version: a later change of a table needs a step of
its own.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from caseload.domain.chain import GENESIS, link, seal
from caseload.domain.model import ARRIVAL_KINDS, OPEN_STATUSES
from caseload.store import rows
from caseload.store.chained import new_salt
from caseload.store.rows import sql_list, sql_statements

SCHEMA_MEETINGS = """
-- A snapshot is a meeting's (`zone-review --record`) or a nightly one (`report --record`):
-- "since the last review" compares with the last meeting (DESIGN §2). Snapshots recorded
-- before this step were taken as reviews: they count as meetings.
ALTER TABLE zone_reviews ADD COLUMN kind TEXT NOT NULL DEFAULT 'meeting' CHECK (kind IN ('meeting', 'nightly'));
CREATE INDEX zone_reviews_kind ON zone_reviews (kind, on_date);
-- The zone review's covering/covered counts per worker from this index alone (DESIGN §8).
CREATE INDEX cases_cover ON cases (home_worker, worker, status, cover_until) WHERE home_worker IS NOT NULL;
"""


def meeting_snapshots(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_MEETINGS):
        db.execute(statement)


SCHEMA_FEELS = """
-- The practitioner's voice (DESIGN §2): each worker's own view of their caseload, at most
-- one a worker per ISO week (the latest row of the week wins). Append-only like history.
CREATE TABLE feels (
    id INTEGER PRIMARY KEY,
    worker TEXT NOT NULL REFERENCES workers(id),
    on_date TEXT NOT NULL,
    week TEXT NOT NULL,                 -- the Monday of on_date's ISO week
    feeling TEXT NOT NULL CHECK (feeling IN ('manageable', 'stretched', 'overwhelmed')),
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX feels_week ON feels (week, worker, on_date, id);
CREATE TRIGGER feels_no_update BEFORE UPDATE ON feels
BEGIN SELECT RAISE(ABORT, 'feelings are append-only: rows cannot be changed'); END;
CREATE TRIGGER feels_no_delete BEFORE DELETE ON feels
BEGIN SELECT RAISE(ABORT, 'feelings are append-only: rows cannot be deleted'); END;
CREATE TRIGGER feels_no_replace BEFORE INSERT ON feels
WHEN EXISTS (SELECT 1 FROM feels WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'feelings are append-only: rows cannot be replaced'); END;
"""


def feels(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_FEELS):
        db.execute(statement)



# -- Personal data that can leave the record (DESIGN §6, "Data protection lifecycle") --
# Each chained row commits to its personal values through a salted seal (domain/chain.py);
# erasing deletes the values and the salt, keeps the seal, and the chain still verifies.
# So the only UPDATE the triggers let through is an erasure: every public value, the seal
# and the hash unchanged, the salt gone and the personal values emptied. Notes join the
# chain (append-only from here), and `erasures` records who erased what, when and why.
_UPDATE_ONLY_ERASES = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
WHEN NOT (NEW.salt IS NULL AND {erased} AND {same} AND NEW.seal IS OLD.seal AND NEW.hash IS OLD.hash)
BEGIN SELECT RAISE(ABORT, '{what} append-only: rows cannot be changed, only their personal text erased'); END;
"""
_APPEND_ONLY = """
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{what} append-only: rows cannot be deleted'); END;
CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}
WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, '{what} append-only: rows cannot be replaced'); END;
"""
# Frozen here as they were at this version (a later change of store.chained needs its own step).
_PRIVACY_CHAINED = {
    # table: (public columns after id, personal columns, erased values as SQL, what)
    "history": (("case_id", "worker", "previous_worker", "kind", "actor", "at"), ("reason",), ("NULL",),
                "history is"),
    "case_changes": (("case_id", "field", "actor", "at"), ("old", "new"), ("NULL", "NULL"), "case changes are"),
    "notes": (("case_id", "kind", "author", "at"), ("text",), ("'erased'",), "notes are"),
    "erasures": (("case_id", "kind", "reason", "actor", "at"), (), (), "erasures are"),
}
SCHEMA_PRIVACY = """
ALTER TABLE history ADD COLUMN salt TEXT;
ALTER TABLE history ADD COLUMN seal TEXT;
ALTER TABLE case_changes ADD COLUMN salt TEXT;
ALTER TABLE case_changes ADD COLUMN seal TEXT;
ALTER TABLE notes ADD COLUMN salt TEXT;
ALTER TABLE notes ADD COLUMN seal TEXT;
ALTER TABLE notes ADD COLUMN hash TEXT;
-- Each erasure of a case's personal data: retention (the case closed long enough ago) or
-- a request (`erase`). Chained like history; its reason must not name the client.
CREATE TABLE erasures (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('retention', 'request')),
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    salt TEXT,
    seal TEXT,
    hash TEXT
);
CREATE INDEX erasures_at ON erasures (at);
CREATE INDEX case_changes_case ON case_changes (case_id, id);
DROP TRIGGER history_no_update;
DROP TRIGGER case_changes_no_update;
"""


def _privacy_triggers(table: str) -> str:
    public, personal, erased, what = _PRIVACY_CHAINED[table]
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in ("id", *public))
    emptied = " AND ".join(f"NEW.{c} IS {value}" for c, value in zip(personal, erased)) or "1"
    script = _UPDATE_ONLY_ERASES.format(table=table, erased=emptied, same=same, what=what)
    if table in ("notes", "erasures"):  # history and case changes have theirs already
        script += _APPEND_ONLY.format(table=table, what=what)
    return script


def sealed_personal_data(db: sqlite3.Connection) -> None:
    """Seal the personal values of every chained row with a new salt and chain the rows
    again (notes for the first time), in batches of ids, then put the triggers on."""
    for statement in sql_statements(SCHEMA_PRIVACY):
        db.execute(statement)
    for table, (public, personal, _, _) in _PRIVACY_CHAINED.items():
        select = f"SELECT {', '.join(('id', *public, *personal))} FROM {table}"
        previous = GENESIS
        batch = db.execute(f"{select} ORDER BY id LIMIT ?", [rows.CHAIN_BATCH]).fetchall()
        while batch:
            updates = []
            for row in batch:
                salt = new_salt()
                sealed = seal(salt, tuple(row[1 + len(public):]))
                previous = link(previous, (*tuple(row[:1 + len(public)]), sealed))
                updates.append((salt, sealed, previous, row[0]))
            db.executemany(f"UPDATE {table} SET salt = ?, seal = ?, hash = ? WHERE id = ?", updates)
            batch = db.execute(f"{select} WHERE id > ? ORDER BY id LIMIT ?", [batch[-1][0], rows.CHAIN_BATCH]).fetchall()
        for statement in sql_statements(_privacy_triggers(table)):
            db.execute(statement)


RECHAINED = "its record was sealed and chained again (personal text can now be erased; notes are chained)"


SCHEMA_BATCHES = """
-- Each run of assign, handover, rebalance or reassign that moved cases is a numbered batch
-- (DESIGN §5, `undo`): its history rows are first_row..last_row (one transaction appends
-- them with consecutive ids), and batch_cases holds where each of its cases was before it
-- (holder, status, cover, wait), so `undo` can put them back as new history rows. An undo
-- is a batch too, naming the batch it reversed. No personal data: ids, workers and dates.
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL CHECK (command IN ('assign', 'handover', 'rebalance', 'reassign', 'undo')),
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    first_row INTEGER NOT NULL,
    last_row INTEGER NOT NULL,
    undoes INTEGER REFERENCES batches(id)
);
CREATE INDEX batches_undoes ON batches (undoes) WHERE undoes IS NOT NULL;
CREATE TABLE batch_cases (
    batch INTEGER NOT NULL REFERENCES batches(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    worker TEXT,
    status TEXT NOT NULL,
    home_worker TEXT,
    cover_until TEXT,
    waiting_since TEXT,
    moved_to TEXT,
    PRIMARY KEY (batch, case_id)
);
CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches
BEGIN SELECT RAISE(ABORT, 'batches are append-only: rows cannot be changed'); END;
CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches
BEGIN SELECT RAISE(ABORT, 'batches are append-only: rows cannot be deleted'); END;
CREATE TRIGGER batch_cases_no_update BEFORE UPDATE ON batch_cases
BEGIN SELECT RAISE(ABORT, 'batches are append-only: rows cannot be changed'); END;
CREATE TRIGGER batch_cases_no_delete BEFORE DELETE ON batch_cases
BEGIN SELECT RAISE(ABORT, 'batches are append-only: rows cannot be deleted'); END;
"""


def batches(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_BATCHES):
        db.execute(statement)


# -- Withdrawn referrals (DESIGN §2): a waiting case closed without ever having had a worker --
# Version 1 tied a case's status to its worker both ways, `(status = 'waiting') = (worker IS
# NULL)`, so a closed case had to name one. From here a waiting case has nobody and an open
# one has somebody; a closed case may have nobody (a referral withdrawn from the pool).
# SQLite cannot alter a CHECK, so the table is rebuilt.
_HELD_BOTH_WAYS = "CHECK ((status = 'waiting') = (worker IS NULL))"
_HELD_WHEN_OPEN = (f"CHECK (status <> 'waiting' OR worker IS NULL),\n"
                   f"   CHECK (status NOT IN {sql_list(OPEN_STATUSES)} OR worker IS NOT NULL)")


def withdrawn_referrals(tables) -> None:
    """Rebuild `cases` with the two one-way checks in place of the old one (`tables` is
    sqlite-utils' Database over the migrating connection, inside its transaction).

    sqlite-utils' `transform_sql` writes the rebuild: a new table with every column, its
    other CHECKs and foreign keys, the rows copied with their rowids (the full-text index
    of a later step keys on them), the old table dropped and the new one renamed, every
    index made again from its own SQL. `transform` itself cannot change a CHECK, so the
    one CHECK is swapped in the statement it wrote, and the statements run here, with
    foreign keys off (`store.migrations.migrate` turns them off around its transaction and
    checks them before the commit: the history, notes and changes that point at `cases`
    point at the renamed table by then). Triggers on `cases` (none at this version; a
    later step may add some) are made again too."""
    def held_when_open(create: str) -> str:
        if create.count(_HELD_BOTH_WAYS) != 1:
            raise RuntimeError("the cases table does not have the check this migration replaces")
        return create.replace(_HELD_BOTH_WAYS, _HELD_WHEN_OPEN)

    rebuild(tables, "cases", held_when_open)


def rebuild(tables, table: str, change: Callable[[str], str]) -> None:
    """Rebuild `table` with `change` made to its CREATE TABLE (SQLite cannot alter a CHECK):
    sqlite-utils' `transform_sql` writes the rebuild (every column, CHECK and foreign key,
    the rows copied with their rowids, every index made again from its own SQL), and the
    table's triggers are made again after it. Foreign keys are off around a migration
    (`store.migrations.migrate` checks them before the commit)."""
    statements = tables[table].transform_sql()
    (create,) = [s for s in statements if s.startswith("CREATE TABLE")]
    statements[statements.index(create)] = change(create)
    triggers = [sql for (sql,) in tables.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table]).fetchall()]
    for statement in statements:
        tables.execute(statement)
    for statement in triggers:
        tables.execute(statement)


# -- The full-text index of `find` (DESIGN §5): client, summary and notes --------------------
# Built by sqlite-utils' `enable_fts` (FTS5, external content: the index holds the words,
# never a second copy of the text) inside the migration's transaction: sqlite-utils runs its
# scripts statement by statement when a transaction is open, so nothing commits early.
# Notes take `enable_fts`'s own triggers (a note changes only when erased). Cases take three
# of ours under the same names: the AFTER UPDATE trigger `enable_fts` writes re-indexes a
# case on every update (each assignment, move and review), where the words change only with
# the client or the summary. Erasure rebuilds every such index (`store.privacy`).
SCHEMA_CASE_TEXT = """
CREATE TRIGGER cases_ai AFTER INSERT ON cases BEGIN
  INSERT INTO cases_fts (rowid, client, summary) VALUES (new.rowid, new.client, new.summary);
END;
CREATE TRIGGER cases_ad AFTER DELETE ON cases BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, client, summary) VALUES ('delete', old.rowid, old.client, old.summary);
END;
CREATE TRIGGER cases_au AFTER UPDATE ON cases
WHEN old.client IS NOT new.client OR old.summary IS NOT new.summary BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, client, summary) VALUES ('delete', old.rowid, old.client, old.summary);
  INSERT INTO cases_fts (rowid, client, summary) VALUES (new.rowid, new.client, new.summary);
END;
"""


def full_text(tables) -> None:
    """The full-text index of cases (client, summary) and of notes (text), filled from what
    the tables hold, and kept up to date by triggers (`tables`: sqlite-utils' Database over
    the migrating connection)."""
    tables["cases"].enable_fts(["client", "summary"])
    tables["notes"].enable_fts(["text"], create_triggers=True)
    for statement in sql_statements(SCHEMA_CASE_TEXT):
        tables.execute(statement)


# -- Indexes for the evidence of `weights` and for "held since" (DESIGN §8) -----------------
# Each is partial: it holds only the rows its query asks for, so the writes that do not make
# such a row (most of an intake's) pay nothing for it.
SCHEMA_EVIDENCE_INDEXES = f"""
-- The cases closed since a day (the weights window): without it every closed case of the
-- team's years is read.
CREATE INDEX cases_closed ON cases (closed_on) WHERE status = 'closed';
-- A case's contact notes by their time: the contacts of a window, and whether a note lies
-- within a day of the last contact, from the index alone.
CREATE INDEX notes_contact ON notes (case_id, at) WHERE kind = 'contact';
-- The arrivals of a case with the worker they reached: "held since" (`store.cases.arrived_at`)
-- is the last entry of (case, worker), not a walk through every row of the case.
CREATE INDEX history_arrivals ON history (case_id, worker, at)
WHERE kind IN {sql_list(ARRIVAL_KINDS)} AND previous_worker IS NOT worker;
"""


def evidence_indexes(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_EVIDENCE_INDEXES):
        db.execute(statement)


# -- The backups made with `caseload backup` (DESIGN §6) --------------------------------------
# A backup made before an erasure still holds the erased text: doctor, erase and retention
# name each one that still exists, wherever the lead chose to put it. Where and when only.
SCHEMA_BACKUPS = """
CREATE TABLE backups (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,                 -- absolute
    at TEXT NOT NULL,                   -- UTC, ISO 8601: when the copy was taken
    erasures INTEGER NOT NULL           -- the erasures recorded by then: a later one is not in the copy
);
"""


def backups_made(db: sqlite3.Connection) -> None:
    for statement in sql_statements(SCHEMA_BACKUPS):
        db.execute(statement)
