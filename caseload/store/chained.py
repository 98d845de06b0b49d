"""The chained, append-only tables: `history` and `case_changes` (DESIGN §6).

Every insert into them goes through `append`, which gives each new row the next id and
its hash (`caseload.domain.chain`), chained to the table's last row, read inside the
caller's write transaction, so two writers cannot chain to the same row. `first_broken`
walks a table's chain for `doctor`.

Invariants:
- the values hashed are exactly the values stored: ids are integers and every other
  column is text or NULL (a number given to a TEXT column would come back as text and
  no longer match), so `append` refuses anything else;
- many rows cost one read of the last row, one pass of hashing and one executemany;
- verification streams the table in id order and keeps no row after the next;
- importing this module costs nothing: the hashing is imported when a row is written
  or checked, not by read commands.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable, Iterator, Sequence

# Each chained table's columns, id first, in the order their values are hashed.
CHAINED = {
    "history": ("id", "case_id", "worker", "previous_worker", "kind", "reason", "actor", "at"),
    "case_changes": ("id", "case_id", "field", "old", "new", "actor", "at"),
}

_LAST = {table: f"SELECT id, hash FROM {table} ORDER BY id DESC LIMIT 1" for table in CHAINED}
_INSERT = {
    table: f"INSERT INTO {table} ({', '.join(columns)}, hash) VALUES ({', '.join('?' * (len(columns) + 1))})"
    for table, columns in CHAINED.items()
}


def append(db: sqlite3.Connection, table: str, rows: Iterable[Sequence[str | None]]) -> None:
    """Insert `rows` (each the values of every column after the id, in CHAINED order) at
    the end of `table`, with their ids and hashes. Call it inside a write transaction."""
    from caseload.domain.chain import GENESIS, link  # hashlib and json: only when writing

    last = db.execute(_LAST[table]).fetchone()
    next_id, previous = (last[0] + 1, last[1] or GENESIS) if last is not None else (1, GENESIS)
    width = len(CHAINED[table]) - 1

    def linked() -> Iterator[tuple]:
        nonlocal next_id, previous
        for values in rows:
            if len(values) != width or not _TEXT.issuperset(map(type, values)):
                _refuse(table, width, values)
            row = (next_id, *values)
            previous = link(previous, row)
            yield (*row, previous)
            next_id += 1

    db.executemany(_INSERT[table], linked())


_TEXT = frozenset((str, type(None)))


def _refuse(table: str, width: int, values: Sequence) -> None:
    if len(values) != width:
        raise TypeError(f"a {table} row has {width} values after its id, not {len(values)}")
    for value in values:
        if value is not None and type(value) is not str:
            raise TypeError(f"a {table} value is text or None, not {type(value).__name__}")


def first_broken(db: sqlite3.Connection, table: str) -> int | None:
    """The id of the first row of `table` whose hash does not match its chain, or None.

    Text that is not valid UTF-8 (only raw SQL can write it) cannot be read as str; the
    walk then starts again reading such text as its bytes, so doctor reports the row
    rather than failing on it.
    """
    from caseload.domain.chain import first_broken as first_broken_row

    try:
        return first_broken_row(_rows(db, table))
    except sqlite3.OperationalError as error:
        if "decode" not in str(error):
            raise
    saved = db.text_factory
    db.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
    try:
        return first_broken_row(_rows(db, table))
    finally:
        db.text_factory = saved


def _rows(db: sqlite3.Connection, table: str) -> Iterator[tuple]:
    cursor = db.execute(f"SELECT {', '.join(CHAINED[table])}, hash FROM {table} ORDER BY id")
    cursor.row_factory = None
    return cursor
