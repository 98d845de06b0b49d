"""Day one (DESIGN §11, issue 21): a team's own spreadsheets go in as they are, headers as
people type them, dates as a UK spreadsheet writes them, skills with spaces, the team's
own case ids continued. Through the real command line; bad input exits 2 naming the
header or the field, and writes nothing."""

from __future__ import annotations

import json


def write(tmp_path, text, name="cases.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def refused(cli, *args):
    return cli.refused(*args).stderr.splitlines()


def cases(cli):
    return {c["client"]: c for c in json.loads(cli.ok("cases", "--format", "json").stdout)}


# 1. Headers as people type them

def test_typed_headers_are_read_as_their_columns(team, tmp_path):
    path = write(tmp_path, "Client name,Ref,Key worker,Risk level,Date opened\n"
                           "Maria Nguyen,PR-0007,Asha,High,2026-01-05\n")
    team.ok("intake", "--file", path, "--yes")
    case = cases(team)["Maria Nguyen"]
    assert (case["id"], case["worker"], case["risk"], case["opened_on"]) == ("PR-0007", "asha", "high", "2026-01-05")


def test_a_teams_own_headers_by_map_and_by_config(team, tmp_path):
    path = write(tmp_path, "Service user name,Who,Level\nMaria,asha,high\n")
    team.ok("intake", "--file", path, "--map", "Service user name=client, Who=worker", "--ignore-unknown", "--yes")
    assert cases(team)["Maria"]["worker"] == "asha"
    (tmp_path / "caseload.yaml").write_text("import:\n  columns:\n    Service user name: client\n    Who: worker\n"
                                            "    Level: risk\n")
    path = write(tmp_path, "Service user name,Who,Level\nKwame,ben,low\n", name="more.csv")
    team.ok("intake", "--file", path, "--yes")
    assert cases(team)["Kwame"]["risk"] == "low"


def test_a_header_message_names_the_header(team, tmp_path):
    path = write(tmp_path, "Client name,Mobile number\nMaria,07700 900123\n")
    lines = refused(team, "intake", "--file", path, "--yes")
    assert lines[0].startswith("error: line 1, header: 'Mobile number' is not a column (use client, ")


def test_a_bad_map_is_refused_naming_the_header(team, tmp_path):
    path = write(tmp_path, "Client name\nMaria\n")
    assert refused(team, "intake", "--file", path, "--map", "Client name=customer", "--yes") == [
        "error: --map Client name: 'customer' is not a column (use client, id, summary, tier, risk, status, needs, "
        "language, area, requested, opened, worker, home_worker, next_review, last_contact, held_since, closed_on, "
        "close_reason, cover_until)"]
    assert refused(team, "intake", "--file", path, "--map", "Client name", "--yes")[0].startswith(
        "error: --map: 'Client name' is not Header=column")


def test_a_team_sheet_with_typed_headers(cli, tmp_path):
    path = write(tmp_path, "Worker,Full name,FTE,Skills,Start date,Leaving date,Status\n"
                           "Asha,Asha Patel,1,\"housing, mental health\",03/02/2025,,active\n"
                           "Ben,Ben Okafor,\"0,8\",,14/01/2026,31/12/2026,leaving\n", name="team.csv")
    cli.ok("worker", "import", "--file", path, "--yes")
    team = {w["id"]: w for w in json.loads(cli.ok("worker", "list", "--format", "json").stdout)}
    assert team["asha"]["skills"] in (["housing", "mental health"], "housing,mental health")
    assert team["ben"]["leaving_on"] == "2026-12-31"


# 2. Dates as a UK spreadsheet writes them

def test_uk_dates_are_found_from_a_day_above_12(team, tmp_path):
    path = write(tmp_path, "client,opened,next_review\nA,01/02/2026,13/01/2027\nB,3/4/26,\n")
    team.ok("intake", "--file", path, "--yes")
    found = cases(team)
    assert found["A"]["opened_on"] == "2026-02-01" and found["A"]["next_review_on"] == "2027-01-13"
    assert found["B"]["opened_on"] == "2026-04-03"


def test_an_ambiguous_file_is_refused_with_the_advice(team, tmp_path):
    path = write(tmp_path, "client,opened\nA,01/02/2026\nB,03/04/2026\n")
    lines = refused(team, "intake", "--file", path, "--yes")
    assert lines[0].startswith("error: --dates is needed: every date in opened reads both day-first and month-first")
    assert "give --dates dmy" in lines[0]
    team.ok("intake", "--file", path, "--dates", "mdy", "--yes")
    assert cases(team)["A"]["opened_on"] == "2026-01-02"


def test_the_date_order_from_the_config_and_iso_always_works(team, tmp_path):
    (tmp_path / "caseload.yaml").write_text("import:\n  dates: dmy\n")
    path = write(tmp_path, "client,opened,last_contact\nA,01/02/2026,2026-11-01\n")
    team.ok("intake", "--file", path, "--yes")
    assert (cases(team)["A"]["opened_on"], cases(team)["A"]["last_contact_on"]) == ("2026-02-01", "2026-11-01")


def test_excel_serial_numbers_are_dates(team, tmp_path):
    path = write(tmp_path, "client,opened\nA,46023\n")  # 2026-01-01 in Excel's count
    team.ok("intake", "--file", path, "--yes")
    assert cases(team)["A"]["opened_on"] == "2026-01-01"


def test_a_column_with_both_orders_and_a_bad_dates_flag_are_refused(team, tmp_path):
    path = write(tmp_path, "client,opened\nA,13/01/2026\nB,01/13/2026\n")
    assert refused(team, "intake", "--file", path, "--yes")[0].startswith(
        "error: opened has dates day-first (31/01) and month-first (01/31)")
    assert refused(team, "intake", "--file", path, "--dates", "uk", "--yes") == [
        "error: --dates: 'uk' is not one of dmy, mdy, ymd"]
    assert refused(team, "intake", "--file", path, "--dates", "dmy", "--yes")[0].startswith(
        "error: line 3, opened: '01/13/2026' is not a date written dmy")


# 4. Skills and needs with spaces

def test_needs_with_spaces_match_skills_with_spaces(team, tmp_path):
    team.ok("worker", "edit", "cara", "--skills", "Mental Health,benefits")
    path = write(tmp_path, "client,needs\nA,mental  health\n")
    team.ok("intake", "--file", path, "--assign", "auto", "--yes")
    assert cases(team)["A"]["worker"] == "cara"


# 5. The team's own case ids

def test_new_ids_continue_the_teams_own_prefix(team, tmp_path):
    (tmp_path / "caseload.yaml").write_text("cases:\n  id_prefix: PR-\n")
    path = write(tmp_path, "Ref,Client name\nPR-0002,A\nPR-0182,B\n,C\n,D\n")
    result = team.ok("intake", "--file", path, "--yes")
    assert "added 4 case(s): 2 with the file's own ids, 2 given new ids, PR-0183 to PR-0184" in result.stderr
    assert team.ok("intake", "--client", "E").stdout == "PR-0185\n"
    assert {c["client"]: c["id"] for c in json.loads(team.ok("cases", "--format", "json").stdout)}["C"] == "PR-0183"


def test_a_file_of_its_own_ids_is_counted_not_ranged(team, tmp_path):
    path = write(tmp_path, "Ref,Client name\nPR-0040,A\nPR-0002,B\n")
    result = team.ok("intake", "--file", path, "--yes")
    assert "added 2 case(s): 2 with the file's own ids" in result.stderr and "PR-0040 to" not in result.stderr


def test_more_new_ids_of_the_teams_prefix_than_a_batch_are_all_different(team, tmp_path):
    """Rows without ids are given theirs as they are written, 2,000 to a batch: a custom prefix
    once gave the 5,001st row the first row's id (and the whole file failed)."""
    (tmp_path / "caseload.yaml").write_text("cases:\n  id_prefix: PR-\n")
    path = write(tmp_path, "Client name\n" + "".join(f"Person {i}\n" for i in range(5003)))
    result = team.ok("intake", "--file", path, "--yes")
    assert "added 5003 case(s): 5003 given new ids, PR-0001 to PR-5003" in result.stderr
    ids = {c["client"]: c["id"] for c in json.loads(team.ok("cases", "--format", "json").stdout)}
    assert len(set(ids.values())) == 5003 and ids["Person 5000"] == "PR-5001"
    assert team.ok("intake", "--client", "E").stdout == "PR-5004\n"


def test_new_ids_follow_the_files_own_highest_wherever_it_stands(team, tmp_path):
    """The file's own ids after the rows without one (in the same batch, or thousands of rows
    later, where the numbers first given are taken by them): new ids still come after them."""
    (tmp_path / "caseload.yaml").write_text("cases:\n  id_prefix: PR-\n")
    path = write(tmp_path, "Ref,Client name\n,C\n,D\nPR-0002,A\nPR-0182,B\n")
    result = team.ok("intake", "--file", path, "--yes")
    assert "added 4 case(s): 2 with the file's own ids, 2 given new ids, PR-0183 to PR-0184" in result.stderr
    assert {c: ids["id"] for c, ids in cases(team).items()} == {"A": "PR-0002", "B": "PR-0182", "C": "PR-0183",
                                                                "D": "PR-0184"}
    later = write(tmp_path, "Ref,Client name\n" + "".join(f",New {i}\n" for i in range(2500)) + "PR-0300,Z\n",
                  name="later.csv")
    result = team.ok("intake", "--file", later, "--yes")
    assert "added 2501 case(s): 1 with the file's own ids, 2500 given new ids, PR-0301 to PR-2800" in result.stderr
    found = cases(team)
    assert (found["New 0"]["id"], found["New 2499"]["id"], found["Z"]["id"]) == ("PR-0301", "PR-2800", "PR-0300")
    doctor = team("doctor")
    assert doctor.exit_code == 0 and doctor.stderr.endswith("no problems found\n")


def test_a_bad_id_prefix_is_refused(team, tmp_path):
    (tmp_path / "caseload.yaml").write_text("cases:\n  id_prefix: 'P R'\n")
    result = team("intake", "--client", "A")
    assert result.exit_code == 2 and "cases.id_prefix" in result.stderr
