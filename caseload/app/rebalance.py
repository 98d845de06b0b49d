"""Rebalance (DESIGN §4): the fewest moves that bring every amber or red worker to 100 %
or below, planned by `domain.rebalance` from one read of the team."""

from __future__ import annotations

from datetime import date
from typing import Callable, Optional

from caseload.domain.candidates import team_candidates
from caseload.domain.plan import Move
from caseload.domain.rebalance import overloaded, plan_rebalance
from caseload.store.allocation import candidates, held_cases
from caseload.store.batches import recorded
from caseload.store.connection import transaction
from caseload.store.plans import execute


def rebalance(db, config, on: date, actor: str, at: str, apply: bool,
              proceed: Callable[[object], Optional[Callable[[], None]]]):
    """Propose the rebalance of the team on `on` and, with `apply`, make its moves, in one
    transaction (a read snapshot without `apply`). `proceed(proposal)` is called inside it
    to show the proposal and, on a terminal, ask: it returns None to make no move, else a
    function called after each move. Returns the proposal and the number of the batch its
    moves made (None when none were made)."""
    number = None
    with transaction(db, write=apply):
        proposal = plan(db, config, on)
        tick = proceed(proposal)
        if apply and proposal.moves and tick is not None:
            made = moves(proposal)
            with recorded(db, "rebalance", [m.case for m in made], actor, at) as batch:
                execute(db, made, actor, at, on_move=tick)
            number = batch.number
    return proposal, number


def plan(db, config, on: date):
    """The rebalance proposal for the team as it stands on `on` (inside the caller's transaction)."""
    return plan_from(db, config, candidates(db, on, config))


def suggested(db, config, team):
    """The proposal for the team the zone review has read (`domain.review.TeamOnDay`: its
    `--suggest`)."""
    return plan_from(db, config, team_candidates(team, config.load))


def plan_from(db, config, team: list):
    """The proposal from candidates already read."""
    over = overloaded(team, config.load.zones)
    return plan_rebalance(team, held_cases(db, over, config), config.load, config.allocation)


def moves(proposal) -> list:
    """The moves that carry out the proposal."""
    return [Move(m.case, m.source, m.target, "rebalance", m.reason) for m in proposal.moves]
