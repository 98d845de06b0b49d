"""Shared fixtures: every test gets its own SQLite file, config dir and fixed today.

The user config directory points into tmp_path (autouse), so no test touches the
real home; the working directory is tmp_path, so no ./caseload.yaml leaks in.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer.testing
from hypothesis import settings

from caseload.cli import build_app



@functools.lru_cache(maxsize=None)
def click_command(built: typer.Typer):
    """The Click command of a Typer app, made once: Typer's CliRunner makes it again on every
    invoke (~50-130 ms for all of caseload's commands, several times what a command costs),
    and the app never changes once built."""
    return typer.main.get_command(built)


class CliRunner(typer.testing.CliRunner):
    """Typer's CliRunner (its isolation of stdin, stdout, stderr and the environment, and its
    Result), running each app's command made once (`click_command`); public API only."""

    def invoke(self, app, args=(), input=None, env=None, **_):
        command = click_command(app)
        exit_code, exception, exc_info = 0, None, None
        with self.isolation(input=input, env=env) as (stdout, stderr, mixed):
            try:
                command.main(args=list(args or ()), prog_name=command.name or "caseload")
            except SystemExit as stop:
                exit_code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
                exception, exc_info = (stop if exit_code else None), sys.exc_info()
            except Exception as error:  # noqa: BLE001 - reported as Typer's runner reports it
                exit_code, exception, exc_info = 1, error, sys.exc_info()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                written = stdout.getvalue(), stderr.getvalue(), mixed.getvalue()
        return typer.testing.Result(self, *written, None, exit_code, exception, exc_info)


app = build_app()

TODAY = "2026-11-23"

# HYPOTHESIS_PROFILE=thorough runs the property tests ten times harder than CI does.
settings.register_profile("default", max_examples=150, deadline=None)
settings.register_profile("thorough", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    monkeypatch.setenv("CASELOAD_TODAY", TODAY)
    monkeypatch.setenv("CASELOAD_USER", "lead")
    for name in ("CASELOAD_DB", "CASELOAD_CONFIG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


class Cli:
    """The real command line, through Typer's CliRunner, on one database file."""

    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None):
        return self.runner.invoke(app, ["--db", str(self.db), *args], input=input, env=env)

    def as_user(self, actor: str, *args: str):
        """Run as another person (the global --as option)."""
        return self.runner.invoke(app, ["--db", str(self.db), "--as", actor, *args])

    def ok(self, *args: str, **kwargs):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def dump(self) -> str:
        return dump(self.db)

    def refused(self, *args: str, **kwargs):
        """Run a command that must be refused as bad input: exit 2, no traceback, nothing
        written (the database dumps the same before and after). Returns the result."""
        before = self.dump()
        result = self(*args, **kwargs)
        assert result.exit_code == 2, (result.exit_code, result.output)
        assert "Traceback" not in result.output
        assert self.dump() == before
        return result


def read_terminal(leader: int) -> str:
    """Everything written to a pseudo-terminal, read from its `leader` end until the program
    on the other end has closed it (Linux reports that as an OSError)."""
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


def dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "team.db"


@pytest.fixture
def cli(db_path) -> Cli:
    runner = Cli(db_path)
    runner.ok("init")
    return runner


def build_team(cli: Cli) -> Cli:
    """A small team: two full-timers, one part-timer, a lead (on an initialised database)."""
    cli.ok("worker", "add", "asha", "--name", "Asha Patel", "--skills", "housing", "--languages", "en,ur",
           "--area", "north")
    cli.ok("worker", "add", "ben", "--name", "Ben Okafor", "--fte", "0.8", "--languages", "en", "--area", "south")
    cli.ok("worker", "add", "cara", "--name", "Cara Jones", "--fte", "0.5", "--skills", "benefits")
    cli.ok("worker", "add", "lead", "--name", "Lee Lead", "--role", "lead")
    return cli


@pytest.fixture
def team(cli) -> Cli:
    """A small team: two full-timers, one part-timer, a lead."""
    return build_team(cli)


@contextlib.contextmanager
def isolated_session(folder: Path):
    """The isolation of `isolated`, for a session fixture building a database in `folder`
    (yields its MonkeyPatch, to move the day while building)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(folder / "config-home"))
        mp.setenv("CASELOAD_TODAY", TODAY)
        mp.setenv("CASELOAD_USER", "lead")
        for name in ("CASELOAD_DB", "CASELOAD_CONFIG", "NO_COLOR"):
            mp.delenv(name, raising=False)
        mp.chdir(folder)
        yield mp


def snapshot(built: Path, template: Path) -> Path:
    """`built` copied with SQLite's backup API into `template`: a file no connection holds
    open and that has no -wal, so a plain file copy of it is a complete, independent database."""
    source, target = sqlite3.connect(built), sqlite3.connect(template)
    try:
        source.backup(target)  # a consistent snapshot, WAL content included
    finally:
        target.close()
        source.close()
    os.chmod(template, 0o600)
    for suffix in ("-wal", "-shm"):
        assert not template.with_name(template.name + suffix).exists(), suffix
    assert dump(template) == dump(built)
    return template


def built_once(tmp_path_factory, name: str, build) -> Path:
    """A database built once per session by `build(cli, monkeypatch)` through the real
    commands (on an initialised file, in the isolation of `isolated`, the monkeypatch to
    move the day), snapshot into a file that a plain copy duplicates (`copy_team`). A
    fixture that many tests share is built once, not once per test. Read-only for tests:
    copy it, never open it."""
    folder = tmp_path_factory.mktemp(name)
    with isolated_session(folder) as mp:
        built = Cli(folder / "built.db")
        built.ok("init")
        build(built, mp)
    return snapshot(built.db, folder / "team.db")


@pytest.fixture(scope="session")
def team_template(tmp_path_factory) -> Path:
    """The `team` database built once per session (`built_once`)."""
    return built_once(tmp_path_factory, "team-template", lambda cli, _: build_team(cli))


def copy_team(template: Path, folder: Path) -> Cli:
    """A fresh copy of `team_template` in `folder`: the `team` fixture for one hypothesis example."""
    db = Path(folder) / "team.db"
    shutil.copy(template, db)  # keeps the 0600 mode
    return Cli(db)


def moved_in(db: Path, team_csv: Path, cases_csv: Path) -> Cli:
    """A new database at `db` that took in a team file and a cases file (`worker import`,
    then `intake --csv`), as a lead moving in does."""
    new = Cli(db)
    new.ok("init")
    new.ok("worker", "import", "--csv", str(team_csv), "--yes")
    new.ok("intake", "--csv", str(cases_csv), "--yes")
    return new


def writes_over_privately(cli: Cli, target: Path, *args: str) -> None:
    """`cli.ok(*args)` (a command writing `target`) over an older file readable by others,
    with umask 0: the file is replaced whole, 0600, and no temporary file is left beside it."""
    import stat

    target.write_text("old")
    os.chmod(target, 0o644)
    old_mask = os.umask(0)
    try:
        cli.ok(*args)
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")], "no temporary file left"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database, built once by the real command in-process and snapshot like
    `team_template` (read-only for tests: copy it, or only read it)."""
    folder = tmp_path_factory.mktemp("demo")
    with isolated_session(folder):
        Cli(folder / "built.db").ok("demo")
    return snapshot(folder / "built.db", folder / "demo.db")


def run_cli(*args: str, env_extra: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """The installed command line in a real subprocess: no terminal, real exit codes and streams."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env.update({"CASELOAD_TODAY": TODAY, "CASELOAD_USER": "lead"})
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "caseload", *args], capture_output=True, text=True, env=env, input=input,
        timeout=120,
    )


# The columns (and JSON keys) of each `export`, in order: DESIGN §5's, then the ones a
# re-import needs (§11).
EXPORT_KEYS = {
    "cases": ["id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs", "language",
              "area", "weight", "opened_on", "next_review_on", "last_contact_on", "closed_on", "held_since", "close_reason",
              "cover_until", "requested"],
    "workers": ["id", "name", "role", "fte", "capacity", "max_cases", "skills", "languages", "area", "status",
                "leaving_on", "starts_on", "auto", "capacity_override"],
    "zones": ["id", "name", "fte", "cases", "high_risk", "load", "capacity", "load_pct", "zone", "absent",
              "over_cap", "overdue_reviews", "stale", "new_30d", "red_weeks", "excessive", "covering", "covered",
              "feels"],
    "history": ["case", "worker", "previous_worker", "kind", "reason", "actor", "at"],
    "reviews": ["on", "kind", "worker", "cases", "load", "capacity", "zone", "recorded_at", "recorded_by"],
    "feels": ["worker", "on", "feeling", "recorded_at", "recorded_by"],
}


def draw_on_screen(db_path: Path, width: int, draw) -> str:
    """What `draw(console, db, session)` puts on a terminal `width` columns wide, as text
    (Rich's own Console at a fixed width, as a terminal would show it)."""
    from rich.console import Console

    from caseload.session import Session, current, start
    from caseload.store.connection import read_snapshot

    start(Session(db_path, None, "lead"))
    out = Console(width=width, force_terminal=True, record=True, color_system=None, legacy_windows=False)
    s = current()
    db = s.open()
    with read_snapshot(db):
        draw(out, db, s)
    return out.export_text()
