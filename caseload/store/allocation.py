"""What the planner needs from the store: candidates with their loads, and the
cases to place with their previous worker."""

from __future__ import annotations

import sqlite3
from datetime import date
from fractions import Fraction
from typing import Iterable

from caseload.domain.allocate import Candidate, Request
from caseload.domain.load import capacity_breakdown, case_weight, load_from_counts
from caseload.domain.model import Case
from caseload.store.rows import OPEN


def candidates(db: sqlite3.Connection, on: date, config) -> list[Candidate]:
    """Every worker who has not left, with their load, capacity and count on `on`."""
    from caseload.store.team import read_team

    return read_team(db, on, config).candidates(config.load)


def worker_load(db: sqlite3.Connection, worker_id: str, on: date, config) -> tuple[Fraction, Fraction]:
    """One worker's (load, capacity) on `on`, counting only their own cases."""
    from caseload.store.workers import get_worker, reductions

    counts = db.execute(
        f"SELECT tier, status, count(*) FROM cases WHERE worker = ? AND status IN {OPEN} GROUP BY tier, status",
        [worker_id],
    ).fetchall()
    worker = get_worker(db, worker_id)
    load = load_from_counts(counts, config.load)
    return load, capacity_breakdown(worker, reductions(db, worker_id), config.load, on).value


def team_planner(db: sqlite3.Connection, on: date, config, explain: bool = False):
    """The allocation planner over the team as it stands on `on`."""
    from caseload.domain.allocate import Planner

    return Planner(candidates(db, on, config), config.load, config.allocation, explain=explain)


def previous_worker(db: sqlite3.Connection, case: Case) -> str | None:
    """Continuity: who last held this case before its holder now, else who held the client's
    most recent other case."""
    row = db.execute(
        "SELECT worker FROM history WHERE case_id = ? AND worker IS NOT NULL AND worker IS NOT ? "
        "ORDER BY id DESC LIMIT 1",
        [case.id, case.worker],
    ).fetchone()
    if row is not None:
        return row[0]
    row = db.execute(
        "SELECT worker FROM cases WHERE client = ? COLLATE NOCASE AND id != ? AND worker IS NOT NULL "
        "AND worker IS NOT ? ORDER BY opened_on DESC, id DESC LIMIT 1",
        [case.client, case.id, case.worker],
    ).fetchone()
    return row[0] if row is not None else None


def requests_for(db: sqlite3.Connection, cases: Iterable[Case], config) -> list[Request]:
    """The cases as the planner takes them: with the weight they carry once active."""
    found = []
    for case in cases:
        status = case.status if case.status in ("active", "monitoring") else "active"
        found.append(Request(case, case_weight(case.tier, status, config.load), previous_worker(db, case)))
    return found


def held_cases(db: sqlite3.Connection, worker_ids: Iterable[str], config) -> dict:
    """The open cases of these workers, with the date each came to its holder (for rebalance)."""
    from caseload.domain.rebalance import Held
    from caseload.store.rows import case_from_row

    found: dict[str, list] = {}
    for worker_id in worker_ids:
        since = dict(db.execute(
            "SELECT case_id, max(at) FROM history WHERE worker = ? GROUP BY case_id", [worker_id]
        ).fetchall())
        for row in db.execute(
            f"SELECT * FROM cases WHERE worker = ? AND status IN {OPEN} ORDER BY id", [worker_id]
        ):
            case = case_from_row(row)
            held_on = since.get(case.id)
            found.setdefault(worker_id, []).append(Held(
                Request(case, case_weight(case.tier, case.status, config.load)),
                date.fromisoformat(held_on[:10]) if held_on else case.opened_on,
            ))
    return found
