"""Start-up time of the command line against its floors (DESIGN §8).

Prints the median wall time of each command over N runs, and the ratios the design
sets targets for:
  caseload --version      within 1.5x of `python -c "import typer"`
  caseload zone-review    (demo database) within 1.5x of an empty Typer subcommand

Run:  python benchmarks/startup.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EMPTY_TYPER = """
import typer
app = typer.Typer()
@app.callback()
def main(): pass
@app.command()
def hello(): pass
app()
"""


def median_seconds(command: list[str], runs: int, env: dict) -> float:
    subprocess.run(command, capture_output=True, env=env, check=False)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_CONFIG_HOME=tmp, CASELOAD_TODAY="2026-11-23")
        # As on a user's machine: compiled bytecode is cached after the first run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        demo = Path(tmp) / "demo.db"
        subprocess.run([python, "-m", "caseload", "--db", str(demo), "demo"], capture_output=True, env=env,
                       check=True)
        empty = Path(tmp) / "empty_typer.py"
        empty.write_text(EMPTY_TYPER)
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "import typer": [python, "-c", "import typer"],
            "empty typer subcommand": [python, str(empty), "hello"],
            "caseload --version": [python, "-m", "caseload", "--version"],
            "caseload --help": [python, "-m", "caseload", "--help"],
            "caseload zone-review (demo)": [python, "-m", "caseload", "--db", str(demo), "zone-review"],
        }
        results = {name: median_seconds(cmd, runs, env) for name, cmd in commands.items()}
    print(f"median of {runs} runs each (seconds)")
    for name, seconds in results.items():
        print(f"  {name:<30} {seconds * 1000:8.1f} ms")
    version_ratio = results["caseload --version"] / results["import typer"]
    review_ratio = results["caseload zone-review (demo)"] / results["empty typer subcommand"]
    help_ratio = results["caseload --help"] / results["import typer"]
    print(f"  --version / import typer         {version_ratio:5.2f}x  (target <= 1.5x)")
    print(f"  --help / import typer            {help_ratio:5.2f}x")
    print(f"  zone-review / empty subcommand   {review_ratio:5.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
