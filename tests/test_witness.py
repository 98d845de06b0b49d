"""The record anchored outside the file (DESIGN §6): what an attacker with the database
file (but not the witness) does, and what `doctor` says about it. Each attack drops the
triggers it needs and puts them back exactly, as a careful attacker would."""

import json
import shutil
import sqlite3
import stat

import pytest

from caseload.domain.chain import GENESIS, link
from caseload.store.chained import PUBLIC
from conftest import Cli
from test_tamper import busy_team, doctor_is_clean

CHANGED_OUTSIDE = "the case was changed outside caseload"


def witness_of(cli: Cli):
    (found,) = (cli.db.parent / "config-home" / "caseload").glob(f"{cli.db.name}-*.witness")
    return found


def busy(team: Cli) -> Cli:
    busy_team(team)
    team.ok("note", "C-0001", "Lives at 4 Elm Road with her sister")
    team.ok("note", "C-0002", "called back", "--contact")
    return team


def doctor_problems(cli: Cli, *args: str) -> list[str]:
    result = cli("doctor", *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return [line.removeprefix("problem: ") for line in result.stdout.splitlines()]


def with_triggers_put_back(cli: Cli, table: str, *sql: str) -> None:
    conn = sqlite3.connect(cli.db, isolation_level=None)
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                            [table]).fetchall()
    conn.execute("BEGIN")
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for statement in sql:
        conn.execute(statement)
    for _, text in triggers:
        conn.execute(text)
    conn.execute("COMMIT")
    conn.close()


def rehash_from(cli: Cli, table: str, first: int) -> None:
    """Recompute every hash from row `first` on, as someone who knows the arithmetic would."""
    conn = sqlite3.connect(cli.db, isolation_level=None)
    columns = PUBLIC[table]
    rows = conn.execute(f"SELECT {', '.join(columns)}, seal, hash FROM {table} ORDER BY id").fetchall()
    previous, updates = GENESIS, []
    for row in rows:
        digest = row[-1]
        if row[0] >= first:
            digest = link(previous, (*row[:-2], row[-2]))
            updates.append(f"UPDATE {table} SET hash = '{digest}' WHERE id = {row[0]}")
        previous = digest
    conn.close()
    with_triggers_put_back(cli, table, *updates)


def test_the_witness_is_private_and_holds_each_chained_tables_head(team):
    busy(team)
    path = witness_of(team)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    tables = json.loads(path.read_text())["tables"]
    conn = sqlite3.connect(team.db)
    for table in ("history", "case_changes", "notes"):
        rows, last = conn.execute(f"SELECT count(*), (SELECT hash FROM {table} ORDER BY id DESC LIMIT 1) "
                                  f"FROM {table}").fetchone()
        assert (tables[table]["rows"], tables[table]["last"]) == (rows, last)
    conn.close()
    doctor_is_clean(team)


@pytest.mark.parametrize("table", ["history", "case_changes", "notes"])
def test_the_last_rows_deleted_are_named(team, table):
    busy(team)
    conn = sqlite3.connect(team.db)
    (last,) = conn.execute(f"SELECT max(id) FROM {table}").fetchone()
    conn.close()
    with_triggers_put_back(team, table, f"DELETE FROM {table} WHERE id = {last}")
    named = f"{table} has {last - 1} rows where the witness recorded {last}: rows from {last} were deleted outside caseload"
    assert [p for p in doctor_problems(team) if p.startswith(named)], named
    # the next ordinary write does not paper over it: the witness keeps what it saw
    team.ok("note", "C-0002", "another note")
    assert [p for p in doctor_problems(team) if p.startswith(f"{table} ") and "the witness" in p]


def test_a_rewrite_with_every_later_hash_recomputed_is_named(team):
    busy(team)
    with_triggers_put_back(team, "history", "UPDATE history SET actor = 'someone else' WHERE id = 5")
    rehash_from(team, "history", 5)
    problems = doctor_problems(team)
    assert len(problems) == 1 and problems[0].startswith("history row 8 does not match the witness: the record was "
                                                         "rewritten outside caseload, from a row after 4 up to row 8")


def test_a_raw_move_of_a_case_is_named(team):
    busy(team)
    conn = sqlite3.connect(team.db)
    conn.execute("UPDATE cases SET worker = 'cara' WHERE id = 'C-0001'")
    conn.commit()
    conn.close()
    assert doctor_problems(team) == [f"C-0001 is held by cara but its history says ben: {CHANGED_OUTSIDE}"]


def test_a_copy_of_the_witness_kept_elsewhere_finds_a_rewrite_of_both(team, tmp_path):
    busy(team)
    copy = tmp_path / "kept-elsewhere.witness"
    shutil.copy(witness_of(team), copy)
    conn = sqlite3.connect(team.db)
    (last,) = conn.execute("SELECT max(id) FROM notes").fetchone()
    conn.close()
    with_triggers_put_back(team, "notes", f"DELETE FROM notes WHERE id = {last}")
    witness_of(team).unlink()  # the attacker removes the witness beside the config too
    result = team("doctor")
    assert result.exit_code == 0 and "no witness of this database yet" in result.stderr
    problems = doctor_problems(team, "--witness", str(copy))
    assert problems == [f"notes has {last - 1} rows where the witness recorded {last}: rows from {last} were deleted "
                        f"outside caseload (or the file was put back from an older copy) (the copy: {copy})"]


def test_the_report_head_lines_serve_as_a_witness(team, tmp_path):
    busy(team)
    head = team.ok("report").stdout
    mail = tmp_path / "mail.txt"
    mail.write_text("Subject: nightly\n\n" + head)
    team.ok("doctor", "--witness", str(mail))
    conn = sqlite3.connect(team.db)
    (last,) = conn.execute("SELECT max(id) FROM history").fetchone()
    conn.close()
    with_triggers_put_back(team, "history", f"DELETE FROM history WHERE id = {last}")
    witness_of(team).unlink()
    assert [p for p in doctor_problems(team, "--witness", str(mail)) if p.startswith(f"history has {last - 1} rows")]


def test_text_erased_with_raw_sql_without_an_erasure_is_named(team):
    busy(team)
    conn = sqlite3.connect(team.db)
    (note,) = conn.execute("SELECT id FROM notes WHERE case_id = 'C-0001'").fetchone()
    conn.execute("UPDATE notes SET text = 'erased', salt = NULL WHERE id = ?", [note])  # the triggers allow it
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE notes SET text = 'rewritten', salt = NULL WHERE id = ?", [note])
    conn.commit()
    conn.close()
    assert doctor_problems(team) == [f"notes row {note} was erased without a recorded erasure of C-0001: "
                                     "the record was changed outside caseload"]


def test_an_old_database_is_chained_again_and_says_so(tmp_path):
    from test_tamper import SCHEMA_V1

    old = tmp_path / "old.db"
    shutil.copy(SCHEMA_V1, old)
    old.chmod(0o600)
    result = Cli(old).ok("doctor")
    assert "from schema version 1" in result.stderr and "chained again" in result.stderr
    assert result.stderr.endswith("no problems found\n")
