"""Who may take a case: the qualification rules of DESIGN §4, one object each, in order.

`RULES` is the one list the planner (`domain.allocate`), the batch (`domain.batch`) and
the explanations (`domain.explain`) read: a worker qualifies for a case when no rule
fails; `--explain` names the first rule that fails, in the order of the list; by hand
(`Planner.take`) the lead is warned of every rule that fails. A rule is
- `name`: which rule it is (the words of DESIGN §4: skills, language, absent, ...);
- `case_fields`: the `Case` fields it reads;
- `worker_fields`: what it reads of the worker as the planner sees them: the `Worker`'s
  fields, the day's figures on the `Candidate` (`absent_until`, `starts_on`, `cap`) and
  the running figures of the `Desk` (`cases`, see `PLAN_STATE`);
- `fails(desk, case, by_hand)`: None when the worker passes, else the failure in a lead's
  words ("lacks housing", "is at the cap (20 cases)"), which `--explain`, a case left
  waiting and the by-hand warnings print as they are;
- `keep(desks, case)`: `fails` for many workers at once, the planner's filter (a rule may
  do it faster, never differently: a test holds the two equal).

The cache. A planner works on one day, so a worker's rules change only through what the
plan itself changes: the `Desk`'s running figures (`PLAN_STATE`: a count cap fills as
cases are placed). A rule that reads none of them (a *fixed* rule) gives the same answer
for every case alike in its `case_fields`, so the planner caches the workers who pass
every fixed rule under the values of the union of their `case_fields`
(`Planner.static_fit`). A rule whose `worker_fields` name a running figure *follows the
plan* and is never cached: it is asked afresh for every case (today the count cap only;
a batch's swap, which keeps every count, asks only those reading more than the count).
Absences and start dates are figures of the day (`Candidate`), fixed for a planner: the
forecast, which looks at other days, makes a planner per day. So a new rule that reads
another case field (risk, say) is cached correctly as soon as it names that field, and
one that reads the running load is kept out of the cache by naming it: adding a rule
touches that rule and its test, nothing else.

A rule may apply only under some settings (`applies`): the area rule counts only with
`allocation.area: require`. A rule about what the case asks for (`asked_by_the_case`:
skills, language, area) also says it in words (`wants`), for "nobody speaks pl".
"""

from __future__ import annotations

from operator import attrgetter
from typing import Iterator, Sequence

from caseload.domain.model import AllocationRules, Case
from caseload.domain.placing import Desk

PLAN_STATE = frozenset({"cases", "load", "recent", "received"})  # the Desk figures placing a case changes


def and_list(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class Rule:
    """One qualification rule (see the module docstring); stateless, so one object serves every planner."""

    __slots__ = ()
    name: str = ""
    case_fields: tuple[str, ...] = ()
    worker_fields: tuple[str, ...] = ()
    asked_by_the_case = False

    @property
    def follows_the_plan(self) -> bool:
        """Reads a figure placing cases changes, so no cache may hold its answer."""
        return not PLAN_STATE.isdisjoint(self.worker_fields)

    def applies(self, allocation: AllocationRules) -> bool:
        """Whether the rule counts under these settings."""
        return True

    def fails(self, desk: Desk, case: Case, by_hand: bool = False) -> str | None:
        """None when the worker passes this rule for this case, else the failure in a lead's words."""
        raise NotImplementedError

    def keep(self, desks: list[Desk], case: Case) -> list[Desk]:
        """The desks that pass this rule for this case, in order (the planner's filter for many
        workers at once: a rule may do it faster, never differently)."""
        fails = self.fails
        return [d for d in desks if fails(d, case) is None]

    def wants(self, case: Case) -> list[str]:
        """What the case asks of a worker under this rule, in words ("has housing"); [] if nothing."""
        return []

    def __repr__(self) -> str:
        return f"<rule {self.name}>"


class Active(Rule):
    """Active: not leaving, not left."""

    __slots__ = ()
    name = "active"
    worker_fields = ("status", "leaving_on")

    def fails(self, desk, case, by_hand=False):
        w = desk.candidate.worker
        if w.status != "active":
            return "has left" if w.status == "left" else f"is leaving on {w.leaving_on}"
        return None


class TakesAutomatic(Rule):
    """Takes automatic allocations; by hand this is no failing (it is how a lead takes a case)."""

    __slots__ = ()
    name = "auto"
    worker_fields = ("auto",)

    def fails(self, desk, case, by_hand=False):
        if not by_hand and not desk.candidate.worker.auto:
            return "takes no automatic allocations"
        return None


class Present(Rule):
    """Not absent on the day."""

    __slots__ = ()
    name = "absent"
    worker_fields = ("absent_until",)

    def fails(self, desk, case, by_hand=False):
        if desk.candidate.absent_until is not None:
            return f"is absent until {desk.candidate.absent_until}"
        return None


class Started(Rule):
    """Has started: a new starter qualifies from their first day."""

    __slots__ = ()
    name = "started"
    worker_fields = ("starts_on",)

    def fails(self, desk, case, by_hand=False):
        if desk.candidate.starts_on is not None:
            return f"starts on {desk.candidate.starts_on}"
        return None


class Skills(Rule):
    """Has every skill the case needs."""

    __slots__ = ()
    name = "skills"
    case_fields = ("needs",)
    worker_fields = ("skills",)
    asked_by_the_case = True

    def fails(self, desk, case, by_hand=False):
        skills = desk.candidate.worker.skills
        missing = [skill for skill in case.needs if skill not in skills]
        return f"lacks {and_list(missing)}" if missing else None

    def wants(self, case):
        return [f"has {skill}" for skill in case.needs]


class Language(Rule):
    """Speaks the case's language, if it has one."""

    __slots__ = ()
    name = "language"
    case_fields = ("language",)
    worker_fields = ("languages",)
    asked_by_the_case = True

    def fails(self, desk, case, by_hand=False):
        if case.language and case.language not in desk.candidate.worker.languages:
            return f"does not speak {case.language}"
        return None

    def wants(self, case):
        return [f"speaks {case.language}"] if case.language else []


class CountCap(Rule):
    """Below the count cap. By hand it reads as where the worker would be with the case.
    It follows the plan: the count grows as cases are placed."""

    __slots__ = ()
    name = "cap"
    worker_fields = ("cap", "cases")

    def fails(self, desk, case, by_hand=False):
        cap = desk.candidate.cap
        if cap is None or desk.cases < cap:
            return None
        if by_hand:
            return f"would be over the cap of {cap} case{'s' if cap != 1 else ''}"
        if desk.cases == cap:
            return f"is at the cap ({cap} cases)"
        return f"is over the cap ({desk.cases} cases, cap {cap})"

    def keep(self, desks, case):
        # asked for every worker on every case of a batch: one inline test, not a call per worker
        return [d for d in desks if d.candidate.cap is None or d.cases < d.candidate.cap]


class InArea(Rule):
    """Works in the case's area, when `allocation.area` is `require`."""

    __slots__ = ()
    name = "area"
    case_fields = ("area",)
    worker_fields = ("area",)
    asked_by_the_case = True

    def applies(self, allocation):
        return allocation.area == "require"

    def fails(self, desk, case, by_hand=False):
        area = desk.candidate.worker.area
        if case.area and area != case.area:
            return f"works in {area or 'no area'}, not {case.area}"
        return None

    def wants(self, case):
        return [f"works in {case.area}"] if case.area else []


RULES: tuple[Rule, ...] = (
    Active(), TakesAutomatic(), Present(), Started(), Skills(), Language(), CountCap(), InArea(),
)


class Qualification:
    """The rules in force under one planner's settings, in order: the fixed ones, whose
    answers a planner may cache under `key(case)` (the values of the case fields they
    read), and the live ones, which follow the plan and are asked afresh."""

    def __init__(self, rules: Sequence[Rule], allocation: AllocationRules):
        self.all = tuple(r for r in rules if r.applies(allocation))
        self.fixed = tuple(r for r in self.all if not r.follows_the_plan)
        self.live = tuple(r for r in self.all if r.follows_the_plan)
        # a swap gives a case for each one taken, so every count stays: only live rules
        # that read more of the plan than the count are asked in a swap
        self.in_swap = tuple(r for r in self.live if not PLAN_STATE.intersection(r.worker_fields) <= {"cases"})
        self.case_fields = tuple(sorted({f for r in self.fixed for f in r.case_fields}))
        self.key = attrgetter(*self.case_fields) if self.case_fields else _every_case_alike

    @staticmethod
    def unmet(desk: Desk, case: Case, among: Sequence[Rule], by_hand: bool = False) -> Iterator[str]:
        """The rules `among` these (`all`, `fixed` or `live`) this worker fails for this case,
        in order, in a lead's words."""
        for rule in among:
            failed = rule.fails(desk, case, by_hand)
            if failed is not None:
                yield failed

    def passes_live(self, desk: Desk, case: Case, swap: bool = False) -> bool:
        """The worker passes the live rules (the count cap) as the plan stands; in a `swap`,
        those a swap can change."""
        for rule in self.in_swap if swap else self.live:
            if rule.fails(desk, case) is not None:
                return False
        return True


def _every_case_alike(case: Case) -> tuple:
    """The cache key when no fixed rule reads the case."""
    return ()
