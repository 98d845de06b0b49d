"""Reading a spreadsheet's CSV export into rows with their line numbers (DESIGN §5).

Accepts what spreadsheets write: a UTF-8 byte-order mark, CRLF line ends, quoted
cells with commas and newlines, blank lines (skipped). The header's columns are the
long flag names of `intake`; an unknown or repeated column is an error. Each row
keeps the line it starts on, so every message can say "line 14, tier: ...".
Pure: takes the text, returns rows and problems, never raises on bad content.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from caseload.domain.errors import BadInput
from caseload.domain.intake import INTAKE_FIELDS


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


def read_csv(text: str) -> tuple[list[CsvRow], list[BadInput]]:
    problems: list[BadInput] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    rows: list[CsvRow] = []
    try:
        header = next(reader, None)
        if header is None:
            return [], [BadInput("file", "", "is empty (it needs a header row: client,tier,...)", line=1)]
        columns = [name.strip().lower() for name in header]
        for name in columns:
            if name not in INTAKE_FIELDS:
                problems.append(BadInput("header", name, f"is not a column (use {', '.join(INTAKE_FIELDS)})", 1))
        for name in {c for c in columns if columns.count(c) > 1}:
            problems.append(BadInput("header", name, "appears twice", 1))
        if "client" not in columns:
            problems.append(BadInput("header", ",".join(columns), "has no client column", 1))
        if problems:
            return [], problems
        previous_end = reader.line_num
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells a spreadsheet left behind
            if len(cells) != len(columns):
                problems.append(BadInput(
                    "row", f"{len(cells)} cells", f"does not match the header's {len(columns)} columns", start))
                continue
            rows.append(CsvRow(start, dict(zip(columns, cells))))
    except csv.Error as error:
        problems.append(BadInput("file", "…", f"is not valid CSV ({error})", reader.line_num))
    return rows, problems
