"""The data protection lifecycle (DESIGN §6): `retention` (anonymise the cases closed
longer ago than `retention.closed_after`) and `erase CASE --reason` (one case, on request).
`export client CASE` (subject access) is a form of `export` (commands/reports.py). Each
command parses, calls one use case of `caseload.app.privacy`, and renders."""

from __future__ import annotations

from typing import Annotated

import typer

from caseload.commands import FormatOption, OutputOption, confirm_or_refuse


def retention(
    apply: Annotated[bool, typer.Option("--apply", help="Anonymise now.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what is due (the default).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed with --apply without a terminal).")] = False,
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List (or with --apply anonymise) the cases closed before the retention cut-off.

    Their client becomes `erased`; summary, notes and reasons are erased; ids, tiers,
    risks, dates and workers stay, so past zones and throughput stay true.

    Example: caseload retention --apply --yes"""
    from caseload.app.privacy import retention as plan_retention
    from caseload.render import documents
    from caseload.render.console import message, new_table, warning
    from caseload.render.output import output as write
    from caseload.session import current

    if apply and dry_run:
        from caseload.domain.errors import BadInput

        raise BadInput("--dry-run", "", "contradicts --apply: give one of them")
    s = current()
    period = s.config.retention_after
    db = s.open()
    if period is None:
        message("retention is off: set retention.closed_after in the config (e.g. 6y) to anonymise old closed cases")
        return
    found = plan_retention(db, period, s.today, False, s.actor, s.now())
    if apply and found.due:
        confirm_or_refuse(f"Anonymise {len(found.due)} closed case(s)? This cannot be undone.", yes)
        found = plan_retention(db, period, s.today, True, s.actor, s.now())

    def table():
        listing = new_table("case", "closed on", title=f"Closed before {found.cut} (retention {period})")
        for case_id, closed_on in found.due:
            listing.add_row(case_id, closed_on)
        return listing

    write(format_, output, documents.retention_rows(found.due), documents.RETENTION_COLUMNS, table=table)
    verb = "anonymised" if found.applied else "due (run with --apply --yes to anonymise them)"
    message(f"{len(found.due)} case(s) closed before {found.cut} {verb}" if found.due
            else f"no case closed before {found.cut} is left to anonymise")
    _after_erasure(found.checkpointed, found.older_backups, warning)


def erase(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded; must not name the client).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed without a terminal).")] = False,
) -> None:
    """Erase a case's personal data now (an open case is closed first, with the reason).

    Example: caseload erase C-0142 --reason "request of 3 March (ref SAR-12)" --yes"""
    from caseload.app.privacy import erase as erase_case
    from caseload.domain import fields
    from caseload.render.console import message, warning
    from caseload.session import current

    why = fields.text(reason, "--reason", required=True)
    s = current()
    db = s.open()
    confirm_or_refuse(f"Erase the personal data of {case_id}? This cannot be undone.", yes)
    done = erase_case(db, case_id, why, s.today, s.actor, s.now())
    message(f"erased {done.case}" + (" (closed first)" if done.closed_now else ""))
    _after_erasure(done.checkpointed, done.older_backups, warning)


def _after_erasure(checkpointed: bool, older_backups, warning) -> None:
    if not checkpointed:
        warning("another program is reading the database: the erased text may stay in the database file until "
                "that program stops; `caseload doctor` then writes it out and says whether any remains")
    for path in older_backups:
        warning(f"{path} was made before this erasure and still holds the erased text: delete it when it is "
                "no longer needed")


def register(app: typer.Typer) -> None:
    app.command("retention")(retention)
    app.command("erase")(erase)
