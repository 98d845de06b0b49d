"""Writing a moved-in team and caseload in batches (DESIGN §8, §11), inside the caller's
one transaction.

- `FileIds`: the ids a file gives its cases, kept in a TEMP table (on disk, not in
  Python), so a million-row file is checked for repeats and for ids already taken in
  time linear in its size and memory that does not grow with it;
- `allocate_case_ids`: `C-0001`-style ids for a whole batch at once (one statement moves
  the sequence; one more finds the few already taken by hand or by the file);
- history rows go through `store.chained.append` (one hash-chained executemany per batch),
  each dated as given: the day a worker took a case is when their history row says so,
  which is what continuity, rebalance and "new in 30 days" read.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from caseload.domain.model import Case
from caseload.store.chained import append
from caseload.store.rows import case_from_row

CASE_COLUMNS = ("id", "client", "summary", "tier", "risk", "status", "needs", "language", "area", "worker",
                "home_worker", "cover_until", "requested_worker", "opened_on", "closed_on", "close_reason",
                "next_review_on", "last_contact_on")
_INSERT = f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) VALUES ({', '.join('?' * len(CASE_COLUMNS))})"


class FileIds:
    """The ids given in a file, with their lines, in a TEMP table for the command's life."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        db.execute("DROP TABLE IF EXISTS temp.file_ids")
        db.execute("CREATE TEMP TABLE file_ids (id TEXT NOT NULL, line INTEGER NOT NULL)")

    def add(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.db.executemany("INSERT INTO temp.file_ids (id, line) VALUES (?, ?)", pairs)

    def problems(self) -> Iterator[tuple[str, int, str, int | None]]:
        """(id, line, what, first line): ids repeated in the file, then ids already taken."""
        self.db.execute("CREATE INDEX temp.file_ids_id ON file_ids (id, line)")
        for case_id, line, first in self.db.execute(
            "SELECT f.id, f.line, (SELECT min(g.line) FROM temp.file_ids g WHERE g.id = f.id) AS first "
            "FROM temp.file_ids f WHERE f.line > (SELECT min(g.line) FROM temp.file_ids g WHERE g.id = f.id) "
            "ORDER BY f.line"
        ):
            yield case_id, line, "repeats", first
        for case_id, line in self.db.execute(
            "SELECT f.id, f.line FROM temp.file_ids f JOIN main.cases c ON c.id = f.id ORDER BY f.line"
        ):
            yield case_id, line, "taken", None

    def close(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS temp.file_ids")


def allocate_case_ids(db: sqlite3.Connection, count: int, file_ids: bool, prefix: str = "C-") -> list[str]:
    """`count` new ids of the configured prefix (`cases.id_prefix`, `C-0001`-style by default),
    continuing the highest number of that prefix among the cases (and the file's own ids,
    when they are in `temp.file_ids`): a team whose cases run to PR-0182 gets PR-0183 next
    (DESIGN §2 "Case ids"). `C-` ids also never go back below the sequence, so an id once
    given is not given again; any id already taken is skipped."""
    found: list[str] = []
    while len(found) < count:
        wanted = count - len(found)
        start = _highest_number(db, prefix, file_ids)
        if prefix == "C-":
            last = db.execute("UPDATE sequences SET value = max(value, ?) + ? WHERE name = 'case' RETURNING value",
                              [start, wanted]).fetchone()[0]
        else:
            last = start + wanted
        candidates = [f"{prefix}{n:04d}" for n in range(last - wanted + 1, last + 1)]
        marks = ", ".join("?" * len(candidates))
        taken = {row[0] for row in db.execute(f"SELECT id FROM cases WHERE id IN ({marks})", candidates)}
        if file_ids:
            taken.update(row[0] for row in db.execute(f"SELECT id FROM temp.file_ids WHERE id IN ({marks})",
                                                      candidates))
        found.extend(c for c in candidates if c not in taken)
    return found


def _highest_number(db: sqlite3.Connection, prefix: str, file_ids: bool) -> int:
    """The highest number after `prefix` among the case ids (and the file's, with `file_ids`).
    A prefix holds no GLOB character (config.py allows letters, digits, `.`, `_`, `/`, `-`)."""
    pattern = prefix + "[0-9]*"
    sources = ["SELECT id FROM main.cases WHERE id GLOB ?"] + (["SELECT id FROM temp.file_ids WHERE id GLOB ?"]
                                                                if file_ids else [])
    row = db.execute(f"SELECT max(CAST(substr(id, ?) AS INTEGER)) FROM ({' UNION ALL '.join(sources)})",
                     [len(prefix) + 1, *[pattern] * len(sources)]).fetchone()
    return row[0] or 0


# Build a table's indexes afresh, after its rows are in, when a file brings at least as many
# rows as the table holds: sorting every key once then costs less than putting each new
# key in its place. Measured (CPU of the whole command, 4 runs each): a 50,000-row move into
# a new team 2.95–3.40 s → 2.59–2.89 s; a 25,000-row file into 50,000 cases was no faster
# rebuilding its cases' indexes (2.3–2.7 s against 2.1–2.6 s), so a smaller share keeps them.
REBUILD_SHARE = 1.0
INDEX_BUILD_CACHE_KB = 8192


@contextmanager
def indexes_rebuilt(db: sqlite3.Connection, incoming: dict[str, int]) -> Iterator[None]:
    """Inside the caller's transaction: drop the indexes of each table in `incoming` (its
    name → rows about to be written) that will receive at least REBUILD_SHARE times the
    rows it holds, and create them again, from their own stored SQL, when the block ends.

    If the block raises, the indexes are not made again here: the caller's transaction
    must roll back (every command's does), which brings them back as they were. Readers
    on other connections never see the table without them (WAL: they read the last
    commit). The primary keys (SQLite's automatic indexes) stay: the writes need them."""
    # Statistics someone gathered with ANALYZE go with a dropped index: the table's are
    # gathered again afterwards (all of them, so its primary key's count agrees)
    analysed = {table for (table,) in db.execute(
        "SELECT DISTINCT tbl FROM sqlite_stat1" if _has_statistics(db) else "SELECT NULL WHERE 0")}
    dropped: list[str] = []  # their SQL
    rebuilt: list[str] = []
    for table, rows in incoming.items():
        held = db.execute(f"SELECT ifnull(max(rowid), 0) FROM {table}").fetchone()[0]  # ids only grow
        if rows and rows >= held * REBUILD_SHARE:
            for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                        "AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", [table]).fetchall():
                db.execute(f"DROP INDEX {_quoted(name)}")
                dropped.append(sql)
            rebuilt.append(table)
    yield
    if dropped:
        # Building an index sorts in memory up to the page cache's size, on top of the cache
        # itself: a smaller cache while they are built keeps a million-row move under
        # 100 MB (DESIGN §8; 98 MB with the intake's 24 MB cache)
        db.execute(f"PRAGMA main.cache_size = -{INDEX_BUILD_CACHE_KB}")
    for sql in dropped:
        db.execute(sql)
    for table in rebuilt:
        if table in analysed:
            db.execute(f"ANALYZE {table}")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _has_statistics(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() is not None


def append_history(db: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """History rows (case, worker, previous worker, kind, reason, actor, at), each with its
    own `at`, appended to the hash chain in one pass."""
    append(db, "history", rows)


_FILE_CASE_COLUMNS = ("line", *CASE_COLUMNS, "held_since", "by_rule")
_ADD = (f"INSERT INTO temp.file_cases ({', '.join(_FILE_CASE_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(_FILE_CASE_COLUMNS))})")


class FileCases:
    """The checked rows of a cases file, kept in a TEMP table between the two passes (so
    the file is parsed once, and the write is SQL): `add` each batch as it is checked,
    then `give_ids`, `copy_into_cases` and `history` write them, in the caller's transaction."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        # Bigger page caches for the command's life (bounded: memory stays flat in the file's
        # size): a batch insert into cases and its indexes (and history and its three)
        # otherwise spills pages to and from the file, and so would this table. Sized so a
        # million-row move peaks under 100 MB (DESIGN §8): 64 MB + 16 MB peaked at 140 MB
        # for no measurable speed (the rows arrive in key order; the caches mostly hold
        # pages already written); 24 MB + 4 MB peaks at 77 MB.
        db.execute("PRAGMA main.cache_size = -24576")
        db.execute("PRAGMA temp.cache_size = -4096")
        db.execute("DROP TABLE IF EXISTS temp.file_cases")
        db.execute(f"CREATE TEMP TABLE file_cases (line INTEGER PRIMARY KEY, "
                   f"{', '.join(c + ' TEXT' for c in CASE_COLUMNS)}, held_since TEXT, by_rule INTEGER)")

    def add(self, rows: Sequence[tuple]) -> None:
        """Checked rows as `domain.intake_csv.stored_row` gives them (its STORED columns, the
        id None where one is to be given)."""
        self.db.executemany(_ADD, rows)

    def give_ids(self, prefix: str = "C-", batch: int = 5000) -> tuple[int, str | None, str | None]:
        """A new id (`allocate_case_ids`) for every row without one, a batch at a time (each
        batch's search starts after the last line given one: one walk of the table in all).
        Returns (how many were given, the first, the last)."""
        after, given, first, last = 0, 0, None, None
        while True:
            lines = [row[0] for row in self.db.execute(
                "SELECT line FROM temp.file_cases WHERE line > ? AND id IS NULL ORDER BY line LIMIT ?",
                [after, batch])]
            if not lines:
                return given, first, last
            after = lines[-1]
            ids = allocate_case_ids(self.db, len(lines), file_ids=True, prefix=prefix)
            self.db.executemany("UPDATE temp.file_cases SET id = ? WHERE line = ?", zip(ids, lines))
            given, first, last = given + len(ids), first or ids[0], ids[-1]

    def copy_into_cases(self) -> tuple[int, str | None, str | None]:
        """Every row into `cases`; returns (how many, first id, last id) in the file's order."""
        self.db.execute(f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) "
                        f"SELECT {', '.join(CASE_COLUMNS)} FROM temp.file_cases ORDER BY line")
        count, first, last = self.db.execute(
            "SELECT count(*), (SELECT id FROM temp.file_cases ORDER BY line LIMIT 1), "
            "(SELECT id FROM temp.file_cases ORDER BY line DESC LIMIT 1) FROM temp.file_cases").fetchone()
        return count, first, last

    def history(self, reason: str, actor: str, now: str) -> Iterator[tuple]:
        """The history rows of the moved-in cases, in the file's order: its intake (now), then
        the day its holder took it (`held_since`; a covered case: its home worker from the
        opening day, the cover from `held_since`), then its closing day for a closed case."""
        cursor = self.db.execute("SELECT id, worker, home_worker, status, opened_on, held_since, closed_on, "
                                 "close_reason FROM temp.file_cases ORDER BY line")
        cursor.row_factory = None
        for case_id, worker, home, status, opened, held, closed, why in cursor:
            yield (case_id, None, None, "intake", reason, actor, now)
            if worker is None:
                continue
            if home is not None:
                yield (case_id, home, None, "assign", reason, actor, f"{opened}T00:00:00+00:00")
                yield (case_id, worker, home, "cover", reason, actor, f"{held}T00:00:00+00:00")
            else:
                yield (case_id, worker, None, "assign", reason, actor, f"{held}T00:00:00+00:00")
            if status == "closed":
                yield (case_id, worker, worker, "close", why, actor, f"{closed}T00:00:00+00:00")

    def by_rule(self) -> list[Case]:
        """The cases to give out by the allocation rules (waiting, now stored)."""
        return [case_from_row(row) for row in self.db.execute(
            "SELECT c.* FROM cases c JOIN temp.file_cases f ON f.id = c.id WHERE f.by_rule = 1 ORDER BY f.line")]

    def close(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS temp.file_cases")
