"""CSV intake against its peers (DESIGN §8), side by side in one run, as ratios.

For a file of N rows (default 50,000; a team of 50 workers, most rows already held):
  caseload intake --csv FILE --yes      the command, in its own process
  sqlite-utils insert DB cases FILE --csv   the same file into a plain table
  python csv + executemany              the same rows into caseload's own schema: its
                                        indexes, and the intake and assign history rows
                                        with their hash chain (what a hand-written
                                        import would have to do), in one process, with
                                        the connection settings caseload uses (foreign
                                        keys on, the same page cache): the same SQL work
                                        without any of the checking
and the least any intake could cost (start-up + the hash chain alone + the SQL alone, rows
ready in memory, indexes made afresh: no parsing, no checking), and the peak memory
(max RSS) of `intake --csv FILE --dry-run`, at N rows and, with --million, of the dry
run and the intake of 1,000,000 rows (target: under 100 MB, flat in the file's size).

Targets: caseload / sqlite-utils <= 0.67; caseload / executemany <= 1.3 (CPU time of
the process, user + system; medians of --runs). Start-up is included for every peer
that is a process of its own.

Run:  python benchmarks/csv_intake.py [--rows 50000] [--runs 3] [--move-columns] [--million]
                                     [--also OTHER_CHECKOUT]
--also measures another checkout's intake and dry run in the same runs, interleaved (a
before/after on one machine state); the database is built by this checkout.
--move-columns adds next_review, last_contact and held_since to the file (a caseload
moving in); without it the file has only the columns every version of intake takes,
so the same run measures an older checkout (PYTHONPATH=that/checkout).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from startup import EMPTY_TYPER  # noqa: E402  (the floor of a Typer command)

TODAY = "2026-11-23"
TIERS = ["low", "medium", "medium", "high", "intensive"]
AREAS = ["north", "south", "east", "west"]
FIRST = ["Maria", "Ravi", "Zoë", "Kwame", "Łukasz", "Aisha", "Tom", "Hana"]
LAST = ["Nguyen", "Hughes", "Kowalski", "Mensah", "Nowak", "Khan", "Lewis", "Kim"]

EXECUTEMANY = r"""
import csv, sqlite3, sys
from caseload.domain.chain import GENESIS, link
path, db_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path, isolation_level=None)
db.execute("PRAGMA foreign_keys = ON")      # the connection settings every caseload command has,
db.execute("PRAGMA main.cache_size = -24576")  # and the page cache its intake gives itself
db.execute("BEGIN IMMEDIATE")
last = db.execute("SELECT id, hash FROM history ORDER BY id DESC LIMIT 1").fetchone()
hid, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
now = "2026-11-23T09:00:00+00:00"
cases, history = [], []
def flush():
    db.executemany("INSERT INTO cases (id, client, summary, tier, risk, status, needs, language, area, worker, "
                   "opened_on, next_review_on, last_contact_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", cases)
    db.executemany("INSERT INTO history (id, case_id, worker, previous_worker, kind, reason, actor, at, hash) "
                   "VALUES (?,?,?,?,?,?,?,?,?)", history)
    cases.clear(); history.clear()
with open(path, newline="", encoding="utf-8-sig") as f:
    for n, r in enumerate(csv.DictReader(f), start=1):
        cid = r["id"] or f"C-{n:06d}"
        worker = r["worker"] or None
        cases.append((cid, r["client"], r["summary"], r["tier"], r["risk"], "active" if worker else "waiting",
                      r["needs"].replace(";", ","), r["language"] or None, r["area"] or None, worker,
                      r["opened"], r.get("next_review") or None, r.get("last_contact") or None))
        for values in ((cid, None, None, "intake", "imported", "bench", now),) + (
                ((cid, worker, None, "assign", "imported", "bench", (r.get("held_since") or r["opened"]) + "T00:00:00+00:00"),)
                if worker else ()):
            row = (hid, *values)
            previous = link(previous, row)
            history.append((*row, previous))
            hid += 1
        if len(cases) >= 2000:
            flush()
flush()
db.commit()
"""

# The least any intake writing caseload's records could cost, in parts, measured inside one
# process (CPU): the rows are parsed first (not counted), then the hash chain of their
# history rows alone, then the SQL alone with everything ready in memory (the rows into
# cases and history 100 to a statement, find's full-text index filled in one statement
# and the indexes made afresh after them, as caseload's intake does for a big file).
# Start-up is an empty Typer command's, measured as a process. Its history rows carry no
# salt and seal (caseload's do: one more sha256 and 96 more bytes a row).
FLOOR = EXECUTEMANY.replace("import csv, sqlite3, sys", "import csv, json, sqlite3, sys, time").replace(
    'db.execute("BEGIN IMMEDIATE")', "").replace("            previous = link(previous, row)\n", "").replace(
    "            history.append((*row, previous))", "            history.append(row)").replace(
    "        if len(cases) >= 2000:\n            flush()\n", "").replace("flush()\ndb.commit()\n", """
start = time.process_time()
hashed = []
for row in history:
    previous = link(previous, row)
    hashed.append((*row, previous))
hashing = time.process_time() - start
start = time.process_time()
db.execute("BEGIN IMMEDIATE")
indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'history') "
                     "AND sql IS NOT NULL").fetchall()
for name, _ in indexes:
    db.execute(f"DROP INDEX {name}")
words = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cases_ai'").fetchone()[0]
db.execute("DROP TRIGGER cases_ai")
history[:] = hashed
def many(one, rows, width):  # 100 rows to a statement, as caseload writes them: cheaper than executemany
    whole = len(rows) - len(rows) % 100
    hundred = one + (", (" + ", ".join("?" * width) + ")") * 99
    for start in range(0, whole, 100):
        db.execute(hundred, [v for row in rows[start:start + 100] for v in row])
    db.executemany(one, rows[whole:])
many("INSERT INTO cases (id, client, summary, tier, risk, status, needs, language, area, worker, opened_on, "
     "next_review_on, last_contact_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", cases, 13)
many("INSERT INTO history (id, case_id, worker, previous_worker, kind, reason, actor, at, hash) "
     "VALUES (?,?,?,?,?,?,?,?,?)", history, 9)
db.execute("INSERT INTO cases_fts (rowid, client, summary) SELECT rowid, client, summary FROM cases")  # find's words
db.execute(words)
for _, sql in indexes:
    db.execute(sql)
db.commit()
print(json.dumps({"hashing": hashing, "sql": time.process_time() - start}))
""")
assert "hashing" in FLOOR and "previous = link(previous, row)\n            history.append" not in FLOOR


def write_file(path: Path, rows: int, workers: list[str], move_columns: bool, seed: int = 7) -> None:
    rng = random.Random(seed)
    columns = ["client", "id", "summary", "tier", "risk", "needs", "language", "area", "opened", "worker"]
    if move_columns:
        columns += ["next_review", "last_contact", "held_since"]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(columns) + "\r\n")
        for i in range(rows):
            opened = f"20{rng.randint(23, 26)}-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
            worker = rng.choice(workers) if rng.random() < 0.9 else ""
            cells = [f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}", f"REF-{i:07d}" if i % 3 == 0 else "",
                     '"Rent arrears, eviction notice"' if i % 5 == 0 else "Benefits appeal", rng.choice(TIERS),
                     rng.choice(["low", "medium", "high"]), "housing;debt" if i % 4 == 0 else "",
                     "pl" if i % 7 == 0 else "", rng.choice(AREAS), opened, worker]
            if move_columns:
                cells += [f"2026-{rng.randint(10, 12):02d}-{rng.randint(1, 28):02d}",
                          f"2026-{rng.randint(9, 11):02d}-{rng.randint(1, 22):02d}" if worker else "",
                          opened if worker else ""]
            out.write(",".join(cells) + "\r\n")


def environment(home: Path) -> dict:
    return dict(os.environ, XDG_CONFIG_HOME=str(home), CASELOAD_TODAY=TODAY, CASELOAD_USER="bench")


def measure(command: list[str], env: dict) -> tuple[float, float, int]:
    """(CPU seconds user + system, peak RSS in MB, exit code) of one run."""
    # Run from a neutral folder: `python -m caseload` must not pick up a checkout from the cwd.
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(command)}\n{proc.stderr.read().decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def caseload(*args: str) -> list[str]:
    return [sys.executable, "-m", "caseload", *args]


def base_database(folder: Path, env: dict, workers: list[str]) -> Path:
    base = folder / "base.db"
    subprocess.run(caseload("--db", str(base), "init"), check=True, capture_output=True, env=env)
    for i, w in enumerate(workers):  # `worker add` works on every version; the team is small
        subprocess.run(caseload("--db", str(base), "worker", "add", w, "--name", f"Worker {i}", "--fte", "1",
                                "--skills", "housing,debt", "--languages", "en,pl"),
                       check=True, capture_output=True, env=env)
    return base


def fresh(base: Path, name: str) -> Path:
    target = base.parent / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(base, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--move-columns", action="store_true")
    parser.add_argument("--million", action="store_true", help="Also the peak memory of a 1,000,000-row dry run and intake.")
    parser.add_argument("--also", type=Path, help="Another checkout of caseload, measured in the same runs.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = environment(folder)
        workers = [f"w{i:03d}" for i in range(50)]
        base = base_database(folder, env, workers)
        data = folder / "cases.csv"
        write_file(data, options.rows, workers, options.move_columns)
        sqlite_utils = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
        results: dict[str, list[tuple[float, float]]] = {"caseload": [], "sqlite-utils": [], "executemany": [],
                                                         "dry run": []}
        for _ in range(options.runs):
            db = fresh(base, "run.db")
            results["caseload"].append(measure(caseload("--db", str(db), "intake", "--csv", str(data), "--yes"),
                                               env)[:2])
            plain = folder / "plain.db"
            plain.unlink(missing_ok=True)
            results["sqlite-utils"].append(measure([sqlite_utils, "insert", str(plain), "cases", str(data), "--csv"],
                                                   env)[:2])
            db = fresh(base, "many.db")
            results["executemany"].append(measure([sys.executable, "-c", EXECUTEMANY, str(data), str(db)], env)[:2])
            db = fresh(base, "dry.db")
            results["dry run"].append(measure(caseload("--db", str(db), "intake", "--csv", str(data), "--dry-run"),
                                              env)[:2])
            if options.also:
                other = dict(env, PYTHONPATH=str(options.also.resolve()))
                db = fresh(base, "also.db")
                results.setdefault("also", []).append(
                    measure(caseload("--db", str(db), "intake", "--csv", str(data), "--yes"), other)[:2])
                db = fresh(base, "also-dry.db")
                results.setdefault("also dry run", []).append(
                    measure(caseload("--db", str(db), "intake", "--csv", str(data), "--dry-run"), other)[:2])
        floors = []
        for _ in range(options.runs):
            db = fresh(base, "floor.db")
            done = subprocess.run([sys.executable, "-c", FLOOR, str(data), str(db)], capture_output=True, text=True,
                                  env=env, check=True, cwd=tempfile.gettempdir())
            floors.append(json.loads(done.stdout))
            (folder / "empty_typer.py").write_text(EMPTY_TYPER)
            results.setdefault("start-up", []).append(
                measure([sys.executable, str(folder / "empty_typer.py"), "hello"], env)[:2])
        cpu = {name: statistics.median(r[0] for r in runs) for name, runs in results.items()}
        peak = {name: statistics.median(r[1] for r in runs) for name, runs in results.items()}
        print(f"CSV intake of {options.rows:,} rows ({'with' if options.move_columns else 'without'} the move's "
              f"columns), medians of {options.runs} runs, CPU seconds (user + system)")
        print(f"{'what':<44} {'CPU s':>7} {'rows/s':>9} {'peak MB':>8}")
        labels = {"caseload": "caseload intake --csv --yes", "sqlite-utils": "sqlite-utils insert (plain table)",
                  "executemany": "python csv + executemany (caseload schema)",
                  "dry run": "caseload intake --csv --dry-run"}
        if options.also:
            labels.update({"also": f"  {options.also.name}: intake --csv --yes", "also dry run":
                           f"  {options.also.name}: intake --csv --dry-run"})
        for name, label in labels.items():
            print(f"{label:<44} {cpu[name]:7.2f} {options.rows / cpu[name]:9,.0f} {peak[name]:8.1f}")
        print(f"caseload / sqlite-utils: {cpu['caseload'] / cpu['sqlite-utils']:.2f}x CPU "
              f"(target <= 0.67), {peak['caseload'] / peak['sqlite-utils']:.2f}x memory")
        print(f"caseload / executemany:  {cpu['caseload'] / cpu['executemany']:.2f}x CPU (target <= 1.3)")
        hashing, sql = (statistics.median(f[part] for f in floors) for part in ("hashing", "sql"))
        least = cpu["start-up"] + hashing + sql
        print(f"the least any intake of these records costs, with no parsing and no checking: start-up "
              f"{cpu['start-up']:.2f} s (an empty Typer command) + hash chain {hashing:.2f} s + SQL {sql:.2f} s "
              f"(rows ready, indexes made afresh) = {least:.2f} s, {least / cpu['sqlite-utils']:.2f}x sqlite-utils")
        if options.also:
            print(f"{options.also.name}: / sqlite-utils {cpu['also'] / cpu['sqlite-utils']:.2f}x, / executemany "
                  f"{cpu['also'] / cpu['executemany']:.2f}x; this checkout's intake takes "
                  f"{cpu['caseload'] / cpu['also']:.2f}x its time, dry run {cpu['dry run'] / cpu['also dry run']:.2f}x")
        if options.million:
            big = folder / "million.csv"
            write_file(big, 1_000_000, workers, options.move_columns)
            seconds, mb, _ = measure(caseload("--db", str(fresh(base, "big.db")), "intake", "--csv", str(big),
                                              "--dry-run"), env)
            print(f"dry run of 1,000,000 rows: {seconds:.1f} s CPU, peak {mb:.0f} MB (target < 100 MB)")
            seconds, mb, _ = measure(caseload("--db", str(fresh(base, "big.db")), "intake", "--csv", str(big),
                                              "--yes"), env)
            print(f"intake of 1,000,000 rows: {seconds:.1f} s CPU, peak {mb:.0f} MB (target < 100 MB)")


if __name__ == "__main__":
    main()
