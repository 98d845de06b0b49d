"""Bad input at scale: hypothesis-generated CSV files, flag values, dates and YAML configs.
Each run ends in exit 0 or exit 2 with one message per problem, never a traceback,
and an exit 2 leaves the database exactly as it was."""

import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

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
@given(text=csv_files())
def test_generated_csv_files(team_template, text):
    with fresh_team(team_template) as team:
        path = team.db.with_name("in.csv")
        path.write_text(text, encoding="utf-8", newline="")
        before = snapshot(team.db)
        assert_clean_outcome(team("intake", "--csv", str(path), "--yes"), before, team.db)


@SETTINGS
@given(fte=CELL, capacity=CELL, cap=CELL, skills=CELL)
def test_generated_worker_flags(team_template, fte, capacity, cap, skills):
    with fresh_team(team_template) as team:
        before = snapshot(team.db)
        result = team("worker", "add", "dana", "--name", "Dana", "--fte", fte, "--capacity", capacity,
                      "--max-cases", cap, "--skills", skills)
        assert_clean_outcome(result, before, team.db)
        if result.exit_code == 0:
            team.ok("worker", "edit", "dana", "--fte", "1")  # a valid worker was really added


@SETTINGS
@given(tier=CELL, risk=CELL, opened=CELL, needs=CELL, assign=CELL, client=CELL)
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
