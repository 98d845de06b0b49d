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
  or not at all, also when the process is killed;
- after each committed write the chain's head goes to the witness file
  (`store.witness`), when the session gave one;
- deleted content is overwritten (`PRAGMA secure_delete`), so erased text does not
  linger in free pages of the file (DESIGN §6, "Erased means gone").
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from caseload.domain.errors import CaseloadError, Damaged
from caseload.files import create_private_file, new_file_from, private_dir, unfinished_backups_beside, upgrade_backup
from caseload.store.migrations import CURRENT_VERSION, MIGRATIONS, RECHAINS, apply_steps, schema_version
from caseload.store.witness import record_witness

BUSY_TIMEOUT_SECONDS = 30.0


class Connection(sqlite3.Connection):
    """An SQLite connection that knows its file, its witness and what opening it found
    worth telling the user (an upgrade, a record chained again)."""

    path: Path | None = None
    witness: Path | None = None
    notices: tuple[str, ...] = ()


def open_database(path: Path, *, create: bool = False, witness: Path | None = None) -> sqlite3.Connection:
    """Open (and if needed create and migrate) the caseload database at `path`.

    Without `create`, a missing or empty file is an error: a mistyped --db must not
    quietly start an empty team. A damaged file raises sqlite3.DatabaseError, which the
    command line turns into "the database is damaged: restore it from a backup". The connection is in autocommit mode (isolation_level
    None): every transaction is explicit, opened by `write_transaction` or
    `read_snapshot`, so nothing commits behind a command's back.
    """
    if not create and (not path.exists() or (path.is_file() and path.stat().st_size == 0)):
        raise CaseloadError(f"no caseload database at {path}: create it with `caseload init` (or give --db)")
    if witness is not None and create and (not path.exists() or (path.is_file() and path.stat().st_size == 0)):
        witness.unlink(missing_ok=True)  # a new database: a witness of an older file at this path is not its own
    if not path.exists():
        private_dir(path.parent)
        create_private_file(path)
    db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, factory=Connection)
    db.row_factory = sqlite3.Row
    db.path, db.witness = path, witness
    try:
        # SQLite reads the header here. The file is never opened any other way: closing another
        # descriptor of it would drop this process's locks on it (POSIX advisory locks).
        db.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        if "not a database" not in str(error):
            raise
        db.close()
        raise Damaged(f"{path} cannot be opened as a caseload database: it is not an SQLite file (if it is "
                      "the team's database, it is damaged: restore it from a backup)") from None
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA secure_delete = ON")
    db.notices = tuple(migrate(db, path))
    return db


# What this process has committed that the user has not been told: the error edge says it
# when an interrupt (Ctrl-C, SIGTERM, SIGHUP) lands after a commit, so that "nothing was
# changed" is never said of a file that was, nor "done" of one that was not.
# A command's own change (`change_saved`) is known by its connection, put here just
# before its COMMIT when the transaction wrote something, and marked done once COMMIT has
# returned; an interrupt in between reads the connection: committed if its transaction is
# no longer open (the moment COMMIT returned is told apart from the moment before it
# began). The notices of an upgrade (`unsaid_notices`) stand for themselves until they
# are printed (`said`).
_COMMITTING: list[list] = []  # [connection, done]
_UNSAID: list[str] = []


def change_saved() -> bool:
    """Whether the command's own change has been committed (it wrote something)."""
    return any(done or _committed(db) for db, done in _COMMITTING)


def unsaid_notices() -> tuple[str, ...]:
    """The notices of an upgrade made before the command that have not been printed."""
    return tuple(_UNSAID)


def said(notices) -> None:
    """The upgrade's `notices` were printed."""
    for notice in notices:
        if notice in _UNSAID:
            _UNSAID.remove(notice)


def forget() -> None:
    """A new command in the same process (the tests run many in one): nothing is unsaid."""
    _COMMITTING.clear()
    _UNSAID.clear()


def _committed(db: sqlite3.Connection) -> bool:
    try:
        return not db.in_transaction
    except sqlite3.ProgrammingError:  # closed since: after its commit
        return True


@contextmanager
def write_transaction(db: sqlite3.Connection, saved: bool = True) -> Iterator[sqlite3.Connection]:
    """One command's writes: all of them or none (BEGIN IMMEDIATE ... COMMIT). `saved`: an
    interrupt after the commit says the change was saved, if it wrote anything (False: the
    caller says what, as an upgrade does)."""
    db.execute("BEGIN IMMEDIATE")
    before = db.total_changes
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    committing = [db, False]
    if saved and db.total_changes != before:
        _COMMITTING.append(committing)
    try:
        db.commit()
    except sqlite3.Error:  # not committed (a full disk): nothing was saved
        _COMMITTING[:] = [entry for entry in _COMMITTING if entry is not committing]
        raise
    committing[1] = True  # a later transaction on the connection must not hide this one
    witness = getattr(db, "witness", None)
    if witness is not None:
        record_witness(db, witness, db.path)


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


def backup_to(db: sqlite3.Connection, target: Path, field: str = "FILE",
              finish: Callable[[sqlite3.Connection], None] | None = None) -> None:
    """SQLite's online backup into a new 0600 file: consistent even while others write.
    It never replaces a file, and appears under its name only when whole. `finish(copy)`
    changes the copy before it appears (in a transaction of its own)."""

    def fill(temporary: Path) -> None:
        dest = sqlite3.connect(str(temporary))
        try:
            db.backup(dest)
            if finish is not None:
                with dest:
                    finish(dest)
        finally:
            dest.close()

    new_file_from(target, fill, field)


def migrate(db: sqlite3.Connection, path: Path) -> list[str]:
    """Bring the file at `path` to CURRENT_VERSION, or refuse it; returns what the user
    should be told (an upgrade of an existing database: its backup, a record chained again).

    Several processes opening an old database at once all succeed: each takes the write
    lock first, so one upgrades (after its backup) while the others wait, then find the
    work done."""
    version = schema_version(db)
    if version > CURRENT_VERSION:
        raise CaseloadError(
            f"{path} was written by a newer caseload (schema version {version}; this one knows up to "
            f"{CURRENT_VERSION}): upgrade caseload before using this database"
        )
    if version == CURRENT_VERSION:
        return []

    notices: list[str] = []
    backup: Path | None = None
    # Foreign keys are off while the steps run, as SQLite's own procedure for rebuilding a
    # table says (a rebuild drops a table the history and notes point at, and renames its
    # copy into place); the connection cannot change this inside a transaction. The steps'
    # work is checked before the commit instead, and the keys come back on in any case.
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with write_transaction(db, saved=False):
            version = schema_version(db)  # another process may have migrated while we waited
            if version == CURRENT_VERSION:
                return []
            if version == 0:
                tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
                if tables:
                    raise CaseloadError(f"{path} is an SQLite file but not a caseload database: refusing to change it")
            else:
                _writable(db, version)
                backup = backup_before_migration(path, version)
                notices.append(f"upgraded {path} from schema version {version} to {CURRENT_VERSION} "
                               f"(the old file is kept as {backup})")
                notices += [f"{path}: {what}" for step, what in RECHAINS.items() if step in MIGRATIONS[version:]]
            tables = apply_steps(db, MIGRATIONS[version:])
            if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError("FOREIGN KEY constraint failed")
            db.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
    except BaseException as error:
        if backup is not None and not _upgraded(db):
            backup.unlink(missing_ok=True)  # the file is as it was: one failed attempt a night must not pile up copies
        elif backup is not None:  # interrupted after the commit: upgraded all the same
            _UNSAID.extend(notices)
        if version:
            _say_why(error, path, version, backup is not None)
        raise
    finally:
        db.execute("PRAGMA foreign_keys = ON")
    _UNSAID.extend(notices)  # until the command prints them (`said`)
    tables.enable_wal()
    return notices


def _writable(db: sqlite3.Connection, version: int) -> None:
    """Refuse, before any copy is made, an old file this process cannot write (read-only
    for this user, or on a read-only disk): its schema version written again, unchanged,
    is the upgrade's first write (`_say_why` says so)."""
    db.execute(f"PRAGMA user_version = {version}")


def _say_why(error: BaseException, path: Path, version: int, copied: bool) -> None:
    """An upgrade that failed for a reason the user can act on, said in one line (nothing
    was changed: the transaction was rolled back, and the copy removed); anything else is
    raised as it came."""
    upgrade = f"{path} must be upgraded from schema version {version} to {CURRENT_VERSION} before this caseload can use it"
    if isinstance(error, sqlite3.OperationalError) and not copied and "locked" in str(error):
        raise CaseloadError(  # the write lock never came: another process holds it, longer than we wait
            f"{upgrade}, and another caseload is holding it, most likely upgrading it (a file of a million cases "
            "takes a minute or two): try again in a few minutes; nothing was changed") from None
    if isinstance(error, sqlite3.OperationalError) and not copied and "readonly" in str(error):
        raise CaseloadError(
            f"{upgrade}, and this user cannot write it or its folder: run any caseload command once as someone "
            "who can, or use the older caseload; nothing was changed") from None
    if isinstance(error, PermissionError) and not copied:  # the copy cannot be made in a read-only folder
        raise CaseloadError(
            f"{upgrade}, and its old version cannot be copied beside it ({error.strerror}: {error.filename}): run "
            "any caseload command once as someone who can write the folder; nothing was changed") from None
    if isinstance(error, sqlite3.IntegrityError):  # rows that break caseload's own rules, written outside it
        raise CaseloadError(
            f"{upgrade}, and some of its rows break caseload's rules ({error}): they were changed outside caseload; "
            "nothing was changed (restore the file from a backup, or ask for help)") from None


def _upgraded(db: sqlite3.Connection) -> bool:
    """Whether the file is at CURRENT_VERSION after all (a failure after the commit); in doubt, yes."""
    try:
        return schema_version(db) == CURRENT_VERSION
    except sqlite3.Error:
        return True


def backup_before_migration(path: Path, version: int) -> Path:
    """Copy the old database beside itself (0600) before any migration touches it. Called
    holding the write lock: the copy is read through a second connection (readers are
    not blocked by it), and its name is new even for two upgrades in one second. No other
    upgrade can be copying meanwhile, so a hidden partial copy found beside the file was
    left by one that was killed: it is removed."""
    for unfinished in unfinished_backups_beside(path):  # a killed upgrade's partial copy: none is in progress
        unfinished.unlink(missing_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for attempt in range(1, 1000):
        target = upgrade_backup(path, version, stamp, attempt)
        if not os.path.lexists(target):
            break
    source = sqlite3.connect(str(path))
    try:
        backup_to(source, target)
    except CaseloadError:  # the name was taken meanwhile: not ours to remove
        raise
    except BaseException:  # e.g. Ctrl-C just after the copy appeared under its name: the caller never saw it
        target.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return target
