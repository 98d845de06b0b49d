"""Day one, item 6 (DESIGN §11 "The whole team travels", issue 21): a team exported and
imported into a fresh database gives the same zone review, figure for figure, on any
date: a worker on a 20 % reduction keeps it, an absent worker stays absent, and "new in
30 days" counts from the day each worker took each case (`held_since`)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from conftest import TODAY, Cli

openpyxl = pytest.importorskip("openpyxl")

THREE_WEEKS_ON = (date.fromisoformat(TODAY) + timedelta(weeks=3)).isoformat()


def review(cli, on: str = TODAY) -> dict:
    """The zone review as JSON, without the figures of recorded reviews (red weeks and
    excessive count the meetings a team held, which are its history, not its present)."""
    found = json.loads(cli.ok("zone-review", "--on", on, "--format", "json").stdout)
    for worker in found["workers"]:
        del worker["red_weeks"], worker["excessive"]
    return found


def fresh(tmp_path, name: str) -> Cli:
    new = Cli(tmp_path / name)
    new.ok("init")
    return new


@pytest.mark.parametrize("cases_as", ["cases.csv", "cases.xlsx"])
def test_the_demo_exported_as_a_workbook_moves_whole(demo_db, tmp_path, cases_as):
    old = Cli(demo_db)
    old.ok("export", "team", "-o", "team.xlsx")
    old.ok("export", "cases", "-o", cases_as)
    assert openpyxl.load_workbook(tmp_path / "team.xlsx").sheetnames == ["workers", "absences", "reductions"]
    new = fresh(tmp_path, "new.db")
    added = new.ok("worker", "import", "--file", "team.xlsx", "--yes").stderr
    assert "team.xlsx sheet absences: " in added and "team.xlsx sheet reductions: " in added
    new.ok("intake", "--file", cases_as, "--yes")
    for on in (TODAY, THREE_WEEKS_ON):
        assert review(new, on) == review(old, on), on
    before = {w["id"]: w for w in review(old)["workers"]}
    assert any(w["absent"] for w in before.values()) and any(w["new_30d"] for w in before.values())


def test_the_demo_exported_as_csv_files_moves_whole(demo_db, tmp_path):
    old = Cli(demo_db)
    for what in ("workers", "absences", "reductions", "cases"):
        old.ok("export", what, "-o", f"{what}.csv")
    new = fresh(tmp_path, "new.db")
    new.ok("worker", "import", "--file", "workers.csv", "--absences", "absences.csv", "--reductions", "reductions.csv",
           "--yes")
    new.ok("intake", "--file", "cases.csv", "--yes")
    for on in (TODAY, THREE_WEEKS_ON):
        assert review(new, on) == review(old, on), on
    again = {what: new.ok("export", what, "--format", "json").stdout for what in ("absences", "reductions")}
    for what, text in again.items():  # the same rows, bar the new database's ids
        strip = [{k: v for k, v in row.items() if k != "id"} for row in json.loads(text)]
        assert strip == [{k: v for k, v in row.items() if k != "id"}
                         for row in json.loads(old.ok("export", what, "--format", "json").stdout)]


def test_a_reduced_and_an_absent_worker_stay_so_and_new_cases_stay_new(team, tmp_path):
    team.ok("worker", "reduce", "ben", "--percent", "20", "--reason", "phased return", "--from", "-30d")
    team.ok("worker", "absent", "cara", "--from", "-2d", "--until", "+10d", "--reason", "sickness",
            "--cover", "asha")
    team.ok("intake", "--client", "Old Case", "--assign", "ben", "--opened", "-200d")
    team.ok("intake", "--client", "New Case", "--assign", "ben")
    team.ok("export", "team", "-o", "team.xlsx")
    team.ok("export", "cases", "-o", "cases.csv")
    new = fresh(tmp_path, "new.db")
    new.ok("worker", "import", "--file", "team.xlsx", "--yes")
    new.ok("intake", "--file", "cases.csv", "--yes")
    figures = {w["id"]: w for w in review(new)["workers"]}
    assert figures["ben"]["capacity"] == 57.6  # 72 less 20 %, not back at full capacity
    assert figures["cara"]["absent"] and figures["ben"]["new_30d"] == 2
    assert review(new) == review(team)
    assert review(new, THREE_WEEKS_ON) == review(team, THREE_WEEKS_ON)  # cara back, ben still reduced


def test_held_since_is_exported_and_read_back(team, tmp_path):
    team.ok("intake", "--client", "A", "--assign", "asha", "--opened", "-90d")
    team.ok("reassign", "C-0001", "--to", "ben", "--reason", "caseload")
    row = json.loads(team.ok("export", "cases", "--format", "json").stdout)[0]
    assert (row["worker"], row["held_since"]) == ("ben", TODAY)
    assert "held_since" in team.ok("export", "cases").stdout.splitlines()[0].split(",")


def test_export_team_is_a_workbook_or_json_never_one_csv(team, tmp_path):
    result = team("export", "team", "--format", "csv")
    assert result.exit_code == 2 and "--format: 'csv' cannot hold the whole team in one file" in result.stderr
    document = json.loads(team.ok("export", "team", "--format", "json").stdout)
    assert set(document) == {"workers", "absences", "reductions"}
    team.ok("worker", "absent", "ben", "--from", "+1d", "--until", "+5d")
    rows = json.loads(team.ok("export", "absences", "--format", "json").stdout)
    assert [(r["worker"], r["reason"], r["state"]) for r in rows] == [("ben", "leave", "scheduled")]
    team.ok("export", "reductions", "-o", "reductions.xlsx")  # the format from the name
    assert openpyxl.load_workbook(tmp_path / "reductions.xlsx").sheetnames == ["reductions"]


def test_bad_absences_or_reductions_add_nobody_and_name_their_file_and_line(cli, tmp_path):
    (tmp_path / "team.csv").write_text("id,name\nasha,Asha Patel\nben,Ben Okafor\n")
    (tmp_path / "absences.csv").write_text("worker,starts_on,ends_on,reason\nasha,2026-12-01,2026-11-01,leave\n"
                                           "zed,2026-12-01,2026-12-02,holiday\n")
    (tmp_path / "reductions.csv").write_text("worker,kind,amount,reason,starts_on\nben,percent,120,training,"
                                             "2026-01-01\nben,hours,2,training,2026-01-01\n")
    before = cli.dump()
    result = cli("worker", "import", "--file", "team.csv", "--absences", "absences.csv", "--reductions",
                 "reductions.csv", "--yes")
    assert result.exit_code == 2 and "Traceback" not in result.output
    for expected in ["line 2, absences.csv ends_on: '2026-11-01' is before starts_on (2026-12-01)",
                     "line 3, absences.csv worker: 'zed' is not a worker of the team file or the team",
                     "line 3, absences.csv reason: 'holiday' is not one of leave, sickness, training, other",
                     "line 2, reductions.csv amount: '120' must be more than 0 and at most 100",
                     "line 3, reductions.csv kind: 'hours' is not one of percent, points"]:
        assert f"error: {expected}" in result.stderr, (expected, result.stderr)
    assert cli.dump() == before


def test_a_uk_team_workbook_with_its_absences_typed_as_people_type_them(cli, tmp_path):
    from datetime import datetime

    book = openpyxl.Workbook()
    book.active.title = "Team"
    for row in [["Staff ID", "Full name", "FTE"], ["Asha", "Asha Patel", 1], ["Ben", "Ben Okafor", 0.8]]:
        book.active.append(row)
    away = book.create_sheet("Absences")
    for row in [["Worker", "From", "Until", "Reason", "Covered by"],
                ["ben", datetime(2026, 11, 20), datetime(2026, 12, 4), "Sickness", "asha"], [None] * 5]:
        away.append(row)
    book.save(tmp_path / "team.xlsx")
    cli.ok("worker", "import", "--file", "team.xlsx", "--yes")
    rows = json.loads(cli.ok("export", "absences", "--format", "json").stdout)
    assert [(r["worker"], r["starts_on"], r["ends_on"], r["reason"], r["cover"]) for r in rows] == \
        [("ben", "2026-11-20", "2026-12-04", "sickness", "asha")]
