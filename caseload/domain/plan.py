"""Plans: what the domain decides and the store executes in one transaction.

A plan is a list of `Move`s, each a change of responsibility for one case with
the reason a team lead will read in history. Nothing here touches the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Move:
    case: str
    previous: str | None  # who holds it now (None: waiting); checked again when executed
    to: str
    kind: str  # a history kind: assign, auto, self, reassign, handover, cover, return, rebalance
    reason: str | None = None
    status: str = "active"  # the status a waiting case takes; a held case keeps its own
    home_worker: str | None = None  # set for temporary cover
    cover_until: date | None = None
