"""Whole-database questions: does it hold any data yet; is it a demo (DESIGN §6).

The demo's mark is SQLite's `PRAGMA application_id` (a 32-bit number in the file's
header), set to DEMO_APPLICATION_ID in the same transaction that fills the demo. Why
there, and not a row in a table:
- no schema change: no migration step, and a migrated database still has exactly the
  schema of a fresh one;
- it is read before anything else happens to the file (`what_is` opens it without
  migrating it), so `demo` never upgrades, backs up or locks a database it then refuses,
  and it reads the same whatever schema version the file is at;
- nothing else of caseload sets it (a team's database has 0, SQLite's default), it is
  not team data a command could copy or edit, and `backup` carries it, so a copy of
  a demo is a demo.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

DEMO_APPLICATION_ID = int.from_bytes(b"cldm", "big")  # "caseload demo"
EMPTY_TABLES_OK = ("sequences", "backups")  # the case-number counter `init` writes, copies made: not data
# The full-text index of `find` and its shadow tables hold rows in an empty database (FTS5's
# own structure and version) and only ever mirror cases and notes: not data of their own.
FULL_TEXT_TABLES = ("cases_fts", "notes_fts")


def mark_demo(db: sqlite3.Connection) -> None:
    """Mark the database as one `demo` made (inside the demo's write transaction)."""
    db.execute(f"PRAGMA application_id = {DEMO_APPLICATION_ID}")


def what_is(path: Path) -> str:
    """What is at `path`, for `demo`: "new" (nothing, or an empty file), "demo" (a database
    demo made), "empty" (a caseload database with nothing recorded in it), "data" (a
    caseload database that holds a team's records), "other" (an SQLite file that is not
    caseload's), "not sqlite" (a file that is not an SQLite database) or "not a file".
    Opens the file with SQLite only (never Python's open(), which would drop another
    connection's locks), read-only, and changes nothing: no migration, no backup, no
    checkpoint."""
    if not path.exists():
        return "new"
    if not path.is_file():
        return "not a file"
    if path.stat().st_size == 0:
        return "new"
    # Read-only: closing a read-write connection would checkpoint the -wal into the file.
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0, isolation_level=None)
    try:
        if db.execute("PRAGMA application_id").fetchone()[0] == DEMO_APPLICATION_ID:
            return "demo"
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        if not tables:
            return "new"
        if not {"workers", "cases", "history"} <= set(tables):
            return "other"
        filled = any(db.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()
                     for name in tables if name not in EMPTY_TABLES_OK
                     and not any(name == t or name.startswith(t + "_") for t in FULL_TEXT_TABLES))
        return "data" if filled else "empty"
    except sqlite3.OperationalError:
        raise  # busy or unreadable: the error edge says so
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            return "not sqlite"
        raise  # a damaged database: the error edge says "restore it from a backup"
    finally:
        db.close()
