"""`backup FILE` (SQLite's online backup: consistent while others write, created 0600)
and `doctor` (every check of caseload.store.doctor; exit 1 with the list, 0 when clean)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def backup(target: Annotated[Path, typer.Argument(metavar="FILE", help="A new file for the copy.")]) -> None:
    """Copy the database to FILE, consistently, even while others are writing."""
    from caseload.cli import session
    from caseload.render import message
    from caseload.store.connection import backup_to

    s = session()
    db = s.open()
    backup_to(db, target)
    message(f"backed up {s.db_path} to {target}")


def doctor() -> None:
    """Check the database: integrity, foreign keys, schema, triggers, permissions, invariants."""
    from caseload.cli import session
    from caseload.render import message
    from caseload.store.doctor import check

    s = session()
    db = s.open()
    problems = check(db, s.db_path, tuple(s.config.load.tiers))
    for problem in problems:
        typer.echo(f"problem: {problem}")
    if problems:
        message(f"{len(problems)} problem(s) in {s.db_path}")
        raise typer.Exit(1)
    message(f"{s.db_path}: no problems found")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("doctor")(doctor)
