"""The witness file (DESIGN §6, `domain.witness`): the chain's head, kept beside the
config (the user config folder), one 0600 file per database, rewritten after every
committed write, read by `doctor`.

Invariants:
- a witness is only ever replaced by a head that extends it: when the database no longer
  holds what it witnessed (rows deleted, rows rewritten), the old witness stays for
  `doctor` to report, whatever is written afterwards;
- writing it never fails a command that has committed: the database is the record, the
  witness its outside check (a failure leaves the older witness, which `doctor` notes).
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from caseload.domain.errors import CaseloadError
from caseload.files import atomic_text, private_dir
from caseload.domain.witness import Comparison, TableHead, checkpoints, compare, from_text, to_text
from caseload.store.chained import CHAINED, hashes_at, head


def witness_path(folder: Path, database: Path) -> Path:
    """The witness of `database` in `folder`: named after the file and its full path."""
    where = str(database.expanduser().resolve())
    return folder / f"{database.name}-{hashlib.sha256(where.encode('utf-8', 'surrogateescape')).hexdigest()[:12]}.witness"


def current_heads(db: sqlite3.Connection) -> dict[str, TableHead]:
    """Each chained table's head as it is now, with its checkpoint hashes."""
    heads = {}
    for table, (rows, _) in head(db).items():
        found = hashes_at(db, table, checkpoints(rows))
        heads[table] = TableHead(rows, {i: h for i, h in found.items() if h is not None})
    return heads


WITNESS_MAX_BYTES = 4 * 1024 * 1024  # a witness is a few lines; a saved report mail well under this


def read_witness(path: Path) -> dict[str, TableHead] | None:
    """The heads a witness file (or a copy of the report's head lines) holds; None when
    there is no such file; CaseloadError when it holds none."""
    try:
        if not path.is_file():  # a folder, a fifo, /dev/zero: never read it
            if not path.exists():
                return None
            raise CaseloadError(f"{path} is not a caseload witness (not a file)")
        with path.open("rb") as handle:
            data = handle.read(WITNESS_MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    if len(data) > WITNESS_MAX_BYTES:
        raise CaseloadError(f"{path} is not a caseload witness (larger than a report)")
    try:
        return from_text(data.decode("utf-8", errors="replace"))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CaseloadError(f"{path} is not a caseload witness (no chain head in it)") from None


def check_witness(db: sqlite3.Connection, witnessed: dict[str, TableHead]) -> Comparison:
    """The database against a witness: each witnessed checkpoint's hash read back."""
    rows = {table: rows for table, (rows, _) in head(db).items()}
    found = {table: hashes_at(db, table, tuple(h.hashes)) for table, h in witnessed.items() if table in CHAINED}
    return compare(witnessed, rows, found)


def record_witness(db: sqlite3.Connection, path: Path, database: Path) -> None:
    """Write the database's head to its witness, unless the witness holds something the
    database no longer does (then it is kept as evidence)."""
    try:
        try:
            witnessed = read_witness(path)
        except CaseloadError:
            witnessed = None  # not ours, unreadable: a new one replaces it
        if witnessed is not None and not check_witness(db, witnessed).extends:
            return
        heads = current_heads(db)
        if witnessed == heads:
            return
        private_dir(path.parent)
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with atomic_text(path, "witness") as handle:
            handle.write(to_text(str(database.expanduser().resolve()), at, heads))
    except (OSError, CaseloadError, sqlite3.Error):
        pass  # committed already: doctor notes a witness that is behind
