"""New starters' protected caseload (DESIGN §2, "New starters"): with the config's
`starters.protected_percent` and `starters.protected_weeks` set (off by default), every
new starter gets a scheduled capacity reduction, reason `newly qualified`, of that
percent, from their first day (`starts_on`) for that many weeks: the protected caseload
practice guidance gives people in their first months (without it, the issue that asked for
this saw a new starter take all eleven waiting cases on their first day, as the least
loaded worker). It is an ordinary reduction, shown by `worker reductions` and ended with
`worker reduce ID --end N` like any other; so automatic allocation (assign --auto, intake
--assign auto, rebalance, handover --auto) sees the smaller capacity, and a case given by
hand is allowed with a warning (`protected_until`, which `--explain` shows too). Any
active `newly qualified` reduction counts as a protected caseload there, one recorded by
hand for someone newly qualified who is not a new starter included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Iterable

from caseload.domain.model import Reduction, Worker

PROTECTED_REASON = "newly qualified"


@dataclass(frozen=True)
class StarterRules:
    """`starters.protected_percent` (the cut, 0 < p <= 100) and `starters.protected_weeks`;
    both None: off."""

    protected_percent: Fraction | None = None
    protected_weeks: int | None = None

    @property
    def on(self) -> bool:
        return self.protected_percent is not None and self.protected_weeks is not None


def protected_caseload(worker: Worker, existing: Iterable[Reduction], rules: StarterRules) -> Reduction | None:
    """The reduction a new starter is due (id 0: not stored yet), or None: the rule is off,
    the worker has no first day, or already has a `newly qualified` reduction from it (an
    imported team brings its own; a start day set twice gives one)."""
    if not rules.on or worker.starts_on is None:
        return None
    if any(r.reason == PROTECTED_REASON and r.starts_on == worker.starts_on for r in existing):
        return None
    last = worker.starts_on + timedelta(weeks=rules.protected_weeks) - timedelta(days=1)
    return Reduction(0, worker.id, "percent", rules.protected_percent, PROTECTED_REASON, worker.starts_on, last)


def protected_until(reductions: Iterable[Reduction], on: date) -> date | None:
    """The last day of the protected caseload a worker is on on `on` (their active
    `newly qualified` reductions; one without an end: date.max), or None."""
    ends = [r.ends_on or date.max for r in reductions if r.reason == PROTECTED_REASON and r.state(on) == "active"]
    return max(ends) if ends else None
