"""Conversions between SQLite rows and the domain's dataclasses.

Lists are stored comma-joined, numbers as exact decimal text, dates as ISO text.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Iterator, Mapping, Sequence

import sqlite3

from caseload.domain.dates import parse_iso
from caseload.domain.errors import BadInput, CaseloadError
from caseload.domain.model import OPEN_STATUSES, Absence, Case, Reduction, Worker


def sql_list(values: tuple[str, ...]) -> str:
    """A fixed tuple of the domain's names as an SQL list: ('active', 'monitoring')."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


OPEN = sql_list(OPEN_STATUSES)  # cases held by a worker and weighed on their load


def sql_any(column: str, values: tuple[str, ...]) -> str:
    """`column IN values` written out: (kind = 'assign' OR kind = 'auto' ...), the same
    test, NULL included. The form for a CHECK and for the WHERE of a partial index (and of
    every query meant to use that index: SQLite uses a partial index only for a query that
    repeats its WHERE's terms). There SQLite (3.40) builds an IN list again for every row
    it weighs: the CHECKs of an intake's rows and history_arrivals made again at its end
    cost a tenth of a 50,000-row intake (`store.written_out`)."""
    return "(" + " OR ".join(f"{column} = '{value}'" for value in values) + ")"


IDS_PER_STATEMENT = 500  # under SQLite's oldest limit of 999 parameters a statement


def id_chunks(ids: Sequence[str], size: int = IDS_PER_STATEMENT) -> Iterator[tuple[list[str], str]]:
    """`ids` a statement's worth at a time, each with the `?, ?, ...` its `IN (...)` takes."""
    for start in range(0, len(ids), size):
        chunk = list(ids[start:start + size])
        yield chunk, ", ".join("?" for _ in chunk)


# Rows chained or sealed a batch at a time by a migration: memory stays flat on any file.
CHAIN_BATCH = 10_000


def sql_statements(script: str) -> list[str]:
    """Split a schema script into statements, keeping trigger bodies whole."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Every statement of a schema script, in order (a migration step's body)."""
    for statement in sql_statements(script):
        db.execute(statement)


def insert_new(db: sqlite3.Connection, table: str, row: dict[str, Any], taken: str, field: str = "id") -> None:
    """INSERT a row whose `id` must be new; a clash is bad input on `field`, with `taken` as the reason."""
    try:
        db.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                   list(row.values()))
    except sqlite3.IntegrityError:
        if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row["id"]]).fetchone():
            raise BadInput(field, row["id"], taken) from None
        raise


def update_by_id(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    values = {key: value for key, value in row.items() if key != "id"}
    db.execute(f"UPDATE {table} SET {', '.join(f'{key} = ?' for key in values)} WHERE id = ?",
               [*values.values(), row["id"]])


def exact_text(number: Fraction | int | None) -> str | None:
    """A Fraction as the shortest exact decimal text ('0.8', '67.5'); repeating decimals as 'p/q'."""
    if number is None:
        return None
    number = Fraction(number)
    if number.denominator == 1:
        return str(number.numerator)
    d = number.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d != 1:
        return f"{number.numerator}/{number.denominator}"
    return format(Decimal(number.numerator) / Decimal(number.denominator), "f")


@functools.lru_cache(maxsize=1024)
def _fraction(text: str) -> Fraction:
    """A stored number as a Fraction, parsed once per distinct text: a team of thousands
    shares a handful of FTEs, and a Fraction (immutable) can be shared."""
    return Fraction(text)


def exact(text: str | None) -> Fraction | None:
    return _fraction(text) if text is not None else None


def join(items: tuple[str, ...] | list[str]) -> str:
    return ",".join(items)


def split(text: str | None) -> tuple[str, ...]:
    return tuple(filter(None, text.split(","))) if text else ()


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _not_stored_as_caseload_does(what: str) -> CaseloadError:
    """A stored date that is not one (written outside caseload), said without its text."""
    return CaseloadError(f"{what} is not a date as caseload stores it (changed outside caseload?): `caseload "
                         "doctor` lists every such date; correct it with a tool such as sqlite3, or restore the "
                         "file from a backup")


def _dated(build: Callable, what: Callable[[Any], str]) -> Callable:
    """`build(row)`, a stored date that is no date said as `what(row)` names the row."""
    @functools.wraps(build)
    def read(row):
        try:
            return build(row)
        except (TypeError, ValueError):
            raise _not_stored_as_caseload_does(what(row)) from None
    return read


@functools.partial(_dated, what=lambda row: f"worker {row['id']}'s leaving_on or starts_on")
def worker_from_row(row: Mapping[str, Any]) -> Worker:
    return Worker(
        id=row["id"], name=row["name"], role=row["role"], fte=_fraction(row["fte"]),
        capacity=exact(row["capacity"]), max_cases=row["max_cases"],
        skills=split(row["skills"]), languages=split(row["languages"]), area=row["area"],
        status=row["status"], leaving_on=parse_iso(row["leaving_on"]), auto=bool(row["auto"]),
        starts_on=parse_iso(row["starts_on"]),
    )


WORKER_FIELDS = ("id", "name", "role", "fte", "capacity", "max_cases", "skills", "languages", "area", "status",
                 "leaving_on", "auto", "starts_on")


def workers_from_tuples(rows) -> list[Worker]:
    """`worker_from_row` for rows of WORKER_FIELDS as plain tuples (a team of thousands:
    no lookup by column name per field)."""
    try:
        return _workers_from_tuples(rows)
    except (TypeError, ValueError):
        raise _not_stored_as_caseload_does("a worker's leaving or starting day") from None


def _workers_from_tuples(rows) -> list[Worker]:
    return [
        Worker(id=wid, name=name, role=role, fte=_fraction(fte), capacity=exact(capacity), max_cases=max_cases,
               skills=split(skills), languages=split(languages), area=area, status=status,
               leaving_on=parse_iso(leaving_on), auto=bool(auto), starts_on=parse_iso(starts_on))
        for wid, name, role, fte, capacity, max_cases, skills, languages, area, status, leaving_on, auto, starts_on
        in rows
    ]


def worker_to_row(worker: Worker) -> dict[str, Any]:
    return {
        "id": worker.id, "name": worker.name, "role": worker.role, "fte": exact_text(worker.fte),
        "capacity": exact_text(worker.capacity), "max_cases": worker.max_cases,
        "skills": join(worker.skills), "languages": join(worker.languages), "area": worker.area,
        "status": worker.status, "leaving_on": iso(worker.leaving_on), "auto": int(worker.auto),
        "starts_on": iso(worker.starts_on),
    }


CASE_DATES = ("opened_on", "closed_on", "next_review_on", "last_contact_on", "cover_until")


def case_from_row(row: Mapping[str, Any]) -> Case:
    values = {key: row[key] for key in (
        "id", "client", "summary", "tier", "risk", "status", "language", "area", "worker",
        "home_worker", "requested_worker", "close_reason",
    )}
    values["needs"] = split(row["needs"])
    for key in (*CASE_DATES, "waiting_since"):
        try:
            values[key] = parse_iso(row[key])
        except (TypeError, ValueError):  # written outside caseload: said without its text
            raise _not_stored_as_caseload_does(f"case {row['id']}'s {key}") from None
    return Case(**values)


def case_to_row(case: Case) -> dict[str, Any]:
    row = {key: getattr(case, key) for key in (
        "id", "client", "summary", "tier", "risk", "status", "language", "area", "worker",
        "home_worker", "requested_worker", "close_reason",
    )}
    row["needs"] = join(case.needs)
    for key in CASE_DATES:
        row[key] = iso(getattr(case, key))
    # Only a waiting case has the day it entered the pool (the schema refuses one on any
    # other): a new waiting case entered it when it opened; a case given out loses it.
    row["waiting_since"] = iso(case.waiting_since or case.opened_on) if case.status == "waiting" else None
    return row


@functools.partial(_dated, what=lambda row: f"reduction {row['id']}'s starts_on or ends_on")
def reduction_from_row(row: Mapping[str, Any]) -> Reduction:
    return Reduction(
        id=row["id"], worker=row["worker"], kind=row["kind"], amount=Fraction(row["amount"]),
        reason=row["reason"], starts_on=date.fromisoformat(row["starts_on"]), ends_on=parse_iso(row["ends_on"]),
    )


@functools.partial(_dated, what=lambda row: f"absence {row['id']}'s starts_on or ends_on")
def absence_from_row(row: Mapping[str, Any]) -> Absence:
    return Absence(
        id=row["id"], worker=row["worker"], starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]), reason=row["reason"], cover=row["cover"],
    )
