"""The tests of `cases` and `history` written out value by value (`store.written_out`,
DESIGN §8): they say what the IN lists said, they still refuse what those refused, and
a database upgraded to them keeps every row, its hash chain and its full-text index."""

import json
import shutil
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from caseload.domain.model import ARRIVAL_KINDS, CASE_STATUSES, HISTORY_KINDS, OPEN_STATUSES, RISKS
from caseload.store.migrations import CURRENT_VERSION
from caseload.store.recent_migrations import rebuild
from caseload.store.rows import sql_any, sql_list
from conftest import Cli

LISTS = [RISKS, CASE_STATUSES, HISTORY_KINDS, OPEN_STATUSES, ARRIVAL_KINDS]


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
    """The database as the version before the step left it: its IN lists back in place."""
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
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION - 1}")
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
    assert f"from schema version {CURRENT_VERSION - 1} to {CURRENT_VERSION}" in upgraded.stderr
    assert upgraded.stderr.endswith("no problems found\n"), upgraded.stderr  # the hash chains verify
    assert team.ok("export", "history", "--format", "csv").stdout == history
    assert team.ok("export", "cases", "--format", "csv").stdout == cases  # held_since through the new index
    assert found and json.loads(team.ok("find", "eviction", "--format", "json").stdout) == found
    conn = sqlite3.connect(db)
    tables = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE name IN ('cases', 'history', "
                               "'history_arrivals')"))
    conn.close()
    assert not [name for name, sql in tables.items() if " IN (" in sql.upper()], tables
