"""`export cases` as CSV is written by SQLite as text (DESIGN §8): the same cells as the
JSON export and the rules of render/ — the formula guard on every mark a spreadsheet runs,
needs joined with ';', the weight of each tier and status, redaction by case id, quoting
that keeps a comma, a quote or a line break (a bare CR too) inside its cell — and the
columns a re-import needs to give the same cases back (DESIGN §11)."""

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


AWKWARD = {"client": 'Quote "this", please', "summary": "one\rtwo\nthree\r\nfour, \"five\"",
           "close_reason": "=moved,\r\"away\""}


@pytest.fixture
def awkward(team):
    """A closed case whose free text holds every character CSV must quote (a bare CR too)."""
    conn = sqlite3.connect(team.db)
    conn.execute("INSERT INTO cases (id, client, summary, tier, risk, status, worker, opened_on, closed_on, "
                 "close_reason) VALUES ('C-0100', ?, ?, 'low', 'low', 'closed', 'asha', '2026-11-01', "
                 "'2026-11-20', ?)", [AWKWARD["client"], AWKWARD["summary"], AWKWARD["close_reason"]])
    conn.commit()
    conn.close()
    return team


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("command", [("export", "cases"), ("cases", "--status", "closed", "--format", "csv")])
def test_a_bare_cr_or_any_awkward_text_stays_in_its_cell_on_stdout(awkward, command):
    out = awkward.ok(*command).stdout_bytes.decode()  # as written (click's .stdout turns CRLF into LF)
    header, *found = parsed(out)
    assert len(found) == 1, found  # the CR did not start a row of its own
    row = dict(zip(header, found[0]))
    assert (row["client"], row["summary"]) == (AWKWARD["client"], AWKWARD["summary"])
    if "close_reason" in row:
        assert row["close_reason"] == "'" + AWKWARD["close_reason"]  # formula guard
    assert "\r\n" not in out.replace(AWKWARD["summary"].replace('"', '""'), "")  # stdout lines end in LF


def test_awkward_text_stays_in_its_cell_in_a_file(awkward, tmp_path):
    (row,) = exported(awkward, tmp_path)
    assert (row["client"], row["summary"], row["close_reason"]) == (
        AWKWARD["client"], AWKWARD["summary"], "'" + AWKWARD["close_reason"])
    (redacted,) = exported(awkward, tmp_path, "--redact")
    assert (redacted["client"], redacted["summary"], redacted["close_reason"]) == ("C-0100", "C-0100", "")


def test_closed_covered_and_requested_cases_reimport_as_they_were(team, tmp_path):
    team.ok("intake", "--client", "Asked For Ben", "--requested", "ben")
    team.ok("intake", "--client", "Will Close", "--assign", "asha")
    team.ok("close", "C-0002", "--reason", "moved away, \"for good\"")
    team.ok("intake", "--client", "Under Cover", "--assign", "cara")
    team.ok("handover", "cara", "--to", "ben", "--temporary", "--until", "2026-12-04", "--yes")
    cases_csv, team_csv = tmp_path / "cases.csv", tmp_path / "team.csv"
    team.ok("export", "cases", "--output", str(cases_csv))
    team.ok("worker", "list", "--all", "--format", "csv", "--output", str(team_csv))
    by_id = {r["id"]: r for r in rows(cases_csv.read_bytes().decode("utf-8-sig"))}
    assert by_id["C-0001"]["requested"] == "ben"
    assert (by_id["C-0002"]["status"], by_id["C-0002"]["close_reason"]) == ("closed", 'moved away, "for good"')
    assert (by_id["C-0003"]["worker"], by_id["C-0003"]["home_worker"], by_id["C-0003"]["cover_until"]) == (
        "ben", "cara", "2026-12-04")
    from conftest import moved_in

    fresh = moved_in(tmp_path / "fresh.db", team_csv, cases_csv)
    again = tmp_path / "again.csv"
    fresh.ok("export", "cases", "--output", str(again))
    assert again.read_bytes() == cases_csv.read_bytes()
    as_json = {c["id"]: c for c in json.loads(fresh.ok("export", "cases", "--format", "json").stdout)}
    assert (as_json["C-0002"]["close_reason"], as_json["C-0003"]["cover_until"], as_json["C-0001"]["requested"]) == (
        'moved away, "for good"', "2026-12-04", "ben")


# -- the two writers of `export cases` ------------------------------------------

def test_the_store_reads_the_columns_render_names():
    """One column list (render.rows.CASE_EXPORT_COLUMNS): the store's select list is its
    stored columns in its order, and every column has its CSV rule."""
    from caseload.render import rows
    from caseload.store.cases import CASE_EXPORT_FIELDS

    assert CASE_EXPORT_FIELDS == rows.CASE_EXPORT_STORED
    assert len(rows.CASE_EXPORT_CELLS) == len(rows.CASE_EXPORT_COLUMNS)
    assert {kind for _, kind in rows.CASE_EXPORT_CELLS} == {"code", "text", "list", "weight"}


HOSTILE = [*(f"{mark}SUM(A1)" for mark in FORMULA_START), 'say "hi", then go', "line\nbreak", "bare\rCR",
           "crlf\r\nend", "Zoë Łukasz 李雷 🙂", "", "'already quoted", ",leading comma", '"', "\r", "a" * 300]


@pytest.fixture
def hostile(team):
    """Cases of every weight (open tiers and statuses, waiting, closed) whose free text holds
    what a spreadsheet or a CSV reader trips on, written past intake's checks."""
    team.ok("intake", "--client", "Plain Person", "--assign", "asha", "--needs", "housing,benefits")
    team.ok("intake", "--client", "Monitored", "--tier", "intensive", "--assign", "ben")
    team.ok("update", "C-0002", "--status", "monitoring")
    conn = sqlite3.connect(team.db)
    statuses = ("waiting", "active", "monitoring", "closed")
    for n, text in enumerate(HOSTILE):
        status = statuses[n % 4]
        conn.execute("INSERT INTO cases (id, client, summary, tier, risk, status, worker, needs, opened_on, "
                     "closed_on, close_reason) VALUES (?, ?, ?, ?, 'low', ?, ?, ?, '2026-11-01', ?, ?)",
                     [f"C-{100 + n}", text, HOSTILE[-1 - n], ("low", "medium", "high")[n % 3], status,
                      None if status == "waiting" else "asha", "housing" if n % 2 else "",
                      "2026-11-20" if status == "closed" else None, text if status == "closed" else None])
    conn.commit()
    conn.close()
    return team


def written_by_the_csv_module(objects: list[dict], line_end: str) -> str:
    """The rows of the JSON export (the Python path: `render.rows.case_export_rows`) as the
    csv module writes them under the export's rules: each cell as `csv_cell` makes it, the
    freely typed columns always quoted (QUOTE_ALL), the others only when they must be."""
    from caseload.render.numbers import csv_cell
    from caseload.render.rows import CASE_EXPORT_CELLS, CASE_EXPORT_COLUMNS

    def written(value: str, always: bool) -> str:
        if value == "" and not always:
            return ""  # the csv module quotes a row of one empty cell; in a line it is bare
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL if always else csv.QUOTE_MINIMAL, lineterminator="\r\n").writerow([value])
        return out.getvalue()[:-2]

    quoted = [kind == "text" for _, kind in CASE_EXPORT_CELLS]
    lines = [",".join(CASE_EXPORT_COLUMNS)]
    for row in objects:
        lines.append(",".join(written(csv_cell(row[c]), q) for c, q in zip(CASE_EXPORT_COLUMNS, quoted)))
    return "".join(line + line_end for line in lines)


@pytest.mark.parametrize("redact", [(), ("--redact",)], ids=["plain", "redacted"])
def test_sqlite_and_the_csv_module_write_the_same_bytes(hostile, tmp_path, redact):
    """`export cases` as CSV is written by SQLite (store.cases.iter_case_export_csv, for
    speed) under the rules of render.rows: byte for byte what the csv module writes from the
    JSON export's rows, on stdout (LF) and in a file (BOM, CRLF)."""
    objects = json.loads(hostile.ok("export", "cases", "--format", "json", *redact).stdout)
    assert len(objects) == 2 + len(HOSTILE)
    assert hostile.ok("export", "cases", *redact).stdout_bytes.decode() == written_by_the_csv_module(objects, "\n")
    target = tmp_path / "cases.csv"
    hostile.ok("export", "cases", "--output", str(target), *redact)
    assert target.read_bytes().decode() == "\ufeff" + written_by_the_csv_module(objects, "\r\n")
    if redact:
        assert not any(text and text in target.read_text(encoding="utf-8-sig") for text in HOSTILE[:-1]
                       if len(text) > 2)
