"""The capacity runway (DESIGN §10): a team whose next eight weeks are already known — an
absence, a percentage reduction ending, a leaver, a temporary cover coming home and a new
starter — and every figure of the forecast worked out by hand from the rules of §3.

Today is Monday 2026-11-23, so the eight Mondays are 23 Nov, 30 Nov, 7, 14, 21 and 28 Dec,
4 and 11 Jan. A full-time worker carries 90 points (100 x fte less 10 % admin); tiers
weigh medium 4, high 6."""

import csv
import io
import json
import re
from fractions import Fraction

import pytest
from rich.console import Console

MONDAYS = ["2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28", "2027-01-04",
           "2027-01-11"]


@pytest.fixture(scope="module")
def known_template(tmp_path_factory):
    """The team below, built once by the real commands and copied whole for each test."""
    import sqlite3

    from conftest import TODAY, Cli

    folder = tmp_path_factory.mktemp("known")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(folder / "config-home"))
        mp.setenv("CASELOAD_TODAY", TODAY)
        mp.setenv("CASELOAD_USER", "lead")
        mp.chdir(folder)
        built = Cli(folder / "built.db")
        built.ok("init")
        build_known(built)
    template = folder / "known.db"
    source, target = sqlite3.connect(built.db), sqlite3.connect(template)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return template


@pytest.fixture
def known(known_template, tmp_path):
    from conftest import copy_team

    return copy_team(known_template, tmp_path)


def build_known(cli):
    """asha (1.0 fte: 90) holds 4 high cases (24 points) that dan covers until Fri 4 Dec; she is
    on leave until Wed 2 Dec. ben (0.8: 72) holds 12 medium (48) with a 50 % reduction until
    Sun 6 Dec (36). cara (0.5: 45) holds 5 medium (20) and leaves on Fri 11 Dec. dan (1.0: 90)
    holds 15 medium (60) and the 4 covered high ones (24). eve (1.0: 90) starts on Mon 14 Dec."""
    add = ("worker", "add")
    cli.ok(*add, "asha", "--name", "Asha Patel", "--skills", "housing")
    cli.ok(*add, "ben", "--name", "Ben Okafor", "--fte", "0.8", "--skills", "housing,debt")
    cli.ok(*add, "cara", "--name", "Cara Jones", "--fte", "0.5")
    cli.ok(*add, "dan", "--name", "Dan Reid")
    cli.ok(*add, "eve", "--name", "Eve Long", "--skills", "debt,immigration", "--starts", "2026-12-14")
    for worker, tier, n in (("asha", "high", 4), ("ben", "medium", 12), ("cara", "medium", 5), ("dan", "medium", 15)):
        for i in range(n):
            cli.ok("intake", "--client", f"{worker} client {i}", "--tier", tier, "--assign", worker)
    cli.ok("handover", "asha", "--to", "dan", "--temporary", "--until", "2026-12-04", "--yes")
    cli.ok("worker", "absent", "asha", "--from", "2026-11-23", "--until", "2026-12-02")
    cli.ok("worker", "reduce", "ben", "--percent", "50", "--reason", "phased return", "--from", "2026-11-01",
           "--until", "2026-12-06")
    cli.ok("worker", "leave", "cara", "--on", "2026-12-11")


def forecast(cli, *args):
    return json.loads(cli.ok("forecast", "--format", "json", *args).stdout)


def weeks_of(document, worker):
    return next(w for w in document["workers"] if w["id"] == worker)["weeks"]


def figures(document, worker):
    """(capacity, load, load_pct rounded down to 2 places, zone) for each Monday."""
    return [(w["capacity"], w["load"], w["load_pct"], w["zone"]) for w in weeks_of(document, worker)]


def pct(fraction: Fraction) -> float:
    """As JSON writes a load %: whole, or rounded down to 2 places."""
    return fraction.numerator if fraction.denominator == 1 else float(Fraction(int(fraction * 100), 100))


def test_eight_mondays_worked_out_by_hand(known):
    doc = forecast(known)
    assert doc["weeks"] == MONDAYS
    assert [w["id"] for w in doc["workers"]] == ["asha", "ben", "cara", "dan", "eve"]

    # asha: 90 all along; her 4 high cases (24) are on dan until the cover ends on Fri 4 Dec
    assert figures(doc, "asha") == [(90, 0, 0, "blue")] * 2 + [(90, 24, pct(Fraction(2400, 90)), "blue")] * 6
    # ben: 72 x 50 % = 36 while reduced: 48 / 36 = 133.33 % red; from 7 Dec 48 / 72 = 66.66 % blue
    assert figures(doc, "ben") == [(36, 48, pct(Fraction(4800, 36)), "red")] * 2 \
        + [(72, 48, pct(Fraction(4800, 72)), "blue")] * 6
    # cara: 20 / 45 = 44.44 % until she leaves on Fri 11 Dec; then no capacity, her 20 points
    # still to hand over: red (not silently moved to anyone)
    assert figures(doc, "cara") == [(45, 20, pct(Fraction(2000, 45)), "blue")] * 3 + [(0, 20, None, "red")] * 5
    # dan: 60 + 24 = 84 / 90 = 93.33 % blue while covering; 60 / 90 = 66.66 % after
    assert figures(doc, "dan") == [(90, 84, pct(Fraction(8400, 90)), "blue")] * 2 \
        + [(90, 60, pct(Fraction(6000, 90)), "blue")] * 6
    # eve: not in post before Mon 14 Dec (no capacity, no zone); then 0 / 90
    assert figures(doc, "eve") == [(0, 0, None, None)] * 3 + [(90, 0, 0, "blue")] * 5


def test_the_weeks_events(known):
    doc = forecast(known)
    events = {w["id"]: [week["events"] for week in w["weeks"]] for w in doc["workers"]}
    assert events["asha"][1] == ["back from leave Thu 3 Dec", "cover ends Fri 4 Dec: 4 case(s) home"]
    assert events["dan"][1] == ["cover ends Fri 4 Dec: 4 case(s) back to asha"]
    assert events["ben"][1] == ["reduction ends Sun 6 Dec"]
    assert events["cara"][2] == ["leaves Fri 11 Dec: 5 case(s) to hand over"]
    assert events["cara"][3] == ["left Fri 11 Dec: 5 case(s) still to hand over"]
    assert events["eve"][3] == ["starts Mon 14 Dec"]
    assert events["asha"][0] == ["away until Wed 2 Dec (leave)"]  # away since today
    quiet = [(w, i) for w, weeks in events.items() for i, e in enumerate(weeks) if e]
    assert sorted(quiet) == [("asha", 0), ("asha", 1), ("ben", 1), ("cara", 2), ("cara", 3), ("dan", 1), ("eve", 3)]


def test_team_capacity_load_and_headroom(known):
    team = forecast(known)["team"]
    assert [t["on"] for t in team] == MONDAYS
    # capacity: everyone shown; load never changes (no intake or closures are invented)
    assert [t["capacity"] for t in team] == [261, 261, 297] + [342] * 5  # 90+36+45+90; 90+72+45+90; 90+72+0+90+90
    assert [t["load"] for t in team] == [152] * 8
    assert team[0]["load_pct"] == pct(Fraction(15200, 261))
    # headroom: points below 100 % among those taking automatic allocations (cara is leaving:
    # not counted; ben over 100 %: nothing; asha's absence does not count against her room)
    # 23 Nov: asha 90 + dan 6 = 96, in medium cases (4) desk by desk: 22 + 1
    # 7 Dec: asha 66 + ben 24 + dan 30 = 120: 16 + 6 + 7; 14 Dec: + eve 90 = 210: + 22
    assert [t["headroom"] for t in team] == [96, 96, 120] + [210] * 5
    assert [t["headroom_cases"] for t in team] == [23, 23, 29] + [51] * 5


def test_json_keys_are_those_of_the_design(known):
    doc = forecast(known, "--weeks", "2")
    assert set(doc) == {"weeks", "workers", "team"}
    assert set(doc["workers"][0]) == {"id", "name", "weeks"}
    assert set(doc["workers"][0]["weeks"][0]) == {"on", "capacity", "load", "load_pct", "zone", "events"}
    assert set(doc["team"][0]) == {"on", "capacity", "load", "load_pct", "headroom", "headroom_cases"}


def test_every_monday_agrees_with_zone_review_on_that_day(known):
    """One home for a worker as seen on a day: the forecast is `zone-review --on` for each Monday."""
    doc = forecast(known)
    for index, day in enumerate(MONDAYS):
        review = json.loads(known.ok("zone-review", "--on", day, "--format", "json").stdout)
        shown = {w["id"]: (w["capacity"], w["load"], w["load_pct"], w["zone"]) for w in review["workers"]}
        seen = {w["id"]: figures(doc, w["id"])[index] for w in doc["workers"] if weeks_of(doc, w["id"])[index]["zone"]}
        assert seen == shown, day
        assert review["team"]["capacity"] == doc["team"][index]["capacity"]


def test_csv_has_a_row_per_worker_and_week_then_the_team(known):
    rows = list(csv.DictReader(io.StringIO(known.ok("forecast", "--format", "csv", "--weeks", "2").stdout)))
    assert list(rows[0]) == ["on", "worker", "name", "capacity", "load", "load_pct", "zone", "events", "headroom",
                             "headroom_cases"]
    assert len(rows) == 5 * 2 + 2
    asha = [r for r in rows if r["worker"] == "asha"]
    assert asha[1]["events"] == "back from leave Thu 3 Dec;cover ends Fri 4 Dec: 4 case(s) home"
    assert [(r["name"], r["headroom"], r["headroom_cases"]) for r in rows[-2:]] == [("team", "96", "23")] * 2


@pytest.mark.parametrize("needs, week, worker, after", [
    # only ben and eve do debt: ben is at 150 % with a high case (54 / 36) until his reduction
    # ends; from 7 Dec 54 / 72 = 75 %
    ("debt", "2026-12-07", "ben", 75),
    # only eve does immigration: from her first day, 6 / 90
    ("immigration", "2026-12-14", "eve", pct(Fraction(600, 90))),
    # housing: asha is away until 2 Dec (ben would go to 150 %); back, 24 + 6 = 30 / 90 beats ben's 75 %
    ("housing", "2026-12-07", "asha", pct(Fraction(3000, 90))),
])
def test_case_names_the_earliest_week_and_assign_auto_agrees_on_that_day(known, needs, week, worker, after):
    case = known.ok("intake", "--client", "Referral", "--tier", "high", "--needs", needs).stdout.strip()
    answer = forecast(known, "--case", case)["case"]
    assert (answer["id"], answer["week"], answer["worker"], answer["load_pct_after"]) == (case, week, worker, after)
    table = known.ok("forecast", "--case", case).stdout
    assert f"{case}: from the week of {week}: {worker}" in table
    # on that Monday, `assign --auto` makes the same choice
    known.ok("assign", case, "--auto", env={"CASELOAD_TODAY": week})
    held = json.loads(known.ok("show", case, "--format", "json").stdout)
    assert held["case"]["worker"] == worker


def test_case_with_no_week_in_time_says_why_and_exits_1(known):
    case = known.ok("intake", "--client", "Referral", "--tier", "high", "--needs", "debt").stdout.strip()
    result = known("forecast", "--case", case, "--weeks", "2", "--format", "json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)["case"]
    assert answer["week"] is None and answer["worker"] is None
    assert "not within 2 week(s)" in result.stderr and "above 100%" in result.stderr


def test_case_must_be_waiting(known):
    result = known("forecast", "--case", "C-0001")
    assert result.exit_code == 1 and "already held by asha" not in result.stderr  # it is dan's (cover)
    assert "already held by dan" in result.stderr


@pytest.mark.parametrize("weeks", ["0", "53", "x", "-1", "1.5"])
def test_weeks_out_of_bounds_is_bad_input_naming_the_flag(known, weeks):
    result = known("forecast", "--weeks", weeks)
    assert result.exit_code == 2 and "--weeks" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("weeks", ["1", "52"])
def test_weeks_within_bounds(known, weeks):
    doc = forecast(known, "--weeks", weeks)
    assert len(doc["weeks"]) == len(doc["team"]) == int(weeks)


def test_a_weekday_starts_from_the_next_monday_and_its_events_from_today(known):
    doc = json.loads(known.ok("forecast", "--format", "json", "--weeks", "1", env={"CASELOAD_TODAY": "2026-11-26"}).stdout)
    assert doc["weeks"] == ["2026-11-30"]
    # asha is back on Thu 3 Dec (in the week of 30 Nov); the cover ends Fri 4 Dec
    assert weeks_of(doc, "asha")[0]["events"] == ["away until Wed 2 Dec (leave)", "back from leave Thu 3 Dec",
                                                  "cover ends Fri 4 Dec: 4 case(s) home"]


def test_runway_in_the_html_report_with_zone_letters(known, tmp_path):
    known.ok("report", "--format", "html", "--output", str(tmp_path / "r.html"))
    page = (tmp_path / "r.html").read_text()
    runway = page[page.index("<h2>Runway</h2>"):]
    runway = runway[:runway.index("</section>")]
    assert "133% R" in runway and "44% B" in runway and "—" in runway  # ben, cara, eve before her start
    assert "@media print" in page and "break-before:page" in page
    assert "starts Mon 14 Dec" in runway
    md = known.ok("report", "--format", "md").stdout
    assert "## Runway" in md and "| ben | 133% R | 133% R | 66% B |" in md
    assert json.loads(known.ok("report", "--format", "json").stdout)["runway"]["weeks"] == MONDAYS


@pytest.mark.parametrize("width", [80, 140])
def test_the_table_fits_the_terminal_and_keeps_zone_words_whole(known, width):
    from caseload.app.forecast import gather
    from caseload.render.forecast import draw_forecast
    from caseload.render.forecast_rows import forecast_document
    from caseload.session import Session, current, start
    from caseload.store.connection import read_snapshot

    start(Session(known.db, None, "lead"))
    s = current()
    db = s.open()
    with read_snapshot(db):
        document = forecast_document(gather(db, s.config, s.today, 8))
    out = Console(width=width, force_terminal=True, record=True, color_system=None, legacy_windows=False)
    draw_forecast(out, document, s.today, "medium", 4)
    lines = out.export_text().splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    text = "\n".join(lines)
    for word in text.split():
        if word.rstrip("…").upper() in ("RED", "AMBER", "GREEN", "BLUE") or word in ("GREE", "AMBE", "BLU", "AMB"):
            assert word in ("RED", "AMBER", "GREEN", "BLUE"), word
    headers = [line for line in lines if line.split()[:1] == ["worker"]]
    assert len(headers) == (1 if width == 140 else 2)  # eight weeks in one block at 140, two at 80
    for worker in ("asha", "ben", "cara", "dan", "eve"):
        assert sum(1 for line in lines if line.split()[:1] == [worker]) == len(headers)


def test_in_the_grid_the_figures_and_the_zones_of_a_week_line_up(known):
    lines = known.ok("forecast").stdout.splitlines()
    rows = [line for line in lines if line.split()[:1] in (["asha"], ["ben"], ["cara"], ["dan"], ["eve"])]
    assert len(rows) == 5
    # one place for the % sign and one for the zone's word in each of the eight weeks, whatever the figure
    percents = {i for row in rows for i, char in enumerate(row) if char == "%"}
    zones = {m.start() for row in rows for m in re.finditer(r"\b(RED|AMBER|GREEN|BLUE)\b", row)}
    assert len(percents) == len(zones) == 8, "\n".join(rows)
