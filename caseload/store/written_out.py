"""Migration step 15 (`store.migrations.MIGRATIONS`): the tests of `cases` and `history`
written out, value by value (DESIGN §8).

SQLite (3.40, as Debian and Ubuntu ship it) builds the list of an `x IN (...)` again for
every row it weighs when the IN stands in a CHECK or in a partial index's WHERE. An
intake of 50,000 rows spent a tenth of its time there: the CHECKs of every case and
history row it wrote, and history_arrivals made again at its end (3.4 times the cost of
the same index with its kinds written out). The same tests written out (`rows.sql_any`)
cost next to nothing, and say exactly the same: `x IN (a, b)` is `(x = a OR x = b)`, and
`x NOT IN (a, b)` is `NOT (x = a OR x = b)`, NULL included.

`cases` and `history` are rebuilt as `recent_migrations.withdrawn_referrals` rebuilt
cases (`recent_migrations.rebuild`): the rows are copied with their ids, so the hash
chain and the full-text index stay as they were. history_arrivals is made again, and
`store.cases.arrived_at`, which reads through it, repeats its WHERE term for term.
"""

from __future__ import annotations

import re

from caseload.domain.errors import CaseloadError
from caseload.domain.model import ARRIVAL_KINDS, CASE_STATUSES, HISTORY_KINDS, OPEN_STATUSES, RISKS
from caseload.store.recent_migrations import rebuild
from caseload.store.rows import sql_any


def _in_list(column: str, values: tuple[str, ...], negated: bool = False) -> re.Pattern:
    """`column [NOT] IN ('a', 'b')` as a table's SQL holds it, spaces and line breaks as
    they came (a database made by version 1 broke history's list over two lines)."""
    listed = r"\s*,\s*".join(re.escape(f"'{value}'") for value in values)
    negation = r"NOT\s+" if negated else ""
    return re.compile(rf"\b{column}\s+{negation}IN\s*\(\s*{listed}\s*\)")


def _written_out(table: str, swaps: list[tuple[re.Pattern, str]]):
    def change(create: str) -> str:
        for pattern, written in swaps:
            create, found = pattern.subn(written, create)
            if found != 1:  # a CHECK changed outside caseload: say so, change nothing
                raise CaseloadError(
                    f"the {table} table's checks are not the ones caseload wrote (changed outside caseload?), "
                    "so the upgrade to schema version 15, which writes them out, cannot go on; nothing was "
                    "changed (restore the file from a backup, or put the checks back as caseload made them)")
        return create
    return change


def _case_checks() -> list[tuple[re.Pattern, str]]:
    return [
        (_in_list("risk", RISKS), sql_any("risk", RISKS)[1:-1]),  # inside the CHECK's own brackets
        (_in_list("status", CASE_STATUSES), sql_any("status", CASE_STATUSES)[1:-1]),
        (_in_list("status", OPEN_STATUSES, negated=True), "NOT " + sql_any("status", OPEN_STATUSES)),
    ]


def _history_checks() -> list[tuple[re.Pattern, str]]:
    return [(_in_list("kind", HISTORY_KINDS), sql_any("kind", HISTORY_KINDS)[1:-1])]


ARRIVALS_INDEX = f"""
CREATE INDEX history_arrivals ON history (case_id, worker, at)
WHERE {sql_any('kind', ARRIVAL_KINDS)} AND previous_worker IS NOT worker
"""


def written_out(tables) -> None:
    """`tables`: sqlite-utils' Database over the migrating connection, inside its transaction.
    (The patterns are compiled here, not when the module loads: every command imports the
    migrations, and only an upgrade runs this one.) history_arrivals is dropped before
    history's rebuild, which would otherwise make it again with its slow IN list first,
    and made once after it."""
    rebuild(tables, "cases", _written_out("cases", _case_checks()))
    tables.execute("DROP INDEX history_arrivals")
    rebuild(tables, "history", _written_out("history", _history_checks()))
    tables.execute(ARRIVALS_INDEX)
