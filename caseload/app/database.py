"""The database file itself (DESIGN §6): a consistent copy while others write, and the
checks of `doctor`."""

from __future__ import annotations

import contextlib
from pathlib import Path

from caseload.files import unfinished_backups_beside
from caseload.store.connection import backup_to
from caseload.store.backups import (
    backups_before_erasure, begin_backup, forget_backup, record_backup, recorded, unfinished_copies,
    without_backups_being_made,
)
from caseload.store.connection import write_transaction
from caseload.store.doctor import check, witness_findings
from caseload.store.privacy import erasures_held_back


def backup(db, target: Path, at: str) -> None:
    """Copy the database into the new file `target` (0600, never over another file), with
    SQLite's online backup: consistent even while others write; and record where and when
    (`store.backups`: a backup made before an erasure is named while it exists). The copy
    and its record succeed or fail together: a copy that could not be recorded is removed.
    The record is begun before the copy, so a copy killed on the way (its hidden partial
    file beside `target`) is named by `doctor` and `erase` (`store.backups.unfinished_copies`)."""
    with write_transaction(db, saved=False):
        begin_backup(db, target, at)
    try:
        backup_to(db, target, finish=without_backups_being_made)
    except BaseException:
        with contextlib.suppress(Exception):  # nothing was made: nothing to name later
            with write_transaction(db, saved=False):
                forget_backup(db, target, at)
        raise
    try:
        with write_transaction(db):
            record_backup(db, target, at)
    except BaseException:
        if not recorded(db, target, at):  # an interrupt after the commit (the witness) keeps the recorded copy
            target.unlink(missing_ok=True)
        raise


def doctor(db, path: Path, tiers: tuple[str, ...], witness_path: Path | None, witness: Path | None,
           backups: list[Path]) -> tuple[list[str], tuple[str, ...]]:
    """Every problem `store.doctor.check` finds in the database at `path`, and against the
    chain's head kept in the witness file beside the config (`witness_path`) or in `witness`
    (a copy kept elsewhere), as sentences (none when it is clean); and notes that are not
    problems: what the witness could not say, which of `backups` were made before the
    last erasure (they still hold the erased text, DESIGN §6), and the partial copies an
    upgrade killed while it copied the file left beside it (the next upgrade removes them)."""
    problems = check(db, path, tiers)
    if erasures_held_back(db):
        problems.append("another program is reading the database, so what was written since it began is not yet "
                        "in the file itself: text erased since then may still be in it; run `caseload doctor` "
                        "again once that program has stopped")
    found = witness_findings(db, witness_path, witness)
    notes = found.notes + tuple(f"{backup} was made before the last erasure: it still holds the erased text"
                                for backup in backups_before_erasure(db, backups))
    notes += tuple(f"{unfinished} is part of a copy of this database that an interrupted upgrade left: "
                   "it holds the team's data and is no backup; delete it" for unfinished in unfinished_backups_beside(path))
    notes += tuple(f"{unfinished} is part of a copy of this database that `caseload backup` was making when it was "
                   "stopped: it holds the team's data and is no backup; delete it" for unfinished in unfinished_copies(db))
    return problems + list(found.problems), notes
