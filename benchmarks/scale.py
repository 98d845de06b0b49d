"""Scale (DESIGN §8): databases of 50 workers / 2,000 cases, 500 / 50,000 and
5,000 / 1,000,000 (with history and recorded reviews), and the median wall time and
peak memory (max RSS of the process) of the commands a team lead runs on them.

Targets: zone-review, report and export cases at 500 / 50,000 within 2x of the same
command on the demo database; everything finishes at 5,000 / 1,000,000.

Run:  python benchmarks/scale.py [--sizes small,medium,large] [--runs 3] [--keep DIR]
The large database takes a few minutes to build; it is built directly with SQL
(the commands are what is measured, not the intake).
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
from pathlib import Path

SIZES = {"small": (50, 2_000), "medium": (500, 50_000), "large": (5_000, 1_000_000)}
TODAY = "2026-11-23"
TIERS = ["low", "low", "medium", "medium", "medium", "high", "high", "intensive"]
SKILLS = ["housing", "benefits", "debt", "mental-health", "immigration"]
AREAS = ["north", "south", "east", "west"]


def build(path: Path, workers: int, cases: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    run = [sys.executable, "-m", "caseload", "--db", str(path), "init"]
    subprocess.run(run, check=True, capture_output=True, env=environment(path.parent))
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    now = "2026-01-05T09:00:00+00:00"
    ids = [f"w{i:05d}" for i in range(workers)]
    db.executemany(
        "INSERT INTO workers (id, name, role, fte, skills, languages, area, status, auto, created_at) "
        "VALUES (?, ?, 'worker', ?, ?, 'en', ?, 'active', 1, ?)",
        [(w, f"Worker {i}", rng.choice(["1", "1", "0.8", "0.6", "0.5"]),
          ",".join(sorted(rng.sample(SKILLS, 2))), rng.choice(AREAS), now) for i, w in enumerate(ids)])
    # about 24 open cases a worker, the rest closed; 1 % waiting (at most 2,000)
    waiting = min(cases // 100, 2_000)
    open_count = min(cases - waiting, workers * 24)
    batch = []
    history = []
    for i in range(cases):
        case_id = f"C-{i + 1:07d}"
        opened = f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if opened > TODAY:
            opened = "2026-06-01"
        if i < waiting:
            status, worker = "waiting", None
        elif i < waiting + open_count:
            status, worker = rng.choice(["active", "active", "monitoring"]), rng.choice(ids)
        else:
            status, worker = "closed", rng.choice(ids)
        review = f"2026-{rng.randint(10, 12):02d}-{rng.randint(1, 28):02d}"
        contact = f"2026-{rng.randint(9, 11):02d}-{rng.randint(1, 22):02d}"
        batch.append((case_id, f"Client {i}", rng.choice(TIERS), rng.choice(["low", "medium", "high"]), status,
                      worker, rng.choice(AREAS), opened, review, contact if worker else None,
                      "2026-10-01" if status == "closed" else None, "done" if status == "closed" else None))
        at = f"{opened}T09:00:00+00:00"
        history.append((case_id, None, None, "intake", at))
        if worker:
            history.append((case_id, worker, None, "assign", at))
        if status == "closed":
            history.append((case_id, worker, worker, "close", "2026-10-01T09:00:00+00:00"))
        if len(batch) >= 50_000:
            flush(db, batch, history)
    flush(db, batch, history)
    db.execute("UPDATE sequences SET value = ? WHERE name = 'case'", [cases])
    for week in range(4):
        review_id = db.execute("INSERT INTO zone_reviews (at, on_date, actor) VALUES (?, ?, 'bench')",
                               [f"2026-11-{2 + 7 * week:02d}T18:00:00+00:00", f"2026-11-{2 + 7 * week:02d}"]).lastrowid
        db.executemany("INSERT INTO zone_review_rows VALUES (?, ?, 24, '90', '90', 'green')",
                       [(review_id, w) for w in ids])
    db.commit()
    db.execute("ANALYZE")
    db.close()


def flush(db, batch, history) -> None:
    db.executemany(
        "INSERT INTO cases (id, client, tier, risk, status, worker, area, opened_on, next_review_on, "
        "last_contact_on, closed_on, close_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
    db.executemany("INSERT INTO history (case_id, worker, previous_worker, kind, actor, at) "
                   "VALUES (?, ?, ?, ?, 'bench', ?)", history)
    batch.clear()
    history.clear()


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Keep (and reuse) the built databases in this folder.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        env = environment(folder)
        demo = folder / "demo.db"
        if not demo.exists():
            subprocess.run([sys.executable, "-m", "caseload", "--db", str(demo), "demo"], check=True,
                           capture_output=True, env=env)
        baseline = {name: measure(args, options.runs, env)
                    for name, args in commands(demo, folder).items() if name != "cases --worker"}
        print(f"{'size':<26} {'command':<24} {'median s':>9} {'peak MB':>8} {'vs demo':>8}  exit")
        for name, (seconds, peak, code) in baseline.items():
            print(f"{'demo (8 / ~180)':<26} {name:<24} {seconds:9.3f} {peak:8.1f} {'':>8}  {code}")
        for size in options.sizes.split(","):
            workers, cases = SIZES[size]
            db = folder / f"{size}.db"
            if not db.exists():
                start = time.perf_counter()
                build(db, workers, cases)
                print(f"built {size}: {workers} workers / {cases} cases in {time.perf_counter() - start:.0f} s, "
                      f"{db.stat().st_size / 1e6:.0f} MB")
            runs = options.runs if cases <= 50_000 else max(1, options.runs - 1)
            for name, args in commands(db, folder).items():
                seconds, peak, code = measure(args, runs, env)
                ratio = f"{seconds / baseline[name][0]:7.2f}x" if name in baseline else ""
                print(f"{f'{size} ({workers} / {cases})':<26} {name:<24} {seconds:9.3f} {peak:8.1f} {ratio:>8}  {code}")


if __name__ == "__main__":
    main()
