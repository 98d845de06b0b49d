"""The habits of a good command-line tool (DESIGN §5 "Conventions people expect"): `-` for
stdin and stdout, the format from the --output name, --quiet, progress bars and a pager on a
terminal only, --limit, completion, an example in every help screen, FORCE_COLOR, any
output encoding, local time in tables; and the HTML report on a phone and on A4 paper.

Subprocesses (and pseudo-terminals) where streams, terminals and encodings are the point;
CliRunner otherwise."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sqlite3
from datetime import datetime

import pytest
import typer

from conftest import Cli, app, read_terminal, run_cli
from test_terminal import COLOUR, run_in_terminal


@pytest.fixture
def demo(demo_db, tmp_path) -> Cli:
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    return Cli(copy)


def _leaf_commands():
    command = typer.main.get_command(app)
    stack = [([], command)]
    while stack:
        path, found = stack.pop()
        subcommands = getattr(found, "commands", None)
        if subcommands:
            stack.extend((path + [name], sub) for name, sub in subcommands.items())
        else:
            yield path, found


def test_every_command_has_a_worked_example_whose_flags_exist(cli):
    missing, broken = [], []
    for path, command in _leaf_commands():
        shown = cli("--no-pager", *path, "--help")
        assert shown.exit_code == 0, path
        found = re.search(r"Example: (caseload .*)", shown.stdout)
        if found is None:
            missing.append(" ".join(path))
            continue
        example = shlex.split(found.group(1).split("   ")[0])[1:]
        assert example[:len(path)] == path, (path, example)
        # the parser refuses an unknown flag before --help is acted on
        if cli(*example, "--help").exit_code != 0:
            broken.append(found.group(1))
    assert not missing and not broken, (missing, broken)


def test_help_paragraphs_flow_to_the_terminal_width_not_the_source_lines(cli):
    """A docstring is wrapped in the source at ~90 columns; its paragraphs must reflow, so a
    wide terminal shows each on one line and an 80-column one never breaks mid-sentence
    where the source did."""
    wide = cli("--no-pager", "export", "--help", env={"COLUMNS": "200"}).stdout
    assert ("A CSV file written with --output starts with a UTF-8 byte-order mark so that Excel reads non-ASCII "
            "names; text that a spreadsheet would run as a formula is quoted.") in wide
    narrow = [line.strip(" │") for line in cli("--no-pager", "export", "--help", env={"COLUMNS": "80"}).stdout
              .splitlines()]
    assert "Excel" not in narrow and not any(line == "reads non-ASCII names; text that a" for line in narrow)
    for path, _ in _leaf_commands():  # and every command's help still shows its example on a line of its own
        assert re.search(r"^ *Example: caseload ", cli("--no-pager", *path, "--help").stdout, re.M), path


def test_completion_is_switched_on(cli):
    shown = cli("--help")
    assert "--install-completion" in shown.stdout and "--show-completion" in shown.stdout


def test_output_dash_is_stdout_and_no_file_named_dash(demo, tmp_path):
    written = demo.ok("export", "cases", "-o", "-")
    assert written.stdout.startswith("id,client,")
    listed = demo.ok("cases", "--format", "json", "--output", "-")
    assert json.loads(listed.stdout)[0]["id"]
    assert not (tmp_path / "-").exists()


def test_format_follows_the_output_name_for_every_command(demo, tmp_path):
    demo.ok("report", "-o", str(tmp_path / "r.html"))
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    demo.ok("report", "-o", str(tmp_path / "r.md"))
    assert (tmp_path / "r.md").read_text().startswith("# ")
    demo.ok("export", "zones", "-o", str(tmp_path / "z.xlsx"))
    assert (tmp_path / "z.xlsx").read_bytes()[:4] == b"PK\x03\x04"
    demo.ok("zone-review", "-o", str(tmp_path / "z.json"))
    assert json.loads((tmp_path / "z.json").read_text())["workers"]
    demo.ok("cases", "-o", str(tmp_path / "c.csv"))
    assert (tmp_path / "c.csv").read_text(encoding="utf-8-sig").startswith("id,client,")
    demo.ok("cases", "-o", str(tmp_path / "c.txt"))  # a name that says nothing: the command's own default
    assert "C-0001" in (tmp_path / "c.txt").read_text() and not (tmp_path / "c.txt").read_text().startswith("id,")


def test_a_format_that_contradicts_the_output_name_is_refused(demo, tmp_path):
    refused = demo("cases", "-f", "csv", "-o", str(tmp_path / "x.json"))
    assert refused.exit_code == 2
    assert "--format" in refused.stderr and "csv" in refused.stderr and "x.json" in refused.stderr
    unwritten = demo("cases", "-o", str(tmp_path / "x.xlsx"))
    assert unwritten.exit_code == 2 and "x.xlsx" in unwritten.stderr
    also = demo("report", "--format", "md", "--output", str(tmp_path / "r.html"))
    assert also.exit_code == 2 and "r.html" in also.stderr
    assert not list(tmp_path.glob("x.*")) and not (tmp_path / "r.html").exists()
    demo.ok("cases", "-f", "json", "-o", str(tmp_path / "agree.json"))


def test_dash_is_standard_input_for_a_team_file_and_a_case_file(demo, tmp_path):
    team = demo.ok("worker", "list", "-f", "csv").stdout
    cases = demo.ok("export", "cases", "-o", "-").stdout
    new = Cli(tmp_path / "new.db")
    new.ok("init")
    added = new.ok("worker", "import", "--file", "-", "--yes", input=team)
    assert re.search(r"^stdin: \d+ worker\(s\) valid", added.stderr, re.M)
    taken = new.ok("intake", "--csv", "-", "--yes", input=cases)
    assert "stdin:" in taken.stderr and "added" in taken.stderr
    assert new.ok("cases", "-f", "json").stdout == demo.ok("cases", "-f", "json").stdout
    assert not list(tmp_path.glob("caseload-*"))


def test_quiet_cron_prints_nothing_when_all_is_well(demo_db, tmp_path):
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    nightly = run_cli("--db", str(db), "report", "--record", "--quiet")
    assert nightly.returncode == 0 and nightly.stderr == "" and "Caseload report" in nightly.stdout
    before = run_cli("--db", str(db), "-q", "report", "--record", "-o", str(tmp_path / "r.html"))
    assert before.returncode == 0 and before.stderr == "" and before.stdout == ""
    loud = run_cli("--db", str(db), "report", "--record", "-o", str(tmp_path / "r.html"))
    assert "wrote" in loud.stderr and "recorded" in loud.stderr


def test_quiet_still_says_what_needs_a_person(demo):
    reached = demo("report", "--quiet", "--fail-on", "red")
    assert reached.exit_code == 3 and "worker(s) at red or worse" in reached.stderr
    refused = demo("--quiet", "show", "C-9999")
    assert refused.exit_code == 1 and refused.stderr.startswith("error: ")


def _many_cases(path, rows: int) -> None:
    lines = ["client,tier,risk"] + [f"Client {n},low,low" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n")


def test_progress_bars_on_a_terminal_only(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    db = tmp_path / "t.db"
    assert run_cli("--db", str(db), "init").returncode == 0
    _many_cases(tmp_path / "many.csv", 3000)
    piped = run_cli("--db", str(db), "intake", "--csv", str(tmp_path / "many.csv"), "--dry-run")
    assert piped.returncode == 0 and "reading" not in piped.stderr and "\x1b" not in piped.stderr

    leader, follower = pty.openpty()  # stderr on a terminal, as a lead's shell has it
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env.update({"CASELOAD_TODAY": "2026-11-23", "TERM": "xterm-256color", "COLUMNS": "100"})
    proc = subprocess.Popen([sys.executable, "-m", "caseload", "--db", str(db), "intake", "--csv",
                             str(tmp_path / "many.csv"), "--dry-run"], stdout=subprocess.PIPE, stderr=follower,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    seen = read_terminal(leader)
    proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0 and "reading many.csv" in seen
    assert "object at 0x" not in seen  # the bar's end, once a Python repr on a lead's screen at 80 columns


def test_a_long_screen_goes_through_the_pager_on_a_terminal_only(demo_db):
    pager = {"PAGER": "sed -e s/^/PAGED:/", "LINES": "20"}
    paged = run_in_terminal("--db", str(demo_db), "cases", env_extra=pager)
    assert "PAGED:C-0001" in paged.replace(" ", "") or "PAGED:" in paged
    assert "C-0001" in paged
    for off in ({**pager, "CASELOAD_PAGER": ""}, {**pager, "LINES": "5000"}):
        assert "PAGED:" not in run_in_terminal("--db", str(demo_db), "cases", env_extra=off)
    assert "PAGED:" not in run_in_terminal("--db", str(demo_db), "--no-pager", "cases", env_extra=pager)
    assert "PAGED:" not in run_in_terminal("--db", str(demo_db), "cases", "--no-pager", env_extra=pager)
    chosen = run_in_terminal("--db", str(demo_db), "zone-review",
                             env_extra={"CASELOAD_PAGER": "sed -e s/^/MEETING:/", "LINES": "10"})
    assert "MEETING:" in chosen  # the meeting screen pages too
    piped = run_cli("--db", str(demo_db), "cases", env_extra=pager)
    assert "PAGED:" not in piped.stdout and "C-0001" in piped.stdout


def test_limit_on_the_listings(demo):
    three = demo.ok("cases", "--limit", "3", "-f", "json")
    assert [row["id"] for row in json.loads(three.stdout)] == ["C-0001", "C-0002", "C-0003"]
    assert "showing the first 3 of" in three.stderr
    assert len(json.loads(demo.ok("history", "-n", "2", "-f", "json").stdout)) == 2
    assert len(demo.ok("worker", "list", "--limit", "1", "-f", "csv").stdout.splitlines()) == 2
    assert demo("cases", "--limit", "-1").exit_code == 2


def test_force_color_on_a_pipe_and_no_color_wins(demo_db):
    coloured = run_cli("--db", str(demo_db), "zone-review", env_extra={"FORCE_COLOR": "1", "COLUMNS": ""})
    assert coloured.returncode == 0 and COLOUR.search(coloured.stdout)
    assert "Asha Patel" in coloured.stdout and "…" not in coloured.stdout  # full width: nothing cut
    plain = run_cli("--db", str(demo_db), "zone-review", env_extra={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not re.search(r"\x1b\[", plain.stdout) and "RED" in plain.stdout


def test_any_output_encoding_never_crashes(tmp_path):
    db = str(tmp_path / "t.db")
    assert run_cli("--db", db, "init").returncode == 0
    assert run_cli("--db", db, "worker", "add", "lucja", "--name", "Łucja Zoë").returncode == 0
    cp1252 = {"PYTHONIOENCODING": "cp1252"}
    for fmt in ("table", "csv"):
        shown = subprocess_bytes(db, cp1252, "worker", "list", "-f", fmt)
        assert shown.returncode == 0, shown.stderr
        assert "?ucja Zo\xeb".encode("cp1252") in shown.stdout  # Ł cannot be shown: replaced; ë can
        if fmt == "table":  # the rule under the headers in ASCII, not a line of "?"
            assert b"----" in shown.stdout and b"????" not in shown.stdout
    whole = subprocess_bytes(db, cp1252, "worker", "list", "-f", "json")
    assert whole.returncode == 0 and json.loads(whole.stdout.decode("ascii"))[0]["name"] == "Łucja Zoë"
    review = subprocess_bytes(db, cp1252, "zone-review")
    assert review.returncode == 0 and b"unexpected error" not in review.stderr


def subprocess_bytes(db: str, env_extra: dict, *args: str):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env.update({"CASELOAD_TODAY": "2026-11-23", "CASELOAD_USER": "lead"}, **env_extra)
    return subprocess.run([sys.executable, "-m", "caseload", "--db", db, *args], capture_output=True, env=env,
                          timeout=120)


def test_tables_show_local_time_and_data_keeps_utc(demo_db):
    tokyo = {"TZ": "Asia/Tokyo"}
    data = json.loads(run_cli("--db", str(demo_db), "history", "C-0001", "-f", "json", env_extra=tokyo).stdout)
    stamp = data[0]["at"]
    assert stamp.endswith("+00:00")
    moment = datetime.fromisoformat(stamp)
    from datetime import timedelta, timezone

    shown = (moment.astimezone(timezone(timedelta(hours=9)))).strftime("%Y-%m-%d %H:%M")
    table = run_cli("--db", str(demo_db), "history", "C-0001", env_extra=tokyo).stdout
    assert shown in table and stamp not in table


def test_the_html_report_fits_a_phone_and_prints_on_a4(demo):
    page = demo.ok("report", "--format", "html").stdout
    assert "@page{size:A4" in page
    assert '<meta name="viewport" content="width=device-width' in page
    assert page.count('<div class="scroll"><table') >= 3  # each table scrolls in its own box
    assert "<svg viewBox=" in page and "svg{max-width:100%" in page
    assert re.search(r'<td class="nb">C-0\d{3}</td>', page)  # ids never split
    assert re.search(r"<th>\d+ \w{3} 20\d\d</th>", page)  # the Runway's weeks carry the year
    assert re.search(r">20\d\d-\d\d-\d\d</text>", page)  # so do the charts' dates


def test_the_database_is_untouched_by_a_refused_contradiction(demo, tmp_path):
    before = sqlite3.connect(demo.db).execute("select count(*) from zone_reviews").fetchone()
    assert demo("report", "--record", "-f", "csv", "-o", str(tmp_path / "r.json")).exit_code == 2
    after = sqlite3.connect(demo.db).execute("select count(*) from zone_reviews").fetchone()
    assert before == after
