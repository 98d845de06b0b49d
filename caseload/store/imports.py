"""Writing a moved-in team and caseload in batches (DESIGN §8, §11), inside the caller's
one transaction.

- `CaseWriter`: the checked rows of a cases file straight into `cases`, a batch at a
  time as they are checked (ROWS_PER_INSERT rows to a statement), inside a savepoint,
  with new ids given as they go; no copy of the rows is kept anywhere else;
- `FileIds`: the ids a file gives its cases, kept in a TEMP table (on disk, not in
  Python), so a million-row file is checked for repeats and for ids already taken in
  time linear in its size and memory that does not grow with it;
- `allocate_case_ids`: `C-0001`-style ids for one case (one statement moves the
  sequence; one more finds any already taken by hand);
- `Reindexing`: a big file goes in with the tables' indexes made afresh after it;
- history rows go through `store.chained.append` (hash-chained, many rows to a
  statement), each dated as given: the day a worker took a case is when their history
  row says so, which is what continuity, rebalance and "new in 30 days" read.
"""

from __future__ import annotations

import re
import sqlite3
from itertools import chain
from typing import Iterable, Iterator, Sequence

from caseload.domain.model import Case
from caseload.store.chained import ROWS_PER_INSERT, append
from caseload.store.rows import case_from_row

CASE_COLUMNS = ("id", "client", "summary", "tier", "risk", "status", "needs", "language", "area", "worker",
                "home_worker", "cover_until", "requested_worker", "opened_on", "closed_on", "close_reason",
                "next_review_on", "last_contact_on")
_INSERT = f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) VALUES ({', '.join('?' * len(CASE_COLUMNS))})"


class FileIds:
    """The ids given in a file, with their lines, in a TEMP table for the command's life."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.before = _last_rowid(db, "cases")  # cases written after this are the file's own
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
            "SELECT f.id, f.line FROM temp.file_ids f JOIN main.cases c ON c.id = f.id WHERE c.rowid <= ? "
            "ORDER BY f.line", [self.before]
        ):
            yield case_id, line, "taken", None

    def highest_number(self, prefix: str) -> int:
        """The highest number after `prefix` among the file's own ids (0 if none)."""
        return _highest(self.db, prefix, ["SELECT id FROM temp.file_ids WHERE id GLOB ?"])

    def close(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS temp.file_ids")


def _last_rowid(db: sqlite3.Connection, table: str) -> int:
    return db.execute(f"SELECT ifnull(max(rowid), 0) FROM {table}").fetchone()[0]  # one step down the b-tree


def allocate_case_ids(db: sqlite3.Connection, count: int, prefix: str = "C-") -> list[str]:
    """`count` new ids of the configured prefix (`cases.id_prefix`, `C-0001`-style by default),
    continuing the highest number of that prefix among the cases: a team whose cases run to
    PR-0182 gets PR-0183 next (DESIGN §2 "Case ids"). `C-` ids also never go back below the
    sequence, so an id once given is not given again; any id already taken is skipped. (A
    file's new ids are given by `CaseWriter` as its rows are written.)"""
    found: list[str] = []
    while len(found) < count:
        wanted = count - len(found)
        start = _highest_number(db, prefix)
        if prefix == "C-":
            last = db.execute("UPDATE sequences SET value = max(value, ?) + ? WHERE name = 'case' RETURNING value",
                              [start, wanted]).fetchone()[0]
        else:
            last = start + wanted
        candidates = [f"{prefix}{n:04d}" for n in range(last - wanted + 1, last + 1)]
        marks = ", ".join("?" * len(candidates))
        taken = {row[0] for row in db.execute(f"SELECT id FROM cases WHERE id IN ({marks})", candidates)}
        found.extend(c for c in candidates if c not in taken)
    return found


def _highest_number(db: sqlite3.Connection, prefix: str) -> int:
    """The highest number after `prefix` among the case ids."""
    return _highest(db, prefix, ["SELECT id FROM main.cases WHERE id GLOB ?"])


def _highest(db: sqlite3.Connection, prefix: str, sources: list[str]) -> int:
    """The highest number after `prefix` among the ids `sources` select (each with one GLOB
    parameter). A prefix holds no GLOB character (config.py allows letters, digits, `.`,
    `_`, `/`, `-`)."""
    row = db.execute(f"SELECT max(CAST(substr(id, ?) AS INTEGER)) FROM ({' UNION ALL '.join(sources)})",
                     [len(prefix) + 1, *[prefix + "[0-9]*"] * len(sources)]).fetchone()
    return row[0] or 0


# Build a table's indexes afresh, after its rows are in, when a file brings at least as many
# rows as the table holds: sorting every key once then costs less than putting each new
# key in its place. Measured (CPU of the whole command, 4 runs each): a 50,000-row move into
# a new team 2.95–3.40 s → 2.59–2.89 s; a 25,000-row file into 50,000 cases was no faster
# rebuilding its cases' indexes (2.3–2.7 s against 2.1–2.6 s), so a smaller share keeps them.
REBUILD_SHARE = 1.0
INDEX_BUILD_CACHE_KB = 8192


class Reindexing:
    """Inside the caller's transaction: the indexes of a table are dropped once the rows
    written to it reach REBUILD_SHARE times the rows it held (`coming`, before each batch),
    and created again, from their own stored SQL, by `rebuild` (after the last batch).

    If the writes fail, the indexes are not made again here: the caller's transaction (or
    savepoint) must roll back (every command's does), which brings them back as they were.
    Readers on other connections never see the table without them (WAL: they read the last
    commit). The primary keys (SQLite's automatic indexes) stay: the writes need them."""

    def __init__(self, db: sqlite3.Connection, tables: Iterable[str]):
        self.db = db
        self.held = {table: _last_rowid(db, table) for table in tables}  # ids only grow
        # Statistics someone gathered with ANALYZE go with a dropped index: the table's are
        # gathered again afterwards (all of them, so its primary key's count agrees)
        self.analysed = {table for (table,) in db.execute(
            "SELECT DISTINCT tbl FROM sqlite_stat1" if _has_statistics(db) else "SELECT NULL WHERE 0")}
        self.dropped: list[str] = []  # their SQL
        self.rebuilt: list[str] = []

    def coming(self, table: str, rows: int) -> None:
        """`rows`: how many rows the command will have written to `table` after the next write."""
        if table in self.rebuilt or not rows or rows < self.held[table] * REBUILD_SHARE:
            return
        for name, sql in self.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                         "AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", [table]).fetchall():
            self.db.execute(f"DROP INDEX {_quoted(name)}")
            self.dropped.append(sql)
        self.rebuilt.append(table)

    def rebuild(self) -> None:
        if self.dropped:
            # Building an index sorts in memory up to the page cache's size, on top of the cache
            # itself: a smaller cache while they are built keeps a million-row move under
            # 100 MB (DESIGN §8; 98 MB with the intake's 24 MB cache)
            self.db.execute(f"PRAGMA main.cache_size = -{INDEX_BUILD_CACHE_KB}")
        for sql in self.dropped:
            self.db.execute(sql)
        for table in self.rebuilt:
            if table in self.analysed:
                self.db.execute(f"ANALYZE {table}")
        self.dropped, self.rebuilt = [], []


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _has_statistics(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() is not None


def append_history(db: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """History rows (case, worker, previous worker, kind, reason, actor, at), each with its
    own `at`, appended to the hash chain in one pass."""
    append(db, "history", rows)


# The columns of a checked row as `CaseWriter.add` takes it (`domain.intake_csv.STORED`):
# its line, the case's columns (the id None where one is to be given), then when its
# holder took it and whether it goes out by rule.
STORED_COLUMNS = ("line", *CASE_COLUMNS, "held_since", "by_rule")
_DIGITS = re.compile("[0-9]+")
_WORDS = "cases_ai"  # the trigger that puts a new case's words in find's index (`store.recent_migrations`)
# The guard against INSERT OR REPLACE into history (`store.migrations`): one lookup of the
# new id per row, 0.16 s of 2.41 s at 50,000 rows. The writer's rows are plain INSERTs with
# new ids (a replace is impossible), so a big write sets it aside and makes it again from
# its own SQL before the savepoint ends (doctor checks its text); a rollback restores it.
_HISTORY_GUARD = "history_no_replace"
_INSERT_CASES = _INSERT + (", (" + ", ".join("?" * len(CASE_COLUMNS)) + ")") * (ROWS_PER_INSERT - 1)


class CaseWriter:
    """The checked rows of a cases file written straight into `cases` as they are checked,
    a batch at a time, with their history appended to the hash chain, inside a savepoint of
    the caller's transaction (`undo` takes them all back out, before a second pass or when
    the caller writes nothing after all; a file found bad after its first rows went in is
    taken out by the caller's rollback).

    Ids: a row without one gets the next number of the configured prefix, after the highest
    among the cases at the first such row (the rows of the file written so far included),
    or after `first_number - 1` when given. A file whose own ids of that prefix reach the
    numbers given (`given_too_low`) must be written again knowing all its ids (the caller's
    second pass), so new ids always continue the file's highest, wherever it stands.

    A big file (as many rows as the table holds: `Reindexing`) goes in with the table's
    indexes, find's word trigger and history's replace guard set aside, all made again by
    `finish` from their own SQL; a rollback (of the savepoint or the transaction) brings
    them back as they were."""

    def __init__(self, db: sqlite3.Connection, prefix: str, reason: str, actor: str, now: str,
                 first_number: int | None = None):
        self.db, self.prefix, self.reason, self.actor, self.now = db, prefix, reason, actor, now
        # Bigger page caches for the command's life (bounded: memory stays flat in the file's
        # size): a batch insert into cases and its indexes (and history and its three)
        # otherwise spills pages to and from the file. Sized so a million-row move peaks
        # under 100 MB (DESIGN §8): 64 MB peaked at 140 MB for no measurable speed (the rows
        # arrive in key order; the cache mostly holds pages already written).
        db.execute("PRAGMA main.cache_size = -24576")
        db.execute("SAVEPOINT intake")
        self.reindexing = Reindexing(db, ("cases", "history"))
        self.next_number, self.first_new_number = first_number, None
        self.count = self.history_rows = self.new_ids = 0
        self.first = self.first_new = self.last_new = None
        self.words_from: int | None = None  # cases after this rowid are indexed for `find` by `finish`
        self.set_aside: list[str] = []  # the SQL of triggers dropped meanwhile, made again by `finish`
        self.guard_aside = False
        self.refused: sqlite3.IntegrityError | None = None  # a batch the table refused (an id taken or repeated)

    def add(self, rows: Sequence[tuple]) -> None:
        """Checked rows as `domain.intake_csv.CaseRows` gives them (its STORED columns, the id
        None where one is to be given), written with their history."""
        if self.refused is not None or not rows:
            return
        cases, history = [], []
        reason, actor = self.reason, self.actor
        now = self.now
        for row in rows:
            case_id = row[1] or self._new_id(rows)
            cases.append((case_id, *row[2:19]))
            history.append((case_id, None, None, "intake", reason, actor, now))
            worker = row[10]
            if worker is None:
                continue
            status, home, opened, closed, why, held = row[6], row[11], row[14], row[15], row[16], row[19]
            if home is not None:
                history.append((case_id, home, None, "assign", reason, actor, f"{opened}T00:00:00+00:00"))
                history.append((case_id, worker, home, "cover", reason, actor, f"{held}T00:00:00+00:00"))
            else:
                history.append((case_id, worker, None, "assign", reason, actor, f"{held}T00:00:00+00:00"))
            if status == "closed":
                history.append((case_id, worker, worker, "close", why, actor, f"{closed}T00:00:00+00:00"))
        self.reindexing.coming("cases", self.count + len(cases))
        if self.words_from is None and "cases" in self.reindexing.rebuilt:
            self.words_from = _last_rowid(self.db, "cases")
            self._set_aside(_WORDS)
        self.reindexing.coming("history", self.history_rows + len(history))
        if "history" in self.reindexing.rebuilt and not self.guard_aside:
            self.guard_aside = self._set_aside(_HISTORY_GUARD)
        try:
            whole = len(cases) - len(cases) % ROWS_PER_INSERT
            for start in range(0, whole, ROWS_PER_INSERT):
                self.db.execute(_INSERT_CASES, list(chain.from_iterable(cases[start:start + ROWS_PER_INSERT])))
            self.db.executemany(_INSERT, cases[whole:])
        except sqlite3.IntegrityError as error:  # the file's own ids will say which (`FileIds`)
            self.refused = error
            return
        append(self.db, "history", history)
        self.first = self.first or cases[0][0]
        self.count += len(cases)
        self.history_rows += len(history)

    def _set_aside(self, trigger: str) -> bool:
        """Drop `trigger` until `finish` makes it again (False: there was none)."""
        found = self.db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                [trigger]).fetchone()
        if found is not None:
            self.set_aside.append(found[0])
            self.db.execute(f"DROP TRIGGER {trigger}")
        return found is not None

    def _new_id(self, batch: Sequence[tuple]) -> str:
        if self.next_number is None:  # after the cases written so far, and the ids of this batch's rows
            self.next_number = max([_highest_number(self.db, self.prefix),
                                    *(self._number(row[1]) for row in batch if row[1])]) + 1
            if self.prefix == "C-":  # C- ids never go back below the sequence: an id once given is not given again
                self.next_number = max(self.next_number, self.db.execute(
                    "SELECT value FROM sequences WHERE name = 'case'").fetchone()[0] + 1)
        if self.first_new_number is None:
            self.first_new_number = self.next_number
        new = f"{self.prefix}{self.next_number:04d}"
        self.next_number += 1
        self.new_ids += 1
        self.first_new = self.first_new or new
        self.last_new = new
        return new

    def _number(self, case_id: str) -> int:
        """The number after the prefix, as `_highest` reads it (its leading digits), or 0."""
        if not case_id.startswith(self.prefix):
            return 0
        digits = _DIGITS.match(case_id, len(self.prefix))
        return int(digits.group()) if digits else 0

    def given_too_low(self, file_ids: FileIds) -> int | None:
        """When the file's own ids of the prefix reach the first number given to a row without
        one: the number to start from in a second pass (after them all). Else None."""
        if self.first_new_number is None:
            return None
        highest = file_ids.highest_number(self.prefix)
        return highest + 1 if highest >= self.first_new_number else None

    def finish(self) -> None:
        """After the last batch: the indexes made again, the sequence moved past the ids given."""
        if self.refused is not None:
            raise self.refused  # a refusal no check of the file explained: not to be hidden
        self.reindexing.rebuild()
        if self.words_from is not None:
            # the words of the cases written with their trigger set aside go into find's index
            # in one statement: FTS5 writes its pending words out at the end of every statement
            # that touches it, 0.42 s of trigger against 0.08 s for this at 50,000 rows
            self.db.execute("INSERT INTO cases_fts (rowid, client, summary) SELECT rowid, client, summary FROM cases "
                            "WHERE rowid > ?", [self.words_from])
        for sql in self.set_aside:
            self.db.execute(sql)
        if self.prefix == "C-" and self.new_ids:
            self.db.execute("UPDATE sequences SET value = max(value, ?) WHERE name = 'case'", [self.next_number - 1])
        self.db.execute("RELEASE intake")

    def undo(self) -> None:
        """Every row written taken back out (and the indexes back as they were)."""
        self.db.execute("ROLLBACK TO intake")
        self.db.execute("RELEASE intake")

    def by_rule(self) -> list[Case]:
        """The cases to give out by the allocation rules: with `--assign auto`, every new case
        that waits (a row with a worker is held; a closed one keeps its worker)."""
        return [case_from_row(row) for row in self.db.execute(
            "SELECT * FROM cases WHERE rowid > ? AND status = 'waiting' ORDER BY rowid",
            [self.reindexing.held["cases"]])]
