"""What placing a case works with (DESIGN §4): a worker as the planner sees them on the
day (`Candidate`), a case to place (`Request`), where it went and why (`Placement`, with
`--explain`'s lines, `CandidateView`), and a worker's running state while a plan is made
(`Desk`, in scaled integers, compared exactly: `Exact`; rule 1's tiers SAFE, AMBER, RED).

Values only, shared by the rules (`domain.rules`), the planner (`domain.allocate`), the
batch (`domain.batch`) and the explanations (`domain.explain`), so none of those imports
another in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from caseload.domain.model import Case, Worker

SAFE, AMBER, RED = 0, 1, 2  # rule 1's tiers: where a worker ends with the case (blue/green, amber, red)
INFINITE = float("inf")


class Exact:
    """The rational n/d, compared exactly by integer cross-multiplication (d > 0; d == 0 is +infinity)."""

    __slots__ = ("n", "d")

    def __init__(self, n: int, d: int):
        self.n, self.d = n, d

    def __eq__(self, other) -> bool:
        return self.n * other.d == other.n * self.d

    def __lt__(self, other) -> bool:
        return self.n * other.d < other.n * self.d

    def __le__(self, other) -> bool:
        return self.n * other.d <= other.n * self.d

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Exact({self.n}, {self.d})"


@dataclass(frozen=True)
class Candidate:
    """A worker as the planner sees them on the day."""

    worker: Worker
    load: Fraction
    capacity: Fraction
    cases: int
    cap: int | None = None
    absent_until: object = None  # a date when absent on the day, else None
    recent: int = 0  # cases received in the recent window
    starts_on: object = None  # a date when a new starter has not started on the day, else None
    protected_until: object = None  # the last day of a new starter's protected caseload they are on (domain.starters)


@dataclass(frozen=True)
class Request:
    """A case to place, with the weight it will carry once held."""

    case: Case
    weight: Fraction
    previous: str | None = None  # the worker who held it (or the client's last case) before


@dataclass(frozen=True)
class CandidateView:
    """One line of `--explain`: a candidate's standing for one case. `Placement.candidates`
    lists the qualified first, in the order of the single-case rules (the first is the
    rules' choice), then the others by id."""

    worker: str
    qualified: bool
    failed_rule: str | None
    pct_before: Fraction | None
    pct_after: Fraction | None
    zone_after: str | None  # None: a new starter who has not started (no capacity, no zone)
    protected_until: object = None  # a new starter's protected caseload (a smaller capacity) ends on this day


@dataclass(frozen=True)
class Placement:
    case: str
    worker: str | None  # None: stays waiting
    previous_holder: str | None
    reason: str
    candidates: tuple[CandidateView, ...] = ()
    continuity: bool = False  # placed by request or continuity: a batch's improvement leaves it put
    over_max_zone: bool = False  # waiting although someone qualifies: they would all go past allocation.max_zone


@dataclass(eq=False)
class Desk:
    """A candidate's running state during planning, in scaled integers."""

    candidate: Candidate
    load: int
    capacity: int
    cases: int
    recent: int
    received: list[str] = field(default_factory=list)
    id: str = ""
    area: str | None = None
    safe_limit: int = 0  # the most load that is still at or below 100 % (exact)
    red_limit: int = 0  # the most load that is still below red (exact)

    def pct_with(self, extra: int) -> float:
        """Load % with `extra` more load, correctly rounded (ordered like `exact_with`, ties aside)."""
        if self.capacity == 0:
            return 0.0 if self.load + extra == 0 else INFINITE
        return (self.load + extra) * 100 / self.capacity

    def exact_with(self, extra: int) -> Exact:
        """Load % with `extra` more load, exactly."""
        if self.capacity == 0:
            return Exact(0, 1) if self.load + extra == 0 else Exact(1, 0)
        return Exact((self.load + extra) * 100, self.capacity)

    def tier_with(self, extra: int) -> int:
        """Rule 1's tier with `extra` more load: SAFE (<= 100 %), AMBER (below red) or RED, exactly."""
        total = self.load + extra
        if total <= self.safe_limit:
            return SAFE
        if (total <= self.red_limit) if self.capacity else total == 0:
            return AMBER
        return RED

