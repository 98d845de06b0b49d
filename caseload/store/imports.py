"""Writing a moved-in team and caseload in batches (DESIGN §8, §11), inside the caller's
one transaction.

- `FileIds`: the ids a file gives its cases, kept in a TEMP table (on disk, not in
  Python), so a million-row file is checked for repeats and for ids already taken in
  time linear in its size and memory that does not grow with it;
- `allocate_case_ids`: `C-0001`-style ids for a whole batch at once (one statement moves
  the sequence; one more finds the few already taken by hand or by the file);
- `insert_cases`: one executemany per batch;
- history rows go through `store.chained.append` (one hash-chained executemany per batch),
  each dated as given: the day a worker took a case is when their history row says so,
  which is what continuity, rebalance and "new in 30 days" read.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable, Iterator, Sequence

from caseload.domain.model import Case

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


def allocate_case_ids(db: sqlite3.Connection, count: int, file_ids: bool) -> list[str]:
    """`count` new `C-0001`-style ids, skipping any already taken (or given in the file,
    when its ids are in `temp.file_ids`)."""
    found: list[str] = []
    while len(found) < count:
        wanted = count - len(found)
        last = db.execute("UPDATE sequences SET value = value + ? WHERE name = 'case' RETURNING value",
                          [wanted]).fetchone()[0]
        candidates = [f"C-{n:04d}" for n in range(last - wanted + 1, last + 1)]
        marks = ", ".join("?" * len(candidates))
        taken = {row[0] for row in db.execute(f"SELECT id FROM cases WHERE id IN ({marks})", candidates)}
        if file_ids:
            taken.update(row[0] for row in db.execute(f"SELECT id FROM temp.file_ids WHERE id IN ({marks})",
                                                      candidates))
        found.extend(c for c in candidates if c not in taken)
    return found


def insert_cases(db: sqlite3.Connection, cases: Iterable[Case]) -> None:
    """New cases with one executemany (inside the caller's transaction)."""
    db.executemany(_INSERT, (
        (c.id, c.client, c.summary, c.tier, c.risk, c.status, ",".join(c.needs), c.language, c.area, c.worker,
         c.home_worker, c.cover_until and c.cover_until.isoformat(), c.requested_worker, c.opened_on.isoformat(),
         c.closed_on and c.closed_on.isoformat(), c.close_reason, c.next_review_on and c.next_review_on.isoformat(),
         c.last_contact_on and c.last_contact_on.isoformat())
        for c in cases))


def append_history(db: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """History rows (case, worker, previous worker, kind, reason, actor, at), each with its
    own `at`, appended to the hash chain in one pass."""
    from caseload.store.chained import append

    append(db, "history", rows)
