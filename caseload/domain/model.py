"""The records caseload works with (DESIGN §2), as frozen dataclasses.

Numbers that feed the zone arithmetic (fte, capacity, weights, reductions) are
`Fraction`s built from the user's decimal text, never from a float, so that
110 % is exactly 110 % (DESIGN §3). Dates are `datetime.date`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Mapping

RISKS = ("low", "medium", "high")
RISK_ORDER = {"high": 0, "medium": 1, "low": 2}  # the riskiest first: allocation and the waiting list
CASE_STATUSES = ("waiting", "active", "monitoring", "closed")
OPEN_STATUSES = ("active", "monitoring")  # held by a worker and weighed on their load
INTAKE_STATUSES = ("waiting", "active", "monitoring")
WORKER_ROLES = ("worker", "lead")
WORKER_STATUSES = ("active", "leaving", "left")
HISTORY_KINDS = (
    "intake", "assign", "auto", "self", "reassign", "handover",
    "cover", "return", "rebalance", "close",
)
ALLOCATION_KINDS = ("assign", "auto", "self")  # a case given to someone from the waiting pool
MOVE_KINDS = ("reassign", "handover", "cover", "return", "rebalance")  # a held case changing hands
ARRIVAL_KINDS = ALLOCATION_KINDS + MOVE_KINDS  # every way a case lands on someone's desk
# The arrivals that start a worker's time with a case: "held since", "new in 30 days", the
# tie-break's recent allocations and rebalance's recently allocated cases count from them.
# A return gives a case back to the home worker who held it before the cover: their time
# with it runs on from their own arrival, so a return is a move but no new arrival.
TAKEN_ON_KINDS = tuple(kind for kind in ARRIVAL_KINDS if kind != "return")
NOTE_KINDS = ("note", "contact", "review")
ABSENCE_REASONS = ("leave", "sickness", "training", "other")
REDUCTION_REASONS = (
    "training", "union duties", "newly qualified", "phased return", "project", "other",
)
REDUCTION_KINDS = ("percent", "points")
ZONES = ("blue", "green", "amber", "red")  # in order of rising load
MAX_ZONES = ("green", "amber", "red")  # allocation.max_zone / --max-zone: the worst zone a case may cause


@dataclass(frozen=True)
class ZoneThresholds:
    """Load % boundaries: blue < green_from <= green <= amber_above < amber < red_from <= red."""

    green_from: Fraction = Fraction(95)
    amber_above: Fraction = Fraction(100)
    red_from: Fraction = Fraction(110)


@dataclass(frozen=True)
class LoadRules:
    """Everything the load arithmetic needs from the config (DESIGN §3)."""

    points_per_fte: Fraction = Fraction(100)
    admin_allowance: Fraction = Fraction(1, 10)
    tiers: Mapping[str, Fraction] = field(
        default_factory=lambda: {
            "low": Fraction(3), "medium": Fraction(4), "high": Fraction(6), "intensive": Fraction(9),
        }
    )
    status_factors: Mapping[str, Fraction] = field(
        default_factory=lambda: {"active": Fraction(1), "monitoring": Fraction(1, 2)}
    )
    zones: ZoneThresholds = field(default_factory=ZoneThresholds)
    max_cases_per_fte: Fraction | None = None


@dataclass(frozen=True)
class AllocationRules:
    """How automatic allocation treats areas, recent allocations and overload (DESIGN §4)."""

    area: str = "prefer"  # prefer | require | ignore
    area_bonus: Fraction = Fraction(10)
    recent_days: int = 30
    max_zone: str = "red"  # green | amber | red: the worst zone a case may push its worker into, else it waits


@dataclass(frozen=True)
class Worker:
    id: str
    name: str
    role: str = "worker"
    fte: Fraction = Fraction(1)
    capacity: Fraction | None = None  # an override in points, instead of the fte formula
    max_cases: int | None = None
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    area: str | None = None
    status: str = "active"
    leaving_on: date | None = None
    auto: bool = True
    starts_on: date | None = None  # a new starter: no capacity and no cases before this day

    def started_by(self, on: date) -> bool:
        """In post on `on`: not a new starter whose first day is still to come."""
        return self.starts_on is None or self.starts_on <= on


@dataclass(frozen=True)
class Case:
    id: str
    client: str
    opened_on: date
    summary: str = ""
    tier: str = "medium"
    risk: str = "medium"
    status: str = "waiting"
    needs: tuple[str, ...] = ()
    language: str | None = None
    area: str | None = None
    worker: str | None = None
    home_worker: str | None = None
    cover_until: date | None = None
    requested_worker: str | None = None
    closed_on: date | None = None
    close_reason: str | None = None
    next_review_on: date | None = None
    last_contact_on: date | None = None
    waiting_since: date | None = None  # the day a waiting case entered the pool (domain.waiting)


@dataclass(frozen=True)
class Reduction:
    """A dated cut to a worker's capacity, in percent or in points (DESIGN §2)."""

    id: int
    worker: str
    kind: str  # "percent" | "points"
    amount: Fraction
    reason: str
    starts_on: date
    ends_on: date | None = None

    def state(self, on: date) -> str:
        """`scheduled` before its start, `active` between its dates, `expired` after."""
        if on < self.starts_on:
            return "scheduled"
        if self.ends_on is not None and on > self.ends_on:
            return "expired"
        return "active"

    def ends_within(self, on: date, horizon: date) -> bool:
        """Active on `on` and ending by `horizon` (a reduction "ending soon")."""
        return self.state(on) == "active" and self.ends_on is not None and self.ends_on <= horizon


@dataclass(frozen=True)
class Absence:
    id: int
    worker: str
    starts_on: date
    ends_on: date
    reason: str = "leave"
    cover: str | None = None

    def covers(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on
