"""A database upgraded from an older schema version is the same database as a new one:
same tables, indexes and triggers, written the same way, same version, same journal."""

import os
import re
import shutil
import sqlite3
from pathlib import Path

from caseload.store.migrations import CURRENT_VERSION
from conftest import Cli

SCHEMA_V1 = Path(__file__).parent / "fixtures" / "schema_v1.db"


def schema(path: Path) -> dict:
    """What `sqlite_master` and the header say about a database file, whitespace in the SQL normalised."""
    conn = sqlite3.connect(path)
    try:
        objects = [
            (kind, name, table, None if sql is None else re.sub(r"\s+", " ", sql).strip())
            for kind, name, table, sql in conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        ]
        return {
            "objects": objects,
            "user_version": conn.execute("PRAGMA user_version").fetchone()[0],
            "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
        }
    finally:
        conn.close()


def test_a_migrated_v1_database_has_exactly_the_schema_of_a_fresh_one(tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(SCHEMA_V1, old)
    os.chmod(old, 0o600)
    assert schema(old)["user_version"] == 1  # the fixture really is the old version

    result = Cli(old).ok("doctor")  # any command opening the file upgrades it, after a backup
    assert result.stderr.endswith("no problems found\n"), result.stderr
    assert len(list(tmp_path.glob("old.db.v1-*.bak"))) == 1

    fresh = tmp_path / "fresh.db"
    assert "created the database" in Cli(fresh).ok("init").stderr

    migrated, new = schema(old), schema(fresh)
    assert new["user_version"] == CURRENT_VERSION
    assert migrated["user_version"] == new["user_version"]
    assert migrated["journal_mode"] == new["journal_mode"] == "wal"
    only_migrated = [o for o in migrated["objects"] if o not in new["objects"]]
    only_fresh = [o for o in new["objects"] if o not in migrated["objects"]]
    assert (only_migrated, only_fresh) == ([], [])
    assert migrated["objects"] == new["objects"]  # the same, in the same order
