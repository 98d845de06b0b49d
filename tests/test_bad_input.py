"""Bad input at scale: hypothesis-generated CSV files, flag values, dates and YAML configs.
Each run ends in exit 0 or exit 2 with one message per problem, never a traceback,
and an exit 2 leaves the database exactly as it was."""

import re
import sqlite3
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import CliRunner

from caseload.cli import build_app

app = build_app()
from caseload.domain.dates import parse_date
from caseload.domain.errors import BadInput
from conftest import Cli, copy_team, dump

COLUMNS = ["client", "id", "summary", "tier", "risk", "status", "needs", "language", "area", "requested",
           "opened", "worker"]
CELL = st.one_of(
    st.sampled_from(["", "low", "high", "hgh", "asha", "zed", "me", "auto", "waiting", "active", "2026-01-02",
                     "2026-13-40", "+3d", "today", "housing;debt", "a b", "REF-1", "=1+1", "Zoë", "\u00a0"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)


def or_valid(*values: str):
    """A flag value: half the time one a user would type correctly, else any CELL. With CELL
    alone almost every example is refused (exit 0 in under 2 % of them), so the writes that a fresh
    database per example keeps apart hardly ever happened. Not more often: an accepted example
    costs two or three times a refused one."""
    return st.sampled_from([True, False]).flatmap(lambda valid: st.sampled_from(values) if valid else CELL)


SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                         HealthCheck.too_slow])


def quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n\r') else cell


@st.composite
def csv_files(draw):
    header = draw(st.lists(st.sampled_from(COLUMNS + ["colour"]), min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), max_size=5))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join([",".join(header)] + [",".join(quote(c) for c in row) for row in rows]) + newline
    return draw(st.sampled_from(["", "\ufeff"])) + text


PLAUSIBLE = {  # cells a real spreadsheet would hold, a few of them wrong
    "client": st.sampled_from(["Maria K.", "Zoë, Jr", "REF 12"]),
    "summary": st.sampled_from(["", "Rent arrears", "two\nlines"]),
    "tier": st.sampled_from(["", "low", "medium", "high", "intensive", "hgh"]),
    "risk": st.sampled_from(["", "low", "medium", "high"]),
    "needs": st.sampled_from(["", "housing", "benefits;debt"]),
    "language": st.sampled_from(["", "en", "ur", "pl"]),
    "opened": st.sampled_from(["", "2026-11-01", "today", "-3d", "+3d"]),
    "worker": st.sampled_from(["", "", "asha", "ben", "lead", "zed"]),
}


@st.composite
def plausible_csv_files(draw):
    """Files with a client column and mostly valid cells: without them the import that succeeds
    (exit 0, cases written) would almost never be generated."""
    header = ["client"] + draw(st.lists(st.sampled_from(sorted(set(PLAUSIBLE) - {"client"})), unique=True,
                                        max_size=4))
    rows = draw(st.lists(st.tuples(*(st.one_of(PLAUSIBLE[c], CELL) if draw(st.booleans()) and c != "client"
                                     else PLAUSIBLE[c] for c in header)), min_size=1, max_size=5))
    return "\n".join([",".join(header)] + [",".join(quote(c) for c in row) for row in rows]) + "\n"


def snapshot(db: Path) -> tuple[bytes, str]:
    """The database file's bytes (a fresh copy has no -wal, so they are all of it) and its SQL dump."""
    return db.read_bytes(), dump(db)


def assert_unchanged(db: Path, before: tuple[bytes, str]) -> None:
    data, text = snapshot(db)
    assert text == before[1]
    assert data == before[0], "the database file changed although its dump did not"


def assert_clean_outcome(result, before: tuple[bytes, str], db: Path) -> None:
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    assert_no_crash(result)
    if result.exit_code == 2:
        assert_unchanged(db, before)
        assert all(line.startswith("error: ") for line in result.stderr.splitlines())


def assert_no_crash(result) -> None:
    """Not an uncaught exception (CliRunner reports those as exit 1) and no traceback shown."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


@contextmanager
def fresh_team(template: Path) -> Iterator[Cli]:
    """The `team` fixture for one hypothesis example: its own copy of the team database in its
    own folder, so no example sees what an earlier one wrote (hypothesis runs every example of
    a test inside one call of the function-scoped fixtures)."""
    with tempfile.TemporaryDirectory() as folder:
        yield copy_team(template, Path(folder))


@SETTINGS
@given(text=st.one_of(csv_files(), plausible_csv_files()))
def test_generated_csv_files(team_template, text):
    with fresh_team(team_template) as team:
        path = team.db.with_name("in.csv")
        path.write_text(text, encoding="utf-8", newline="")
        before = snapshot(team.db)
        result = team("intake", "--csv", str(path), "--yes")
        assert_clean_outcome(result, before, team.db)
        if result.exit_code == 0:  # the summary counts exactly the cases now in the (fresh) database
            valid = re.search(r": (\d+) row\(s\) valid;", result.stderr)
            assert valid and re.search(r"^added (case \S+$|\d+ case\(s\): )", result.stderr, re.MULTILINE), \
                result.stderr
            conn = sqlite3.connect(team.db)
            try:
                assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == int(valid[1]) > 0
            finally:
                conn.close()


@SETTINGS
@given(fte=or_valid("1", "0.8", "0.5"), capacity=or_valid("", "60"), cap=or_valid("", "0", "12"),
       skills=or_valid("", "housing", "debt,benefits"))
def test_generated_worker_flags(team_template, fte, capacity, cap, skills):
    with fresh_team(team_template) as team:
        before = snapshot(team.db)
        result = team("worker", "add", "dana", "--name", "Dana", "--fte", fte, "--capacity", capacity,
                      "--max-cases", cap, "--skills", skills)
        assert_clean_outcome(result, before, team.db)
        if result.exit_code == 0:
            assert result.stderr == "added worker dana\n"
            team.ok("worker", "edit", "dana", "--fte", "1")  # a valid worker was really added


@SETTINGS
@given(tier=or_valid("", "low", "high"), risk=or_valid("", "medium", "high"), opened=or_valid("", "today", "-1w"),
       needs=or_valid("", "housing"), assign=or_valid("", "asha", "me", "auto"), client=or_valid("Maria K."))
def test_generated_intake_flags(team_template, tier, risk, opened, needs, assign, client):
    with fresh_team(team_template) as team:
        before = snapshot(team.db)
        result = team("intake", "--client", client, "--tier", tier, "--risk", risk, "--opened", opened,
                      "--needs", needs, "--assign", assign)
        if result.exit_code == 1:  # a well-formed worker id that is not on the team (`me` is lead, who is)
            assert_no_crash(result)
            assert result.stderr.startswith("error: --assign: ") and result.stderr.count("\n") == 1, result.stderr
            assert_unchanged(team.db, before)
            return
        assert_clean_outcome(result, before, team.db)
        if result.exit_code == 0:  # the first case of a fresh database, and nothing else on stdout
            assert result.stdout == "C-0001\n", result.stdout


@SETTINGS
@given(text=st.text(max_size=20))
def test_generated_dates(text):
    try:
        day = parse_date(text, date(2026, 11, 23), "--on")
    except BadInput as problem:
        assert problem.field == "--on"
    else:
        assert isinstance(day, date)


YAML_PIECES = st.sampled_from([
    "points_per_fte: 100", "points_per_fte: -3", "admin_allowance: 0.1", "admin_allowance: 1", "tiers: {low: 3}",
    "tiers: {low: 3, medium: 4}", "tiers: [1]", "default_tier: low", "zones: {green_from: 96}",
    "zones: {red_from: 90}", "no: 1", "on: yes", "status_factors: {monitoring: 0.25}", "caps: {max_cases_per_fte: 0}",
    "allocation: {area: require}", "allocation: {area_bonus: abc}", "alerts: {excessive_after: 0}", "database: 3",
    "stale_after_days: 1.5", "- item", "key: [unclosed", "tiers:\n  low: .nan", "review_days: {high: 7}",
])


@SETTINGS
@given(pieces=st.lists(YAML_PIECES, max_size=4), junk=st.text(max_size=15))
def test_generated_configs(tmp_path, pieces, junk):
    config = tmp_path / "config.yaml"
    config.write_text("\n".join(pieces) + "\n" + (junk if "\x00" not in junk else ""), encoding="utf-8")
    db = tmp_path / "never.db"
    result = CliRunner().invoke(app, ["--config", str(config), "--db", str(db), "init"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert not db.exists() and len(result.stderr.strip().splitlines()) == 1
    elif db.exists():
        db.unlink()


@pytest.mark.parametrize("value", ["0", "1.5", "-1", "abc", "1e3", "nan", "", " ", "0.0000001"])
def test_fte_values_from_the_issue(team, value):
    before = team.dump()
    result = team("worker", "add", "dana", "--name", "Dana", "--fte", value)
    assert result.exit_code == 2 and "--fte" in result.stderr
    assert team.dump() == before


def test_a_local_date_typed_as_a_flag_gets_the_forms_a_flag_takes(team):
    """`--opened 13/01/2026` was told to format a spreadsheet column; a flag is typed."""
    refused = team.refused("intake", "--client", "X", "--opened", "13/01/2026")
    assert "spreadsheet" not in refused.stderr
    assert refused.stderr.startswith("error: --opened: '13/01/2026' is not a date: use YYYY-MM-DD, today")
