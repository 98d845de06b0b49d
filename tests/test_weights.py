"""Weights under scrutiny (DESIGN §12): the tiers against the team's own contacts, the worker's
own view against their zone, and the team under another table (`--weights FILE`).

The generated team is built by the real commands: cases opened twelve weeks ago, contacts
noted day by day with the `note --contact` use case (the last through the command line), a zone review
recorded each Monday, the worker's own view given with `worker feels --on DAY`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload.app.casework import close, note
from caseload.config import load_config
from caseload.domain import weights as w
from caseload.domain.trends import Snapshot, SnapshotRow, week_of
from caseload.store.connection import open_database
from caseload.store.contacts import tier_evidence
from conftest import TODAY, Cli, isolated_session, snapshot

MONDAY = date.fromisoformat(TODAY)  # 2026-11-23, a Monday: the window is the 12 weeks before it
assert MONDAY.weekday() == 0
START = MONDAY - timedelta(weeks=12)  # the first Monday of the window
PER_WEEK = {"high": 3, "medium": 2, "low": 1}  # contacts a week each case of the tier gets
DAYS = {1: (2,), 2: (0, 3), 3: (0, 2, 4)}  # which weekdays those contacts fall on
HOLDERS = {"asha": 2, "ben": 2, "cara": 1}  # cases of each tier each worker holds (5 a tier)


def give_view(cli: Cli, worker: str, day: date, feels: str) -> None:
    """The worker's own view, given at the meeting of `day` (`worker feels W FEELING --on DAY`)."""
    cli.ok("worker", "feels", worker, feels, "--on", day.isoformat())


def build_generated_team(cli: Cli) -> None:
    cli.ok("init")
    cli.ok("worker", "add", "asha", "--name", "Asha Patel")
    cli.ok("worker", "add", "ben", "--name", "Ben Okafor")
    cli.ok("worker", "add", "cara", "--name", "Cara Jones", "--fte", "0.5")
    cases: dict[str, list[str]] = {tier: [] for tier in PER_WEEK}
    for worker, n in HOLDERS.items():
        for tier in PER_WEEK:
            for i in range(n):
                case = cli.ok("intake", "--client", f"{worker} {tier} {i}", "--tier", tier, "--assign", worker,
                              "--opened", START.isoformat(), env={"CASELOAD_TODAY": START.isoformat()})
                cases[tier].append(case.stdout.strip())
    # the contacts of the first eleven weeks through the `note --contact` use case itself, on
    # the same file, and the last week's through the command line (each through the command
    # line took 40 s of the suite)
    db, config = open_database(cli.db), load_config(None)
    try:
        for week in range(12):
            monday = START + timedelta(weeks=week)
            cli.ok("zone-review", "--record", env={"CASELOAD_TODAY": monday.isoformat()})
            for tier, ids in cases.items():
                for weekday in DAYS[PER_WEEK[tier]]:
                    day = monday + timedelta(days=weekday)
                    for case in ids:
                        if week < 11:
                            note(db, config, day, "lead", f"{day.isoformat()}T10:00:00+00:00", case, "seen", True)
                        else:
                            cli.ok("note", case, "seen", "--contact", env={"CASELOAD_TODAY": day.isoformat()})
    finally:
        db.close()


@pytest.fixture(scope="module")
def generated_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated-team")
    with isolated_session(folder):
        built = Cli(folder / "built.db")
        build_generated_team(built)
    return snapshot(built.db, folder / "generated.db")


@pytest.fixture
def generated(generated_template, tmp_path) -> Cli:
    db = tmp_path / "generated.db"
    shutil.copy(generated_template, db)
    return Cli(db)


def weights_json(cli: Cli, *args: str) -> dict:
    return json.loads(cli.ok("weights", "--format", "json", *args).stdout)


# -- the generated team, through the real command line ------------------------------------


def test_weights_reports_the_contact_rates_the_effort_ratio_and_a_table_in_proportion(generated):
    found = weights_json(generated)
    assert found["weeks"] == [(START + timedelta(weeks=n)).isoformat() for n in range(12)]
    tiers = {t["tier"]: t for t in found["tiers"]}
    assert list(tiers) == ["low", "medium", "high", "intensive"]  # the config's order
    for tier, rate in PER_WEEK.items():
        assert tiers[tier]["cases"] == 5
        assert tiers[tier]["case_weeks"] == 60
        assert tiers[tier]["contacts_per_week"] == rate
    assert tiers["high"]["effort_ratio"] / tiers["low"]["effort_ratio"] == 3
    assert (tiers["high"]["effort_ratio"], tiers["medium"]["effort_ratio"], tiers["low"]["effort_ratio"]) == (1.5, 1, 0.5)
    assert (tiers["high"]["weight_ratio"], tiers["low"]["weight_ratio"]) == (1.5, 0.75)
    # in proportion to the contacts, the default tier (medium) keeping its weight of 4
    assert [tiers[t]["suggested_weight"] for t in ("low", "medium", "high")] == [2, 4, 6]
    assert tiers["intensive"] == {"tier": "intensive", "weight": 9, "cases": 0, "case_weeks": 0,
                                  "contacts_per_week": None, "effort_ratio": None, "weight_ratio": 2.25,
                                  "suggested_weight": None, "overdue_share": None, "stale_share": None}
    assert set(found["tiers"][0]) == {"tier", "weight", "cases", "case_weeks", "contacts_per_week", "effort_ratio",
                                      "weight_ratio", "suggested_weight", "overdue_share", "stale_share"}


def test_the_table_says_what_each_row_rests_on_and_that_contacts_are_a_proxy(generated):
    shown = generated.ok("weights").stdout
    assert "not enough evidence" in shown  # intensive: no case
    assert "Contacts are a proxy for effort" in shown
    assert "rest on 15 case(s), 180 case-week(s) and 360 contact(s)" in shown
    low = next(line for line in shown.splitlines() if line.startswith("low "))
    assert low.split()[:10] == ["low", "3", "5", "60", "60", "1", "0.5", "0.75", "2.0", "100%"]  # no review in 12 weeks
    csv = generated.ok("weights", "--format", "csv").stdout.splitlines()
    assert csv[0] == ("tier,weight,cases,case_weeks,contacts_per_week,effort_ratio,weight_ratio,suggested_weight,"
                      "overdue_share,stale_share")
    assert csv[3].startswith("high,6,5,60,3,1.5,1.5,6,")


def test_a_worker_blue_but_overwhelmed_for_three_weeks_is_flagged_and_one_who_agrees_is_not(generated):
    for week in (9, 10, 11):
        monday = START + timedelta(weeks=week)
        give_view(generated, "asha", monday, "overwhelmed")
        give_view(generated, "ben", monday, "manageable")
    give_view(generated, "cara", START + timedelta(weeks=11), "overwhelmed")  # one week: not a pattern
    found = {v["id"]: v for v in weights_json(generated)["workers"]}
    assert found["asha"]["disagreement_weeks"] == 3
    assert found["ben"]["disagreement_weeks"] == 0
    assert found["cara"]["disagreement_weeks"] == 1
    assert found["asha"]["weeks"][11] == {"on": (START + timedelta(weeks=11)).isoformat(), "zone": "blue",
                                          "feels": "overwhelmed"}
    assert found["asha"]["weeks"][0] == {"on": START.isoformat(), "zone": "blue", "feels": None}
    lines = {line.split()[0]: line for line in generated.ok("weights").stdout.splitlines() if line.split()}
    assert "the weights may not see this caseload" in lines["asha"]
    assert "the weights may not see this caseload" not in lines["ben"]
    assert "the weights may not see this caseload" not in lines["cara"]


def test_the_latest_view_of_a_week_wins(generated):
    monday = START + timedelta(weeks=11)
    give_view(generated, "asha", monday, "overwhelmed")
    give_view(generated, "asha", monday + timedelta(days=2), "manageable")
    (asha,) = weights_json(generated)["workers"][:1]
    assert asha["weeks"][11]["feels"] == "manageable"


def test_with_no_view_given_there_is_no_view_and_the_table_says_so(generated):
    found = weights_json(generated)
    assert all(week["feels"] is None for v in found["workers"] for week in v["weeks"])
    assert "No worker's own view is recorded" in generated.ok("weights").stdout


def test_weeks_and_formats(generated, tmp_path):
    found = weights_json(generated, "--weeks", "4")
    assert len(found["weeks"]) == 4
    assert {t["tier"]: t["case_weeks"] for t in found["tiers"]}["high"] == 20
    assert generated("weights", "--weeks", "0").exit_code == 2
    assert generated("weights", "--weeks", "999").exit_code == 2
    page = tmp_path / "weights.html"
    generated.ok("weights", "--format", "html", "--output", str(page))
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "Contacts are a proxy for effort" in html and "<script" not in html
    md = generated.ok("weights", "--format", "md").stdout
    assert md.startswith("# Weights under scrutiny") and "| high | 6 | 5 | 60 | 180 | 3 | 1.5 |" in md


def test_the_nightly_report_names_the_tiers_far_from_their_weight_and_the_workers_who_disagree(generated):
    for week in (10, 11):
        give_view(generated, "asha", START + timedelta(weeks=week), "overwhelmed")
    md = generated.ok("report", "--format", "md").stdout
    section = md.split("## Weights", 1)[1]
    assert "tier low: contacts say 0.5x medium, the weights say 0.75x" in section  # 2 for 3: far
    assert "tier high" not in section  # contacts agree with 6
    assert "asha: their own view disagreed with their zone in 2 of the last 12 weeks" in section
    data = json.loads(generated.ok("report", "--format", "json").stdout)["weights"]
    assert [t["tier"] for t in data["tiers"]] == ["low"]
    assert data["workers"] == [{"id": "asha", "disagreement_weeks": 2}]
    assert "Weights" in generated.ok("report").stdout


def test_the_report_has_no_weights_section_without_evidence(team):
    team.ok("intake", "--client", "One", "--tier", "high", "--assign", "asha")
    assert "## Weights" not in team.ok("report", "--format", "md").stdout
    assert json.loads(team.ok("report", "--format", "json").stdout)["weights"]["tiers"] == []


# -- what if: another table ---------------------------------------------------------------

OTHER = "tiers:\n  high: 8\n  Low: 2.5\nstatus_factors:\n  monitoring: 0.75\n"
OTHER_CONFIG = "tiers:\n  low: 2.5\n  medium: 4\n  high: 8\n  intensive: 9\nstatus_factors:\n  monitoring: 0.75\n"


def test_zone_review_with_weights_recomputes_every_figure_and_changes_nothing(generated, tmp_path):
    generated.ok("update", "C-0001", "--status", "monitoring")
    table = tmp_path / "other.yaml"
    table.write_text(OTHER)
    config = tmp_path / "other-config.yaml"
    config.write_text(OTHER_CONFIG)
    before_dump, before_view = generated.dump(), generated.ok("zone-review", "--format", "json").stdout
    found = json.loads(generated.ok("zone-review", "--weights", str(table), "--format", "json").stdout)
    under = json.loads(generated.ok("--config", str(config), "zone-review", "--format", "json").stdout)
    today = json.loads(before_view)
    for row, theirs, mine in zip(found["workers"], under["workers"], today["workers"]):
        assert {k: row[k] for k in mine} == mine  # today's figures, as they were
        assert (row["what_if_load"], row["what_if_load_pct"], row["what_if_zone"]) == (
            theirs["load"], theirs["load_pct"], theirs["zone"])
    assert found["what_if"] == {"weights": str(table), "team": under["team"]}
    assert generated.dump() == before_dump
    assert generated.ok("zone-review", "--format", "json").stdout == before_view
    csv = generated.ok("zone-review", "--weights", str(table), "--format", "csv").stdout.splitlines()
    assert csv[0].endswith(",new_30d,red_weeks,excessive,covering,covered,feels,what_if_load,what_if_load_pct,what_if_zone")
    shown = generated.ok("zone-review", "--weights", str(table)).stdout
    assert "What if: the team under the weights of" in shown and "high 8" in shown


def test_forecast_with_weights_shows_the_same_weeks_under_the_other_table(generated, tmp_path):
    table = tmp_path / "other.yaml"
    table.write_text(OTHER)
    config = tmp_path / "other-config.yaml"
    config.write_text(OTHER_CONFIG)
    before = generated.dump()
    found = json.loads(generated.ok("forecast", "--weights", str(table), "--weeks", "3", "--format", "json").stdout)
    under = json.loads(generated.ok("--config", str(config), "forecast", "--weeks", "3", "--format", "json").stdout)
    plain = json.loads(generated.ok("forecast", "--weeks", "3", "--format", "json").stdout)
    assert {k: v for k, v in found.items() if k != "what_if"} == plain
    assert found["what_if"] == {"weights": str(table), **under}
    assert generated.dump() == before
    rows = generated.ok("forecast", "--weights", str(table), "--weeks", "1", "--format", "csv").stdout.splitlines()
    assert rows[0].endswith(",what_if_load,what_if_load_pct,what_if_zone,what_if_headroom,what_if_headroom_cases")
    assert "What if: the same weeks under the weights of" in generated.ok("forecast", "--weights", str(table)).stdout


@pytest.mark.parametrize("text, named", [
    ("tiers:\n  huge: 3\n", "tiers.huge"),
    ("tiers:\n  high: -2\n", "tiers.high"),
    ("tiers:\n  high: 5000\n", "tiers.high"),
    ("tiers:\n  high: .nan\n", "tiers.high"),
    ("tiers:\n  high: yes\n", "tiers.high"),
    ("status_factors:\n  waiting: 1\n", "status_factors.waiting"),
    ("status_factors:\n  monitoring: 11\n", "status_factors.monitoring"),
    ("base: &b 3\ntiers:\n  high: *b\n", "anchor or alias"),
    ("zones:\n  red_from: 120\n", "zones"),
    ("", "tiers"),
    ("tiers: [high]\n", "tiers"),
    ("tiers:\n  high: 8\n  low: 2\n  high: 2\n", "names the key 'high' twice (line 4)"),  # which would count?
    ("tiers:\n  high: 0x10\n", "tiers.high: '0x10' is not a number"),  # YAML 1.1 reads 16
    ("tiers:\n  high: 017\n", "tiers.high: '017' is not a number"),  # YAML 1.1 reads 15 (octal)
    ("tiers:\n  high: 1:30\n", "tiers.high: '1:30' is not a number"),  # YAML 1.1 reads 90 (base 60)
])
def test_a_bad_table_is_refused_naming_the_key_and_nothing_is_shown(team, tmp_path, text, named):
    table = tmp_path / "bad.yaml"
    table.write_text(text)
    for command in ("zone-review", "forecast"):
        result = team(command, "--weights", str(table))
        assert result.exit_code == 2, (command, result.stdout, result.stderr)
        assert named in result.stderr and result.stdout == ""


def test_a_missing_table_and_a_recorded_what_if_are_refused(team, tmp_path):
    assert team("zone-review", "--weights", str(tmp_path / "none.yaml")).exit_code == 2
    table = tmp_path / "t.yaml"
    table.write_text("tiers:\n  high: 8\n")
    before = team.dump()
    result = team("zone-review", "--weights", str(table), "--record")
    assert result.exit_code == 2 and "never recorded" in result.stderr
    assert team.dump() == before


# -- the arithmetic, without a database ---------------------------------------------------

WEEKS = w.window(MONDAY, 12)


def test_the_window_is_the_complete_weeks_before_this_one():
    assert WEEKS[0] == START and WEEKS[-1] == MONDAY - timedelta(weeks=1) and len(WEEKS) == 12
    assert w.window(MONDAY + timedelta(days=6), 12) == WEEKS  # the Sunday: the week is not over


# -- the evidence, counted by the store on a real file, against the definitions -----------


def model_evidence(cases: list[dict]) -> dict[str, tuple[int, ...]]:
    """DESIGN §12's counts worked out case by case, as `domain.weights` defines them: the
    model the store's one query is held against."""
    last_week, stale_before = WEEKS[-1], MONDAY - timedelta(days=21)
    found: dict[str, list[int]] = {}
    for c in cases:
        held_today = c["closed"] is None
        if (held_today and c["opened"] >= MONDAY) or (not held_today and c["closed"] < START):
            continue
        tally = found.setdefault(c["tier"], [0] * 6)
        first = max(week_of(c["opened"]), START)
        last = last_week if held_today else min(week_of(c["closed"]), last_week)
        if last >= first:
            end = last + timedelta(days=6)
            contacts = sum(1 for day in c["days"] if first <= day <= end)
            seen = c["last"]
            if seen is not None and first <= seen <= end and not any(abs((d - seen).days) <= 1 for d in c["days"]):
                contacts += 1
            tally[0] += 1
            tally[1] += (last - first).days // 7 + 1
            tally[2] += contacts
        if held_today:
            tally[3] += 1
            tally[4] += c["review"] < MONDAY
            tally[5] += (c["last"] or c["opened"]) < stale_before
    return {tier: tuple(t) for tier, t in found.items()}


def a_day(low: date, high: date):
    return st.integers(0, (high - low).days).map(lambda n: low + timedelta(days=n))


@st.composite
def held_case(draw):
    opened = draw(a_day(START - timedelta(days=40), MONDAY))
    days = sorted(draw(st.lists(a_day(opened, MONDAY), max_size=6)))
    last = draw(st.one_of(st.none(), st.sampled_from(days) if days else st.none(), a_day(opened, MONDAY)))
    closed = draw(st.one_of(st.none(), a_day(max(opened, days[-1] if days else opened), MONDAY)))
    return {"tier": draw(st.sampled_from(["low", "medium", "high"])), "opened": opened, "days": days,
            "last": last, "closed": closed, "review": draw(a_day(START, MONDAY + timedelta(days=30)))}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(held_case(), min_size=1, max_size=8))
def test_the_store_counts_case_weeks_and_contacts_as_the_definitions_say(isolated, cases):
    """Each example on its own file: the cases moved in from a sheet (their opening, last
    contact and review), their contact notes added day by day, the closed ones closed on
    their day; the store's counts per tier equal the definitions worked out case by case."""
    with tempfile.TemporaryDirectory() as folder:
        cli = Cli(Path(folder) / "evidence.db")
        cli.ok("init")
        cli.ok("worker", "add", "asha", "--name", "Asha Patel")
        sheet = Path(folder) / "cases.csv"
        sheet.write_text("client,tier,worker,opened,last_contact,next_review\n" + "".join(
            f"client {n},{c['tier']},asha,{c['opened']},{c['last'] or ''},{c['review']}\n"
            for n, c in enumerate(cases)))
        cli.ok("intake", "--file", str(sheet), "--yes")
        ids = {row["client"]: row["id"] for row in json.loads(cli.ok("export", "cases", "--format", "json").stdout)}
        db, config = open_database(cli.db), load_config(None)
        try:
            for n, c in enumerate(cases):
                for day in c["days"]:  # each note leaves the sheet's last contact as it was
                    note(db, config, c["last"], "lead", f"{day.isoformat()}T09:30:00+00:00", ids[f"client {n}"],
                         "seen", True)
                if c["closed"] is not None:
                    close(db, c["closed"], "lead", f"{c['closed'].isoformat()}T17:00:00+00:00", ids[f"client {n}"],
                          "done")
            counted = {e.tier: (e.cases, e.case_weeks, e.contacts, e.open_today, e.overdue, e.stale)
                       for e in tier_evidence(db, WEEKS, MONDAY, 21)}
        finally:
            db.close()
    assert counted == model_evidence(cases)


def case(tier="high", cases=0, weeks=0, contacts=0, open_today=0, overdue=0, stale=0):
    return w.TierEvidence(tier, cases, weeks, contacts, open_today, overdue, stale)


def test_fewer_than_five_cases_is_not_enough_evidence():
    tiers = {"low": Fraction(3), "medium": Fraction(4), "high": Fraction(6)}
    cases = [case("medium", 5, 60, 30), case("high", 4, 48, 36)]
    rows = {r.tier: r for r in w.tier_rows(cases, tiers, "medium")}  # 30 and 36 contacts
    assert rows["medium"].enough and rows["medium"].suggested_weight == 4
    assert not rows["high"].enough and rows["high"].effort_ratio is None and rows["high"].suggested_weight is None
    assert rows["high"].contacts_per_week == Fraction(9, 12)  # still shown, with what it rests on
    few = w.tier_rows(cases[1:], tiers, "medium")
    assert all(r.suggested_weight is None for r in few)  # no default tier to scale to


def test_tier_names_match_ignoring_case_and_shares_are_of_the_cases_open_today():
    tiers = {"Low": Fraction(3), "medium": Fraction(4)}
    cases = [case("low", 2, 24, 3, open_today=1, overdue=1, stale=1), case("LOW", 1, 12, 1, open_today=1)]
    (low, _medium) = w.tier_rows(cases, tiers, "medium")
    assert (low.tier, low.cases, low.open_cases) == ("Low", 3, 2)
    assert (low.overdue_share, low.stale_share) == (Fraction(1, 2), Fraction(1, 2))


def test_the_numbers_and_the_person_disagree_only_one_way_each():
    assert w.disagrees("blue", "overwhelmed") and w.disagrees("green", "overwhelmed")
    assert w.disagrees("red", "manageable")
    assert not w.disagrees("amber", "overwhelmed") and not w.disagrees("red", "overwhelmed")
    assert not w.disagrees("blue", "manageable") and not w.disagrees("green", "stretched")
    assert not w.disagrees(None, "overwhelmed") and not w.disagrees("blue", None)


def test_each_week_takes_its_latest_snapshot_and_two_weeks_flag():
    def snap(day: date, zone: str, at="T10") -> Snapshot:
        return Snapshot(day.isoformat(), day.isoformat() + at, {"ewa": SnapshotRow(10, Fraction(100), Fraction(90),
                                                                                   zone)})
    weeks = WEEKS[-3:]
    snapshots = [snap(weeks[0], "blue"), snap(weeks[0] + timedelta(days=3), "red"), snap(weeks[1], "red"),
                 snap(weeks[2] - timedelta(weeks=5), "red")]
    views = [("ewa", weeks[0], "manageable"), ("ewa", weeks[1], "manageable"), ("ewa", weeks[2], "stretched"),
             ("ola", weeks[2], "overwhelmed")]
    ewa, ola = w.worker_views(snapshots, views, weeks)
    assert [week.zone for week in ewa.weeks] == ["red", "red", None]
    assert ewa.disagreement_weeks == 2 and ewa.flagged
    assert (ola.id, ola.disagreement_weeks, ola.flagged) == ("ola", 0, False)  # a view with no zone: no verdict


def test_far_means_a_quarter_or_more_either_way():
    def row(weight, suggested):
        return w.TierRow("t", Fraction(weight), 5, 10, 10, 5, Fraction(1), Fraction(1), Fraction(1),
                         Fraction(suggested), None, None)
    assert row(4, 5).far and row(5, 4).far
    assert not row(4, Fraction(49, 10)).far and not row(5, Fraction(41, 10)).far


tier_names = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=5, unique=True)


@given(st.data())
def test_contacts_in_proportion_to_the_weights_give_back_the_weights(data):
    names = data.draw(tier_names)
    weights = {name: Fraction(data.draw(st.integers(1, 40)), data.draw(st.sampled_from([1, 2, 4, 5]))) for name in names}
    default = data.draw(st.sampled_from(names))
    per_point = data.draw(st.integers(1, 7))  # contacts a case-week per 1/20 of a point
    counts = {}
    for name in names:
        weeks = data.draw(st.integers(8, 300))  # 32 contacts or more: enough evidence (MIN_CONTACTS)
        contacts = weights[name] * 20 * per_point * weeks
        assert contacts.denominator == 1
        counts[name] = (data.draw(st.integers(w.MIN_CASES, 60)), weeks, int(contacts))
    assert w.suggested_table(counts, weights, default) == weights


@given(st.data())
def test_the_default_tier_keeps_its_weight_and_the_others_keep_their_order(data):
    names = data.draw(tier_names)
    weights = {name: Fraction(data.draw(st.integers(1, 40))) for name in names}
    default = data.draw(st.sampled_from(names))
    counts = {name: (data.draw(st.integers(w.MIN_CASES, 60)), data.draw(st.integers(1, 300)),
                     data.draw(st.integers(w.MIN_CONTACTS, 2000))) for name in names}
    suggested = w.suggested_table(counts, weights, default)
    assert suggested[default] == weights[default]
    rates = {name: Fraction(contacts, weeks) for name, (_c, weeks, contacts) in counts.items()}
    for one in names:
        for other in names:
            assert (rates[one] < rates[other]) == (suggested[one] < suggested[other])


def test_a_tier_with_few_contacts_has_not_enough_evidence_whatever_its_cases():
    """A team that seldom records contacts (the demo: 96 contacts over 1,496 case-weeks) is
    not told its weights are wrong: a rate from fewer than MIN_CONTACTS contacts is chance."""
    tiers = {"low": Fraction(3), "medium": Fraction(4), "high": Fraction(6)}
    counts = {"low": (38, 435, 26), "medium": (50, 564, 400), "high": (31, 341, w.MIN_CONTACTS - 1)}
    suggested = w.suggested_table(counts, tiers, "medium")
    assert suggested == {"low": None, "medium": Fraction(4), "high": None}
    counts["medium"] = (50, 564, w.MIN_CONTACTS - 1)  # the default tier itself: no suggestion at all
    assert set(w.suggested_table(counts, tiers, "medium").values()) == {None}
