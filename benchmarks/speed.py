"""DESIGN §8's speed targets, each measured against its peer in the same run.

Each row runs a caseload command (A) and its peer (B) in turn, A B A B ..., as whole
processes, and takes the ratio A/B pair by pair, so a machine whose speed drifts during
the run (a shared one) still gives a fair ratio. Figures are medians: CPU seconds (user
+ system of the process, as the operating system accounts them), wall seconds and peak
memory.

| row                                     | A (caseload)                    | B (its peer)                                  | target   |
|-----------------------------------------|---------------------------------|-----------------------------------------------|----------|
| start-up                                | `--version`                     | `python -c "import typer"`                    | <= 1.5x  |
| a read command                          | `zone-review` on the demo       | an empty Typer subcommand                     | <= 1.5x  |
| zone-review at 1,000,000 cases          | `zone-review --format json`     | an empty Typer subcommand + the SQL GROUP BY  | <= 2x    |
|                                         |                                 | of the same loads                             |          |
|   (the same, for reading)               | `zone-review --format json`     | the same command running the SQL of all the   | -        |
|                                         |                                 | row's figures (overdue, stale, new in 30 days)|          |
| export at 1,000,000 cases               | `export cases`                  | `sqlite3 -csv` of the same columns            | <= 1.5x  |
| zone-review, report, export at 50,000   | the command on 500 / 50,000     | the same command on the demo                  | <= 2x    |
| the README's test command (--tests)     | `python -m pytest -q`           | -                                             | <= 120 s |

Run:  python benchmarks/speed.py [--runs 5] [--keep DIR] [--cases 1000000] [--tests]
The 1,000,000-case database is built once by `benchmarks/scale.py`'s builder (through
caseload's store; about a minute) and kept in --keep DIR for the next run.
Run it with the Python of a regular install (`pip install .`, as users install it): an
editable one imports every caseload module through its hook (start-up a few per cent
slower); the first line printed says which one is measured.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import scale  # noqa: E402  (the database builder)
from startup import EMPTY_TYPER  # noqa: E402  (the floor of a Typer command)

from caseload.store.cases import CASE_EXPORT_FIELDS, DERIVED  # noqa: E402  (the export's columns)

ROOT = Path(__file__).resolve().parent.parent
# The peer of `zone-review --format json`: an empty Typer command that runs the plain SQL
# GROUP BY of the loads and prints its rows as JSON.
GROUP_BY_TYPER = """
import json, sqlite3, sys
import typer
app = typer.Typer()
@app.callback()
def main(): pass
@app.command()
def loads(db: str):
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT worker, tier, status, count(*) FROM cases WHERE status IN ('active', 'monitoring') "
                        "GROUP BY worker, tier, status").fetchall()
    sys.stdout.write(json.dumps(rows))
app()
"""
# Beside it, for reading (no target): the same Typer command running the plain SQL of every
# figure a zone review row carries, not only the loads: the open cases by (worker, tier,
# status) with the high-risk count, the overdue reviews, the stale contacts and the
# arrivals of the last 30 days, each a GROUP BY over its covering index (the defaults:
# stale after 21 days, recent 30). What the command spends beyond this is its Python.
SAME_FIGURES_TYPER = GROUP_BY_TYPER.replace(
    "import json, sqlite3, sys", "import json, os, sqlite3, sys\nfrom datetime import date, timedelta").replace(
    """    sys.stdout.write(json.dumps(rows))""", """    today = date.fromisoformat(os.environ["CASELOAD_TODAY"])
    open_ = "status IN ('active', 'monitoring')"
    rows = conn.execute("SELECT worker, tier, status, count(*), sum(risk = 'high') FROM cases "
                        f"WHERE worker IS NOT NULL AND {open_} GROUP BY status, worker, tier").fetchall()
    for sql, day in ((f"SELECT worker, count(*) FROM cases WHERE {open_} AND next_review_on < ? GROUP BY worker", 0),
                     (f"SELECT worker, count(*) FROM cases WHERE {open_} AND COALESCE(last_contact_on, opened_on) < ? "
                      "GROUP BY worker", 21),
                     ("SELECT worker, count(*) FROM history WHERE at >= ? AND kind IN ('assign', 'auto', 'self', "
                      "'reassign', 'handover', 'cover', 'return', 'rebalance') GROUP BY worker", 30)):
        rows += conn.execute(sql, [(today - timedelta(days=day)).isoformat()]).fetchall()
    sys.stdout.write(json.dumps(rows))""")
assert "next_review_on" in SAME_FIGURES_TYPER

# The peer of `export cases`: `sqlite3 -csv` of the same columns, `held_since` read by the
# same SQL (the day its holder took each case, from the history).
EXPORT_SQL = f"SELECT {', '.join(DERIVED.get(f, f) for f in CASE_EXPORT_FIELDS)} FROM cases ORDER BY id"


def run_once(command: list[str], env: dict, stdout) -> tuple[float, float, float]:
    """CPU seconds, wall seconds and peak RSS (MB) of one run of `command`."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def paired(a: list[str], b: list[str], runs: int, env: dict, out: Path) -> dict:
    """A and B in turn (after one warm-up each); medians of each and of the A/B ratios."""
    figures = {"a": [], "b": []}
    for turn in range(runs + 1):
        for name, command in (("a", a), ("b", b)):
            with open(out, "wb") as sink:  # both write the same kind of file
                result = run_once(command, env, sink)
            if turn:
                figures[name].append(result)
    cpu_ratios = [x[0] / y[0] for x, y in zip(figures["a"], figures["b"])]
    wall_ratios = [x[1] / y[1] for x, y in zip(figures["a"], figures["b"])]
    med = {name: [statistics.median(r[i] for r in rows) for i in range(3)] for name, rows in figures.items()}
    return {"a": med["a"], "b": med["b"], "cpu": statistics.median(cpu_ratios),
            "wall": statistics.median(wall_ratios)}


def show(row: str, result: dict, target: float | None) -> None:
    """One row; a row without a target is printed for reading (what a ratio is made of)."""
    (a_cpu, a_wall, a_peak), (b_cpu, b_wall, b_peak) = result["a"], result["b"]
    verdict = "(no target: for reading)" if target is None else \
        f"<= {target:.1f}x  {'ok' if result['cpu'] <= target else 'OVER'}"
    print(f"{row:<44} {a_cpu:7.3f} {a_wall:7.3f} {a_peak:6.0f} | {b_cpu:7.3f} {b_wall:7.3f} {b_peak:6.0f} | "
          f"{result['cpu']:5.2f}x {result['wall']:5.2f}x  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cases", type=int, default=1_000_000, help="Cases of the big database (5,000 workers).")
    parser.add_argument("--keep", type=Path, help="Keep (and reuse) the built databases in this folder.")
    parser.add_argument("--tests", action="store_true", help="Also time the README's test command.")
    options = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        env = scale.environment(folder)
        caseload = [python, "-m", "caseload"]
        demo = folder / "demo.db"
        if not demo.exists():
            subprocess.run([*caseload, "--db", str(demo), "demo"], check=True, capture_output=True, env=env)
        (folder / "empty_typer.py").write_text(EMPTY_TYPER)
        (folder / "group_by_typer.py").write_text(GROUP_BY_TYPER)
        (folder / "same_figures_typer.py").write_text(SAME_FIGURES_TYPER)
        medium = folder / "medium.db"
        big = folder / f"large-{options.cases}.db"
        for db, workers, cases in ((medium, 500, 50_000), (big, 5_000, options.cases)):
            if not db.exists():
                start = time.perf_counter()
                # in a process of its own: a child forked from a parent grown by the build
                # reports the parent's pages in its peak memory (every row read 104 MB)
                subprocess.run([python, "-c", f"import scale; from pathlib import Path; "
                                f"scale.build(Path({str(db)!r}), {workers}, {cases})"],
                               check=True, cwd=Path(__file__).resolve().parent, env=env)
                print(f"built {db.name}: {workers} workers / {cases} cases in {time.perf_counter() - start:.0f} s")
        out = folder / "out"
        where = subprocess.run([python, "-c", "import caseload; print(caseload.__file__)"], capture_output=True,
                               text=True, env=env, cwd=tempfile.gettempdir()).stdout.strip()
        kind = "a regular install" if "site-packages" in where else \
            "an editable install or a checkout: its import hook costs start-up a few per cent; `pip install .` is what users run"
        print(f"caseload from {where} ({kind})")
        typer_version = subprocess.run([python, "-c", "from importlib.metadata import version; print(version('typer'))"],
                                       capture_output=True, text=True, env=env).stdout.strip()
        # the floors are Typer's own start-up: 0.29 and later load pydantic (~0.17 s more) in every command
        print(f"typer {typer_version} (the floors are its start-up)")
        print(f"medians of {options.runs} runs, A and B in turn; ratios A/B taken pair by pair")
        print(f"{'':<44} {'A cpu s':>7} {'wall s':>7} {'MB':>6} | {'B cpu s':>7} {'wall s':>7} {'MB':>6} | "
              f"{'cpu':>6} {'wall':>6}  target")
        rows = [
            ("--version / import typer", [*caseload, "--version"], [python, "-c", "import typer"], 1.5),
            ("zone-review (demo) / empty Typer command", [*caseload, "--db", str(demo), "zone-review"],
             [python, str(folder / "empty_typer.py"), "hello"], 1.5),
            (f"zone-review --format json ({options.cases:,}) / GROUP BY",
             [*caseload, "--db", str(big), "zone-review", "--format", "json"],
             [python, str(folder / "group_by_typer.py"), "loads", str(big)], 2.0),
            ("  the same / the SQL of all its figures",
             [*caseload, "--db", str(big), "zone-review", "--format", "json"],
             [python, str(folder / "same_figures_typer.py"), "loads", str(big)], None),
        ]
        if shutil.which("sqlite3"):
            rows.append((f"export cases ({options.cases:,}) / sqlite3 -csv",
                         [*caseload, "--db", str(big), "export", "cases"],
                         ["sqlite3", "-csv", "-header", str(big), EXPORT_SQL], 1.5))
        else:
            print("(sqlite3 is not installed: the export row is left out)")
        for name in ("zone-review", "report", "export cases"):
            args = {"zone-review": ["zone-review"], "report": ["report", "--format", "html"],
                    "export cases": ["export", "cases"]}[name]
            rows.append((f"{name} (50,000) / the same on the demo", [*caseload, "--db", str(medium), *args],
                         [*caseload, "--db", str(demo), *args], 2.0))
        for row, a, b, target in rows:
            show(row, paired(a, b, options.runs, env, out), target)
        if options.tests:
            start = time.perf_counter()
            done = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                                  capture_output=True, text=True)
            seconds = time.perf_counter() - start
            last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "no output"
            verdict = "ok" if seconds <= 120 and done.returncode == 0 else "OVER"
            print(f"{'the README test command (python -m pytest -q)':<44} {seconds:7.1f} s wall "
                  f"(target <= 120 s) {verdict}: {last}")


if __name__ == "__main__":
    main()
