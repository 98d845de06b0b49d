"""The workers' own views of their caseload (DESIGN §2): append-only rows, one read a
week. The week's view is chosen by `domain.feels.of_week`."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Iterator

from caseload.domain.feels import Feeling
from caseload.domain.trends import week_of


def add_feeling(db: sqlite3.Connection, worker: str, on: date, feeling: str, actor: str, at: str) -> int:
    return db.execute(
        "INSERT INTO feels (worker, on_date, week, feeling, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
        [worker, on.isoformat(), week_of(on).isoformat(), feeling, actor, at]).lastrowid


def feelings_of_week(db: sqlite3.Connection, on: date) -> list[Feeling]:
    """Every view given for the ISO week of `on`, in the order given."""
    return [Feeling(worker, date.fromisoformat(day), feeling, row_id) for row_id, worker, day, feeling in db.execute(
        "SELECT id, worker, on_date, feeling FROM feels WHERE week = ? ORDER BY id", [week_of(on).isoformat()])]


def feelings_between(db: sqlite3.Connection, first: date, last: date) -> list[Feeling]:
    """Every view given for the ISO weeks from the Monday `first` to the Monday `last`."""
    return [Feeling(worker, date.fromisoformat(day), feeling, row_id) for row_id, worker, day, feeling in db.execute(
        "SELECT id, worker, on_date, feeling FROM feels WHERE week >= ? AND week <= ? ORDER BY id",
        [first.isoformat(), last.isoformat()])]


def any_feeling(db: sqlite3.Connection) -> bool:
    """Whether any worker's own view has ever been recorded (`worker feels`)."""
    return db.execute("SELECT 1 FROM feels LIMIT 1").fetchone() is not None


def iter_feels(db: sqlite3.Connection) -> Iterator[tuple]:
    """Every view ever given, in the order given: (worker, day, feeling, at, actor)."""
    yield from db.execute("SELECT worker, on_date, feeling, at, actor FROM feels ORDER BY id")


def weeks_with_views(db: sqlite3.Connection) -> set[tuple[str, str]]:
    """(worker, Monday) of every ISO week a worker's view was given for."""
    return {(worker, week) for worker, week in db.execute("SELECT DISTINCT worker, week FROM feels")}
