"""The command line, one module per area a team lead thinks in (DESIGN §7): each command
parses its flags, opens the session, calls ONE use case in `caseload.app` (which opens
the command's one transaction) and hands the result to `caseload.render`, whose
`output` module is the only writer of stdout. No command decides anything, imports the
store, opens a transaction, runs a plan or imports another command. Where a command
shows something before the write commits (a plan to confirm, a report with --record),
the use case calls back into it inside the transaction.

Shared here: the `--format` / `--output` options every listing takes, and asking
before destructive or bulk changes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

FormatName = Literal["table", "csv", "json"]

FormatOption = Annotated[FormatName, typer.Option(
    "--format", "-f", help="table for people; csv or json for spreadsheets and scripts.",
)]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", metavar="FILE", help="Write to FILE (created readable by you only) instead of stdout.",
)]


def confirm_or_refuse(question: str, yes: bool) -> None:
    """Destructive or bulk changes (DESIGN §5): on a terminal the lead is asked; without one,
    `--yes` is required, so a script never changes data by accident."""
    from caseload.domain.errors import BadInput, CaseloadError

    if yes:
        return
    if not sys.stdin.isatty():
        raise BadInput("--yes", "", "is needed to make changes without a terminal (nothing was changed)")
    if not typer.confirm(question, default=False, err=True):
        raise CaseloadError("cancelled; nothing was changed")
