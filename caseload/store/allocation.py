"""What the planner needs from the store: candidates with their loads, and the
cases to place with their previous worker."""

from __future__ import annotations

import sqlite3
from datetime import date
from fractions import Fraction
from typing import Iterable

from caseload.domain.allocate import Candidate, Planner, Request
from caseload.domain.candidates import team_candidates
from caseload.domain.load import capacity_breakdown, case_weight, load_from_counts
from caseload.domain.model import Case
from caseload.domain.rebalance import Held
from caseload.store.cases import arrived_at
from caseload.store.rows import OPEN, case_from_row, id_chunks
from caseload.store.team import read_team
from caseload.store.undone import UNDONE_ROW
from caseload.store.workers import get_worker, reductions


def candidates(db: sqlite3.Connection, on: date, config) -> list[Candidate]:
    """Every worker who has not left, with their load, capacity and count on `on`."""
    return team_candidates(read_team(db, on, config), config.load)


def worker_load(db: sqlite3.Connection, worker_id: str, on: date, config) -> tuple[Fraction, Fraction]:
    """One worker's (load, capacity) on `on`, counting only their own cases."""
    counts = db.execute(
        f"SELECT tier, status, count(*) FROM cases WHERE worker = ? AND status IN {OPEN} GROUP BY tier, status",
        [worker_id],
    ).fetchall()
    worker = get_worker(db, worker_id)
    load = load_from_counts(counts, config.load)
    return load, capacity_breakdown(worker, reductions(db, worker_id), config.load, on).value


def team_planner(db: sqlite3.Connection, on: date, config, explain: bool = False):
    """The allocation planner over the team as it stands on `on`."""
    return Planner(candidates(db, on, config), config.load, config.allocation, explain=explain)


# One statement answers for this many cases: three parameters each stays within 999,
# SQLite's limit on parameters before 3.32.
CASES_PER_STATEMENT = 300


def previous_workers(db: sqlite3.Connection, cases: list[Case]) -> list[str | None]:
    """Continuity, for each case in order: who last held it before its holder now (the newest
    history row naming someone else), else who holds or held the client's most recent other case
    (same name, any capitalisation). One statement per CASES_PER_STATEMENT cases.

    A move that was undone (a row of a batch `undo` reversed, `UNDONE_ROW`) never held: the
    worker of an undone assignment is nobody's previous worker. The undo's own rows stand
    (they name the worker who really held the case before).

    The cases travel as values, not as ids to look up: a case being taken in is not stored yet,
    and the holder that counts is the one the caller has in hand."""
    found: list[str | None] = []
    for start in range(0, len(cases), CASES_PER_STATEMENT):
        chunk = cases[start:start + CASES_PER_STATEMENT]
        rows = ", ".join(f"({n}, ?, ?, ?)" for n in range(len(chunk)))
        params = [value for case in chunk for value in (case.id, case.worker, case.client)]
        answers = dict(db.execute(
            f"WITH wanted(n, id, worker, client) AS (VALUES {rows}) "
            "SELECT w.n, coalesce("
            "(SELECT h.worker FROM history h WHERE h.case_id = w.id AND h.worker IS NOT NULL "
            f"AND h.worker IS NOT w.worker AND NOT {UNDONE_ROW} ORDER BY h.id DESC LIMIT 1), "
            "(SELECT c.worker FROM cases c WHERE c.client = w.client COLLATE NOCASE AND c.id != w.id "
            "AND c.worker IS NOT NULL AND c.worker IS NOT w.worker ORDER BY c.opened_on DESC, c.id DESC LIMIT 1)"
            ") FROM wanted w",
            params,
        ).fetchall())
        found.extend(answers[n] for n in range(len(chunk)))
    return found


def requests_for(db: sqlite3.Connection, cases: Iterable[Case], config) -> list[Request]:
    """The cases as the planner takes them: with the weight they carry once active."""
    cases = list(cases)
    found = []
    for case, previous in zip(cases, previous_workers(db, cases)):
        status = case.status if case.status in ("active", "monitoring") else "active"
        found.append(Request(case, case_weight(case.tier, status, config.load), previous))
    return found


def held_cases(db: sqlite3.Connection, worker_ids: Iterable[str], config) -> dict:
    """The open cases of these workers, with the date each came to its holder (for rebalance)."""
    wanted = list(dict.fromkeys(worker_ids))
    mine: dict[str, list] = {}
    for chunk, marks in id_chunks(wanted):
        # Held since the holder's arrival (`store.cases.arrived_at`: a close and a reopening
        # to the same worker are none); the cases come from cases_open_load (status, worker).
        for row in db.execute(
            f"SELECT c.*, {arrived_at('c')} "
            f"AS held_at FROM cases c WHERE c.status IN {OPEN} AND c.worker IN ({marks}) "
            "ORDER BY c.id",
            chunk,
        ):
            case = case_from_row(row)
            held_on = row["held_at"]
            mine.setdefault(case.worker, []).append(Held(
                Request(case, case_weight(case.tier, case.status, config.load)),
                date.fromisoformat(held_on[:10]) if held_on else case.opened_on,
            ))
    return {worker_id: mine[worker_id] for worker_id in wanted if worker_id in mine}
