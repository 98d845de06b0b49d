"""The SQL of the data protection lifecycle (DESIGN §6): the closed cases due for
anonymising, the anonymising itself (the case row and its chained rows: `store.chained`),
the erasures' record, what is held about one client, and making erased text gone from
the file (the full-text index rebuilt, the WAL checkpointed and truncated).

Invariants: an anonymised case keeps its id, tier, risk, status, dates and workers (the
zones, trends and throughput of the past read only those); its client becomes `erased`,
its summary empty, its close reason `erased`; each erasure appends one `erasures` row.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import date
from typing import Any, Sequence

from caseload.domain.retention import ERASED_CLIENT
from caseload.store.chained import ERASED_TEXT, append, erase_case
from caseload.store.rows import id_chunks

_NOT_ERASED = "NOT EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = cases.id)"


def due_cases(db: sqlite3.Connection, cut: date) -> list[tuple[str, str]]:
    """(case id, closing day) of every closed case closed before `cut` and not yet erased."""
    cursor = db.execute(f"SELECT id, closed_on FROM cases WHERE status = 'closed' AND closed_on < ? AND {_NOT_ERASED} "
                        "ORDER BY closed_on, id", [cut.isoformat()])
    cursor.row_factory = None
    return cursor.fetchall()


def count_due(db: sqlite3.Connection, cut: date) -> int:
    return db.execute(f"SELECT count(*) FROM cases WHERE status = 'closed' AND closed_on < ? AND {_NOT_ERASED}",
                      [cut.isoformat()]).fetchone()[0]


def is_erased(db: sqlite3.Connection, case_id: str) -> bool:
    return db.execute("SELECT 1 FROM erasures WHERE case_id = ?", [case_id]).fetchone() is not None


def anonymise(db: sqlite3.Connection, case_ids: Sequence[str], kind: str, reason: str, actor: str, at: str) -> None:
    """Erase the personal data of these cases and record each erasure (`kind` retention or
    request), inside the caller's transaction."""
    db.executemany("UPDATE cases SET client = ?, summary = '', close_reason = CASE WHEN close_reason IS NULL "
                   "THEN NULL ELSE ? END WHERE id = ?", ([ERASED_CLIENT, ERASED_TEXT, case_id] for case_id in case_ids))
    erase_case(db, case_ids)
    append(db, "erasures", [(case_id, kind, reason, actor, at) for case_id in case_ids])
    rebuild_full_text(db)


def rebuild_full_text(db: sqlite3.Connection) -> None:
    """Every full-text index over caseload's tables built again from what they hold now, so
    erased text is not left in its segments (an index another tool made is included)."""
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' "
                              "AND (sql LIKE '%fts4%' OR sql LIKE '%fts5%') AND sql LIKE '%content=%'").fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        db.execute(f"INSERT INTO {quoted}({quoted}) VALUES ('rebuild')")
        db.execute(f"INSERT INTO {quoted}({quoted}) VALUES ('optimize')")


def checkpoint(db: sqlite3.Connection) -> bool:
    """Copy the WAL into the file and truncate it (outside any transaction), so erased text
    is in neither; False when another connection's reading kept it from finishing."""
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def erasures_held_back(db: sqlite3.Connection) -> bool:
    """Whether erased text may still be in the file: there are erasures, and the WAL could
    not be written back and truncated (`checkpoint`, outside any transaction) because
    another connection is reading an older state of the database, whose pages (erased text
    among them) stay in the file until it stops."""
    if db.execute("SELECT 1 FROM erasures LIMIT 1").fetchone() is None:
        return False
    _, frames, written = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()  # never waits
    if written < frames:  # a reader holds older pages: the truncation below would wait for it in vain
        return True
    # every page is in the file; the -wal still holds its frames until it is emptied, which
    # waits for readers: a moment, not the connection's 30 s (doctor is not to hang on them)
    (waited,) = db.execute("PRAGMA busy_timeout").fetchone()
    db.execute("PRAGMA busy_timeout = 2000")
    try:
        return not checkpoint(db)
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(waited)}")


def client_cases(db: sqlite3.Connection, client: str) -> list[dict[str, Any]]:
    """Every case whose client is this text in any case, oldest first: Ł and ł, Ë and ë,
    ß and SS, a name typed in either Unicode form (NFC or NFD) all alike. SQLite's NOCASE
    folds A-Z only (it missed `ZOË ŁUKASIK` for `Zoë Łukasik`), and find's full-text index
    splits words as its tokenizer does (`_` apart, ß kept): so every client name is read,
    from the index on it (`cases_client`, no row read), and compared here, NFC-normalised
    and casefolded. A subject access request is rare and deliberate: the whole command took
    0.16 s at 50,000 cases and 0.7 s at a million (2.2 s with the file not yet cached)."""
    wanted = _same_name(client)
    cursor = db.execute("SELECT rowid, client FROM cases INDEXED BY cases_client")
    cursor.row_factory = None
    rowids = [rowid for rowid, name in cursor if _same_name(name) == wanted]
    found = []
    for chunk, marks in id_chunks(rowids):
        found += [dict(row) for row in db.execute(f"SELECT * FROM cases WHERE rowid IN ({marks})", chunk)]
    return sorted(found, key=lambda row: (row["opened_on"], row["id"]))


def _same_name(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def case_history(db: sqlite3.Connection, case_id: str) -> list[dict[str, Any]]:
    return [dict(row) for row in db.execute(
        "SELECT worker, previous_worker, kind, reason, actor, at FROM history WHERE case_id = ? ORDER BY id",
        [case_id])]


def zone_on(db: sqlite3.Connection, worker: str, day: str) -> str | None:
    """The worker's zone in the last recorded review on or before `day`, if any."""
    row = db.execute("SELECT r.zone FROM zone_review_rows r JOIN zone_reviews z ON z.id = r.review "
                     "WHERE r.worker = ? AND z.on_date <= ? ORDER BY z.on_date DESC, z.id DESC LIMIT 1",
                     [worker, day]).fetchone()
    return row[0] if row else None
