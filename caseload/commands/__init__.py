"""One module per area of the command line. Each is thin: parse -> domain/store -> render.

Shared here: the `--format` / `--output` options every listing takes, and small
helpers that turn user text into domain values against the session's today.
"""

from __future__ import annotations

from datetime import date
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


def parse_day(text: str | None, field: str) -> date | None:
    """A date flag in any of the accepted forms, relative to the session's today."""
    if text is None:
        return None
    from caseload.cli import session
    from caseload.domain.dates import parse_date

    return parse_date(text, session().today, field)
