"""Rebalance (DESIGN §4): the fewest moves that bring every amber or red worker to 100 %
or below, planned by `domain.rebalance` from one read of the team."""

from __future__ import annotations

from datetime import date


def plan(db, config, on: date):
    """The rebalance proposal for the team as it stands on `on`."""
    from caseload.store.allocation import candidates

    return plan_from(db, config, candidates(db, on, config))


def plan_from(db, config, team: list):
    """The proposal from candidates already read (the zone review's `--suggest`)."""
    from caseload.domain.rebalance import overloaded, plan_rebalance
    from caseload.store.allocation import held_cases

    over = overloaded(team, config.load.zones)
    return plan_rebalance(team, held_cases(db, over, config), config.load, config.allocation)


def moves(proposal) -> list:
    from caseload.domain.plan import Move

    return [Move(m.case, m.source, m.target, "rebalance", m.reason) for m in proposal.moves]
