"""Day-to-day work on a case: `note`, `review`, `update`, `close`, and `history`.

Notes and history stay with a case for ever, closed or not. A `contact` note sets
the last contact date; a review sets the next review date (by default after the
risk's interval). `update` changes any intake field; a change of tier or status
shows the worker's load before and after, because it changes their zone.
Moving a case between workers is not an update: that is `reassign` (history).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from caseload.commands import FormatOption, LimitOption, OutputOption, limited

def note(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    text: Annotated[str, typer.Argument(metavar="TEXT")],
    contact: Annotated[bool, typer.Option("--contact", help="A contact with the client (sets last contact).")] = False,
) -> None:
    """Add a note to a case (with --contact, record a contact made today).

    Example: caseload note C-0042 "Called; visit booked for Friday" --contact"""
    from caseload.app import casework
    from caseload.domain import fields
    from caseload.render.console import message
    from caseload.session import current

    body = fields.text(text, "TEXT", required=True, multiline=True)
    s = current()
    done = casework.note(s.open(), s.config, s.today, s.actor, s.now(), case_id, body, contact)
    said = f"noted on {done.case.id}" + (f"; last contact {s.today}" if contact else "")
    if done.check_in_due is not None:  # a contact while it waits is a check-in (DESIGN §2)
        said += f" (a check-in while it waits; the next is due {done.check_in_due})"
    message(said)


def review(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    next_on: Annotated[Optional[str], typer.Option("--next", metavar="DATE", help="Next review (default: by risk).")] = None,
    text: Annotated[Optional[str], typer.Option("--note", help="What the review found.")] = None,
) -> None:
    """Record a review and set the next review date.

    Example: caseload review C-0042 --next +4w"""
    from caseload.app import casework
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.render.console import message
    from caseload.session import current

    s = current()
    body = fields.text(text, "--note", multiline=True) if text else ""
    chosen = s.day(next_on, "--next") if next_on else None
    if chosen is not None and chosen <= s.today:
        raise BadInput("--next", next_on, "must be after today")
    case, following = casework.review(s.open(), s.config, s.today, s.actor, s.now(), case_id, body, chosen)
    message(f"reviewed {case.id}; next review {following}")


CLEARABLE = ("needs", "language", "area", "requested")  # `update --FIELD none` empties them


def update(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    client: Annotated[Optional[str], typer.Option("--client")] = None,
    summary: Annotated[Optional[str], typer.Option("--summary")] = None,
    tier: Annotated[Optional[str], typer.Option("--tier")] = None,
    risk: Annotated[Optional[str], typer.Option("--risk")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="active or monitoring (a held case).")] = None,
    needs: Annotated[Optional[str], typer.Option("--needs", metavar="A,B")] = None,
    language: Annotated[Optional[str], typer.Option("--language")] = None,
    area: Annotated[Optional[str], typer.Option("--area")] = None,
    requested: Annotated[Optional[str], typer.Option("--requested", metavar="W")] = None,
    opened: Annotated[Optional[str], typer.Option("--opened", metavar="DATE")] = None,
) -> None:
    """Change any intake field of a case (`none` clears needs, language, area or requested); a tier or status
    change shows the load before and after.

    Example: caseload update C-0042 --risk high"""
    from caseload.app import casework
    from caseload.domain import fields
    from caseload.domain.errors import BadInput
    from caseload.domain.intake import read_changes
    from caseload.domain.model import OPEN_STATUSES
    from caseload.render.console import message
    from caseload.session import current

    s = current()
    raw = {"client": client, "summary": summary, "tier": tier, "risk": risk, "needs": needs, "language": language,
           "area": area, "requested": requested, "opened": opened}
    for name in CLEARABLE:  # `--language none` clears the field, as `--capacity none` does on a worker
        if raw[name] is not None and raw[name].strip().lower() == "none":
            raw[name] = ""
    changes = read_changes(raw, tuple(s.config.load.tiers), s.today)
    if status is not None:
        changes["status"] = fields.choice(status, OPEN_STATUSES, "--status")
    if not changes:
        raise BadInput("flags", "", "are missing: give at least one field to change, e.g. --tier high")
    done = casework.update(s.open(), s.config, s.today, s.actor, s.now(), case_id, changes, status)
    case = done.case
    message(f"updated {case.id}: {', '.join(sorted(changes))}")
    if done.before is not None and ("tier" in changes or "status" in changes):
        before, after = _load_text(done.before), _load_text(done.after)
        if before != after:
            message(f"{case.worker}: load {before} -> {after}")


def _load_text(figures) -> str:
    """A worker's load, capacity, load % and zone on the day, as one line."""
    from caseload.domain.load import load_pct
    from caseload.render.numbers import fmt, pct_text

    load, capacity, zone = figures
    return f"{fmt(load)}/{fmt(capacity)} = {pct_text(load_pct(load, capacity))} {zone.upper()}"


def close(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    reason: Annotated[str, typer.Option("--reason", help="Why the case closes (recorded in history).")],
) -> None:
    """Close a case; it keeps its notes and history for ever and leaves the worker's load.

    A waiting case closes too: a referral withdrawn before anyone took it leaves the waiting
    pool (and its alerts) and counts as a closure; `reopen` brings it back to the pool.

    Example: caseload close C-0142 --reason withdrawn"""
    from caseload.app import casework
    from caseload.domain import fields
    from caseload.render.console import message
    from caseload.session import current

    why = fields.text(reason, "--reason", required=True)
    s = current()
    case = casework.close(s.open(), s.today, s.actor, s.now(), case_id, why)
    if case.worker is None:
        message(f"closed {case.id}: a withdrawn referral, out of the waiting pool (nobody held it)")
    else:
        message(f"closed {case.id}")


def reopen(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    reason: Annotated[str, typer.Option("--reason", help="Why the case reopens (recorded with it).")],
) -> None:
    """Reopen a closed case: back to the worker who held it if they are still active, else to the waiting pool.

    Its notes and history are kept; what changed is recorded and shown by `show CASE`.

    Example: caseload reopen C-0042 --reason 'closed by mistake'"""
    from caseload.app import casework
    from caseload.domain import fields
    from caseload.render.console import message, warning
    from caseload.session import current

    cid = fields.case_id(case_id, "CASE")
    why = fields.text(reason, "--reason", required=True)
    s = current()
    after, former, warnings = casework.reopen(s.open(), s.config, s.today, s.actor, s.now(), cid, why)
    for text in warnings:
        warning(text)
    if after.worker is not None:
        message(f"reopened {cid}: back with {after.worker} (active)")
    else:
        gone = "no former worker"
        if former is not None:
            gone = f"{former.id} {'has left' if former.status == 'left' else 'is leaving'}"
        message(f"reopened {cid}: waiting ({gone}); give it out with `caseload assign {cid} --auto` (or --to W)")


def history(
    case_id: Annotated[Optional[str], typer.Argument(metavar="[CASE]")] = None,
    worker: Annotated[Optional[str], typer.Option("--worker", metavar="W", help="Moves to or from W.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE")] = None,
    format_: FormatOption = "table",
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """The assignment record: every change of responsibility, oldest first.

    Example: caseload history --worker asha --since 2026-11-01"""
    from caseload.app import cases
    from caseload.domain import fields
    from caseload.render.output import output as write
    from caseload.render.records import history_table
    from caseload.render.rows import HISTORY_COLUMNS, history_rows
    from caseload.session import current

    s = current()
    cid = fields.case_id(case_id, "CASE") if case_id else None
    wid = fields.worker_id(worker, "--worker") if worker else None
    start = s.day(since, "--since")
    rows = limited(list(history_rows(cases.history(s.open(), cid, wid, start))), limit)
    write(format_, output, rows, HISTORY_COLUMNS, lambda: history_table(rows, title=f"History ({len(rows)} rows)"))


def register(app: typer.Typer) -> None:
    app.command("note")(note)
    app.command("review")(review)
    app.command("update")(update)
    app.command("close")(close)
    app.command("reopen")(reopen)
    app.command("history")(history)
