"""`doctor`'s checks: SQLite's own integrity and foreign keys, the schema version, the
append-only triggers (each present, with exactly the text the migrations give it, and
no trigger that is not caseload's), the hash chain of the history and of the case
changes, the file's permissions, and the invariants the commands keep (a covered case
has a home worker and an end date; nobody who has left holds a case; a closed case has
its closing date; every tier in use is in the config; each case agrees with its last
history row), the witness (the chain's head kept outside the file: `witness_findings`)
and, in `store.backups`, the backups that still hold erased text.

Each problem found is a line of text (a finding, not an exception), so that doctor
lists them all and exits 1 when there is any."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from caseload.domain.record import disagreement
from caseload.domain.witness import Comparison
from caseload.store.chained import CHAINED, first_broken
from caseload.store.migrations import CURRENT_VERSION, MIGRATIONS, apply_steps, schema_version
from caseload.store.rows import CASE_DATES, OPEN
from caseload.store.witness import check_witness, read_witness

INVARIANTS = [
    ("SELECT id FROM cases WHERE home_worker IS NOT NULL AND (cover_until IS NULL OR worker IS NULL "
     "OR worker = home_worker)", "is under cover without a home worker, an end date or a covering worker"),
    (f"SELECT id FROM cases WHERE status IN {OPEN} AND worker IS NULL", "is open but held by nobody"),
    ("SELECT id FROM cases WHERE status = 'waiting' AND worker IS NOT NULL", "is waiting but held by someone"),
    ("SELECT id FROM cases WHERE status = 'closed' AND closed_on IS NULL", "is closed without a closing date"),
    ("SELECT c.id FROM cases c JOIN workers w ON w.id = c.worker WHERE w.status = 'left' "
     f"AND c.status IN {OPEN}", "is held by a worker who has left"),
    ("SELECT c.id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.case_id = c.id AND h.kind = 'intake')",
     "has no intake in its history"),
    ("SELECT DISTINCT r.worker FROM zone_review_rows r LEFT JOIN workers w ON w.id = r.worker WHERE w.id IS NULL",
     "is in a recorded review but not in the team (orphan)"),
]


STORED_DATES = (*CASE_DATES, "waiting_since")


def _not_a_date(column: str) -> str:
    """SQL true when `column` holds something other than a real date as ISO text: read as a
    day and written back, it must give the text itself (2026-02-30 comes back as March)."""
    return f"({column} IS NOT NULL AND date(julianday({column})) IS NOT {column})"


DATED = {"case": ("cases", STORED_DATES), "worker": ("workers", ("leaving_on", "starts_on")),
         "absence": ("absences", ("starts_on", "ends_on")), "reduction": ("reductions", ("starts_on", "ends_on"))}


def date_problems(db: sqlite3.Connection) -> list[str]:
    """Dates of cases, workers, absences and reductions that are not dates as caseload stores
    them (written outside caseload): what holds one cannot be shown, exported or erased
    until it is corrected. Named by row and column, never by the text (it may be anything,
    a name included)."""
    problems = []
    for kind, (table, columns) in DATED.items():
        tests = ", ".join(_not_a_date(column) for column in columns)
        for key, *flags in db.execute(f"SELECT id, {tests} FROM {table} WHERE "
                                      f"{' OR '.join(_not_a_date(c) for c in columns)} ORDER BY id LIMIT 20"):
            problems.append(f"{kind} {key}: {', '.join(c for c, bad in zip(columns, flags) if bad)} not a date "
                            "(written outside caseload): correct it with a tool such as sqlite3, or restore the "
                            "file from a backup")
    return problems


def check(db: sqlite3.Connection, path: Path, tiers: tuple[str, ...]) -> list[str]:
    problems = []
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems += [f"integrity: {line}" for line in integrity[:20]]
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall()[:20]:
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    version = schema_version(db)
    if version != CURRENT_VERSION:
        problems.append(f"schema: version {version}, expected {CURRENT_VERSION}")
    problems += trigger_problems(db)
    problems += index_problems(db)
    problems += chain_problems(db)
    problems += record_problems(db)
    problems += unrecorded_erasures(db)
    problems += date_problems(db)
    for sql, problem in INVARIANTS:
        for (key,) in db.execute(sql + " LIMIT 20"):
            problems.append(f"{key} {problem}")
    placeholders = ", ".join("?" for _ in tiers)
    for (tier,) in db.execute(f"SELECT DISTINCT tier FROM cases WHERE tier NOT IN ({placeholders})", list(tiers)):
        problems.append(f"tier {tier!r} is used by cases but not in the config's tiers")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        problems.append(f"{path} is readable by others (mode {mode:o}): chmod 600 {path}")
    return problems


def expected_schema(kind: str) -> dict[str, str]:
    """Every trigger or index (`kind`) of a current database and its SQL (whitespace
    normalised), exactly as the migrations create it: they are run on an empty database
    in memory."""
    memory = sqlite3.connect(":memory:")
    try:
        apply_steps(memory, MIGRATIONS)
        return {name: _normalised(sql) for name, sql in memory.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL ORDER BY name", [kind])}
    finally:
        memory.close()


def index_problems(db: sqlite3.Connection) -> list[str]:
    """An index the migrations made, missing or changed: nothing is lost, but the zone
    review, the report and allocation would read whole tables (DESIGN §8). An index of
    someone else's is left alone."""
    present = {name: _normalised(sql) for name, sql in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    return [f"index {name} is {'missing' if name not in present else 'not the one caseload created'}: reads will "
            f"be slow; make it again with: DROP INDEX IF EXISTS {name}; {sql}"
            for name, sql in expected_schema("index").items() if present.get(name) != sql]


def trigger_problems(db: sqlite3.Connection) -> list[str]:
    """A trigger missing, changed (one that does nothing guards nothing) or not caseload's."""
    expected = expected_schema("trigger")
    present = {name: (table, sql) for name, table, sql in db.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")}
    problems = []
    for name, sql in expected.items():
        if name not in present:
            problems.append(f"trigger {name} is missing: history could be changed")
        elif _normalised(present[name][1]) != sql:
            problems.append(f"trigger {name} is not the one caseload created: history could be changed")
    for name, (table, _) in present.items():
        if name not in expected:
            problems.append(
                f"trigger {name} on {table} is not one of caseload's: it could change the record behind caseload's back")
    return problems


def chain_problems(db: sqlite3.Connection) -> list[str]:
    """The first row of each chained table that does not match its hash (DESIGN §6)."""
    problems = []
    for table in CHAINED:
        try:
            broken = first_broken(db, table)
        except sqlite3.OperationalError as error:  # a column or the table itself gone
            problems.append(f"{table} cannot be checked against its hashes ({error})")
            continue
        if broken is not None:
            problems.append(f"{table} row {broken} does not match its hash: the record was changed outside caseload")
    return problems


# Each case with its last history row, through history_case (case_id, id): one seek per case.
_LAST_MOVE = ("SELECT c.id, c.status, c.worker, h.kind, h.worker FROM cases c "
              "LEFT JOIN history h ON h.id = (SELECT max(id) FROM history WHERE case_id = c.id) ORDER BY c.id")


def record_problems(db: sqlite3.Connection, limit: int = 20) -> list[str]:
    """Cases whose worker or status disagree with their last history row (`domain.record`):
    the case row was changed without the record."""
    problems = []
    cursor = db.execute(_LAST_MOVE)
    cursor.row_factory = None
    for case_id, status, worker, kind, last_worker in cursor:
        why = disagreement(status, worker, kind, last_worker)
        if why is not None:
            problems.append(f"{case_id} {why}: the case was changed outside caseload")
            if len(problems) == limit:
                break
    return problems


def unrecorded_erasures(db: sqlite3.Connection) -> list[str]:
    """Rows whose personal text was erased (no salt) for a case with no recorded erasure:
    the triggers let raw SQL erase text (never rewrite it), so doctor names who did not say so."""
    problems = []
    for table in ("history", "case_changes", "notes"):
        for row_id, case_id in db.execute(
                f"SELECT id, case_id FROM {table} t WHERE salt IS NULL AND seal IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM erasures e WHERE e.case_id = t.case_id) ORDER BY id LIMIT 5"):
            problems.append(f"{table} row {row_id} was erased without a recorded erasure of {case_id}: "
                            "the record was changed outside caseload")
    return problems


def witness_findings(db: sqlite3.Connection, witness: Path, copy: Path | None = None) -> Comparison:
    """The database against its witness file and, when given, a copy kept elsewhere. No
    witness yet (a database last written before witnesses, or copied from elsewhere) is a
    note: the next write records one."""
    problems, notes = [], []
    for path, whose in ((witness, "the witness"), (copy, "the copy")):
        if path is None:
            continue
        witnessed = read_witness(path)
        if witnessed is None:
            if path == witness:
                notes.append(f"no witness of this database yet ({witness}): the next write records one")
                continue
            problems.append(f"{path}: no such witness file")
            continue
        found = check_witness(db, witnessed)
        problems += [f"{p} ({whose}: {path})" for p in found.problems]
        notes += found.notes
    return Comparison(tuple(problems), tuple(dict.fromkeys(notes)))


def _normalised(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()
