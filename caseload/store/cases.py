"""Queries on cases and their notes."""

from __future__ import annotations

import operator
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator, Sequence

from caseload.domain.errors import CaseloadError, NotFound
from caseload.domain.model import TAKEN_ON_KINDS, Case
from caseload.store.chained import append
from caseload.store.history import Change, record
from caseload.store.rows import OPEN, case_from_row, case_to_row, insert_new, sql_any, update_by_id


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
    with_covered: bool = False  # with `worker`: also the cases covered for them (their home worker)


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


LISTING_BATCH = 2_000  # rows per fetch of a listing that streams (`cases`): memory flat in its length


def find_cases(db: sqlite3.Connection, where: CaseFilter, sort: str = "id", limit: int | None = None) -> Iterator[Case]:
    """The cases `where` picks, by `sort`, the first `limit` of them (all: None), fetched
    LISTING_BATCH rows at a time, so a listing of a million cases never holds them all."""
    clauses, params = _where(where)
    order = SORTS[sort]
    if where.statuses == ("waiting",):
        # The pool is small beside the caseload: read it through the status index, then sort.
        # The unary + keeps SQLite (which guesses a quarter of a million waiting cases from a
        # big caseload's statistics) from walking every case in id order to skip the sort.
        order = f"+{order}"
    sql = f"SELECT * FROM cases WHERE {' AND '.join(clauses)} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    cursor = db.execute(sql, params)
    while rows := cursor.fetchmany(LISTING_BATCH):
        yield from map(case_from_row, rows)


def count_cases(db: sqlite3.Connection, where: CaseFilter) -> int:
    """How many cases `where` picks (what a listing cut by --limit leaves out)."""
    clauses, params = _where(where)
    return db.execute(f"SELECT count(*) FROM cases WHERE {' AND '.join(clauses)}", params).fetchone()[0]


def _where(where: CaseFilter) -> tuple[list[str], list[Any]]:
    clauses = [f"status IN ({', '.join('?' for _ in where.statuses)})"]
    params: list[Any] = list(where.statuses)
    for column in ("worker", "risk", "tier"):
        value = getattr(where, column)
        if value is not None and column == "worker" and where.with_covered:
            clauses.append("(worker = ? OR home_worker = ?)")
            params += [value, value]
        elif value is not None:
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
    """Open cases under temporary cover: of one home worker, or whose cover ended before a day.
    Through the partial index cases_home, named: without statistics SQLite would walk every
    open case for the handful under cover (0.2 s at 200,000 cases, every zone review)."""
    clauses, params = ["home_worker IS NOT NULL", f"status IN {OPEN}"], []
    if home is not None:
        clauses.append("home_worker = ?")
        params.append(home)
    if ended_before is not None:
        clauses.append("cover_until < ?")
        params.append(ended_before.isoformat())
    return [case_from_row(row) for row in db.execute(
        f"SELECT * FROM cases INDEXED BY cases_home WHERE {' AND '.join(clauses)} ORDER BY cover_until, id", params
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


def insert_cases(db: sqlite3.Connection, cases: list[Case]) -> None:
    """Many new cases with one executemany (inside the caller's transaction)."""
    if not cases:
        return
    columns = list(case_to_row(cases[0]))
    sql = f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    db.executemany(sql, (list(case_to_row(case).values()) for case in cases))


# The select list of `export cases`: render.rows.CASE_EXPORT_STORED, the stored columns of
# its one column list (render.rows.CASE_EXPORT_COLUMNS) in its order, which reads these
# tuples by place; tests/test_export_cells.py checks the two agree.
CASE_EXPORT_FIELDS = ("id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs",
                      "language", "area", "opened_on", "next_review_on", "last_contact_on", "closed_on",
                      "held_since", "close_reason", "cover_until", "requested_worker")
def arrived_at(alias: str) -> str:
    """The SQL of the time the holder of case `alias` took it: their latest arrival in its
    history (any route: assigned, handed over, covering, ...; `domain.model.TAKEN_ON_KINDS`).
    A return home is no arrival: the home worker's time with the case runs on from when
    they took it, before the cover. Nor is a row that names the holder on both sides: a
    close, or a reopening that gives the case back to the worker who held it (so close +
    reopen keeps "held since"). Its terms are the partial index history_arrivals' own, so
    the answer is that index's last entry for (case, worker)."""
    return (f"(SELECT max(h.at) FROM history h WHERE h.case_id = {alias}.id AND h.worker = {alias}.worker "
            f"AND {sql_any('h.kind', TAKEN_ON_KINDS)} AND h.previous_worker IS NOT h.worker)")


# The fields of `export cases` the cases table does not hold, as the SQL that reads each for
# a case: `held_since`, the day its holder took it (DESIGN §11, `arrived_at`), so a re-import
# counts "new in 30 days" and continuity from the same day.
DERIVED = {"held_since": f"substr({arrived_at('cases')}, 1, 10)"}


def iter_case_export(db: sqlite3.Connection):
    """Every case as a plain tuple in CASE_EXPORT_FIELDS order, streamed straight from SQL
    (no dataclasses: an export of a million cases should cost what writing it costs).
    Lists are stored comma-joined; None is NULL."""
    select = ", ".join(DERIVED.get(field, field) for field in CASE_EXPORT_FIELDS)
    cursor = db.execute(f"SELECT {select} FROM cases ORDER BY id")
    cursor.row_factory = None
    yield from cursor


def open_case_tiers(db: sqlite3.Connection) -> list[str]:
    """The tiers that open cases carry, each once (from the covering index cases_open_load)."""
    return [tier for (tier,) in db.execute(f"SELECT DISTINCT tier FROM cases WHERE status IN {OPEN}")]


def iter_case_export_csv(db: sqlite3.Connection, cells: Sequence[tuple[str | None, str]],
                         weights: dict[str, dict[str, str]], no_weight: str, formula_start: tuple[str, ...],
                         line_end: str, chunk: int = 10_000) -> Iterator[tuple[str, int]]:
    """Every case as CSV lines written by SQLite, `chunk` lines at a time: (text, lines)
    pairs, each text whole lines ending in `line_end`, so Python only joins and writes.
    Measured at 200,000 cases (CPU): this path 0.47 s, where only fetching the same
    columns as tuples into Python costs 0.47 s and the csv module's writer over them 0.89 s
    (`sqlite3 -csv` 0.35 s): written in Python, `export cases` could not come within DESIGN
    §8's 1.5x of `sqlite3 -csv`.

    The caller says how each cell is written (render.rows.case_export_csv_cells):
    - `cells`: each column's (stored column or None, kind), in the order written: "code"
      bare, "text" with a leading ' when it starts with a mark of `formula_start` and
      always quoted with " doubled (None: an empty quoted cell), "list" with its commas
      as ';', "weight" the weight cell;
    - `weights[status][tier]`: the weight cell of an open case, `no_weight` any other's.
    NULL is an empty cell. SQLite's printf quotes a text cell in one pass (%w doubles each
    "), where searching each cell for a comma, a quote or a line break would cost more
    than the whole export."""
    assert all(m < "A" for m in formula_start)
    known = {row[1] for row in db.execute("PRAGMA table_info(cases)")}
    params: list[str | int] = []
    shape, values = [], []
    for field, kind in cells:
        if field is not None and field not in known and field not in DERIVED:  # written into the SQL: ours only
            raise ValueError(f"the cases table has no column {field!r}")
        if field in DERIVED:
            field = DERIVED[field]
        if kind == "text":
            column = field or "''"
            # the ' a formula-like cell starts with. Every mark sorts before 'A', so most cells
            # (a name starts with a capital) pass with one comparison; unicode() is the first
            # character's code point (NULL for ''), compared as an integer
            params.extend(ord(m) for m in formula_start)
            marks = ", ".join("?" for _ in formula_start)
            values += [f"CASE WHEN {column} < 'A' AND unicode({column}) IN ({marks}) THEN '''' ELSE '' END",
                       f"ifnull({column}, '')"]
            shape.append('"%s%w"')  # %w doubles each "
        elif kind == "list":
            values.append(f"CASE {field} WHEN '' THEN '' ELSE replace({field}, ',', ';') END")
            shape.append("%s")
        elif kind == "weight":
            weight = ""
            for status, by_tier in weights.items():
                if by_tier:
                    weight += f" WHEN ? THEN CASE tier{' WHEN ? THEN ?' * len(by_tier)} END"
                    params.append(status)
                    params.extend(value for pair in by_tier.items() for value in pair)
            values.append(f"CASE status{weight} ELSE ? END" if weight else "?")  # no open case: all no_weight
            params.append(no_weight)
            shape.append("%s")
        else:
            values.append(field)
            shape.append("%s")  # printf's %s writes NULL as nothing
    cursor = db.execute(f"SELECT printf('{','.join(shape)}', {', '.join(values)}) FROM cases ORDER BY id", params)
    cursor.row_factory = None
    first = operator.itemgetter(0)
    while lines := cursor.fetchmany(chunk):
        yield line_end.join(map(first, lines)) + line_end, len(lines)


def make_cover_permanent(db: sqlite3.Connection, case_id: str, home: str, holder: str, reason: str | None,
                         actor: str, at: str) -> None:
    """A covered case stays with `holder` for good: its cover ends (home worker and end date
    cleared) and history records the handover from the home worker to the holder. Refused,
    like any plan made from a stale view, if the case has changed meanwhile."""
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
