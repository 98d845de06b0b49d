"""Start-up (DESIGN §8): nothing is built when caseload is imported, `--version` loads no
command, and output for scripts (json, csv, exports) never loads Rich, PyYAML or
sqlite-utils. What a fresh interpreter imports is the point, so each check runs in a
process of its own; the timings themselves are for `benchmarks/speed.py`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import TODAY

# Runs the command line as the `caseload` script does, then prints the modules loaded.
PROBE = """
import json, sys
from caseload.cli import main
sys.argv = ["caseload", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code
sys.stderr.write("\\nMODULES " + json.dumps({"code": code, "modules": sorted(sys.modules)}) + "\\n")
"""


def loaded(*args: str) -> tuple[int, set[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_")}
    env.update({"CASELOAD_TODAY": TODAY, "CASELOAD_USER": "lead"})
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=120)
    report = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    return report["code"], set(report["modules"])


def under(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if m.split(".")[0] in packages}


def test_importing_caseload_builds_nothing():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, caseload.cli as c; "
         "print(hasattr(c, 'app'), sorted(m for m in sys.modules if m.startswith('caseload.commands')))"],
        capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "[]"], done.stderr


def test_version_loads_no_command_and_no_heavy_library():
    code, modules = loaded("--version")
    assert code in (0, None)
    assert not {m for m in modules if m.startswith("caseload.commands.")}
    assert not under(modules, "rich", "yaml", "sqlite_utils", "pydantic")


@pytest.mark.parametrize("args", [
    ("zone-review", "--format", "json"),
    ("zone-review", "--format", "csv"),
    ("report", "--format", "json"),
    ("cases", "--format", "csv"),
    ("export", "cases"),
    ("assign", "--waiting", "--auto", "--dry-run", "--format", "json"),
], ids=" ".join)
def test_output_for_scripts_never_loads_rich_yaml_sqlite_utils_or_pydantic(demo_db, tmp_path, args):
    code, modules = loaded("--db", str(demo_db), *args)
    assert code in (0, None)
    assert not under(modules, "rich", "yaml", "sqlite_utils", "pydantic"), args
    assert {m for m in modules if m.startswith("caseload.commands.")} <= {"caseload.commands", *(
        f"caseload.commands.{name}" for name in ("zones", "reports", "cases", "assign"))}


@pytest.mark.parametrize("args", [
    ("zone-review",),
    ("report",),
    ("forecast",),
    ("worker", "show", "asha"),
    ("cases", "--waiting"),
    ("assign", "--waiting", "--auto", "--dry-run"),
], ids=" ".join)
def test_a_view_for_people_written_to_a_pipe_never_loads_richs_console(demo_db, args):
    """Piped, a view is plain aligned text: Rich's console, tables and text stay unloaded
    (only its small character-width table is read)."""
    code, modules = loaded("--db", str(demo_db), *args)
    assert code in (0, None)
    widths = {m for m in modules if m.startswith("rich._unicode_data")}
    assert under(modules, "rich") - widths <= {"rich", "rich.cells", "rich._extension"}, args
