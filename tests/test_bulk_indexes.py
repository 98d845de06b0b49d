"""A big file is written with the tables' indexes made afresh after its rows are in
(`store.imports.Reindexing`, DESIGN §8): the database comes out with exactly the
indexes the migrations make, whether the command finishes, fails or is killed (the kill
test in test_reliability.py runs `doctor` after each kill), and `doctor` names an index
that is missing."""

from __future__ import annotations

import sqlite3

from test_tamper import connect, doctor_finds, doctor_is_clean


def indexes(path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))


def cases_file(tmp_path, rows: int, start: int = 0, bad_line: int | None = None):
    path = tmp_path / f"cases-{start}.csv"
    lines = ["client,tier,risk,worker,opened"]
    for i in range(start, start + rows):
        tier = "nonsense" if bad_line is not None and i - start + 2 == bad_line else "medium"
        lines.append(f"Person {i},{tier},low,{['asha', 'ben', ''][i % 3]},2026-0{1 + i % 9}-1{i % 10}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_big_file_into_a_new_team_leaves_the_same_indexes_and_the_queries_use_them(team, tmp_path):
    before = indexes(team.db)
    team.ok("intake", "--csv", str(cases_file(tmp_path, 600)), "--yes")  # 600 rows into none: rebuilt
    assert indexes(team.db) == before
    doctor_is_clean(team)
    plan = " ".join(row[3] for row in connect(team).execute(
        "EXPLAIN QUERY PLAN SELECT worker, tier, count(*) FROM cases WHERE status IN ('active', 'monitoring') "
        "GROUP BY worker, tier"))
    assert "COVERING INDEX cases_open_load" in plan
    review = team.ok("zone-review", "--format", "json").stdout
    assert '"cases": 200' in review  # asha's third of the file


def test_a_write_that_fails_with_the_indexes_dropped_gets_them_back_with_its_rollback(team, tmp_path):
    import pytest

    from caseload.store.imports import Reindexing

    team.ok("intake", "--csv", str(cases_file(tmp_path, 20)), "--yes")
    before = indexes(team.db)
    db = sqlite3.connect(team.db, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    reindexing = Reindexing(db, ("cases", "history"))
    reindexing.coming("cases", 1000)
    reindexing.coming("history", 2000)
    assert not {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                         "AND sql IS NOT NULL AND tbl_name IN ('cases', 'history')")}
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO cases (id, client, tier, risk, status, opened_on) "
                   "VALUES ('C-0001', 'x', 'medium', 'low', 'waiting', '2026-01-01')")  # C-0001 is taken
    db.execute("ROLLBACK")
    assert indexes(team.db) == before
    doctor_is_clean(team)


def test_a_small_file_into_a_big_caseload_keeps_the_indexes_in_place(team, tmp_path):
    from caseload.store.imports import Reindexing

    team.ok("intake", "--csv", str(cases_file(tmp_path, 300)), "--yes")
    db = sqlite3.connect(team.db, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    reindexing = Reindexing(db, ("cases", "history"))
    reindexing.coming("cases", 100)  # a third of what each table holds
    reindexing.coming("history", 200)
    during = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"cases_open_load", "cases_contact", "history_case", "history_at"} <= during
    reindexing.coming("cases", 300)  # as many as cases holds: dropped, to be made again; history's kept
    during = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "cases_open_load" not in during and "history_case" in during
    reindexing.rebuild()
    assert {"cases_open_load", "history_case"} <= {name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    db.execute("ROLLBACK")
    assert set(indexes(team.db)) >= {"cases_open_load", "cases_contact", "history_case", "history_at"}


def test_doctor_names_a_missing_index_and_how_to_make_it_again(team):
    sql = indexes(team.db)["cases_open_load"]
    connect(team).execute("DROP INDEX cases_open_load")
    doctor_finds(team, f"index cases_open_load is missing: reads will be slow; make it again with: "
                       f"DROP INDEX IF EXISTS cases_open_load; {sql}")


def test_an_index_of_the_teams_own_with_a_quote_in_its_name_comes_back_too(team, tmp_path):
    connect(team).execute('CREATE INDEX "by ""area""" ON cases (area)')
    before = indexes(team.db)
    team.ok("intake", "--csv", str(cases_file(tmp_path, 300)), "--yes")
    assert indexes(team.db) == before and 'by "area"' in before


def test_statistics_gathered_with_analyze_are_gathered_again_for_the_rebuilt_indexes(team, tmp_path):
    team.ok("intake", "--csv", str(cases_file(tmp_path, 30)), "--yes")
    connect(team).execute("ANALYZE")
    team.ok("intake", "--csv", str(cases_file(tmp_path, 300, start=30)), "--yes")  # 300 into 30: rebuilt
    stats = dict(connect(team).execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'cases'"))
    assert {index: stat.split()[0] for index, stat in stats.items()} == {
        name: "330" for name in ("cases_open_load", "cases_contact", "cases_review", "cases_status", "cases_client",
                                 "sqlite_autoindex_cases_1")}
