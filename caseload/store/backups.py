"""The backups that may still hold erased text (DESIGN §6): those caseload made beside the
database before an upgrade, and those made with `caseload backup` wherever the lead put
them (the `backups` table keeps where and when), each named while it still exists."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from caseload.files import unfinished_copies_of


def erasures_in(path: Path) -> int | None:
    """How many erasures the copy at `path` holds, read from the copy itself, a finished file
    nobody writes (no -shm is made beside it); 0 for a copy older than erasures; None when it
    cannot be read as a database."""
    try:
        copy = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            if copy.execute("SELECT 1 FROM sqlite_master WHERE name = 'erasures'").fetchone() is None:
                return 0
            return copy.execute("SELECT count(*) FROM erasures").fetchone()[0]
        finally:
            copy.close()
    except sqlite3.DatabaseError:
        return None


MAKING = -1  # the erasures of a backup being made: its copy is not whole yet


def begin_backup(db: sqlite3.Connection, path: Path, at: str) -> None:
    """A backup is about to be made at `path` (in a write transaction of the caller's,
    committed before the copy starts): a copy killed on the way (SIGKILL, a power cut)
    leaves a hidden partial file beside `path`, which `unfinished_copies` then finds."""
    db.execute("INSERT INTO backups (path, at, erasures) VALUES (?, ?, ?)", [str(path.absolute()), at, MAKING])


def without_backups_being_made(copy: sqlite3.Connection) -> None:
    """A backup's copy keeps no record of a backup being made (its own among them): restored,
    it would send `doctor` looking for partial copies that were never its."""
    copy.execute("DELETE FROM backups WHERE erasures = ?", [MAKING])


def forget_backup(db: sqlite3.Connection, path: Path, at: str) -> None:
    """The copy begun at `path` failed and left nothing (its temporary file is removed)."""
    db.execute("DELETE FROM backups WHERE path = ? AND at = ? AND erasures = ?", [str(path.absolute()), at, MAKING])


def record_backup(db: sqlite3.Connection, path: Path, at: str) -> None:
    """The backup begun at `path` (`begin_backup`) is whole (inside the caller's write
    transaction): recorded with the erasures the copy itself holds (the count, not the clock, says which later ones it
    lacks). Not the database's count now: an erasure committed while the copy was being
    made, or between the copy and this record, is not in the copy."""
    db.execute("UPDATE backups SET erasures = ? WHERE path = ? AND at = ? AND erasures = ?",
               [erasures_in(path) or 0, str(path.absolute()), at, MAKING])


def unfinished_copies(db: sqlite3.Connection) -> list[Path]:
    """The hidden partial copies of the backups begun and never recorded as whole (killed
    while copying), beside where each was going."""
    return [copy for (path,) in db.execute("SELECT DISTINCT path FROM backups WHERE erasures = ?", [MAKING])
            for copy in unfinished_copies_of(Path(path))]


def recorded(db: sqlite3.Connection, path: Path, at: str) -> bool:
    """Whether the backup at `path` made at `at` is on record as whole (its transaction committed)."""
    return db.execute("SELECT 1 FROM backups WHERE path = ? AND at = ? AND erasures >= 0",
                      [str(path.absolute()), at]).fetchone() is not None


def backups_before_erasure(db: sqlite3.Connection, beside: list[Path]) -> list[Path]:
    """The backups made before the last erasure that still exist: of `beside` (the upgrade
    copies next to the database) by the erasures each copy holds, and of `caseload
    backup`'s by the erasures recorded when each was taken. They still hold what the
    erasure removed."""
    (erased,) = db.execute("SELECT count(*) FROM erasures").fetchone()
    if not erased:
        return []
    # each copy says itself which erasures it holds: one holding fewer than the database
    # holds the text of the rest (no clock is compared: an erasure's recorded time is the
    # session's, CASELOAD_TODAY's day in a test or a reproducible run; a file's is real)
    found = [path for path in beside if (erasures_in(path) or 0) < erased]
    for (path,) in db.execute("SELECT path FROM backups GROUP BY path "
                              "HAVING max(erasures) < ? ORDER BY max(id)", [erased]):
        if Path(path).is_file() and Path(path) not in found:
            found.append(Path(path))
    return found
