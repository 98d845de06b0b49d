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
from datetime import date

from caseload.domain.review import TeamFigures, WorkerFigures
from caseload.domain.weights import what_if


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
    what_if: object = None  # domain.weights.WhatIf: the team under another table (--weights FILE)

    @property
    def waiting_attention(self) -> list:
        """Waiting cases past their first-contact deadline, then those due a check-in (the
        top of the meeting's attention list)."""
        from caseload.domain.waiting import attention_first

        return [w for w in attention_first(self.waiting) if w.needs_attention]


def gather(db, config, today: date, on: date, suggest: bool = False, pool: bool = True, known=None,
           other=None) -> Review:
    """Every figure of the zone review on `on`, from SQL aggregates (one read of the team,
    or `known`, a `domain.review.KnownTeam` already read from `on` or before: the report
    reads the team once for its review and its runway).

    With `suggest`, the rebalance proposal is planned from the same read. Without `pool`,
    the waiting cases are counted but not listed (`Review.waiting` is empty): the JSON and
    CSV of `zone-review` carry the count only. `other`: (the file, its LoadRules) of
    `--weights FILE`, the team seen under that table too (`Review.what_if`)."""
    from caseload.domain.review import team_figures
    from caseload.store.cases import covered_cases
    from caseload.store.loads import waiting_pool
    from caseload.store.team import read_team
    from caseload.app.waiting import pool as waiting_pool_on

    team = known.on(on) if known is not None else read_team(db, on, config, today)
    figures, starting = team.figures(config.load)
    waiting, oldest = waiting_pool(db)
    listed = waiting_pool_on(db, config, on) if pool else []
    suggestions = None
    if suggest:
        from caseload.app.rebalance import plan_from

        suggestions = plan_from(db, config, team.candidates(config.load))
    return Review(on, figures, team_figures(figures, waiting, oldest, on, config.load.zones),
                  [] if team.ahead else covered_cases(db, ended_before=on), team.ahead, suggestions, starting,
                  listed, what_if(team, other[1], other[0], waiting, oldest) if other is not None else None)


@dataclass(frozen=True)
class Memory:
    """What changed since the last recorded review, for the meeting."""

    date: str
    new_cases: int
    moves: int
    move_list: list
    risk_changes: list
    zone_changes: list  # (worker, zone then, zone now)


def memory(db, review: Review) -> Memory | None:
    """What changed since the last recorded review: new cases, moves, risk changes, zones."""
    from caseload.domain.review import zone_changes
    from caseload.store.reporting import changes_since
    from caseload.store.zones import recorded_reviews

    history = recorded_reviews(db, limit=1)
    if not history:
        return None
    last = history[0]
    changes = changes_since(db, last.at)
    return Memory(last.on, changes["new_cases"], changes["moves"], changes["move_list"], changes["risk_changes"],
                  zone_changes(last, review.workers))


def record(db, review: Review, on: date, actor: str, at: str) -> None:
    from caseload.store.zones import record_review

    record_review(db, review.workers, on, actor, at)

