"""The database file: 0600, WAL, append-only history, versions refused or upgraded."""

import os
import sqlite3

import pytest

from caseload.store.migrations import CURRENT_VERSION
from conftest import dump


def test_database_wal_and_shm_are_private_whatever_the_umask(tmp_path, team):
    old = os.umask(0o022)
    try:
        team.ok("intake", "--client", "Someone")
    finally:
        os.umask(old)
    assert team.db.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(team.db)
    conn.execute("SELECT count(*) FROM cases").fetchone()  # opens the WAL and shm files
    for suffix in ("-wal", "-shm"):
        side = team.db.with_name(team.db.name + suffix)
        if side.exists():
            assert side.stat().st_mode & 0o777 == 0o600, suffix
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_history_cannot_be_changed_even_with_raw_sql(team):
    team.ok("intake", "--client", "Someone", "--assign", "asha")
    conn = sqlite3.connect(team.db)
    before = conn.execute("SELECT count(*) FROM history").fetchone()[0]
    assert before == 2
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE history SET worker = 'ben'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM history")
    conn.rollback()
    assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == before
    conn.close()


def test_newer_database_is_refused_and_left_alone(cli):
    conn = sqlite3.connect(cli.db)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.commit()
    conn.close()
    before = cli.dump()
    result = cli("cases")
    assert result.exit_code == 1
    assert "newer caseload" in result.stderr and "Traceback" not in result.output
    assert cli.dump() == before


def test_foreign_sqlite_file_is_not_touched(tmp_path, cli):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = dump(other)
    result = cli.runner.invoke(__import__("caseload.cli").cli.build_app(), ["--db", str(other), "cases"])
    assert result.exit_code == 1 and "not a caseload database" in result.stderr
    assert dump(other) == before


def test_file_that_is_not_sqlite_is_a_clear_error(tmp_path, cli):
    junk = tmp_path / "junk.db"
    junk.write_text("hello, this is not a database " * 100)
    result = cli.runner.invoke(__import__("caseload.cli").cli.build_app(), ["--db", str(junk), "cases"])
    assert result.exit_code == 1
    assert "cannot be opened" in result.stderr and "Traceback" not in result.output
    assert junk.read_text() == "hello, this is not a database " * 100  # and it is left as it was


def test_missing_database_is_not_created_by_a_read(tmp_path, cli):
    result = cli.runner.invoke(__import__("caseload.cli").cli.build_app(), ["--db", str(tmp_path / "typo.db"), "cases"])
    assert result.exit_code == 1 and "caseload init" in result.stderr
    assert not (tmp_path / "typo.db").exists()


def test_init_twice_keeps_the_data(team):
    team.ok("intake", "--client", "Someone")
    before = team.dump()
    team.ok("init")
    assert team.dump() == before
