"""Opening the database file and running one transaction per command (DESIGN §6).

Invariants:
- the file is created 0600 before SQLite touches it, whatever the umask; SQLite
  gives its -wal and -shm files the same mode;
- WAL journal, foreign keys on, a busy timeout so that two team leads wait for
  each other instead of failing;
- a write command runs inside `write_transaction`: `BEGIN IMMEDIATE` takes the
  write lock up front (a deferred read-then-write transaction fails at once with
  "database is locked" in WAL mode), and the command's changes commit together
  or not at all, also when the process is killed.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from caseload.domain.errors import CaseloadError

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_SECONDS = 30.0


def create_private_file(path: Path) -> None:
    """Create `path` (or truncate nothing: an existing file keeps its content) readable by its owner only."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def open_database(path: Path, *, create: bool = False) -> "Database":
    """Open (and if needed create and migrate) the caseload database at `path`.

    Without `create`, a missing file is an error: a mistyped --db must not quietly
    start an empty team.
    """
    from sqlite_utils import Database

    from caseload.store.migrations import migrate

    if not path.exists():
        if not create:
            raise CaseloadError(f"no database at {path}: run `caseload init` first, or give --db")
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
        db = Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db, path)
    except sqlite3.DatabaseError as error:
        raise CaseloadError(f"{path} cannot be opened as a caseload database ({error})") from None
    return db


@contextmanager
def write_transaction(db: "Database") -> Iterator["Database"]:
    """One command's writes: all of them or none (BEGIN IMMEDIATE ... COMMIT)."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


@contextmanager
def read_snapshot(db: "Database") -> Iterator["Database"]:
    """A read command sees one consistent state of the file, even while others write."""
    db.conn.execute("BEGIN")
    try:
        yield db
    finally:
        db.conn.rollback()


def backup_to(db: "Database", target: Path) -> None:
    """SQLite's online backup into a new 0600 file: consistent even while others write."""
    if target.exists():
        raise CaseloadError(f"{target} already exists: choose a new file for the backup")
    target.parent.mkdir(parents=True, exist_ok=True)
    create_private_file(target)
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
