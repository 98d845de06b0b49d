"""The backups that may still hold erased text (DESIGN §6): those caseload made beside the
database before an upgrade, and those made with `caseload backup` wherever the lead put
them (the `backups` table keeps where and when), each named while it still exists."""

from __future__ import annotations

import sqlite3
from pathlib import Path


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


def record_backup(db: sqlite3.Connection, path: Path, at: str) -> None:
    """A backup was made at `path` (inside the caller's write transaction): recorded with the
    erasures the copy itself holds (the count, not the clock, says which later ones it
    lacks). Not the database's count now: an erasure committed while the copy was being
    made, or between the copy and this record, is not in the copy."""
    db.execute("INSERT INTO backups (path, at, erasures) VALUES (?, ?, ?)",
               [str(path.absolute()), at, erasures_in(path) or 0])


def recorded(db: sqlite3.Connection, path: Path, at: str) -> bool:
    """Whether the backup at `path` made at `at` is on record (its transaction committed)."""
    return db.execute("SELECT 1 FROM backups WHERE path = ? AND at = ?", [str(path.absolute()), at]).fetchone() is not None


def backups_before_erasure(db: sqlite3.Connection, beside: list[Path]) -> list[Path]:
    """The backups made before the last erasure that still exist: of `beside` (the upgrade
    copies next to the database) by their time on disk, and of `caseload backup`'s by the
    erasures recorded when each was taken. They still hold what the erasure removed."""
    (erased,) = db.execute("SELECT count(*) FROM erasures").fetchone()
    if not erased:
        return []
    # each copy says itself which erasures it holds: one holding fewer than the database
    # holds the text of the rest (no clock is compared: an erasure's recorded time is the
    # session's, CASELOAD_TODAY's day in a test or a reproducible run; a file's is real)
    found = [path for path in beside if (erasures_in(path) or 0) < erased]
    for (path,) in db.execute("SELECT path FROM backups GROUP BY path "
                              "HAVING max(erasures) < (SELECT count(*) FROM erasures) ORDER BY max(id)"):
        if Path(path).is_file() and Path(path) not in found:
            found.append(Path(path))
    return found
