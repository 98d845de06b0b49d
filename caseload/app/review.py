"""The zone review (DESIGN §5): every figure of the team meeting view on a day, read once.

Who is in it: every worker who has not left; a lead only while holding cases
(`domain.review.shown_in_review`). A day after today is a look-ahead from what is
already known: absences and reductions on that day, reviews that will be overdue,
temporary covers that will have ended (their cases counted back on the home worker),
and workers who will have left by then (capacity 0, their cases shown as still to
hand over).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from caseload.domain.review import TeamFigures, WorkerFigures


@dataclass(frozen=True)
class Review:
    on: date
    workers: list[WorkerFigures]  # in id order
    team: TeamFigures
    covers_past_end: list = field(default_factory=list)  # cases whose temporary cover should have ended
    ahead: bool = False  # a look-ahead to a future day
    suggestions: object = None  # a RebalancePlan, with --suggest


def gather(db, config, today: date, on: date, suggest: bool = False) -> Review:
    """Every figure of the zone review on `on`, from SQL aggregates (one read of the team).

    With `suggest`, the rebalance proposal is planned from the same read."""
    from caseload.domain.review import WorkerCounts, as_seen_on, shift_cases, shown_in_review, team_figures, \
        worker_figures
    from caseload.store.cases import covered_cases
    from caseload.store.loads import covers_ending_before, waiting_pool
    from caseload.store.team import read_team

    team = read_team(db, on, config)
    counts = team.counts
    ahead = on > today
    if ahead:
        counts = shift_cases(counts, covers_ending_before(db, on))
    from caseload.domain.load import weight_table

    weights = weight_table(config.load)
    figures = []
    for worker in team.workers:
        mine = counts.get(worker.id, WorkerCounts())
        if not shown_in_review(worker, mine.cases):
            continue
        worker = as_seen_on(worker, mine.cases, on, today)
        if worker is None:
            continue
        figures.append(worker_figures(worker, mine, team.cuts.get(worker.id, []), team.away.get(worker.id),
                                      config.load, on, weights))
    waiting, oldest = waiting_pool(db)
    suggestions = None
    if suggest:
        from caseload.app.rebalance import plan_from

        suggestions = plan_from(db, config, team.candidates(config.load))
    return Review(on, figures, team_figures(figures, waiting, oldest, on, config.load.zones),
                  [] if ahead else covered_cases(db, ended_before=on), ahead, suggestions)


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

