"""The command line, one module per area a team lead thinks in (DESIGN §7): each command
parses its flags, opens the session, calls ONE use case in `caseload.app` (which opens
the command's one transaction) and hands the result to `caseload.render`, whose
`output` module is the only writer of stdout. No command decides anything, imports the
store, opens a transaction, runs a plan or imports another command. Where a command
shows something before the write commits (a plan to confirm, a report with --record),
the use case calls back into it inside the transaction.

Shared here: the `--format` / `--output` options every listing takes (with the
conventions of DESIGN §5: `--output -` is stdout, the format follows the output's name, a
name that contradicts --format is refused), `--limit`, `-` as standard input for a file
argument, and asking before destructive or bulk changes.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import typer

FormatName = Literal["table", "csv", "json"]

# the format an --output name asks for, by its extension
FORMAT_OF_EXTENSION = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".md": "md", ".html": "html"}
_FORMAT_SEEN = "caseload.format"  # ctx.meta: the --format option and its value, once parsed


def settle_format(written: tuple[str, ...]):
    """The callback of a --format option whose formats are `written`: once --output is
    known too, the format the command runs with (`format_for_output`)."""

    def settle(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
        ctx.meta[_FORMAT_SEEN] = (param, value, written)
        if "output" in ctx.params:
            return format_for_output(ctx, param, value, ctx.params["output"], written)
        return value

    return settle


def settle_output(ctx: typer.Context, param: typer.CallbackParam, value: Optional[Path]) -> Optional[Path]:
    """The callback of --output: `-` is stdout (None); once --format is known too, the
    format is settled (`format_for_output`)."""
    if value is not None and str(value) == "-":
        value = None
    seen = ctx.meta.get(_FORMAT_SEEN)
    if seen is not None:
        fmt_param, fmt, written = seen
        ctx.params[fmt_param.name] = format_for_output(ctx, fmt_param, fmt, value, written)
    return value


def format_for_output(ctx: typer.Context, param: typer.CallbackParam, given: Any, output: Optional[Path],
                      written: tuple[str, ...]) -> Any:
    """The format a command writes (DESIGN §5): --format when given; else the one the
    --output name's extension (.csv .json .xlsx .md .html) asks for, when the command
    writes it; else the command's default. A given --format that the name contradicts
    (`-f csv -o x.json`), or a name asking for a format the command does not write, is
    refused (exit 2), nothing written."""
    from caseload.domain.errors import BadInput

    if output is None:
        return given
    extension = output.suffix.lower()
    named = FORMAT_OF_EXTENSION.get(extension)
    if named is None:
        return given
    source = ctx.get_parameter_source(param.name)
    explicit = source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")
    if explicit and given != named:
        raise BadInput("--format", given, f"contradicts --output {output} (a {extension} file is {named}): "
                                          f"give one of them, or make them agree")
    if named not in written:
        raise BadInput("--output", output, f"is a {extension} file, which this command does not write "
                                           f"(--format {'/'.join(map(str, written))}); choose another name")
    return named


FormatOption = Annotated[FormatName, typer.Option(
    "--format", "-f", callback=settle_format(("table", "csv", "json")),
    help="table for people; csv or json for spreadsheets and scripts (default: from the --output name, else table).",
)]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", metavar="FILE", callback=settle_output,
    help="Write to FILE (created readable by you only) instead of stdout; - is stdout.",
)]
LimitOption = Annotated[Optional[int], typer.Option(
    "--limit", "-n", metavar="N", min=0, help="Only the first N rows.",
)]


def limited(rows: list, limit: Optional[int], what: str = "row(s)") -> list:
    """The first `limit` rows (all without --limit); says on stderr how many were left out."""
    left_out(len(rows), limit, what)
    return rows if limit is None else rows[:limit]


def left_out(total: Optional[int], limit: Optional[int], what: str = "row(s)") -> None:
    """Says on stderr when --limit leaves rows out of the `total` there are."""
    if limit is None or total is None or total <= limit:
        return
    from caseload.render.console import message

    message(f"showing the first {limit} of {total} {what} (--limit)")


@contextlib.contextmanager
def readable_file(path: Optional[Path]):
    """A file argument as a path to read (DESIGN §5): `-` is standard input, kept in a
    private temporary file for as long as the command runs (intake and import read a file
    twice: checked whole, then written), deleted afterwards."""
    if path is None or str(path) != "-":
        yield path
        return
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="caseload-") as folder:  # 0700: a client's name may be in it
        kept = Path(folder) / "stdin"
        with open(kept, "wb") as handle:
            shutil.copyfileobj(sys.stdin.buffer, handle)
        yield kept


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
