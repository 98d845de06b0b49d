"""Reading a sheet of an Excel workbook as the same rows of text cells as a CSV file
(DESIGN §11: "workbooks as they are"), so `intake --file cases.xlsx` and `worker import
--file team.xlsx` go through every check, alias, `--map` and message of a CSV file
(`domain.spreadsheet.SheetReader`, which this reader is, bar where the rows come from).

A cell comes as the workbook holds it (openpyxl's values) and is read as text:
- a date or date-time cell is its day in ISO form (`2025-01-31`), which every date
  column reads whatever `--dates` says: a date cell never raises the dmy/mdy question;
- a whole number is written without a decimal point, so a `Ref` of 182 is `182`, never
  `182.0`; any other number as Python writes it shortest (`0.8`);
- TRUE/FALSE as Excel shows them, empty cells (None) as empty text;
- text as it is: Excel keeps its "quote prefix" outside the text, so nothing is unguarded.
Rows are numbered as the sheet numbers them (the header is row 1), so a message's "line 5"
is row 5 in Excel. Empty rows are skipped wherever they are; cells right of the header's
last named column are left out while empty (Excel's formatted but empty columns), and a
filled one is refused naming its column number, never its value.
Pure: takes the sheet's rows as sequences of values; opening the workbook is `app.sheets`'s.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Callable, Iterable, Iterator, Sequence

from caseload.domain.errors import BadInput, Described
from caseload.domain.spreadsheet import Columns, SheetReader, header_of, not_a_header, unnamed_filled


class ExcelError(str):
    """A cell holding one of Excel's errors (#N/A, #REF!, #VALUE!...): a formula that went
    wrong, never a client's name or a date. Refused by row and column, never read as text."""


def cell_text(value: object) -> str:
    """A workbook cell's value as the text a CSV file would hold for it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: a bool is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def moment_text(value: object) -> str:
    """A cell of a column holding a moment (`Columns.moments`): a time cell whole, in ISO with
    its zone (a workbook holds times in UTC without one, as `export` writes them)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)).isoformat()
    return cell_text(value)


class WorkbookReader(SheetReader):
    """One pass over a sheet's rows (each a sequence of cell values, row 1 the header): the
    `header` (or `problems`) after construction, then `rows()`/`cells()` as for CSV."""

    guarded = False  # a workbook's text is the text: no ' to take off

    def __init__(self, rows: Iterable[Sequence[object]], columns: Columns, *, ignore_unknown: bool = False,
                 source: str = "the sheet"):
        self.problems: list[BadInput] = []
        self.header = None
        self._rows = iter(rows)
        first = next(self._rows, None)
        cells = _trimmed([cell_text(value) for value in first]) if first is not None else []
        if first is None:
            label = columns.example or ",".join(columns.names[:2])
            self.problems.append(BadInput("--file", Described(source), f"is empty (it needs a header row: {label},...)"))
            return
        if not cells:
            self.problems.append(BadInput("", "", not_a_header(columns, 0), 1))
            return
        self.header, self.problems = header_of(cells, columns, ignore_unknown)
        if self.header is not None:
            self._moments = {i for i, name in enumerate(self.header.columns) if name in columns.moments}

    def _numbered(self, report: Callable[[BadInput], None]) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header.columns)
        for number, values in enumerate(self._rows, start=2):
            errors = [(i, value) for i, value in enumerate(values[:width]) if isinstance(value, ExcelError)]
            if errors:
                i, value = errors[0]
                report(BadInput(self.header.columns[i] or f"column {i + 1}", str(value),
                                "is an Excel error (a formula that went wrong): put the value right in the "
                                "workbook", number))
                continue
            cells = [moment_text(value) if i in self._moments else cell_text(value)
                     for i, value in enumerate(values[:width])]
            beyond = [width + i + 1 for i, value in enumerate(values[width:]) if cell_text(value).strip()]
            if beyond:
                report(BadInput("", "", unnamed_filled(beyond), number))
                continue
            if len(cells) < width:
                cells += [""] * (width - len(cells))  # a short row: its missing cells are empty
            yield number, cells


def _trimmed(cells: list[str]) -> list[str]:
    """A header row without the empty cells right of its last name."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]
