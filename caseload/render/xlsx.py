"""Excel workbooks (`--format xlsx` of `export` and `report`, DESIGN §5), written with
openpyxl, which is an optional extra (`pip install 'caseload[xlsx]'`) imported only here
and only when a workbook is written.

What a lead gets, from the same rows and columns as CSV and JSON (`render.rows`):
- one sheet per table, its first row the column names in bold, frozen, with filters;
- real cells: a date is a date (`yyyy-mm-dd`), a time a time (UTC, as in CSV and JSON),
  a figure a number (rounded down like CSV: a load never reads worse than it is), a
  list its items joined with `;`, yes/no as in CSV;
- a zone cell keeps its word and is filled in the zone's colour (Excel's own light
  red/amber/green fills with dark text, and a light blue), so it reads in colour and
  printed in black and white;
- columns as wide as their content, between `MIN_WIDTH` and `MAX_WIDTH` characters,
  judged on the first `SAMPLE` rows;
- text that a spreadsheet would run as a formula (starting `= + - @`, a tab or a
  carriage return) is a text cell with Excel's "quote prefix" (what typing `'` first
  does): it shows as typed and stays text even when the cell is edited. Unlike CSV, the
  text itself is not changed. Control characters (and U+FFFE, U+FFFF) that the file format cannot hold
  become `?` and a text longer than a cell can hold is cut, with `…`.

The workbook is written in openpyxl's streaming (write-only) mode, so a big export
costs its rows once; openpyxl keeps each sheet in a temporary file (created 0600,
deleted once saved). The file itself goes through `caseload.files.atomic_bytes`
(0600, whole or not at all, the `--output` refusals). A sheet holds at most Excel's
1,048,576 rows: more is refused (exit 1) and nothing is written.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from fractions import Fraction
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from caseload.domain.errors import BadInput, CaseloadError
from caseload.render.numbers import FORMULA_START, number

INSTALL = "pip install 'caseload[xlsx]'"
MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_TEXT = 32_767  # UTF-16 units in one cell (Excel's limit)
SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 6, 50
DATE_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
FONT = "Calibri"  # openpyxl's default for every other cell
# (fill, text) per zone: Excel's light fills with dark text, readable in black and white too
ZONE_STYLE = {"red": ("FFC7CE", "9C0006"), "amber": ("FFEB9C", "9C5700"), "green": ("C6EFCE", "006100"),
              "blue": ("DDEBF7", "1F4E79")}
# what an xlsx file (XML 1.0) cannot hold: C0 controls but tab and line breaks, and U+FFFE,
# U+FFFF and lone surrogates (one of these made the workbook unreadable, its row blank)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Sheet:
    """One table: its sheet name, columns (the header row) and rows (dicts keyed by the
    columns, or tuples in column order). `kinds` gives a column's kind ("date", "time",
    "zone", "number", "text") where its name does not say it (`kind_of`)."""

    name: str
    columns: Sequence[str]
    rows: Iterable[Any]
    kinds: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Typed:
    """A value with its own kind, for a column whose rows differ (a summary's "value")."""

    value: Any
    kind: str


def kind_of(column: str) -> str:
    """A column's kind from its name, as `render.rows` spells them: `*_on`, `*_until`,
    `*_since`, `*_due`, `date`, `on` and `since` hold dates, `at` and `*_at` a time, a name
    with `zone` a zone."""
    if column == "at" or column.endswith("_at"):
        return "time"
    if column.endswith(("_on", "_until", "_since", "_due")) or column in ("date", "on", "since"):
        return "date"
    if "zone" in column:
        return "zone"
    return "text"


def require_file(path: Path | None) -> None:
    """Refuse, before anything is read or recorded, an xlsx with nowhere to go or nothing to
    write it with: a workbook is a file, never text for a terminal or a pipe."""
    import importlib.util

    if path is None:
        raise BadInput("--output", None, "is needed with --format xlsx: a workbook is a file "
                       "(e.g. --output cases.xlsx)")
    if importlib.util.find_spec("openpyxl") is None:
        raise CaseloadError(f"--format xlsx needs openpyxl, which is not installed: {INSTALL}")


def write_workbook(path: Path | None, sheets: Sequence[Sheet]) -> int:
    """Write `sheets` as one workbook at `path` (0600, whole or not at all); returns the
    rows written (headers not counted)."""
    require_file(path)
    try:
        from openpyxl import Workbook
    except ImportError:
        raise CaseloadError(f"--format xlsx needs openpyxl, which could not be loaded: {INSTALL}") from None
    from caseload.files import atomic_bytes

    with atomic_bytes(path) as handle, _sheets_beside(path):
        book = Workbook(write_only=True)
        try:
            total = sum(_write_sheet(book, sheet) for sheet in sheets)
        except BaseException:
            _discard(book)
            raise
        book.save(handle)
    return total


@contextmanager
def _sheets_beside(path: Path):
    """openpyxl spools each sheet to a temporary file in the system's temporary folder,
    where a killed process would leave personal data behind for anyone who looks. Spool
    into a private (0700) folder beside the output instead: the user's own folder, which
    already receives the data, and removed whatever happens short of a kill."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix=".caseload-xlsx-", dir=path.parent)
    before, tempfile.tempdir = tempfile.tempdir, folder
    try:
        yield
    finally:
        tempfile.tempdir = before
        shutil.rmtree(folder, ignore_errors=True)


def _discard(book) -> None:
    """A workbook abandoned half-way: its sheets' temporary files go now, not at exit."""
    for ws in book.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            ws.close()
        finally:
            writer.cleanup()


class _Cells:
    """Makes the cells of one sheet (openpyxl imported by then); styles are shared."""

    def __init__(self, sheet):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        self.sheet, self.cell = sheet, WriteOnlyCell
        self.bold = Font(name=FONT, size=11, bold=True)
        self.zones = {zone: (PatternFill("solid", fgColor="FF" + fill), Font(name=FONT, size=11, bold=True,
                                                                               color="FF" + ink))
                      for zone, (fill, ink) in ZONE_STYLE.items()}

    def header(self, name: str):
        cell = self.text(name)  # a trend's column is a worker's id: guarded like any text
        if isinstance(cell, str):
            cell = self.cell(self.sheet, value=cell)
        cell.font = self.bold
        return cell

    def value(self, value: Any, kind: str):
        """The cell for one value: a plain value where openpyxl's own is right, else a styled cell."""
        if type(value) is str and kind == "text":  # most cells: names, ids, words
            return self.text(value) if value else None
        if isinstance(value, Typed):
            value, kind = value.value, value.kind
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Fraction):
            return number(value)
        if isinstance(value, (int, float)):
            return value
        if isinstance(value, datetime):
            return self._dated(_naive_utc(value), TIME_FORMAT)
        if isinstance(value, date):
            return value  # openpyxl gives a date DATE_FORMAT itself
        if isinstance(value, (list, tuple)):
            value = ";".join(str(v) for v in value)
        text = str(value)
        if kind == "date":
            day = _parse(date.fromisoformat, text)
            if day is not None:
                return day
        elif kind == "time":
            moment = _parse(datetime.fromisoformat, text)
            if moment is not None:
                return self._dated(_naive_utc(moment), TIME_FORMAT)
        elif kind == "number":
            figure = _parse(float, text)
            if figure is not None:
                return figure
        elif kind == "zone" and text in self.zones:
            cell = self.cell(self.sheet, value=text)
            cell.fill, cell.font = self.zones[text]
            return cell
        return self.text(text)

    def text(self, text: str):
        if _ILLEGAL.search(text):
            text = _ILLEGAL.sub("?", text)
        if len(text) > MAX_TEXT // 2:  # a character is one or two UTF-16 units: only longer texts may not fit
            text = fit_cell(text)
        if not text.startswith(FORMULA_START) and not text.startswith("#"):
            return text  # openpyxl would make `#N/A`, `#REF!`, ... error cells: those get an explicit text cell
        cell = self.cell(self.sheet, value=text)
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True  # and it stays text when someone edits it
        return cell

    def _dated(self, value, number_format: str):
        cell = self.cell(self.sheet, value=value)
        cell.number_format = number_format
        return cell


def fit_cell(text: str) -> str:
    """`text` as a cell holds it: at most MAX_TEXT UTF-16 units (Excel counts those, so an
    emoji is two), cut with `…` when longer, never inside a surrogate pair."""
    if len(text.encode("utf-16-le")) // 2 <= MAX_TEXT:
        return text
    budget, used = MAX_TEXT - 1, 0
    for index, character in enumerate(text):
        used += 2 if ord(character) > 0xFFFF else 1
        if used > budget:
            return text[:index] + "…"
    return text


def _parse(parse, text: str):
    try:
        return parse(text)
    except ValueError:
        return None


def _naive_utc(moment: datetime) -> datetime:
    """A time as Excel holds it: no time zone, in UTC (as the CSV and JSON show it)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _width(value: Any, kind: str) -> int:
    if isinstance(value, Typed):
        value, kind = value.value, value.kind
    if kind == "date":
        return 10
    if kind == "time":
        return 16
    if isinstance(value, Fraction):
        return len(str(number(value)))
    if isinstance(value, (list, tuple)):
        return len(";".join(str(v) for v in value))
    if isinstance(value, bool):
        return 3
    text = "" if value is None else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _write_sheet(book, sheet: Sheet) -> int:
    from openpyxl.utils import get_column_letter

    columns = list(sheet.columns)
    kinds = [sheet.kinds.get(c) or kind_of(c) for c in columns]
    rows = iter(sheet.rows)
    first = [row if isinstance(row, tuple) else tuple(row.get(c) for c in columns) for row in islice(rows, SAMPLE)]
    ws = book.create_sheet(sheet.name)
    for index, (column, kind) in enumerate(zip(columns, kinds), 1):
        widest = max([len(column) + 2, *(_width(row[index - 1], kind) for row in first)])
        ws.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"  # printed: the header on every page, landscape, as wide as the page
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    cells = _Cells(ws)
    ws.append([cells.header(c) for c in columns])
    count = 0
    for row in chain(first, rows):
        if not isinstance(row, tuple):
            row = tuple(row.get(c) for c in columns)
        count += 1
        if count >= MAX_ROWS:
            raise CaseloadError(f"{sheet.name}: more than {MAX_ROWS - 1:,} rows, more than one spreadsheet sheet "
                                "holds: use --format csv")
        ws.append([cells.value(v, k) for v, k in zip(row, kinds)])
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{count + 1}"
    return count
