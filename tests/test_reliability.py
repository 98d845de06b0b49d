"""Reliability: kills at any moment, two writers at once, old and new databases, backups,
doctor, and files readable by their owner only.

Sizes are small enough for CI; CASELOAD_STRESS=1 makes the kill and concurrency tests
bigger and longer (see README)."""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from caseload.store.history import Change, record_many
from caseload.store.migrations import CURRENT_VERSION
from conftest import TODAY, Cli, dump

STRESS = os.environ.get("CASELOAD_STRESS") == "1"
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
HASH = re.compile(r"'(?:[0-9a-f]{32}){1,2}'")  # hashes and seals (64 hex digits), salts (32: random each run)


def normalised(path: Path) -> str:
    """A dump with the time of day taken out (each run writes its own timestamps), and so
    the history's hashes, which cover the time, and the random salts of the chained rows
    with their seals (doctor checks them all after every kill)."""
    return HASH.sub("'<hash>'", STAMP.sub("<at>", dump(path)))


def env() -> dict:
    values = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    values.update({"CASELOAD_TODAY": TODAY, "CASELOAD_USER": "lead"})
    return values


def big_team(path: Path, cases: int, waiting: int = 0) -> None:
    """A team whose worker asha holds `cases` cases and `waiting` more wait in the pool, built
    directly (fast), then checked by doctor."""
    Cli(path).ok("init")
    db = sqlite3.connect(path)
    now = "2026-11-01T09:00:00+00:00"
    workers = [("asha", "Asha")] + [(f"w{i:02d}", f"Worker {i}") for i in range(30)]
    db.executemany("INSERT INTO workers (id, name, role, fte, skills, languages, status, auto, created_at) "
                   "VALUES (?, ?, 'worker', '1', '', 'en', 'active', 1, ?)", [(w, n, now) for w, n in workers])
    rows = [(f"C-{i:05d}", f"Client {i}", ["low", "medium", "high"][i % 3], ["low", "medium", "high"][i % 3])
            for i in range(cases)]
    db.executemany("INSERT INTO cases (id, client, tier, risk, status, worker, opened_on) "
                   "VALUES (?, ?, ?, ?, 'active', 'asha', '2026-10-01')", rows)
    pool = [(f"W-{i:05d}", f"Waiting {i}", ["low", "medium", "high"][i % 3], ["low", "medium", "high"][i % 3])
            for i in range(waiting)]
    db.executemany("INSERT INTO cases (id, client, tier, risk, status, opened_on) "
                   "VALUES (?, ?, ?, ?, 'waiting', '2026-11-01')", pool)
    # through the store, which chains each row's hash to the one before (doctor checks it)
    record_many(db, [Change(r[0], None, None, "intake") for r in rows + pool], "lead", now)
    record_many(db, [Change(r[0], "asha", None, "assign") for r in rows], "lead", now)  # as doctor expects
    db.execute("UPDATE sequences SET value = ? WHERE name = 'case'", [cases])
    db.commit()
    db.close()


def command_line(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "caseload", "--db", str(db), *args]


def kill_at_many_moments(tmp_path: Path, base: Path, args: list[str], moments: int,
                         written=None) -> tuple[int, int]:
    """Run the command to the end once (the 'after' state), then again and again on fresh
    copies, killing it with SIGKILL at moments spread over its run. Every time, the file
    must be exactly as before or exactly as after, and doctor must find it clean.

    `written(i, state)`, when given, checks the file the command writes on run i (its
    arguments may name `{i}`): never half-written under its final name."""
    before = normalised(base)
    finished = tmp_path / "finished.db"
    shutil.copy(base, finished)
    start = time.monotonic()
    done = subprocess.run(command_line(finished, *[a.format(i="done") for a in args]), env=env(),
                          capture_output=True, text=True)
    duration = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    after = normalised(finished)
    assert after != before
    outcomes = {"before": 0, "after": 0}
    for i in range(moments):
        victim = tmp_path / f"victim{i}.db"
        shutil.copy(base, victim)
        proc = subprocess.Popen(command_line(victim, *[a.format(i=i) for a in args]), env=env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * (0.3 + 0.8 * i / moments))  # from start-up to past the commit
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = normalised(victim)
        assert state in (before, after), f"half-written database after a kill at moment {i}"
        outcomes["before" if state == before else "after"] += 1
        if written is not None:
            written(i, "before" if state == before else "after")
        check = Cli(victim)("doctor")  # in-process: the kill above is what needs a process
        assert check.exit_code == 0, check.stdout + check.stderr
        assert check.stderr.endswith("no problems found\n") and check.stdout == "", check.stdout + check.stderr
    return outcomes["before"], outcomes["after"]


@pytest.mark.slow
def test_killed_handover_leaves_before_or_after(tmp_path):
    base = tmp_path / "base.db"
    big_team(base, 6000 if STRESS else 1500)
    before, after = kill_at_many_moments(tmp_path, base, ["handover", "asha", "--auto", "--yes"],
                                         30 if STRESS else 8)
    assert before + after == (30 if STRESS else 8)


@pytest.mark.slow
def test_killed_batch_assign_leaves_before_or_after(tmp_path):
    base = tmp_path / "base.db"
    big_team(base, 10, waiting=3000 if STRESS else 600)
    moments = 30 if STRESS else 6
    before, after = kill_at_many_moments(tmp_path, base, ["assign", "--waiting", "--auto"], moments)
    assert before + after == moments


@pytest.mark.slow
def test_killed_rebalance_leaves_before_or_after(tmp_path):
    base = tmp_path / "base.db"
    big_team(base, 600 if STRESS else 200)
    moments = 30 if STRESS else 6
    before, after = kill_at_many_moments(tmp_path, base, ["rebalance", "--apply", "--yes"], moments)
    assert before + after == moments


@pytest.mark.slow
def test_killed_recorded_report_never_leaves_half_a_page_or_a_record_without_it(tmp_path):
    base = tmp_path / "base.db"
    big_team(base, 1500 if STRESS else 400)
    moments = 30 if STRESS else 6

    def written(i, state):
        page = tmp_path / f"report-{i}.html"
        if page.exists():
            assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), "a half-written report"
        if state == "after":  # the snapshot committed only once the page was in place
            assert page.exists()

    kill_at_many_moments(tmp_path, base, ["report", "--record", "--format", "html", "--output",
                                          str(tmp_path / "report-{i}.html")], moments, written)


@pytest.mark.slow
def test_killed_backup_never_leaves_a_backup_half_written(tmp_path):
    base = tmp_path / "base.db"
    big_team(base, 20000 if STRESS else 6000)
    moments = 30 if STRESS else 6
    for i in range(moments):
        target = tmp_path / f"copy-{i}.db"
        proc = subprocess.Popen(command_line(base, "backup", str(target)), env=env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(0.15 + 0.05 * i)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if target.exists():  # under its final name only when whole
            assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert sqlite3.connect(target).execute("SELECT count(*) FROM cases").fetchone() == (6000 if not STRESS
                                                                                                else 20000,)
        again = subprocess.run(command_line(base, "backup", str(tmp_path / f"again-{i}.db")), env=env(),
                               capture_output=True, text=True)
        assert again.returncode == 0, again.stderr  # a killed backup never blocks the next one


@pytest.mark.slow
def test_killed_csv_intake_leaves_before_or_after(tmp_path):
    base = tmp_path / "base.db"
    big_team(base, 10)
    rows = 20000 if STRESS else 4000
    csv_path = tmp_path / "big.csv"
    csv_path.write_text("client,tier,risk,needs\n" + "".join(
        f"Person {i},{['low', 'medium', 'high'][i % 3]},low,\n" for i in range(rows)))
    before, after = kill_at_many_moments(tmp_path, base, ["intake", "--csv", str(csv_path), "--yes"],
                                         30 if STRESS else 8)
    assert before + after == (30 if STRESS else 8)


WRITER = """
import sys
sys.path.insert(0, sys.argv[4])
from conftest import CliRunner  # the app becomes a Click command once, not on every invoke
from caseload.cli import build_app

app = build_app()
db, me, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
runner = CliRunner()
for i in range(rounds):
    made = runner.invoke(app, ["--db", db, "intake", "--client", f"{me} {i}", "--assign", "asha"])
    if made.exit_code != 0:
        print("FAIL", made.stderr); sys.exit(1)
    case = made.stdout.strip()
    moved = runner.invoke(app, ["--db", db, "reassign", case, "--to", "ben", "--reason", f"by {me}"])
    if moved.exit_code != 0:
        print("FAIL", moved.stderr); sys.exit(1)
print("done")
"""


@pytest.mark.slow
def test_two_writers_at_once_both_finish(tmp_path):
    db = tmp_path / "team.db"
    Cli(db).ok("init")
    for worker in ("asha", "ben"):
        Cli(db).ok("worker", "add", worker, "--name", worker.title())
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rounds = 150 if STRESS else 40
    procs = [subprocess.Popen([sys.executable, str(script), str(db), name, str(rounds),
                              str(Path(__file__).parent)], env=env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("one", "two")]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, out + err
        assert "locked" not in out + err
        assert out == "done\n", out + err  # every round went through, none printed FAIL
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM cases WHERE worker = 'ben'").fetchone()[0] == 2 * rounds
    assert conn.execute("SELECT count(*) FROM history WHERE kind = 'reassign'").fetchone()[0] == 2 * rounds
    assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == 6 * rounds  # intake, assign, reassign
    conn.close()


def test_first_schema_version_is_upgraded_after_a_backup(tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema_v1.db", old)
    os.chmod(old, 0o600)
    result = Cli(old).ok("show", "C-0001")
    assert "Maria K." in result.stdout and "First visit" in result.stdout
    backups = list(tmp_path.glob("old.db.v1-*.bak"))
    assert len(backups) == 1 and backups[0].stat().st_mode & 0o777 == 0o600
    assert sqlite3.connect(backups[0]).execute("PRAGMA user_version").fetchone()[0] == 1
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    conn.close()
    checked = Cli(old)("doctor")
    assert checked.exit_code == 0 and checked.stderr.endswith("no problems found\n"), checked.stdout
    # the upgraded database works as any other
    updated = Cli(old)("update", "C-0001", "--risk", "medium")
    assert updated.exit_code == 0 and "updated C-0001: risk" in updated.stderr, updated.stderr
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT risk FROM cases WHERE id = 'C-0001'").fetchone()[0] == "medium"
    conn.close()
    assert Cli(old)("intake", "--client", "New").stdout == "C-0003\n"


def test_doctor_finds_what_is_wrong(cli, tmp_path):
    cli.ok("worker", "add", "asha", "--name", "Asha")
    cli.ok("intake", "--client", "x", "--assign", "asha")
    assert cli.ok("doctor").stderr.endswith("no problems found\n")
    conn = sqlite3.connect(cli.db)
    conn.execute("DROP TRIGGER history_no_delete")
    conn.execute("UPDATE workers SET status = 'left' WHERE id = 'asha'")
    conn.execute("UPDATE cases SET tier = 'huge'")
    conn.commit()
    conn.close()
    os.chmod(cli.db, 0o644)
    result = cli("doctor")
    assert result.exit_code == 1
    problems = result.stdout
    assert "trigger history_no_delete is missing" in problems
    assert "C-0001 is held by a worker who has left" in problems
    assert "tier 'huge' is used by cases but not in the config's tiers" in problems
    assert "readable by others" in problems


def test_backup_is_consistent_private_and_never_overwrites(cli, tmp_path):
    cli.ok("worker", "add", "asha", "--name", "Asha")
    for _ in range(5):
        cli.ok("intake", "--client", "x", "--assign", "asha")
    cli.ok("backup", "copy.db")
    copy = tmp_path / "copy.db"
    assert copy.stat().st_mode & 0o777 == 0o600
    # the same database, but for the record of the copy itself, written once the copy was whole
    recorded = [line for line in normalised(cli.db).splitlines() if line.startswith('INSERT INTO "backups"')]
    assert len(recorded) == 1 and f"'{copy}'" in recorded[0]
    assert normalised(copy) == "\n".join(line for line in normalised(cli.db).splitlines() if line not in recorded)
    again = cli("backup", "copy.db")
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_every_file_the_tool_creates_is_private_whatever_the_umask(tmp_path):
    db = tmp_path / "team.db"
    old = os.umask(0)
    try:
        steps = [
            ("init",), ("worker", "add", "asha", "--name", "Asha"), ("intake", "--client", "x", "--assign", "asha"),
            ("backup", str(tmp_path / "b.db")), ("export", "cases", "--output", str(tmp_path / "e.csv")),
            ("report", "--format", "html", "--output", str(tmp_path / "r.html")),
            ("cases", "--format", "json", "--output", str(tmp_path / "c.json")),
        ]
        for step in steps:  # in-process: the umask belongs to the process, the test's own
            assert Cli(db)(*step).exit_code == 0, step
        conn = sqlite3.connect(db)  # keeps the WAL and shared-memory files open to look at them
        conn.execute("SELECT 1 FROM cases").fetchall()
        created = [p for p in tmp_path.iterdir() if p.is_file()]
        assert {p.name for p in created} >= {"team.db", "b.db", "e.csv", "r.html", "c.json"}
        for path in created:
            assert path.stat().st_mode & 0o777 == 0o600, path.name
        conn.close()
    finally:
        os.umask(old)


def test_errors_never_show_case_contents(cli):
    cli.ok("worker", "add", "asha", "--name", "Asha")
    cli.ok("intake", "--client", "Very Private Person", "--summary", "Secret matter", "--id", "P-1")
    attempts = [
        (("update", "P-1", "--tier", "nonsense"), "--tier: 'nonsense'"),
        (("close", "P-1"), "Missing option '--reason'"),
        (("reassign", "P-1", "--to", "zed", "--reason", "x"), "P-1 is waiting"),
        (("assign", "P-1", "--to", "zed"), "no worker 'zed'"),
        (("note", "P-9", "x"), "no case 'P-9'"),
        (("show", "P-9"), "no case 'P-9'"),
    ]
    for args, problem in attempts:
        result = cli(*args)
        assert result.exit_code in (1, 2)
        assert "Very Private" not in result.output and "Secret" not in result.output
        # ... and yet the one error line says what is wrong
        assert result.stderr.startswith("error: ") and problem in result.stderr, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1 and result.stdout == "", args


@pytest.mark.slow
@pytest.mark.parametrize("stop, said", [
    (signal.SIGINT, "interrupted"),  # Ctrl-C
    (signal.SIGTERM, "stopped by SIGTERM"),  # `timeout`, systemd, a shutdown (SIGHUP: at a question, below)
], ids=["ctrl-c", "sigterm"])
def test_a_long_intake_stopped_by_a_signal_says_so_and_changes_nothing(tmp_path, stop, said):
    base = tmp_path / "base.db"
    big_team(base, 10)
    csv_path = tmp_path / "big.csv"
    csv_path.write_text("client,tier,risk\n" + "".join(f"Person {i},medium,low\n" for i in range(60000)))
    before = dump(base)
    # Ctrl-C at a terminal reaches a command whose SIGINT is at its default. The tests may
    # run where it is ignored (started by `cmd &` from a script: sh ignores SIGINT in a
    # background job, and every child inherits that), and an ignored SIGINT stays ignored
    # in Python, as it should for a job sent to the background: give the child the default.
    proc = subprocess.Popen(command_line(base, "intake", "--csv", str(csv_path), "--yes"), env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_at_default(stop))
    checked = proc.stderr.readline()  # the file is read and checked: the writing has begun
    assert "60000 row(s) valid" in checked, checked
    proc.send_signal(stop)
    _, err = proc.communicate(timeout=120)
    # 128 + the signal, or killed by it (Python 3.11, when the interrupt passes through
    # eval()): the shell's $? is the same either way
    assert proc.returncode in (128 + stop, -stop), proc.returncode
    assert err.strip().endswith(f"error: {said}; nothing was changed"), err
    assert "Traceback" not in err
    assert dump(base) == before


def _read_until(leader: int, text: str, timeout: float = 60) -> str:
    """What a pseudo-terminal shows, read until `text` appears."""
    import select

    seen, end = b"", time.monotonic() + timeout
    while text.encode() not in seen and time.monotonic() < end:
        if select.select([leader], [], [], 0.5)[0]:
            seen += os.read(leader, 65536)
    return seen.decode("utf-8", "replace")


LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="reads /proc (Linux)")


def _at_default(stop):
    """For a child: `stop` at its default, as a terminal's process has it (the tests may run
    with it ignored, under nohup or in a script's background job: every child inherits that)."""
    return lambda: signal.signal(stop, signal.SIG_DFL)


@LINUX_PROC
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["sigterm", "sighup"])  # SIGHUP: the terminal closed
def test_a_signal_at_a_question_stops_the_command_not_answers_no(tmp_path, stop):
    import pty

    base = tmp_path / "base.db"
    big_team(base, 10)
    csv_path = tmp_path / "few.csv"
    csv_path.write_text("client,tier,risk\n" + "".join(f"Person {i},medium,low\n" for i in range(20)))
    before = dump(base)
    leader, follower = pty.openpty()  # a lead's terminal: the intake asks before it writes
    proc = subprocess.Popen(command_line(base, "intake", "--csv", str(csv_path)), env=env(),
                            stdin=follower, stdout=subprocess.DEVNULL, stderr=follower, preexec_fn=_at_default(stop))
    os.close(follower)
    assert "Add these 20 case(s)?" in _read_until(leader, "Add these")
    # Signalled once it waits for the answer: in the instant before, input() flushes stderr
    # and clears whatever that raised (CPython's own input), a signal's interrupt included.
    end = time.monotonic() + 30
    while Path(f"/proc/{proc.pid}/wchan").read_text() not in ("wait_woken", "n_tty_read") and time.monotonic() < end:
        time.sleep(0.02)
    proc.send_signal(stop)
    assert proc.wait(timeout=60) == 128 + stop
    said = _read_until(leader, "changed", timeout=5)
    os.close(leader)
    assert f"error: stopped by {stop.name}; nothing was changed" in said and "aborted" not in said, said
    assert dump(base) == before


@LINUX_PROC
def test_sigterm_while_a_pager_shows_the_review_ends_both(demo_db, tmp_path):
    import pty

    leader, follower = pty.openpty()
    pager_env = {**env(), "CASELOAD_PAGER": "sleep 120", "LINES": "5", "TERM": "xterm"}  # a pager that never ends
    proc = subprocess.Popen(command_line(demo_db, "zone-review"), env=pager_env, stdout=follower,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_at_default(signal.SIGTERM))
    os.close(follower)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    end = time.monotonic() + 60
    while not children.read_text().split() and time.monotonic() < end:  # the pager has started
        time.sleep(0.05)
    (shell,) = children.read_text().split()  # sh -c "sleep 120", and the sleep it started
    sleeper = Path(f"/proc/{shell}/task/{shell}/children")
    while not sleeper.read_text().split() and time.monotonic() < end:
        time.sleep(0.05)
    (pager,) = sleeper.read_text().split()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)  # the pager holds stderr too: this ends only when it has gone
    os.close(leader)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert err.strip().endswith("error: stopped by SIGTERM; nothing was changed"), err
    assert not Path(f"/proc/{pager}/cmdline").exists() or not Path(f"/proc/{pager}/cmdline").read_bytes()
