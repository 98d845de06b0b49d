"""The team as the planner sees it on a day (DESIGN §4): each worker's load, capacity,
count, absence, recent allocations and protection, read from the team already read
(`domain.review.TeamOnDay`), for the allocation planner (`domain.allocate`) and
rebalance (`domain.rebalance`). Apart from the zone review's figures, so a zone review
without `--suggest` never loads the planner."""

from __future__ import annotations

from caseload.domain.load import capacity_breakdown, count_cap, load_from_counts
from caseload.domain.model import LoadRules
from caseload.domain.placing import Candidate
from caseload.domain.review import TeamOnDay, WorkerCounts
from caseload.domain.starters import protected_until


def team_candidates(team: TeamOnDay, rules: LoadRules) -> list[Candidate]:
    """Every worker as the planner sees them on the team's day: load, capacity, count, absence."""
    found = []
    for worker in team.workers:
        mine = team.counts.get(worker.id, WorkerCounts())
        absence = team.away.get(worker.id)
        found.append(Candidate(
            worker=worker,
            load=load_from_counts(mine.by_tier_status, rules),
            capacity=capacity_breakdown(worker, team.cuts.get(worker.id, []), rules, team.on).value,
            cases=mine.cases,
            cap=count_cap(worker, rules),
            absent_until=absence.ends_on if absence else None,
            recent=mine.new_recent,
            starts_on=None if worker.started_by(team.on) else worker.starts_on,
            protected_until=protected_until(team.cuts.get(worker.id, ()), team.on),
        ))
    return found
