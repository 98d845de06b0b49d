"""The queries behind the nightly report and the zone review's memory: throughput,
attention lists and what changed since a moment. Counts come from SQL; lists are
capped (the report shows how many there are and the first of them)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from caseload.domain.model import ALLOCATION_KINDS, ARRIVAL_KINDS, MOVE_KINDS
from caseload.store.rows import OPEN, sql_list

HANDS = sql_list(ARRIVAL_KINDS)  # every way a case comes to a worker: allocations and moves, returns included

KINDS = {
    "intakes": ("intake",),
    "allocations": ALLOCATION_KINDS,
    "closures": ("close",),
    "moves": MOVE_KINDS,
}


def _after(since: str, head: int | None) -> tuple[str, list]:
    """The test of a chained row coming after `since`: a day (`2026-11-17`, every moment of
    it) or a recorded review's timestamp, strictly after it; or, given the last row that
    review saw (`head`, its id: ids only grow), any row after that one from the second of
    the review on (times are whole seconds: a move made in the second the review was
    recorded is after it). The time bound keeps the read to the index on `at`."""
    return ("at >= ? AND id > ?", [since, head]) if head is not None else ("at > ?", [since])


def throughput(db: sqlite3.Connection, since: str, head: int | None = None) -> dict[str, int]:
    """What happened after `since`: a day or a recorded review's timestamp, or after the
    last history row that review saw (`head`, as `changes_since` counts: not what it saw)."""
    after, params = _after(since, head)
    counts = dict(db.execute(f"SELECT kind, count(*) FROM history WHERE {after} GROUP BY kind", params).fetchall())
    return {name: sum(counts.get(kind, 0) for kind in kinds) for name, kinds in KINDS.items()}


# The stored fields an attention list shows; render.rows.attention_rows reads them by name
# and names them for the report (ATTENTION_COLUMNS), so this is a select list, not a row shape.
LISTING_FIELDS = ("id", "client", "worker", "risk", "opened_on", "next_review_on", "last_contact_on")


def _listing(db, where: str, params: list, order: str, limit: int) -> tuple[int, list[sqlite3.Row]]:
    """How many cases match, and the first `limit` of them (LISTING_FIELDS, by name)."""
    total = db.execute(f"SELECT count(*) FROM cases WHERE {where}", params).fetchone()[0]
    return total, db.execute(f"SELECT {', '.join(LISTING_FIELDS)} FROM cases WHERE {where} ORDER BY {order} LIMIT ?",
                             [*params, limit]).fetchall()


def overdue_reviews(db, on: date, limit: int) -> tuple[int, list[sqlite3.Row]]:
    return _listing(db, f"status IN {OPEN} AND next_review_on < ?", [on.isoformat()], "next_review_on, id", limit)


def stale_contact(db, on: date, days: int, limit: int) -> tuple[int, list[sqlite3.Row]]:
    before = (on - timedelta(days=days)).isoformat()
    return _listing(db, f"status IN {OPEN} AND COALESCE(last_contact_on, opened_on) < ?", [before],
                    "COALESCE(last_contact_on, opened_on), id", limit)


def long_open(db, on: date, days: int, limit: int) -> tuple[int, list[sqlite3.Row]]:
    before = (on - timedelta(days=days)).isoformat()
    return _listing(db, f"status IN {OPEN} AND opened_on < ?", [before], "opened_on, id", limit)


def changes_since(db: sqlite3.Connection, since: str, limit: int = 50,
                  heads: tuple[int | None, int | None] = (None, None)) -> dict:
    """New cases, moves (case, from, to, kind) and risk changes (case, old, new) since a moment
    (for the meeting's memory), or after the last history row and case change a recorded
    review saw (`heads`, `domain.trends.Snapshot.heads`)."""
    after, params = _after(since, heads[0])
    new_cases = db.execute(f"SELECT count(*) FROM history WHERE {after} AND kind = 'intake'", params).fetchone()[0]
    moves = db.execute(
        f"SELECT case_id, previous_worker, worker, kind FROM history "
        f"WHERE {after} AND kind IN {HANDS} ORDER BY id LIMIT ?", [*params, limit]).fetchall()
    move_count = db.execute(
        f"SELECT count(*) FROM history WHERE {after} AND kind IN {HANDS}", params).fetchone()[0]
    after, params = _after(since, heads[1])
    risks = db.execute(
        f"SELECT case_id, old, new FROM case_changes WHERE {after} AND field = 'risk' ORDER BY id LIMIT ?",
        [*params, limit]).fetchall()
    return {"new_cases": new_cases, "moves": move_count, "move_list": moves, "risk_changes": risks}
