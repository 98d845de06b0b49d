"""Rich for people: consoles, tables, zone badges and load bars; messages, warnings and
progress bars on stderr.

Rules (DESIGN §5): without a terminal there are no colour codes and no truncated
cells (Rich would otherwise assume 80 columns): a table is written as plain aligned
text at full width. NO_COLOR is honoured by Rich itself, and a zone badge always
prints its word as well as its colour. Text cells are taken literally, never read
as Rich markup.
"""

from __future__ import annotations

import contextlib
import re
import sys
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

ZONE_STYLES = {
    "blue": "bold white on blue",
    "green": "bold black on green",
    "amber": "bold black on dark_orange",
    "red": "bold white on red",
}
WIDE = 10_000  # width for output that is not a terminal: never wrap or cut a cell

# What a table cell must not print as it is: a line break would start a forged row in piped
# output; other controls, bidi overrides and separators could hide or reorder what is shown.
_HIDDEN_IN_CELL = re.compile("\r\n|[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
LINE_BREAK_MARK = "⏎"


def _shown_in_cell(found: "re.Match[str]") -> str:
    char = found.group()
    if char in ("\r\n", "\n", "\r", "\u2028", "\u2029"):
        return LINE_BREAK_MARK
    return " " if char == "\t" else "\ufffd"


def cell_text(text: str) -> str:
    """A table cell's text on one line: a line break prints as ⏎, a tab as a space, any other
    control or bidirectional character as �. Stored texts refuse these (domain/fields.py);
    this keeps data written before that, or through SQL, from forging rows."""
    return _HIDDEN_IN_CELL.sub(_shown_in_cell, text) if _HIDDEN_IN_CELL.search(text) else text


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
    columns = [[cell_text(text_of(value)) for value in column.cells] for column in table.columns]
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


_TABLE_CLASS = None


def _table_class():
    """Rich's Table, except that text cells are taken literally: a client called
    "Smith [/x]" must print as written, not be read as (broken) Rich markup; and each
    cell is one line (`cell_text`): a name with a line break cannot forge a row."""
    global _TABLE_CLASS
    if _TABLE_CLASS is None:
        from rich.table import Table
        from rich.text import Text

        def one_line(cell: Any, wraps: bool = False) -> Any:
            if isinstance(cell, str):  # one line, cut with "…" when narrower; reasons wrap between words
                return Text(cell_text(cell)) if wraps else Text(cell_text(cell), no_wrap=True, overflow="ellipsis")
            if isinstance(cell, Text) and _HIDDEN_IN_CELL.search(cell.plain):
                cell = cell.copy()
                cell.plain = cell_text(cell.plain)
            return cell

        class LiteralTable(Table):
            def add_row(self, *cells, **kwargs):
                wraps = [column.header in WRAPPING for column in self.columns]
                super().add_row(*(one_line(c, w) for c, w in zip(cells, wraps + [False] * len(cells))), **kwargs)

            def __rich_console__(self, console, options):
                _pin(self)  # ids, numbers, dates and zones keep their width: only free text narrows
                yield from super().__rich_console__(console, options)

        _TABLE_CLASS = LiteralTable
    return _TABLE_CLASS


def literal(text: str) -> str:
    """Data for a Rich `print` string: brackets escaped so they are not read as markup."""
    from rich.markup import escape

    return escape(text)


FREE_TEXT = frozenset({"client", "summary", "notes", "note", "why", "reason", "why it stays waiting",
                       "why it stays", "next step", "skills", "languages", "name", "goes to", "attention"})


def new_table(*headers: str, title: str | None = None, right: Sequence[str] = ()) -> "Table":
    """A table whose cells never break a word across lines (DESIGN §5): every row is one
    line; ids, numbers, dates, zones and bars keep their widest cell, and free text
    (names, notes, reasons: FREE_TEXT) is cut with "…" when the terminal is too narrow
    for it. Use `fit` to drop the least important columns on a narrow terminal."""
    from rich import box

    table = _table_class()(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for header in headers:
        # free text may be narrowed by Rich (its cells stay one line, cut with "…"); the rest never
        table.add_column(header, justify="right" if header in right else "left", no_wrap=header not in FREE_TEXT,
                         overflow="ellipsis")
    return table


# Free text a lead must read whole (explanations, next steps, notes on a case): it wraps
# between words instead of being cut, so a plan's row may take several lines.
# A waiting case's "attention" (FIRST CONTACT OVERDUE, check-in overdue) is what the lead acts
# on: at 80 columns it wraps rather than being cropped at the terminal's edge.
WRAPPING = frozenset({"why", "reason", "why it stays waiting", "why it stays", "next step", "summary", "note",
                      "attention"})
FREE_TEXT_ROOM = 12  # the least a free-text column is worth showing at


def _pin(table: "Table") -> "Table":
    """Fixed columns keep their widest cell (and header): Rich then shrinks only free text."""
    from rich.cells import cell_len

    for column in table.columns:
        if column.header not in FREE_TEXT:
            cells = [column.header, *column.cells]
            column.min_width = max(cell_len(c.plain if hasattr(c, "plain") else str(c)) for c in cells)
    return table


def _least_width(out: "Console", table: "Table") -> int:
    """The width the table needs with each free-text column cut to FREE_TEXT_ROOM."""
    from rich.measure import Measurement

    free = [c for c in table.columns if c.header in FREE_TEXT]
    for column in free:
        column.max_width = FREE_TEXT_ROOM
    try:
        return Measurement.get(out, out.options.update_width(10**6), table).maximum
    finally:
        for column in free:
            column.max_width = None


def fit(out: "Console", build: Callable[[frozenset], "Table"], give_way: Sequence[str] = ()) -> "Table":
    """The table `build(dropped)` for this console: on a terminal too narrow for it, the
    columns of `give_way` are dropped in that order (the least important first) until
    its fixed columns fit; without a terminal, every column is kept, at full width."""
    dropped: set[str] = set()
    table = _pin(build(frozenset()))
    if not out.is_terminal:
        return table
    for name in give_way:
        if _least_width(out, table) <= out.width:
            break
        dropped.add(name)
        table = _pin(build(frozenset(dropped)))
    return table


def fitted_table(out: "Console", headers: Sequence[str], rows: Sequence[dict], give_way: Sequence[str] = (),
                 title: str | None = None, right: Sequence[str] = ()) -> "Table":
    """A table of `rows` (header -> cell) fitted to the console (`fit`): the headers of
    `give_way` are dropped in that order while the terminal is too narrow."""

    def build(dropped: frozenset) -> "Table":
        shown = [h for h in headers if h not in dropped]
        table = new_table(*shown, title=title, right=right)
        for row in rows:
            table.add_row(*(row[h] for h in shown))
        return table

    return fit(out, build, give_way)
