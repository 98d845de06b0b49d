"""The one output path (DESIGN §5): every listing, plan, document and export is written
by `output()`, as a table, CSV or JSON, to stdout or to a private file (`--output`), and
exports and the report also as an Excel workbook (`render.xlsx`, only to a file).

- Tables and data go to stdout; messages go to stderr (`console.message`).
- A file written with `--output` is created 0600 whatever the umask, in a temporary
  file renamed into place when whole; what may not be written over is refused first
  (`caseload.files`).
- CSV and JSON rows are streamed as they come, so an export of a million cases never
  sits in memory whole; a row may be a dict (keyed by the columns) or a tuple of cells
  already in column order, and CSV rows may come as text a query wrote (`CsvText`, the
  hot path of big exports).
- An export file in CSV (`excel=True`) starts with a UTF-8 byte-order mark and uses
  CRLF, so Excel and LibreOffice read names such as Zoë intact.
- JSON is written by `json` (`json.dumps`'s encoder, no private part of it). The layout is
  decided here: a listing is a list with one compact row a line; a document (the zone
  review, the report, a plan, a worker, a case) has its objects indented by two spaces and
  each item of its lists (its rows) compact on one line of its own. `json.dumps(indent=2)`
  written all through cost `zone-review --format json` 17% more at 200,000 cases / 5,000
  workers (0.75 s against 0.67 s of CPU, paired runs), past DESIGN §8's 2x of its floor;
  this layout costs what the listing rows cost.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import operator
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from caseload.encodings import holds_every_character
from caseload.render.numbers import csv_cell, to_json_value

# json.dumps(value, ensure_ascii=False, default=to_json_value), with one encoder for every
# row rather than a new one per call (a zone review of 5,000 workers writes 5,000 rows)
_compact = json.JSONEncoder(ensure_ascii=False, default=to_json_value).encode
# the same, every character past ASCII as a \\u escape: JSON for a stdout whose encoding
# cannot hold every character (cp1252, a Windows console), where the text stays whole
_ascii = json.JSONEncoder(ensure_ascii=True, default=to_json_value).encode


def _json_encoder(path: Path | None) -> Callable[[Any], str]:
    """The row encoder for `path` (None: stdout): escapes on a stdout that is not UTF-8."""
    if path is None and not holds_every_character(getattr(sys.stdout, "encoding", None)):
        return _ascii
    return _compact


def json_text(document: Any, encode: Callable[[Any], str] = _compact) -> str:
    """A document as JSON for people and scripts: its objects indented by two spaces, as
    `json.dumps(indent=2)` writes them, but each item of a list on one line of its own,
    written compactly (a row of the zone review, a case, a move), as the listings write
    their rows. The same values as `json.dumps(document, indent=2)`, in a third of the
    time: indenting every row of a 5,000-worker zone review doubled the cost of writing it
    (DESIGN §8: `zone-review --format json` at a million cases within 2x of its floor)."""
    return "".join(json_chunks(document, encode))


def json_chunks(document: Any, encode: Callable[[Any], str] = _compact) -> Iterator[str]:
    """`json_text` in pieces, a row at a time, for a document too big to hold twice (the
    report of a team of 5,000): written as they come (`write_parts`)."""
    yield from _layout(document, "\n", encode)
    yield "\n"


def _layout(value: Any, newline: str, encode: Callable[[Any], str] = _compact) -> Iterator[str]:
    """`value` on the line `newline` (line break and indentation) begins: a dict with text
    keys indented, a list one item a line, everything else (a list's items included) by
    `_compact`."""
    if isinstance(value, dict) and value and all(type(key) is str for key in value):
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            yield separator + encode(key) + ": "
            yield from _layout(item, inner, encode)
            separator = "," + inner
        yield newline + "}"
    elif isinstance(value, (list, tuple)) and value:
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            yield separator + encode(item)
            separator = "," + inner
        yield newline + "]"
    else:
        yield encode(value)


@contextlib.contextmanager
def destination(path: Path | None):
    """Where a command writes its data: stdout, or a private file that appears whole or
    not at all, never over a link, a device, the database or any SQLite file
    (`caseload.files.atomic_text`). Stdout is flushed on the way out: what a command
    writes has left it before the command's transaction commits, so a full disk or a
    closed pipe fails the command (one line, exit 1), not Python's own exit (exit 120, and
    a record stored for output nobody got)."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    from caseload.files import atomic_text

    with atomic_text(path) as handle:
        yield handle


def _wrote(path: Path | None, count: int | None = None) -> None:
    if path is not None:
        from caseload.render.console import message

        message(f"wrote {count} row(s) to {path}" if count is not None else f"wrote {path}")


def write_text(text: str, path: Path | None) -> None:
    """A whole page (a report, a document) to stdout or a private file."""
    write_parts((text,), path)


def write_parts(parts: Iterable[str], path: Path | None) -> None:
    """A whole page (a report) written a part at a time, as `parts` makes them: never the
    page whole in memory."""
    with destination(path) as handle:
        for part in parts:
            handle.write(part)
    _wrote(path)


class CsvText:
    """Rows a query has already written as CSV text (the hot path of big exports,
    `store.cases.iter_case_export_csv`): `chunks(line_end)` gives (text, rows) pairs, each
    text whole lines ending in `line_end`. `output()` writes the header and the texts as
    they are; only CSV takes them."""

    def __init__(self, chunks: Callable[[str], Iterable[tuple[str, int]]]):
        self.chunks = chunks


class Rows:
    """Rows shaped one at a time from `source`, afresh each time they are read: a listing
    that streams (`cases`), whose source runs its query again, so a plain table can read
    them once for its widths and once to write them."""

    def __init__(self, source: Iterable[Any], shape: Callable[[Any], Any]):
        self.source, self.shape = source, shape

    def __iter__(self) -> Iterator[Any]:
        return map(self.shape, self.source)


def _csv_rows(rows: Iterable[Any], columns: Sequence[str]) -> Iterator[Any]:
    """The rows as CSV cells. Rows that are tuples are cells already: when the first is,
    the rest go to the csv writer untouched, with no Python step per row."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return iter(())
    if isinstance(first, tuple):
        return itertools.chain((first,), rows)
    return (row if isinstance(row, tuple) else [csv_cell(row.get(column)) for column in columns]
            for row in itertools.chain((first,), rows))


class _LineFeeds:
    """The csv writer's target on stdout: it writes each row with CRLF, so that it quotes
    a cell holding a bare CR as well as one holding a LF (the writer quotes only the
    characters of its own line ending), and each row's CRLF becomes LF here (the writer
    writes a row, its ending last, in one call)."""

    def __init__(self, handle):
        self._write = handle.write

    def write(self, line: str) -> int:
        return self._write(line[:-2] + "\n")


def _stream_csv(rows: Iterable[Any], columns: Sequence[str], path: Path | None, excel: bool) -> int:
    """CSV lines end in CRLF in an export file (`excel`), else in LF; a cell holding a
    comma, a quote, a CR or a LF is quoted either way."""
    crlf = excel and path is not None
    with destination(path) as handle:
        if crlf:
            handle.write("\ufeff")
        writer = csv.writer(handle if crlf else _LineFeeds(handle), lineterminator="\r\n")
        writer.writerow(columns)
        if isinstance(rows, CsvText):
            count = 0
            for text, lines in rows.chunks("\r\n" if crlf else "\n"):
                handle.write(text)
                count += lines
            return count
        counter = itertools.count()
        # zip with a counter counts the rows in C, as the writer takes them
        writer.writerows(map(operator.itemgetter(0), zip(_csv_rows(rows, columns), counter)))
    return next(counter)


def _stream_json(rows: Iterable[Any], columns: Sequence[str], path: Path | None) -> int:
    encode = _json_encoder(path)
    count = 0
    with destination(path) as handle:
        handle.write("[")
        for row in rows:
            values = dict(zip(columns, row)) if isinstance(row, tuple) else {c: row.get(c) for c in columns}
            handle.write(",\n  " if count else "\n  ")
            handle.write(encode(values))
            count += 1
        handle.write("\n]\n" if count else "]\n")
    return count


def output(
    fmt_name: str,
    path: Path | None,
    rows: Iterable[Any],
    columns: Sequence[str],
    table: Callable[[], Any] | None = None,
    document: Any = None,
    excel: bool = False,
    view: Callable[[Any], None] | None = None,
    sheet: str = "data",
    sheets: Sequence[Any] | None = None,
) -> None:
    """Write a listing in the chosen format: the one output path every command shares.

    `rows` and `columns` are the machine-readable form (JSON keys = CSV headers, from
    `render.rows`); the human view is `table()` (a function building one Rich table)
    or `view(console)` (a function printing several parts to the console it is given),
    built only when asked for; `document` replaces the JSON list of rows when a
    command's JSON is an object (the zone review, a plan, a worker, a case). In xlsx,
    the rows are one sheet named `sheet`, unless `sheets` (`render.xlsx.Sheet`s, the
    report's sections) gives the whole workbook.
    """
    if fmt_name == "json" and document is not None:
        write_text(json_text(document, _json_encoder(path)), path)
    elif fmt_name == "json":
        _wrote(path, _stream_json(rows, columns, path))
    elif fmt_name == "csv":
        _wrote(path, _stream_csv(rows, columns, path, excel))
    elif fmt_name == "xlsx":
        from caseload.render.xlsx import Sheet, write_workbook

        count = write_workbook(path, sheets if sheets is not None else [Sheet(sheet, columns, rows)])
        _wrote(path, count if sheets is None else None)  # a workbook of several tables: no one count
    else:
        print_view(view if view is not None else (lambda out: out.print(table())), path)


def print_view(draw: Callable[[Any], None], path: Path | None) -> None:
    """A view for people: `draw(console)` prints to the terminal, or to a private file. On
    a terminal, a view taller than the screen goes through the pager (`pager_command`)."""
    from caseload.render.console import console

    if path is None:
        pager = pager_command()
        if pager is not None:
            out = console()
            with out.capture() as captured:
                draw(out)
            _show_paged(captured.get(), pager)
            return
    with destination(path) as handle:
        draw(console(file=None if path is None else handle))
    _wrote(path)


def pager_command() -> str | None:
    """The pager a long view goes through, as git chooses one (DESIGN §5): only when stdout
    is a terminal and --no-pager was not given; CASELOAD_PAGER, else PAGER, else `less -R`;
    set empty (or to `cat`) it means no pager."""
    import os
    import shutil

    from caseload.render.console import pager_wanted

    if not pager_wanted() or not sys.stdout.isatty():
        return None
    for name in ("CASELOAD_PAGER", "PAGER"):
        if name in os.environ:
            chosen = os.environ[name].strip()
            return None if chosen in ("", "cat") else chosen
    return "less -R" if shutil.which("less") else None


def _screen_lines() -> int:
    """The terminal's height (LINES when set); 0 when it is not known."""
    import os

    lines = os.environ.get("LINES", "")
    if lines.isdigit():
        return int(lines)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).lines
    except (OSError, ValueError):
        return 0


def _end(shown) -> None:
    """End the pager: what the shell running it started (read from /proc, on Linux: dash
    does not exec a command it is given), then the shell."""
    import os
    import signal

    with contextlib.suppress(OSError):
        for child in open(f"/proc/{shown.pid}/task/{shown.pid}/children").read().split():
            with contextlib.suppress(OSError):
                os.kill(int(child), signal.SIGTERM)
    shown.terminate()


def _show_paged(text: str, pager: str) -> None:
    """`text` (drawn for this terminal, colours included) through `pager` when it is taller
    than the screen, else straight to stdout. The pager is run by the shell, as git runs
    $PAGER; less gets git's LESS=FRX unless LESS is set (colours, no screen clearing)."""
    import os

    from caseload.interrupts import stopped
    import subprocess

    height = _screen_lines()
    if height <= 0 or text.count("\n") < height:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        shown = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    try:
        shown.stdin.write(text.encode(encoding, "replace"))
        shown.stdin.close()
    except BrokenPipeError:  # the reader quit the pager before the end: nothing more to show
        pass
    while True:
        try:
            shown.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less stops searching); wait for it to end
            if stopped():  # SIGTERM or SIGHUP: the pager goes too, and the command stops
                _end(shown)
                raise
            continue
