"""`init` (create the database, optionally a commented config) and `demo` (the sample team)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    write_config: Annotated[bool, typer.Option(
        "--write-config", help="Also write a commented config with every key at its default.")] = False,
) -> None:
    """Create the database (0600, WAL) if it does not exist; an existing one is left as it is."""
    from caseload.cli import session
    from caseload.config import EXAMPLE
    from caseload.domain.errors import CaseloadError
    from caseload.render import message, open_private

    s = session()
    if write_config:
        target = s.config_flag or Path(typer.get_app_dir("caseload")) / "config.yaml"
        if target.exists():
            raise CaseloadError(f"{target} already exists: not overwriting it")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open_private(target) as handle:
            handle.write(EXAMPLE.read_text(encoding="utf-8"))
        message(f"wrote the config {target}")
    existed = s.db_path.exists()
    s.open(create=True).close()
    message(f"{'database ready' if existed else 'created the database'}: {s.db_path}")


def demo(
    force: Annotated[bool, typer.Option("--force", help="Replace a database that already has data.")] = False,
) -> None:
    """Fill a database with a realistic sample team and show its zone review.

    Without --db (or CASELOAD_DB) it writes demo.db beside the default database,
    never the team's real one, and rebuilds it fresh on every run. A database named
    with --db that already has data is refused unless --force.
    """
    from caseload.cli import session
    from caseload.commands.zones import gather_review, print_review
    from caseload.domain.errors import CaseloadError
    from caseload.domain.sample import build_sample
    from caseload.render import message
    from caseload.store.admin import has_data
    from caseload.store.connection import read_snapshot, write_transaction

    s = session()
    named = s.db_flag  # a file the lead named: never replaced without --force
    path = named or s.app_dir / "demo.db"
    s = s.using(path)
    sample = build_sample(s.config.load, dict(s.config.review_days), s.today)
    if path.exists():
        db = s.open()
        filled = has_data(db)
        db.close()
        if filled and not force and named is not None:
            raise CaseloadError(f"{path} already has data: give --force to replace it with the demo team")
        if filled:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            message(f"replaced {path}")
    db = s.open(create=True)
    with write_transaction(db):
        _load_sample(db, sample, s.now())
    with read_snapshot(db):
        review = gather_review(db, s, s.today)
    print_review(review)
    message(f"\nThe demo team is in {path}. Explore it with, for example:\n"
            f"  caseload --db {path} worker show asha\n"
            f"  caseload --db {path} cases --waiting")


def _load_sample(db, sample, now: str) -> None:
    from caseload.store.cases import insert_case, set_case_sequence
    from caseload.store.history import Change, record
    from caseload.store.workers import add_absence, add_reduction, add_worker

    for worker in sample.workers:
        add_worker(db, worker, now)
    for reduction in sample.reductions:
        add_reduction(db, reduction, now)
    for absence in sample.absences:
        add_absence(db, absence, now)
    for case in sample.cases:
        insert_case(db, case)
    for event in sorted(sample.events, key=lambda e: (e.on, e.case)):
        record(db, Change(event.case, event.worker, event.previous, event.kind, event.reason), "demo",
               f"{event.on.isoformat()}T09:00:00+00:00")
    set_case_sequence(db, len(sample.cases))
    from caseload.store.zones import record_review_rows

    for day, rows in sample.reviews:
        record_review_rows(db, rows, day, "demo", f"{day.isoformat()}T18:00:00+00:00")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
