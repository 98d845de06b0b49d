"""The capacity runway (DESIGN §10): the team as seen on each Monday of the coming weeks,
from what is already known, and the earliest week someone has room for a waiting case.

Every figure is the zone review's own (`KnownTeam.on(day).figures`, the arithmetic of
`zone-review --on`): absences and reductions on the day, covers that have ended counted
on the home worker, leavers with no capacity and their cases still to hand over (never
silently moved), new starters from their first day. Nothing is invented: no intake, no
closures, no allocations between the weeks.

**Headroom** on a day: the points below 100 % (the amber threshold) summed over the
workers who take automatic allocations on that day (auto, active, in post; absence
does not count against it: it is room for when they are back), and the cases of the
default tier that fit in it, worker by worker (a case is not split between desks) and
within each one's count cap.

**Events** of a week (Monday to Sunday, the first week from today): away (in the first
week also an absence already begun: "away until ..."), back from an absence, a reduction starting or ending, leaving, starting, covers ending (cases going
home). Their effect shows on the next Monday's figures. A cover already past its end
is due home at once: the first week says so.

**A case** (`earliest_fit`): the first Monday on which `Planner.choose` — what `assign
CASE --auto` does on that day — places it on a worker who stays at or below 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Sequence

from caseload.domain.allocate import Planner
from caseload.domain.candidates import team_candidates
from caseload.domain.dates import plus_days
from caseload.domain.figures import fmt, ratio_sum
from caseload.domain.load import case_weight, load_pct, zone
from caseload.domain.model import LoadRules, Worker
from caseload.domain.review import KnownTeam, WorkerFigures, exact_sum

MAX_WEEKS = 52
DEFAULT_WEEKS = 8
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BACK_FROM = {"leave": "leave", "sickness": "sickness absence", "training": "training", "other": "absence"}


def short_day(day: date) -> str:
    """"Thu 26 Nov": a day in an event, whatever the locale."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def mondays(today: date, weeks: int) -> list[date]:
    """The Mondays of the next `weeks` weeks: the first is today when today is a Monday."""
    first = today + timedelta(days=(7 - today.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range(weeks)]


@dataclass(frozen=True)
class WorkerWeek:
    """A worker on one Monday: their zone review figures (None when not in the review that
    day: not started yet, or gone with nothing to hand over) and the week's events."""

    on: date
    figures: WorkerFigures | None
    events: tuple[str, ...] = ()

    @property
    def capacity(self) -> Fraction:
        return self.figures.capacity if self.figures else Fraction(0)

    @property
    def load(self) -> Fraction:
        return self.figures.load if self.figures else Fraction(0)

    @property
    def load_pct(self) -> Fraction | None:
        return self.figures.load_pct if self.figures else None

    @property
    def zone(self) -> str | None:
        return self.figures.zone if self.figures else None


@dataclass(frozen=True)
class TeamWeek:
    on: date
    capacity: Fraction
    load: Fraction
    load_pct: Fraction | None
    zone: str
    headroom: Fraction
    headroom_cases: int


@dataclass(frozen=True)
class CaseFit:
    """The answer for `--case`: the first Monday and the worker, or why not within the weeks."""

    case: str
    on: date | None
    worker: str | None
    load_pct_after: Fraction | None
    reason: str


@dataclass(frozen=True)
class Forecast:
    today: date
    weeks: tuple[date, ...]
    workers: tuple[tuple[Worker, tuple[WorkerWeek, ...]], ...]  # by id
    team: tuple[TeamWeek, ...]
    default_tier: str
    default_weight: Fraction  # the points of an active case of the default tier: "room, cases" counts these
    fit: CaseFit | None = None
    what_if: "Forecast | None" = None  # the same weeks under another tier table (--weights FILE)


def takes_automatic(worker: Worker, on: date) -> bool:
    """Counted in the headroom: takes automatic allocations, active (not leaving or gone), in post."""
    return worker.auto and worker.status == "active" and worker.started_by(on)


def headroom(figures: Sequence[WorkerFigures], rules: LoadRules, weight: Fraction, on: date) -> tuple[Fraction, int]:
    """(points below 100 %, cases of `weight` that fit) among those who take automatic allocations."""
    # in integers: room = capacity x amber / 100 - load as top / bottom, summed by
    # `ratio_sum` (the same exact figures, without four Fractions per worker per week)
    amber = rules.zones.amber_above
    a_top, a_bottom = amber.numerator, amber.denominator
    w_top, w_bottom = weight.numerator, weight.denominator
    rooms, cases = [], 0
    for f in figures:
        if not takes_automatic(f.worker, on):
            continue
        capacity, load = f.capacity, f.load
        l_top, l_bottom = load.numerator, load.denominator
        c_bottom = capacity.denominator * a_bottom * 100
        top = capacity.numerator * a_top * l_bottom - l_top * c_bottom
        if top <= 0:
            continue
        bottom = c_bottom * l_bottom
        rooms.append((top, bottom))
        fits = (top * w_bottom) // (bottom * w_top) if weight > 0 else 0
        if f.cap is not None:
            fits = min(fits, max(f.cap - f.cases, 0))
        cases += fits
    return ratio_sum(rooms), cases


def week_events(known: KnownTeam, worker: Worker, start: date, end: date, first_week: bool,
                held: int) -> list[str]:
    """What happens to `worker` from `start` to `end` (both included), in a lead's words.
    `held`: the cases on their desk that week (for a leaver's handover)."""
    found: list[tuple[date, str]] = []

    def within(day: date | None) -> bool:
        return day is not None and start <= day <= end

    for absence in known.absences.get(worker.id, ()):
        if first_week and absence.covers(known.today):  # already away: their figures are not room today
            found.append((known.today, f"away until {short_day(absence.ends_on)} ({absence.reason})"))
        if within(absence.starts_on) and absence.starts_on > known.today:
            found.append((absence.starts_on, f"away from {short_day(absence.starts_on)} ({absence.reason})"))
        back = plus_days(absence.ends_on, 1)  # a stored 9999-12-31 stays in the calendar
        if within(back):
            found.append((back, f"back from {BACK_FROM.get(absence.reason, 'absence')} {short_day(back)}"))
    for cut in known.reductions.get(worker.id, ()):
        if within(cut.starts_on) and cut.starts_on > known.today:
            found.append((cut.starts_on, f"reduction starts {short_day(cut.starts_on)}"))
        if within(cut.ends_on):
            found.append((cut.ends_on, f"reduction ends {short_day(cut.ends_on)}"))
    if within(worker.starts_on):
        found.append((worker.starts_on, f"starts {short_day(worker.starts_on)}"))
    if worker.status == "leaving" and within(worker.leaving_on):
        found.append((worker.leaving_on, f"leaves {short_day(worker.leaving_on)}"
                      + (f": {held} case(s) to hand over" if held else "")))
    homing: dict[tuple[str, str, date], int] = {}
    for cover in known.covers:
        if worker.id in (cover.home, cover.holder) and (within(cover.until) or (first_week and cover.until < start)):
            key = (cover.home, cover.holder, cover.until)
            homing[key] = homing.get(key, 0) + 1
    for (home, holder, until), n in sorted(homing.items(), key=lambda item: item[0][2]):
        verb = "ended" if until < known.today else "ends"
        where = "home" if worker.id == home else f"back to {home}"
        due = " due" if until < known.today else ""
        found.append((until, f"cover {verb} {short_day(until)}: {n} case(s){due} {where}"))
    return [text for _day, text in sorted(found, key=lambda item: item[0])]


def forecast(known: KnownTeam, days: Sequence[date], rules: LoadRules, default_tier: str) -> Forecast:
    """The team on each of `days` (Mondays from `known.first`), each worker's week with its events,
    and the team's capacity, load and headroom."""
    weight = case_weight(default_tier, "active", rules)
    by_worker: dict[str, list[WorkerWeek]] = {}
    workers = {w.id: w for w in known.workers}
    team_weeks = []
    gone: set[str] = set()
    memo: dict = {}  # a worker's figures, reused while nothing they depend on changes
    for index, day in enumerate(days):
        team = known.on(day, arrivals=False)  # the grid shows no "new in 30 days"
        figures, _starting = team.figures(rules, memo)
        seen = {f.worker.id: f for f in figures}
        start = known.today if index == 0 else day
        for worker in known.workers:
            mine = seen.get(worker.id)
            events = week_events(known, worker, start, day + timedelta(days=6), index == 0, mine.cases if mine else 0)
            if mine is not None and mine.worker.status == "gone" and worker.id not in gone:
                gone.add(worker.id)  # said once, in the first week they are gone; the grid says "left" after
                events.append(f"left {short_day(worker.leaving_on)}: {mine.cases} case(s) still to hand over")
            by_worker.setdefault(worker.id, []).append(WorkerWeek(day, mine, tuple(events)))
        load = exact_sum([f.load for f in figures])
        capacity = exact_sum([f.capacity for f in figures])
        room, room_cases = headroom(figures, rules, weight, day)
        team_weeks.append(TeamWeek(day, capacity, load, load_pct(load, capacity), zone(load, capacity, rules.zones),
                                   room, room_cases))
    # in the forecast: whoever the zone review shows on one of the days, and new starters
    rows = [(workers[w], tuple(weeks)) for w, weeks in sorted(by_worker.items())
            if any(week.figures is not None for week in weeks) or workers[w].starts_on is not None
            and workers[w].starts_on > known.today]
    return Forecast(known.today, tuple(days), tuple(rows), tuple(team_weeks), default_tier, weight)


def earliest_fit(known: KnownTeam, days: Sequence[date], request, rules: LoadRules, allocation) -> CaseFit:
    """The first of `days` on which the single-case rules (`Planner.choose`, as `assign CASE
    --auto` on that day) place `request` on a worker who stays at or below 100 %; else why not
    on the last day."""
    reason = "no week to look at"
    for day in days:
        planner = Planner(team_candidates(known.on(day), rules), rules, allocation)
        placement = planner.choose(request)
        if placement.worker is not None:
            desk = planner.desks[placement.worker]
            if planner.stays_safe(desk, 0):
                after = load_pct(planner.load_of(desk.id), planner.capacity_of(desk.id))
                return CaseFit(request.case.id, day, placement.worker, after, placement.reason)
            reason = (f"everyone who qualifies would go above {fmt(rules.zones.amber_above)}% "
                      f"(on {day}: {placement.worker} would go to {planner.pct_text(desk, 0)})")
        else:
            reason = placement.reason
    return CaseFit(request.case.id, None, None, None, f"not within {len(days)} week(s): {reason}")
