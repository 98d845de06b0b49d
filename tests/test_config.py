"""Config: defaults, precedence (flag > env > file > default), and every kind of bad config."""

from pathlib import Path

import pytest
from conftest import CliRunner

from caseload.cli import build_app

app = build_app()
from caseload.config import Config, EXAMPLE, parse_config


def invoke(*args, env=None):
    return CliRunner().invoke(app, list(args), env=env)


def test_example_config_is_every_default():
    assert parse_config(EXAMPLE.read_text()) == Config(source="config")


def test_database_precedence_flag_env_file_default(tmp_path):
    (tmp_path / "caseload.yaml").write_text("database: from-file.db\n")
    result = invoke("--db", "flag.db", "--config", "caseload.yaml", "init", env={"CASELOAD_DB": "env.db"})
    assert result.exit_code == 0 and result.stderr == "created the database: flag.db\n"
    assert (tmp_path / "flag.db").exists() and not (tmp_path / "env.db").exists()
    result = invoke("init", env={"CASELOAD_DB": "env.db"})
    assert result.exit_code == 0 and result.stderr == "created the database: env.db\n"
    assert (tmp_path / "env.db").exists() and not (tmp_path / "from-file.db").exists()
    result = invoke("init")  # ./caseload.yaml is found and its database used
    assert result.exit_code == 0 and result.stderr == "created the database: from-file.db\n"
    assert (tmp_path / "from-file.db").exists()
    (tmp_path / "caseload.yaml").unlink()
    result = invoke("init")
    assert result.exit_code == 0
    default = tmp_path / "config-home" / "caseload" / "caseload.db"
    assert default.exists() and result.stderr == f"created the database: {default}\n"


def test_config_flag_beats_env_and_relative_database_is_beside_the_config(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "c.yaml").write_text("database: a.db\n")
    (tmp_path / "b" / "c.yaml").write_text("database: b.db\n")
    result = invoke("--config", "a/c.yaml", "init", env={"CASELOAD_CONFIG": "b/c.yaml"})
    assert result.exit_code == 0 and result.stderr == "created the database: a/a.db\n"
    assert (tmp_path / "a" / "a.db").exists() and not (tmp_path / "b" / "b.db").exists()
    result = invoke("init", env={"CASELOAD_CONFIG": "b/c.yaml"})
    assert result.exit_code == 0 and result.stderr == "created the database: b/b.db\n"
    assert (tmp_path / "b" / "b.db").exists()


def test_config_in_user_dir_is_used_when_no_local_file(tmp_path):
    user = tmp_path / "config-home" / "caseload"
    user.mkdir(parents=True)
    (user / "config.yaml").write_text("points_per_fte: 50\n")
    assert invoke("--db", "t.db", "init").exit_code == 0
    assert invoke("--db", "t.db", "worker", "add", "w", "--name", "W").exit_code == 0
    result = invoke("--db", "t.db", "worker", "list", "--format", "csv")
    assert result.exit_code == 0
    assert "w,W,worker,1,45," in result.stdout  # 1 x 50 x 0.9


BAD_CONFIGS = [
    ("colour: blue\n", "colour", "is not a known key"),
    ("admin_allowance: 1\n", "admin_allowance", "below 1"),
    ("admin_allowance: 1.5\n", "admin_allowance", "below 1"),
    ("admin_allowance: lots\n", "admin_allowance", "is not a number"),
    ("tiers: {low: -3}\n", "tiers.low", "more than 0"),
    ("tiers: {low: 3}\n", "default_tier", "is not one of the tiers"),
    ("zones: {green_from: 100, amber_above: 95}\n", "zones", "out of order"),
    ("zones: {red_from: 100}\n", "zones", "out of order"),
    ("points_per_fte: 0\n", "points_per_fte", "more than 0"),
    ("points_per_fte: .inf\n", "points_per_fte", "is not a number"),
    ("review_days: {high: 0}\n", "review_days.high", "at least 1"),
    ("review_days: {urgent: 3}\n", "review_days.urgent", "is not a known key"),
    ("stale_after_days: yes\n", "stale_after_days", "is not a whole number"),
    ("allocation: {area: sometimes}\n", "allocation.area", "prefer, require, ignore"),
    ("allocation: {area_bonus: -5}\n", "allocation.area_bonus", "must not be negative"),
    ("status_factors: {waiting: 1}\n", "status_factors.waiting", "is not a known key"),
    ("no: 3\n", "False", "is not a known key"),  # YAML 1.1: `no` is a boolean
    ("tiers: [1, 2]\n", "tiers", "must be a mapping"),
    ("points_per_fte: [\n", "caseload.yaml", "is not valid YAML"),
    ("- a\n- b\n", "caseload.yaml", "must be a mapping"),
    ("tiers: {low: 3, low: 4}\n", "caseload.yaml", "names the key 'low' twice"),
    ("stale_after_days: 0x15\n", "stale_after_days", "is not a whole number"),  # YAML 1.1: 21
    ("review_days: {high: 014}\n", "review_days.high", "is not a whole number"),  # YAML 1.1: 12 (octal)
]


@pytest.mark.parametrize("text, key, problem", BAD_CONFIGS)
def test_bad_config_exits_2_naming_key_and_value(tmp_path, text, key, problem):
    (tmp_path / "caseload.yaml").write_text(text)
    result = invoke("--db", "t.db", "init")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert key in lines[0] and problem in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "t.db").exists()


def test_missing_config_file_named_by_flag(tmp_path):
    result = invoke("--config", "nowhere.yaml", "--db", "t.db", "init")
    assert result.exit_code == 2
    assert "nowhere.yaml" in result.stderr and "does not exist" in result.stderr


def test_bad_today_is_bad_input(tmp_path):
    result = invoke("--db", "t.db", "intake", "--client", "x", env={"CASELOAD_TODAY": "2026-13-01"})
    assert result.exit_code == 2
    assert "CASELOAD_TODAY" in result.stderr


def test_write_config_writes_the_commented_example_once(tmp_path):
    result = invoke("--config", "mine.yaml", "--db", "t.db", "init", "--write-config")
    assert result.exit_code == 0
    assert "wrote the config mine.yaml" in result.stderr and "created the database: t.db" in result.stderr
    written = Path("mine.yaml")
    assert written.read_text() == EXAMPLE.read_text()
    assert written.stat().st_mode & 0o777 == 0o600
    again = invoke("--config", "mine.yaml", "--db", "t.db", "init", "--write-config")
    assert again.exit_code == 1 and "already exists" in again.stderr
