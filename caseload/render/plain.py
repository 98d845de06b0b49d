"""What a view is made of — tables, and text with styled parts — without Rich, and how
it is written when the output is not a terminal (DESIGN §5, §8).

A view builds `Table`s and `Styled` text and hands them, with plain strings, to the
console it is given (`render.console.console`). On a terminal that is Rich's Console:
both kinds turn into Rich's own objects through `__rich__` when printed, so Rich is
imported only then. Anywhere else (a pipe, a file, `--output`) it is `PlainConsole`,
which writes aligned text (the same columns, nothing cut, no colour codes) without
importing Rich's console at all: a piped `zone-review` costs what a JSON one does.

Invariants:
- strings are literal: no markup is read from them, on either console (emphasis is a
  `Styled` part), so a client called "Smith [/x]" prints as written;
- a table cell is one line (`cell_text`): a line break prints as ⏎, so stored text
  cannot forge a row of piped output; so is each printed string or `Styled` line and
  each table title: text stored through SQL cannot start a line of its own, and no
  escape code reaches a pipe or a terminal (a view prints a blank line with `print()`);
- the plain writing of a string is Rich's: the control characters Rich drops (bell,
  backspace, vertical tab, form feed, carriage return) are dropped here too, and a tab
  is expanded by Rich's own code (tests/test_plain_output.py holds the two together).
"""

from __future__ import annotations

import re
import sys
from typing import Any, Callable, Iterable, Sequence

from caseload.encodings import holds_every_character

WIDE = 10_000  # width for output that is not a terminal: never wrap or cut a cell

# What a table cell must not print as it is: a line break would start a forged row in piped
# output; other controls, bidi overrides and separators could hide or reorder what is shown.
_HIDDEN_IN_CELL = re.compile("\r\n|[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
LINE_BREAK_MARK = "⏎"
_RICH_DROPS = {7: None, 8: None, 11: None, 12: None, 13: None}  # rich.control.strip_control_codes


def _shown_in_cell(found: "re.Match[str]") -> str:
    char = found.group()
    if char in ("\r\n", "\n", "\r", "\u2028", "\u2029"):
        return LINE_BREAK_MARK
    return " " if char == "\t" else "\ufffd"


# The same in a message, whose own line breaks are kept (messages hold ids, field names and
# column headers, never free text: DESIGN §6)
_HIDDEN_IN_MESSAGE = re.compile("\r\n|[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def message_text(text: str) -> str:
    """A message for stderr with no control, escape or bidirectional character left (a
    column header or a stored id could hold one): each shows as in a table cell."""
    return _HIDDEN_IN_MESSAGE.sub(_shown_in_cell, text) if _HIDDEN_IN_MESSAGE.search(text) else text


def on_screen(text: str, stream: Any) -> str:
    """A message for `stream` (stderr): on a terminal, each line wrapped between words to its
    width, what follows indented by two spaces (the terminal itself would cut words in two);
    elsewhere (a pipe, cron's mail, a log) as it is, one line each."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return text
    import os
    import shutil
    import textwrap

    try:  # the width of the terminal stderr is on (stdout may be a file); COLUMNS, else 80, if it says none
        columns = os.get_terminal_size(stream.fileno()).columns or shutil.get_terminal_size().columns
    except (OSError, ValueError, AttributeError):
        return text
    width = max(columns - 1, 20)
    return "\n".join(textwrap.fill(line, width, subsequent_indent="  ", break_long_words=False,
                                    break_on_hyphens=False) or line for line in text.split("\n"))


def to_stderr(text: str) -> None:
    """One message on stderr: no control or escape character (`message_text`), wrapped to
    its terminal (`on_screen`)."""
    sys.stderr.write(on_screen(message_text(text), sys.stderr) + "\n")


def cell_text(text: str) -> str:
    """A table cell's text on one line: a line break prints as ⏎, a tab as a space, any other
    control or bidirectional character as �. Stored texts refuse these (domain/fields.py);
    this keeps data written before that, or through SQL, from forging rows."""
    return _HIDDEN_IN_CELL.sub(_shown_in_cell, text) if _HIDDEN_IN_CELL.search(text) else text


class Styled:
    """Text made of parts, each with a Rich style or none (a zone badge, a load bar, a
    heading), as Rich's Text is: `style` is the whole text's (on a terminal it also fills
    the rest of a table cell), an appended part's own style is laid over it. Rich shows
    the styles; plain output shows `plain`."""

    __slots__ = ("style", "parts")

    def __init__(self, text: str = "", style: str | None = None):
        self.style = style
        self.parts: list[tuple[str, str | None]] = [(text, None)] if text else []

    def append(self, text: "str | Styled", style: str | None = None) -> "Styled":
        if isinstance(text, Styled):  # its own style goes with its parts, under theirs (as Rich's append_text)
            base = text.style
            self.parts.extend((part, base if own is None else f"{base} {own}" if base else own)
                              for part, own in text.parts)
        elif text:
            self.parts.append((text, style))
        return self

    def one_line(self) -> "Styled":
        """The same text on one line (`cell_text`), each part keeping its style."""
        shown = Styled(style=self.style)
        shown.parts = [(cell_text(part), style) for part, style in self.parts]
        return shown

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.parts)

    def __str__(self) -> str:
        return self.plain

    def __rich__(self):
        return self.drawn(lambda part: part)

    def drawn(self, shown: "Callable[[str], str]"):
        """Rich's Text of it, each part's text passed through `shown`."""
        from rich.text import Text

        text = Text(style=self.style or "")
        for part, style in self.parts:
            text.append(shown(part), style=style)
        return text


def heading(text: str) -> Styled:
    """Words in bold, which a line may go on after (`append`)."""
    return Styled().append(text, "bold")


class Column:
    __slots__ = ("header", "justify", "cells")

    def __init__(self, header: str, justify: str):
        self.header, self.justify, self.cells = header, justify, []


class Table:
    """Columns of cells (strings or `Styled`), a title, and sections: what `new_table`
    gives a view. Printed by Rich on a terminal (`__rich__`, through
    `render.console.rich_table`), as aligned text (`plain_table`) anywhere else."""

    def __init__(self, headers: Iterable[str], title: "str | Styled | None" = None, right: Iterable[str] = ()):
        right = set(right)
        self.title = title
        self.columns = [Column(h, "right" if h in right else "left") for h in headers]
        self.section_ends: list[bool] = []  # one per row: a blank line (a rule on a terminal) after it

    def add_row(self, *cells: "str | Styled", end_section: bool = False) -> None:
        for column, value in zip(self.columns, cells):
            column.cells.append(value)
        for column in self.columns[len(cells):]:
            column.cells.append("")
        self.section_ends.append(end_section)

    def add_section(self) -> None:
        if self.section_ends:
            self.section_ends[-1] = True

    @property
    def row_count(self) -> int:
        return len(self.section_ends)

    def __rich__(self):
        from caseload.render.console import rich_table

        return rich_table(self)


def text_of(value: Any) -> str:
    return value.plain if isinstance(value, Styled) else str(value)


def printable(value: Any) -> Any:
    """What a console prints for `value`: a table as it is (its cells and title are made
    one line when drawn), any text as one line (`cell_text`)."""
    if isinstance(value, Table):
        return value
    return value.one_line() if isinstance(value, Styled) else cell_text(str(value))


def plain_table(table: Table) -> str:
    """The table as aligned text at full width: its title, the headers, a rule, the rows
    (a blank line between sections), and a blank line after."""
    headers = [column.header for column in table.columns]
    columns = [[cell_text(text_of(value)) for value in column.cells] for column in table.columns]
    widths = [max([_cell_width(h)] + [_cell_width(v) for v in cells]) for h, cells in zip(headers, columns)]
    right = [column.justify == "right" for column in table.columns]
    lines = _head(table.title, headers, widths, right)
    last = table.row_count - 1
    for index, ends in enumerate(table.section_ends):
        lines.append(_aligned([cells[index] for cells in columns], widths, right))
        if ends and index < last:
            lines.append("")
    return "\n".join(lines) + "\n\n"


def _cell_width(text: str) -> int:
    # the width Rich gives a cell: an ASCII cell (controls made visible by `cell_text`) is its length
    if text.isascii():
        return len(text)
    from rich.cells import cell_len  # a small module: Rich's console is not loaded

    return cell_len(text)


def _aligned(values: Iterable[str], widths: list[int], right: list[bool]) -> str:
    """One line of a plain table: each cell padded to its column's width (on the left in a
    right-aligned column), two spaces apart, no trailing blanks."""
    padded = []
    for value, width, to_right in zip(values, widths, right):
        gap = " " * (width - _cell_width(value))
        padded.append(gap + value if to_right else value + gap)
    return "  ".join(padded).rstrip()


def _head(title: Any, headers: list[str], widths: list[int], right: list[bool]) -> list[str]:
    """A plain table's first lines: its title (if any), the headers, the rule under them."""
    return ([cell_text(text_of(title))] if title else []) + [_aligned(headers, widths, right),
                                                             "  ".join("─" * w for w in widths)]


class StreamedTable:
    """A table too long to hold whole (`cases` over a million cases): `rows()` makes its rows
    (cells in header order) afresh each time it is called, and `title(count)` its title from
    the number of rows. Plain output reads the rows twice, for the column widths and the
    count, then to write them (`write_streamed`), so its memory stays flat; a terminal's
    Rich console draws it as a `Table` (a terminal shows a screen at a time: --limit and the
    pager)."""

    def __init__(self, headers: Sequence[str], rows: Callable[[], Iterable[Sequence[Any]]],
                 title: Callable[[int], str], right: Iterable[str] = ()):
        self.headers, self.rows, self.title, self.right = tuple(headers), rows, title, set(right)

    def whole(self) -> Table:
        cells = list(self.rows())
        table = Table(self.headers, self.title(len(cells)), self.right)
        for row in cells:
            table.add_row(*row)
        return table

    def __rich__(self):
        return self.whole().__rich__()


def _shown(value: Any) -> str:
    """A cell as `plain_table` shows it: one line (`cell_text`); printable ASCII, most cells,
    needs nothing done."""
    if type(value) is str and value.isascii() and value.isprintable():
        return value
    return cell_text(text_of(value))


STREAMED_LINES = 2_000  # lines of a streamed table written at once


def write_streamed(file: Any, table: StreamedTable, drawing: dict | None = None) -> None:
    """`table` as `plain_table` writes it (the same bytes), its rows read twice: for the
    widths and the count, then written a batch of lines at a time."""
    headers = list(table.headers)
    widths = [_cell_width(h) for h in headers]
    count = 0
    for row in table.rows():
        count += 1
        for index, value in enumerate(row):
            width = _cell_width(_shown(value))
            if width > widths[index]:
                widths[index] = width
    right = [h in table.right for h in headers]

    def write(text: str) -> None:
        file.write(text.translate(drawing) if drawing else text)

    write("\n".join(_head(table.title(count), headers, widths, right)) + "\n")
    lines = []
    for row in table.rows():
        lines.append(_aligned(map(_shown, row), widths, right))
        if len(lines) == STREAMED_LINES:
            write("\n".join(lines) + "\n")
            lines = []
    write("\n".join(lines) + "\n\n" if lines else "\n")


class PlainConsole:
    """The console of output that is not a terminal: what Rich's would write there, without
    loading it. `print` takes strings (literal), `Styled` text and `Table`s."""

    is_terminal = False
    width = WIDE

    def __init__(self, file: Any):
        self.file = file
        # a stream that cannot hold the rule and the bar (a Windows console's cp1252, a C
        # locale) gets their ASCII look-alikes, not a line of "?" (DESIGN §5: any encoding)
        self.drawing = None if holds_every_character(getattr(file, "encoding", "utf-8")) else _ASCII_DRAWING

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", **_: Any) -> None:
        if len(objects) == 1 and isinstance(objects[0], StreamedTable):
            write_streamed(self.file, objects[0], self.drawing)
            return
        if len(objects) == 1 and isinstance(objects[0], Table):
            text = plain_table(objects[0])
        else:
            text = _as_rich_writes(sep.join(text_of(printable(o)) for o in objects)) + end
        self.file.write(text.translate(self.drawing) if self.drawing else text)


_ASCII_DRAWING = str.maketrans({"─": "-", "█": "#"})


def _as_rich_writes(text: str) -> str:
    """`text` as Rich writes it outside a terminal: without the control characters it drops,
    and, in the rare line with a tab, the tab expanded by Rich itself (to every 8th cell, as
    Rich counts cells: a zero-width joiner before a tab counts)."""
    text = text.translate(_RICH_DROPS)
    if "\t" not in text:
        return text
    from rich.text import Text

    expanded = Text(text)
    expanded.expand_tabs(8)
    return expanded.plain
