"""The house rules of DESIGN §7, read off the source tree, so that a later change that
breaks one fails here with the file and line, not months later in a review.

- a command parses, calls a use case and renders: no module of `commands/` imports
  `store/`, another command module, or writes to stdout itself;
- `domain/` imports nothing of caseload but `domain/`; `app/` never imports `render/`,
  `commands/` or the CLI; `store/` never imports `app/`, `render/` or `commands/`;
- imports inside functions only at the Typer edge (`cli.py`, `commands/`), and for the
  optional openpyxl; never in `app/`, `domain/` or `store/`;
- no private API of the standard library or of a dependency (`json.encoder.c_make_encoder`,
  `typer.testing._get_command`, ...), in the package, the tests or the benchmarks;
- modules stay under ~400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "caseload"
MAX_LINES = 400
# Imported only when needed, for start-up: openpyxl when a workbook is read or written,
# sqlite_utils (about 140 ms to import) when a file is created or upgraded.
OPTIONAL = {"openpyxl", "sqlite_utils"}


def modules(folder: str = "") -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def imported(tree: ast.AST):
    """(node, module name, inside a function?) for every import in a module."""
    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child, alias.name, in_function
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child, child.module, in_function
                for alias in child.names:  # `from caseload import store` imports caseload.store
                    yield child, f"{child.module}.{alias.name}", in_function
            yield from walk(child, inner)

    yield from walk(tree, False)


def where(path: Path, node: ast.AST) -> str:
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"{shown}:{node.lineno}"


def parsed(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def layer_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "caseload" else None


@pytest.mark.parametrize("folder, forbidden", [
    ("commands", {"store"}),
    ("domain", {"store", "app", "render", "commands", "cli", "session", "config", "files"}),
    ("app", {"render", "commands", "cli"}),
    ("store", {"app", "render", "commands", "cli"}),
])
def test_each_layer_imports_only_what_it_may(folder, forbidden):
    found = {where(path, node): f"imports {name}"  # one line per import statement
             for path in modules(folder) for node, name, _ in imported(parsed(path))
             if layer_of(name) in forbidden}
    assert not found, "\n".join(f"{at} {what}" for at, what in found.items())


def test_no_command_imports_another_command():
    found = []
    for path in modules("commands"):
        for node, name, _ in imported(parsed(path)):
            parts = name.split(".")
            # `from caseload.commands import FormatOption` is the package's shared options, not a command
            if parts[:2] == ["caseload", "commands"] and len(parts) > 2 and (PACKAGE / "commands" / f"{parts[2]}.py").exists():
                if parts[2] != path.stem:
                    found.append(f"{where(path, node)} imports {name}")
    assert not found, "\n".join(found)


def test_commands_write_only_through_the_output_path():
    """stdout belongs to render/output.py (and the console messages of render/console.py)."""
    found = []
    for path in modules("commands"):
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else (
                    ast.unparse(func) if isinstance(func, ast.Attribute) else "")
                if name in {"print", "typer.echo", "sys.stdout.write", "click.echo"}:
                    found.append(f"{where(path, node)} calls {name}")
    assert not found, "\n".join(found)


def test_imports_inside_functions_only_at_the_edge():
    found = {where(path, node): f"imports {name} inside a function"
             for folder in ("app", "domain", "store")
             for path in modules(folder) for node, name, inner in imported(parsed(path))
             if inner and name.split(".")[0] not in OPTIONAL}
    assert not found, "\n".join(f"{at} {what}" for at, what in found.items())


def _private_uses(path: Path) -> list[str]:
    """Names starting with `_` taken from a module that is not ours: `from json import _x`,
    `import a._b`, `typer.testing._get_command`, `json.encoder.c_make_encoder` (C accelerators
    the standard library keeps for itself)."""
    tree = parsed(path)
    foreign: set[str] = set()
    found = []
    for node, name, _ in imported(tree):
        top = name.split(".")[0]
        if top in {"caseload", "tests", "conftest"} or top.startswith("test_"):
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                foreign.add(alias.asname or alias.name.split(".")[0])
        if any(part.startswith("_") and not part.startswith("__") for part in name.split(".")):
            found.append(f"{where(path, node)} imports {name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain, base = [node.attr], node.value
            while isinstance(base, ast.Attribute):
                chain.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id in foreign:
                private = [a for a in chain if (a.startswith("_") and not a.startswith("__")) or a.startswith("c_make")]
                if private:
                    found.append(f"{where(path, node)} uses {ast.unparse(node)}")
    return found


def test_no_private_api_of_the_standard_library_or_a_dependency():
    files = modules() + sorted((ROOT / "tests").glob("*.py")) + sorted((ROOT / "benchmarks").glob("*.py"))
    found = [use for path in files for use in _private_uses(path)]
    assert not found, "\n".join(found)


def test_modules_stay_small():
    found = [f"{path.relative_to(ROOT)}: {count} lines" for path in modules()
             if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not found, "\n".join(found)


def test_the_rules_catch_what_they_are_for(tmp_path):
    """The checks above find what they look for (so a green run means something)."""
    bad = tmp_path / "bad.py"
    bad.write_text("import typer.testing\nimport json\n"
                   "x = typer.testing._get_command\ny = json.encoder.c_make_encoder\n"
                   "def f():\n    from caseload.store import cases\n", encoding="utf-8")
    uses = _private_uses(bad)
    assert any("_get_command" in u for u in uses) and any("c_make_encoder" in u for u in uses)
    inner = [(name, inside) for _, name, inside in imported(parsed(bad))]
    assert ("caseload.store", True) in inner and ("json", False) in inner
