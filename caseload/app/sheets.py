"""A spreadsheet on disk, a CSV file or an Excel workbook, opened afresh for each pass over
it (`intake --file` and `worker import` validate in a first pass and write in a second:
the file is never held in memory). Reading is `domain.spreadsheet`'s (CSV) and
`domain.workbook`'s (a workbook's sheet, as the same rows of text cells); this module
only opens the file, tells a workbook by its first bytes (whatever its name), and turns
the ways opening fails into bad input naming the file."""

from __future__ import annotations

import os
import warnings
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Optional

from caseload.domain.date_order import DateOrders, order_named
from caseload.domain.errors import BadInput, CaseloadError
from caseload.domain.spreadsheet import MAX_LINE_BYTES, Columns, SheetReader, encoding_named, header_map
from caseload.domain.team_csv import TEAM_FILE
from caseload.domain.team_time import ABSENCE_FILE, FEELS_FILE, REDUCTION_FILE, REVIEW_FILE
from caseload.domain.workbook import ExcelError, WorkbookReader

ZIP = b"PK\x03\x04"  # an .xlsx workbook is a zip file
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected .xlsx, or an old .xls
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
INSTALL = "pip install 'caseload[xlsx]'"


@dataclass
class Sheet:
    path: Path
    columns: Columns
    encoding: str = "utf-8"
    ignore_unknown: bool = False
    dates: str | None = None  # the date order given (dmy, mdy, ymd); None: found from the dates
    sheet_name: str | None = None  # a workbook's sheet to read (None: the first)
    encoding_given: bool = False  # --encoding was given (a workbook has none: refused)
    field: str = "--file"  # the flag that named the file (--csv is its alias), for messages about opening it
    # a progress bar the command may pass each pass's lines (bytes) or rows through:
    # track(items, total, label, weigh) gives the items back (DESIGN §5; `render.console.tracked`)
    track: Optional[Callable] = None

    def __post_init__(self):
        self._open: list = []
        self.ignored: list[str] = []  # the columns the last pass left out

    def reader(self) -> SheetReader:
        """A new pass over the file from its first row (closed by `close`)."""
        handle = self._opened()
        kind = self._kind(handle)
        if kind == "workbook":
            reader = self._workbook_reader(handle)
        else:
            if self.sheet_name is not None:
                raise BadInput("--sheet", self.sheet_name, f"goes with a workbook (.xlsx); {self.path.name} is a CSV file")
            lines = iter(partial(handle.readline, MAX_LINE_BYTES + 1), b"")
            if self.track is not None:
                lines = self.track(lines, os.fstat(handle.fileno()).st_size, f"reading {self.path.name}", len)
            reader = SheetReader(lines, self.columns, encoding=self.encoding, ignore_unknown=self.ignore_unknown,
                                 source=self.path)
        self.ignored = reader.header.ignored if reader.header is not None else []
        return reader

    def sheet_names(self) -> list[str]:
        """The sheets of the workbook (folded to lower case; none for a CSV file)."""
        try:
            handle = self._opened()
            if self._kind(handle) != "workbook":
                return []
            return [name.strip().lower() for name in self._book(handle).sheetnames]
        finally:
            self.close()

    def _opened(self):
        try:
            if self.path.is_dir():
                raise BadInput(self.field, self.path, "is a folder, not a spreadsheet file")
            handle = open(self.path, "rb")  # a user's spreadsheet, never the database
        except FileNotFoundError:
            raise BadInput(self.field, self.path, "does not exist") from None
        except OSError as error:
            raise BadInput(self.field, self.path, f"cannot be read ({error.strerror})") from None
        self._open.append(handle)
        return handle

    def _kind(self, handle) -> str:
        """"workbook" or "csv", from the file's first bytes; a file named as a workbook that
        is not one, or one Excel has locked with a password, is refused here."""
        start = handle.read(8)
        handle.seek(0)
        if start.startswith(ZIP):
            return "workbook"
        if start.startswith(OLE):
            raise BadInput("--file", self.path, "is a password-protected workbook or an old .xls file, which "
                                                "caseload cannot read: in Excel, remove the password (File > Info > "
                                                "Protect Workbook) and save it as .xlsx, or save it as CSV")
        if start.lstrip()[:1] in (b"{", b"[") and self.path.suffix.lower() == ".json":
            raise BadInput(self.field, self.path, "is JSON, which is for scripts: caseload reads a "
                                                              "workbook (.xlsx) or CSV (`export ... -o file.xlsx` "
                                                              "or `-o file.csv` writes one)")
        if self.path.suffix.lower() in WORKBOOK_SUFFIXES:
            if not start:
                raise BadInput("--file", self.path, "is empty (0 bytes), not a workbook")
            raise BadInput("--file", self.path, "is not an Excel workbook (an .xlsx file is a zip file; this one is "
                                                "not): open it in Excel and save it as .xlsx, or as CSV")
        return "csv"

    def _workbook_reader(self, handle) -> SheetReader:
        if self.encoding_given:
            raise BadInput("--encoding", self.encoding, f"is for CSV files; {self.path.name} is a workbook, whose "
                                                        "text needs no encoding: leave out --encoding")
        sheet = self._worksheet(handle)
        rows = self._values(sheet)
        if self.track is not None:
            rows = self.track(rows, sheet.max_row or 0, f"reading {self.path.name}", None)
        reader = WorkbookReader(rows, self.columns, ignore_unknown=self.ignore_unknown,
                                source=f"{self.path.name}, sheet {sheet.title}")
        names = sheet.parent.sheetnames  # the workbook the sheet is in
        if reader.header is None and self.sheet_name is None and len(names) > 1:  # the first sheet, by default
            reader.problems.append(BadInput("--sheet", "", f"was not given, so the first sheet ({sheet.title}) was "
                                                           f"read; {self.path.name} has {', '.join(names)}: "
                                                           "`--sheet NAME` reads another", 1))
        return reader

    def _worksheet(self, handle):
        """The sheet to read (`sheet_name`, else the first)."""
        book = self._book(handle)
        names = book.sheetnames
        if not names:
            raise BadInput("--file", self.path, "has no sheets")
        if self.sheet_name is None:
            return book[names[0]]
        found = next((name for name in names if name.strip().lower() == self.sheet_name.strip().lower()), None)
        if found is None:
            raise BadInput("--sheet", self.sheet_name, f"is not a sheet of {self.path.name} (its sheets: "
                                                       f"{', '.join(names)})")
        return book[found]

    def _book(self, handle):
        """The workbook in read-only mode, values only (a formula's value as Excel last worked
        it out); closed by `close`."""
        try:
            import openpyxl
        except ImportError:
            raise CaseloadError(f"reading a workbook needs openpyxl, which is not installed: {INSTALL} "
                                "(or save the sheet as CSV)") from None
        # openpyxl warns about parts of a workbook it leaves aside (data validation, styles):
        # nothing caseload reads, and nothing the lead can act on
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        try:
            unpacked = sum(part.file_size for part in zipfile.ZipFile(handle).infolist())
            handle.seek(0)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise BadInput("--file", self.path, f"cannot be read as an Excel workbook ({_why(error)}): open it "
                                                "in Excel and save it again as .xlsx, or as CSV") from None
        if unpacked > UNPACKED_MAX_BYTES:  # a zip bomb, or a workbook far bigger than a team's
            raise BadInput("--file", self.path, f"unpacks to more than {UNPACKED_MAX_BYTES // 2**20} MB: save the "
                                                "sheet as CSV (read as it streams) and give that")
        try:  # the handle stays open with the book: read-only mode reads the zip as rows are asked for
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # a damaged or foreign zip: openpyxl raises many kinds
            raise BadInput("--file", self.path, f"cannot be read as an Excel workbook ({_why(error)}): open it "
                                                "in Excel and save it again as .xlsx, or as CSV") from None
        self._open.append(book)
        return book

    def _values(self, sheet):
        """The sheet's rows from row 1 and column A, as tuples of values (an error cell as an
        `ExcelError`); a workbook that breaks while it is read is refused like one that
        cannot be opened."""
        try:
            sheet.reset_dimensions()  # the size a workbook declares may be wrong: read every row it holds
            for row in sheet.iter_rows(min_row=1, min_col=1):
                yield tuple(ExcelError(cell.value) if cell.data_type == "e" else cell.value for cell in row)
        except Exception as error:  # damage found part way: openpyxl raises many kinds
            raise BadInput("--file", self.path, f"cannot be read as an Excel workbook ({_why(error)}): open it "
                                                "in Excel and save it again as .xlsx, or as CSV") from None

    def close(self) -> None:
        for handle in reversed(self._open):
            handle.close()
        self._open.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# A workbook's parts, unpacked, at most: 200,000 cases of a dozen columns unpack to about
# 150 MB; a workbook that claims more (an 800 KB file can unpack to 800 MB) is refused
# before openpyxl reads it into memory.
UNPACKED_MAX_BYTES = 256 * 2**20


def _why(error: Exception) -> str:
    """What went wrong reading a workbook, in a few words (never a cell's value)."""
    if isinstance(error, zipfile.BadZipFile):
        return "it is not a complete zip file"
    if isinstance(error, KeyError):
        return "a part of the workbook is missing"
    return type(error).__name__


def sheet_for(path: Path, columns: Columns, config, encoding: str | None = None, ignore_unknown: bool = False,
              header_names: str | None = None, dates: str | None = None, sheet_name: str | None = None,
              field: str = "--file") -> Sheet:
    """The file a move reads, with the team's own header names (`--map`, then config
    `import.columns`) and date order (`--dates`, else config `import.dates`), each checked."""
    given = header_map(header_names, columns)
    names = {**header_map(config.import_columns, columns, "import.columns"), **given}
    return Sheet(path, columns.mapped(names, given) if names else columns, encoding_named(encoding), ignore_unknown,
                 order_named(dates) or config.import_dates, sheet_name, encoding_given=encoding is not None,
                 field=field)


def date_orders(sheet: Sheet, date_columns: tuple[str, ...]) -> dict[str, str]:
    """Each date column's order: the one given, or found from the file's own dates (a pass
    over the file, made only when it holds a date like 31/01/2025)."""
    if sheet.dates is not None:
        return dict.fromkeys(date_columns, sheet.dates)
    orders = DateOrders()
    reader = sheet.reader()
    if reader.header is None:
        return {}
    where = [(i, name) for i, name in enumerate(reader.header.columns) if name in date_columns]
    for _, cells in reader.cells(on_problem=lambda problem: None):  # the reading pass reports them
        for i, name in where:
            orders.feed(name, cells[i])
    return orders.decide()


def team_sheets(path: Path, config, encoding: str | None = None, ignore_unknown: bool = False,
                header_names: str | None = None, dates: str | None = None, sheet_name: str | None = None,
                absences: Path | None = None, reductions: Path | None = None,
                reviews: Path | None = None, feels: Path | None = None) -> tuple[Sheet, ...]:
    """What `worker import` reads: the team file (as `sheet_for` reads it), and its absences,
    reductions, recorded reviews and own views: the files given (a workbook's sheet of that
    name, else its first), else a team workbook's own sheets of those names (`export team
    --format xlsx` writes them), else None. `--map` and config `import.columns` name the
    team file's headers only."""
    team = sheet_for(path, TEAM_FILE, config, encoding, ignore_unknown, header_names, dates, sheet_name, "--file")
    in_team = team.sheet_names() if None in (absences, reductions, reviews, feels) else []

    def companion(given: Path | None, name: str, columns: Columns, flag: str) -> Sheet | None:
        source = given if given is not None else path
        found = Sheet(source, columns, encoding_named(encoding), ignore_unknown, order_named(dates) or config.import_dates,
                      None, encoding_given=encoding is not None, field=flag)
        sheets = found.sheet_names() if given is not None else in_team
        if name in sheets and (given is not None or (sheet_name or "").strip().lower() != name):
            found.sheet_name = name
        elif given is None:
            return None
        return found

    return (team, companion(absences, "absences", ABSENCE_FILE, "--absences"),
            companion(reductions, "reductions", REDUCTION_FILE, "--reductions"),
            companion(reviews, "reviews", REVIEW_FILE, "--reviews"),
            companion(feels, "feels", FEELS_FILE, "--feels"))
