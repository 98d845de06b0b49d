"""Opening the database file and running one transaction per command (DESIGN §6).

Invariants:
- the file is created 0600 before SQLite touches it, whatever the umask; SQLite
  gives its -wal and -shm files the same mode;
- WAL journal, foreign keys on, a busy timeout so that two team leads wait for
  each other instead of failing;
- reads use the standard library's sqlite3 directly: importing sqlite-utils
  costs more start-up than a whole zone review; the write paths that gain from
  it (WAL switch-over, bulk inserts) use it;
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
from typing import Iterator

from caseload.domain.errors import CaseloadError

BUSY_TIMEOUT_SECONDS = 30.0


def create_private_file(path: Path) -> None:
    """Create `path` (or truncate nothing: an existing file keeps its content) readable by its owner only."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def open_database(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """Open (and if needed create and migrate) the caseload database at `path`.

    Without `create`, a missing file is an error: a mistyped --db must not quietly
    start an empty team. The connection is in autocommit mode (isolation_level
    None): every transaction is explicit, opened by `write_transaction` or
    `read_snapshot`, so nothing commits behind a command's back.
    """
    from caseload.store.migrations import migrate

    if not path.exists():
        if not create:
            raise CaseloadError(f"no database at {path}: run `caseload init` first, or give --db")
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(path)
    try:
        db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db, path)
    except sqlite3.DatabaseError as error:
        raise CaseloadError(f"{path} cannot be opened as a caseload database ({error})") from None
    return db


@contextmanager
def write_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One command's writes: all of them or none (BEGIN IMMEDIATE ... COMMIT)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.commit()


@contextmanager
def read_snapshot(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read command sees one consistent state of the file, even while others write."""
    db.execute("BEGIN")
    try:
        yield db
    finally:
        db.rollback()


def transaction(db: sqlite3.Connection, write: bool):
    """A write transaction when the command changes something, else a read snapshot
    (dry runs, and commands whose --record/--apply was not given)."""
    return write_transaction(db) if write else read_snapshot(db)


def backup_to(db: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup into a new 0600 file: consistent even while others write."""
    if target.exists():
        raise CaseloadError(f"{target} already exists: choose a new file for the backup")
    target.parent.mkdir(parents=True, exist_ok=True)
    create_private_file(target)
    dest = sqlite3.connect(str(target))
    try:
        db.backup(dest)
    finally:
        dest.close()
