"""Scale (DESIGN §8): databases of 50 workers / 2,000 cases, 500 / 50,000 and
5,000 / 1,000,000 (with history and recorded reviews), and the median wall time and
peak memory (max RSS of the process) of the commands a team lead runs on them.

Targets: zone-review, report and export cases at 500 / 50,000 within 2x of the same
command on the demo database; everything finishes at 5,000 / 1,000,000.

Run:  python benchmarks/scale.py [--sizes small,medium,large,open] [--runs 3] [--keep DIR]
      python benchmarks/scale.py --memory [--sizes open] [--runs 1] --keep DIR
(`open`: 5,000 workers / 1,000,000 cases, every one open; `--memory`: the peak memory of
the listings that stream, DESIGN §8: `cases` under 100 MB, `report` under 150 MB.
Measured on the 2-core machine: every `cases` format about 40 MB (before it streamed:
table 2,575 MB, csv and json 1,315 MB, --overdue 1,544 MB), report html 99 MB (160),
json 98 MB (116), md 92 MB (104).)
The databases are built through caseload's store (the hash-chained history included, so
`doctor` passes on them) in batches inside one transaction.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SIZES = {"small": (50, 2_000), "medium": (500, 50_000), "large": (5_000, 1_000_000),
         # every case open (all but the waiting pool held): the listings' size (DESIGN §8, listings stream)
         "open": (5_000, 1_000_000)}
ALL_OPEN = {"open"}
TODAY = "2026-11-23"
TIERS = ["low", "low", "medium", "medium", "medium", "high", "high", "intensive"]
SKILLS = ["housing", "benefits", "debt", "mental-health", "immigration"]
AREAS = ["north", "south", "east", "west"]


def build(path: Path, workers: int, cases: int, seed: int = 7, all_open: bool = False) -> None:
    """A team of `workers` and `cases` cases, written through caseload's own store: workers by
    `store.workers.add_worker`, history by the hash-chained batch append of `store.chained` (so
    `doctor` finds the record whole), zone snapshots by `store.zones.record_review_rows`; the
    cases in executemany batches into the schema the migrations made, all in one transaction.
    `all_open`: every case but the waiting pool open (held), none closed."""
    from fractions import Fraction

    from caseload.domain.model import Worker
    from caseload.store.chained import append
    from caseload.store.connection import write_transaction
    from caseload.store.workers import add_worker
    from caseload.store.zones import record_review_rows

    rng = random.Random(seed)
    run = [sys.executable, "-m", "caseload", "--db", str(path), "init"]
    subprocess.run(run, check=True, capture_output=True, env=environment(path.parent))
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")  # a benchmark's scratch file: a crash means building it again
    db.execute("PRAGMA cache_size = -400000")  # 400 MB: the indexes of a million cases stay in memory
    now = "2026-01-05T09:00:00+00:00"
    ids = [f"w{i:05d}" for i in range(workers)]
    # about 24 open cases a worker, the rest closed; 1 % waiting (at most 2,000)
    waiting = min(cases // 100, 2_000)
    open_count = cases - waiting if all_open else min(cases - waiting, workers * 24)
    with write_transaction(db):
        for i, w in enumerate(ids):
            add_worker(db, Worker(w, f"Worker {i}", fte=Fraction(rng.choice(["1", "1", "0.8", "0.6", "0.5"])),
                                  skills=tuple(sorted(rng.sample(SKILLS, 2))), languages=("en",),
                                  area=rng.choice(AREAS)), now)
        opened_days = [f"20{y}-{m:02d}-{d:02d}" for y in range(23, 27) for m in range(1, 13) for d in range(1, 29)]
        opened_days = [min(day, "2026-06-01") if day > TODAY else day for day in opened_days]
        review_days = [f"2026-{m:02d}-{d:02d}" for m in range(10, 13) for d in range(1, 29)]
        contact_days = [f"2026-{m:02d}-{d:02d}" for m in range(9, 12) for d in range(1, 23)]
        for first in range(0, cases, BATCH):
            size = min(BATCH, cases - first)
            batch, history = [], []
            # each column drawn for the whole batch at once: per-row draws cost more than the inserts
            for i, opened, review, contact, tier, risk, area, holder, open_status in zip(
                    range(first, first + size), rng.choices(opened_days, k=size), rng.choices(review_days, k=size),
                    rng.choices(contact_days, k=size), rng.choices(TIERS, k=size),
                    rng.choices(["low", "medium", "high"], k=size), rng.choices(AREAS, k=size),
                    rng.choices(ids, k=size), rng.choices(["active", "active", "monitoring"], k=size)):
                case_id = f"C-{i + 1:07d}"
                if i < waiting:
                    status, worker = "waiting", None
                elif i < waiting + open_count:
                    status, worker = open_status, holder
                else:
                    status, worker = "closed", holder
                closed = status == "closed"
                batch.append((case_id, f"Client {i}", tier, risk, status, worker, area, opened, review,
                              contact if worker else None, "2026-10-01" if closed else None,
                              "done" if closed else None))
                at = f"{opened}T09:00:00+00:00"
                history.append((case_id, None, None, "intake", None, "bench", at))
                if worker:
                    history.append((case_id, worker, None, "assign", None, "bench", at))
                if closed:
                    history.append((case_id, worker, worker, "close", None, "bench", "2026-10-01T09:00:00+00:00"))
            db.executemany(
                "INSERT INTO cases (id, client, tier, risk, status, worker, area, opened_on, next_review_on, "
                "last_contact_on, closed_on, close_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
            append(db, "history", history)
        db.execute("UPDATE sequences SET value = ? WHERE name = 'case'", [cases])
        for week in range(4):
            day = f"2026-11-{2 + 7 * week:02d}"
            record_review_rows(db, [(w, 24, Fraction(90), Fraction(90), "green") for w in ids],
                               date.fromisoformat(day), "bench", f"{day}T18:00:00+00:00")
    db.execute("ANALYZE")
    db.close()


BATCH = 20_000  # cases per executemany (and their history rows per chained append)


def environment(home: Path) -> dict:
    env = dict(os.environ, XDG_CONFIG_HOME=str(home), CASELOAD_TODAY=TODAY, CASELOAD_USER="bench")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(args: list[str], runs: int, env: dict) -> tuple[float, float, int]:
    """Median wall seconds, median peak RSS in MB, and the exit code of the last run."""
    times, peaks, code = [], [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "caseload", *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
    return statistics.median(times), statistics.median(peaks), code


def commands(db: Path, out: Path) -> dict[str, list[str]]:
    first_worker = "w00000"
    return {
        "zone-review": ["--db", str(db), "zone-review"],
        "report": ["--db", str(db), "report", "--format", "html", "--output", str(out / "r.html")],
        "cases --worker": ["--db", str(db), "cases", "--worker", first_worker],
        "export cases": ["--db", str(db), "export", "cases", "--output", str(out / "e.csv")],
        "assign --waiting --auto": ["--db", str(db), "assign", "--waiting", "--auto", "--dry-run"],
        # xlsx (when openpyxl is installed): no 2x target, its time grows with the rows
        **({"export cases xlsx": ["--db", str(db), "export", "cases", "-f", "xlsx", "--output", str(out / "e.xlsx")],
            "report xlsx": ["--db", str(db), "report", "-f", "xlsx", "--output", str(out / "r.xlsx")]}
           if importlib.util.find_spec("openpyxl") else {}),
    }


def listings(db: Path, out: Path) -> dict[str, list[str]]:
    """The listings that stream (DESIGN §8: `cases` under 100 MB at a million open cases,
    `report` under 150 MB), each written to stdout, which is not a terminal here."""
    cases = ["--db", str(db), "cases"]
    return {
        "cases (table piped)": cases,
        "cases csv": [*cases, "-f", "csv"],
        "cases json": [*cases, "-f", "json"],
        "cases --overdue": [*cases, "--overdue"],
        "cases --overdue json": [*cases, "--overdue", "-f", "json"],
        "cases --limit 50": [*cases, "--limit", "50"],
        "report html": ["--db", str(db), "report", "-f", "html"],
        "report json": ["--db", str(db), "report", "-f", "json"],
        "report md": ["--db", str(db), "report", "-f", "md"],
    }


def peak_of(args: list[str], env: dict) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one run of the command, measured by a
    small Python process that runs it and reads its child's ru_maxrss
    (`resource.getrusage(RUSAGE_CHILDREN)`: that process has no other child)."""
    probe = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
             "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)")
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "caseload", *args], env=env,
                          check=True, capture_output=True, text=True)
    seconds, peak_kb, code = done.stdout.split()
    return float(seconds), int(peak_kb) / 1024, int(code)


def memory(folder: Path, sizes: list[str], runs: int, env: dict) -> None:
    """`--memory`: the peak memory (and wall time) of each listing, the median of `runs`."""
    print(f"{'size':<26} {'command':<24} {'median s':>9} {'peak MB':>8}  exit")
    for size in sizes:
        workers, cases = SIZES[size]
        db = folder / f"{size}.db"
        if not db.exists():
            start = time.perf_counter()
            build(db, workers, cases, all_open=size in ALL_OPEN)
            print(f"built {size}: {workers} workers / {cases} cases in {time.perf_counter() - start:.0f} s")
        for name, args in listings(db, folder).items():
            results = [peak_of(args, env) for _ in range(runs)]
            seconds = statistics.median(r[0] for r in results)
            peak = statistics.median(r[1] for r in results)
            print(f"{f'{size} ({workers} / {cases})':<26} {name:<24} {seconds:9.3f} {peak:8.1f}  {results[-1][2]}",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help="Default small,medium,large (with --memory: open).")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Keep (and reuse) the built databases in this folder.")
    parser.add_argument("--memory", action="store_true",
                        help="Peak memory of the listings that stream (default size: open, a million open cases).")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        env = environment(folder)
        if options.memory:
            memory(folder, (options.sizes or "open").split(","), options.runs, env)
            return
        demo = folder / "demo.db"
        if not demo.exists():
            subprocess.run([sys.executable, "-m", "caseload", "--db", str(demo), "demo"], check=True,
                           capture_output=True, env=env)
        baseline = {name: measure(args, options.runs, env)
                    for name, args in commands(demo, folder).items() if name != "cases --worker"}
        print(f"{'size':<26} {'command':<24} {'median s':>9} {'peak MB':>8} {'vs demo':>8}  exit")
        for name, (seconds, peak, code) in baseline.items():
            print(f"{'demo (8 / ~180)':<26} {name:<24} {seconds:9.3f} {peak:8.1f} {'':>8}  {code}")
        for size in (options.sizes or "small,medium,large").split(","):
            workers, cases = SIZES[size]
            db = folder / f"{size}.db"
            if not db.exists():
                start = time.perf_counter()
                build(db, workers, cases, all_open=size in ALL_OPEN)
                print(f"built {size}: {workers} workers / {cases} cases in {time.perf_counter() - start:.0f} s, "
                      f"{db.stat().st_size / 1e6:.0f} MB")
            runs = options.runs if cases <= 50_000 else max(1, options.runs - 1)
            for name, args in commands(db, folder).items():
                seconds, peak, code = measure(args, runs, env)
                ratio = f"{seconds / baseline[name][0]:7.2f}x" if name in baseline else ""
                print(f"{f'{size} ({workers} / {cases})':<26} {name:<24} {seconds:9.3f} {peak:8.1f} {ratio:>8}  {code}")


if __name__ == "__main__":
    main()
