"""The chained, append-only tables: `history`, `case_changes`, `notes` and `erasures`
(DESIGN §6).

Every insert into them goes through `append`, which gives each new row the next id, a
random salt, the seal of its personal values and its hash (`caseload.domain.chain`),
chained to the table's last row, read inside the caller's write transaction, so two
writers cannot chain to the same row. `erase_case` deletes a case's personal values and
salts (the only update the triggers allow); `first_broken` walks a table's chain for
`doctor`; `head` and `hashes_at` read what the witness records.

Invariants:
- the values hashed are exactly the values stored: ids are integers and every other
  column is text or NULL (a number given to a TEXT column would come back as text and
  no longer match), so `append` refuses anything else;
- ids are consecutive from 1 (each row takes the last id + 1), so a table's last id is
  its number of rows;
- many rows cost one read of the last row, one pass of hashing and one executemany;
- verification streams the table in id order and keeps no row after the next.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from operator import itemgetter
from typing import Iterable, Iterator, Sequence

from caseload.domain.chain import GENESIS, SALT_HEX_DIGITS, Layout, first_broken as first_broken_row

# Each chained table: its columns after the id as callers give them (in stored order), and
# which of them are personal data (sealed, erasable). The rest are hashed as they are.
COLUMNS = {
    "history": ("case_id", "worker", "previous_worker", "kind", "reason", "actor", "at"),
    "case_changes": ("case_id", "field", "old", "new", "actor", "at"),
    "notes": ("case_id", "kind", "text", "author", "at"),
    "erasures": ("case_id", "kind", "reason", "actor", "at"),
}
PERSONAL = {"history": ("reason",), "case_changes": ("old", "new"), "notes": ("text",), "erasures": ()}
# What a personal column holds once erased: NULL, or for a note (its text is NOT NULL) this word.
ERASED_TEXT = "erased"
ERASED = {"history": (None,), "case_changes": (None, None), "notes": (ERASED_TEXT,), "erasures": ()}
# The case fields whose old and new values in case changes are personal data.
PERSONAL_FIELDS = ("client", "summary", "close_reason")
CHAINED = tuple(COLUMNS)

PUBLIC = {table: ("id", *(c for c in columns if c not in PERSONAL[table])) for table, columns in COLUMNS.items()}
LAYOUTS = {table: Layout(len(PUBLIC[table]), len(PERSONAL[table]), ERASED[table]) for table in COLUMNS}
_CHECKED = {table: (*PUBLIC[table], *PERSONAL[table], "salt", "seal", "hash") for table in COLUMNS}
# max(id) is one step down the table's b-tree (an ORDER BY id DESC plan reads as a scan).
_LAST = {table: f"SELECT id, hash FROM {table} WHERE id = (SELECT max(id) FROM {table})" for table in COLUMNS}
_INSERT = {table: f"INSERT INTO {table} ({', '.join(_CHECKED[table])}) VALUES ({', '.join('?' * len(_CHECKED[table]))})"
           for table in COLUMNS}
ROWS_PER_INSERT = 100  # one INSERT of this many rows costs far less than as many one-row INSERTs
_INSERT_MANY = {table: _INSERT[table] + (", (" + ", ".join("?" * len(_CHECKED[table])) + ")") * (ROWS_PER_INSERT - 1)
                for table in COLUMNS}


def new_salt() -> str:
    return os.urandom(SALT_HEX_DIGITS // 2).hex()


def _salts(count: int) -> list[str]:
    """`count` salts from one read of the system's random source."""
    digits = os.urandom(count * SALT_HEX_DIGITS // 2).hex()
    return [digits[i:i + SALT_HEX_DIGITS] for i in range(0, len(digits), SALT_HEX_DIGITS)]


def append(db: sqlite3.Connection, table: str, rows: Iterable[Sequence[str | None]]) -> None:
    """Insert `rows` (each the values of every column after the id, in COLUMNS order) at
    the end of `table`, with their ids, salts, seals and hashes. Call it inside a write
    transaction. Rows go in ROWS_PER_INSERT to a statement."""
    last = db.execute(_LAST[table]).fetchone()
    next_id, previous = (last[0] + 1, last[1] or GENESIS) if last is not None else (1, GENESIS)
    columns = COLUMNS[table]
    width = len(columns)
    stored_order = itemgetter(*(columns.index(c) for c in PUBLIC[table][1:] + PERSONAL[table]))
    encoded: dict = {}
    pending: list[tuple] = []
    for values in rows:
        if len(values) != width or not _TEXT.issuperset(map(type, values)):
            _refuse(table, width, values)
        pending.append((next_id, *stored_order(values)))
        next_id += 1
        if len(pending) == ROWS_PER_INSERT:
            previous = _insert(db, table, pending, previous, encoded)
            pending.clear()
    if pending:
        _insert(db, table, pending, previous, encoded)


def _insert(db: sqlite3.Connection, table: str, rows: list[tuple], previous: str, encoded: dict) -> str:
    """Rows (id and values) salted, sealed, chained to `previous` and inserted; returns the last hash."""
    linked, previous = LAYOUTS[table].linked(previous, rows, _salts(len(rows)), encoded)
    if len(linked) == ROWS_PER_INSERT:
        db.execute(_INSERT_MANY[table], list(itertools.chain.from_iterable(linked)))
    else:
        db.executemany(_INSERT[table], linked)
    return previous


_TEXT = frozenset((str, type(None)))


def _refuse(table: str, width: int, values: Sequence) -> None:
    if len(values) != width:
        raise TypeError(f"a {table} row has {width} values after its id, not {len(values)}")
    for value in values:
        if value is not None and type(value) is not str:
            raise TypeError(f"a {table} value is text or None, not {type(value).__name__}")


def erase_case(db: sqlite3.Connection, case_ids: Sequence[str]) -> None:
    """Delete the personal values and salts of these cases' chained rows (their seals and
    hashes stay: the chain still verifies). Case changes of other fields (risk, tier, ...)
    keep their values: they are the team's record, not the client's words."""
    fields = ", ".join("?" for _ in PERSONAL_FIELDS)
    for table in ("history", "case_changes", "notes"):
        erased = ", ".join(f"{column} = ?" for column in PERSONAL[table])
        only = f" AND field IN ({fields})" if table == "case_changes" else ""
        extra = list(PERSONAL_FIELDS) if table == "case_changes" else []
        db.executemany(
            f"UPDATE {table} SET {erased}, salt = NULL WHERE case_id = ? AND salt IS NOT NULL{only}",
            ([*ERASED[table], case_id, *extra] for case_id in case_ids))


def first_broken(db: sqlite3.Connection, table: str) -> int | None:
    """The id of the first row of `table` whose hash does not match its chain, or None.

    Text that is not valid UTF-8 (only raw SQL can write it) cannot be read as str; the
    walk then starts again reading such text as its bytes, so doctor reports the row
    rather than failing on it.
    """
    try:
        return first_broken_row(_rows(db, table), LAYOUTS[table])
    except sqlite3.OperationalError as error:
        if "decode" not in str(error):
            raise
    saved = db.text_factory
    db.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
    try:
        return first_broken_row(_rows(db, table), LAYOUTS[table])
    finally:
        db.text_factory = saved


def _rows(db: sqlite3.Connection, table: str) -> Iterator[tuple]:
    cursor = db.execute(f"SELECT {', '.join(_CHECKED[table])} FROM {table} ORDER BY id")
    cursor.row_factory = None
    return cursor


def head(db: sqlite3.Connection) -> dict[str, tuple[int, str | None]]:
    """Each chained table's (number of rows, last hash): its last id and that row's hash."""
    found = {}
    for table in COLUMNS:
        last = db.execute(_LAST[table]).fetchone()
        found[table] = (0, None) if last is None else (int(last[0]), last[1])
    return found


def hashes_at(db: sqlite3.Connection, table: str, ids: Sequence[int]) -> dict[int, str | None]:
    """The stored hash of each of these rows (None for a row that is not there)."""
    found: dict[int, str | None] = {i: None for i in ids}
    if ids:
        marks = ", ".join("?" for _ in ids)
        for row_id, digest in db.execute(f"SELECT id, hash FROM {table} WHERE id IN ({marks})", list(ids)):
            found[row_id] = digest
    return found
