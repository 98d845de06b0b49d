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
