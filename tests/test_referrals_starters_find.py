"""Issue 22, items 7, 8 and 10: a referral withdrawn from the waiting pool is closed (DESIGN
§2 "Withdrawn referrals"), a new starter gets a protected caseload (DESIGN §2 "New
starters"), and `find TEXT` finds a case by its client's name, summary or notes, with
erased text gone from the index too (DESIGN §5, §6 "Erased means gone")."""

import json
import os
import sqlite3
from datetime import date
from fractions import Fraction

import pytest

from caseload.domain.errors import BadInput
from caseload.domain.handover import closed, reopened
from caseload.domain.model import Case, Reduction, Worker
from caseload.domain.search import matches, search_words, word_query
from caseload.domain.starters import StarterRules, protected_caseload, protected_until

DAY = date(2026, 11, 23)


def rows(result) -> list[dict]:
    return json.loads(result.stdout)


def sql(db, query: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


# -- 7. withdrawn referrals --------------------------------------------------------------

def test_domain_a_waiting_case_closes_with_nobody_and_reopens_into_the_pool():
    waiting = Case("C-1", "x", date(2026, 11, 1), status="waiting", waiting_since=date(2026, 11, 1))
    gone = closed(waiting, DAY, "withdrawn")
    assert (gone.status, gone.worker, gone.closed_on, gone.close_reason, gone.waiting_since) == \
        ("closed", None, DAY, "withdrawn", None)
    back = reopened(gone, None, date(2026, 11, 30))
    assert (back.status, back.worker, back.waiting_since) == ("waiting", None, date(2026, 11, 30))
    held = closed(Case("C-2", "y", date(2026, 11, 1), status="active", worker="asha"), DAY, "done")
    assert (held.status, held.worker) == ("closed", "asha")


def test_a_withdrawn_referral_leaves_the_pool_counts_as_a_closure_and_can_be_reopened(team):
    case_id = team.ok("intake", "--client", "Withdrawn Person", "--risk", "high").stdout.strip()
    assert [r["id"] for r in rows(team.ok("cases", "--waiting", "--format", "json"))] == [case_id]
    done = team.ok("close", case_id, "--reason", "withdrawn")
    assert f"closed {case_id}: a withdrawn referral, out of the waiting pool" in done.stderr
    # the pool, the waiting attention and the nightly alarm no longer see it
    assert rows(team.ok("cases", "--waiting", "--format", "json")) == []
    review = json.loads(team.ok("zone-review", "--format", "json").stdout)
    assert review["team"]["waiting"] == 0
    assert team("report", "--fail-on", "waiting", "--format", "json").exit_code == 0
    report = json.loads(team.ok("report", "--format", "json").stdout)
    assert report["throughput"]["closures"] == 1
    # what the database holds: closed by nobody, with a close row naming nobody
    assert sql(team.db, "SELECT status, worker, close_reason, waiting_since FROM cases WHERE id = ?", case_id) == \
        [("closed", None, "withdrawn", None)]
    assert sql(team.db, "SELECT worker, previous_worker, kind, reason FROM history WHERE case_id = ? ORDER BY id",
               case_id)[-1] == (None, None, "close", "withdrawn")
    assert "withdrawn: nobody held it" in team.ok("show", case_id).stdout
    assert team.ok("doctor").stderr.endswith("no problems found\n")
    # reopened: back in the pool, waiting from today
    team.ok("reopen", case_id, "--reason", "referred again")
    pool = rows(team.ok("cases", "--waiting", "--format", "json"))
    assert [(r["id"], r["waiting_since"]) for r in pool] == [(case_id, "2026-11-23")]
    assert team.ok("doctor").stderr.endswith("no problems found\n")


def test_the_database_still_refuses_an_open_case_with_nobody_and_a_waiting_one_with_somebody(team):
    case_id = team.ok("intake", "--client", "Someone").stdout.strip()
    conn = sqlite3.connect(team.db)
    try:
        for bad in ("UPDATE cases SET status = 'active' WHERE id = ?",
                    "UPDATE cases SET worker = 'asha' WHERE id = ?"):
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(bad, [case_id])
    finally:
        conn.close()


def test_closing_a_waiting_case_without_a_reason_is_bad_input_and_writes_nothing(team):
    case_id = team.ok("intake", "--client", "Someone").stdout.strip()
    before = team.dump()
    result = team("close", case_id, "--reason", "  ")
    assert result.exit_code == 2 and "--reason" in result.stderr
    assert team.dump() == before


def test_an_old_database_with_cases_is_rebuilt_keeping_every_row_index_and_check(team, tmp_path):
    """The rebuild (sqlite-utils transform) keeps the rows, their rowids (the full-text index
    keys on them), the indexes and the other checks."""
    team.ok("intake", "--client", "Held Person", "--assign", "asha")
    conn = sqlite3.connect(team.db)
    try:
        schema = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'cases'").fetchone()[0]
        indexes = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                              "AND tbl_name = 'cases' AND sql IS NOT NULL")}
    finally:
        conn.close()
    assert "CHECK (status <> 'waiting' OR worker IS NULL)" in schema
    assert "CHECK ((home_worker IS NULL) = (cover_until IS NULL))" in schema
    assert "waiting_since IS NULL OR status = 'waiting'" in schema
    assert {"cases_open_load", "cases_contact", "cases_status", "cases_client", "cases_cover"} <= indexes


# -- 8. new starters' protected caseload -----------------------------------------------------

RULES = StarterRules(Fraction(50), 12)
EVE = Worker("eve", "Eve Long", starts_on=date(2026, 12, 14))


def test_domain_a_starter_is_due_one_protected_reduction_when_the_config_says_so():
    due = protected_caseload(EVE, [], RULES)
    assert due == Reduction(0, "eve", "percent", Fraction(50), "newly qualified", date(2026, 12, 14),
                            date(2027, 3, 7))
    assert protected_caseload(EVE, [], StarterRules()) is None  # off by default
    assert protected_caseload(Worker("ann", "Ann"), [], RULES) is None  # not a starter
    assert protected_caseload(EVE, [due], RULES) is None  # brought by an import already
    assert protected_until([due], date(2026, 12, 13)) is None
    assert protected_until([due], date(2027, 3, 7)) == date(2027, 3, 7)
    assert protected_until([due], date(2027, 3, 8)) is None


def with_starters(team, percent="50", weeks="12"):
    (team.db.parent / "caseload.yaml").write_text(
        f"starters:\n  protected_percent: {percent}\n  protected_weeks: {weeks}\n")


def test_a_starter_on_a_protected_caseload_takes_fewer_of_the_waiting_cases(cli):
    with_starters(cli)
    cli.ok("worker", "add", "ann", "--name", "Ann Old")
    added = cli.ok("worker", "add", "eve", "--name", "Eve New", "--starts", "2026-11-23")
    assert "protected caseload for eve: capacity -50% (newly qualified) from 2026-11-23 to 2027-02-14" in added.stderr
    assert "newly qualified" in cli.ok("worker", "reductions", "eve").stdout
    for n in range(9):
        cli.ok("intake", "--client", f"Client {n}", "--risk", "high" if n < 3 else "medium")
    plan = cli.ok("assign", "--waiting", "--auto", "--explain", "--format", "json").stdout
    assert '"protected_until": "2027-02-14"' in plan
    held = {w["id"]: w["cases"] for w in json.loads(cli.ok("zone-review", "--format", "json").stdout)["workers"]}
    assert held == {"ann": 6, "eve": 3}  # half the capacity, a third of the cases
    cli.ok("intake", "--client", "One more")
    explained = cli.ok("assign", "C-0010", "--auto", "--dry-run", "--explain").stdout
    assert "(protected caseload to 2027-02-14)" in explained


def test_by_hand_a_protected_starter_is_warned_about_not_refused(cli):
    with_starters(cli)
    cli.ok("worker", "add", "eve", "--name", "Eve New", "--starts", "2026-11-23")
    result = cli.ok("intake", "--client", "By Hand", "--assign", "eve")
    assert "eve is on a protected caseload until 2027-02-14 (newly qualified" in result.stderr
    assert sql(cli.db, "SELECT worker FROM cases") == [("eve",)]


def test_the_protected_caseload_is_an_ordinary_reduction_ended_like_any_other(cli):
    with_starters(cli, "30", "4")
    cli.ok("worker", "add", "eve", "--name", "Eve New")
    assert sql(cli.db, "SELECT count(*) FROM reductions") == [(0,)]  # not a starter
    edited = cli.ok("worker", "edit", "eve", "--starts", "2026-12-07")
    assert "protected caseload for eve: capacity -30% (newly qualified) from 2026-12-07 to 2027-01-03" in edited.stderr
    cli.ok("worker", "edit", "eve", "--starts", "2026-12-07")  # the same day again: still one
    assert sql(cli.db, "SELECT worker, kind, amount, reason, starts_on, ends_on FROM reductions") == \
        [("eve", "percent", "30", "newly qualified", "2026-12-07", "2027-01-03")]
    (rid,) = sql(cli.db, "SELECT id FROM reductions")[0]
    cli.ok("worker", "reduce", "eve", "--end", str(rid), "--on", "2026-12-20")
    assert sql(cli.db, "SELECT ends_on FROM reductions") == [("2026-12-20",)]
    capacity = json.loads(cli.ok("zone-review", "--on", "2026-12-14", "--format", "json").stdout)["workers"][0]
    assert (capacity["id"], capacity["capacity"]) == ("eve", 63)


def test_off_by_default_no_reduction_for_a_starter(cli):
    cli.ok("worker", "add", "eve", "--name", "Eve New", "--starts", "2026-11-23")
    assert sql(cli.db, "SELECT count(*) FROM reductions") == [(0,)]


@pytest.mark.parametrize("text", [
    "starters:\n  protected_percent: 50\n",
    "starters:\n  protected_percent: 0\n  protected_weeks: 4\n",
    "starters:\n  protected_percent: 120\n  protected_weeks: 4\n",
    "starters:\n  protected_percent: 50\n  protected_weeks: 0\n",
    "starters:\n  protected: 50\n",
])
def test_a_bad_starters_config_is_bad_input_and_writes_nothing(cli, text):
    (cli.db.parent / "caseload.yaml").write_text(text)
    before = cli.dump()
    result = cli("worker", "add", "eve", "--name", "Eve New", "--starts", "2026-11-23")
    assert result.exit_code == 2 and "starters." in result.stderr
    assert cli.dump() == before


# -- 10. find --------------------------------------------------------------------------------

def test_domain_words_queries_and_matches():
    assert search_words("Quill-feather  QUILL") == ("quill", "feather")
    with pytest.raises(BadInput) as refused:
        search_words("?! --")
    assert "?!" not in str(refused.value)
    assert word_query("quill") == '"quill"*'
    found = {"quill": {"client": {"C-1", "C-2"}, "summary": set(), "notes": set()},
             "rent": {"client": set(), "summary": {"C-2"}, "notes": {"C-1"}}}
    assert matches(found) == {"C-1": ("client", "notes"), "C-2": ("client", "summary")}


NAME = "Zebedee Quillfeather"


def test_find_by_client_summary_and_notes_in_every_format(team, tmp_path):
    first = team.ok("intake", "--client", NAME, "--summary", "rent arrears", "--assign", "asha").stdout.strip()
    other = team.ok("intake", "--client", "Ada Lovelace", "--summary", "benefits appeal").stdout.strip()
    team.ok("note", other, "Quillfeather's neighbour called about the appeal")
    table = team.ok("find", "quillfeather").stdout
    assert first in table and other in table and "found in" in table
    found = rows(team.ok("find", "quill", "--format", "json"))
    assert [(r["id"], r["status"], r["worker"], r["matched"]) for r in found] == \
        [(other, "waiting", None, ["notes"]), (first, "active", "asha", ["client"])]
    # every word must be found in the case, in any of its places
    assert [r["id"] for r in rows(team.ok("find", "zebedee rent", "--format", "json"))] == [first]
    assert rows(team.ok("find", "zebedee appeal", "--format", "json")) == []
    csv_text = team.ok("find", "appeal", "--format", "csv").stdout.splitlines()
    assert csv_text[0] == "id,client,status,risk,worker,home_worker,matched"
    assert csv_text[1] == f"{other},Ada Lovelace,waiting,medium,,,summary;notes"
    out = tmp_path / "found.json"
    team.ok("find", "lovelace", "--format", "json", "--output", str(out))
    assert [r["id"] for r in json.loads(out.read_text())] == [other]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert "no case found" in team.ok("find", "nobodyhere").stdout


def test_find_text_that_looks_like_query_syntax_is_just_words(team):
    team.ok("intake", "--client", "Near Andor", "--summary", 'says "NOT" a lot')
    assert len(rows(team.ok("find", 'NEAR AND "NOT', "--format", "json"))) == 1
    assert rows(team.ok("find", "OR*", "--format", "json")) == []


def test_find_bad_input_never_echoes_the_text_and_exits_2(team):
    for text in ("", "   ", "?!", "a\x1bb"):
        result = team("find", text)
        assert result.exit_code == 2, text
        assert "TEXT" in result.stderr
        if text.strip() and text.strip() != "?!":
            assert text not in result.stderr
    result = team("find", " ".join(f"w{i}" for i in range(11)))
    assert result.exit_code == 2 and "at most 10" in result.stderr and "w10" not in result.stderr


def test_a_case_renamed_is_found_by_its_new_name_only(team):
    case_id = team.ok("intake", "--client", "Old Surname").stdout.strip()
    team.ok("update", case_id, "--client", "New Surname")
    assert rows(team.ok("find", "old", "--format", "json")) == []
    assert [r["id"] for r in rows(team.ok("find", "new surname", "--format", "json"))] == [case_id]


def shadow_bytes(db) -> bytes:
    """Everything the full-text index holds: its shadow tables' every cell."""
    conn = sqlite3.connect(db)
    try:
        tables = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND (name LIKE 'cases_fts_%' OR name LIKE 'notes_fts_%')")]
        assert {"cases_fts_data", "notes_fts_data"} <= set(tables)
        data = b""
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                data += b"".join(v if isinstance(v, bytes) else str(v).encode() for v in row)
        return data
    finally:
        conn.close()


def file_bytes(db) -> bytes:
    return b"".join(open(f"{db}{suffix}", "rb").read() for suffix in ("", "-wal") if os.path.exists(f"{db}{suffix}"))


def test_an_erased_client_is_not_found_and_not_in_the_index(team):
    case_id = team.ok("intake", "--client", NAME, "--summary", "marmalade ostrich").stdout.strip()
    team.ok("note", case_id, "Lindisfarne quokka visited")
    team.ok("intake", "--client", "Kept Person", "--summary", "kept words")
    assert b"quillfeather" in shadow_bytes(team.db)  # the index holds the words (lower-cased)...
    team.ok("erase", case_id, "--reason", "subject request", "--yes")
    for word in ("zebedee", "quillfeather", "marmalade", "lindisfarne", "quokka"):
        assert rows(team.ok("find", word, "--format", "json")) == [], word
        assert word.encode() not in shadow_bytes(team.db), word  # ...and not after the erasure
        assert word.encode() not in file_bytes(team.db).lower(), word
    assert len(rows(team.ok("find", "kept", "--format", "json"))) == 1  # the rest is still found
    assert team.ok("doctor").stderr.endswith("no problems found\n")


def test_an_erased_waiting_case_is_closed_as_withdrawn_and_gone_from_the_index(team):
    case_id = team.ok("intake", "--client", NAME).stdout.strip()
    team.ok("erase", case_id, "--reason", "subject request", "--yes")
    assert sql(team.db, "SELECT status, worker, client FROM cases") == [("closed", None, "erased")]
    assert rows(team.ok("find", "quillfeather", "--format", "json")) == []
    assert b"quillfeather" not in shadow_bytes(team.db)
