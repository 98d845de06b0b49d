"""`--format xlsx` of `export` and `report` (DESIGN §5): each workbook is read back with
openpyxl as a spreadsheet program would: sheets, header, frozen pane, filters, real
date and number cells, zone fills, formulas kept as text, a private file, the same
refusals as every --output."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from datetime import datetime, timezone

import pytest
from conftest import EXPORT_KEYS, TODAY, Cli, dump, writes_over_privately

openpyxl = pytest.importorskip("openpyxl")

EXPORTS = EXPORT_KEYS
REPORT_SHEETS = ["Summary", "Zones", "Waiting", "Overdue reviews", "Stale contact", "Long-open cases",
                 "Covers past end", "Reductions ending", "Red streaks", "Trend"]
FILLS = {"red": "FFFFC7CE", "amber": "FFFFEB9C", "green": "FFC6EFCE", "blue": "FFDDEBF7"}


@pytest.fixture
def demo(demo_db, tmp_path) -> Cli:
    """A private copy of the demo team (8 workers, every zone, recorded reviews)."""
    copy = tmp_path / "demo.db"
    source, target = sqlite3.connect(demo_db), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return Cli(copy)


def read(path):
    return openpyxl.load_workbook(path)


def header(ws) -> list:
    return [c.value for c in next(ws.iter_rows(max_row=1))]


def as_cell(value, column: str):
    """What a JSON value of an export reads as in the workbook."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(value)
    if column == "at" or column.endswith("_at"):
        return datetime.fromisoformat(value).astimezone(timezone.utc).replace(tzinfo=None)
    if column.endswith(("_on", "_until", "_since")) or column in ("date", "on"):
        return datetime.fromisoformat(value)
    return value


@pytest.mark.parametrize("what", list(EXPORTS))
def test_every_export_reads_back_cell_for_cell_as_its_json(demo, tmp_path, what):
    as_json = json.loads(demo.ok("export", what, "--format", "json").stdout)
    result = demo.ok("export", what, "--format", "xlsx", "--output", f"{what}.xlsx")
    assert f"wrote {len(as_json)} row(s) to {what}.xlsx" in result.stderr and result.stdout == ""
    book = read(tmp_path / f"{what}.xlsx")
    assert book.sheetnames == [what]
    ws = book[what]
    assert header(ws) == EXPORTS[what]
    assert ws.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(EXPORTS[what]))
    assert ws.auto_filter.ref == f"A1:{last}{len(as_json) + 1}"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(as_json)
    for row, obj in zip(rows, as_json):
        assert list(row) == [as_cell(obj[c], c) for c in EXPORTS[what]], obj
    for column in range(1, len(EXPORTS[what]) + 1):  # every column sized to its content
        assert 6 <= ws.column_dimensions[openpyxl.utils.get_column_letter(column)].width <= 50


def test_dates_are_dates_and_loads_are_numbers(demo, tmp_path):
    demo.ok("export", "cases", "-f", "xlsx", "-o", "cases.xlsx")
    demo.ok("export", "zones", "-f", "xlsx", "-o", "zones.xlsx")
    demo.ok("export", "history", "-f", "xlsx", "-o", "history.xlsx")
    cases = read(tmp_path / "cases.xlsx")["cases"]
    opened = cases.cell(row=2, column=13)
    assert opened.is_date and opened.number_format == "yyyy-mm-dd"
    weight = cases.cell(row=2, column=12)
    assert weight.data_type == "n" and isinstance(weight.value, (int, float))
    zones = read(tmp_path / "zones.xlsx")["zones"]
    for column in (3, 6, 7, 8):  # fte, load, capacity, load_pct
        assert zones.cell(row=2, column=column).data_type == "n"
    at = read(tmp_path / "history.xlsx")["history"].cell(row=2, column=7)
    assert at.is_date and at.number_format == "yyyy-mm-dd hh:mm"


def test_zone_cells_are_filled_in_their_colour_and_keep_their_word(demo, tmp_path):
    demo.ok("export", "zones", "-f", "xlsx", "-o", "zones.xlsx")
    ws = read(tmp_path / "zones.xlsx")["zones"]
    seen = set()
    for (cell,) in ws.iter_rows(min_row=2, min_col=9, max_col=9):
        assert cell.value in FILLS
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == FILLS[cell.value]
        seen.add(cell.value)
    assert seen == set(FILLS)  # the demo has every zone
    assert ws.cell(row=2, column=2).fill.fill_type is None  # other cells are plain


def test_the_report_has_one_sheet_per_section(demo, tmp_path):
    as_json = json.loads(demo.ok("report", "--format", "json").stdout)
    result = demo.ok("report", "--format", "xlsx", "--output", "report.xlsx")
    assert "wrote report.xlsx" in result.stderr
    book = read(tmp_path / "report.xlsx")
    assert book.sheetnames == REPORT_SHEETS
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    zones = book["Zones"]
    assert header(zones)[:9] == ["id", "name", "cases", "high_risk", "load", "capacity", "load_pct", "zone",
                                 "previous_zone"]
    workers = as_json["zones"]["workers"]
    assert [r[0] for r in zones.iter_rows(min_row=2, values_only=True)] == [w["id"] for w in workers]
    for row, worker in zip(zones.iter_rows(min_row=2), workers):
        assert row[6].value == worker["load_pct"] and row[6].data_type == "n"
        assert row[7].value == worker["zone"] and row[7].fill.fgColor.rgb == FILLS[worker["zone"]]
    summary = {item: cell for item, cell in book["Summary"].iter_rows(min_row=2)}
    assert {i.value for i in summary} >= {"report date", "team zone", "team load %", "intakes"}
    date_cell = next(v for i, v in summary.items() if i.value == "report date")
    assert date_cell.is_date and date_cell.value == datetime.fromisoformat(TODAY)
    zone_cell = next(v for i, v in summary.items() if i.value == "team zone")
    assert zone_cell.fill.fgColor.rgb == FILLS[as_json["zones"]["team"]["zone"]]
    assert any(i.value == "alert" and v.value.startswith("EXCESSIVE") for i, v in summary.items())
    overdue = list(book["Overdue reviews"].iter_rows(min_row=2, values_only=True))
    assert len(overdue) == as_json["overdue_reviews"]["count"]
    assert all(isinstance(row[5], datetime) for row in overdue)  # next_review_on
    trend = list(book["Trend"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == len(as_json["trend"]) and all(isinstance(row[0], datetime) for row in trend)


def test_a_redacted_recorded_report_as_a_workbook(demo, tmp_path):
    demo.ok("report", "--format", "xlsx", "--output", "r.xlsx", "--redact", "--record")
    book = read(tmp_path / "r.xlsx")
    for name in ("Waiting", "Overdue reviews", "Stale contact", "Long-open cases"):
        for case, client, *_ in book[name].iter_rows(min_row=2, values_only=True):
            assert client == case
    with sqlite3.connect(demo.db) as conn:
        assert conn.execute("SELECT count(*) FROM zone_reviews WHERE on_date = ?", (TODAY,)).fetchone()[0] == 1


def test_text_that_looks_like_a_formula_stays_text(demo, tmp_path):
    hostile = ['=HYPERLINK("http://example.org","click")', "+44 20 7946 0000", "-1+2", "@SUM(A1)"]
    for text in hostile:
        demo.ok("intake", "--client", text, "--summary", text)
    demo.ok("export", "cases", "-f", "xlsx", "-o", "cases.xlsx")
    ws = read(tmp_path / "cases.xlsx")["cases"]
    last = list(ws.iter_rows(min_row=ws.max_row - len(hostile) + 1, max_col=3))
    for row, text in zip(last, hostile):
        for cell in row[1:3]:
            assert cell.value == text  # as typed, no added quote
            assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(tmp_path / "cases.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_a_workbook_is_private_and_replaces_a_file_whole(demo, tmp_path):
    target = tmp_path / "zones.xlsx"
    writes_over_privately(demo, target, "export", "zones", "-f", "xlsx", "-o", str(target))
    assert read(target).sheetnames == ["zones"]


def refused(result, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    line = result.stderr.strip()
    assert line.startswith("error: --output") and "\n" not in line, line
    assert result.stdout == "" and "Traceback" not in result.output
    for word in words:
        assert word in line, line


@pytest.mark.parametrize("args", [("export", "cases"), ("report",), ("report", "--record")])
def test_a_workbook_is_never_written_to_stdout(demo, args):
    before = dump(demo.db)
    refused(demo(*args, "--format", "xlsx"), "needed with --format xlsx")
    assert dump(demo.db) == before  # report --record records nothing


@pytest.mark.parametrize("args", [("export", "history"), ("report", "--record")])
def test_a_workbook_gets_every_output_refusal(demo, tmp_path, args):
    before = dump(demo.db)
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("keep me")
    link = tmp_path / "link.xlsx"
    link.symlink_to(secret)
    other = tmp_path / "other.db"
    shutil.copy(demo.db, other)
    for target, why in [(link, "symbolic link"), ("/dev/null", "not a regular file"), (tmp_path, "not a regular file"),
                        (tmp_path / "missing" / "r.xlsx", "folder that does not exist"),
                        (demo.db, "is the database"), (tmp_path / "demo.db-wal", "is the database"),
                        (other, "is an SQLite database")]:
        refused(demo(*args, "--format", "xlsx", "--output", str(target)), why)
    assert secret.read_text() == "keep me" and dump(demo.db) == before


def test_without_openpyxl_one_line_says_how_to_install_it(demo, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    for args in (("export", "cases"), ("report", "--record")):
        before = dump(demo.db)
        result = demo(*args, "--format", "xlsx", "--output", "out.xlsx")
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.strip() == ("error: --format xlsx needs openpyxl, which is not installed: "
                                         "pip install 'caseload[xlsx]'")
        assert not (tmp_path / "out.xlsx").exists() and dump(demo.db) == before


def test_a_sheet_longer_than_a_spreadsheet_holds_is_refused_whole(demo, tmp_path, monkeypatch):
    import tempfile

    # The system's temporary folder does not exist: a sheet spooled there (personal data in a
    # shared folder) would fail the export, so both exports below prove the spool is beside
    # the output (public API only: openpyxl spools through `tempfile`).
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    whole = demo("export", "cases", "-f", "xlsx", "-o", "whole.xlsx")
    assert whole.exit_code == 0, whole.stderr
    assert (tmp_path / "whole.xlsx").exists()
    monkeypatch.setattr("caseload.render.xlsx.MAX_ROWS", 50)
    result = demo("export", "cases", "-f", "xlsx", "-o", "cases.xlsx")
    assert result.exit_code == 1 and "use --format csv" in result.stderr
    assert not list(tmp_path.glob("*cases.xlsx*"))
    assert not (tmp_path / "no-such-folder").exists()
    assert not list(tmp_path.glob(".caseload-xlsx-*")), "the spool folder is removed at once"
    assert tempfile.tempdir == str(tmp_path / "no-such-folder"), "the temporary folder is given back"


def test_text_a_workbook_cannot_hold_is_made_safe(tmp_path):
    from caseload.render.xlsx import MAX_TEXT, Sheet, write_workbook

    write_workbook(tmp_path / "t.xlsx", [Sheet("t", ("a", "=b"), [{"a": "bell\x07here", "=b": "x" * 40_000}])])
    ws = read(tmp_path / "t.xlsx")["t"]
    a, b = next(ws.iter_rows(min_row=2, values_only=True))
    assert a == "bell?here" and len(b) == MAX_TEXT and b.endswith("…")
    assert ws["B1"].value == "=b" and ws["B1"].data_type == "s" and ws["B1"].font.b  # a header is text too


def test_other_formats_never_load_openpyxl(demo_db):
    def loaded(*args: str) -> bool:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")} | {"CASELOAD_TODAY": TODAY}
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "caseload", "--db", str(demo_db), *args],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr[-500:]
        return "openpyxl" in done.stderr

    assert not loaded("export", "cases", "--format", "csv")
    assert not loaded("export", "zones", "--format", "json")
    assert not loaded("report", "--format", "md")
    assert not loaded("zone-review", "--format", "csv")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_an_export_and_a_report(demo, tmp_path):
    demo.ok("export", "cases", "-f", "xlsx", "-o", "cases.xlsx")
    demo.ok("report", "-f", "xlsx", "-o", "report.xlsx")
    profile = tmp_path / "lo-profile"
    for name in ("cases", "report"):
        done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                               "csv", "--outdir", str(tmp_path / "lo"), str(tmp_path / f"{name}.xlsx")],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    lines = (tmp_path / "lo" / "cases.csv").read_text(encoding="utf-8", errors="replace").splitlines()
    assert lines[0].startswith("id,client,summary") and len(lines) > 100
    assert (tmp_path / "lo" / "report.csv").read_text(errors="replace").startswith("item,value")
