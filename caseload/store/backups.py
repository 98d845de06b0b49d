"""The backups that may still hold erased text (DESIGN §6): those caseload made beside the
database before an upgrade, and those made with `caseload backup` wherever the lead put
them (the `backups` table keeps where and when), each named while it still exists."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def record_backup(db: sqlite3.Connection, path: Path, at: str) -> None:
    """A backup was made at `path` (inside the caller's write transaction): recorded with the
    erasures the copy itself holds, read from it (the count, not the clock, says which later
    ones it lacks). Not the database's count now: an erasure committed while the copy was
    being made, or between the copy and this record, is not in the copy."""
    copy = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)  # no -shm beside it
    try:
        (held,) = copy.execute("SELECT count(*) FROM erasures").fetchone()
    finally:
        copy.close()
    db.execute("INSERT INTO backups (path, at, erasures) VALUES (?, ?, ?)", [str(path.absolute()), at, held])


def recorded(db: sqlite3.Connection, path: Path, at: str) -> bool:
    """Whether the backup at `path` made at `at` is on record (its transaction committed)."""
    return db.execute("SELECT 1 FROM backups WHERE path = ? AND at = ?", [str(path.absolute()), at]).fetchone() is not None


def backups_before_erasure(db: sqlite3.Connection, beside: list[Path]) -> list[Path]:
    """The backups made before the last erasure that still exist: of `beside` (the upgrade
    copies next to the database) by their time on disk, and of `caseload backup`'s by the
    erasures recorded when each was taken. They still hold what the erasure removed."""
    (last,) = db.execute("SELECT max(at) FROM erasures").fetchone()
    if last is None:
        return []
    moment = datetime.fromisoformat(last).timestamp()
    # the erasure's time is kept to the second: a copy made within that second may hold the
    # text (an old file's upgrade copy, made by the erasing command itself), so it is named
    found = [path for path in beside if int(path.stat().st_mtime) <= moment]
    for (path,) in db.execute("SELECT path FROM backups GROUP BY path "
                              "HAVING max(erasures) < (SELECT count(*) FROM erasures) ORDER BY max(id)"):
        if Path(path).is_file() and Path(path) not in found:
            found.append(Path(path))
    return found
