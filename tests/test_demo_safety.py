"""`caseload demo` fills only a new file or a demo it made itself (DESIGN §6): the team's
database, any other SQLite file and any other file are refused, untouched, even with --force."""

import sqlite3

import pytest
from conftest import CliRunner

from caseload.cli import build_app
from conftest import dump
from caseload.store.admin import DEMO_APPLICATION_ID

app = build_app()


def run(*args):
    return CliRunner().invoke(app, list(args))


def application_id(path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA application_id").fetchone()[0]
    finally:
        db.close()


def files(folder) -> set:
    """The files in `folder` (SQLite's own -wal/-shm come and go as connections close)."""
    return {p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))}


def refused(result, path, why):
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr == (f"error: {path} is not a demo database ({why}): `caseload demo` only fills a new file "
                             "or a demo it made; nothing was changed (give --db a new file for the demo)\n")
    assert result.stdout == ""


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_demo_refuses_a_teams_database(team, force):
    folder = team.db.parent
    before, content = files(folder), dump(team.db)
    refused(team("demo", *force), team.db, "it holds a team's records")
    assert files(folder) == before and dump(team.db) == content  # nothing replaced, migrated or backed up
    assert application_id(team.db) == 0
    assert [w["id"] for w in __import__("json").loads(team.ok("worker", "list", "-f", "json").stdout)] == [
        "asha", "ben", "cara", "lead"]


def test_demo_refuses_a_file_that_is_not_sqlite(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("the team's notes, not a database\n")
    refused(run("--db", str(notes), "demo", "--force"), notes, "it is not an SQLite database")
    assert notes.read_text() == "the team's notes, not a database\n"


def test_demo_refuses_another_programs_sqlite_file(tmp_path):
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE contacts (name TEXT)")
    db.commit()
    db.close()
    before = other.read_bytes()
    refused(run("--db", str(other), "demo"), other, "it is another program's SQLite database")
    assert other.read_bytes() == before


def test_demo_refuses_a_folder(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    refused(run("--db", str(folder), "demo"), folder, "it is a folder or a device")


def test_demo_reruns_over_its_own_demo(tmp_path):
    path = tmp_path / "demo.db"
    first = run("--db", str(path), "demo")
    assert first.exit_code == 0 and application_id(path) == DEMO_APPLICATION_ID
    assert run("--db", str(path), "assign", "--waiting", "--auto").exit_code == 0  # exploring it
    again = run("--db", str(path), "demo")
    assert again.exit_code == 0 and f"replaced the demo in {path}" in again.stderr
    assert again.stdout == first.stdout  # the same fresh demo, not the explored one
    assert application_id(path) == DEMO_APPLICATION_ID
    assert run("--db", str(path), "doctor").exit_code == 0


def test_a_backup_of_a_demo_is_a_demo(tmp_path):
    path, copy = tmp_path / "demo.db", tmp_path / "copy.db"
    assert run("--db", str(path), "demo").exit_code == 0
    assert run("--db", str(path), "backup", str(copy)).exit_code == 0
    assert run("--db", str(copy), "demo").exit_code == 0


def test_demo_fills_a_new_or_empty_file(cli, tmp_path):
    cli.ok("demo")  # `init` made it and nothing is recorded in it: nothing to lose
    assert application_id(cli.db) == DEMO_APPLICATION_ID
    empty = tmp_path / "empty.db"
    empty.touch()
    assert run("--db", str(empty), "demo").exit_code == 0


def test_demo_without_db_never_replaces_the_configured_team_database(tmp_path):
    """The config says `database: demo.db`: the team's database is where demo would write its own."""
    app_dir = tmp_path / "config-home" / "caseload"
    app_dir.mkdir(parents=True)
    (app_dir / "config.yaml").write_text("database: demo.db\n")
    team_db = app_dir / "demo.db"
    assert run("init").exit_code == 0 and team_db.exists()
    refused(run("demo"), team_db, "it is the team's database")  # empty, but the team's
    assert run("worker", "add", "asha", "--name", "Asha").exit_code == 0
    before, content = files(app_dir), dump(team_db)
    refused(run("demo", "--force"), team_db, "it holds a team's records")
    assert files(app_dir) == before and dump(team_db) == content and application_id(team_db) == 0


def test_demo_without_db_writes_its_own_file_beside_the_default(tmp_path):
    app_dir = tmp_path / "config-home" / "caseload"
    assert run("init").exit_code == 0
    assert run("worker", "add", "asha", "--name", "Asha").exit_code == 0
    assert run("demo").exit_code == 0 and run("demo").exit_code == 0
    assert application_id(app_dir / "demo.db") == DEMO_APPLICATION_ID
    assert application_id(app_dir / "caseload.db") == 0
    listing = run("worker", "list", "-f", "csv").stdout.splitlines()
    assert len(listing) == 2 and listing[1].startswith("asha,")
