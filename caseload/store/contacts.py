"""The records behind `weights` (DESIGN §12): each tier's evidence over a window of weeks,
counted in one query where the records are (`domain.weights` defines the counts, in its
docstring; `domain.weights.tier_rows` turns them into rates, ratios and suggestions).

Which cases: every case held today (active or monitoring) opened by the window's end,
and every case closed since the window began (through the partial index `cases_closed`,
named in the query, so the years of closed cases are never read). Waiting cases are left out. Per case:

- its weeks: from the Monday of its opening week (or the window's first Monday) to the
  Monday of its closing week (or the window's last Monday); none when that is empty;
- its contacts in those weeks: its `contact` notes whose UTC day falls in them (through the
  covering index `notes_contact`), plus its `last_contact_on` when that day falls in them
  and no contact note lies on it or a day either side (a contact recorded without a note);
- today: whether it is open, its review overdue, its last contact (or opening) stale.

A team of 50,000 cases is counted in SQLite, not case by case in Python: the nightly
report carries this section, and DESIGN §8 holds the report within 2x of the demo's.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Iterator, Sequence

from caseload.domain.weights import TierEvidence
from caseload.store.rows import OPEN

# The Monday that starts the ISO week of a day (as `domain.trends.week_of`): six days back,
# then forward to a Monday. Worked out only for a day inside the window: a case opened
# before it starts in its first week, one closed after it ends in its last.
_FIRST_WEEK = "CASE WHEN c.opened_on < :first THEN :first ELSE date(c.opened_on, '-6 days', 'weekday 1') END"
_LAST_WEEK = "CASE WHEN c.closed_on >= :end THEN :last ELSE date(c.closed_on, '-6 days', 'weekday 1') END"

_HELD = f"""
SELECT c.id, c.tier, c.status, c.last_contact_on AS last_contact,
       {_FIRST_WEEK} AS first_week, :last AS last_week,
       c.status IN {OPEN} AS open_today,
       coalesce(c.status IN {OPEN} AND c.next_review_on < :today, 0) AS overdue,
       c.status IN {OPEN} AND coalesce(c.last_contact_on, c.opened_on) < :stale_before AS stale
FROM cases c WHERE c.status IN {OPEN} AND c.opened_on < :end
UNION ALL
SELECT c.id, c.tier, c.status, c.last_contact_on,
       {_FIRST_WEEK}, {_LAST_WEEK}, 0, 0, 0
FROM cases c INDEXED BY cases_closed WHERE c.status = 'closed' AND c.closed_on >= :first
"""

# A case's contacts from its first week's Monday to its last week's Sunday (`upto`, the
# Monday after): notes by their UTC day, and the last contact when no note is within a day.
_CONTACTS = """
(SELECT count(*) FROM notes n WHERE n.case_id = held.id AND n.kind = 'contact'
 AND n.at >= held.first_week AND n.at < held.upto)
+ coalesce(held.last_contact >= held.first_week AND held.last_contact < held.upto
   AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.case_id = held.id AND n.kind = 'contact'
                   AND n.at >= date(held.last_contact, '-1 day') AND n.at < date(held.last_contact, '+2 days')), 0)
"""

_EVIDENCE = f"""
WITH held AS (SELECT *, date(last_week, '+7 days') AS upto,
                     CASE WHEN first_week = :first AND last_week = :last THEN :weeks
                          ELSE CAST(julianday(last_week) - julianday(first_week) AS INTEGER) / 7 + 1 END AS weeks
              FROM ({_HELD}))
SELECT tier,
       sum(last_week >= first_week),
       sum(CASE WHEN last_week >= first_week THEN weeks ELSE 0 END),
       sum(CASE WHEN last_week >= first_week THEN {_CONTACTS} ELSE 0 END),
       sum(open_today), sum(overdue), sum(stale)
FROM held GROUP BY tier ORDER BY tier
"""


def tier_evidence(db: sqlite3.Connection, mondays: Sequence[date], today: date,
                  stale_after_days: int) -> Iterator[TierEvidence]:
    """Each stored tier's counts over the weeks starting on `mondays` (consecutive, oldest
    first), and today's open, overdue and stale cases; tiers as the cases spell them."""
    if not mondays:
        return
    first, last = mondays[0], mondays[-1]
    cursor = db.execute(_EVIDENCE, {
        "first": first.isoformat(), "last": last.isoformat(), "weeks": len(mondays), "end": (last + timedelta(days=7)).isoformat(),
        "today": today.isoformat(), "stale_before": (today - timedelta(days=stale_after_days)).isoformat(),
    })
    cursor.row_factory = None
    for tier, cases, case_weeks, contacts, open_today, overdue, stale in cursor:
        yield TierEvidence(tier, cases, case_weeks, contacts, open_today, overdue, stale)
