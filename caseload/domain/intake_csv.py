"""Reading a spreadsheet's CSV export into rows with their line numbers (DESIGN §5).

Accepts what spreadsheets write: a UTF-8 byte-order mark, CRLF line ends, quoted
cells with commas and newlines, blank lines (skipped). The header's columns are the
long flag names of `intake`; an unknown or repeated column is an error. A first line
none of whose cells is a column is most likely the first client's row: it is described
("line 1 is not a header row: none of its 3 cells is a column"), never printed. A header
has at most MAX_COLUMNS cells, and every check takes time linear in the file's size.
Each row keeps the line it starts on, so every message can say "line 14, tier: ...".
Pure: takes the text, returns rows and problems, never raises on bad content.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from caseload.domain.errors import BadInput, Described
from caseload.domain.intake import INTAKE_FIELDS

MAX_COLUMNS = 100  # a header row has at most this many cells (there are 12 columns)


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


def not_a_header(cells: int) -> str:
    """Why a first line none of whose cells names a column is refused, without its cells."""
    if cells == 0:
        return f"is blank: the first line is the header row ({','.join(INTAKE_FIELDS)})"
    which = "its one cell is not a column" if cells == 1 else f"none of its {cells:,} cells is a column"
    return f"is not a header row: {which} (the first line names the columns: {','.join(INTAKE_FIELDS)})"


def read_csv(text: str) -> tuple[list[CsvRow], list[BadInput]]:
    problems: list[BadInput] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    rows: list[CsvRow] = []
    try:
        header = next(reader, None)
        if header is None:
            return [], [BadInput("file", "", "is empty (it needs a header row: client,tier,...)", line=1)]
        if len(header) > MAX_COLUMNS:  # checked before anything is built from the cells
            return [], [BadInput("header", "", f"has {len(header):,} cells; a header row has at most {MAX_COLUMNS}", 1)]
        columns = [name.strip().lower() for name in header]
        known = [name for name in columns if name in INTAKE_FIELDS]
        if not known:  # data, most likely the first client's: describe the line, never print its cells
            return [], [BadInput("", "", not_a_header(len(columns)), 1)]
        for name in columns:
            if name not in INTAKE_FIELDS:
                problems.append(BadInput("header", name, f"is not a column (use {', '.join(INTAKE_FIELDS)})", 1))
        for name, times in Counter(columns).items():  # counted once: linear in the header's size
            if times > 1:
                problems.append(BadInput("header", name, "appears twice", 1))
        if "client" not in known:
            problems.append(BadInput("header", Described(",".join(known)), "has no client column", 1))
        if problems:
            return [], problems
        previous_end = reader.line_num
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells a spreadsheet left behind
            if len(cells) != len(columns):
                problems.append(BadInput(
                    "row", Described(f"{len(cells)} cells"), f"does not match the header's {len(columns)} columns",
                    start))
                continue
            rows.append(CsvRow(start, dict(zip(columns, cells))))
    except csv.Error as error:
        problems.append(BadInput("file", Described("…"), f"is not valid CSV ({error})", reader.line_num))
    return rows, problems
