"""Files caseload writes outside the database (DESIGN §6): `--output`, backups, written
configs, the crash log. Every one of them holds, or may hold, personal data.

Invariants:
- a file is created readable and writable by its owner only (0600), a folder caseload
  creates is 0700, whatever the umask;
- a file appears under its final name only when it is whole: it is written to a
  temporary file in the same folder, flushed to disk, then renamed into place, so a
  failure or a kill leaves the old file (or none) as it was;
- an output never goes through a symbolic link, into a device or a folder, over the
  database or its -wal/-shm/backup companions (`protect`), or over any SQLite file:
  those are refused as bad input (exit 2) before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Iterator

from caseload.domain.errors import BadInput, CaseloadError

SQLITE_HEADER = b"SQLite format 3\x00"
_protected: ContextVar[tuple[Path, ...]] = ContextVar("caseload_protected", default=())


def protect(database: Path) -> None:
    """Mark the database of this run: no output may replace it or its companions. One run,
    one database: a process that runs many commands (the tests, a script calling the CLI in
    process) protects each run's own, not every database it has ever opened (each write's
    check read them all: a write grew 27 ms slower every 200 commands)."""
    _protected.set((database,))


def _is_companion(target: Path, database: Path) -> bool:
    name, base = target.name, database.name
    if target.parent.resolve() != database.parent.resolve():
        return False
    return name in (base, f"{base}-wal", f"{base}-shm", f"{base}-journal") or (
        name.startswith(f"{base}.") and name.endswith(".bak"))


def check_target(path: Path, field: str = "--output") -> None:
    """Refuse (BadInput, nothing written) a target that must never be written over."""
    if path.is_symlink():
        raise BadInput(field, str(path), "is a symbolic link: caseload does not write through links")
    for database in _protected.get():
        if _is_companion(path, database) or (path.exists() and database.exists() and os.path.samefile(path, database)):
            raise BadInput(field, str(path), "is the database or one of its files: choose another file")
    if path.exists():
        if not path.is_file():
            raise BadInput(field, str(path), "is not a regular file (a folder or a device)")
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                raise BadInput(field, str(path), "is an SQLite database: caseload never writes over one")
    if not path.parent.is_dir():
        raise BadInput(field, str(path), "is in a folder that does not exist")


def private_dir(folder: Path) -> None:
    """Create `folder` (and its parents) readable by its owner only, if it does not exist."""
    missing = []
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        try:
            parent.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(parent, 0o700)  # mkdir's mode is masked by the umask


def _temporary(folder: Path, name: str) -> tuple[int, Path]:
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.fchmod(fd, 0o600)
    return fd, Path(temporary)


@contextlib.contextmanager
def atomic_text(path: Path, field: str = "--output") -> Iterator[IO[str]]:
    """Write text to `path` whole or not at all (temporary file, fsync, rename), 0600."""
    with _atomic(path, field, "w", encoding="utf-8", newline="") as handle:
        yield handle


@contextlib.contextmanager
def atomic_bytes(path: Path, field: str = "--output") -> Iterator[IO[bytes]]:
    """Write bytes (an xlsx workbook) to `path` like `atomic_text`: whole or not at all, 0600."""
    with _atomic(path, field, "wb") as handle:
        yield handle


@contextlib.contextmanager
def _atomic(path: Path, field: str, mode: str, **how) -> Iterator[IO]:
    check_target(path, field)
    fd, temporary = _temporary(path.parent, path.name)
    try:
        with os.fdopen(fd, mode, **how) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def create_private_file(path: Path) -> None:
    """Create `path` readable by its owner only (an existing file keeps its content)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def new_file_from(path: Path, fill, field: str = "FILE") -> None:
    """Make a new file at `path` by `fill(temporary_path)`, never replacing anything: the
    file appears under its name only when whole (a hard link of the finished temporary
    file, which fails if the name is taken, even by a dangling link)."""
    if os.path.lexists(path):
        raise CaseloadError(f"{path} already exists: choose a new file")
    if not path.parent.is_dir():
        raise BadInput(field, str(path), "is in a folder that does not exist")
    fd, temporary = _temporary(path.parent, path.name)
    os.close(fd)
    try:
        fill(temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise CaseloadError(f"{path} already exists: choose a new file") from None
    finally:
        temporary.unlink(missing_ok=True)


def _left_temporaries(folder: Path, name_glob: str, name_pattern: str) -> list[Path]:
    """The hidden temporary files `new_file_from` left in `folder` (and SQLite's journal of
    one) for a file named as `name_pattern` (a regular expression; `name_glob` the same as
    a glob, to list the candidates): `.<name>.<random>.tmp`, as `_temporary` names them."""
    exact = re.compile(rf"\.{name_pattern}\.[a-z0-9_]+\.tmp(-journal)?")
    return sorted(p for p in folder.glob(f".{name_glob}.*.tmp*") if exact.fullmatch(p.name) and p.is_file())


def unfinished_copies_of(target: Path) -> list[Path]:
    """What `new_file_from` left beside `target` when it was killed while it filled it."""
    import glob

    return _left_temporaries(target.parent, glob.escape(target.name), re.escape(target.name))


def upgrade_backup(database: Path, version: int, stamp: str, attempt: int) -> Path:
    """Where an upgrade copies `database` before it changes it, at `stamp` (UTC, to the
    second): `<name>.v<version>-<stamp>.bak` beside it, `-<attempt>` added for a second
    copy in the same second. `backups_beside` finds these, `unfinished_backups_beside` the
    temporary files of those cut short; the three say the name alike."""
    return database.with_name(f"{database.name}.v{version}-{stamp}" + (f"-{attempt}" if attempt > 1 else "") + ".bak")


def backups_beside(database: Path) -> list[Path]:
    """Backups caseload made beside the database before upgrades, newest first."""
    import glob

    found = [p for p in database.parent.glob(f"{glob.escape(database.name)}.*.bak") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def unfinished_backups_beside(database: Path) -> list[Path]:
    """The hidden temporary files of upgrade backups that never finished (`new_file_from`'s,
    and SQLite's journal of one, left by a process killed while it copied the database):
    part of a copy of the team's data, never a backup to restore from. Named exactly as
    `upgrade_backup` names its copies, so neither a user's own file nor the copy of a
    database whose name only begins like this one's is taken."""
    import glob

    return _left_temporaries(database.parent, f"{glob.escape(database.name)}.v*.bak",
                             rf"{re.escape(database.name)}\.v\d+-\d{{8}}T\d{{6}}Z(-\d+)?\.bak")
