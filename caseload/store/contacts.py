"""The records behind `weights` (DESIGN §12): each case held in a window of weeks, with its
tier, dates and the days of its contact notes, for `domain.weights.tier_rows`.

Which cases: every case held today (active or monitoring) opened by the window's end,
and every case closed since the window began (found through the history's closures, so
the years of closed cases are never read). Waiting cases are left out. Contact notes are
read per case through its index (`notes_case`), the window's days and a day either side
(a note's day is the UTC date of its timestamp). Rows come as the cursor gives them: a
team of thousands of cases is never held whole.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Iterator

from caseload.domain.dates import parse_iso
from caseload.domain.weights import CaseEvidence
from caseload.store.rows import OPEN

_CONTACT_DAYS = ("(SELECT group_concat(substr(n.at, 1, 10)) FROM notes n WHERE n.case_id = c.id "
                 "AND n.kind = 'contact' AND n.at >= ? AND n.at < ?)")
_COLUMNS = f"c.tier, c.status, c.opened_on, c.closed_on, c.next_review_on, c.last_contact_on, {_CONTACT_DAYS}"


def cases_in_window(db: sqlite3.Connection, first: date, last: date) -> Iterator[CaseEvidence]:
    """The cases held in the weeks from Monday `first` to the Sunday after Monday `last`."""
    end = last + timedelta(days=7)  # the Monday after the window
    notes = [(first - timedelta(days=1)).isoformat(), (end + timedelta(days=1)).isoformat()]
    cursor = db.execute(
        f"SELECT {_COLUMNS} FROM cases c WHERE c.status IN {OPEN} AND c.opened_on < ? "
        f"UNION ALL "
        f"SELECT {_COLUMNS} FROM cases c WHERE c.status = 'closed' AND c.closed_on >= ? "
        f"AND c.id IN (SELECT h.case_id FROM history h WHERE h.at >= ? AND h.kind = 'close')",
        [*notes, end.isoformat(), *notes, first.isoformat(), first.isoformat()],
    )
    cursor.row_factory = None  # plain tuples
    for tier, status, opened, closed, review, contact, days in cursor:
        yield CaseEvidence(
            tier=tier, status=status, opened_on=parse_iso(opened), closed_on=parse_iso(closed),
            next_review_on=parse_iso(review), last_contact_on=parse_iso(contact),
            contact_days=tuple(date.fromisoformat(day) for day in days.split(",")) if days else (),
        )
