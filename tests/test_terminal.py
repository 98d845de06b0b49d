"""What a person or a script sees, through a real subprocess: streams, colours, exit codes."""

import re

from conftest import run_cli

ANSI = re.compile(r"\x1b\[")


def test_no_terminal_means_no_colour_codes_and_no_cut_cells(demo_db):
    result = run_cli("--db", str(demo_db), "zone-review")
    assert result.returncode == 0
    assert not ANSI.search(result.stdout) and not ANSI.search(result.stderr)
    assert "asha (Asha Patel)" in result.stdout  # not cut to fit 80 columns
    assert "RED" in result.stdout and "BLUE" in result.stdout
    wide = run_cli("--db", str(demo_db), "cases")
    assert "…" not in wide.stdout


def run_in_terminal(*args: str, env_extra: dict | None = None) -> str:
    """Run with stdout on a pseudo-terminal, as a team lead's shell would, and return what it printed."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import TODAY, read_terminal

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_") and k != "NO_COLOR"}
    env.update({"CASELOAD_TODAY": TODAY, "TERM": "xterm-256color", "COLUMNS": "200"}, **(env_extra or {}))
    proc = subprocess.Popen([sys.executable, "-m", "caseload", *args], stdout=follower, stderr=subprocess.PIPE,
                            env=env)
    os.close(follower)
    seen = read_terminal(leader)
    proc.wait(timeout=60)
    os.close(leader)
    return seen


COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)")


def test_terminal_gets_colour_and_no_color_keeps_the_zone_words(demo_db):
    coloured = run_in_terminal("--db", str(demo_db), "zone-review")
    assert COLOUR.search(coloured) and "RED" in coloured
    plain = run_in_terminal("--db", str(demo_db), "zone-review", env_extra={"NO_COLOR": "1"})
    assert not COLOUR.search(plain)
    assert "RED" in plain and "AMBER" in plain and "GREEN" in plain and "BLUE" in plain


def test_errors_go_to_stderr_as_one_line_without_traceback(demo_db):
    result = run_cli("--db", str(demo_db), "worker", "add", "zed", "--name", "Zed", "--fte", "abc")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "error: --fte: 'abc' is not a full-time equivalent (more than 0, at most 1.0)\n"
    unknown = run_cli("--db", str(demo_db), "show", "C-9999")
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
    assert unknown.stderr == "error: no case 'C-9999' (see `caseload cases`)\n" and unknown.stdout == ""
    usage = run_cli("--db", str(demo_db), "cases", "--colour")
    assert usage.returncode == 2 and len(usage.stderr.splitlines()) == 1
    assert usage.stderr.startswith("error: No such option: --colour") and usage.stdout == ""


def test_version_and_help():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("caseload ")
    helped = run_cli("--help")
    assert helped.returncode == 0 and "zone-review" in helped.stdout


def test_intake_id_alone_on_stdout(tmp_path):
    db = str(tmp_path / "t.db")
    assert run_cli("--db", db, "init").returncode == 0
    result = run_cli("--db", db, "intake", "--client", "Someone")
    assert result.stdout == "C-0001\n" and "waiting" in result.stderr


def test_every_command_has_help_and_is_reachable_from_main():
    """main() builds the app for the command being run: each command must be mapped to its module,
    and each must say what it does in --help (and be in the README)."""
    from pathlib import Path

    import typer.main

    from caseload.cli import COMMAND_MODULES, _modules_for, build_app

    app = build_app()

    group = typer.main.get_command(app)
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert set(group.commands) == set(COMMAND_MODULES)
    for name, command in group.commands.items():
        assert command.help, name
        assert f"caseload {name}" in readme, name
        assert _modules_for(["--db", "x.db", name, "--help"])[0] == COMMAND_MODULES[name]
    worker = group.commands["worker"]
    assert set(worker.commands) == {"add", "edit", "list", "show", "absent", "absences", "feels", "leave", "left", "reduce", "reductions",
                                   "import"}
    for name, command in worker.commands.items():
        assert command.help and f"caseload worker {name}" in readme, name
    assert _modules_for(["--version"]) == ()


def test_each_command_runs_through_main_with_only_its_module(demo_db):
    for args, out, err in (
        (["show", "C-0001"], "C-0001 — ", ""),
        (["history", "C-0001"], "History (", ""),
        (["worker", "reductions"], "Reductions on 2026-11-23", ""),
        (["export", "workers"], "id,name,role,fte,capacity,", ""),
        (["doctor"], "", "no problems found"),
        (["rebalance"], "Rebalance plan", "move(s) proposed"),
        (["assign", "--waiting", "--auto", "--dry-run"], "Plan", "dry run: nothing was written"),
    ):
        result = run_cli("--db", str(demo_db), *args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.startswith(out) and err in result.stderr, (args, result.stdout[:200], result.stderr)
        if out:
            assert len(result.stdout.splitlines()) > 1, args  # a heading and something under it


def test_explain_at_80_columns_wraps_the_rules_and_keeps_every_column(demo_db, tmp_path):
    """`assign --explain` on an 80-column terminal: the rule a worker fails wraps between
    words, so the zone after each worker is whole (it was cut to `AMBE`, its header to
    `zon`); a new starter who has not started has no zone (it said RED)."""
    import shutil

    db = tmp_path / "team.db"
    shutil.copy(demo_db, db)
    seen = run_in_terminal("--db", str(db), "--no-pager", "assign", "--waiting", "--auto", "--explain",
                           "--dry-run", env_extra={"COLUMNS": "80", "NO_COLOR": "1"})
    lines = [re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", line) for line in seen.replace("\r", "").splitlines()]
    assert all(len(line.rstrip()) <= 80 for line in lines), max(lines, key=len)
    headers = [line for line in lines if line.split()[:2] == ["worker", "qualifies"]]
    assert headers and all(line.rstrip().endswith("zone after") for line in headers)
    rows = [line.split() for line in lines if line.split()[:1] and line.split()[0] in (
        "asha", "ben", "chloe", "dev", "ewa", "farah", "george", "hana")]
    assert rows and all(row[-1] in ("RED", "AMBER", "GREEN", "BLUE") for row in rows), rows
    starter = [line.split() for line in lines if line.split()[:1] == ["kasia"]]
    assert starter and all(row[-1] == "—" and "RED" not in row for row in starter), starter


def test_messages_on_a_narrow_terminal_wrap_between_words(demo_db):
    """stderr on a terminal of 60 columns: a long error wraps between words, indented, where
    the terminal would cut a word in two; piped, it stays one line (cron mails, logs)."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import TODAY, read_terminal

    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))  # the terminal's own width
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_") and k != "COLUMNS"}
    env.update({"CASELOAD_TODAY": TODAY, "NO_COLOR": "1"})
    with open(os.devnull, "w") as nowhere:  # stdout elsewhere: stderr's terminal sets the width
        proc = subprocess.Popen([sys.executable, "-m", "caseload", "--db", str(demo_db), "note", "C-0001", "a", "b"],
                                stdout=nowhere, stderr=follower, env=env)
    os.close(follower)
    seen = read_terminal(leader).replace("\r", "")
    proc.wait(timeout=60)
    os.close(leader)
    lines = seen.strip().splitlines()
    assert len(lines) > 1 and all(len(line) <= 60 for line in lines), lines
    assert lines[0].startswith("error: ") and all(line.startswith("  ") for line in lines[1:])
    assert " ".join(line.strip() for line in lines) == (
        "error: Got unexpected extra argument(s), not repeated here (they may be a client's words): put text with "
        "spaces in quotes, as --client \"Ann Smith\" (see `python -m caseload note --help`)")
    piped = run_cli("--db", str(demo_db), "note", "C-0001", "a", "b")
    assert piped.stderr.count("\n") == 1
