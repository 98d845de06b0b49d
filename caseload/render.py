"""Everything a person or a script reads: Rich tables, zone badges and load bars,
and the CSV and JSON writers that every listing shares.

Rules (DESIGN §5): tables and data go to stdout, messages to stderr. Without a
terminal there are no colour codes and no truncated cells (Rich would otherwise
assume 80 columns); NO_COLOR is honoured by Rich itself, and a zone badge always
prints its word as well as its colour. Files written with --output are 0600.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from caseload.domain.load import floor_to

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

FORMATS = ("table", "csv", "json")
ZONE_STYLES = {
    "blue": "bold white on blue",
    "green": "bold black on green",
    "amber": "bold black on dark_orange",
    "red": "bold white on red",
}
WIDE = 10_000  # width for output that is not a terminal: never wrap or cut a cell


_CONSOLE_CLASS = None


def _console_class():
    """Rich's Console, except that without a terminal a table is written as plain aligned
    text: the same columns, no colour codes, nothing cut, and about 50 times faster than
    Rich's layout (which costs ~57 µs a cell: seconds for a 5,000-worker team)."""
    global _CONSOLE_CLASS
    if _CONSOLE_CLASS is None:
        from rich.console import Console
        from rich.table import Table

        class PlainWhenPiped(Console):
            def print(self, *objects, **kwargs):
                if not self.is_terminal and len(objects) == 1 and isinstance(objects[0], Table):
                    self.file.write(plain_table(objects[0]))
                    return
                super().print(*objects, **kwargs)

        _CONSOLE_CLASS = PlainWhenPiped
    return _CONSOLE_CLASS


def plain_table(table: "Table") -> str:
    from rich.cells import cell_len

    def text_of(value: Any) -> str:
        return value.plain if hasattr(value, "plain") else str(value)

    headers = [text_of(column.header) for column in table.columns]
    columns = [[text_of(value) for value in column.cells] for column in table.columns]
    widths = [max([cell_len(h)] + [cell_len(v) for v in cells]) for h, cells in zip(headers, columns)]
    right = [column.justify == "right" for column in table.columns]

    def line(values: list[str]) -> str:
        padded = []
        for value, width, to_right in zip(values, widths, right):
            gap = " " * (width - cell_len(value))
            padded.append(gap + value if to_right else value + gap)
        return "  ".join(padded).rstrip()

    lines = [text_of(table.title)] if table.title else []
    lines += [line(headers), "  ".join("─" * w for w in widths)]
    for index, row in enumerate(table.rows):
        lines.append(line([cells[index] for cells in columns]))
        if row.end_section and index < len(table.rows) - 1:
            lines.append("")
    return "\n".join(lines) + "\n\n"


def console(stderr: bool = False, file: Any = None) -> "Console":
    stream = file or (sys.stderr if stderr else sys.stdout)
    is_tty = file is None and stream.isatty()
    return _console_class()(
        file=stream,
        width=None if is_tty else WIDE,
        highlight=False,
        soft_wrap=not is_tty,
        emoji=False,
        force_terminal=None if is_tty else False,
    )


def message(text: str) -> None:
    """A one-line message for the user, on stderr (never mixed into data on stdout)."""
    sys.stderr.write(text.rstrip("\n") + "\n")


def warning(text: str) -> None:
    message(f"warning: {text}")


PROGRESS_FROM = 40  # fewer moves than this finish before a bar would be read


@contextlib.contextmanager
def progress(total: int, label: str):
    """A progress bar on stderr for big jobs on a terminal; a no-op otherwise. Yields `advance()`."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def pct_text(pct: Fraction | None) -> str:
    """Load % for people: one decimal, rounded down so 109.99 % never reads as 110.0 %."""
    if pct is None:
        return "n/a"
    return f"{float(floor_to(pct, 1)):.1f}%"


def number(value: Fraction | None, places: int = 2) -> float | int | None:
    """A Fraction for JSON and CSV: whole numbers stay whole, others round down to `places`."""
    if value is None:
        return None
    if value.denominator == 1:
        return value.numerator
    return float(floor_to(value, places))


def zone_badge(zone: str) -> "Text":
    from rich.text import Text

    return Text(f" {zone.upper()} ", style=ZONE_STYLES.get(zone, "bold"))


def load_bar(pct: Fraction | None, zone: str, width: int = 20) -> "Text":
    """A bar where `width` cells are 100 % of capacity; load past 100 % runs on, to 125 %."""
    from rich.text import Text

    if pct is None:
        filled = 0 if zone == "blue" else width + width // 4
    else:
        filled = min(int(pct * width / 100), width + width // 4)
    inside = min(filled, width)
    bar = Text("█" * inside, style=ZONE_STYLES[zone].split(" on ")[-1])
    bar.append("·" * (width - inside), style="dim")
    bar.append("|", style="bold")
    bar.append("█" * (filled - inside), style=ZONE_STYLES[zone].split(" on ")[-1])
    return bar


def cell(value: Any) -> str:
    """A value as plain text for a CSV cell or a table: lists joined with ';', dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(number(value))  # as in JSON: whole, or rounded down to 2 places
    return str(value)


def to_json_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_text(data: Any) -> str:
    return json.dumps(data, default=to_json_value, ensure_ascii=False, indent=2) + "\n"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with a leading '."""
    if type(value) is str:  # the common case first: exports write millions of these
        return "'" + value if value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    return cell(value)


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


@contextlib.contextmanager
def destination(output: Path | None):
    """Where a command writes its data: stdout, or a new file readable by its owner only."""
    if output is None:
        yield sys.stdout
        return
    with open_private(output) as handle:
        yield handle


def stream_csv(rows: Iterable[Sequence[Any]], columns: Sequence[str], output: Path | None,
               excel: bool = False) -> int:
    """Rows already turned into cells, written as CSV as they come; returns how many.

    With `excel` and a file, the file starts with a byte-order mark and uses CRLF, so
    Excel reads UTF-8 names correctly."""
    to_file = excel and output is not None
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    with destination(output) as handle:
        if to_file:
            handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\r\n" if to_file else "\n")
        writer.writerow(columns)
        writer.writerows(counted())
    if output is not None:
        message(f"wrote {count} row(s) to {output}")
    return count


def stream_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt_name: str, output: Path | None,
                excel: bool = False) -> int:
    """Write rows as CSV or JSON as they come, so an export of a million cases never sits in
    memory whole. Returns the number of rows."""
    if fmt_name == "csv":
        return stream_csv(([csv_cell(row.get(column)) for column in columns] for row in rows), columns, output,
                          excel)
    count = 0
    with destination(output) as handle:
        handle.write("[")
        for row in rows:
            handle.write(",\n  " if count else "\n  ")
            handle.write(json.dumps({c: row.get(c) for c in columns}, default=to_json_value, ensure_ascii=False))
            count += 1
        handle.write("\n]\n" if count else "]\n")
    if output is not None:
        message(f"wrote {count} row(s) to {output}")
    return count


def open_private(path: Path):
    """Open `path` for writing text, created (or truncated) 0600 whatever the umask."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def write_text(text: str, output: Path | None) -> None:
    with destination(output) as handle:
        handle.write(text)
    if output is not None:
        message(f"wrote {output}")


def print_table(table: "Table", output: Path | None) -> None:
    with destination(output) as handle:
        console(file=None if output is None else handle).print(table)
    if output is not None:
        message(f"wrote {output}")


_TABLE_CLASS = None


def _table_class():
    """Rich's Table, except that text cells are taken literally: a client called
    "Smith [/x]" must print as written, not be read as (broken) Rich markup."""
    global _TABLE_CLASS
    if _TABLE_CLASS is None:
        from rich.table import Table
        from rich.text import Text

        class LiteralTable(Table):
            def add_row(self, *cells, **kwargs):
                super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **kwargs)

        _TABLE_CLASS = LiteralTable
    return _TABLE_CLASS


def literal(text: str) -> str:
    """Data for a Rich `print` string: brackets escaped so they are not read as markup."""
    from rich.markup import escape

    return escape(text)


def new_table(*headers: str, title: str | None = None, right: Sequence[str] = ()) -> "Table":
    from rich import box

    table = _table_class()(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for header in headers:
        table.add_column(header, justify="right" if header in right else "left", overflow="fold")
    return table


def emit(
    fmt_name: str,
    output: Path | None,
    rows: list[dict[str, Any]],
    columns: Sequence[str],
    table: Callable[[], "Table"],
    document: Any = None,
) -> None:
    """Write a listing in the chosen format: the one output path every listing shares.

    `rows` and `columns` are the machine-readable form (JSON keys = CSV headers);
    `table` builds the human view on demand; `document` replaces the JSON list of
    rows when a command's JSON is an object (zone-review).
    """
    if fmt_name == "json":
        write_text(json_text(rows if document is None else document), output)
    elif fmt_name == "csv":
        write_text(csv_text(rows, columns), output)
    else:
        print_table(table(), output)
