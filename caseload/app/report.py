"""The nightly report (DESIGN §5): today's zone review and, around it, everything read
once inside the caller's transaction — the last recorded review to compare with,
throughput since a day, the attention lists, reductions ending soon, red streaks and
the trend over the recorded reviews.

`--since` defaults to the last recorded review, else to a week ago. With `--record`,
the newest recorded review is today's own, so the report compares with the one before.
Throughput counts from the moment that review was recorded (`--since DATE`: from the start
of DATE), so each night's report counts that day's work once.

History is read by date, not by count (recording nightly leaves five or seven snapshots
a week): every snapshot of the last `HISTORY_WEEKS` ISO weeks (or `excessive_after`,
if more) up to the week of the newest snapshot. Red streaks are counted in those weeks
(`domain.trends.red_streaks`), so a streak longer than that shows at that length, which
is always enough for the excessive alert. The Runway is the forecast (`app.forecast`)
over its default eight weeks. The trend has one point per snapshot read
(at most one a day), oldest first, so the chart also shows the days between weekly
points; the streaks count only each week's latest snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from caseload.app.forecast import gather as forecast
from caseload.app.privacy import record_summary
from caseload.app.weights import gather as weights_review
from caseload.domain.forecast import DEFAULT_WEEKS
from caseload.domain.trends import red_streaks, trend, week_of
from caseload.domain.waiting import attention_first
from caseload.domain.weights import DEFAULT_WEEKS as WEIGHTS_WEEKS
from caseload.store import reporting
from caseload.store.workers import reductions
from caseload.store.zones import recorded_reviews, recorded_since

LIST_LIMIT = 100  # attention lists show how many there are and the first of them
HISTORY_WEEKS = 26  # ISO weeks of recorded reviews read for streaks and the trend


@dataclass(frozen=True)
class ReportData:
    on: date
    since: date
    review: object  # app.review.Review
    previous: object  # the Snapshot compared with, or None
    streaks: dict  # worker -> red ISO weeks running
    excessive_after: int
    throughput: dict
    waiting: list  # domain.waiting.Waiting: overdue first contacts, then check-ins due, then the rest
    overdue_reviews: tuple
    stale_contact: tuple
    long_open: tuple
    reductions_expiring: list
    trend: list  # domain.trends.TrendPoint, one per snapshot read (at most one a day), oldest first
    list_limit: int = LIST_LIMIT  # how many cases of a list the report shows (the waiting list is read whole)
    runway: object = None  # domain.forecast.Forecast over the default weeks (the report's Runway)
    zone_bounds: object = None  # domain.model.ZoneThresholds: the config's, for the charts' bands
    record: dict | None = None  # app.privacy.record_summary: the chain's head and the cases due for retention
    weights: object = None  # domain.weights.WeightsReview of the last 12 complete weeks (DESIGN §12)


def gather(db, config, review, since: date | None, recorded_now: bool, known=None,
           night_before: tuple | None = None) -> ReportData:
    """Everything the report shows. `known`: the team as `app.forecast.read_ahead` read it
    for the review, so the runway does not read it again. `night_before`: (day, at, last
    history row) of the last nightly report (`store.zones.last_report_run`): a nightly
    report counts its throughput after it, from that day."""
    on = review.on
    history = read_history(db, max(HISTORY_WEEKS, config.alerts.excessive_after))
    # with --record, today's own snapshot is in the history: compare with the one before it
    earlier = [s for s in history if s.on != on.isoformat()] if recorded_now else history
    previous = earlier[0] if earlier else None
    # throughput from `since`, else after what the night before counted, else after what the
    # review compared with saw (its last history row; one recorded before caseload kept
    # that: its moment), not from the start of its day: a nightly report would count the
    # day before twice (its own night and the next)
    head = None
    if since is not None:
        counted_from = since.isoformat()
    elif night_before is not None:
        day, counted_from, head = night_before
        since = date.fromisoformat(day)
    elif previous is not None:
        counted_from, head, since = previous.at, previous.heads[0], date.fromisoformat(previous.on)
    else:
        since = on - timedelta(days=7)
        counted_from = since.isoformat()
    horizon = on + timedelta(days=config.alerts.expiring_days)
    return ReportData(
        on=on,
        since=since,
        review=review,
        previous=previous,
        streaks=red_streaks(history, [f.worker.id for f in review.workers]),
        excessive_after=config.alerts.excessive_after,
        throughput=reporting.throughput(db, counted_from, head),
        waiting=attention_first(review.waiting),
        overdue_reviews=reporting.overdue_reviews(db, on, LIST_LIMIT),
        stale_contact=reporting.stale_contact(db, on, config.stale_after_days, LIST_LIMIT),
        long_open=reporting.long_open(db, on, config.long_open_days, LIST_LIMIT),
        reductions_expiring=[r for r in reductions(db) if r.ends_within(on, horizon)],
        trend=trend(history),
        runway=forecast(db, config, on, DEFAULT_WEEKS, known=known),
        zone_bounds=config.load.zones,
        record=record_summary(db, config.retention_after, on),
        weights=weights_review(db, config, on, WEIGHTS_WEEKS),
    )


def read_history(db, weeks: int) -> list:
    """Every recorded snapshot of the last `weeks` ISO weeks up to the week of the newest
    snapshot, newest first (empty when none is recorded)."""
    newest = recorded_reviews(db, limit=1)
    if not newest:
        return []
    return recorded_since(db, week_of(newest[0].on) - timedelta(weeks=weeks - 1))
