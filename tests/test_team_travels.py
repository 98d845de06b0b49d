"""Day one, item 6 (DESIGN §11 "The whole team travels", issue 21): a team exported and
imported into a fresh database gives the same zone review, figure for figure, on any
date: a worker on a 20 % reduction keeps it, an absent worker stays absent, "new in
30 days" counts from the day each worker took each case (`held_since`), and a worker red
for weeks is still red for those weeks, excessive included (the recorded reviews travel)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from conftest import TODAY, Cli

openpyxl = pytest.importorskip("openpyxl")

THREE_WEEKS_ON = (date.fromisoformat(TODAY) + timedelta(weeks=3)).isoformat()


def review(cli, on: str = TODAY) -> dict:
    """The zone review as JSON, every figure of it."""
    return json.loads(cli.ok("zone-review", "--on", on, "--format", "json").stdout)


def fresh(tmp_path, name: str) -> Cli:
    new = Cli(tmp_path / name)
    new.ok("init")
    return new


@pytest.mark.parametrize("cases_as", ["cases.csv", "cases.xlsx"])
def test_the_demo_exported_as_a_workbook_moves_whole(demo_db, tmp_path, cases_as):
    old = Cli(demo_db)
    old.ok("export", "team", "-o", "team.xlsx")
    old.ok("export", "cases", "-o", cases_as)
    assert openpyxl.load_workbook(tmp_path / "team.xlsx").sheetnames == ["workers", "absences", "reductions",
                                                                         "reviews", "feels"]
    new = fresh(tmp_path, "new.db")
    added = new.ok("worker", "import", "--file", "team.xlsx", "--yes").stderr
    assert "team.xlsx sheet absences: " in added and "team.xlsx sheet reductions: " in added
    assert "team.xlsx sheet reviews: 64 recorded review row(s) valid" in added
    new.ok("intake", "--file", cases_as, "--yes")
    for on in (TODAY, THREE_WEEKS_ON):
        assert review(new, on) == review(old, on), on
    before = {w["id"]: w for w in review(old)["workers"]}
    assert any(w["absent"] for w in before.values()) and any(w["new_30d"] for w in before.values())
    assert before["asha"]["red_weeks"] == 6 and before["asha"]["excessive"]  # the demo's streak came too
    # the record itself, to the second each review was taken (a workbook's time cells), and
    # the workers' own views: the week they said they were overwhelmed, as it was
    for what in ("reviews", "feels"):
        assert new.ok("export", what).stdout == old.ok("export", what).stdout, what
    that_week = {"CASELOAD_TODAY": "2026-11-22"}  # the last day of a week with views recorded
    seen = [json.loads(db.ok("zone-review", "--format", "json", env=that_week).stdout) for db in (old, new)]
    assert seen[0] == seen[1] and {w["id"]: w["feels"] for w in seen[0]["workers"]}["dev"] == "overwhelmed"
    assert new.ok("weights", "--format", "json").stdout == old.ok("weights", "--format", "json").stdout
    trend = [json.loads(db.ok("report", "--format", "json").stdout)["trend"] for db in (old, new)]
    assert trend[0] == trend[1] and len(trend[0]) >= 8


def test_the_demo_exported_as_csv_files_moves_whole(demo_db, tmp_path):
    old = Cli(demo_db)
    for what in ("workers", "absences", "reductions", "reviews", "feels", "cases"):
        old.ok("export", what, "-o", f"{what}.csv")
    new = fresh(tmp_path, "new.db")
    new.ok("worker", "import", "--file", "workers.csv", "--absences", "absences.csv", "--reductions", "reductions.csv",
           "--reviews", "reviews.csv", "--feels", "feels.csv", "--yes")
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
    assert set(document) == {"workers", "absences", "reductions", "reviews", "feels"}
    team.ok("worker", "absent", "ben", "--from", "+1d", "--until", "+5d")
    rows = json.loads(team.ok("export", "absences", "--format", "json").stdout)
    assert [(r["worker"], r["reason"], r["state"]) for r in rows] == [("ben", "leave", "scheduled")]
    team.ok("export", "reductions", "-o", "reductions.xlsx")  # the format from the name
    assert openpyxl.load_workbook(tmp_path / "reductions.xlsx").sheetnames == ["reductions"]


def test_a_json_export_given_to_an_import_is_told_to_use_a_workbook_or_csv(team, tmp_path):
    team.ok("export", "team", "-o", "team.json")
    for args in (("worker", "import", "--file", "team.json", "--yes"), ("intake", "--file", "team.json", "--yes")):
        refused = team.refused(*args).stderr
        assert "--file: 'team.json' is JSON, which is for scripts: caseload reads a workbook (.xlsx) or CSV" in refused


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


def test_a_bad_reviews_file_adds_nobody_and_names_each_problem(cli, tmp_path):
    cli.ok("zone-review", "--record")  # the database's own review of today: an import never writes over it
    (tmp_path / "team.csv").write_text("id,name\nasha,Asha Patel\nben,Ben Okafor\n")
    (tmp_path / "reviews.csv").write_text(
        "on,kind,worker,cases,load,capacity,zone\n"
        "2026-11-16,meeting,asha,3,12,90,blue\n"
        "2026-11-16,nightly,ben,2,8,90,blue\n"      # a second kind on the same day
        "2026-11-16,meeting,asha,3,12,90,blue\n"    # asha twice that day
        "2026-12-01,meeting,asha,3,12,90,blue\n"    # after today
        "2026-11-09,meeting,zed,1,6,90,purple\n"    # nobody, no such zone
        f"{TODAY},meeting,ben,1,6,90,blue\n")       # the database has today's review already
    before = cli.dump()
    result = cli("worker", "import", "--file", "team.csv", "--reviews", "reviews.csv", "--yes")
    assert result.exit_code == 2 and "Traceback" not in result.output
    for expected in ["line 3, reviews.csv kind: 'nightly' differs from line 2's meeting on 2026-11-16 (a day is one "
                     "review)",
                     "line 4, reviews.csv worker: 'asha' repeats line 2 on 2026-11-16",
                     "line 5, reviews.csv on: '2026-12-01' is after today (2026-11-23)",
                     "line 6, reviews.csv worker: 'zed' is not a worker of the team file or the team",
                     "line 6, reviews.csv zone: 'purple' is not one of blue, green, amber, red",
                     f"line 7, reviews.csv on: '{TODAY}' is in a week this database has a recorded review of "
                     f"already ({TODAY})"]:
        assert f"error: {expected}" in result.stderr, (expected, result.stderr)
    assert cli.dump() == before


def test_a_reviews_day_is_one_review_at_one_moment_made_utc(cli, tmp_path):
    (tmp_path / "team.csv").write_text("id,name\nasha,Asha Patel\nben,Ben Okafor\n")
    header = "on,worker,cases,load,capacity,zone,recorded_at,recorded_by\n"
    (tmp_path / "split.csv").write_text(header + "2026-11-16,asha,3,12,90,blue,2026-11-16T18:00:00+00:00,alice\n"
                                                 "2026-11-16,ben,3,12,90,blue,2026-11-16T18:00:00+00:00,bob\n"
                                                 "2026-11-09,ben,3,12,90,blue,3026-11-09T18:00:00,bob\n")
    refused = cli.refused("worker", "import", "--file", "team.csv", "--reviews", "split.csv", "--yes").stderr
    assert "line 3, split.csv recorded_by: 'bob' differs from line 2's on 2026-11-16 (a day is one review)" in refused
    assert "line 4, split.csv recorded_at: '3026-11-09T18:00:00' is not on the review's day (2026-11-09)" in refused
    (tmp_path / "late.csv").write_text(header + "2026-11-16,asha,3,12,90,blue,16/11/2026 25:00,\n")
    late = cli.refused("worker", "import", "--file", "team.csv", "--reviews", "late.csv", "--yes").stderr
    assert "line 2, late.csv recorded_at: '16/11/2026 25:00' is not a moment in ISO form" in late  # no 25 o'clock
    (tmp_path / "zones.csv").write_text(header + "2026-11-16,asha,3,\"12,5\",90,blue,2026-11-16T18:00:00+14:00,\n"
                                                 "2026-11-16,ben,3,1e-06,36.00000018,blue,2026-11-16T04:00:00Z,\n")
    cli.ok("worker", "import", "--file", "team.csv", "--reviews", "zones.csv", "--yes")
    rows = json.loads(cli.ok("export", "reviews", "--format", "json").stdout)
    # +14:00 and Z are one moment in UTC; a decimal comma, an exponent and 8 decimals read exactly
    assert [(r["worker"], r["load"], r["capacity"], r["recorded_at"]) for r in rows] == [
        ("asha", 12.5, 90, "2026-11-16T04:00:00+00:00"), ("ben", 1e-06, 36.00000018, "2026-11-16T04:00:00+00:00")]


def test_a_review_with_a_load_of_millions_of_per_cent_keeps_the_report_small(cli, tmp_path):
    """A capacity of almost nothing (a typo: 0.001 for 90) is a load of 10 million per cent:
    the trend chart's scale stops at CHART_TOP, not a label every 20 % up to it."""
    (tmp_path / "team.csv").write_text("id,name\nasha,Asha Patel\n")
    (tmp_path / "reviews.csv").write_text("on,worker,cases,load,capacity,zone\n2026-11-09,asha,25,109,90,red\n"
                                          "2026-11-16,asha,25,109,0.001,red\n")
    cli.ok("worker", "import", "--file", "team.csv", "--reviews", "reviews.csv", "--yes")
    cli.ok("report", "--format", "html", "--output", "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert len(page) < 200_000 and ">300%<" in page and ">320%<" not in page
    assert json.loads(cli.ok("report", "--format", "json").stdout)["trend"][1]["workers"]["asha"] == 10_900_000


def test_a_worker_on_a_third_less_travels_exactly(team, tmp_path):
    """Figures are exported exact (fte, a reduction's amount, a review's capacity), so a
    cut of 33.333333 % comes back as itself, not as 33.33 %: the same capacity, to the point."""
    team.ok("worker", "reduce", "ben", "--percent", "33.333333", "--reason", "training", "--from", "2026-11-01")
    team.ok("worker", "edit", "cara", "--fte", "0.333333")
    team.ok("zone-review", "--record")
    team.ok("export", "team", "-o", "team.xlsx")
    new = fresh(tmp_path, "new.db")
    new.ok("worker", "import", "--file", "team.xlsx", "--yes")
    assert review(new) == review(team)
    assert new.ok("export", "reviews").stdout == team.ok("export", "reviews").stdout


def test_bad_views_add_nobody_and_a_week_with_a_view_is_not_given_another(cli, tmp_path):
    cli.ok("worker", "add", "asha", "--name", "Asha Patel")
    cli.ok("worker", "feels", "asha", "stretched")  # this week's view (2026-11-23)
    (tmp_path / "team.csv").write_text("id,name\nben,Ben Okafor\n")
    (tmp_path / "feels.csv").write_text("worker,on,feeling\nben,16/11/2026,Overwhelmed\nben,2026-11-17,fine\n"
                                        "asha,2026-11-24,stretched\nasha,2026-11-23,manageable\nzed,2026-11-16,"
                                        "stretched\n")
    refused = cli.refused("worker", "import", "--file", "team.csv", "--feels", "feels.csv", "--yes").stderr
    for expected in ["line 3, feels.csv feeling: 'fine' is not one of manageable, stretched, overwhelmed",
                     "line 4, feels.csv on: '2026-11-24' is after today (2026-11-23)",
                     "line 5, feels.csv on: '2026-11-23' is in a week this database has asha's own view of already",
                     "line 6, feels.csv worker: 'zed' is not a worker of the team file or the team"]:
        assert f"error: {expected}" in refused, (expected, refused)
    assert "line 2" not in refused  # a UK date and a capital letter, as typed, are fine


def test_the_team_saved_again_by_a_uk_excel_travels_too(demo_db, tmp_path):
    """Each sheet of `export team` opened in Excel on a UK PC and saved as "CSV (Comma
    delimited)": cp1252, `;`, dd/mm/yyyy dates, a time cell as "28/09/2026 18:00", a
    decimal comma. The reviews and views come back as they were."""
    import csv
    import io

    old = Cli(demo_db)
    new = fresh(tmp_path, "new.db")
    files = {}
    for what in ("workers", "reviews", "feels"):
        rows = list(csv.reader(io.StringIO(old.ok("export", what).stdout)))
        for row in rows[1:]:
            for i, cell in enumerate(row):
                if len(cell) >= 10 and cell[4] == "-" and cell[7] == "-":  # an ISO date or moment, as Excel shows it
                    row[i] = f"{cell[8:10]}/{cell[5:7]}/{cell[0:4]}" + (f" {cell[11:16]}" if "T" in cell else "")
                elif cell.replace(".", "", 1).isdigit() and "." in cell:
                    row[i] = cell.replace(".", ",")
        text = io.StringIO()
        csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
        (tmp_path / f"{what}.csv").write_bytes(text.getvalue().encode("cp1252"))
        files[what] = text.getvalue()
    assert "28/09/2026 18:00" in files["reviews"] and "81,5" in files["reviews"]
    new.ok("worker", "import", "--file", "workers.csv", "--reviews", "reviews.csv", "--feels", "feels.csv",
           "--encoding", "cp1252", "--dates", "dmy", "--yes")
    for what in ("reviews", "feels"):
        assert new.ok("export", what).stdout == old.ok("export", what).stdout, what


def test_reviews_typed_by_hand_in_a_uk_workbook_give_the_red_streak(cli, tmp_path):
    """A lead's own record of past meetings (UK dates, no recorded_at, zones as typed): the
    streak counts them, each recorded at the end of its day."""
    from datetime import datetime

    book = openpyxl.Workbook()
    book.active.append(["Staff ID", "Full name", "FTE"])
    book.active.append(["asha", "Asha Patel", 1])
    meetings = book.create_sheet("reviews")
    meetings.append(["Date", "Worker", "Cases", "Load", "Capacity", "Zone"])
    for day in (2, 9, 16):
        meetings.append([datetime(2026, 11, day), "asha", 20, 100.5, 90, "Red"])
    book.save(tmp_path / "team.xlsx")
    cli.ok("worker", "import", "--file", "team.xlsx", "--yes")
    for n in range(17):
        cli.ok("intake", "--client", f"Client {n}", "--tier", "high", "--assign", "asha")  # 102 of 90: red
    asha = review(cli)["workers"][0]
    assert (asha["id"], asha["zone"], asha["red_weeks"], asha["excessive"]) == ("asha", "red", 4, True)
    rows = json.loads(cli.ok("export", "reviews", "--format", "json").stdout)
    assert [(r["on"], r["kind"], r["load"], r["recorded_at"], r["recorded_by"]) for r in rows][0] == \
        ("2026-11-02", "meeting", 100.5, "2026-11-02T23:59:59+00:00", "lead")


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
