"""The database file itself (DESIGN §6): a consistent copy while others write, and the
checks of `doctor`."""

from __future__ import annotations

from pathlib import Path

from caseload.store.connection import backup_to
from caseload.store.doctor import check


def backup(db, target: Path) -> None:
    """Copy the database into the new file `target` (0600, never over another file), with
    SQLite's online backup: consistent even while others write."""
    backup_to(db, target)


def doctor(db, path: Path, tiers: tuple[str, ...]) -> list[str]:
    """Every problem `store.doctor.check` finds in the database at `path`, as sentences
    (none when it is clean)."""
    return check(db, path, tiers)
