"""`cases` (the case table with its filters), `show CASE` (one case, its notes, history and
field changes) and `find TEXT` (cases by the words of their client, summary or notes)."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from caseload.commands import FormatOption, LimitOption, OutputOption, left_out
from caseload.domain.model import CASE_STATUSES, RISKS

SortName = Literal["id", "opened", "risk", "tier", "worker", "review", "contact", "status"]
Risk = Literal[RISKS]  # type: ignore[valid-type]
Status = Literal[CASE_STATUSES]  # type: ignore[valid-type]


def cases(
    worker: Annotated[Optional[str], typer.Option("--worker", metavar="W", help="Cases held by W, and W's cases someone else covers (marked).")] = None,
    waiting: Annotated[bool, typer.Option("--waiting", help="Only the waiting pool.")] = False,
    risk: Annotated[Optional[Risk], typer.Option("--risk")] = None,
    tier: Annotated[Optional[str], typer.Option("--tier")] = None,
    status: Annotated[Optional[Status], typer.Option(
        "--status", help="Only this status (closed cases show only with --status closed).")] = None,
    overdue: Annotated[bool, typer.Option(
        "--overdue", help="Review date has passed (with --waiting: first contact or check-in overdue).")] = False,
    stale: Annotated[bool, typer.Option("--stale", help="No contact for stale_after_days.")] = False,
    sort: Annotated[Optional[SortName], typer.Option(
        "--sort", help="Order of the rows (default: id; the waiting pool: priority).")] = None,
    format_: FormatOption = "table",
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List open cases (waiting, active, monitoring), narrowed by the filters given.

    The waiting pool alone (`--waiting`, or `--status waiting`) comes in priority order (high
    risk first, then the earliest deadline, then the longest wait) with each case's wait, its
    first-contact deadline and next check-in, and whether either is overdue.

    Example: caseload cases --waiting --limit 20"""
    from caseload.app.cases import case_list
    from caseload.domain import fields
    from caseload.domain.load import case_weight
    from caseload.render.output import output as write
    from caseload.session import current

    s = current()
    rules = s.config.load
    if tier is not None:
        tier = fields.named(tier, tuple(rules.tiers), "--tier")
    wid = fields.worker_id(worker, "--worker") if worker else None
    with case_list(s.open(), s.config, s.today, worker=wid, waiting=waiting, risk=risk, tier=tier, status=status,
                   overdue=overdue, stale=stale, sort=sort, limit=limit) as found:
        left_out(found.total, limit, "case(s)")
        if found.waiting:
            from caseload.render.records import draw_waiting
            from caseload.render.rows import WAITING_CASE_COLUMNS, waiting_case_row

            rows = [waiting_case_row(e, case_weight(e.case.tier, e.case.status, rules)) for e in found.entries]
            write(format_, output, rows, WAITING_CASE_COLUMNS, view=lambda out: draw_waiting(out, rows, s.today))
            return
        from functools import cache

        from caseload.render.output import Rows
        from caseload.render.records import draw_cases
        from caseload.render.rows import CASE_COLUMNS, case_row

        weight = cache(lambda tier, status: case_weight(tier, status, rules))
        # streamed: each case is shaped as it is written, never the whole listing at once
        rows = Rows(found.entries, lambda c: case_row(c, weight(c.tier, c.status)))
        write(format_, output, rows, CASE_COLUMNS, view=lambda out: draw_cases(out, rows, found.total))


def show(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """One case: its fields, notes, whole assignment history and field changes (CSV: the history).

    Example: caseload show C-0042"""
    from caseload.app.cases import case_record
    from caseload.domain import fields
    from caseload.domain.load import weight_formula
    from caseload.render.documents import case_document
    from caseload.render.output import output as write
    from caseload.render.records import draw_case
    from caseload.render.rows import HISTORY_COLUMNS, history_rows
    from caseload.session import current

    s = current()
    found = case_record(s.open(), fields.case_id(case_id, "CASE"))
    case, notes, field_changes = found.case, found.notes, found.changes
    changes = list(history_rows(found.history))
    weight, formula = weight_formula(case.tier, case.status, s.config.load)
    document = case_document(case, weight, formula, notes, changes) | {"changes": field_changes}

    def view(out) -> None:
        draw_case(out, document)
        if field_changes:
            out.print(_changes_table(field_changes))

    write(format_, output, changes, HISTORY_COLUMNS, document=document, view=view)


def _changes_table(changes: list[dict]):
    """The case's field changes (`update`, `reopen`, `cover --until`), oldest first; client
    names and summaries are not repeated."""
    from caseload.render.console import local_time, new_table

    table = new_table("at", "field", "from", "to", "by", title=f"Changes ({len(changes)})")
    for c in changes:
        private = c["field"] in ("client", "summary")
        table.add_row(local_time(c["at"]), c["field"], "(not repeated)" if private else (c["old"] or "—"),
                      "(not repeated)" if private else (c["new"] or "—"), c["actor"])
    return table


def find(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to find (a name, part of one, a word of a note).")],
    format_: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Find cases by words in their client's name, summary or notes (full-text search).

    Every word must be found in the case, in any of those places; a word matches the start
    of a word, ignoring case and accents (`quill` finds Quillfeather). Open cases come
    first, then closed ones; "found in" says where. Erased text is not found.

    Example: caseload find 'quill eviction'"""
    from caseload.app.cases import find as find_cases
    from caseload.domain import fields
    from caseload.render.output import output as write
    from caseload.render.search_results import FOUND_COLUMNS, draw_found, found_row
    from caseload.session import current

    words = fields.text(text, "TEXT", required=True)
    s = current()
    rows = [found_row(found) for found in find_cases(s.open(), words)]
    write(format_, output, rows, FOUND_COLUMNS, view=lambda out: draw_found(out, rows))


def register(app: typer.Typer) -> None:
    app.command("cases")(cases)
    app.command("show")(show)
    app.command("find")(find)
