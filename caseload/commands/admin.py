"""The database itself: `init` (create it, optionally a commented config), `demo` (the
sample team), `backup FILE` (SQLite's online backup: consistent while others write,
created 0600) and `doctor` (every check of `caseload.app.database.doctor`; exit 1 with the
list, 0 when clean)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def init(
    write_config: Annotated[bool, typer.Option(
        "--write-config", help="Also write a commented config with every key at its default.")] = False,
) -> None:
    """Create the database (0600, WAL) if it does not exist; an existing one is left as it is.

    Example: caseload init --write-config"""
    from caseload.config import EXAMPLE
    from caseload.domain.errors import CaseloadError
    from caseload.render.console import message
    from caseload.files import atomic_text, private_dir
    from caseload.session import current

    s = current()
    if write_config:
        target = s.config_flag or s.app_dir / "config.yaml"
        if target.exists():
            raise CaseloadError(f"{target} already exists: not overwriting it")
        private_dir(target.parent)
        with atomic_text(target, "--config") as handle:
            handle.write(EXAMPLE.read_text(encoding="utf-8"))
        message(f"wrote the config {target}")
    existed = s.db_path.exists()
    s.open(create=True).close()
    message(f"{'database ready' if existed else 'created the database'}: {s.db_path}")


def demo(
    force: Annotated[bool, typer.Option(
        "--force", hidden=True,
        help="Kept for old scripts: a demo database is refilled without it, and no other is replaced with it.")] = False,
) -> None:
    """Fill a database with a realistic sample team and show its zone review.

    Without --db (or CASELOAD_DB) it writes demo.db beside the default database. It
    (re)fills only a new file, an empty caseload database, or a database it made as a
    demo (it marks the file as one); it refuses every other file, the
    team's database included (exit 1, nothing touched), with or without --force.

    Example: caseload demo"""
    from caseload.app.demo import make_demo
    from caseload.domain.sample import build_sample
    from caseload.render.console import message
    from caseload.render.output import print_view
    from caseload.render.review import draw_review
    from caseload.session import current

    s = current()
    path = s.db_flag or s.app_dir / "demo.db"
    team_db = s.using(None).db_path  # the config's database (or the default): never made a demo
    s = s.using(path)
    sample = build_sample(s.config.load, dict(s.config.review_days), s.today)  # a bad config: exit 2 first
    review = make_demo(path, team_db, sample, lambda: s.open(create=True), s.config, s.today, s.now(),
                       lambda: message(f"replaced the demo in {path}"))
    print_view(lambda out: draw_review(out, review), None)
    message(f"\nThe demo team is in {path}. Explore it with, for example:\n"
            f"  caseload --db {path} worker show asha\n"
            f"  caseload --db {path} cases --waiting")


def backup(target: Annotated[Path, typer.Argument(metavar="FILE", help="A new file for the copy.")]) -> None:
    """Copy the database to FILE, consistently, even while others are writing.

    Example: caseload backup ~/backups/caseload-2026-11-23.db"""
    from caseload.app.database import backup as copy
    from caseload.domain.errors import BadInput
    from caseload.render.console import message
    from caseload.session import current

    if str(target) == "-":  # `-` is stdout for --output; a backup is a file kept on record (named after an erasure)
        raise BadInput("FILE", "-", "is not a file: a backup goes to a file of its own, so that it can be named "
                                    "if an erasure later leaves it holding erased text")
    s = current()
    copy(s.open(), target, s.now())
    message(f"backed up {s.db_path} to {target}")


def doctor(
    witness: Annotated[Optional[Path], typer.Option(
        "--witness", metavar="FILE",
        help="Also check against a copy of the chain's head kept elsewhere (a witness file, or the report's head lines).",
    )] = None,
) -> None:
    """Check the database: integrity, foreign keys, schema, triggers, hash chain and witness, permissions, invariants.

    Example: caseload doctor --witness ~/mail/last-report.txt"""
    import sqlite3

    from caseload.domain.errors import Damaged
    from caseload.files import backups_beside
    from caseload.render.console import busy, message
    from caseload.app.database import doctor as check
    from caseload.render.output import write_text
    from caseload.session import current

    s = current()
    notes: tuple[str, ...] = ()
    try:
        with busy(f"checking {s.db_path.name}"):  # a pulsing bar on a terminal: a big database takes seconds
            db = s.open()
            problems, notes = check(db, s.db_path, tuple(s.config.load.tiers), s.witness_path, witness,
                                    backups_beside(s.db_path))
    except sqlite3.OperationalError:
        raise  # busy or unreadable: the error edge says so
    except (sqlite3.DatabaseError, Damaged) as error:
        found = backups_beside(s.db_path)
        where = (f"the newest backup beside it is {found[0]}" if found
                 else "no backup was found beside it: use the newest file you made with `caseload backup`")
        why = "not an SQLite file" if isinstance(error, Damaged) else str(error)
        problems = [f"the database is damaged ({why}): restore it from a backup; {where}"]
    if problems:
        write_text("".join(f"problem: {problem}\n" for problem in problems), None)
    for note in notes:
        message(f"note: {note}")
    if problems:
        message(f"{len(problems)} problem(s) in {s.db_path}")
        raise typer.Exit(1)
    message(f"{s.db_path}: no problems found")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("backup")(backup)
    app.command("doctor")(doctor)
