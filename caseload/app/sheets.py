"""A spreadsheet's CSV file on disk, opened afresh for each pass over it (`intake --csv`
and `worker import` validate in a first pass and write in a second: the file is never
held in memory). Reading is `domain.spreadsheet`'s; this module only opens the file
and turns the ways opening fails into bad input naming the file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from caseload.domain.spreadsheet import MAX_LINE_BYTES, Columns, SheetReader


@dataclass
class Sheet:
    path: Path
    columns: Columns
    encoding: str = "utf-8"
    ignore_unknown: bool = False
    dates: str | None = None  # the date order given (dmy, mdy, ymd); None: found from the dates
    sheet_name: str | None = None  # a workbook's sheet to read (None: the first)

    def __post_init__(self):
        self._open: list = []
        self.ignored: list[str] = []  # the columns the last pass left out

    def reader(self) -> SheetReader:
        """A new pass over the file from its first line (closed by `close`)."""
        from caseload.domain.errors import BadInput

        try:
            if self.path.is_dir():
                raise BadInput("--csv", self.path, "is a folder, not a CSV file")
            handle = open(self.path, "rb")  # a user's CSV file, never the database
        except FileNotFoundError:
            raise BadInput("--csv", self.path, "does not exist") from None
        except OSError as error:
            raise BadInput("--csv", self.path, f"cannot be read ({error.strerror})") from None
        self._open.append(handle)
        lines = iter(partial(handle.readline, MAX_LINE_BYTES + 1), b"")
        reader = SheetReader(lines, self.columns, encoding=self.encoding, ignore_unknown=self.ignore_unknown,
                             source=self.path)
        self.ignored = reader.header.ignored if reader.header is not None else []
        return reader

    def close(self) -> None:
        for handle in self._open:
            handle.close()
        self._open.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def sheet_for(path: Path, columns: Columns, config, encoding: str | None = None, ignore_unknown: bool = False,
              header_names: str | None = None, dates: str | None = None, sheet_name: str | None = None) -> Sheet:
    """The file a move reads, with the team's own header names (`--map`, then config
    `import.columns`) and date order (`--dates`, else config `import.dates`), each checked."""
    from caseload.domain.date_order import order_named
    from caseload.domain.spreadsheet import encoding_named, header_map

    names = {**header_map(config.import_columns, columns, "import.columns"), **header_map(header_names, columns)}
    return Sheet(path, columns.mapped(names) if names else columns, encoding_named(encoding), ignore_unknown,
                 order_named(dates) or config.import_dates, sheet_name)


def date_orders(sheet: Sheet, date_columns: tuple[str, ...]) -> dict[str, str]:
    """Each date column's order: the one given, or found from the file's own dates (a pass
    over the file, made only when it holds a date like 31/01/2025)."""
    from caseload.domain.date_order import DateOrders

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
