"""The waiting list (DESIGN §2): the people nobody is working with yet, the biggest
safeguarding risk a small team carries.

A waiting case has `waiting_since`, the day it entered the pool: its opening day, or
the day it went back (a closed case reopened when its worker is leaving or gone). From
that day:

- its **first contact** is due `first_contact_days[risk]` days later (defaults high 2,
  medium 7, low 14). It is **overdue** (`contact_overdue`) once that day has passed
  with no contact since `waiting_since`: due on day 2, overdue on day 3.
- a **check-in** is due every `check_in_days` days (default 14), counted from its last
  contact since it entered the pool, else from `waiting_since`. It is **unchecked**
  (`check_in_overdue`) once that day has passed.

A contact (`note --contact`, which sets `last_contact_on`) on a waiting case is a
check-in, and its first contact. A contact made before the case (re-)entered the pool
counts for neither: it was made by the worker who held it, not while it waited.

The pool is ordered by priority (DESIGN §2): high risk first, then the earliest
first-contact deadline, then the longest wait, then the case id. The zone review's
attention list and the report's waiting list keep that order: the cases that need
someone now (first contact overdue or check-in overdue) first, in priority order, so a
high-risk case is never below a low-risk one that is merely later with its paperwork.

Allocation ends the wait: a case that is not waiting has no `waiting_since` (the
store clears it, and the schema refuses one on a held case), so its flags go with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

from caseload.domain.dates import plus_days
from caseload.domain.model import RISK_ORDER, Case



@dataclass(frozen=True)
class WaitingRules:
    """`waiting.first_contact_days` (by risk) and `waiting.check_in_days` of the config."""

    first_contact_days: Mapping[str, int] = field(default_factory=lambda: {"high": 2, "medium": 7, "low": 14})
    check_in_days: int = 14


@dataclass(frozen=True)
class Waiting:
    """A waiting case as the pool sees it on a day."""

    case: Case
    waiting_since: date
    waited_days: int
    first_contact_due: date
    contacted_on: date | None  # the last contact since it entered the pool; None: none yet
    check_in_due: date
    contact_overdue: bool  # its first-contact deadline has passed with no contact
    check_in_overdue: bool  # no check-in for longer than the check-in interval

    @property
    def deadline(self) -> date:
        """The next thing due: the first contact while there has been none, else the next
        check-in (whichever is earlier, whatever the config's numbers)."""
        if self.contacted_on is None:
            return min(self.first_contact_due, self.check_in_due)
        return self.check_in_due

    @property
    def needs_attention(self) -> bool:
        return self.contact_overdue or self.check_in_overdue


def entered_pool(case: Case) -> date:
    """The day a waiting case entered the pool; a case stored without one entered it when it opened."""
    return case.waiting_since or case.opened_on


def waiting(case: Case, on: date, rules: WaitingRules) -> Waiting:
    """Where one waiting case stands on `on`."""
    since = entered_pool(case)
    contact = case.last_contact_on
    contacted = contact if contact is not None and contact >= since else None
    first_due = plus_days(since, rules.first_contact_days[case.risk])  # far stored dates stay in the calendar
    check_in_due = plus_days(contacted or since, rules.check_in_days)
    return Waiting(
        case=case, waiting_since=since, waited_days=max(0, (on - since).days), first_contact_due=first_due,
        contacted_on=contacted, check_in_due=check_in_due,
        contact_overdue=contacted is None and on > first_due,
        check_in_overdue=on > check_in_due,
    )


def priority(entry: Waiting) -> tuple:
    """High risk first, then the earliest first-contact deadline, then the longest wait, then the id."""
    return (RISK_ORDER.get(entry.case.risk, len(RISK_ORDER)), entry.first_contact_due, entry.waiting_since,
            entry.case.id)


def pool(cases: Iterable[Case], on: date, rules: WaitingRules) -> list[Waiting]:
    """The waiting cases in priority order, each with its deadlines and flags on `on`."""
    return sorted((waiting(c, on, rules) for c in cases if c.status == "waiting"), key=priority)


def attention_first(entries: Iterable[Waiting]) -> list[Waiting]:
    """The pool for an attention list: the cases that need someone now (first contact or
    check-in overdue), then the rest, each group in priority order (risk first)."""
    return sorted(entries, key=lambda e: (not e.needs_attention, priority(e)))


def opening_moved(case: Case, opened_on: date) -> date | None:
    """`update --opened` on a waiting case: a wait that started when the case opened starts
    on the corrected opening day; one that started later (it went back to the pool) stays."""
    if case.status != "waiting":
        return None
    if case.waiting_since is None or case.waiting_since == case.opened_on:
        return opened_on
    return case.waiting_since
