"""Moving a team in from spreadsheet files (DESIGN §11): files as real programs write them,
an export that re-imports into a fresh database, and a first zone review that tells the truth."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import TODAY

DATA = Path(__file__).parent / "data"

# (file, extra flags, exit code, a line stderr must hold, cases added)
CASE_FILES = [
    ("excel_cp1252_comma.csv", [], 2,
     "excel_cp1252_comma.csv' is not UTF-8 text at byte 4 of the line; Excel's \"CSV (Comma delimited)\" is "
     "cp1252: give --encoding cp1252", 0),
    ("excel_cp1252_comma.csv", ["--encoding", "cp1252"], 0, "3 row(s) valid; 2 already held, 0 to assign by rule, 1 "
                                                            "to wait", 3),
    ("excel_cp1252_semicolon.csv", ["--encoding", "cp1252"], 0, "2 row(s) valid; 2 already held", 2),
    ("excel_cp1252_semicolon.csv", ["--encoding", "latin-1"], 0, "2 row(s) valid", 2),
    ("tab_separated.tsv", [], 0, "2 row(s) valid; 1 already held, 0 to assign by rule, 1 to wait", 2),
    ("excel_utf8_bom.csv", [], 0, "the first zone review will show 1 review(s) overdue and 1 contact(s) stale", 1),
    ("extra_phone.csv", [], 2, "line 1, header: 'Phone' is not a column", 0),
    ("extra_phone.csv", ["--ignore-unknown"], 0, "left out column(s): Phone", 1),
    ("own_export_cases.csv", [], 0, "5 row(s) valid; 3 already held, 0 to assign by rule, 1 to wait, 1 closed", 5),
]


@pytest.mark.parametrize("name, flags, code, expected, added", CASE_FILES)
def test_spreadsheet_files_as_programs_write_them(team, name, flags, code, expected, added):
    before = team.dump()
    result = team("intake", "--csv", str(DATA / name), "--yes", *flags)
    assert result.exit_code == code, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    if name == "excel_cp1252_comma.csv" and code:
        assert result.stderr.startswith("error: line 2, --file: ")
    if code:
        assert team.dump() == before  # refused: nothing written, whatever the one message says
    cases = json.loads(team.ok("export", "cases", "--format", "json").stdout)
    assert len(cases) == added


def test_accented_names_arrive_intact_from_a_european_excel_file(team):
    team.ok("intake", "--csv", str(DATA / "excel_cp1252_semicolon.csv"), "--encoding", "cp1252", "--yes")
    cases = json.loads(team.ok("cases", "--format", "json").stdout)
    assert {c["client"] for c in cases} == {"François Lefèvre", "Søren Ødegård"}
    first = next(c for c in cases if c["client"] == "François Lefèvre")
    assert first["summary"] == "Loyer impayé, expulsion"  # a comma inside a ';' file is text
    assert (first["next_review_on"], first["last_contact_on"]) == ("2026-12-01", "2026-11-20")


def test_a_dry_run_of_the_cases_file_writes_nothing_and_counts_what_the_review_will_show(team):
    before = team.dump()
    result = team.ok("intake", "--csv", str(DATA / "own_export_cases.csv"), "--dry-run")
    assert "dry run: nothing was written" in result.stderr and team.dump() == before
    assert "1 covered case(s) have no cover_until: their cover ends today" in result.stderr
    assert "closed (cara)" in result.stdout


@pytest.mark.parametrize("name, flags, workers", [
    ("team_excel_semicolon.csv", ["--encoding", "cp1252"], {"asha": ("1", "active"), "ben": ("0.8", "active")}),
    ("team_worker_list.csv", [], {"asha": ("1", "active"), "ben": ("0.8", "active"), "dev": ("0.5", "leaving"),
                                  "eve": ("1", "left")}),
])
def test_team_files_come_in_whole(cli, name, flags, workers):
    cli.ok("worker", "import", "--csv", str(DATA / name), "--yes", *flags)
    listed = json.loads(cli.ok("worker", "list", "--all", "--format", "json").stdout)
    assert {w["id"]: (str(w["fte"]), w["status"]) for w in listed} == workers
    assert "eve" not in cli.ok("worker", "list").stdout  # leavers only with --all


def test_a_team_file_with_problems_adds_nobody_and_names_every_line(cli, tmp_path):
    cli.ok("worker", "add", "asha", "--name", "Asha Patel")
    path = tmp_path / "team.csv"
    path.write_text("id,name,fte,status\nasha,Asha Again,1,active\nben,,2,active\nben,Ben,1,retired\n"
                    "cara,Cara,0.5,leaving\n")
    before = cli.dump()
    result = cli("worker", "import", "--csv", str(path), "--yes")
    assert result.exit_code == 2
    for expected in ["line 2, id: 'asha' already exists", "line 3, name", "line 3, fte: '2' is not a full-time",
                     "line 4, status: 'retired' is not one of", "line 5, leaving_on is needed"]:
        assert f"error: {expected}" in result.stderr, (expected, result.stderr)
    assert cli.dump() == before


def test_an_export_reimports_into_a_fresh_database_with_the_same_cases_and_loads(demo_db, tmp_path):
    from conftest import Cli, moved_in

    old = Cli(demo_db)
    cases_csv, team_csv = tmp_path / "cases.csv", tmp_path / "team.csv"
    old.ok("export", "cases", "--output", str(cases_csv))
    old.ok("worker", "list", "--all", "--format", "csv", "--output", str(team_csv))
    new = moved_in(tmp_path / "new.db", team_csv, cases_csv)
    again = tmp_path / "again.csv"
    new.ok("export", "cases", "--output", str(again))
    assert again.read_text(encoding="utf-8-sig") == cases_csv.read_text(encoding="utf-8-sig")  # every case

    def figures(cli):
        review = json.loads(cli.ok("zone-review", "--format", "json").stdout)
        return {w["id"]: (w["cases"], w["load"], w["high_risk"], w["overdue_reviews"], w["stale"])
                for w in review["workers"]}

    assert figures(new) == figures(old)
    assert "no problems found" in new.ok("doctor").stdout + new.ok("doctor").stderr

    def team(cli, *on):
        listed = json.loads(cli.ok("worker", "list", "--all", "--format", "json").stdout)
        return {w["id"]: {k: v for k, v in w.items() if k != "capacity"} for w in listed}

    assert team(new) == team(old)  # every worker field; `capacity` is the day's, reductions applied

    def capacities(cli, day):  # absences and reductions are not in the files: compare after they end
        review = json.loads(cli.ok("zone-review", "--on", day, "--format", "json").stdout)
        return {w["id"]: w["capacity"] for w in review["workers"]}

    later = (date.fromisoformat(TODAY) + timedelta(days=400)).isoformat()
    assert capacities(new, later) == capacities(old, later), "a reduced capacity is not imported as an override"


def _spreadsheet(folder: Path, seed: int = 12):
    """A team of 12 and 150 live cases as a lead's spreadsheet holds them (European Excel:
    cp1252 and ';'), and what the spreadsheet says is overdue, stale and new per worker."""
    rng = random.Random(seed)
    today = date.fromisoformat(TODAY)
    ids = [f"w{i:02d}" for i in range(12)]
    team = ["Id;Name;Role;FTE;Skills;Languages;Area"] + [
        f"{w.upper()};Worker Naïve {i};worker;{rng.choice(['1', '0,8', '0,6'])};housing;en;North" for i, w in
        enumerate(ids)]
    (folder / "team.csv").write_bytes("\r\n".join(team).encode("cp1252") + b"\r\n")
    lines = ["Client;Tier;Risk;Status;Worker;Opened;Next Review;Last Contact;Held Since"]
    expected = {w: {"cases": 0, "overdue": 0, "stale": 0, "new": 0} for w in ids}
    for n in range(150):
        worker = rng.choice(ids)
        opened = today - timedelta(days=rng.randint(40, 700))
        held = opened + timedelta(days=rng.randint(0, (today - opened).days))
        review = today + timedelta(days=rng.randint(-20, 40))
        contact = today - timedelta(days=rng.randint(0, 45))
        lines.append(f"Client Renée {n};{rng.choice(['low', 'medium', 'high'])};{rng.choice(['low', 'medium', 'high'])};"
                     f"{rng.choice(['active', 'monitoring'])};{worker};{opened};{review};{contact};{held}")
        figures = expected[worker]
        figures["cases"] += 1
        figures["overdue"] += review < today
        figures["stale"] += contact < today - timedelta(days=21)
        figures["new"] += held >= today - timedelta(days=30)
    (folder / "cases.csv").write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    return expected


def test_a_team_of_12_and_150_live_cases_move_in_and_the_first_zone_review_is_true(cli, tmp_path):
    expected = _spreadsheet(tmp_path)
    cli.ok("init")
    cli.ok("worker", "import", "--csv", str(tmp_path / "team.csv"), "--encoding", "cp1252", "--yes")
    dry = cli.ok("intake", "--csv", str(tmp_path / "cases.csv"), "--encoding", "cp1252", "--dry-run")
    overdue = sum(f["overdue"] for f in expected.values())
    stale = sum(f["stale"] for f in expected.values())
    assert f"will show {overdue} review(s) overdue and {stale} contact(s) stale" in dry.stderr
    cli.ok("intake", "--csv", str(tmp_path / "cases.csv"), "--encoding", "cp1252", "--yes")
    review = json.loads(cli.ok("zone-review", "--format", "json").stdout)
    seen = {w["id"]: {"cases": w["cases"], "overdue": w["overdue_reviews"], "stale": w["stale"], "new": w["new_30d"]}
            for w in review["workers"]}
    assert seen == expected  # "new in 30 days" counts from held_since, not the day of the move


def test_held_since_is_the_day_in_history_and_rebalance_reads_it(team, tmp_path):
    """A year-long relationship is not one day old after the move: rebalance moves the case
    taken last week before the one held for a year."""
    path = tmp_path / "cases.csv"
    rows = ["client,tier,risk,worker,opened,held_since"]
    rows += [f"Old {i},intensive,low,cara,2025-01-01,2025-01-02" for i in range(5)]
    rows += ["New one,intensive,low,cara,2025-01-01,2026-11-16"]
    path.write_text("\n".join(rows) + "\n")
    team.ok("intake", "--csv", str(path), "--yes")
    history = json.loads(team.ok("history", "C-0006", "--format", "json").stdout)
    # in time order (issue 22 item 11): the day cara took it, then the day it moved in
    assert [(h["kind"], h["at"][:10]) for h in history] == [("assign", "2026-11-16"), ("intake", "2026-11-23")]
    plan = json.loads(team.ok("rebalance", "--format", "json").stdout)
    moves = plan["moves"] if isinstance(plan, dict) else plan
    assert [m["case"] for m in moves] == ["C-0006"], moves


def test_without_the_dates_the_defaults_count_from_the_opening_day(team, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("client,risk,worker,opened\nA,high,asha,2026-01-01\nB,low,asha,2026-11-20\n")
    dry = team.ok("intake", "--csv", str(path), "--dry-run")
    assert ("the first zone review will show 1 review(s) overdue (1 without next_review: due high 14, medium 28, "
            "low 56 days after opening) and 1 contact(s) stale") in dry.stderr


@pytest.mark.parametrize("text, flags, expected", [
    ("client,tier\nA,low\n", ["--encoding", "ebcdic"], "--encoding: 'ebcdic' is not one of utf-8, cp1252, latin-1"),
    ("client,held_since\nA,2026-01-01\n", [], "line 2, held_since: '2026-01-01' needs a worker who holds the case"),
    ("client,worker,opened,held_since\nA,asha,2026-02-01,2026-01-01\n", [],
     "line 2, held_since: '2026-01-01' is before the case was opened (2026-02-01)"),
    ("client,last_contact\nA,+3d\n", [], "line 2, last_contact: '+3d' is in the future"),
    ("client,status\nA,closed\n", [], "line 2, worker is needed for a closed case"),
    ("client,worker,closed_on\nA,asha,2026-01-01\n", [], "line 2, closed_on: '2026-01-01' goes with status closed"),
    ("client,worker,home_worker\nA,asha,asha\n", [], "line 2, home_worker: 'asha' is the worker holding the case"),
    ("client,worker,home_worker\nA,asha,zed\n", [], "line 2, home_worker: 'zed' is not a worker"),
    ("client,CLIENT\nA,B\n", [], "line 1, header: 'client' appears twice (or under two names)"),
])
def test_bad_cells_of_the_move_are_refused_with_their_line(team, tmp_path, text, flags, expected):
    path = tmp_path / "cases.csv"
    path.write_text(text)
    before = team.dump()
    result = team("intake", "--csv", str(path), "--yes", *flags)
    assert result.exit_code == 2 and f"error: {expected}" in result.stderr, result.stderr
    assert team.dump() == before


def test_a_team_file_takes_ids_and_areas_as_people_type_them_and_starters(cli, tmp_path):
    path = tmp_path / "team.csv"
    path.write_text("Worker,Name,FTE,Area,Starts On,Capacity\n"
                    "Tom,Tom Reid,1,North East,,\nKASIA,Kasia W,1,west,2027-01-04,0\n")
    cli.ok("worker", "import", "--csv", str(path), "--yes")
    listed = {w["id"]: w for w in json.loads(cli.ok("worker", "list", "--format", "json").stdout)}
    assert set(listed) == {"tom", "kasia"}
    assert listed["tom"]["area"] == "north east"
    assert listed["kasia"]["starts_on"] == "2027-01-04" and listed["kasia"]["capacity"] == 0
    ahead = json.loads(cli.ok("zone-review", "--on", "2027-01-04", "--format", "json").stdout)
    kasia = next(w for w in ahead["workers"] if w["id"] == "kasia")
    assert kasia["capacity"] == 90, "a starter's 0 in a listing made before her first day is not an override"
