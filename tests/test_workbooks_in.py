"""Day one, item 3 (DESIGN §11 "Workbooks as they are", issue 21): `intake --file cases.xlsx`
and `worker import --file team.xlsx` read the workbook itself, built here as Excel on a
UK PC leaves it (date cells, a numeric Ref column, typed headers, trailing empty rows and
columns), through the same checks and messages as a CSV file. A workbook that cannot be
read exits 2 with one message naming the problem, and nothing is written."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

openpyxl = pytest.importorskip("openpyxl")


def workbook(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return str(path)


def refused(cli, *args):
    return cli.refused(*args).stderr


UK_CASES = [
    ["Ref", "Client name", "Key worker", "Risk level", "Date opened", "Next review", "Needs", None, None],
    [182, "Maria Nguyen", "Asha", "High", datetime(2026, 1, 5), date(2026, 12, 1), "housing"],
    ["PR-0007", "Zoë Brown", "ben", "low", datetime(2025, 11, 30, 0, 0), None, None, None],
    [None, "Łukasz Wiśniewski", None, "medium", "31/10/2026", None, None],  # a date typed as text
    [None] * 9,
    [None] * 9,
]


def test_a_uk_workbook_moves_in_as_excel_left_it(team, tmp_path):
    path = workbook(tmp_path / "Caseload 2026.xlsx", {"Caseload": UK_CASES})
    result = team.ok("intake", "--file", path, "--yes")
    assert "3 row(s) valid; 2 already held, 0 to assign by rule, 1 to wait" in result.stderr
    cases = {c["client"]: c for c in json.loads(team.ok("export", "cases", "--format", "json").stdout)}
    maria = cases["Maria Nguyen"]
    assert maria["id"] == "182"  # a number cell of the Ref column, never "182.0"
    assert (maria["worker"], maria["risk"], maria["opened_on"], maria["next_review_on"]) == \
        ("asha", "high", "2026-01-05", "2026-12-01")
    assert cases["Zoë Brown"]["opened_on"] == "2025-11-30"  # a date cell: no dmy question
    assert cases["Łukasz Wiśniewski"]["opened_on"] == "2026-10-31"


def test_the_sheet_is_chosen_by_name_and_an_unknown_one_lists_the_sheets(team, tmp_path):
    path = workbook(tmp_path / "book.xlsx", {"Notes": [["anything"]], "Live cases": UK_CASES})
    assert "'Nope' is not a sheet of book.xlsx (its sheets: Notes, Live cases)" in \
        refused(team, "intake", "--file", path, "--sheet", "Nope", "--yes")
    first = refused(team, "intake", "--file", path, "--yes")  # the first sheet, and which others there are
    assert "line 1 is not a header row" in first
    assert ("line 1, --sheet was not given, so the first sheet (Notes) was read; book.xlsx has Notes, Live cases: "
            "`--sheet NAME` reads another") in first
    team.ok("intake", "--file", path, "--sheet", "live cases", "--yes")
    assert len(json.loads(team.ok("cases", "--format", "json").stdout)) == 3


def test_rows_of_a_workbook_are_checked_and_named_by_their_row_number(team, tmp_path):
    path = workbook(tmp_path / "cases.xlsx", {"Cases": [
        ["Client", "Risk", "Worker", "Phone"],
        ["A", "high", "asha", "07700 900123"],
        ["B", "extreme", "asha"],
        ["C", "low", "zed", None, "stray"],
    ]})
    stderr = refused(team, "intake", "--file", path, "--yes")
    assert "line 1, header: 'Phone' is not a column" in stderr
    stderr = refused(team, "intake", "--file", path, "--ignore-unknown", "--yes")
    assert "line 3, risk:" in stderr and "line 4 has a value in column 5, which has no name" in stderr


def test_a_team_workbook_with_typed_headers_and_a_start_date_cell(cli, tmp_path):
    path = workbook(tmp_path / "team.xlsx", {"Team": [
        ["Staff ID", "Full name", "FTE", "Skills", "Start date", None],
        ["Asha", "Asha Patel", 1, "mental health, housing", None],
        ["Ben", "Ben Łukasz", 0.8, "housing", datetime(2027, 1, 4)],
        [None, None, None],
    ]})
    cli.ok("worker", "import", "--file", path, "--yes")
    listed = {w["id"]: w for w in json.loads(cli.ok("worker", "list", "--format", "json").stdout)}
    assert set(listed["asha"]["skills"]) == {"mental health", "housing"}
    assert (listed["ben"]["name"], listed["ben"]["fte"], listed["ben"]["starts_on"]) == ("Ben Łukasz", 0.8,
                                                                                         "2027-01-04")


@pytest.mark.parametrize("content, expected", [
    (b"", "cases.xlsx' is empty (0 bytes), not a workbook"),
    (b"client,tier\nA,low\n", "cases.xlsx' is not an Excel workbook (an .xlsx file is a zip file; this one is not)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "cases.xlsx' is a password-protected workbook or an old .xls"),
    (b"PK\x03\x04" + bytes(60), "cases.xlsx' cannot be read as an Excel workbook"),
])
def test_a_workbook_that_cannot_be_read_is_refused_in_one_message(team, tmp_path, content, expected):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(content)
    stderr = refused(team, "intake", "--file", str(path), "--yes")
    assert stderr.startswith("error: --file: '") and expected in stderr and len(stderr.splitlines()) == 1, stderr


def test_a_cut_off_workbook_and_an_empty_sheet_are_refused(team, tmp_path):
    whole = tmp_path / "whole.xlsx"
    workbook(whole, {"Cases": UK_CASES})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[:len(whole.read_bytes()) // 2])
    assert "cannot be read as an Excel workbook" in refused(team, "intake", "--file", str(cut), "--yes")
    empty = workbook(tmp_path / "empty.xlsx", {"Sheet1": []})
    assert "'empty.xlsx, sheet Sheet1' is empty (it needs a header row" in \
        refused(team, "worker", "import", "--file", empty, "--yes")


def test_a_workbook_under_a_csv_name_is_read_as_a_workbook_and_encoding_is_advised_against(team, tmp_path):
    named_csv = tmp_path / "cases.csv"
    workbook(named_csv, {"Cases": UK_CASES})
    assert "is for CSV files; cases.csv is a workbook, whose text needs no encoding: leave out --encoding" in \
        refused(team, "intake", "--csv", str(named_csv), "--encoding", "cp1252", "--yes")
    team.ok("intake", "--csv", str(named_csv), "--yes")
    assert len(json.loads(team.ok("cases", "--format", "json").stdout)) == 3


def test_sheet_goes_with_a_workbook(team, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("client\nA\n")
    assert "--sheet: 'Cases' goes with a workbook (.xlsx); cases.csv is a CSV file" in \
        refused(team, "intake", "--file", str(path), "--sheet", "Cases", "--yes")


def test_a_teams_own_headers_by_map_in_a_workbook(team, tmp_path):
    path = workbook(tmp_path / "cases.xlsx", {"Cases": [
        ["Service user name", "Allocated officer", "Opened"],
        ["Maria Nguyen", "asha", datetime(2026, 3, 2)],
    ]})
    team.ok("intake", "--file", path, "--map", "Service user name=client,Allocated officer=worker", "--yes")
    case = json.loads(team.ok("cases", "--format", "json").stdout)[0]
    assert (case["client"], case["worker"], case["opened_on"]) == ("Maria Nguyen", "asha", "2026-03-02")
