"""Spreadsheet files as an attacker (and a real lead) brought them (DESIGN §6, §11):
Excel's trailing empty columns, dates as spreadsheets save them, the `'` that `export`
puts before a formula character, a UTF-8 file read as cp1252, tier codes in messages."""

from __future__ import annotations

import json

import pytest


def write(tmp_path, text: str, name: str = "cases.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def refused(cli, *args) -> list[str]:
    return cli.refused(*args).stderr.splitlines()


def clients(cli) -> dict[str, dict]:
    return {c["client"]: c for c in json.loads(cli.ok("export", "cases", "--format", "json").stdout)}


# --- 1. Excel's trailing `;;;` --------------------------------------------------------------

def test_empty_columns_with_empty_cells_are_left_out(team, tmp_path):
    path = write(tmp_path, "Client;Tier;Worker;;;\r\nMaria Nguyen;high;asha;;;\r\nRavi;low;;;;\r\n")
    team.ok("intake", "--csv", path, "--yes")
    assert set(clients(team)) == {"Maria Nguyen", "Ravi"}


def test_a_team_file_with_trailing_empty_columns_comes_in(cli, tmp_path):
    path = write(tmp_path, "Id;Name;;\r\nTom;Tom Smith;;\r\n", name="team.csv")
    cli.ok("worker", "import", "--csv", path, "--yes")
    assert [w["id"] for w in json.loads(cli.ok("worker", "list", "--format", "json").stdout)] == ["tom"]


def test_a_value_under_an_empty_header_is_one_problem_naming_line_and_column(team, tmp_path):
    path = write(tmp_path, "client;tier;;;\nA;low;;;\nB;low;;Maria Nguyen;x\nC;low;Zoë;;\n")
    lines = refused(team, "intake", "--csv", path, "--yes")
    assert lines == [
        "error: line 3 has values in columns 4 and 5, which have no name in the header row (name the column in "
        "line 1, or clear the cells)",
        "error: line 4 has a value in column 3, which has no name in the header row (name the column in line 1, "
        "or clear the cells)",
        "error: 2 problem(s) found; nothing was written"]
    assert "Maria" not in "\n".join(lines) and "Zoë" not in "\n".join(lines)


# --- 2. Dates as spreadsheets save them ---------------------------------------------------

@pytest.mark.parametrize("cell", ["2025-06-01 00:00:00", "2025-06-01T00:00:00", "2025-06-01 00:00"])
def test_a_date_saved_with_its_time_is_the_date(team, tmp_path, cell):
    path = write(tmp_path, f"client,worker,opened,next_review,last_contact,held_since\n"
                           f"A,asha,{cell},{cell},{cell},{cell}\n")
    team.ok("intake", "--csv", path, "--yes")
    case = clients(team)["A"]
    assert (case["opened_on"], case["next_review_on"], case["last_contact_on"]) == ("2025-06-01",) * 3


@pytest.mark.parametrize("cell, expected", [
    ("01/12/2026", "--dates is needed: every date in opened reads both day-first and month-first"),
    ("31.13.2025", "line 2, opened: '31.13.2025' is not a date in any order"),
    ("2026-13-01 00:00:00", "line 2, opened: '2026-13-01 00:00:00' is not a real date"),
    ("2027-01-01 00:00:00", "line 2, opened: '2027-01-01 00:00:00' is in the future"),
    ("32/12/9999", "line 2, opened: '32/12/9999' is no such day: December 9999 has 31 days"),  # no next month
    ("12/32/9999", "line 2, opened: '12/32/9999' is no such day: December 9999 has 31 days"),
])
def test_a_bad_date_is_shown_with_how_to_write_it(team, tmp_path, cell, expected):
    lines = refused(team, "intake", "--csv", write(tmp_path, f"client,opened\nA,{cell}\n"), "--yes")
    assert lines[0].startswith(f"error: {expected}"), lines


def test_a_date_of_a_team_file_with_its_time(cli, tmp_path):
    path = write(tmp_path, "id,name,starts_on\ntom,Tom Smith,2026-12-01 00:00:00\n", name="team.csv")
    cli.ok("worker", "import", "--csv", path, "--yes")
    assert json.loads(cli.ok("worker", "list", "--format", "json").stdout)[0]["starts_on"] == "2026-12-01"


# --- 3. The export's `'` guard comes off on the way back in --------------------------------

GUARDED = ["+44 7700 900123", "- referred by GP", "=SUM(A1)", "@home"]


def test_an_exported_guarded_cell_comes_back_without_its_apostrophe(team, tmp_path):
    for text in GUARDED:
        team.ok("intake", "--client", text, "--summary", text, "--assign", "asha")
    team.ok("intake", "--client", "O'Brien", "--summary", "'quoted'", "--assign", "ben")
    exported = tmp_path / "out.csv"
    team.ok("export", "cases", "--format", "csv", "--output", str(exported))
    assert "'+44" in exported.read_text()  # the export guards it
    from conftest import Cli, build_team

    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    build_team(fresh)
    fresh.ok("intake", "--csv", str(exported), "--yes")
    back = clients(fresh)
    assert {c: back[c]["summary"] for c in back} == {**{t: t for t in GUARDED}, "O'Brien": "'quoted'"}


def test_only_one_apostrophe_and_only_before_a_formula_character_comes_off(team, tmp_path):
    path = write(tmp_path, "client,summary\n'+44 1,''+x\n'Brien,'- GP\n")
    team.ok("intake", "--csv", path, "--yes")
    assert {c: v["summary"] for c, v in clients(team).items()} == {"+44 1": "''+x", "'Brien": "- GP"}


# --- 4. A UTF-8 file read as cp1252 --------------------------------------------------------

@pytest.mark.parametrize("encoding, shown", [("latin-1", "latin-1"), ("cp1252", "cp1252"),
                                             ("windows-1252", "cp1252")])
def test_a_utf8_file_given_as_cp1252_is_refused_naming_the_line(team, tmp_path, encoding, shown):
    path = write(tmp_path, "client,summary\nAnn Lee,ok\nZoë Kowalski,ok\n")
    lines = refused(team, "intake", "--csv", path, "--yes", "--encoding", encoding)
    assert lines[0].startswith("error: line 3, --file: '") and lines[0].endswith(
        f"/cases.csv' is UTF-8, not {shown}: leave out --encoding")
    assert "Zo" not in "\n".join(lines)


def test_a_real_cp1252_file_still_comes_in(team, tmp_path):
    path = write(tmp_path, "client,summary\nZoë Kowalski,Café\n", encoding="cp1252")
    team.ok("intake", "--csv", path, "--yes", "--encoding", "cp1252")
    assert set(clients(team)) == {"Zoë Kowalski"}


def test_a_utf8_team_file_given_as_latin1_is_refused(cli, tmp_path):
    path = write(tmp_path, "id,name\nzoe,Zoë Kowalski\n", name="team.csv")
    lines = refused(cli, "worker", "import", "--csv", path, "--yes", "--encoding", "latin-1")
    assert lines[0].startswith("error: line 2, --file: ") and "/team.csv' is UTF-8, not latin-1" in lines[0]


# --- 5. A tier code is shown ------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["Tier4", "Band2", "D4"])
def test_a_bad_tier_code_is_shown(team, tmp_path, cell):
    lines = refused(team, "intake", "--csv", write(tmp_path, f"client,tier\nA,{cell}\n"), "--yes")
    assert lines[0] == f"error: line 2, tier: '{cell}' is not one of low, medium, high, intensive"


@pytest.mark.parametrize("cell", ["Maria", "McDonald", "Maria 2", "Flat 3"])
def test_a_name_in_the_tier_column_is_still_described(team, tmp_path, cell):
    lines = refused(team, "intake", "--csv", write(tmp_path, f"client,tier\nA,{cell}\n"), "--yes")
    assert lines[0] == f"error: line 2, tier: a {len(cell)}-character text is not one of low, medium, high, intensive"


# --- messages name the file's own headers (DESIGN §11) --------------------------------------

UK_FILE = ("Ref;Client Name;Key Worker;Date Opened;Risk Level;Tier\r\n"
           "X-1;Ann A;zed;13/01/2026;high;low\r\n"
           "X-2;Bob B;asha;31/02/2026;high;low\r\n"
           "X-3;Cy C;asha;14/01/2026;high;low\r\n")


def test_a_problem_names_the_header_as_the_file_writes_it(team, tmp_path):
    lines = refused(team, "intake", "--file", write(tmp_path, UK_FILE, encoding="cp1252"), "--encoding", "cp1252",
                    "--dry-run")
    assert lines[:2] == ["error: line 2, Key Worker (worker): 'zed' is not a worker",
                         "error: line 3, Date Opened (opened): '31/02/2026' is no such day: February 2026 has 28 days"]


def test_a_header_spelled_as_caseload_names_it_is_not_repeated(team, tmp_path):
    lines = refused(team, "intake", "--file", write(tmp_path, "client,worker\r\nAnn A,zed\r\n"), "--dry-run")
    assert lines[0] == "error: line 2, worker: 'zed' is not a worker"


def test_a_team_file_names_its_headers_too(cli, tmp_path):
    path = write(tmp_path, "Staff ID;Full Name;FTE;Start Date\r\namy;Amy A;1;30/02/2027\r\n", "team.csv")
    lines = refused(cli, "worker", "import", "--file", path, "--dry-run")
    assert lines[0] == "error: line 2, Start Date (starts_on): '30/02/2027' is no such day: February 2027 has 28 days"


def test_a_map_naming_a_header_the_file_does_not_have_is_refused(team, tmp_path):
    """`--map "Client Nmae=client"` (a typo) was silently ignored; the config's
    `import.columns` are for any file of the team, and are not checked so."""
    path = write(tmp_path, "Client Name,Key Worker\r\nAnn A,asha\r\n")
    lines = refused(team, "intake", "--file", path, "--map", "Client Nmae=client", "--dry-run")
    assert lines[0] == ("error: line 1, --map: 'Client Nmae' is not a header of the file "
                        "(its headers: Client Name, Key Worker)")
    team.ok("intake", "--file", path, "--map", "client name=client", "--dry-run")  # matched as any header is
