"""`export cases` as CSV is made by SQLite cell by cell (DESIGN §8): the same cells as the
JSON export and the rules of render/ — the formula guard on every mark a spreadsheet runs,
needs joined with ';', the weight of each tier and status, redaction by case id."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from caseload.render.numbers import FORMULA_START


@pytest.fixture
def stored(team):
    team.ok("intake", "--client", "Plain Person", "--assign", "asha", "--needs", "housing,benefits")
    team.ok("intake", "--client", "Waiting Person", "--tier", "high")
    team.ok("intake", "--client", "Monitored", "--tier", "intensive", "--assign", "ben")
    team.ok("update", "C-0003", "--status", "monitoring")
    conn = sqlite3.connect(team.db)  # whatever a database holds, not only what intake lets in
    for n, mark in enumerate(FORMULA_START, start=10):
        conn.execute("INSERT INTO cases (id, client, summary, tier, risk, status, opened_on) "
                     "VALUES (?, ?, ?, 'low', 'low', 'waiting', '2026-11-01')",
                     [f"C-00{n}", f"{mark}client", f"{mark}summary"])
    conn.commit()
    conn.close()
    return team


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def exported(team, tmp_path, *args: str) -> list[dict]:
    """The file a spreadsheet opens (--output: CRLF lines, so a cell holding a CR is quoted)."""
    target = tmp_path / "cases.out"
    team.ok("export", "cases", *args, "--output", str(target))
    try:
        return rows(target.read_bytes().decode("utf-8-sig"))
    finally:
        target.unlink()


def test_csv_cells_are_the_json_values_under_the_csv_rules(stored, tmp_path):
    as_csv = {r["id"]: r for r in exported(stored, tmp_path)}
    as_json = {r["id"]: r for r in json.loads(stored.ok("export", "cases", "--format", "json").stdout)}
    assert set(as_csv) == set(as_json)
    for case_id, cells in as_csv.items():
        values = as_json[case_id]
        assert cells["needs"] == ";".join(values["needs"])
        assert cells["weight"] == str(values["weight"])
        for column in ("client", "summary"):
            text = values[column]
            assert cells[column] == ("'" + text if text[:1] in FORMULA_START else text), (case_id, column)
    assert (as_csv["C-0001"]["needs"], as_csv["C-0001"]["weight"]) == ("benefits;housing", "4")
    assert as_csv["C-0002"]["weight"] == "0"  # waiting: no weight
    assert as_csv["C-0003"]["weight"] == "4.5"  # intensive 9 x monitoring 0.5


def test_every_formula_mark_is_guarded(stored, tmp_path):
    by_id = {r["id"]: r for r in exported(stored, tmp_path)}
    for n, mark in enumerate(FORMULA_START, start=10):
        row = by_id[f"C-00{n}"]
        assert (row["client"], row["summary"]) == (f"'{mark}client", f"'{mark}summary"), repr(mark)


def test_redacted_cells_are_the_case_ids(stored, tmp_path):
    for row in exported(stored, tmp_path, "--redact"):
        assert row["client"] == row["summary"] == row["id"]
    assert "Plain Person" not in stored.ok("export", "cases", "--redact").stdout


def test_an_open_case_of_a_tier_missing_from_the_config_writes_nothing(stored, tmp_path):
    (tmp_path / "caseload.yaml").write_text("tiers:\n  low: 3\n  high: 6\n  intensive: 9\ndefault_tier: low\n")
    result = stored("export", "cases", "--output", str(tmp_path / "out.csv"))
    assert result.exit_code == 1 and "tier 'medium' is used by a case but is not in the config" in result.stderr
    assert not (tmp_path / "out.csv").exists()
