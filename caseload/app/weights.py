"""`weights` (DESIGN §12): the tier table against the team's own records, and each
worker's view against their zone, over the last N complete weeks — read once inside the
caller's transaction, decided by `domain.weights`. Nothing is written, no weight changed.
"""

from __future__ import annotations

from datetime import date, timedelta

from caseload.domain.feels import of_week
from caseload.domain.weights import WeightsReview, tier_rows, window, worker_views
from caseload.store.contacts import tier_evidence
from caseload.store.connection import read_snapshot
from caseload.store.feels import any_feeling, feelings_between
from caseload.store.zones import recorded_since


def gather(db, config, today: date, weeks: int) -> WeightsReview:
    """The weights review of the `weeks` complete weeks before the week of `today`."""
    mondays = window(today, weeks)
    first, last = mondays[0], mondays[-1]
    tiers = tier_rows(tier_evidence(db, mondays, today, config.stale_after_days), config.load.tiers,
                      config.default_tier)
    snapshots = [s for s in recorded_since(db, first) if s.on < (last + timedelta(days=7)).isoformat()]
    given = feelings_between(db, first, last)
    weekly = [(worker, monday, f.feeling) for monday in mondays for worker, f in sorted(of_week(given, monday).items())]
    views = worker_views(snapshots, weekly, mondays)
    return WeightsReview(mondays, config.default_tier, tuple(tiers), tuple(views), any_feeling(db))


def weights_review(db, config, today: date, weeks: int) -> WeightsReview:
    """`weights`: `gather` read in one snapshot of the file."""
    with read_snapshot(db):
        return gather(db, config, today, weeks)
