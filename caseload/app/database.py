"""The database file itself (DESIGN §6): a consistent copy while others write, and the
checks of `doctor`."""

from __future__ import annotations

from pathlib import Path

from caseload.store.connection import backup_to
from caseload.store.doctor import backups_before_erasure, check, witness_findings


def backup(db, target: Path) -> None:
    """Copy the database into the new file `target` (0600, never over another file), with
    SQLite's online backup: consistent even while others write."""
    backup_to(db, target)


def doctor(db, path: Path, tiers: tuple[str, ...], witness_path: Path | None, witness: Path | None,
           backups: list[Path]) -> tuple[list[str], tuple[str, ...]]:
    """Every problem `store.doctor.check` finds in the database at `path`, and against the
    chain's head kept in the witness file beside the config (`witness_path`) or in `witness`
    (a copy kept elsewhere), as sentences (none when it is clean); and notes that are not
    problems: what the witness could not say, and which of `backups` were made before the
    last erasure (they still hold the erased text, DESIGN §6)."""
    problems = check(db, path, tiers)
    found = witness_findings(db, witness_path, witness)
    notes = found.notes + tuple(f"{backup} was made before the last erasure: it still holds the erased text"
                                for backup in backups_before_erasure(db, backups))
    return problems + list(found.problems), notes
