"""Asking before destructive or bulk changes (DESIGN §5): on a terminal the lead is
asked; without one, `--yes` is required, so a script never changes data by accident."""

from __future__ import annotations

import sys


def confirm_or_refuse(question: str, yes: bool) -> None:
    import typer

    from caseload.domain.errors import BadInput, CaseloadError

    if yes:
        return
    if not sys.stdin.isatty():
        raise BadInput("--yes", "", "is needed to make changes without a terminal (nothing was changed)")
    if not typer.confirm(question, default=False, err=True):
        raise CaseloadError("cancelled; nothing was changed")
