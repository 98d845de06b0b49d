"""What the attack on the data protection lifecycle, workbooks and witnesses found, each
mended: Excel error cells, a workbook's wrong declared size, a workbook that unpacks to
far more than a team's, a four-digit year 0001 read as 2001, a witness that is no file."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime

import pytest

openpyxl = pytest.importorskip("openpyxl")

HEADER = ["Ref", "Client name", "Key worker", "Tier", "Risk level", "Date opened"]


def workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def refused(cli, *args) -> str:
    return cli.refused(*args).stderr


def test_an_excel_error_cell_is_refused_by_row_and_column_never_read_as_a_name(team, tmp_path):
    path = workbook(tmp_path / "cases.xlsx", [HEADER, ["X-1", "#N/A", "asha", "low", "low", datetime(2026, 1, 5)],
                                              ["X-2", "Zoë Brown", "asha", "low", "#VALUE!", datetime(2026, 1, 5)]])
    message = refused(team, "intake", "--file", str(path), "--yes")
    assert "line 2" in message and "client" in message and "is an Excel error" in message
    assert "line 3" in message and "risk" in message
    assert "Zoë" not in message


def test_a_workbook_that_declares_a_smaller_size_is_read_whole(team, tmp_path):
    rows = [HEADER] + [[f"X-{n}", f"Client {n}", "asha", "low", "low", datetime(2026, 1, 5)] for n in range(1, 4)]
    good = workbook(tmp_path / "good.xlsx", rows)
    small = tmp_path / "small.xlsx"  # its sheet says A1:C2: three columns, one row of cases
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(small, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[A-Z0-9:]+"\s*/>', b'<dimension ref="A1:C2"/>', data)
                assert b'<dimension ref="A1:C2"/>' in data
            target.writestr(item, data)
    team.ok("intake", "--file", str(small), "--yes")
    cases = {c["id"]: c for c in json.loads(team.ok("export", "cases", "--format", "json").stdout)}
    assert {cases[f"X-{n}"]["worker"] for n in range(1, 4)} == {"asha"}
    assert cases["X-3"]["tier"] == "low" and cases["X-3"]["opened_on"] == "2026-01-05"


def test_a_workbook_that_unpacks_to_more_than_a_teams_is_refused_before_it_is_read(team, tmp_path, monkeypatch):
    import caseload.app.sheets as sheets

    path = workbook(tmp_path / "cases.xlsx", [HEADER, ["X-1", "Client", "asha", "low", "low", datetime(2026, 1, 5)]])
    monkeypatch.setattr(sheets, "UNPACKED_MAX_BYTES", 4096)  # this small one stands for an 800 MB one
    assert "unpacks to more than" in refused(team, "intake", "--file", str(path), "--yes")


def test_a_year_written_with_four_digits_is_that_year(team, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("id,client,opened\nX-1,Old,01/01/0001\n", encoding="utf-8")
    message = refused(team, "intake", "--csv", str(path), "--dates", "dmy", "--yes")
    assert "01/01/0001" in message and "opened" in message
    path.write_text("id,client,opened\nX-1,Short,31/01/25\n", encoding="utf-8")  # a short year: this century's
    team.ok("intake", "--csv", str(path), "--yes")
    (case,) = json.loads(team.ok("export", "cases", "--format", "json").stdout)[-1:]
    assert case["opened_on"] == "2025-01-31"


@pytest.mark.parametrize("given", ["/dev/zero", "folder"])
def test_a_witness_that_is_no_file_is_refused_without_reading_it(team, tmp_path, given):
    path = "/dev/zero" if given == "/dev/zero" else str(tmp_path)
    result = team("doctor", "--witness", path)
    assert result.exit_code == 1 and "is not a caseload witness (not a file)" in result.stderr
