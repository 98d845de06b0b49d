"""Bulk intake from a spreadsheet's CSV: what it accepts, every problem reported at once with
its line, and all rows written or none."""

import json

import pytest

GOOD = (
    "\ufeffclient,id,summary,tier,risk,status,needs,language,area,requested,opened,worker\r\n"
    '"Zoë Kowalski, Jr",REF-1,"Rent arrears,\r\nsecond line",high,high,active,housing,pl,north,,2026-11-01,asha\r\n'
    "Kwame Mensah,,Benefits appeal,low,low,,benefits;debt,,south,ben,today,\r\n"
    "Łukasz Nowak,REF-3,,,,monitoring,,,,,,ben\r\n"
    ",,,,,,,,,,,\r\n"
    "\r\n"
)


def cases_json(cli, *args):
    return json.loads(cli.ok("cases", "--format", "json", *args).stdout)


def write(tmp_path, text, name="cases.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_a_spreadsheet_export_goes_in_whole(team, tmp_path):
    path = write(tmp_path, GOOD)
    result = team.ok("intake", "--csv", path, "--yes")
    assert "3 row(s) valid; 2 already held, 0 to assign by rule, 1 to wait" in result.stderr
    cases = {c["id"]: c for c in cases_json(team)}
    assert set(cases) == {"REF-1", "C-0001", "REF-3"}
    ref1 = cases["REF-1"]
    assert ref1["client"] == "Zoë Kowalski, Jr" and ref1["summary"] == "Rent arrears,\nsecond line"
    assert (ref1["worker"], ref1["status"], ref1["language"], ref1["opened_on"]) == ("asha", "active", "pl", "2026-11-01")
    assert cases["C-0001"]["needs"] == ["benefits", "debt"] and cases["C-0001"]["status"] == "waiting"
    assert cases["REF-3"]["status"] == "monitoring" and cases["REF-3"]["tier"] == "medium"
    history = json.loads(team.ok("history", "REF-1", "--format", "json").stdout)
    # in time order: the day asha took it (the opening day here), then today's import
    assert [(h["kind"], h["reason"]) for h in history] == [("assign", "imported from cases.csv"),
                                                           ("intake", "imported from cases.csv")]


def test_assign_auto_gives_out_the_rows_without_a_worker(team, tmp_path):
    path = write(tmp_path, "client,tier\nA,low\nB,high\nC,medium\n")
    team.ok("intake", "--csv", path, "--assign", "auto", "--yes")
    assert all(c["worker"] for c in cases_json(team))
    assert {h["kind"] for h in json.loads(team.ok("history", "--format", "json").stdout)} == {"intake", "auto"}


BAD_ROWS = [
    ("client,tier\nA,hgh\n", ["line 2, tier: 'hgh' is not one of low, medium, high, intensive"]),
    ("client,risk\nA,severe\n", ["line 2, risk: 'severe' is not one of low, medium, high"]),
    ("client,opened\nA,2026-02-30\n", ["line 2, opened: '2026-02-30' is not a real date"]),
    ("client,opened\nA,next week\n",
     ["line 2, opened: a 9-character text is not a date (use YYYY-MM-DD, today, tomorrow, yesterday, +Nd, +Nw, -Nd "
      "or -Nw)"]),  # a cell with a space may be a name (columns out of order): described, not shown
    ("client,status\nA,active\n", ["line 2, status: 'active' needs a worker (a case nobody holds is waiting)"]),
    ("client,worker\nA,zed\n", ["line 2, worker: 'zed' is not a worker"]),
    ("client,requested\nA,zed\n", ["line 2, requested: 'zed' is not a worker"]),
    ("client,id\nA,X-1\nB,X-1\n", ["line 3, id: 'X-1' repeats line 2"]),
    ("client,id\nA,bad id\n", ["line 2, id: a 6-character text is not a case id (letters, digits, '.', '_', '/' or '-', "
                               "at most 40)"]),
    ("client,tier\n,low\n", ["line 2, client is required (a name or a reference)"]),
    ("client,colour\nA,red\n", ["line 1, header: 'colour' is not a column (use client, id, summary, tier, risk, "
                                "status, needs, language, area, requested, opened, worker, home_worker, "
                                "next_review, last_contact, held_since, closed_on, close_reason, cover_until; "
                                "or give --ignore-unknown to leave it out)"]),
    ("tier\nlow\n", ["line 1, header: 'tier' has no client column"]),
    ("client,tier,tier\nA,low,low\n", ["line 1, header: 'tier' appears twice"]),
    ("client,tier\nA,low,extra\n", ["line 2, row: '3 cells' does not match the header's 2 columns"]),
    ("", ["line 1, file is empty (it needs a header row: client,tier,...)"]),
    ("client,tier\n", ["line 1, file: "]),
    ('client,tier\n"A,low\n', ["line 2, file: '…' is not valid CSV"]),
    ("client,tier,risk\nA,hgh,severe\nB,low,low\nC,,extreme\n",
     ["line 2, tier: 'hgh'", "line 2, risk: 'severe'", "line 4, risk: 'extreme'"]),
]


@pytest.mark.parametrize("text, messages", BAD_ROWS)
def test_every_bad_row_is_reported_and_nothing_is_written(team, tmp_path, text, messages):
    path = write(tmp_path, text)
    before = team.dump()
    result = team("intake", "--csv", path, "--yes")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    for expected in messages:
        assert any(line.startswith(f"error: {expected}") for line in lines), (expected, lines)
    assert lines[-1].endswith("nothing was written")
    assert len(lines) == len(messages) + 1
    assert "Traceback" not in result.output
    assert team.dump() == before


def test_existing_id_and_departed_worker(team, tmp_path):
    team.ok("intake", "--client", "x", "--id", "OLD-1")
    team.ok("worker", "leave", "cara", "--on", "today")
    team.ok("worker", "left", "cara")
    before = team.dump()
    result = team("intake", "--csv", write(tmp_path, "client,id,worker\nA,OLD-1,\nB,,cara\n"), "--yes")
    assert result.exit_code == 2
    assert "error: line 2, id: 'OLD-1' already exists" in result.stderr
    assert "error: line 3, worker: 'cara' has left" in result.stderr
    assert team.dump() == before


def test_dry_run_and_yes(team, tmp_path):
    path = write(tmp_path, GOOD)
    before = team.dump()
    dry = team.ok("intake", "--csv", path, "--dry-run", "--assign", "auto")
    assert "dry run: nothing was written" in dry.stderr and team.dump() == before
    lines = dry.stdout.splitlines()
    assert any(line.startswith("2 ") and "REF-1" in line and line.rstrip().endswith("asha") for line in lines)
    assert any(line.startswith("4 ") and line.rstrip().endswith("waits: nobody has benefits and has debt")
               for line in lines)
    refused = team("intake", "--csv", path)
    assert refused.exit_code == 2 and "--yes is needed" in refused.stderr and team.dump() == before


def test_not_utf8_and_missing_file(team, tmp_path):
    before = team.dump()
    latin = write(tmp_path, "client\nJosé\n", encoding="latin-1")
    result = team("intake", "--csv", latin, "--yes")
    assert result.exit_code == 2 and "is not UTF-8 text" in result.stderr
    missing = team("intake", "--csv", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "--file:" in missing.stderr and "nope.csv' does not exist" in missing.stderr
    mixed = team("intake", "--csv", latin, "--client", "x")
    assert mixed.exit_code == 2 and "--client cannot go with --csv" in mixed.stderr
    assert team.dump() == before


def test_errors_never_show_client_names(team, tmp_path):
    path = write(tmp_path, "client,tier\nSecret Person,hgh\n")
    result = team("intake", "--csv", path, "--yes")
    assert result.exit_code == 2 and "Secret Person" not in result.stderr
    assert "error: line 2, tier: 'hgh'" in result.stderr  # the problem is still named, by line


def test_the_stored_columns_are_the_kept_columns():
    """The reader's rows (`intake_csv.STORED`) are the columns the store writes them as."""
    from caseload.domain.intake_csv import STORED
    from caseload.store.imports import STORED_COLUMNS

    assert STORED == STORED_COLUMNS


def big_file(tmp_path, rows: int, bad: dict | None = None, name: str = "big.csv") -> str:
    """`rows` good rows (a third with ids, most held), with `bad` (line -> row text) in place."""
    lines = ["client,id,summary,tier,worker"]
    for i in range(rows):
        lines.append((bad or {}).get(i + 2, f"Person {i},{f'REF-{i}' if i % 3 == 0 else ''},"
                                            f"word{i} housing,low,{['asha', 'ben', ''][i % 3]}"))
    return write(tmp_path, "\n".join(lines) + "\n", name=name)


@pytest.mark.parametrize("bad, message", [
    ({4502: "Late Person,,,hgh,asha"}, "line 4502, tier: 'hgh' is not one of low, medium, high, intensive"),
    ({4502: "Late Person,REF-3,,low,"}, "line 4502, id: 'REF-3' repeats line 5"),
    ({4502: "Late Person,OLD-1,,low,"}, "line 4502, id: 'OLD-1' already exists"),
])
def test_a_bad_row_after_thousands_written_leaves_nothing_written(team, tmp_path, bad, message):
    """Rows go into the cases table a batch at a time as they are checked: a problem two
    batches in still writes nothing (the rows before it come out again), names its line,
    and exits 2."""
    team.ok("intake", "--client", "Old", "--id", "OLD-1")
    result = team.refused("intake", "--csv", big_file(tmp_path, 5000, bad), "--yes")
    assert f"error: {message}" in result.stderr and result.stderr.rstrip().endswith("nothing was written")


def test_a_big_file_is_found_by_find_and_its_history_chained(team, tmp_path):
    """Every row of a file of several batches (and a last statement of fewer rows) is in the
    full-text index of `find`, has its history (intake, and assign for a held case) and the
    hash chain verifies."""
    result = team.ok("intake", "--csv", big_file(tmp_path, 4321), "--yes")
    assert "added 4321 case(s): 1441 with the file's own ids, 2880 given new ids, C-0001 to C-2880" in result.stderr
    for word, expected in (("word0", "REF-0"), ("word2150", "C-1434"), ("word4320", "REF-4320")):
        found = json.loads(team.ok("find", word, "--format", "json").stdout)
        assert [case["id"] for case in found] == [expected], word
    history = json.loads(team.ok("history", "--format", "json").stdout)
    assert len([h for h in history if h["kind"] == "intake"]) == 4321
    assert len([h for h in history if h["kind"] == "assign"]) == 2881  # asha's and ben's rows
    doctor = team("doctor")
    assert doctor.exit_code == 0 and doctor.stderr.endswith("no problems found\n")
