"""The edges around the database (DESIGN §6, §9): output files, missing, empty and damaged
databases, unexpected errors, backups, upgrades by several processes, private folders.
Each test is one finding of the attack on caseload, on a real file with the real CLI."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, Cli, dump, run_cli, writes_over_privately


@pytest.fixture
def demo(demo_db, db_path):
    """The demo team in this test's own file: a copy of the session's demo database."""
    shutil.copy(demo_db, db_path)
    return Cli(db_path)


def refused(result, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    line = result.stderr.strip()
    assert line.startswith("error: --output") and "\n" not in line, line
    for word in words:
        assert word in line, line


def test_output_never_replaces_the_database_or_its_files(demo, tmp_path):
    before = dump(demo.db)
    refused(demo("report", "--format", "html", "--output", str(demo.db)), "is the database")
    refused(demo("export", "history", "--format", "json", "--output", f"{demo.db}-wal"), "is the database")
    refused(demo("export", "cases", "--output", str(tmp_path / f"{demo.db.name}.v1-20260101T000000Z.bak")),
            "is the database")
    assert dump(demo.db) == before
    assert demo.ok("doctor").stderr.endswith("no problems found\n")


def test_output_never_writes_over_any_sqlite_file(demo, tmp_path):
    other = tmp_path / "other.db"
    demo.ok("backup", str(other))
    copy = other.read_bytes()
    refused(demo("export", "zones", "--output", str(other)), "is an SQLite database")
    assert other.read_bytes() == copy


def test_output_refuses_links_devices_and_folders(demo, tmp_path):
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("keep me")
    link = tmp_path / "link.csv"
    link.symlink_to(secret)
    refused(demo("export", "cases", "--output", str(link)), "symbolic link")
    assert secret.read_text() == "keep me"
    refused(demo("export", "cases", "--output", "/dev/null"), "not a regular file")
    refused(demo("export", "cases", "--output", str(tmp_path)), "not a regular file")
    refused(demo("export", "cases", "--output", str(tmp_path / "missing" / "cases.csv")), "folder that does not exist")


def test_output_replaces_a_regular_file_whole_and_privately(demo, tmp_path):
    target = tmp_path / "cases.csv"
    writes_over_privately(demo, target, "export", "cases", "--output", str(target))
    assert target.read_text(encoding="utf-8-sig").startswith("id,client")


def test_a_recorded_report_whose_file_cannot_be_written_records_nothing(demo, tmp_path):
    before = dump(demo.db)
    result = demo("report", "--record", "--format", "html", "--output", str(tmp_path / "reports" / "r.html"))
    assert result.exit_code == 2 and "folder that does not exist" in result.stderr
    assert "Traceback" not in result.output and dump(demo.db) == before
    (tmp_path / "reports").mkdir()
    demo.ok("report", "--record", "--format", "html", "--output", str(tmp_path / "reports" / "r.html"))
    assert dump(demo.db) != before and (tmp_path / "reports" / "r.html").read_text().rstrip().endswith("</html>")


def test_zone_review_record_and_its_file_go_together(demo, tmp_path):
    before = dump(demo.db)
    result = demo("zone-review", "--record", "--format", "json", "--output", str(demo.db))
    assert result.exit_code == 2 and dump(demo.db) == before


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_only_init_and_demo_create_a_database(cli, tmp_path, make):
    path = tmp_path / "typo.db"
    if make == "empty":
        path.touch()
    for args in (["cases"], ["zone-review"], ["worker", "add", "tom", "--name", "Tom"], ["doctor"]):
        result = cli.runner.invoke(__import__("caseload.cli").cli.build_app(), ["--db", str(path), *args])
        assert result.exit_code == 1, args
        assert result.stderr == f"error: no caseload database at {path}: create it with `caseload init` (or give --db)\n"
    assert (not path.exists()) if make == "missing" else path.stat().st_size == 0


def damage(path: Path, where: int) -> None:
    with open(path, "r+b") as handle:
        handle.seek(where)
        handle.write(b"\xde\xad\xbe\xef" * 2000)


@pytest.mark.parametrize("where", [0, 4096 * 3])
def test_a_damaged_database_says_restore_from_a_backup(demo, tmp_path, where):
    from conftest import Cli

    demo.ok("backup", str(tmp_path / "copy.db"))
    damaged = Cli(tmp_path / "copy.db")
    damage(damaged.db, where)
    result = damaged("zone-review")
    assert result.exit_code == 1 and "Traceback" not in result.output
    if where == 0:  # the header itself: not even an SQLite file any more
        assert "it is not an SQLite file" in result.stderr and "restore it from a backup" in result.stderr
    else:
        assert result.stderr == ("error: the database is damaged: restore it from a backup (`caseload doctor` says "
                                 "where); nothing was changed\n")
    checked = damaged("doctor")
    assert checked.exit_code == 1 and checked.stdout.startswith("problem: the database is damaged")
    assert "restore it from a backup" in checked.stdout


def test_an_unexpected_error_is_one_line_and_a_private_crash_log(demo, tmp_path, monkeypatch):
    import caseload.app.review

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(caseload.app.review, "gather", broken)
    result = demo("zone-review")
    assert result.exit_code == 1 and "Traceback" not in result.output
    log = tmp_path / "config-home" / "caseload" / "crash.log"
    assert result.stderr == (f"error: unexpected error (a bug in caseload): ZeroDivisionError; nothing was changed; "
                             f"details in {log}\n")
    text = log.read_text()  # where it happened and what kind of error, never its message (it may quote a name)
    assert "Traceback" in text and "in broken" in text and "builtins.ZeroDivisionError" in text
    assert "ZeroDivisionError: a bug" not in text  # (the source line that raised it is quoted, as any line is)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700


def test_backups_never_overwrite_follow_a_link_or_leave_a_temporary_file(demo, tmp_path):
    first = tmp_path / "b.db"
    demo.ok("backup", str(first))
    again = demo("backup", str(first))
    assert again.exit_code == 1 and again.stderr == f"error: {first} already exists: choose a new file\n"
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "nowhere.db")
    assert demo("backup", str(dangling)).exit_code == 1
    assert not (tmp_path / "nowhere.db").exists()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    demo.refused("backup", "-")  # not stdout, and no file named "-": a backup is a file on record
    assert not Path("-").exists()


def test_several_processes_upgrading_an_old_database_all_succeed(tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema_v1.db", old)
    os.chmod(old, 0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env.update({"CASELOAD_TODAY": TODAY, "CASELOAD_USER": "lead", "XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    procs = [subprocess.Popen([sys.executable, "-m", "caseload", "--db", str(old), "cases", "--format", "csv"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [code for _, _, code in results] == [0, 0, 0, 0], [err for _, err, _ in results]
    assert len({out for out, _, _ in results}) == 1, "every process sees the same cases"
    assert len(list(tmp_path.glob("old.db.v1-*.bak"))) == 1, "one backup, by the process that upgraded"
    checked = run_cli("--db", str(old), "doctor")
    assert checked.returncode == 0, checked.stdout


def test_folders_caseload_creates_are_private_whatever_the_umask(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "home")}
    script = "import os, sys; os.umask(0); from caseload.cli import main; sys.argv = ['caseload'] + sys.argv[1:]; main()"
    for args in (["init", "--write-config"], ["--db", str(tmp_path / "a" / "b" / "team.db"), "init"]):
        done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                              env={**{k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}, **env})
        assert done.returncode == 0, done.stderr
    for folder in (tmp_path / "home" / "caseload", tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE((tmp_path / "home" / "caseload" / "config.yaml").stat().st_mode) == 0o600


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_device_is_one_line_not_a_traceback(demo):
    # stdout buffered, as a user's is (a PYTHONUNBUFFERED in the tests' environment hid
    # that a small output failed only at Python's exit: exit 120, "Exception ignored")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_") and k != "PYTHONUNBUFFERED"}
    env.update({"CASELOAD_TODAY": TODAY, "CASELOAD_USER": "lead"})
    before = dump(demo.db)
    for args in (["export", "cases"], ["zone-review"], ["report"], ["report", "--format", "json"], ["cases"],
                 ["zone-review", "--record"], ["report", "--record"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "caseload", "--db", str(demo.db), *args], stdout=full,
                                  stderr=subprocess.PIPE, text=True, env=env)
        assert done.returncode == 1 and done.stderr == "error: could not write the output (No space left on device)\n"
    assert dump(demo.db) == before  # a review recorded only with its output delivered


def test_a_closed_standard_output_fails_as_a_full_device_does_not_as_a_bug(demo, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env.update({"CASELOAD_TODAY": TODAY, "CASELOAD_USER": "lead"})

    def closed(args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["sh", "-c", f'"{sys.executable}" -m caseload --db "{demo.db}" {args} >&-'],
                              capture_output=True, text=True, env=env)

    for args in ("zone-review", "zone-review --format json", "export cases"):
        done = closed(args)
        assert (done.returncode, done.stderr) == (1, "error: could not write the output (standard output is "
                                                     "closed)\n"), (args, done.stderr)
    written = closed(f'export cases --output "{tmp_path / "cases.csv"}"')  # nothing for stdout: it works
    assert written.returncode == 0 and (tmp_path / "cases.csv").exists(), written.stderr


def test_a_closed_standard_input_is_no_answer_so_a_change_needs_yes(demo):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env.update({"CASELOAD_TODAY": TODAY, "CASELOAD_USER": "lead"})
    before = dump(demo.db)
    done = subprocess.run(["sh", "-c", f'"{sys.executable}" -m caseload --db "{demo.db}" handover asha --to ben <&-'],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 2 and "--yes" in done.stderr and "bug" not in done.stderr, done.stderr
    assert dump(demo.db) == before


def test_ctrl_c_while_the_libraries_load_is_one_line_not_a_traceback():
    # Ctrl-C arriving while Typer is imported, before the command line's own edge exists
    script = ("import builtins, sys\n"
              "real = builtins.__import__\n"
              "def interrupted(name, *args, **kwargs):\n"
              "    if name == 'typer':\n"
              "        raise KeyboardInterrupt\n"
              "    return real(name, *args, **kwargs)\n"
              "builtins.__import__ = interrupted\n"
              "sys.argv = ['caseload', 'zone-review']\n"
              "import caseload\n"
              "caseload.main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (130, "error: interrupted; nothing was changed\n")
