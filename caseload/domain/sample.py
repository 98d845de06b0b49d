"""The built-in sample team for `caseload demo`: 8 workers and a new starter, about 180 cases.

Deterministic (a fixed seed) and dated relative to the given day, so the demo
always looks current. Each worker's caseload is built up to a target load %, so
that every zone is present whatever the day: a red, two ambers, two greens and
blues. It also has a waiting pool, overdue reviews, stale contact, an absence
with cover, a temporary cover past its end date, a capacity reduction ending in three
weeks and a new starter arriving in two (so `caseload forecast` has a story to tell).
All names are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction

from caseload.domain.load import capacity_breakdown, case_weight, zone
from caseload.domain.model import Absence, Case, LoadRules, Reduction, Worker

SEED = 20261123


@dataclass(frozen=True)
class SampleEvent:
    """A history row of the sample, with its own date."""

    case: str
    worker: str | None
    previous: str | None
    kind: str
    on: date
    reason: str | None = None


@dataclass
class Sample:
    workers: list[Worker] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    events: list[SampleEvent] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    reductions: list[Reduction] = field(default_factory=list)
    # past weekly zone reviews: (day, [(worker, cases, load, capacity, zone)]), oldest first
    reviews: list[tuple[date, list[tuple[str, int, Fraction, Fraction, str]]]] = field(default_factory=list)
    # what workers said of their caseload at past meetings (`worker feels`): (worker, day, feeling)
    feels: list[tuple[str, date, str]] = field(default_factory=list)


WORKERS = [
    # worker, target load % on the day
    (Worker("asha", "Asha Patel", fte=Fraction(1), skills=("housing", "mental-health"),
            languages=("en", "pa", "ur"), area="north"), 122),
    (Worker("ben", "Ben Okafor", fte=Fraction(4, 5), skills=("benefits",), languages=("en", "yo"),
            area="south"), 106),
    (Worker("chloe", "Chloé Martin", fte=Fraction(1), skills=("benefits", "housing"), languages=("en", "fr"),
            area="east"), 98),
    (Worker("dev", "Dev Sharma", fte=Fraction(3, 5), skills=("mental-health",), languages=("en", "hi"),
            area="north"), 50),
    (Worker("ewa", "Ewa Nowak", fte=Fraction(1), skills=("immigration",), languages=("en", "pl"),
            area="west"), 104),
    (Worker("farah", "Farah Haddad", fte=Fraction(1, 2), skills=("housing", "immigration"),
            languages=("ar", "en"), area="east"), 99),
    (Worker("george", "George Lewis", fte=Fraction(1), skills=("benefits", "debt"), languages=("en",),
            area="south"), 66),
    (Worker("hana", "Hana Kim", role="lead", fte=Fraction(1), skills=("safeguarding",), languages=("en", "ko"),
            area="west", auto=False), 12),
]

SUMMARIES = {
    "housing": ["Rent arrears, eviction notice served", "Temporary accommodation, needs move-on plan",
                "Disrepair and damp, landlord not responding"],
    "benefits": ["PIP appeal at tribunal stage", "Universal Credit sanction review",
                 "Carer's allowance claim refused"],
    "mental-health": ["Low mood and isolation after bereavement", "Anxiety, missing appointments",
                      "Discharged from ward, needs community support"],
    "immigration": ["Asylum claim, interview preparation", "EU settled status, late application",
                    "Family reunion application"],
    "safeguarding": ["Safeguarding concern raised by school", "Adult safeguarding referral, financial abuse"],
    "debt": ["Priority debts, bailiff letters", "Council tax arrears and payment plan"],
    None: ["General support and signposting", "Food bank referrals and budgeting", "Form filling and letters"],
}
FIRST = ["Maria", "James", "Zoë", "Mohammed", "Aisha", "Tomasz", "Siobhán", "Kwame", "Li", "Oliver", "Fatima",
         "José", "Grace", "Łukasz", "Amara", "Daniel", "Yusuf", "Chiara", "Ravi", "Sofia", "Kofi", "Elif"]
LAST = ["K.", "O'Brien", "Nguyen", "Hughes", "Ahmed", "Kowalski", "Campbell", "Mensah", "Smith", "Rossi",
        "Begum", "Dubois", "Evans", "Novák", "Okoye", "Walsh"]
TIER_CHOICES = ["low", "low", "medium", "medium", "medium", "high", "high", "intensive"]
DEFAULT_TIERS = ("low", "medium", "high", "intensive")


def tier_choices(rules: LoadRules) -> list[str]:
    """TIER_CHOICES in the config's own tiers: the default names when the config has them,
    else each default tier's place by weight mapped onto the config's tiers by weight (so a
    config with the probation tool's `A3`, `B2`, `C1` … gets a demo in those tiers)."""
    if all(name in rules.tiers for name in DEFAULT_TIERS):
        return list(TIER_CHOICES)
    by_weight = sorted(rules.tiers, key=lambda name: (rules.tiers[name], name))
    last = len(by_weight) - 1
    place = {name: by_weight[round(i * last / 3)] for i, name in enumerate(DEFAULT_TIERS)}
    return [place[name] for name in TIER_CHOICES]


def build_sample(rules: LoadRules, review_days: dict[str, int], on: date, seed: int = SEED) -> Sample:
    rng = random.Random(seed)
    sample = Sample()
    numbers = iter(range(1, 10_000))
    choices = tier_choices(rules)

    def new_case(worker: Worker | None, status: str) -> Case:
        skill = rng.choice([*(worker.skills if worker else ()), None, None])
        tier = rng.choice(choices)
        risk = rng.choices(["low", "medium", "high"], weights=[3, 5, 2])[0]
        opened = on - timedelta(days=rng.randint(3, 540) if worker else rng.randint(0, 12))
        language = None
        if worker and rng.random() < 0.15:
            language = rng.choice([lang for lang in worker.languages if lang != "en"] or ["en"])
        review = opened + timedelta(days=review_days[risk])
        while review < on - timedelta(days=rng.choice([0, 0, 0, 0, 3, 9])):
            review += timedelta(days=review_days[risk])
        contact = on - timedelta(days=rng.choice([1, 2, 4, 6, 9, 12, 15, 19, 26, 40]))
        return Case(
            id=f"C-{next(numbers):04d}", client=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            summary=rng.choice(SUMMARIES[skill]), tier=tier, risk=risk, status=status,
            needs=(skill,) if skill and rng.random() < 0.5 else (), language=language,
            area=worker.area if worker and rng.random() < 0.7 else rng.choice(["north", "south", "east", "west"]),
            worker=worker.id if worker else None, opened_on=opened,
            next_review_on=review if status != "waiting" else opened + timedelta(days=review_days[risk]),
            last_contact_on=max(contact, opened) if worker else None,
        )

    george_cut = Reduction(1, "george", "percent", Fraction(20), "newly qualified", on - timedelta(days=60),
                           on + timedelta(days=20))
    sample.reductions.append(george_cut)
    for worker, target_pct in WORKERS:
        sample.workers.append(worker)
        cuts = [george_cut] if worker.id == "george" else []
        capacity = capacity_breakdown(worker, cuts, rules, on).value
        target = capacity * target_pct / 100
        load = Fraction(0)
        while True:
            status = "monitoring" if rng.random() < 0.3 else "active"
            case = new_case(worker, status)
            weight = case_weight(case.tier, case.status, rules)
            if load + weight > target:
                # finish with the lightest case that still fits, if any
                lighter = replace(case, tier=min(rules.tiers, key=rules.tiers.get), status="monitoring")
                if load + case_weight(lighter.tier, lighter.status, rules) <= target:
                    case, weight = lighter, case_weight(lighter.tier, lighter.status, rules)
                else:
                    break
            if worker.id == "chloe" and sum(1 for c in sample.cases if c.home_worker) < 2:
                # two of ewa's cases that chloe covers; the cover's end date has passed
                case = replace(case, home_worker="ewa", cover_until=on - timedelta(days=2))
            sample.cases.append(case)
            load += weight
        assert zone(load, capacity, rules.zones) == _zone_of(target_pct), (worker.id, load, capacity)

    for _ in range(9):
        sample.cases.append(new_case(None, "waiting"))
    # two that show why a case can stay waiting: only ewa speaks Polish and she is away;
    # only hana (a lead, no automatic allocations) has safeguarding
    polish = new_case(None, "waiting")
    sample.cases.append(replace(polish, language="pl", summary="EU settled status, late application"))
    safeguarding = new_case(None, "waiting")
    sample.cases.append(replace(safeguarding, needs=("safeguarding",), risk="high",
                                summary="Safeguarding concern raised by school"))
    for _ in range(36):
        worker = rng.choice([w for w, _ in WORKERS[:7]])
        case = new_case(worker, "active")
        closed = case.opened_on + timedelta(days=rng.randint(20, 200))
        sample.cases.append(replace(case, status="closed", closed_on=min(closed, on - timedelta(days=1)),
                                    close_reason=rng.choice(["goals met", "moved away", "no longer engaging"])))

    # a new starter two weeks from now, the team's second Polish speaker (`caseload forecast`
    # shows her arriving; the Polish case that waits for ewa can go to her from her first day)
    sample.workers.append(Worker("kasia", "Kasia Wójcik", skills=("housing", "immigration"),
                                 languages=("en", "pl"), area="west", starts_on=on + timedelta(days=14)))
    _add_events(sample, rng)
    sample.absences.append(Absence(1, "ewa", on - timedelta(days=2), on + timedelta(days=5), "leave", "chloe"))
    _add_past_reviews(sample, rules, on, rng)
    _add_past_feels(sample)
    return sample


def _add_past_feels(sample: Sample) -> None:
    """At the last three meetings asha (red) said overwhelmed and ben stretched; dev, blue
    on the numbers, said overwhelmed at the last two: `weights` flags him (the weights may
    not see his caseload)."""
    days = [day for day, _ in sample.reviews[-3:]]
    for day in days:
        sample.feels += [("asha", day, "overwhelmed"), ("ben", day, "stretched")]
    sample.feels += [("dev", day, "overwhelmed") for day in days[-2:]]


def _add_past_reviews(sample: Sample, rules: LoadRules, on: date, rng: random.Random) -> None:
    """Eight weekly reviews before today: loads drift towards today's, and asha has been
    red for the last five (so the report shows an excessive workload)."""
    now = {}
    for worker in sample.workers:
        cases = [c for c in sample.cases if c.worker == worker.id and c.status in ("active", "monitoring")]
        load = sum((case_weight(c.tier, c.status, rules) for c in cases), Fraction(0))
        cuts = [r for r in sample.reductions if r.worker == worker.id]
        now[worker.id] = (len(cases), load, cuts, worker)
    for weeks_ago in range(8, 0, -1):
        day = on - timedelta(weeks=weeks_ago)
        rows = []
        for worker_id, (count, load, cuts, worker) in now.items():
            if not worker.started_by(day):
                continue  # not in post yet: in no review
            capacity = capacity_breakdown(worker, cuts, rules, day).value
            drift = Fraction(100 - 2 * weeks_ago + rng.randint(-4, 4), 100)
            if worker_id == "asha":
                drift = Fraction(100 - (weeks_ago if weeks_ago > 5 else 0) * 3 - rng.randint(0, 3), 100)
            past_load = (load * drift * 2).__floor__() / Fraction(2)
            rows.append((worker_id, max(count - weeks_ago // 2, 0), past_load, capacity,
                         zone(past_load, capacity, rules.zones)))
        sample.reviews.append((day, rows))


def _zone_of(pct: int) -> str:
    return "blue" if pct < 95 else "green" if pct <= 100 else "amber" if pct < 110 else "red"


def _add_events(sample: Sample, rng: random.Random) -> None:
    automatic = {worker.id: worker.auto for worker in sample.workers}
    for case in sample.cases:
        sample.events.append(SampleEvent(case.id, None, None, "intake", case.opened_on))
        if case.worker is None:
            continue
        first = case.home_worker or case.worker
        allocated = case.opened_on + timedelta(days=rng.randint(0, 3))
        kind = rng.choice(["assign", "assign", "auto", "self"])
        if kind == "auto" and not automatic[first]:
            kind = "assign"  # a worker with automatic allocation off (hana, the lead) is given cases by hand
        sample.events.append(SampleEvent(case.id, first, None, kind, allocated))
        if case.home_worker:
            sample.events.append(SampleEvent(case.id, case.worker, first, "cover", allocated + timedelta(days=5),
                                             "annual leave cover"))
        if case.status == "closed":
            sample.events.append(SampleEvent(case.id, case.worker, case.worker, "close", case.closed_on,
                                             case.close_reason))

