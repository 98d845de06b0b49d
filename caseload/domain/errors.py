"""The small exception tree that every layer raises and only the CLI catches.

Each error carries the exit code the command line must end with (DESIGN §5):
1 the request cannot be done, 2 bad usage or bad input. The message is one line
and never contains case contents (client names, summaries, notes).
"""


class CaseloadError(Exception):
    """A request that cannot be done (exit 1)."""

    exit_code = 1


class NotFound(CaseloadError):
    """An unknown case or worker id (exit 1)."""


class Damaged(CaseloadError):
    """A database file that SQLite cannot read as a database (exit 1)."""


class BadInput(CaseloadError):
    """Bad usage or bad input: a flag, a date, a config key, a CSV cell (exit 2).

    `field` names what was wrong (a flag, a config key or a CSV column), `value`
    is what the user gave, `problem` says why it is refused and `line` is the line
    of a file, when the value came from one.
    """

    exit_code = 2

    def __init__(self, field: str, value: object, problem: str, line: int | None = None):
        self.field = field
        self.value = value
        self.problem = problem
        self.line = line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        if self.value in ("", None):  # nothing was given: name the field alone
            return f"{where}{self.field} {self.problem}"
        return f"{where}{self.field}: {self.value!r} {self.problem}"


class BadInputs(CaseloadError):
    """Several bad inputs found together (a CSV file validated whole), exit 2."""

    exit_code = 2

    def __init__(self, errors: list[BadInput]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) found; nothing was written")
