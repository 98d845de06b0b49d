"""The planner's explanations (DESIGN §4: every allocation is explained): why a worker
was chosen, how the runner-up compares, who was passed over and why nobody qualifies, in
a team lead's words and the rules' own figures.

`Explanations` is a part of `domain.allocate.Planner` (its base class), kept apart so the
rules and the ranking read on their own; it reads the planner's desks, its qualification
rules (the list of `domain.rules`) and settings, and decides nothing.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from caseload.domain.figures import floor_to, fmt
from caseload.domain.load import zone
from caseload.domain.model import Case
from caseload.domain.placing import AMBER, RED, SAFE, CandidateView, Desk, Request


def _pct(pct: Fraction, places: int) -> str:
    """A load % rounded down to `places` decimals (`pct_text` at one)."""
    return f"{float(floor_to(pct, places)):.{places}f}%"


def _places(a: Fraction | None, b: Fraction | None) -> int:
    """Decimals enough for two different figures not to read alike (one, unless they would)."""
    places = 1
    if a is not None and b is not None and a != b:
        while places < 6 and floor_to(a, places) == floor_to(b, places):
            places += 1
    return places


def said_at_its_turn(reason: str) -> str:
    """A batch's reason as given at its case's turn, said to be that: the loads it cites may
    have changed as later cases were placed."""
    return f"at its turn in the batch: {reason}"


class Explanations:
    """The sentences of `--explain`, a placement's reason and a refusal (a mixin of Planner)."""

    def _limits(self) -> tuple[str, str]:
        zones = self.rules.zones
        return f"{fmt(zones.amber_above)}%", f"{fmt(zones.red_from)}%"

    def _zone_reason(self, chosen: Desk, units: int, tier: int) -> str:
        """Why a case waits although someone qualifies: `allocation.max_zone` (DESIGN §4)."""
        safe, red = self._limits()
        what = f"would go red ({red} or more)" if tier == RED else f"would go above {safe}"
        z = zone(Fraction(chosen.load + units), Fraction(chosen.capacity), self.rules.zones)
        return (f"everyone who can take it {what}: first in line, {chosen.id} would go to "
                f"{self.pct_text(chosen, units)} ({z}), and the max zone is {self.allocation.max_zone}")

    def _adjusted(self, desk: Desk, case: Case, units: int) -> Fraction | None:
        """Rule 3's figure: the exact load % after, less the area bonus when it applies."""
        pct = self._exact_pct(desk, units)
        if pct is None:
            return None
        return pct - self.bonus if self.area_match(desk, case) else pct

    def _figure(self, desk: Desk, case: Case, units: int, places: int) -> str:
        """Rule 3's figure in words: "75.0% less the 10-point area bonus for north = 65.0%"."""
        pct = self._exact_pct(desk, units)
        if pct is None:
            return "n/a (capacity 0)"
        if self.area_match(desk, case):
            return (f"{_pct(pct, places)} less the {fmt(self.bonus)}-point area bonus for {case.area} = "
                    f"{_pct(pct - self.bonus, places)}")
        return _pct(pct, places)

    def reason_in_plan(self, request: Request, holder: str, excluded: set[str], at_turn: str) -> str:
        """Why the case of `request` is with `holder` in a finished batch plan, true of that
        plan: weighed again with the loads the plan leaves (the case taken off its holder),
        the holder's and the runner-up's figures are the final ones. A batch places its cases
        in turn (high risk, then heavier, first) and then moves cases away from the highest
        load %, so a reason given at a case's turn can cite loads that later placements
        changed (and history keeps the reason). When the rules, weighing it again, would
        rank someone else first, the reason of its turn stays, said to be that (`at_turn`)."""
        case, desk = request.case, self.desks[holder]
        units = self.weight_units(request.weight)
        desk.load, desk.cases, desk.recent = desk.load - units, desk.cases - 1, desk.recent - 1
        try:
            qualified = self._qualified(case, excluded)
            preferred = self._preferred(request, qualified, units)
            if preferred is not None:
                if preferred[0] is desk:
                    return f"{preferred[1]}, stays at {self.pct_text(desk, units)}"
            else:
                ranked = self.first_two(qualified, case, units)
                if ranked and ranked[0] is desk:
                    return self._why(case, units, ranked, excluded, request)
            return said_at_its_turn(at_turn)
        finally:
            desk.load, desk.cases, desk.recent = desk.load + units, desk.cases + 1, desk.recent + 1

    def _why(self, case: Case, units: int, ranked: list[Desk], excluded: set[str], request: Request) -> str:
        """The reason for a choice by rules 1, 3 and 4: each sentence true, with the chosen
        worker's and the runner-up's figures in the rules' own terms."""
        chosen = ranked[0]
        runner = ranked[1] if len(ranked) > 1 else None
        tier = chosen.tier_with(units)
        safe, red = self._limits()
        parts = []
        if tier == AMBER:
            parts.append(f"everyone qualified would go above {safe}")
        elif tier == RED:
            parts.append(f"everyone qualified would go above {safe}, all to {red} or more (red)")
        parts.extend(self._passed_over(case, units, chosen, excluded, request))
        after = self.pct_text(chosen, units)
        if runner is None:
            parts.append(f"the only one who qualifies, goes to {after}")
        elif runner.tier_with(units) > tier:
            beyond = f"above {safe}" if runner.tier_with(units) == AMBER else f"to {red} or more (red)"
            within = f"at or below {safe}" if tier == SAFE else f"below {red} (amber, not red)"
            named = runner.id in (case.requested_worker, request.previous)  # said above already
            parts.append(f"the only one who stays {within}, goes to {after}" + (
                "" if named else f" (next {runner.id} would go {beyond}: {self.pct_text(runner, units)})"))
        else:
            parts.append(self._versus(case, units, chosen, runner))
        return "; ".join(parts)

    def _versus(self, case: Case, units: int, chosen: Desk, runner: Desk) -> str:
        """Rules 3 and 4 between the chosen worker and the runner-up, in the same zone tier."""
        mine, theirs = self._adjusted(chosen, case, units), self._adjusted(runner, case, units)
        places = _places(mine, theirs)
        first, second = self._figure(chosen, case, units, places), self._figure(runner, case, units, places)
        if mine != theirs:
            return f"lowest load after: {first} (next {runner.id}: {second})"
        figures = f"{chosen.id} {first}, {runner.id} {second}"
        days = self.allocation.recent_days
        if chosen.recent != runner.recent:
            return (f"tied with {runner.id} on load after ({figures}); fewer cases allocated in the last "
                    f"{days} days ({chosen.recent} vs {runner.recent})")
        return (f"tied with {runner.id} on load after ({figures}) and on cases allocated in the last {days} "
                f"days ({chosen.recent} each); first by id")

    def _passed_over(self, case: Case, units: int, chosen: Desk, excluded: set[str], request: Request) -> list[str]:
        """Why the requested and the previous worker (rule 2) did not get the case."""
        said = []
        named = [(case.requested_worker, "requested worker"), (request.previous, "previous worker")]
        if case.requested_worker is not None and case.requested_worker == request.previous:
            named = [(case.requested_worker, "requested and previous worker")]
        for preferred, label in named:
            if preferred is None or preferred == chosen.id:
                continue
            desk = self.desks.get(preferred)
            if desk is None:
                said.append(f"{label} {preferred} does not qualify (not on the team)")
                continue
            failed = "is the worker the case is leaving" if preferred in excluded else self.failed_rule(desk, case)
            if failed is not None:
                said.append(f"{label} {preferred} does not qualify ({preferred} {failed})")
            else:
                said.append(f"{label} {preferred} would go to {self.pct_text(desk, units)}, above "
                            f"{self._limits()[0]}")
        return said

    def _views(self, units: int, failures: dict[str, str], order: Sequence[Desk]) -> tuple[CandidateView, ...]:
        """`--explain`'s lines: the qualified in the rules' order, then the others by id."""
        views = []
        ranked = [d.id for d in order]
        for worker_id in ranked + [w for w in self.order if w in failures]:
            desk = self.desks[worker_id]
            after = self._exact_pct(desk, units)
            starting = desk.candidate.starts_on is not None  # not in post yet: no capacity, so no zone
            views.append(CandidateView(
                worker_id, worker_id not in failures, failures.get(worker_id),
                self._exact_pct(desk, 0), after,
                None if starting else zone(Fraction(desk.load + units), Fraction(desk.capacity), self.rules.zones),
                desk.candidate.protected_until,
            ))
        return tuple(views)

    def nobody_reason(self, case: Case, failures: dict[str, str], excluded: set[str]) -> str:
        """Why nobody qualifies, in a team lead's words: "nobody speaks pl",
        "only asha has housing, and asha is at the cap (20 cases)": what the case asks for
        (the rules `asked_by_the_case`), then why those who have it are unavailable."""
        asked = [rule for rule in self.qualification.all if rule.asked_by_the_case]
        wants = [want for rule in asked for want in rule.wants(case)]
        fits = [worker_id for worker_id in self.order if worker_id not in excluded
                and all(rule.fails(self.desks[worker_id], case) is None for rule in asked)]
        if not self.desks or len(excluded) == len(self.desks):
            return "nobody else is on the team"
        if not fits:
            return "nobody " + " and ".join(wants) if wants else "nobody qualifies"
        described = " and ".join(wants) if wants else "is otherwise free"
        if len(fits) == 1:
            return f"only {fits[0]} {described}, and {fits[0]} {failures[fits[0]]}"
        if len(fits) <= 3:  # several of them: "only ben, ewa have benefits"
            return f"only {', '.join(fits)} {_plural_verbs(described)}: " + "; ".join(f"{w} {failures[w]}" for w in fits)
        return f"the {len(fits)} workers who {_plural_verbs(described)} are all unavailable (" + "; ".join(
            f"{w} {failures[w]}" for w in fits[:3]) + "; …)"


_PLURAL = {"has": "have", "speaks": "speak", "works": "work", "is": "are"}


def _plural_verbs(described: str) -> str:
    """What the rules ask ("has housing and speaks pl") said of several workers: each verb
    after "and" too ("have housing and speak pl")."""
    words = described.split()
    return " ".join(_PLURAL.get(word, word) if previous in ("", "and") else word
                    for previous, word in zip(["", *words], words))
