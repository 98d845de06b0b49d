"""The data protection lifecycle (DESIGN §6): retention, erasure on request and subject
access, on real database files. Erased means gone: the planted name and note are in no
byte of the database, its WAL or its -shm; the past's figures stay true; doctor is clean."""

import json
import os
import sqlite3
from datetime import date

import pytest

from caseload.domain.retention import Period, cut_off, is_due, names_the_client, parse_period
from conftest import Cli

NAME = "Zebedee Quillfeather"
NOTE = "Marmalade-Ostrich-77 lives above the bakery"
REASON = "moved to Lindisfarne-Quokka flats"


# -- the decisions -------------------------------------------------------------------

def test_periods_and_cut_offs():
    assert parse_period("6y") == Period(6, "y") and parse_period(" 18M ") == Period(18, "m")
    for bad in ("", "6", "y", "0y", "6x", "-1y", "6 years", "99999y"):
        with pytest.raises(ValueError):
            parse_period(bad)
    assert cut_off(date(2026, 11, 23), Period(6, "y")) == date(2020, 11, 23)
    assert cut_off(date(2024, 2, 29), Period(1, "y")) == date(2023, 2, 28)
    assert cut_off(date(2026, 3, 31), Period(1, "m")) == date(2026, 2, 28)
    assert cut_off(date(2026, 11, 23), Period(2, "w")) == date(2026, 11, 9)
    assert is_due("closed", date(2020, 1, 1), date(2020, 1, 2))
    assert not is_due("closed", date(2020, 1, 2), date(2020, 1, 2))
    assert not is_due("active", None, date(2020, 1, 2))


def test_an_erasure_reason_must_not_name_the_client():
    assert names_the_client("asked by Zebedee on the phone", NAME)
    assert names_the_client("zebedee quillfeather asked", NAME)
    assert not names_the_client("subject access request ref 12", NAME)
    assert not names_the_client("asked by phone", "Al B.")  # a word of the reason must be a part of the name
    assert names_the_client("Request from LUKASIK family", "Zoë Łukasik")  # without its accents, in capitals
    assert names_the_client("zoe asked", "Zoë Łukasik")
    assert names_the_client("request from Xu Li", "Li Xu")  # short names, in either order
    assert not names_the_client("request by letter, ref SAR-3", "Li Xu")
    assert not names_the_client("an erasure request made by email", "An Nguyen")  # "an" alone is a word
    assert not names_the_client("no longer wants us to hold data", "Mi-rae No")


# -- on a real file --------------------------------------------------------------------

def at_day(cli: Cli, day: str, *args: str):
    result = cli(*args, env={"CASELOAD_TODAY": day})
    assert result.exit_code == 0, result.output
    return result


def old_closed_case(team: Cli) -> str:
    """A case opened, worked and closed in 2019, with a planted name, note and reasons."""
    case = at_day(team, "2019-03-01", "intake", "--client", NAME, "--summary", "private summary words",
                  "--assign", "asha").stdout.strip()
    at_day(team, "2019-03-02", "note", case, NOTE)
    at_day(team, "2019-04-01", "reassign", case, "--to", "ben", "--reason", REASON)
    at_day(team, "2019-04-02", "zone-review", "--record")
    at_day(team, "2019-05-01", "close", case, "--reason", f"{REASON}, no longer needed")
    return case


def file_bytes(db) -> bytes:
    return b"".join(open(f"{db}{suffix}", "rb").read() for suffix in ("", "-wal", "-shm")
                    if os.path.exists(f"{db}{suffix}"))


def assert_gone(db) -> None:
    data = file_bytes(db)
    for text in (NAME, "Zebedee", "Quillfeather", "Marmalade-Ostrich", "Lindisfarne-Quokka", "private summary"):
        assert text.encode() not in data, text


def past_figures(team: Cli) -> tuple:
    report = json.loads(team.ok("report", "--since", "2019-01-01", "--format", "json").stdout)
    return report["throughput"], report["zones"], report["trend"]


def with_retention(team: Cli, after: str = "6y") -> None:
    (team.db.parent / "caseload.yaml").write_text(f"retention:\n  closed_after: {after}\n")


def test_retention_anonymises_old_closed_cases_and_nothing_else(team):
    case = old_closed_case(team)
    recent = team.ok("intake", "--client", "Recent Person", "--assign", "cara").stdout.strip()
    before = past_figures(team)
    assert team.ok("retention").stderr.startswith("retention is off")
    with_retention(team)
    report = team.ok("report").stdout
    assert "1 closed case(s) due for anonymising (retention 6y)" in report
    dry = team.ok("retention", "--dry-run", "--format", "json")
    assert json.loads(dry.stdout) == [{"case": case, "closed_on": "2019-05-01"}]
    assert NAME.encode() in file_bytes(team.db)  # a dry run changes nothing

    refused = team("retention", "--apply")  # no terminal: --yes needed
    assert refused.exit_code == 2 and NAME.encode() in file_bytes(team.db)
    both = team("retention", "--apply", "--dry-run", "--yes")  # which was meant? neither is guessed
    assert both.exit_code == 2 and "contradicts --apply" in both.stderr and NAME.encode() in file_bytes(team.db)
    applied = team.ok("retention", "--apply", "--yes")
    assert "1 case(s) closed before 2020-11-23 anonymised" in applied.stderr

    assert_gone(team.db)
    shown = json.loads(team.ok("show", case, "--format", "json").stdout)["case"]
    assert shown["client"] == "erased" and shown["summary"] == ""
    assert shown["tier"] and shown["worker"] == "ben" and shown["opened_on"] == "2019-03-01"
    assert past_figures(team) == before
    assert json.loads(team.ok("show", recent, "--format", "json").stdout)["case"]["client"] == "Recent Person"
    conn = sqlite3.connect(team.db)
    assert conn.execute("SELECT case_id, kind, actor FROM erasures").fetchall() == [(case, "retention", "lead")]
    conn.close()
    result = team.ok("doctor")
    assert result.stdout == "" and result.stderr.endswith("no problems found\n")
    assert "no case closed before" in team.ok("retention", "--apply", "--yes").stderr  # done once only


def test_a_retention_dry_run_names_no_copy_as_made_before_an_erasure(team, tmp_path):
    old_closed_case(team)
    with_retention(team)
    other = team.ok("intake", "--client", "Another One").stdout.strip()
    team.ok("backup", str(tmp_path / "before.db"))
    team.ok("erase", other, "--reason", "request", "--yes")  # the copy holds what this erased
    dry = team.ok("retention", "--dry-run")
    assert "before this erasure" not in dry.stderr  # a dry run erases nothing (doctor names the copy)
    applied = team.ok("retention", "--apply", "--yes")
    assert f"{tmp_path / 'before.db'} was made before this erasure" in applied.stderr


def test_erase_closes_an_open_case_records_who_and_why_and_leaves_nothing_behind(team):
    case = team.ok("intake", "--client", NAME, "--summary", "private summary words", "--assign", "asha").stdout.strip()
    team.ok("note", case, NOTE)
    team.ok("reassign", case, "--to", "ben", "--reason", REASON)
    before = team.dump()
    refused = team("erase", case, "--reason", "Zebedee asked on the phone", "--yes")
    assert refused.exit_code == 2 and "Zebedee" not in refused.output and team.dump() == before
    team.ok("erase", case, "--reason", "subject's request, ref SAR-12", "--yes")
    assert_gone(team.db)
    shown = json.loads(team.ok("show", case, "--format", "json").stdout)["case"]
    assert (shown["client"], shown["status"], shown["worker"]) == ("erased", "closed", "ben")
    conn = sqlite3.connect(team.db)
    assert conn.execute("SELECT kind, reason, actor FROM erasures").fetchall() == [
        ("request", "subject's request, ref SAR-12", "lead")]
    conn.close()
    result = team.ok("doctor")
    assert result.stdout == "" and result.stderr.endswith("no problems found\n")
    assert team("erase", case, "--reason", "again", "--yes").exit_code == 1
    assert team("export", "client", case).exit_code == 1
    erased = team.dump()  # nothing can be added to an erased case: reopen (then update, note) is refused
    reopening = team("reopen", case, "--reason", "opened by mistake")
    assert reopening.exit_code == 1 and "was erased and cannot be reopened" in reopening.stderr
    assert team("note", case, "after the erasure").exit_code == 1
    assert team("update", case, "--client", "A New Name").exit_code == 1
    assert team.dump() == erased


def test_a_backup_made_before_an_erasure_is_named(team):
    case = team.ok("intake", "--client", NAME, "--assign", "asha").stdout.strip()
    backup = team.db.with_name(f"{team.db.name}.v6-20260101T000000Z.bak")
    backup.write_bytes(team.db.read_bytes())
    os.utime(backup, (0, 0))
    erased = team.ok("erase", case, "--reason", "request", "--yes")
    assert f"{backup} was made before this erasure" in erased.stderr
    assert f"note: {backup} was made before the last erasure" in team.ok("doctor").stderr


def test_the_partial_copy_of_a_killed_upgrade_made_before_an_erasure_is_named(team):
    case = team.ok("intake", "--client", NAME, "--assign", "asha").stdout.strip()
    partial = team.db.with_name(f".{team.db.name}.v6-20260101T000000Z.bak.x7q2.tmp")  # hidden: nobody sees it
    partial.write_bytes(team.db.read_bytes())
    os.utime(partial, (0, 0))
    erased = team.ok("erase", case, "--reason", "request", "--yes")
    assert f"{partial} was made before this erasure" in erased.stderr


def test_a_backup_the_lead_made_anywhere_before_an_erasure_is_named_while_it_exists(team, tmp_path):
    case = team.ok("intake", "--client", NAME, "--assign", "asha").stdout.strip()
    elsewhere = tmp_path / "nightly" / "copy.db"
    elsewhere.parent.mkdir()
    team.ok("backup", str(elsewhere))
    later = tmp_path / "nightly" / "later.db"
    erased = team.ok("erase", case, "--reason", "request", "--yes")
    assert f"{elsewhere} was made before this erasure" in erased.stderr
    team.ok("backup", str(later))  # made after it (in the same second, maybe): nothing erased is there
    notes = team.ok("doctor").stderr
    assert f"note: {elsewhere} was made before the last erasure" in notes and str(later) not in notes
    elsewhere.unlink()  # the lead deleted it: nothing is named any more
    assert "before the last erasure" not in team.ok("doctor").stderr


def test_a_backup_whose_copy_an_erasure_overtook_is_named(team, tmp_path):
    """`backup` copies the file, then records the copy: an erasure committed between the two
    (another lead, in that instant) is not in the copy, and the record says so: it holds the
    erasures the copy itself holds, so the copy is named as holding the erased text."""
    import sqlite3

    from caseload.store.backups import begin_backup, record_backup
    from caseload.store.connection import backup_to, write_transaction

    case = team.ok("intake", "--client", NAME, "--assign", "asha").stdout.strip()
    copy = tmp_path / "raced.db"
    db = sqlite3.connect(team.db, isolation_level=None)
    with write_transaction(db):
        begin_backup(db, copy, "2026-11-23T09:00:00+00:00")  # as `caseload backup` does, before its copy
    backup_to(db, copy)  # the copy is whole
    team.ok("erase", case, "--reason", "request", "--yes")  # the other lead's erasure lands now
    with write_transaction(db):
        record_backup(db, copy, "2026-11-23T09:00:00+00:00")
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("raced")) == ["raced.db"]  # nothing beside it
    assert f"note: {copy} was made before the last erasure" in team.ok("doctor").stderr
    assert NAME.encode() in copy.read_bytes()  # it does hold the name: the note is true


def test_a_full_text_index_is_cleared_too(team):
    # the index `find` reads is made by the migrations (tests/test_referrals_starters_find.py looks inside it)
    case = team.ok("intake", "--client", NAME, "--summary", "private summary words", "--assign", "asha").stdout.strip()
    team.ok("erase", case, "--reason", "request", "--yes")
    assert_gone(team.db)


def test_export_client_gives_everything_held_about_that_client(team, tmp_path):
    case = old_closed_case(team)
    again = team.ok("intake", "--client", NAME.upper(), "--assign", "cara").stdout.strip()
    team.ok("intake", "--client", "Someone Else")
    document = json.loads(team.ok("export", "client", again).stdout)
    assert [c["case"]["id"] for c in document["cases"]] == [case, again]
    first = document["cases"][0]
    assert [n["text"] for n in first["notes"]] == [NOTE]
    assert [h["kind"] for h in first["history"]] == ["intake", "assign", "reassign", "close"]
    assert first["history"][3]["zone"] is not None  # ben's zone in the review recorded before the closing
    assert "Someone Else" not in json.dumps(document)
    page = tmp_path / "record.html"
    team.ok("export", "client", case, "--format", "html", "--output", str(page))
    assert NOTE in page.read_text() and oct(page.stat().st_mode & 0o777) == "0o600"
    assert "| note |" in team.ok("export", "client", case, "--format", "md").stdout
    assert team("export", "cases", case).exit_code == 2


def test_export_client_names_the_cases_found_by_the_name_alone_and_leaves_out_someone_else(team):
    first = team.ok("intake", "--client", NAME, "--assign", "asha").stdout.strip()
    namesake = team.ok("intake", "--client", NAME.lower(), "--summary", "another person entirely").stdout.strip()
    found = team.ok("export", "client", first)
    assert f"found by the client's name alone: {namesake}" in found.stderr and NAME not in found.stderr
    assert [c["case"]["id"] for c in json.loads(found.stdout)["cases"]] == [first, namesake]
    apart = team.ok("export", "client", first, "--exclude", namesake.lower())
    assert [c["case"]["id"] for c in json.loads(apart.stdout)["cases"]] == [first]
    assert "another person entirely" not in apart.stdout and apart.stderr == ""
    for wrong in (first, "C-9999"):  # the case asked for, or not a namesake: refused, nothing written
        refused = team("export", "client", first, "--exclude", wrong)
        assert refused.exit_code == 2 and "--exclude" in refused.stderr and refused.stdout == ""
    assert team("export", "cases", "--exclude", namesake).exit_code == 2


# -- far dates and spreadsheet cells (DESIGN §6) -----------------------------------------

def test_a_far_date_is_refused_and_a_stored_one_does_not_stop_the_nightly_report(team):
    result = team("worker", "absent", "asha", "--from", "today", "--until", "9999-12-31")
    assert result.exit_code == 2 and "more than 10 years after today" in result.stderr
    assert team("intake", "--client", "X", "--opened", "1899-12-31").exit_code == 2
    team.ok("worker", "absent", "asha", "--from", "today", "--until", "+2w")
    conn = sqlite3.connect(team.db)  # as an older caseload (or raw SQL) could have stored it
    conn.execute("UPDATE absences SET ends_on = '9999-12-31'")
    conn.commit()
    conn.close()
    team.ok("intake", "--client", "Waiting Person")
    for command in (("forecast",), ("report",), ("report", "--format", "md"), ("zone-review",), ("cases", "--waiting")):
        team.ok(*command)


def test_xlsx_cells_hold_text_as_typed_within_excels_limit(team, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    team.ok("intake", "--client", "#N/A", "--summary", "#REF!")
    team.ok("intake", "--client", "emoji", "--summary", "😀" * 2000)
    book = tmp_path / "cases.xlsx"
    team.ok("export", "cases", "--format", "xlsx", "--output", str(book))
    sheet = openpyxl.load_workbook(book).active
    rows = list(sheet.iter_rows(min_row=2))
    assert (rows[0][1].value, rows[0][1].data_type) == ("#N/A", "s")
    assert (rows[0][2].value, rows[0][2].data_type) == ("#REF!", "s")


def test_a_cell_is_cut_at_excels_limit_in_utf16_units():
    from caseload.render.xlsx import MAX_TEXT, fit_cell

    cut = fit_cell("😀" * 20_000)
    assert len(cut.encode("utf-16-le")) // 2 <= MAX_TEXT and cut.endswith("…")
    assert "\ud83d" not in cut  # never half an emoji
    assert fit_cell("a" * MAX_TEXT) == "a" * MAX_TEXT


@pytest.mark.parametrize("args", [
    ("note", "C-0001", "Maria", "Nguyen", "rang", "about", "eviction"),
    ("intake", "--client", "Maria", "Nguyen", "--summary", "Rent", "arrears"),
    ("close", "C-0001", "--reason", "died", "in", "hospital"),
    ("find", "Maria", "Nguyen"),
])
def test_words_typed_without_quotes_are_not_repeated_in_the_error(team, args):
    team.ok("intake", "--client", "Maria Nguyen", "--assign", "asha")
    refused = team.refused(*args)
    assert "Got unexpected extra argument(s), not repeated here" in refused.stderr
    for word in ("Nguyen", "eviction", "arrears", "hospital"):
        assert word not in refused.stderr, refused.stderr


def test_export_client_finds_the_name_in_any_case_beyond_ascii(team):
    """SQLite's NOCASE folds A-Z only: ZOË ŁUKASIK was not found for Zoë Łukasik."""
    ids = {name: team.ok("intake", "--client", name).stdout.strip()
           for name in ("Zoë Łukasik", "ZOË ŁUKASIK", "zoë łukasik", "ZOË Łukasik", "Zoe Lukasik", "Zoë Łukasik-Smith")}
    import unicodedata

    ids["NFD"] = team.ok("intake", "--client", unicodedata.normalize("NFD", "Zoë Łukasik")).stdout.strip()
    document = json.loads(team.ok("export", "client", ids["Zoë Łukasik"]).stdout)
    assert [c["case"]["id"] for c in document["cases"]] == [
        ids[n] for n in ("Zoë Łukasik", "ZOË ŁUKASIK", "zoë łukasik", "ZOË Łukasik", "NFD")]  # not Zoe, not -Smith
    for name, twin in (("Strauß", "STRAUSS"), ("Mary _ Jones", "MARY _ JONES"), ("___", "___")):
        first = team.ok("intake", "--client", name).stdout.strip()
        second = team.ok("intake", "--client", twin).stdout.strip()
        found = [c["case"]["id"] for c in json.loads(team.ok("export", "client", first).stdout)["cases"]]
        assert found == [first, second], (name, found)


def test_export_client_of_an_erased_case_does_not_say_nothing_is_held(team):
    erased = team.ok("intake", "--client", "Harriet Quennell").stdout.strip()
    kept = team.ok("intake", "--client", "Harriet Quennell", "--assign", "asha").stdout.strip()
    team.ok("erase", erased, "--reason", "request", "--yes")
    refused = team("export", "client", erased)
    assert refused.exit_code == 1 and "nothing is held" not in refused.stderr
    assert "no other case can be found from it" in refused.stderr and "Quennell" not in refused.stderr
    assert [c["case"]["id"] for c in json.loads(team.ok("export", "client", kept).stdout)["cases"]] == [kept]


def test_doctor_is_not_clean_while_a_reader_keeps_erased_pages_in_the_file(team):
    """After an erasure, a program still reading an older state of the database keeps its
    pages in the file (the WAL cannot be written back past it): doctor says so, and is clean
    once it has stopped (it writes the WAL back then)."""
    case = team.ok("intake", "--client", NAME, "--assign", "asha").stdout.strip()
    team.ok("erase", case, "--reason", "request", "--yes")
    reader = sqlite3.connect(team.db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()  # reading from before what comes next
    team.ok("intake", "--client", "Someone Later")  # a write the reader does not see
    held = team("doctor")
    assert held.exit_code == 1 and "another program is reading the database" in held.stdout + held.stderr
    reader.execute("COMMIT")
    reader.close()
    assert team.ok("doctor").stderr.endswith("no problems found\n")
    assert os.path.getsize(f"{team.db}-wal") == 0  # written back and truncated


def test_a_date_written_outside_caseload_is_named_never_its_text(team):
    """A case date that is not a date (raw SQL put a name there, or 30 February) made every
    command that read the case fail as a bug, and crash.log kept the text; now the command
    says which case and column in one line, doctor lists it, and no log holds the text."""
    case = team.ok("intake", "--client", "Quentin Zed", "--assign", "asha").stdout.strip()
    conn = sqlite3.connect(team.db)
    with conn:
        conn.execute("UPDATE cases SET last_contact_on = 'Crashname Secretperson', next_review_on = '2026-02-30' "
                     "WHERE id = ?", [case])
    conn.close()
    for args in (("show", case), ("erase", case, "--reason", "request", "--yes"), ("export", "client", case)):
        failed = team(*args)
        assert failed.exit_code == 1 and "bug" not in failed.stderr, failed.stderr
        assert f"case {case}'s " in failed.stderr and "Crashname" not in failed.stderr
    found = team("doctor")
    assert found.exit_code == 1
    assert f"case {case}: next_review_on, last_contact_on not a date" in found.stdout, found.stdout
    assert "Crashname" not in found.stdout + found.stderr


def test_the_crash_log_keeps_where_not_what(tmp_path):
    """crash.log holds the stack and the type of each exception, never its message (which
    may quote a client's name)."""
    import caseload.cli as cli

    name = "".join(["Crash", "name"])  # not in the source lines the traceback quotes
    try:
        try:
            raise ValueError(f"Invalid isoformat string: '{name} Secretperson'")
        except ValueError as inner:
            raise RuntimeError(f"while reading {name!r}") from inner
    except RuntimeError as error:
        path = cli._crash_log(error)
    text = path.read_text()
    assert "Crashname" not in text and "builtins.ValueError (its message is not kept)" in text
    assert "builtins.RuntimeError (its message is not kept)" in text and "test_privacy.py" in text


def test_an_upgrade_copy_is_named_after_an_erasure_whatever_the_session_clock_says(tmp_path):
    """An erasure's recorded time is the session's (CASELOAD_TODAY's day in a reproducible
    run), a file's time is real: the upgrade copy of a v1 file, made today, went unnamed
    after an erasure dated a fortnight earlier. Each copy now says which erasures it holds."""
    import shutil
    from pathlib import Path

    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema_v1.db", old)
    team = Cli(old)
    team.ok("cases", env={"CASELOAD_TODAY": "2020-01-06"})  # the upgrade: a copy beside the file
    (copy,) = tmp_path.glob("old.db.v1-*.bak")
    erased = team.ok("erase", "C-0001", "--reason", "request", "--yes", env={"CASELOAD_TODAY": "2020-01-06"})
    assert f"{copy} was made before this erasure" in erased.stderr
    assert f"note: {copy} was made before the last erasure" in team("doctor").stderr


def test_doctor_does_not_wait_out_a_reader_of_the_latest_state(team):
    """Every page in the file, but a reader still on the -wal: emptying it waits for readers,
    and doctor waited the connection's 30 s; it now waits a moment, then says so."""
    import time

    case = team.ok("intake", "--client", NAME, "--assign", "asha").stdout.strip()
    team.ok("erase", case, "--reason", "request", "--yes")
    team.ok("intake", "--client", "Someone Later")  # frames in the -wal again
    reader = sqlite3.connect(team.db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()  # the latest state, read through the -wal
    start = time.monotonic()
    held = team("doctor")
    waited = time.monotonic() - start
    reader.execute("COMMIT")
    reader.close()
    assert held.exit_code == 1 and "another program is reading the database" in held.stdout
    assert waited < 15, waited  # not the 30 s busy timeout


def test_a_worker_or_absence_date_written_outside_caseload_is_named_too(team):
    team.ok("worker", "absent", "asha", "--from", "today", "--until", "+1w", "--reason", "sickness")
    conn = sqlite3.connect(team.db)
    with conn:
        conn.execute("UPDATE absences SET ends_on = 'Maria K.'")
    conn.close()
    failed = team("zone-review")
    assert failed.exit_code == 1 and "bug" not in failed.stderr and "Maria" not in failed.stderr
    assert "absence 1's starts_on or ends_on is not a date as caseload stores it" in failed.stderr
    found = team("doctor")
    assert "absence 1: ends_on not a date" in found.stdout and "Maria" not in found.stdout
    conn = sqlite3.connect(team.db)
    with conn:
        conn.execute("UPDATE absences SET ends_on = '2026-11-30'")
        conn.execute("UPDATE workers SET starts_on = 'Jo' WHERE id = 'ben'")
    conn.close()
    failed = team("worker", "list")
    assert failed.exit_code == 1 and "a worker's leaving or starting day is not a date" in failed.stderr
    assert "worker ben: starts_on not a date" in team("doctor").stdout


def test_a_backup_killed_while_copying_leaves_a_partial_copy_that_is_named(team, tmp_path):
    """SIGKILL (or a power cut) in the middle of `caseload backup`: its hidden partial copy
    holds the team's data. The backup is on record from before the copy, so doctor and an
    erasure name what it left; a finished backup's copy records no backup being made."""
    import subprocess
    import sys
    import time

    case = team.ok("intake", "--client", NAME, "--assign", "asha").stdout.strip()
    conn = sqlite3.connect(team.db)  # enough pages that the copy takes a moment
    with conn:
        conn.executemany("INSERT INTO workers (id, name, role, fte, status, auto, created_at) VALUES "
                         "(?, 'W', 'worker', '1', 'active', 1, '2026-01-01')", [(f"w{i:05d}",) for i in range(20000)])
    conn.close()
    target = tmp_path / "nightly" / "b.db"
    target.parent.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "caseload", "--db", str(team.db), "backup", str(target)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(target.parent.glob(".b.db.*.tmp")):
        time.sleep(0.001)
    proc.kill()
    proc.wait()
    left = list(target.parent.glob(".b.db.*.tmp"))
    if not left:  # the copy finished first: nothing partial to name (the machine was quick)
        pytest.skip("the copy finished before it could be killed")
    assert not target.exists()
    notes = team("doctor").stderr
    assert f"{left[0]} is part of a copy of this database that `caseload backup` was making" in notes
    erased = team.ok("erase", case, "--reason", "request", "--yes")
    assert f"{left[0]} was made before this erasure" in erased.stderr
    whole = tmp_path / "whole.db"
    team.ok("backup", str(whole))
    copy = sqlite3.connect(whole)
    assert copy.execute("SELECT count(*) FROM backups WHERE erasures < 0").fetchone()[0] == 0
    copy.close()
