"""The zone review (DESIGN §5): every figure of the team meeting view on a day, read once.

The waiting pool comes with it, each case's first-contact deadline and check-in seen on
the day (`domain.waiting`): the meeting's attention list starts with the waiting cases
that are overdue or unchecked.

Who is in it: every worker who has not left; a lead only while holding cases
(`domain.review.shown_in_review`); a new starter from their first day (before it, they
are listed apart: no capacity, no zone). A day after today is a look-ahead from what is
already known: absences and reductions on that day, reviews that will be overdue,
temporary covers that will have ended (their cases counted back on the home worker),
and workers who will have left by then (capacity 0, their cases shown as still to
hand over).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from caseload.app.waiting import pool as waiting_pool_on
from caseload.domain.feels import of_week
from caseload.domain.review import (
    MeetingFigures, TeamFigures, WorkerFigures, meeting_figures, team_figures, zone_changes,
)
from caseload.domain.trends import week_of
from caseload.domain.waiting import attention_first
from caseload.store.cases import covered_cases
from caseload.store.connection import transaction
from caseload.store.covers import cover_counts
from caseload.store.feels import feelings_of_week
from caseload.store.loads import waiting_pool
from caseload.store.reporting import changes_since
from caseload.store.team import read_team
from caseload.store.zones import last_meeting, last_on_or_before, record_review, red_since

STREAK_WEEKS = 26  # ISO weeks of snapshots read for red streaks (or alerts.excessive_after, if more)


@dataclass(frozen=True)
class Review:
    on: date
    workers: list[WorkerFigures]  # in id order
    team: TeamFigures
    covers_past_end: list = field(default_factory=list)  # cases whose temporary cover should have ended
    ahead: bool = False  # a look-ahead to a future day
    suggestions: object = None  # a RebalancePlan, with --suggest
    starting: list = field(default_factory=list)  # new starters who have not started on the day (no zone)
    waiting: list = field(default_factory=list)  # domain.waiting.Waiting on the day, in priority order
    meeting: dict = field(default_factory=dict)  # worker id -> domain.review.MeetingFigures

    def meeting_of(self, worker_id: str) -> MeetingFigures:
        return self.meeting.get(worker_id) or MeetingFigures()

    @property
    def excessive(self) -> list[str]:
        """The workers whose red streak is excessive workload, in id order."""
        return [f.worker.id for f in self.workers if self.meeting_of(f.worker.id).excessive]
    what_if: object = None  # domain.weights.WhatIf: the team under another table (--weights FILE)

    @property
    def waiting_attention(self) -> list:
        """Waiting cases past their first-contact deadline or due a check-in, in the pool's
        priority order (risk, first-contact deadline, wait: the top of the meeting's
        attention list)."""
        return [w for w in attention_first(self.waiting) if w.needs_attention]


def gather(db, config, today: date, on: date, suggest: Callable | None = None, pool: bool = True, known=None,
           other: Callable | None = None) -> Review:
    """Every figure of the zone review on `on`, from SQL aggregates (one read of the team,
    or `known`, a `domain.review.KnownTeam` already read from `on` or before: the report
    reads the team once for its review and its runway).

    With `suggest` (`app.rebalance.suggested`, which the caller loads only when the
    proposal is asked for: the planner is most of what a zone review would import), the
    rebalance proposal is planned from the same read. Without `pool`,
    the waiting cases are counted but not listed (`Review.waiting` is empty): the JSON and
    CSV of `zone-review` carry the count only. `other`: the team seen under the table of
    `--weights FILE` too (`Review.what_if`), `other(team, waiting, oldest)`: the caller's
    `domain.weights.what_if` with the file's name and table, loaded only when asked for."""
    team = known.on(on) if known is not None else read_team(db, on, config, today)
    figures, starting = team.figures(config.load)
    waiting, oldest = waiting_pool(db)
    listed = waiting_pool_on(db, config, on) if pool else []
    suggestions = None
    if suggest is not None:
        suggestions = suggest(db, config, team)
    return Review(on, figures, team_figures(figures, waiting, oldest, on, config.load.zones),
                  [] if team.ahead else covered_cases(db, ended_before=on), team.ahead, suggestions, starting,
                  listed, meeting(db, config, figures, on, team.ahead),
                  other(team, waiting, oldest) if other is not None else None)


def meeting(db, config, figures, on: date, ahead: bool) -> dict[str, MeetingFigures]:
    """Each worker's red streak, covers and own view of the week on `on` (DESIGN §2)."""
    weeks = max(STREAK_WEEKS, config.alerts.excessive_after)
    snapshots = red_since(db, week_of(on) - timedelta(weeks=weeks))
    covering, covered = cover_counts(db, ended_from=on if ahead else None)
    feels = {w: f.feeling for w, f in of_week(feelings_of_week(db, on), week_of(on)).items()}
    return meeting_figures(figures, on, snapshots, config.alerts.excessive_after, covering, covered, feels)


@dataclass(frozen=True)
class Memory:
    """What changed since the last recorded review, for the meeting."""

    date: str
    new_cases: int
    moves: int
    move_list: list
    risk_changes: list
    zone_changes: list  # (worker, zone then, zone now)


def memory(db, review: Review, since: date | None = None) -> Memory | None:
    """What changed since the last recorded meeting (DESIGN §2: nightly snapshots do not
    count, so a nightly cron leaves the meeting its list), or since the start of `since`:
    new cases, moves, risk changes, and zones against the last snapshot of any kind on or
    before that day (none recorded: no zone changes)."""
    if since is not None:
        last = last_on_or_before(db, since)
        changes = changes_since(db, since.isoformat())
        return Memory(since.isoformat(), changes["new_cases"], changes["moves"], changes["move_list"],
                      changes["risk_changes"], zone_changes(last, review.workers) if last is not None else [])
    last = last_meeting(db)
    if last is None:
        return None
    changes = changes_since(db, last.at, heads=last.heads)
    return Memory(last.on, changes["new_cases"], changes["moves"], changes["move_list"], changes["risk_changes"],
                  zone_changes(last, review.workers))


def record(db, review: Review, on: date, actor: str, at: str, kind: str = "meeting") -> bool:
    """Record the review as the snapshot of `on`: a meeting's (`zone-review --record`) or a
    nightly one (`report --record`). False: a nightly snapshot met the day's meeting
    snapshot, which stays (DESIGN §2)."""
    return record_review(db, review.workers, on, actor, at, kind) is not None


def zone_review(db, config, today: date, on: date, deliver: Callable[[Review, "Memory | None"], None], *,
                suggest: Callable | None = None, pool: bool = True, remember: bool = False, since: date | None = None,
                other: Callable | None = None, record_as: tuple | None = None) -> Review:
    """The zone review on `on` (`gather`), in one snapshot; with `remember`, what changed since
    the last meeting or `since` (`memory`); with `other` (`gather`'s: a `--weights FILE`'s
    table) the team under it too (`Review.what_if`); with `record_as` (actor, at), today's review is
    recorded as the meeting's snapshot in a write transaction that commits only once
    `deliver(review, memory)`, called inside it, has written the output: both happen or
    neither (DESIGN §6)."""
    with transaction(db, write=record_as is not None):
        review = gather(db, config, today, on, suggest=suggest, pool=pool, other=other)
        remembered = memory(db, review, since) if remember else None
        if record_as is not None:
            record(db, review, today, *record_as, "meeting")
        deliver(review, remembered)
    return review
