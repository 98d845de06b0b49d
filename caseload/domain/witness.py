"""The witness: the chain's head kept outside the database (DESIGN §6).

The hash chain (`domain.chain`) finds a row changed anywhere but at the end; it cannot
see the last rows deleted, nor a rewrite whose author recomputed every later hash. The
witness can: after every write caseload records, in a file of its own, each chained
table's number of rows and the hashes of a few of its rows (the last one, and rows 1, 2,
4, 8, ... as checkpoints). `doctor` reads the same rows from the database:
- fewer rows than witnessed: the last rows were deleted (named from the first missing);
- a witnessed row whose hash differs: the record was rewritten and re-hashed, at or
  before that row and after the last checkpoint that still matches (named as that range);
- more rows than witnessed: written since (by caseload run with another config folder,
  or killed between its commit and the witness): a note, not a problem.

Everything here is pure: the store reads the heads and the file; this module shapes,
parses and compares them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

FORMAT = "caseload witness 1"


@dataclass(frozen=True)
class TableHead:
    """One chained table: its number of rows and the hashes of its checkpoint rows (the last included)."""

    rows: int
    hashes: dict[int, str] = field(default_factory=dict)

    @property
    def last(self) -> str | None:
        return self.hashes.get(self.rows)


def checkpoints(rows: int) -> tuple[int, ...]:
    """The ids whose hashes a witness keeps for a table of `rows` rows: 1, 2, 4, ... and the last."""
    found, step = [], 1
    while step < rows:
        found.append(step)
        step *= 2
    if rows:
        found.append(rows)
    return tuple(found)


def to_text(database: str, at: str, heads: dict[str, TableHead]) -> str:
    """The witness file's text (JSON, one table per key)."""
    return json.dumps({"format": FORMAT, "database": database, "at": at, "tables": {
        table: {"rows": head.rows, "last": head.last, "checkpoints": {str(i): h for i, h in sorted(head.hashes.items())}}
        for table, head in heads.items()}}, indent=1, sort_keys=True) + "\n"


_HEAD_LINE = re.compile(r"\b([a-z_]+) (\d+) rows?,? (?:last )?([0-9a-f]{64})\b")


def from_text(text: str) -> dict[str, TableHead]:
    """The heads in a witness file, or in any text holding the report's head lines
    ("history 1234 rows, last 3f2a…" written out whole: a copy kept in a mail). ValueError
    when there is none."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("tables"), dict):
        heads = {}
        for table, head in data["tables"].items():
            rows, marks = int(head["rows"]), head.get("checkpoints") or {}
            hashes = {int(i): str(h) for i, h in marks.items()}
            if head.get("last"):
                hashes[rows] = str(head["last"])
            heads[str(table)] = TableHead(rows, hashes)
        return heads
    heads = {table: TableHead(int(rows), {int(rows): digest}) for table, rows, digest in _HEAD_LINE.findall(text)}
    if not heads:
        raise ValueError("holds no chain head")
    return heads


def head_lines(heads: dict[str, TableHead]) -> list[str]:
    """The head as the nightly report prints it: one line per table, whole hashes (a copy
    of these lines is a witness `doctor --witness` reads)."""
    return [f"{table} {head.rows} rows, last {head.last or '-'}" for table, head in heads.items()]


@dataclass(frozen=True)
class Comparison:
    problems: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def extends(self) -> bool:
        """The database holds everything witnessed (maybe more): a new head may replace it."""
        return not self.problems


def compare(witnessed: dict[str, TableHead], rows: dict[str, int],
            found: dict[str, dict[int, str | None]]) -> Comparison:
    """The witness against the database: `rows` each table's number of rows now, `found`
    the stored hash of each witnessed checkpoint id (None when the row is gone)."""
    problems, notes = [], []
    for table, head in witnessed.items():
        if table not in rows:
            problems.append(f"{table} is witnessed but not in the database")
            continue
        now = rows[table]
        if now < head.rows:
            problems.append(f"{table} has {now} rows where the witness recorded {head.rows}: rows from {now + 1} "
                            "were deleted outside caseload (or the file was put back from an older copy)")
            continue
        good = 0
        for row_id in sorted(head.hashes):
            if found.get(table, {}).get(row_id) != head.hashes[row_id]:
                problems.append(f"{table} row {row_id} does not match the witness: the record was rewritten outside "
                                f"caseload, from a row after {good} up to row {row_id}")
                break
            good = row_id
        else:
            if now > head.rows:
                notes.append(f"{table} has {now - head.rows} rows written after the witness's head (by caseload with "
                             "another config folder, or a run stopped as it finished)")
    return Comparison(tuple(problems), tuple(notes))
