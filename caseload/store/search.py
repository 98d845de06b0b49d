"""The SQL of `find` (DESIGN §5): the case ids whose client, summary or notes hold a word,
through the full-text index the migrations build (`cases_fts` over the cases' client and
summary, `notes_fts` over the notes' text: `store.recent_migrations.full_text`), and the
fields a listing of found cases shows."""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable

from caseload.domain.model import CASE_STATUSES

# Column filters of cases_fts: a word in the client's name, or in the summary.
_IN_CASES = {"client": "client", "summary": "summary"}


def cases_holding(db: sqlite3.Connection, query: str) -> dict[str, set[str]]:
    """For one FTS5 query (a quoted word), the case ids whose client, summary or notes match it."""
    found = {}
    for place, column in _IN_CASES.items():
        found[place] = {row[0] for row in db.execute(
            "SELECT c.id FROM cases_fts JOIN cases c ON c.rowid = cases_fts.rowid WHERE cases_fts MATCH ?",
            [f"{column} : {query}"])}
    found["notes"] = {row[0] for row in db.execute(
        "SELECT DISTINCT n.case_id FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid WHERE notes_fts MATCH ?",
        [query])}
    return found


FOUND_FIELDS = ("id", "client", "status", "worker", "home_worker", "risk")
_STATUS_ORDER = " ".join(f"WHEN '{status}' THEN {i}" for i, status in enumerate(CASE_STATUSES))


def found_cases(db: sqlite3.Connection, case_ids: Iterable[str]) -> list[dict]:
    """The FOUND_FIELDS of these cases: open ones first (waiting, active, monitoring), then
    closed ones, each by id."""
    return [dict(row) for row in db.execute(
        f"SELECT {', '.join(FOUND_FIELDS)} FROM cases WHERE id IN (SELECT value FROM json_each(?)) "
        f"ORDER BY CASE status {_STATUS_ORDER} END, id", [json.dumps(list(case_ids))])]
