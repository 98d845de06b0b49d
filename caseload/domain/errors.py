"""The small exception tree that every layer raises and only the CLI catches.

Each error carries the exit code the command line must end with (DESIGN §5):
1 the request cannot be done, 2 bad usage or bad input. The message is one line
and never contains case contents (client names, summaries, notes).

What a BadInput message shows of the value (DESIGN §6, the one place this is decided):

- a free text (`private=True`: client names, summaries, notes, reasons, worker names)
  is never shown, only described: "a 2,345-character text" (unless it is all blanks);
- a cell from a file (the error has a `line`) may be someone's name, even in a "tier"
  column when the columns are out of order: it is shown only when it looks like a
  structured token, i.e. at most 40 characters of ASCII letters, digits and `. _ ; / + -`
  (no spaces, so "Maria K." is described) with no capital followed by a small letter
  (so "Maria" or "McDonald" is described while "hgh", "REF-1", "2026-13-40" and
  "+3d" are shown), or when it is a number or a moment as a spreadsheet writes it
  (digits with spaces and `. , : % + / -`, an exponent's e, ISO's T and Z: "100,5",
  "28/09/2026 18:00"); otherwise it is described ("a 12-character text");
- any other value (a flag, a config key, a number) is what the user typed into a
  structured field, and helps them: it is shown, cut to 40 characters with "…";
- a `Described` value is caseload's own words about the input ("3 cells"), shown as is;
- a file path (a `Path`) is shown by its last 40 characters ("…/referrals.csv"): the
  file's name is what helps.

Values are shown quoted with `repr`, so control characters print as escapes.
"""

from __future__ import annotations

import os
import re

SHOWN_AT_MOST = 40  # characters of a value a message may show
_CELL_TOKEN = re.compile(r"[A-Za-z0-9._;/+-]{1,%d}" % SHOWN_AT_MOST)
_NAME_LIKE = re.compile(r"[A-Z][a-z]")
# a number or a moment as a spreadsheet writes it ("100,5", "28/09/2026 18:00", "1e-06"):
# digits and the marks between them, no letters but an exponent's or ISO's T and Z
_FIGURE_LIKE = re.compile(r"(?=.*\d)[\d .,:%%+/eETZ-]{1,%d}" % SHOWN_AT_MOST)


class CaseloadError(Exception):
    """A request that cannot be done (exit 1)."""

    exit_code = 1


class NotFound(CaseloadError):
    """An unknown case or worker id (exit 1)."""


class Damaged(CaseloadError):
    """A database file that SQLite cannot read as a database (exit 1)."""


class Described(str):
    """Words caseload wrote about an input ("3 cells", "…"), never the input itself:
    a message shows it as written, even for a cell from a file."""


def describe(text: str) -> str:
    """A text described without showing any of it: "a 2,345-character text"."""
    return f"a {len(text):,}-character text"


def cut(text: str, at_most: int = SHOWN_AT_MOST) -> str:
    """`text` if it is at most `at_most` characters, else its start and "…"."""
    return text if len(text) <= at_most else text[: at_most - 1] + "…"


def looks_like_token(cell: str) -> bool:
    """Whether a cell from a file can be shown: a short structured token, not a name."""
    return (_CELL_TOKEN.fullmatch(cell) is not None and _NAME_LIKE.search(cell) is None
            or _FIGURE_LIKE.fullmatch(cell) is not None)


class BadInput(CaseloadError):
    """Bad usage or bad input: a flag, a date, a config key, a CSV cell (exit 2).

    `field` names what was wrong (a flag, a config key or a CSV column), `value`
    is what the user gave, `problem` says why it is refused and `line` is the line
    of a file, when the value came from one. `private` marks a free text that is
    never shown (see the module docstring for what is shown). With a `line` and no
    `field`, the problem is the line's own: "line 1 is not a header row: ...".
    """

    exit_code = 2

    def __init__(self, field: str, value: object, problem: str, line: int | None = None, *,
                 private: bool = False):
        self.field = field
        self.value = value
        self.problem = problem
        self.line = line
        self.private = private
        super().__init__(self.message)

    def __str__(self) -> str:  # the line may be set after the error was made (a CSV row's)
        return self.message

    @property
    def shown(self) -> str | None:
        """The value as the message shows it, or None when nothing was given."""
        value = self.value
        if value is None or value == "":
            return None
        if isinstance(value, Described):
            return repr(str(value))
        if isinstance(value, os.PathLike):
            path = os.fspath(value)
            return repr(path if len(path) <= SHOWN_AT_MOST else "…" + path[1 - SHOWN_AT_MOST:])
        if not isinstance(value, str):
            return cut(repr(value))
        if self.private:  # only blanks have nothing to hide ("--reason: '  ' is empty")
            return repr(cut(value)) if value.isspace() else describe(value)
        if self.line is not None:
            cell = value.strip()
            return repr(cell) if looks_like_token(cell) else describe(value)
        return repr(cut(value))

    @property
    def message(self) -> str:
        if self.line is not None and not self.field:
            return f"line {self.line} {self.problem}"
        where = f"line {self.line}, " if self.line is not None else ""
        shown = self.shown
        if shown is None:  # nothing was given: name the field alone
            return f"{where}{self.field} {self.problem}"
        return f"{where}{self.field}: {shown} {self.problem}"


class BadInputs(CaseloadError):
    """Several bad inputs found together (a CSV file validated whole), exit 2."""

    exit_code = 2

    def __init__(self, errors: list[BadInput]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) found; nothing was written")


def collecting(found: list[BadInput]):
    """A `check(parse, *args)` that gives the parser's value, or None with its BadInput
    appended to `found`: a row's every problem is reported, not only its first."""
    def check(parse, *args):
        try:
            return parse(*args)
        except BadInput as problem:
            found.append(problem)
            return None

    return check
