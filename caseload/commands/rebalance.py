"""`rebalance`: propose (or, with --apply, make) the fewest moves that bring every
amber or red worker to 100 % or below without pushing anyone above it."""

from __future__ import annotations

from typing import Annotated, Literal

import typer


def rebalance_plan(db, s):
    """The rebalance proposal for the team as it stands on the session's day."""
    from caseload.domain.rebalance import plan_rebalance
    from caseload.store.allocation import candidates, held_cases

    team = candidates(db, s.today, s.config)
    over = [c.worker.id for c in team if c.load * 100 > c.capacity * s.config.load.zones.amber_above]
    return plan_rebalance(team, held_cases(db, over, s.config), s.config.load, s.config.allocation)


def suggestion_rows(plan) -> list[dict]:
    return [{"case": m.case, "from": m.source, "to": m.target, "reason": m.reason} for m in plan.moves]


def print_suggestions(plan, title: str = "Suggested moves") -> None:
    from caseload.render import console, new_table

    out = console()
    if plan.moves:
        table = new_table("case", "from", "to", "why", title=title)
        for m in plan.moves:
            table.add_row(m.case, m.source, m.target, m.reason)
        out.print(table)
    for u in plan.unfixable:
        out.print(f"cannot bring {u.worker} to 100% or below: {u.reason}")
    if not plan.moves and not plan.unfixable:
        out.print("Nobody is above 100%: no moves needed.")


def rebalance(
    apply: Annotated[bool, typer.Option("--apply", help="Make the moves (asks first on a terminal).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed with --apply without a terminal).")] = False,
    format_: Annotated[Literal["table", "json"], typer.Option("--format", "-f")] = "table",
) -> None:
    """Propose the fewest moves that bring amber and red workers to 100% or below."""
    from caseload.cli import session
    from caseload.commands.confirm import confirm_or_refuse
    from caseload.domain.plan import Move
    from caseload.render import json_text, message, write_text
    from caseload.store.connection import transaction
    from caseload.commands.handover import execute_with_progress

    s = session()
    db = s.open()
    with transaction(db, write=apply):
        plan = rebalance_plan(db, s)
        document = {
            "date": s.today, "moves": suggestion_rows(plan), "lower_bound": plan.lower_bound,
            "unfixable": [{"worker": u.worker, "reason": u.reason} for u in plan.unfixable],
        }
        if format_ == "json":
            write_text(json_text(document), None)
        else:
            print_suggestions(plan, "Rebalance plan")
        if apply and plan.moves:
            confirm_or_refuse(f"Make these {len(plan.moves)} move(s)?", yes)
            execute_with_progress(db, s, [Move(m.case, m.source, m.target, "rebalance", m.reason)
                                          for m in plan.moves], "rebalancing")
    if apply and plan.moves:
        message(f"made {len(plan.moves)} move(s)")
    elif plan.moves:
        message(f"{len(plan.moves)} move(s) proposed (the fewest possible: {plan.lower_bound}); "
                "`caseload rebalance --apply` makes them")


def register(app: typer.Typer) -> None:
    app.command("rebalance")(rebalance)
