"""Taking cases in, as use cases (DESIGN §5, §11): one case from flags, or every row of a
file all or nothing, each in the command's one transaction. The rules, the two passes
over a file and where each case goes are `caseload.app.intake`'s; this module opens the
transaction around them and lets the command show the checked file before it is written.
"""

from __future__ import annotations

from typing import Callable

from caseload.app import intake as intakes
from caseload.store.connection import transaction, write_transaction


def intake_case(db, config, today, actor: str, at: str, draft) -> tuple[str, str, list[str]]:
    """Register one case from a validated draft (`domain.intake.read_draft`) in one write
    transaction: it waits, or goes by hand or by rule as `app.intake.one` says. Returns (the
    new case id, what became of it, the warnings a lead should read)."""
    with write_transaction(db):
        return intakes.one(db, config, today, actor, at, draft)


def intake_file(db, config, today, actor: str, at: str, sheet, auto: bool, dry_run: bool, source: str,
                proceed: Callable[[object, list | None], bool]):
    """Every row of a file (`sheet`, an `app.sheets.Sheet`): checked whole, then written, all
    or nothing, in one transaction (a read snapshot for a dry run): the rows go in as they are
    checked, and come out again if the file turns out bad or the answer is no. `proceed(checked,
    preview)` is called inside it once the file is checked (`preview`: where each row would
    go, for a dry run of at most `PREVIEW_ROWS` rows, else None), to show it and, on a
    terminal, ask: it returns False to write nothing. Returns `app.intake.write_csv`'s
    ImportSummary, or None when nothing was written."""
    with sheet, transaction(db, write=not dry_run):
        checked = intakes.check_csv(db, config, today, actor, sheet, auto, keep=not dry_run, source=source, now=at)
        shown = None
        if dry_run and checked.tally.rows <= intakes.PREVIEW_ROWS:
            shown = intakes.preview(db, config, today, checked.first_rows)
        if not proceed(checked, shown) or dry_run:
            if checked.kept is not None:
                checked.kept.undo()  # the rows already in, taken out: nothing is written
            return None
        return intakes.write_csv(db, config, today, actor, at, checked)
