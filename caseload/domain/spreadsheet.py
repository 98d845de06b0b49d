"""Reading a spreadsheet's CSV file as spreadsheet programs really write it (DESIGN §11),
one row at a time: `intake --csv` and `worker import` both read through here.

What it accepts:
- UTF-8 with or without a byte-order mark, or the encoding given (`--encoding cp1252`
  or `latin-1` for Excel's "CSV (Comma delimited)"); a line that is not valid in the
  encoding is refused naming the line, and for UTF-8 the message suggests cp1252;
- `,`, `;` or a tab between cells, whichever the header row uses most (European Excel
  writes `;`); CRLF or LF line ends; quoted cells with the delimiter or line breaks;
  blank lines and rows of empty cells (skipped); columns with an empty header name (Excel's
  trailing `;;;`), left out while their cells are empty (a filled one: one problem per row,
  naming its line and column numbers, never its cells);
- a cell `export` guarded against formulas (`'` before `= + - @`, tab or CR) without the `'`
  (`unguard`), so an export re-imports unchanged;
- with `--encoding cp1252`/`latin-1`, a line whose non-ASCII bytes are valid UTF-8 is
  refused ("is UTF-8, not cp1252"): the file was UTF-8 and would store "ZoÃ«" for "Zoë";
- header names matched ignoring case, spaces, `_` and `-` (`Next Review`, `next_review`
  and `NEXT-REVIEW` are one column), and each kind of file's aliases (`opened` and
  `opened_on`), the headers people type (`Client name`, `Ref`, `Key worker`) and a team's
  own (`header_map`: `--map`, config `import.columns`); columns a program computes
  (`weight`) are ignored; any other column is refused, naming it, unless `ignore_unknown`.

Invariants:
- streaming: the file is read line by line, never whole; memory does not grow with the
  number of rows, and a physical line longer than MAX_LINE_BYTES is refused;
- a header row has at most MAX_COLUMNS cells, checked before anything is built from
  them; every check takes time linear in the input;
- a first line none of whose cells is a column is most likely the first client's row:
  it is described ("line 1 is not a header row: none of its 3 cells is a column"),
  never printed (the privacy rule of domain/errors.py); a header cell is shown once the
  line is known to be a header (headers are not personal data), cut to 40 characters.
Pure: takes an iterable of the file's byte lines; problems are BadInput with their line.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator, Mapping

from caseload.domain.errors import BadInput, Described, cut
from caseload.domain.fields import FORMULA_START  # what `export` guards with a leading '

MAX_COLUMNS = 100  # a header row has at most this many cells
MAX_LINE_BYTES = 1 << 20  # a physical line longer than this is not a spreadsheet's
DELIMITERS = (",", ";", "\t")
ENCODINGS = ("utf-8", "cp1252", "latin-1")
_SHOWN_AS = {"utf-8": "UTF-8", "cp1252": "cp1252", "latin-1": "latin-1"}
_FOLD = re.compile(r"[\s_-]+")
_ENCODING_NAMES = {"utf8": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "cp1252",
                   "windows-1252": "cp1252", "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1"}


def fold(name: str) -> str:
    """A header name as it is matched: lower case, without spaces, `_` or `-`."""
    return _FOLD.sub("", name).lower()


def encoding_named(text: str | None) -> str:
    """The encoding `--encoding` names (utf-8 by default); anything else is bad input."""
    if text is None:
        return "utf-8"
    found = _ENCODING_NAMES.get(text.strip().lower())
    if found is None:
        raise BadInput("--encoding", text, f"is not one of {', '.join(ENCODINGS)}")
    return found


@dataclass(frozen=True)
class Columns:
    """The columns a kind of file may have: canonical names with their aliases, the
    columns a program computes (ignored), and the ones every file needs."""

    names: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical name
    computed: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    example: str = ""  # the start of a header row, for the message about an empty file
    moments: tuple[str, ...] = ()  # columns holding a date and time: a workbook's time cell read whole
    given: tuple[str, ...] = ()  # headers `--map` names for this file: each must be in it (a typo is no silence)

    def lookup(self) -> dict[str, str]:
        found = {fold(name): name for name in self.names}
        found.update({fold(alias): name for alias, name in self.aliases.items()})
        return found

    def mapped(self, headers: Mapping[str, str], given: Iterable[str] = ()) -> Columns:
        """These columns with a team's own header names (`--map`, config `import.columns`):
        each header, matched as any header is, is read as the column it names. `given`: the
        ones named for this file (`--map`), which it must have (the config's are for any
        file of the team)."""
        return replace(self, aliases={**self.aliases, **headers}, given=tuple(given))


def header_map(text: str | Mapping[str, object] | None, columns: Columns, field: str = "--map") -> dict[str, str]:
    """A team's header names for the columns: `Client name=client,Key worker=worker` (the
    `--map` flag) or a mapping (config `import.columns`). Each column must be one of
    `columns`; a header is any text without `=` or `,` (headers are not personal data: a
    message shows them)."""
    if text is None:
        return {}
    if isinstance(text, str):
        pairs = []
        for item in text.split(","):
            if not item.strip():
                continue
            header, equals, column = item.partition("=")
            if not equals or not header.strip() or not column.strip():
                raise BadInput(field, cut(item.strip()), "is not Header=column (e.g. \"Client name=client,Ref=id\")")
            pairs.append((header.strip(), column.strip()))
    else:
        pairs = list(text.items())
    known = {fold(name): name for name in columns.names}
    found = {}
    for header, column in pairs:
        if not isinstance(header, str) or not isinstance(column, str) or not header.strip():
            raise BadInput(field, cut(str(header)), "is not a header name with a column (text: text)")
        name = known.get(fold(column))
        if name is None:
            raise BadInput(f"{field} {cut(header.strip())}", cut(column), f"is not a column (use {', '.join(columns.names)})")
        found[header.strip()] = name
    return found


def not_a_header(columns: Columns, cells: int) -> str:
    """Why a first line none of whose cells names a column is refused, without its cells."""
    listed = ",".join(columns.names)
    if cells == 0:
        return f"is blank: the first line is the header row ({listed})"
    which = "its one cell is not a column" if cells == 1 else f"none of its {cells:,} cells is a column"
    return f"is not a header row: {which} (the first line names the columns: {listed})"


def decoded(lines: Iterable[bytes], encoding: str, source: object) -> Iterator[str]:
    """The file's lines as text; a byte-order mark at the start is dropped. A line that is
    not valid in `encoding` stops the reading with BadInput naming that line."""
    number = 0
    for number, raw in enumerate(lines, start=1):
        if len(raw) > MAX_LINE_BYTES:
            raise BadInput("--file", source, f"has a line longer than {MAX_LINE_BYTES:,} bytes; "
                                            "it is not a spreadsheet's CSV", line=number)
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
            if encoding != "utf-8":
                encoding = "utf-8"  # a UTF-8 BOM says what the file is, whatever was guessed
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            hint = ("; Excel's \"CSV (Comma delimited)\" is cp1252: give --encoding cp1252, or save it as "
                    "\"CSV UTF-8\"" if encoding == "utf-8" else "")
            raise BadInput("--file", source, f"is not {_SHOWN_AS[encoding]} text at byte {error.start + 1} of the line{hint}",
                           line=number) from None
        if encoding != "utf-8" and not raw.isascii() and _is_utf8(raw):
            raise BadInput("--file", source, f"is UTF-8, not {_SHOWN_AS[encoding]}: leave out --encoding", line=number)
        yield text


def _is_utf8(raw: bytes) -> bool:
    """Whether a line with bytes of 0x80 and above is valid UTF-8. Text really written in
    cp1252 or latin-1 almost never is (an accented letter is one byte, which UTF-8 never
    leaves alone), so such a line read as cp1252 would store "ZoÃ« Kowalski"."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def delimiter_of(header_line: str) -> str:
    """`,`, `;` or tab: whichever the header row uses most (`,` when none or tied)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals: `,`
    return best if counts[best] else ","


def _header_cell(cell: str) -> object:
    """An unknown header cell as a message shows it, cut to 40 characters: once the line is
    known to be a header row (some of its cells name columns), its cells are header names,
    not personal data, and showing them is what helps (`Client name`, `Phone`)."""
    return Described(cut(repr(cell.strip())[1:-1]))


@dataclass
class Header:
    """A header row read: each cell's canonical column (None for an ignored one)."""

    columns: list[str | None]
    delimiter: str
    ignored: list[str]  # the cells left out (computed, or unknown with ignore_unknown)
    unnamed: list[int] = field(default_factory=list)  # columns (from 1) with an empty name: their cells must be too
    typed: dict[str, str] = field(default_factory=dict)  # column -> its header as the file writes it ("Key Worker")

    def named(self, problem: BadInput) -> BadInput:
        """A problem of a row, naming its column by the file's own header as well when that
        differs from caseload's name (DESIGN §11): `Key Worker (worker): 'zed' is not a worker`."""
        typed = self.typed.get(problem.field)
        if typed is not None and problem.line is not None and problem.line > 1 and fold(typed) != fold(problem.field):
            problem.field = f"{typed} ({problem.field})"
        return problem


def read_header(first_line: str, columns: Columns, ignore_unknown: bool) -> tuple[Header | None, list[BadInput]]:
    """The header row's columns, or every problem with it (all on line 1)."""
    delimiter = delimiter_of(first_line)
    return header_of(next(csv.reader([first_line], delimiter=delimiter), []), columns, ignore_unknown, delimiter)


def header_of(cells: list[str], columns: Columns, ignore_unknown: bool,
              delimiter: str = ",") -> tuple[Header | None, list[BadInput]]:
    """The header row's columns from its cells (a CSV line's or a workbook row's), or every
    problem with it (all on line 1)."""
    if len(cells) > MAX_COLUMNS:  # checked before anything is built from the cells
        return None, [BadInput("header", "", f"has {len(cells):,} cells; a header row has at most {MAX_COLUMNS}", 1)]
    lookup = columns.lookup()
    computed = {fold(name) for name in columns.computed}
    folded = [fold(cell) for cell in cells]
    if not any(name in lookup for name in folded):  # data, most likely a client's: never print its cells
        return None, [BadInput("", "", not_a_header(columns, len([c for c in cells if c.strip()])), 1)]
    problems: list[BadInput] = []
    mapped: list[str | None] = []
    ignored: list[str] = []
    unnamed: list[int] = []  # the columns (numbered from 1) whose header cell is empty
    typed: dict[str, str] = {}
    unknown: list[str] = []
    for cell, name in zip(cells, folded):
        if name in lookup:
            mapped.append(lookup[name])
            typed[lookup[name]] = cut(cell.strip())
        elif name in computed or (ignore_unknown and name):
            mapped.append(None)
            ignored.append(cut(cell.strip()))
        elif not name:  # Excel's trailing `;;;`: left out while its cells are empty (`SheetReader.cells`)
            mapped.append(None)
            unnamed.append(len(mapped))
        else:
            unknown.append(cell)
            mapped.append(None)
    if len(unknown) == 1:
        problems.append(BadInput("header", _header_cell(unknown[0]), f"is not a column (use {', '.join(columns.names)}; "
                                 "or give --ignore-unknown to leave it out)", 1))
    elif unknown:  # one line for them all: the list of columns once, not once for each
        shown = ", ".join(repr(str(_header_cell(cell))) for cell in unknown[:10]) + (
            f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        problems.append(BadInput("header", "", f"cells {shown} are not columns (use {', '.join(columns.names)}; "
                                 "or give --ignore-unknown to leave them out)", 1))
    present = set(folded)
    for header in columns.given:
        if fold(header) not in present:
            problems.append(BadInput("--map", Described(cut(header)), "is not a header of the file (its headers: "
                                     f"{cut(', '.join(c.strip() for c in cells if c.strip()), 200)})", 1))
    for name, times in Counter(n for n in mapped if n is not None).items():  # linear in the header
        if times > 1:
            problems.append(BadInput("header", name, "appears twice (or under two names)", 1))
    for name in columns.required:
        if name not in mapped:
            problems.append(BadInput("header", Described(",".join(n for n in mapped if n)),
                                     f"has no {name} column", 1))
    if problems:
        return None, problems
    return Header(mapped, delimiter, ignored, unnamed, typed), []


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


class SheetReader:
    """One pass over a CSV file: `header` (or `problems`) after construction, then `rows()`
    yields each non-blank row with the line it starts on. Problems of shape (cell count,
    broken quoting) are appended to `problems`; a decoding problem raises BadInput."""

    def __init__(self, lines: Iterable[bytes], columns: Columns, *, encoding: str = "utf-8",
                 ignore_unknown: bool = False, source: object = "file"):
        self.problems: list[BadInput] = []
        self.header: Header | None = None
        self._text = decoded(lines, encoding, source)
        first = next(self._text, None)
        if first is None or not first.strip("\r\n"):
            label = columns.example or ",".join(columns.names[:2])
            self.problems.append(BadInput("file", "", f"is empty (it needs a header row: {label},...)", line=1)
                                 if first is None else BadInput("", "", not_a_header(columns, 0), 1))
            return
        self.header, self.problems = read_header(first, columns, ignore_unknown)

    def rows(self, on_problem: Callable[[BadInput], None] | None = None) -> Iterator[Row]:
        if self.header is None:
            return
        keep = [(i, name) for i, name in enumerate(self.header.columns) if name is not None]
        for line, cells in self.cells(on_problem):
            yield Row(line, {name: cells[i] for i, name in keep})

    def row(self, line: int, cells: list[str]) -> Row:
        """The Row of cells that `cells` gave."""
        return Row(line, {name: cells[i] for i, name in enumerate(self.header.columns) if name is not None})

    def cells(self, on_problem: Callable[[BadInput], None] | None = None) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of each non-blank row, the cells in the header's order, ignored
        columns included (`header.columns` names each, None for an ignored one)."""
        if self.header is None:
            return
        report = on_problem or self.problems.append
        width = len(self.header.columns)
        unnamed = [number - 1 for number in self.header.unnamed]
        for start, cells in self._numbered(report):
            joined = "".join(cells)
            if len(cells) != width:
                if not joined.strip():
                    continue  # a blank line, or a row of empty cells a spreadsheet left behind
                report(BadInput("row", Described(f"{len(cells)} cells"),
                                f"does not match the header's {width} columns", start))
                continue
            if not joined.strip():
                continue
            if unnamed:
                filled = [i + 1 for i in unnamed if cells[i].strip()]
                if filled:
                    report(BadInput("", "", unnamed_filled(filled), start))
                    continue
            if self.guarded and "'" in joined:
                unguard(cells)
            yield start, cells

    guarded = True  # a CSV cell may carry export's ' before a formula character (`unguard`)

    def _numbered(self, report: Callable[[BadInput], None]) -> Iterator[tuple[int, list[str]]]:
        """(the line it starts on, its cells) of each CSV row after the header; broken
        quoting ends the reading with one problem."""
        reader = csv.reader(self._text, delimiter=self.header.delimiter, strict=True)
        previous_end = 1
        try:
            for cells in reader:
                start, previous_end = previous_end + 1, reader.line_num + 1
                yield start, cells
        except csv.Error as error:
            report(BadInput("file", Described("…"), f"is not valid CSV ({error})", reader.line_num + 1))


def unnamed_filled(columns: list[int]) -> str:
    """Why a row with cells under an empty header name is refused (its cells unprinted)."""
    if len(columns) == 1:
        which = f"a value in column {columns[0]}, which has"
    else:
        which = f"values in columns {', '.join(map(str, columns[:-1]))} and {columns[-1]}, which have"
    return f"has {which} no name in the header row (name the column in line 1, or clear the cells)"




def unguard(cells: list[str]) -> None:
    """Drop the `'` that `export` (and spreadsheet programs) put before a cell starting with
    a formula character, so "+44 7700 900123" comes back as it went out: exactly one `'`,
    only when the next character is one of FORMULA_START ("'Brien" and "''+x" stay as they are).
    A text that itself starts with `'` and a formula character ("'+x") comes back without
    its `'`: export writes it unguarded, and the two cannot be told apart."""
    for i, cell in enumerate(cells):
        if cell[:1] == "'" and cell[1:2] in FORMULA_START:
            cells[i] = cell[1:]
