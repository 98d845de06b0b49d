"""The tests of `cases` and `history` written out value by value (`store.written_out`,
DESIGN §8): they say what the IN lists said, they still refuse what those refused, and
a database upgraded to them keeps every row, its hash chain and its full-text index."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from caseload.domain.model import ARRIVAL_KINDS, CASE_STATUSES, HISTORY_KINDS, OPEN_STATUSES, RISKS
from caseload.store.migrations import CURRENT_VERSION, MIGRATIONS
from caseload.store.recent_migrations import rebuild
from caseload.store.rows import sql_any, sql_list
from caseload.store.written_out import written_out
from conftest import Cli

LISTS = [RISKS, CASE_STATUSES, HISTORY_KINDS, OPEN_STATUSES, ARRIVAL_KINDS]
BEFORE = MIGRATIONS.index(written_out)  # the schema version before the checks were written out (14)


@given(values=st.sampled_from(LISTS), x=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(HISTORY_KINDS)))
def test_a_list_written_out_is_the_in_list_null_included(values, x):
    db = sqlite3.connect(":memory:")
    row = db.execute(f"SELECT x IN {sql_list(values)}, {sql_any('x', values)}, "
                     f"x NOT IN {sql_list(values)}, NOT {sql_any('x', values)} FROM (SELECT ? AS x)", [x]).fetchone()
    assert row[0] == row[1] and row[2] == row[3]  # None for a NULL x, on both sides


@pytest.mark.parametrize("sql, values", [
    ("INSERT INTO cases (id, client, tier, risk, status, opened_on) VALUES (?, 'A', 'low', ?, 'waiting', '2026-01-05')",
     ["C-9001", "urgent"]),
    ("INSERT INTO cases (id, client, tier, risk, status, opened_on) VALUES (?, 'A', 'low', 'low', ?, '2026-01-05')",
     ["C-9001", "open"]),
    ("INSERT INTO cases (id, client, tier, risk, status, opened_on) VALUES (?, 'A', 'low', 'low', ?, '2026-01-05')",
     ["C-9001", "monitoring"]),  # open, and nobody holds it
    ("INSERT INTO history (case_id, kind, actor, at) VALUES ((SELECT id FROM cases LIMIT 1), ?, 'x', ?)",
     ["bogus", "2026-01-05T09:00:00+00:00"]),
])
def test_the_written_out_checks_refuse_what_the_lists_refused(demo_db, tmp_path, sql, values):
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        conn.execute(sql, values)
    conn.close()


def _as_the_version_before(path) -> None:
    """The database as the version before the step left it: its IN lists back in place (and
    without what the later steps added: the reviews' heads, the index of arrivals as it was)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN")
    tables = Database(conn, execute_plugins=False)
    back = {"cases": [(sql_any("risk", RISKS)[1:-1], f"risk IN {sql_list(RISKS)}"),
                      (sql_any("status", CASE_STATUSES)[1:-1], f"status IN {sql_list(CASE_STATUSES)}"),
                      ("NOT " + sql_any("status", OPEN_STATUSES), f"status NOT IN {sql_list(OPEN_STATUSES)}")],
            "history": [(sql_any("kind", HISTORY_KINDS)[1:-1], f"kind IN {sql_list(HISTORY_KINDS)}")]}
    for table, swaps in back.items():
        def change(create, swaps=swaps):
            for written, listed in swaps:
                assert create.count(written) == 1, create
                create = create.replace(written, listed)
            return create
        rebuild(tables, table, change)
    conn.execute("DROP INDEX history_arrivals")
    conn.execute(f"CREATE INDEX history_arrivals ON history (case_id, worker, at) "
                 f"WHERE kind IN {sql_list(ARRIVAL_KINDS)} AND previous_worker IS NOT worker")
    conn.execute("ALTER TABLE zone_reviews DROP COLUMN history_head")
    conn.execute("ALTER TABLE zone_reviews DROP COLUMN changes_head")
    conn.execute("DROP TABLE report_runs")
    conn.execute(f"PRAGMA user_version = {BEFORE}")
    conn.execute("COMMIT")
    conn.close()


def test_a_database_upgraded_to_the_written_out_checks_keeps_every_row_its_chain_and_its_words(demo_db, tmp_path):
    db = tmp_path / "team.db"
    shutil.copy(demo_db, db)
    team = Cli(db)
    history = team.ok("export", "history", "--format", "csv").stdout
    cases = team.ok("export", "cases", "--format", "csv").stdout
    found = json.loads(team.ok("find", "eviction", "--format", "json").stdout)
    _as_the_version_before(db)
    conn = sqlite3.connect(db)
    assert " IN (" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'history'").fetchone()[0]
    conn.close()

    upgraded = team.ok("doctor")  # any command upgrades the file, after a backup of it
    assert f"from schema version {BEFORE} to {CURRENT_VERSION}" in upgraded.stderr
    assert upgraded.stderr.endswith("no problems found\n"), upgraded.stderr  # the hash chains verify
    assert team.ok("export", "history", "--format", "csv").stdout == history
    assert team.ok("export", "cases", "--format", "csv").stdout == cases  # held_since through the new index
    assert found and json.loads(team.ok("find", "eviction", "--format", "json").stdout) == found
    conn = sqlite3.connect(db)
    tables = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE name IN ('cases', 'history', "
                               "'history_arrivals')"))
    conn.close()
    assert not [name for name, sql in tables.items() if " IN (" in sql.upper()], tables


def _old_team(demo_db, tmp_path):
    db = tmp_path / "team.db"
    shutil.copy(demo_db, db)
    _as_the_version_before(db)
    return Cli(db)


def test_a_check_changed_by_hand_stops_the_upgrade_with_a_plain_message_and_no_copy_left(demo_db, tmp_path):
    team = _old_team(demo_db, tmp_path)
    conn = sqlite3.connect(team.db, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")  # someone let 'urgent' in by hand
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'risk IN (', 'risk IN (''urgent'', ') WHERE name = 'cases'")
    conn.close()
    before = team.dump()
    refused = team("doctor")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: the cases table's checks are not the ones caseload wrote"), refused.stderr
    assert "bug" not in refused.stderr and "nothing was changed" in refused.stderr
    assert team.dump() == before
    assert not list(tmp_path.glob("*.bak")) and not list(tmp_path.glob(".*.tmp"))  # no copy a night, piling up


def test_an_old_file_that_cannot_be_written_is_refused_before_any_copy_is_made(demo_db, tmp_path):
    from caseload.domain.errors import CaseloadError
    from caseload.store.connection import migrate

    team = _old_team(demo_db, tmp_path)
    before = team.dump()
    # the file as a user who may only read it opens it (root may write any file: SQLite's own read-only mode)
    read_only = sqlite3.connect(f"file:{team.db}?mode=ro", uri=True, isolation_level=None)
    with pytest.raises(CaseloadError, match=f"schema version {BEFORE}.*this user cannot write it"):
        migrate(read_only, team.db)
    read_only.close()
    assert team.dump() == before
    assert not list(tmp_path.glob("*.bak")) and not list(tmp_path.glob(".*.tmp"))


def test_the_partial_copy_of_a_killed_upgrade_is_named_by_doctor_and_removed_by_the_next_upgrade(demo_db, tmp_path):
    team = _old_team(demo_db, tmp_path)
    left = tmp_path / f".team.db.v{BEFORE}-20261206T000000Z.bak.k1ll3d.tmp"  # as files.new_file_from names it
    left.write_bytes(team.db.read_bytes()[:8192])
    upgraded = team.ok("doctor")
    assert not left.exists()
    assert len(list(tmp_path.glob(f"team.db.v{BEFORE}-*.bak"))) == 1  # the finished copy
    left.write_bytes(b"part of a copy")  # killed again, at a later upgrade
    noted = team.ok("doctor").stderr
    assert f"note: {left} is part of a copy of this database that an interrupted upgrade left" in noted
    assert "no problems found" in noted and upgraded.exit_code == 0


def test_an_upgrade_that_waits_too_long_for_another_says_so_and_changes_nothing(demo_db, tmp_path):
    from caseload.domain.errors import CaseloadError
    from caseload.store.connection import migrate

    team = _old_team(demo_db, tmp_path)
    before = team.dump()
    upgrading = sqlite3.connect(team.db, isolation_level=None)
    upgrading.execute("BEGIN IMMEDIATE")  # another caseload, upgrading a file of a million cases
    waiting = sqlite3.connect(team.db, timeout=0.2, isolation_level=None)  # ours waits 30 s
    with pytest.raises(CaseloadError, match="another caseload is holding it, most likely upgrading it.*try again"):
        migrate(waiting, team.db)
    upgrading.rollback()
    assert team.dump() == before and not list(tmp_path.glob("*.bak"))


@pytest.mark.parametrize("outside", [
    "UPDATE cases SET risk = 'urgent' WHERE rowid = (SELECT min(rowid) FROM cases)",  # under a check let out by hand
    "DELETE FROM cases WHERE id = (SELECT case_id FROM history LIMIT 1)",  # its history left pointing at nothing
], ids=["a value the check refuses", "history of a deleted case"])
def test_rows_changed_outside_caseload_stop_the_upgrade_with_a_plain_message(demo_db, tmp_path, outside):
    team = _old_team(demo_db, tmp_path)
    conn = sqlite3.connect(team.db, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'risk IN (', 'risk IN (''urgent'', ') WHERE name = 'cases'")
    conn.close()
    conn = sqlite3.connect(team.db, isolation_level=None)
    conn.execute(outside)
    conn.execute("PRAGMA writable_schema = ON")  # the check put back as caseload made it, as the refusal advises
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'risk IN (''urgent'', ', 'risk IN (') WHERE name = 'cases'")
    conn.close()
    before = team.dump()
    refused = team("cases")
    assert refused.exit_code == 1 and "bug" not in refused.stderr, refused.stderr
    assert "some of its rows break caseload's rules" in refused.stderr and "nothing was changed" in refused.stderr
    assert "urgent" not in refused.stderr and "Client" not in refused.stderr  # the rule, never a row's values
    assert team.dump() == before and not list(tmp_path.glob("*.bak"))


def test_only_this_databases_unfinished_copies_are_removed(demo_db, tmp_path):
    team = _old_team(demo_db, tmp_path)
    ours = [tmp_path / ".team.db.v14-20261206T000000Z.bak.k1ll3d.tmp",
            tmp_path / ".team.db.v14-20261206T000000Z.bak.k1ll3d.tmp-journal"]  # SQLite's, beside the copy
    others = [tmp_path / ".team.db.v2.v14-20261206T000000Z.bak.abc123.tmp",  # team.db.v2's copy, under way
              tmp_path / ".team.db.vault.bak.2024.tmp"]  # somebody's own file
    for path in ours + others:
        path.write_bytes(b"x")
    team.ok("doctor")
    assert [p.exists() for p in ours + others] == [False, False, True, True]


def test_an_upgrade_copy_made_by_the_erasing_command_is_named(demo_db, tmp_path):
    team = _old_team(demo_db, tmp_path)
    erased = team.ok("erase", "C-0001", "--reason", "request", "--yes", env={"CASELOAD_TODAY": ""})  # the real clock
    (copy,) = tmp_path.glob("team.db.v14-*.bak")  # made in the erasure's own second
    assert f"{copy} was made before this erasure" in erased.stderr


def _can_drop_write_rights() -> bool:
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


@pytest.mark.skipif(not _can_drop_write_rights(), reason="root, and no setpriv to drop the right to write anything")
def test_an_old_file_in_a_folder_nobody_may_write_is_refused_in_one_line(demo_db, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    team = _old_team(demo_db, folder)
    before = team.dump()
    folder.chmod(0o555)
    drop = (["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
            if os.geteuid() == 0 else [])
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    try:
        done = subprocess.run([*drop, sys.executable, "-m", "caseload", "--db", str(team.db), "cases"],
                              capture_output=True, text=True, env={**env, "CASELOAD_TODAY": "2026-11-23"})
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "cannot write it or its folder" in done.stderr, done.stderr
    assert team.dump() == before and not list(folder.glob("*.bak"))


def test_an_interrupt_after_a_commit_is_never_told_nothing_was_changed(demo_db, tmp_path):
    from caseload.interrupts import interrupted_words
    from caseload.store.connection import change_saved, forget, migrate, said, unsaid_notices, write_transaction

    forget()
    team = _old_team(demo_db, tmp_path)
    conn = sqlite3.connect(team.db, isolation_level=None)
    notices = migrate(conn, team.db)  # the upgrade before a command: saved, and not yet printed
    assert unsaid_notices() == tuple(notices) and not change_saved()
    assert "was upgraded first: upgraded" in interrupted_words(upgrades=tuple(notices))
    said(notices)  # printed by the session
    with write_transaction(conn):
        conn.execute("UPDATE workers SET name = 'Asha K' WHERE id = 'asha'")
    assert change_saved() and unsaid_notices() == ()
    conn.execute("BEGIN")  # the command reads on to print its result, and is interrupted there
    assert change_saved()
    conn.rollback()
    assert interrupted_words(changed=True) == "interrupted after its change was saved: the change is done"
    assert interrupted_words() == "interrupted; nothing was changed"
    forget()
    with write_transaction(conn):  # a transaction that wrote nothing: nothing to say was saved
        conn.execute("UPDATE workers SET name = name WHERE id = 'nobody'")
    assert not change_saved() and unsaid_notices() == ()
    conn.close()


def test_an_upgrade_kept_quiet_is_still_named_if_the_command_is_then_interrupted(demo_db, tmp_path):
    from caseload.store.connection import unsaid_notices

    team = _old_team(demo_db, tmp_path)
    quiet = team.ok("--quiet", "cases", "--waiting")  # as cron runs it: the upgrade's line is not printed
    assert "upgraded" not in quiet.stderr
    (copy,) = tmp_path.glob("team.db.v14-*.bak")
    assert [notice for notice in unsaid_notices() if str(copy) in notice]  # what an interrupt would still say
    (tmp_path / "loud").mkdir()
    loud = _old_team(demo_db, tmp_path / "loud")
    assert "upgraded" in loud.ok("cases", "--waiting").stderr and unsaid_notices() == ()
