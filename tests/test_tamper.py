"""Tamper-evident history (DESIGN §6, §9): the assignment record and the case changes
refuse UPDATE, DELETE and INSERT OR REPLACE, even in raw SQL; each row's hash is chained
to the row before, so someone who drops the triggers and rewrites the record with raw
SQL is named by `doctor`, row and all; and a trigger replaced by one that does nothing
is named too.

First the chain's arithmetic on its own (no database), then what a team lead sees."""

import json
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from caseload.domain.chain import GENESIS, Layout, chain, encode, first_broken, link, seal
from conftest import Cli

SCHEMA_V1 = Path(__file__).parent / "fixtures" / "schema_v1.db"
CHANGED = "does not match its hash: the record was changed outside caseload"
AT = "2026-11-23T09:00:00+00:00"


# -- the arithmetic -------------------------------------------------------------

LAYOUT = Layout(public=7, personal=1, erased=(None,))  # history's: the reason is personal
SALT = "0123456789abcdef0123456789abcdef"


def rows_of(values: list[tuple], salt: str = SALT) -> list[tuple]:
    """Rows as a table holds them: public values (id first), the personal reason, then the
    salt, the seal and the chained hash."""
    previous, rows = GENESIS, []
    for row in values:
        public, personal = row[:7], row[7:]
        sealed = seal(salt, personal)
        previous = link(previous, (*public, sealed))
        rows.append((*public, *personal, salt, sealed, previous))
    return rows


RECORD = [  # id, case, worker, previous worker, kind, actor, at | reason
    (1, "C-0001", None, None, "intake", "lead", "2026-11-01T09:00:00+00:00", None),
    (2, "C-0001", "asha", None, "assign", "lead", "2026-11-01T09:05:00+00:00", None),
    (3, "C-0002", None, None, "intake", "lead", "2026-11-02T09:00:00+00:00", "imported from ünïcode.csv"),
    (4, "C-0001", "ben", "asha", "reassign", "lead", "2026-11-03T09:00:00+00:00", "needs an Urdu speaker"),
]


def test_rows_chained_many_at_a_time_are_the_rows_checked_one_at_a_time():
    """An import chains its history rows a hundred at a time (`Layout.linked`); doctor checks
    them one by one (`seal`, `link`): the same salt gives the same seal and hash, through
    repeated and different reasons, text that is not ASCII and none at all."""
    remembered: dict = {}
    records = RECORD * 3
    salts = [f"{i:032x}" for i in range(len(records))]
    first, middle = LAYOUT.linked(GENESIS, records[:5], salts[:5], remembered)
    rest, last = LAYOUT.linked(middle, records[5:], salts[5:], remembered)
    expected = []
    previous = GENESIS
    for row, salt in zip(records, salts):
        expected.append(rows_of([row], salt)[0][:-1] + (link(previous, (*row[:7], seal(salt, row[7:]))),))
        previous = expected[-1][-1]
    assert first + rest == expected and last == previous
    assert first_broken(first + rest, LAYOUT) is None


def test_the_encoding_of_a_row_is_unambiguous():
    lists = [
        [1, "a"], ["1", "a"], [1, "a", None], [1, "a", "null"], [1, "a,b"], [1, "a", "b"], [1, 'a","b'],
        [1, ""], [1, None], [1], [1, "a\nb"], [1, "a\\nb"], [1.0, "a"], [1, b"a"], [1, '{"blob":"61"}'],
    ]
    encodings = [encode(values) for values in lists]
    assert len(set(encodings)) == len(lists)
    assert encode([3, "é", None]) == '[3,"é",null]'  # compact, and text as itself (not \\u escapes)
    for row in RECORD:  # exactly compact JSON through the public json API, as documented
        assert encode(row) == json.dumps(list(row), ensure_ascii=False, separators=(",", ":"))


def test_each_hash_depends_on_the_previous_one_and_on_every_value():
    first = link(GENESIS, RECORD[0])
    assert len(first) == 64 and int(first, 16) >= 0
    assert first == link(GENESIS, list(RECORD[0]))  # a list or a tuple of the same values
    assert link(first, RECORD[1]) != link(GENESIS, RECORD[1])
    for i in range(len(RECORD[1])):
        changed = list(RECORD[1])
        changed[i] = "x" if changed[i] != "x" else "y"
        assert link(first, changed) != link(first, RECORD[1]), i
    assert list(chain(GENESIS, RECORD))[1] == link(first, RECORD[1])


def test_a_seal_depends_on_the_salt_and_on_every_personal_value():
    assert seal(SALT, ["a reason"]) != seal(SALT, ["another reason"])
    assert seal(SALT, ["a reason"]) != seal("f" * 32, ["a reason"])
    assert seal(SALT, [None, "x"]) != seal(SALT, ["x", None])


def test_an_untouched_record_verifies():
    assert first_broken(rows_of(RECORD), LAYOUT) is None
    assert first_broken([], LAYOUT) is None


def test_a_changed_value_names_its_row():
    rows = rows_of(RECORD)
    rows[2] = (*rows[2][:7], "a different reason", *rows[2][8:])
    assert first_broken(rows, LAYOUT) == 3
    rows = rows_of(RECORD)
    rows[1] = (*rows[1][:4], "handover", *rows[1][5:])  # a public value
    assert first_broken(rows, LAYOUT) == 2


def test_an_erased_row_still_verifies_but_a_rewritten_one_does_not():
    rows = rows_of(RECORD)
    rows[3] = (*rows[3][:7], None, None, *rows[3][9:])  # the reason and its salt gone, seal kept
    assert first_broken(rows, LAYOUT) is None
    rows[3] = (*rows[3][:7], "another reason", None, *rows[3][9:])  # "erased" but holding new text
    assert first_broken(rows, LAYOUT) == 4


def test_a_deleted_row_names_the_row_after_it():
    rows = rows_of(RECORD)
    del rows[1]
    assert first_broken(rows, LAYOUT) == 3


def test_rows_swapped_or_hashes_missing_are_named():
    rows = rows_of(RECORD)
    assert first_broken([rows[0], rows[2], rows[1], rows[3]], LAYOUT) == 3
    assert first_broken([*rows[:3], (*rows[3][:-1], None)], LAYOUT) == 4
    assert first_broken([(*rows[0][:-1], "0" * 64), *rows[1:]], LAYOUT) == 1


def test_a_recomputed_hash_does_not_hide_a_change_from_the_rows_after_it():
    rows = rows_of(RECORD)
    forged = (*RECORD[1][:5], "someone", *RECORD[1][6:7])
    sealed = rows[1][-2]
    rows[1] = (*forged, None, SALT, sealed, link(rows[0][-1], (*forged, sealed)))  # this row's hash only
    assert first_broken(rows, LAYOUT) == 3


def test_verification_streams_and_stops_at_the_first_broken_row():
    good = rows_of(RECORD)

    def stream():
        yield from good[:2]
        yield (*good[2][:-1], "f" * 64)
        raise AssertionError("read past the first broken row")

    assert first_broken(stream(), LAYOUT) == 3
    assert first_broken(iter(good), LAYOUT) is None  # any iterable, never a list it builds


def test_bytes_and_text_that_was_not_utf8_still_encode():
    assert encode([1, b"\x00\xff"]) == '[1,{"blob":"00ff"}]'
    broken = b"caf\xe9".decode("utf-8", "surrogateescape")  # how doctor reads such text
    assert len(link(GENESIS, [1, broken])) == 64
    assert len(seal(SALT, [broken])) == 64


# -- what the database refuses ---------------------------------------------------

def busy_team(team: Cli) -> Cli:
    """A team that has done a bit of everything that writes history or case changes."""
    team.ok("intake", "--client", "Maria K.", "--tier", "high", "--risk", "high", "--assign", "asha")
    team.ok("intake", "--client", "J. Smith", "--needs", "housing")
    team.ok("intake", "--client", "R. Ahmed")
    team.ok("assign", "C-0002", "--to", "asha")
    team.ok("assign", "C-0003", "--auto")
    team.ok("update", "C-0001", "--risk", "medium", "--tier", "medium", "--summary", "private words")
    team.ok("reassign", "C-0001", "--to", "ben", "--reason", "needs an Urdu speaker")
    team.ok("worker", "leave", "asha", "--on", "+4w")
    team.ok("handover", "asha", "--to", "ben", "--yes")
    team.ok("close", "C-0003", "--reason", "goals met")
    team.ok("intake", "--client", "Late arrival", "--assign", "cara")
    return team


def connect(cli: Cli) -> sqlite3.Connection:
    return sqlite3.connect(cli.db, isolation_level=None)


def doctor_finds(cli: Cli, *problems: str) -> None:
    """doctor exits 1 and prints exactly these problems, one line each."""
    result = cli("doctor")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [f"problem: {p}" for p in problems]
    assert f"{len(problems)} problem(s) in {cli.db}" in result.stderr
    assert "Traceback" not in result.output


def doctor_is_clean(cli: Cli) -> None:
    result = cli("doctor")
    assert (result.exit_code, result.stdout) == (0, ""), result.output
    assert result.stderr.endswith("no problems found\n")


def test_doctor_is_clean_after_a_day_of_ordinary_work(team):
    busy_team(team)
    doctor_is_clean(team)
    conn = connect(team)
    kinds = [k for (k,) in conn.execute("SELECT kind FROM history ORDER BY id")]
    assert {"intake", "assign", "auto", "reassign", "handover", "close"} <= set(kinds)
    fields = {f for (f,) in conn.execute("SELECT field FROM case_changes")}
    assert {"risk", "tier", "summary"} <= fields
    for table in ("history", "case_changes"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE hash IS NULL").fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize("table", ["history", "case_changes"])
def test_rows_cannot_be_updated_deleted_or_replaced_with_raw_sql(team, table):
    busy_team(team)
    before = team.dump()
    conn = connect(team)
    row = conn.execute(f"SELECT * FROM {table} ORDER BY id LIMIT 1 OFFSET 1").fetchone()
    marks = ", ".join("?" for _ in row)
    attacks = [
        (f"UPDATE {table} SET actor = 'someone else' WHERE id = ?", [row[0]]),
        (f"DELETE FROM {table} WHERE id = ?", [row[0]]),
        (f"INSERT OR REPLACE INTO {table} VALUES ({marks})", row),
        (f"REPLACE INTO {table} VALUES ({marks})", row),
        (f"INSERT INTO {table} VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET actor = 'someone else'", row),
        (f"INSERT OR IGNORE INTO {table} VALUES ({marks})", row),
    ]
    for sql, params in attacks:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql, params)
    conn.close()
    assert team.dump() == before
    doctor_is_clean(team)


def test_a_reason_rewritten_after_dropping_the_triggers_is_named_by_doctor(team):
    busy_team(team)
    conn = connect(team)
    conn.execute("DROP TRIGGER history_no_update")
    conn.execute("UPDATE history SET reason = 'all fine' WHERE id = 5")
    conn.close()
    doctor_finds(team, "trigger history_no_update is missing: history could be changed", f"history row 5 {CHANGED}")


def test_a_rewrite_is_named_even_when_the_triggers_are_put_back_exactly(team):
    busy_team(team)
    conn = connect(team)
    (original,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'history_no_update'").fetchone()
    conn.execute("BEGIN")
    conn.execute("DROP TRIGGER history_no_update")
    conn.execute("UPDATE history SET worker = 'cara', reason = 'by the book' WHERE id = 7")
    conn.execute(original)
    conn.execute("COMMIT")
    conn.close()
    doctor_finds(team, f"history row 7 {CHANGED}",  # and the case no longer agrees with its record
                 "C-0001 is held by ben but its history says cara: the case was changed outside caseload")


def test_a_row_deleted_from_the_middle_is_named_by_the_row_after_it(team):
    busy_team(team)
    conn = connect(team)
    conn.execute("DROP TRIGGER history_no_delete")
    assert conn.execute("SELECT kind FROM history WHERE id = 5").fetchone() == ("assign",)
    conn.execute("DELETE FROM history WHERE id = 5")
    conn.close()
    doctor_finds(team, "trigger history_no_delete is missing: history could be changed", f"history row 6 {CHANGED}")


def test_a_changed_case_change_is_named_by_doctor(team):
    busy_team(team)
    conn = connect(team)
    conn.execute("DROP TRIGGER case_changes_no_update")
    conn.execute("UPDATE case_changes SET new = 'low' WHERE field = 'risk'")
    (changed,) = conn.execute("SELECT id FROM case_changes WHERE field = 'risk'").fetchone()
    conn.close()
    doctor_finds(team, "trigger case_changes_no_update is missing: history could be changed",
                 f"case_changes row {changed} {CHANGED}")


def test_a_row_slipped_in_with_raw_sql_is_named_by_doctor(team):
    busy_team(team)
    conn = connect(team)
    (last,) = conn.execute("SELECT max(id) FROM history").fetchone()
    conn.execute("INSERT INTO history (case_id, worker, kind, actor, at) "
                 "VALUES ('C-0002', 'cara', 'assign', 'lead', '2026-11-23T09:00:00+00:00')")
    conn.close()
    doctor_finds(team, f"history row {last + 1} {CHANGED}",
                 "C-0002 is held by ben but its history says cara: the case was changed outside caseload")


def test_a_trigger_replaced_by_one_that_does_nothing_is_named(team):
    busy_team(team)
    conn = connect(team)
    conn.execute("DROP TRIGGER history_no_replace")
    conn.execute("CREATE TRIGGER history_no_replace BEFORE INSERT ON history BEGIN SELECT 1; END")
    conn.execute("DROP TRIGGER case_changes_no_delete")
    conn.execute("CREATE TRIGGER case_changes_no_delete BEFORE DELETE ON case_changes "
                 "WHEN 0 BEGIN SELECT RAISE(ABORT, 'case changes are append-only'); END")
    conn.execute("CREATE TRIGGER tidy AFTER INSERT ON notes BEGIN DELETE FROM notes; END")
    conn.close()
    doctor_finds(
        team,
        "trigger case_changes_no_delete is not the one caseload created: history could be changed",
        "trigger history_no_replace is not the one caseload created: history could be changed",
        "trigger tidy on notes is not one of caseload's: it could change the record behind caseload's back",
    )


def test_a_trigger_written_again_with_other_spacing_is_still_caseloads(team):
    busy_team(team)
    conn = connect(team)
    conn.execute("DROP TRIGGER history_no_delete")
    conn.execute("CREATE TRIGGER history_no_delete   BEFORE DELETE ON history\n\n  BEGIN\n"
                 "    SELECT RAISE(ABORT, 'history is append-only: rows cannot be deleted');\n  END")
    conn.close()
    doctor_is_clean(team)


def test_text_that_is_not_utf8_is_named_not_a_traceback(team):
    busy_team(team)
    conn = connect(team)
    conn.execute("DROP TRIGGER history_no_update")
    conn.execute("UPDATE history SET reason = CAST(x'6361666520e9' AS TEXT) WHERE id = 3")
    conn.close()
    doctor_finds(team, "trigger history_no_update is missing: history could be changed", f"history row 3 {CHANGED}")


# -- old databases and many writers -----------------------------------------------

def test_a_migrated_v1_database_is_chained_and_doctor_finds_it_clean(tmp_path, monkeypatch):
    import caseload.store.rows as store_rows

    monkeypatch.setattr(store_rows, "CHAIN_BATCH", 2)  # the fixture's 3 rows take two batches
    old = tmp_path / "old.db"
    shutil.copy(SCHEMA_V1, old)
    os.chmod(old, 0o600)
    cli = Cli(old)
    doctor_is_clean(cli)  # opening it upgrades it
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT count(*) FROM history WHERE hash IS NULL").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == 3
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE history SET reason = 'x' WHERE id = 1")  # the no-update trigger came back
    conn.close()
    cli.ok("worker", "add", "ben", "--name", "Ben")
    cli.ok("reassign", "C-0001", "--to", "ben", "--reason", "after the upgrade")
    cli.ok("update", "C-0002", "--risk", "high")
    doctor_is_clean(cli)
    conn = connect(cli)
    conn.execute("DROP TRIGGER history_no_update")
    conn.execute("UPDATE history SET actor = 'nobody' WHERE id = 2")  # a row chained by the migration
    conn.close()
    doctor_finds(cli, "trigger history_no_update is missing: history could be changed", f"history row 2 {CHANGED}")


def test_two_writers_at_once_keep_one_chain(team):
    from caseload.store.connection import open_database, write_transaction
    from caseload.store.history import Change, record, record_many

    team.ok("intake", "--client", "Someone")
    errors = []

    def writer(name: str) -> None:
        try:
            db = open_database(team.db)
            for i in range(40):
                with write_transaction(db):
                    if i % 2:
                        record(db, Change("C-0001", None, None, "intake", f"{name} {i}"), name, AT)
                    else:
                        record_many(db, [Change("C-0001", None, None, "intake", f"{name} {i}.{j}") for j in range(3)],
                                    name, AT)
            db.close()
        except Exception as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    conn = connect(team)
    assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == 1 + 2 * (20 + 20 * 3)
    conn.close()
    doctor_is_clean(team)
