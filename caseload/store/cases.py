"""Queries on cases and their notes."""

from __future__ import annotations

import operator
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

from caseload.domain.errors import NotFound
from caseload.domain.model import Case
from caseload.store.chained import append
from caseload.store.rows import OPEN, case_from_row, case_to_row, insert_new, update_by_id


def next_case_id(db: sqlite3.Connection) -> str:
    """The next free `C-0001`-style id; ids a charity gave by hand are skipped over."""
    while True:
        value = db.execute(
            "UPDATE sequences SET value = value + 1 WHERE name = 'case' RETURNING value"
        ).fetchone()[0]
        candidate = f"C-{value:04d}"
        if not case_exists(db, candidate):
            return candidate


def set_case_sequence(db: sqlite3.Connection, value: int) -> None:
    """The number the next C-0001-style id counts on from."""
    db.execute("UPDATE sequences SET value = ? WHERE name = 'case'", [value])


def case_exists(db: sqlite3.Connection, case_id: str) -> bool:
    return db.execute("SELECT 1 FROM cases WHERE id = ?", [case_id]).fetchone() is not None


def insert_case(db: sqlite3.Connection, case: Case, id_field: str = "id") -> None:
    """A new case; an id already taken is bad input named as `id_field` (e.g. the flag)."""
    insert_new(db, "cases", case_to_row(case), "already exists", id_field)


def update_case(db: sqlite3.Connection, case: Case) -> None:
    update_by_id(db, "cases", case_to_row(case))


def get_case(db: sqlite3.Connection, case_id: str) -> Case:
    """The case with this id, typed in any case (`c-0142` is C-0142) when only one case has
    it so; the exact spelling is looked up first (the primary key), the others only when it
    finds nothing."""
    row = db.execute("SELECT * FROM cases WHERE id = ?", [case_id]).fetchone()
    if row is None:
        rows = db.execute("SELECT * FROM cases WHERE id = ? COLLATE NOCASE LIMIT 2", [case_id]).fetchall()
        if len(rows) == 1:
            row = rows[0]
    if row is None:
        raise NotFound(f"no case {case_id!r} (see `caseload cases`)")
    return case_from_row(row)


@dataclass(frozen=True)
class CaseFilter:
    """What `cases` may narrow the listing to; None means "any"."""

    worker: str | None = None
    statuses: tuple[str, ...] = ("waiting", "active", "monitoring")
    risk: str | None = None
    tier: str | None = None
    review_before: date | None = None  # overdue: next review before this day
    contact_before: date | None = None  # stale: last contact (or opening) before this day


SORTS = {
    "id": "id",
    "opened": "opened_on, id",
    "risk": "CASE risk WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, id",
    "tier": "tier, id",
    "worker": "worker IS NULL, worker, id",
    "review": "next_review_on IS NULL, next_review_on, id",
    "contact": "COALESCE(last_contact_on, opened_on), id",
    "status": "status, id",
}


def find_cases(db: sqlite3.Connection, where: CaseFilter, sort: str = "id") -> Iterator[Case]:
    clauses, params = _where(where)
    order = SORTS[sort]
    if where.statuses == ("waiting",):
        # The pool is small beside the caseload: read it through the status index, then sort.
        # The unary + keeps SQLite (which guesses a quarter of a million waiting cases from a
        # big caseload's statistics) from walking every case in id order to skip the sort.
        order = f"+{order}"
    sql = f"SELECT * FROM cases WHERE {' AND '.join(clauses)} ORDER BY {order}"
    for row in db.execute(sql, params):
        yield case_from_row(row)


def _where(where: CaseFilter) -> tuple[list[str], list[Any]]:
    clauses = [f"status IN ({', '.join('?' for _ in where.statuses)})"]
    params: list[Any] = list(where.statuses)
    for column in ("worker", "risk", "tier"):
        value = getattr(where, column)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if where.review_before is not None:
        clauses.append("next_review_on < ?")
        params.append(where.review_before.isoformat())
    if where.contact_before is not None:
        clauses.append("COALESCE(last_contact_on, opened_on) < ?")
        params.append(where.contact_before.isoformat())
    return clauses, params


def notes_for(db: sqlite3.Connection, case_id: str) -> list[dict[str, Any]]:
    return [dict(row) for row in db.execute(
        "SELECT kind, text, author, at FROM notes WHERE case_id = ? ORDER BY id", [case_id]
    )]


def add_note(db: sqlite3.Connection, case_id: str, kind: str, text: str, author: str, at: str) -> None:
    """A note at the end of the notes' chain (append-only, its text sealed: `store.chained`)."""
    append(db, "notes", [(case_id, kind, text, author, at)])


def covered_cases(db: sqlite3.Connection, home: str | None = None, ended_before: date | None = None) -> list[Case]:
    """Open cases under temporary cover: of one home worker, or whose cover ended before a day."""
    clauses, params = ["home_worker IS NOT NULL", f"status IN {OPEN}"], []
    if home is not None:
        clauses.append("home_worker = ?")
        params.append(home)
    if ended_before is not None:
        clauses.append("cover_until < ?")
        params.append(ended_before.isoformat())
    return [case_from_row(row) for row in db.execute(
        f"SELECT * FROM cases WHERE {' AND '.join(clauses)} ORDER BY cover_until, id", params
    )]


def record_changes(db: sqlite3.Connection, before: Case, after: Case, actor: str, at: str) -> list[str]:
    """Append a row per field that `update` changed (client names are not repeated here)."""
    old, new = case_to_row(before), case_to_row(after)
    changed = [k for k in new if new[k] != old[k]]
    private = ("client", "summary")
    append(db, "case_changes", [
        (after.id, field, None if field in private else old[field], None if field in private else new[field],
         actor, at)
        for field in changed
    ])
    return changed


def existing_case_ids(db: sqlite3.Connection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(row[0] for row in db.execute(
            f"SELECT id FROM cases WHERE id IN ({', '.join('?' for _ in chunk)})", chunk))
    return found


def insert_cases(db: sqlite3.Connection, cases: list[Case]) -> None:
    """Many new cases with one executemany (inside the caller's transaction)."""
    if not cases:
        return
    columns = list(case_to_row(cases[0]))
    sql = f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    db.executemany(sql, (list(case_to_row(case).values()) for case in cases))


CASE_EXPORT_COLUMNS = ("id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs",
                       "language", "area", "opened_on", "next_review_on", "last_contact_on", "closed_on",
                       "close_reason", "cover_until", "requested_worker")


def iter_case_export(db: sqlite3.Connection):
    """Every case as a plain tuple in CASE_EXPORT_COLUMNS order, streamed straight from SQL
    (no dataclasses: an export of a million cases should cost what writing it costs).
    Lists are stored comma-joined; None is NULL."""
    cursor = db.execute(f"SELECT {', '.join(CASE_EXPORT_COLUMNS)} FROM cases ORDER BY id")
    cursor.row_factory = None
    yield from cursor


def open_case_tiers(db: sqlite3.Connection) -> list[str]:
    """The tiers that open cases carry, each once (from the covering index cases_open_load)."""
    return [tier for (tier,) in db.execute(f"SELECT DISTINCT tier FROM cases WHERE status IN {OPEN}")]


def iter_case_export_csv(db: sqlite3.Connection, weights: dict[str, dict[str, str]], no_weight: str,
                         formula_start: tuple[str, ...], redact: bool, line_end: str,
                         chunk: int = 10_000) -> Iterator[tuple[str, int]]:
    """Every case as CSV text written by SQLite, `chunk` lines at a time: (text, lines)
    pairs, each text whole lines ending in `line_end`, so Python only joins and writes
    (an export of a million cases costs about what `sqlite3 -csv` costs). The columns are
    CASE_EXPORT_COLUMNS with the weight after `area` (render.rows.CASE_EXPORT_COLUMNS);
    the cell rules are the caller's:
    - `weights[status][tier]` is the weight cell of an open case, `no_weight` any other's;
    - client, summary and close_reason (or, with `redact`, the case id in place of client
      and summary, and no close reason: it is typed freely and may name the client) that
      start with a character of `formula_start` get a leading ' so a spreadsheet shows
      them as text;
    - needs are joined with ';'; NULL is an empty cell.
    Quoting (RFC 4180): the freely typed cells (client, summary, close reason: "" when
    there is none) are always quoted, with " doubled, so a comma, a quote or a line break
    (CR included, whatever `line_end` is) stays inside its cell; SQLite's printf does it
    in one pass (%w), where checking each cell for those characters would cost more than
    the whole export. The other cells are ids, tiers, tokens, areas and ISO dates, which
    `domain.fields` checks on the way in and which cannot hold a comma, a quote or a line
    break."""
    params: list[str | int] = []
    assert all(m < "A" for m in formula_start)

    def mark(column: str) -> str:
        # the ' a formula-like cell starts with. Every mark sorts before 'A', so most cells
        # (a name starts with a capital) pass with one comparison; unicode() is the first
        # character's code point (NULL for ''), compared as an integer
        params.extend(ord(m) for m in formula_start)
        marks = ", ".join("?" for _ in formula_start)
        return f"CASE WHEN {column} < 'A' AND unicode({column}) IN ({marks}) THEN '''' ELSE '' END"

    client, summary = ("id", "id") if redact else ("client", "summary")
    reason = "''" if redact else "ifnull(close_reason, '')"
    cells = ["id", mark(client), client, mark(summary), summary, "tier", "risk", "status", "worker",
             "home_worker", "CASE needs WHEN '' THEN '' ELSE replace(needs, ',', ';') END", "language", "area"]
    weight = ""
    for status, by_tier in weights.items():
        if by_tier:
            weight += f" WHEN ? THEN CASE tier{' WHEN ? THEN ?' * len(by_tier)} END"
            params.append(status)
            params.extend(value for pair in by_tier.items() for value in pair)
    weight = f"CASE status{weight} ELSE ? END" if weight else "?"  # no open case: every weight is no_weight
    params.append(no_weight)
    cells += [weight, "opened_on", "next_review_on", "last_contact_on", "closed_on", mark(reason), reason,
              "cover_until", "requested_worker"]
    # printf's %s writes NULL as nothing; %w doubles each "
    shape = '%s,"%s%w","%s%w",' + "%s," * 13 + '"%s%w",%s,%s'
    assert shape.count("%") == len(cells)  # printf would fill a missing cell with nothing
    cursor = db.execute(f"SELECT printf('{shape}', {', '.join(cells)}) FROM cases ORDER BY id", params)
    cursor.row_factory = None
    first = operator.itemgetter(0)
    while lines := cursor.fetchmany(chunk):
        yield line_end.join(map(first, lines)) + line_end, len(lines)


def make_cover_permanent(db: sqlite3.Connection, case_id: str, home: str, holder: str, reason: str | None,
                         actor: str, at: str) -> None:
    """A covered case stays with `holder` for good: its cover ends (home worker and end date
    cleared) and history records the handover from the home worker to the holder. Refused,
    like any plan made from a stale view, if the case has changed meanwhile."""
    from caseload.domain.errors import CaseloadError
    from caseload.store.history import Change, record

    row = db.execute(f"SELECT worker, home_worker FROM cases WHERE id = ? AND status IN {OPEN}",
                     [case_id]).fetchone()
    if row is None or row["worker"] != holder or row["home_worker"] != home:
        raise CaseloadError(f"case {case_id} changed while the plan was being made; nothing was changed: "
                            "run the command again")
    db.execute("UPDATE cases SET home_worker = NULL, cover_until = NULL WHERE id = ?", [case_id])
    record(db, Change(case_id, holder, home, "handover", reason), actor, at)


def changes_for(db: sqlite3.Connection, case_id: str) -> list[dict[str, Any]]:
    """The recorded changes of one case's fields (`update`, `reopen`, `cover --until`), oldest first."""
    return [dict(row) for row in db.execute(
        "SELECT field, old, new, actor, at FROM case_changes WHERE case_id = ? ORDER BY id", [case_id]
    )]


def waiting_cases(db: sqlite3.Connection) -> list[Case]:
    """Every case in the waiting pool (through the status index: the pool is small beside
    the caseload; the domain orders it)."""
    return [case_from_row(row) for row in db.execute("SELECT * FROM cases WHERE status = 'waiting'")]
