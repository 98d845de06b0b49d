"""At a million cases no query of `zone-review`, `report`, `assign`, `forecast` or the
waiting list reads the whole cases or history table, and every count they make reads a covering index only (DESIGN §8).

The SQL checked is the SQL the commands really run: each command runs in-process on a
copy of the demo database with a trace on every connection, and each statement it ran is
then given to EXPLAIN QUERY PLAN. SQLite chooses a plan from the statistics ANALYZE
leaves (or from its defaults when there are none, as in a team's own database), so every
plan is checked twice: with no statistics, and with the statistics of the benchmark's
million-case database (`benchmarks/scale.py`, 5,000 workers / 1,000,000 cases).
"""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest

from conftest import Cli

# sqlite_stat1 of benchmarks/scale.py's large database after ANALYZE (index: row count,
# then the average rows per distinct value of each leading column prefix).
MILLION_CASES_STATS = {
    ("cases", "cases_client"): "1000000 1 1",
    ("cases", "cases_closed"): "975000 975000",  # every closed case closed on one day
    ("cases", "cases_contact"): "1000000 250000 844 3 3 1",
    ("cases", "cases_open_load"): "1000000 250000 67 18 8",
    ("cases", "cases_review"): "1000000 250000 2977 3",
    ("cases", "cases_status"): "1000000 250000 204",
    ("cases", "sqlite_autoindex_cases_1"): "1000000 1",
    ("history", "history_arrivals"): "990000 1 1 1",
    ("history", "history_at"): "2876000 2194 1097 4",
    ("history", "history_case"): "2876000 3 1",
    ("workers", "sqlite_autoindex_workers_1"): "5000 1",
    ("zone_review_rows", "sqlite_autoindex_zone_review_rows_1"): "20000 5000 1",
    ("zone_reviews", None): "4",
}

COMMANDS = [
    ("zone-review", "--format", "json"),
    ("zone-review", "--on", "+14d", "--format", "json"),  # the look-ahead: covers that will have ended
    ("zone-review", "--suggest", "--format", "json"),  # the rebalance proposal's reads
    ("report", "--format", "json"),
    ("report", "--record", "--format", "json"),
    ("assign", "--waiting", "--auto", "--dry-run", "--format", "json"),
    ("assign", "C-0001", "--auto", "--dry-run", "--format", "json"),
    ("assign", "C-0001", "--to", "dev", "--dry-run", "--format", "json"),
    ("forecast", "--format", "json"),  # the runway: each worker's load week by week
    ("forecast", "--case", "C-0001", "--format", "json"),
    ("cases", "--waiting", "--format", "json"),  # the pool, in priority order
]

# A plan line reading a whole table: cases and history are aliased c and h in our SQL.
FULL_SCAN = re.compile(r"^SCAN (cases|history|c|h)\b")
AGGREGATE = re.compile(r"^SELECT [^()]*\b(count|min|max|sum)\(", re.IGNORECASE)
BIG_TABLE = re.compile(r"^SEARCH (cases|history|c|h)\b")


def ran_by(monkeypatch, command: tuple[str, ...], db) -> list[str]:
    """Every statement `command` ran on the database, with its values in place."""
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    try:
        result = Cli(db)(*command)
    finally:
        monkeypatch.setattr(sqlite3, "connect", connect)
    assert result.exit_code in (0, 1, 3), (command, result.stderr)
    return [s for s in statements if re.match(r"\s*(SELECT|WITH|DELETE|UPDATE)\b", s, re.IGNORECASE)]


def plan(db, sql: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    finally:
        conn.close()


@pytest.fixture(params=["no statistics", "a million cases' statistics"])
def team_db(request, demo_db, tmp_path):
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    if request.param != "no statistics":
        conn = sqlite3.connect(db)
        conn.execute("ANALYZE")  # creates sqlite_stat1
        conn.execute("DELETE FROM sqlite_stat1")
        conn.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                         [(table, index, stat) for (table, index), stat in MILLION_CASES_STATS.items()])
        conn.commit()
        conn.close()
    return db


def test_the_million_case_statistics_name_every_index_of_cases_and_history(demo_db):
    conn = sqlite3.connect(demo_db)
    indexes = {(table, name) for name, table in conn.execute(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'history')")}
    conn.close()
    assert indexes - {("cases", "cases_home"), ("cases", "cases_cover")} <= set(MILLION_CASES_STATS)  # no covers, no row


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_query_reads_every_case_or_every_history_row(team_db, monkeypatch, command):
    statements = ran_by(monkeypatch, command, team_db)
    assert any("FROM cases" in s for s in statements), statements  # the trace saw the command's reads
    for sql in statements:
        steps = plan(team_db, sql)
        scans = [step for step in steps if FULL_SCAN.match(step)]
        assert not scans, (sql, steps)
        assert not [step for step in steps if "ANY(" in step], ("skip-scan", sql, steps)
        if AGGREGATE.match(sql) and "(SELECT" not in sql:
            # a count reads an index alone, never the rows it counts
            reads = [step for step in steps if BIG_TABLE.match(step)]
            assert all("COVERING INDEX" in step for step in reads), (sql, steps)


def test_the_counts_of_the_zone_review_use_the_indexes_made_for_them(team_db, monkeypatch):
    statements = ran_by(monkeypatch, ("zone-review", "--format", "json"), team_db)

    def plan_of(start: str) -> str:
        (sql,) = [s for s in statements if s.startswith(start)]
        return " | ".join(plan(team_db, sql))

    # the high-risk count rides along with the loads (risk is the index's last column)
    assert "COVERING INDEX cases_open_load" in plan_of("SELECT worker, tier, status, count(*), sum(risk = 'high') "
                                                       "FROM cases")
    assert "COVERING INDEX cases_review" in plan_of("SELECT worker, count(*) FROM cases WHERE status IN "
                                                    "('active', 'monitoring') AND next_review_on")
    assert "COVERING INDEX cases_contact" in plan_of("SELECT worker, count(*) FROM cases WHERE status IN "
                                                     "('active', 'monitoring') AND COALESCE")
    new_recent = plan_of("SELECT worker, count(*) FROM history")
    assert "COVERING INDEX history_at (at>?)" in new_recent, new_recent


def test_held_since_reads_the_arrivals_index_whose_kinds_are_written_out(team_db, monkeypatch):
    """`export cases`' held_since is one look into history_arrivals per case: the query
    repeats the index's WHERE term for term, written out kind by kind (`store.rows.sql_any`),
    as the index is since the step that made it again (an IN list there cost 3.4 times)."""
    conn = sqlite3.connect(team_db)
    (index,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'history_arrivals'").fetchone()
    conn.close()
    assert " IN " not in index.upper() and "kind = 'handover' OR kind = " in index, index
    statements = ran_by(monkeypatch, ("export", "cases", "--format", "csv"), team_db)
    (sql,) = [s for s in statements if "max(h.at)" in s]
    assert "INDEX history_arrivals (case_id=? AND worker=?)" in " | ".join(plan(team_db, sql)), plan(team_db, sql)
