"""Rich for people: consoles, tables, zone badges and load bars; messages, warnings and
progress bars on stderr.

Rules (DESIGN §5): without a terminal there are no colour codes and no truncated
cells (Rich would otherwise assume 80 columns): a table is written as plain aligned
text at full width, by `render.plain.PlainConsole`, without loading Rich's console
(DESIGN §8). NO_COLOR is honoured by Rich itself, and a zone badge always prints its
word as well as its colour; FORCE_COLOR (unless NO_COLOR is set too) gives a pipe
Rich's colours at full width, for `| less -R`. Strings are taken literally, never read
as Rich markup: emphasis is a `Styled` part (`heading`).

The conventions of §5 that concern stderr live here too: `--quiet` silences `message`
(never `warning` or `alert`), progress bars (`progress`, `tracked`, `busy`) show only on a
terminal and never with `--quiet`, and table views show stored UTC times in the local
zone (`local_time`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from caseload.render.plain import (WIDE, PlainConsole, Styled, Table, cell_text, heading,  # noqa: F401 (views' API)
                                   printable)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as RichTable

ZONE_STYLES = {
    "blue": "bold white on blue",
    "green": "bold black on green",
    "amber": "bold black on dark_orange",
    "red": "bold white on red",
}


def console(stderr: bool = False, file: Any = None) -> "Console | PlainConsole":
    """Rich's Console on a terminal (markup off: strings are literal); `PlainConsole` for a
    pipe or a file (`file`), which never loads Rich's console. A pipe gets Rich's colours
    when FORCE_COLOR asks for them (and NO_COLOR does not forbid them), at full width
    (COLUMNS if set), so nothing is cut on its way through `less -R`."""
    stream = file or (sys.stderr if stderr else sys.stdout)
    if file is not None:
        return PlainConsole(stream)
    if not stream.isatty():
        if not forced_colour():
            return PlainConsole(stream)
        width = os.environ.get("COLUMNS", "")
        return _terminal_class()(file=stream, highlight=False, markup=False, emoji=False, force_terminal=True,
                                 width=int(width) if width.isdigit() and int(width) > 0 else WIDE)
    return _terminal_class()(file=stream, highlight=False, markup=False, emoji=False)


def forced_colour() -> bool:
    """FORCE_COLOR set to anything but empty, and NO_COLOR not (NO_COLOR wins)."""
    return os.environ.get("FORCE_COLOR", "") != "" and os.environ.get("NO_COLOR", "") == ""


_TERMINAL_CLASS = None


def _terminal_class():
    """Rich's Console, printing each string and Styled line as one line (`render.plain.printable`)."""
    global _TERMINAL_CLASS
    if _TERMINAL_CLASS is None:
        from rich.console import Console

        class Terminal(Console):
            def print(self, *objects, **kwargs):
                # our text as one line each; Rich's own renderables as they are (a progress
                # bar ends with `line()`, a NewLine, once printed as its Python repr)
                super().print(*(printable(o) if isinstance(o, (str, Styled)) else o for o in objects), **kwargs)

        _TERMINAL_CLASS = Terminal
    return _TERMINAL_CLASS


def print_indented(out: "Console | PlainConsole", text: str, by: int = 2) -> None:
    """One item of a list under a heading, indented; on a terminal, the lines it wraps onto
    keep the indent (not back at the margin, as a plain string wraps)."""
    if not out.is_terminal:
        out.print(" " * by + text, markup=False)
        return
    from rich.padding import Padding
    from rich.text import Text

    out.print(Padding(Text(cell_text(text)), (0, 0, 0, by), expand=False))


_quiet = False
_pager = True


def be_quiet(quiet: bool, pager: bool = True) -> None:
    """The global options `--quiet` and `--no-pager`, set for every command run. Quiet:
    `message` prints nothing and no progress bar shows; warnings, alerts, errors and the
    data still print. No pager: long views are written straight to the terminal."""
    global _quiet, _pager
    _quiet, _pager = quiet, pager


def pager_wanted() -> bool:
    return _pager


def message(text: str) -> bool:
    """A one-line message for the user, on stderr (never mixed into data on stdout);
    silenced by `--quiet`. Returns whether it was printed."""
    if not _quiet:
        alert(text)
    return not _quiet


def alert(text: str) -> None:
    """A message that needs a person even with `--quiet` (a --fail-on threshold reached)."""
    from caseload.render.plain import to_stderr

    to_stderr(text.rstrip("\n"))


def warning(text: str) -> None:
    alert(f"warning: {text}")


PROGRESS_FROM = 40  # fewer moves than this finish before a bar would be read


def _bars_shown() -> bool:
    """Progress bars go to stderr on a terminal only, never with --quiet (DESIGN §5)."""
    return not _quiet and sys.stderr.isatty()


@contextlib.contextmanager
def progress(total: int, label: str):
    """A progress bar on stderr for big jobs on a terminal; a no-op otherwise. Yields `advance()`."""
    if total < PROGRESS_FROM or not _bars_shown():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def tracked(items: Iterable, total: int, label: str, weigh: Callable[[Any], int] | None = None) -> Iterable:
    """`items` as they are, or, on a terminal, passed through a progress bar on stderr
    that advances by `weigh(item)` (1 by default) out of `total`. Off a terminal nothing
    wraps the items, so a pipe or a benchmark pays nothing per item."""
    if total <= 0 or not _bars_shown():
        return items
    return _through_bar(items, total, label, weigh)


def _through_bar(items: Iterable, total: int, label: str, weigh: Callable[[Any], int] | None):
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            bar.advance(task, weigh(item) if weigh is not None else 1)
            yield item


@contextlib.contextmanager
def busy(label: str):
    """A pulsing bar and the time taken on stderr while a job of unknown length runs
    (doctor), on a terminal only."""
    if not _bars_shown():
        yield
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console(stderr=True), transient=True) as bar:
        bar.add_task(label, total=None)
        yield


def local_time(stamp: str | None) -> str:
    """A stored UTC timestamp (ISO 8601) as a table shows it: in the local time zone, to the
    minute ("2026-11-23 14:05"); CSV and JSON keep the stored text. Text that is not a
    timestamp is shown as it is."""
    from datetime import datetime

    if not stamp:
        return stamp or ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def zone_badge(zone: str) -> Styled:
    return Styled(f" {zone.upper()} ", ZONE_STYLES.get(zone, "bold"))


def load_bar(pct: Fraction | None, zone: str, width: int = 20) -> Styled:
    """A bar where `width` cells are 100 % of capacity; load past 100 % runs on, to 125 %."""
    if pct is None:
        filled = 0 if zone == "blue" else width + width // 4
    else:
        filled = min(int(pct * width / 100), width + width // 4)
    inside = min(filled, width)
    colour = ZONE_STYLES[zone].split(" on ")[-1]
    bar = Styled("█" * inside, colour)
    bar.append("·" * (width - inside), style="dim")
    bar.append("|", style="bold")
    bar.append("█" * (filled - inside), style=colour)
    return bar


FREE_TEXT = frozenset({"client", "summary", "notes", "note", "why", "reason", "why it stays waiting",
                       "why it stays", "next step", "skills", "languages", "name", "goes to", "attention",
                       "qualifies"})
# Free text a lead must read whole (explanations, next steps, notes on a case): it wraps
# between words instead of being cut, so a plan's row may take several lines.
# A waiting case's "attention" (FIRST CONTACT OVERDUE, check-in overdue) is what the lead acts
# on: at 80 columns it wraps rather than being cropped at the terminal's edge; so does the
# rule a worker fails in `--explain` ("no: takes no automatic allocations").
WRAPPING = frozenset({"why", "reason", "why it stays waiting", "why it stays", "next step", "summary", "note",
                      "qualifies", "attention"})
FREE_TEXT_ROOM = 12  # the least a free-text column is worth showing at


def new_table(*headers: str, title: str | None = None, right: Sequence[str] = ()) -> Table:
    """A table whose cells never break a word across lines (DESIGN §5): every row is one
    line; ids, numbers, dates, zones and bars keep their widest cell, and free text
    (names, notes, reasons: FREE_TEXT) is cut with "…" when the terminal is too narrow
    for it. Use `fit` to drop the least important columns on a narrow terminal."""
    return Table(headers, title=title, right=right)


def rich_table(table: Table) -> "RichTable":
    """The table as Rich draws it on a terminal: text cells taken literally and on one line
    (`cell_text`), cut with "…" where free text must narrow (reasons wrap between words);
    every fixed column as wide as its widest cell, so only free text narrows."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table as RichTable
    from rich.text import Text

    # Rich's own title style (italic), given here because a Text title would not get it
    title = (table.title.one_line().__rich__() if isinstance(table.title, Styled)
             else table.title and Text(cell_text(table.title), style="table.title"))
    drawn = RichTable(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    wraps = []
    for column in table.columns:
        header = column.header
        fixed = header not in FREE_TEXT
        drawn.add_column(header, justify=column.justify, no_wrap=fixed, overflow="ellipsis", min_width=max(
            [cell_len(header), *(cell_len(cell_text(str(c))) for c in column.cells)]) if fixed else None)
        wraps.append(header in WRAPPING)

    def one_line(cell: "str | Styled", wrap: bool) -> Text:
        if isinstance(cell, Styled):
            return cell.drawn(cell_text)
        return Text(cell_text(cell)) if wrap else Text(cell_text(cell), no_wrap=True, overflow="ellipsis")

    columns = [column.cells for column in table.columns]
    for index, ends in enumerate(table.section_ends):
        drawn.add_row(*(one_line(cells[index], wrap) for cells, wrap in zip(columns, wraps)), end_section=ends)
    return drawn


def _least_width(out: "Console", table: Table) -> int:
    """The width the table needs with each free-text column cut to FREE_TEXT_ROOM."""
    from rich.measure import Measurement

    drawn = rich_table(table)
    for column in drawn.columns:
        if column.header in FREE_TEXT:
            column.max_width = FREE_TEXT_ROOM
    return Measurement.get(out, out.options.update_width(10**6), drawn).maximum


def natural_width(out: "Console", table: Table) -> int:
    """The width the table needs with every cell whole (free text included, uncut)."""
    from rich.measure import Measurement

    return Measurement.get(out, out.options.update_width(10**6), rich_table(table)).maximum


def fit(out: "Console | PlainConsole", build: Callable[[frozenset], Table], give_way: Sequence[str] = ()) -> Table:
    """The table `build(dropped)` for this console: on a terminal too narrow for it, the
    columns of `give_way` are dropped in that order (the least important first) until
    its fixed columns fit; without a terminal, every column is kept, at full width."""
    dropped: set[str] = set()
    table = build(frozenset())
    if not out.is_terminal:
        return table
    for name in give_way:
        if _least_width(out, table) <= out.width:
            break
        dropped.add(name)
        table = build(frozenset(dropped))
    return table


def fitted_table(out: "Console | PlainConsole", headers: Sequence[str], rows: Sequence[dict],
                 give_way: Sequence[str] = (), title: str | None = None, right: Sequence[str] = ()) -> Table:
    """A table of `rows` (header -> cell) fitted to the console (`fit`): the headers of
    `give_way` are dropped in that order while the terminal is too narrow."""

    def build(dropped: frozenset) -> Table:
        shown = [h for h in headers if h not in dropped]
        table = new_table(*shown, title=title, right=right)
        for row in rows:
            table.add_row(*(row[h] for h in shown))
        return table

    return fit(out, build, give_way)
