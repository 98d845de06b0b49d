"""Every write is a use case in `caseload.app` (DESIGN §7): a test, a script or a future
meeting board can do it without Typer. These stories build a team with the real command
line, then work on the same SQLite file by calling the use cases directly, and check what
a lead would see. The last test reads the tree: no command imports the store or opens a
transaction itself."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY

from caseload.app import assign, cases, casework, handover, review, taking_in, team
from caseload.config import load_config
from caseload.domain.errors import CaseloadError
from caseload.domain.intake import read_draft
from caseload.domain.model import Worker
from caseload.store.connection import open_database

TODAY_DATE = date.fromisoformat(TODAY)
AT = f"{TODAY}T09:00:00+00:00"


@pytest.fixture
def board(team):
    """The small team of conftest, opened as a script (or a meeting board) would open it."""
    db = open_database(team.db)
    yield db, load_config(None)
    db.close()


def new_case(db, config, client: str, **flags) -> str:
    raw = {"client": client, **flags}
    draft = read_draft(raw, tuple(config.load.tiers), config.default_tier, TODAY_DATE, label=lambda f: f"--{f}")
    case_id, _outcome, _warnings = taking_in.intake_case(db, config, TODAY_DATE, "lead", AT, draft)
    return case_id


def test_a_case_is_taken_in_given_out_noted_closed_and_reopened_without_typer(board, team):
    db, config = board
    case_id = new_case(db, config, "Dana", risk="high")
    placed = assign.assign(db, config, TODAY_DATE, "lead", AT, [case_id], "asha")
    assert [p.worker for p in placed.placements] == ["asha"]

    casework.note(db, config, TODAY_DATE, "lead", AT, case_id, "rang her", contact=True)
    _case, following = casework.review(db, config, TODAY_DATE, "lead", AT, case_id, "seen", None)
    assert following > TODAY_DATE
    casework.close(db, TODAY_DATE, "lead", AT, case_id, "resolved")
    with pytest.raises(CaseloadError, match="is closed"):
        casework.note(db, config, TODAY_DATE, "lead", AT, case_id, "too late", contact=False)
    after, former, _warnings = casework.reopen(db, config, TODAY_DATE, "lead", AT, case_id, "back again")
    assert (after.worker, after.status, former.id) == ("asha", "active", "asha")

    record = cases.case_record(db, case_id)
    assert [n["kind"] for n in record.notes] == ["contact", "review"]
    assert [h[3] for h in record.history] == ["intake", "assign", "close", "assign"]
    shown = team.ok("show", case_id, "-f", "json").stdout  # the command line sees the same record
    assert '"last_contact_on": "2026-11-23"' in shown and "back again" in shown


def test_a_handover_runs_only_when_proceed_says_so_and_lands_whole(board):
    db, config = board
    ids = [new_case(db, config, name) for name in ("Eve", "Fay", "Gus")]
    assign.assign(db, config, TODAY_DATE, "lead", AT, ids, "ben")

    def refuse(plan):
        assert len(plan.moves) == 3
        return None

    handover.handover(db, config, TODAY_DATE, "lead", AT, "ben", "asha", None, None, False, False, refuse)
    with cases.case_list(db, config, TODAY_DATE, worker="ben") as found:
        assert {c.worker for c in found.entries} == {"ben"}

    moved = []
    plan = handover.handover(db, config, TODAY_DATE, "lead", AT, "ben", "asha", None, "ben leaves", False, False,
                             lambda plan: lambda: moved.append(1))
    assert len(moved) == len(plan.moves) == 3
    with cases.case_list(db, config, TODAY_DATE, worker="ben") as found:
        assert list(found.entries) == []
    assert [h[3] for h in cases.history(db, worker="asha")][-3:] == ["handover"] * 3


def test_a_leaver_holding_cases_cannot_be_marked_gone(board):
    db, config = board
    team.add(db, AT, Worker(id="zed", name="Zed Z"))
    assert "zed" in {w.id for w, _capacity in team.team(db, config, TODAY_DATE)}
    case_id = new_case(db, config, "Hal")
    assign.assign(db, config, TODAY_DATE, "lead", AT, [case_id], "zed")
    team.leave(db, "zed", date(2026, 12, 4))
    with pytest.raises(CaseloadError):
        team.mark_left(db, "zed")
    handover.reassign(db, config, TODAY_DATE, "lead", AT, case_id, "asha", "zed leaves")
    team.mark_left(db, "zed")
    assert "zed" not in {w.id for w, _capacity in team.team(db, config, TODAY_DATE)}


def test_a_recorded_review_commits_only_once_it_is_delivered(board):
    db, config = board

    def broken(review_, memory):
        raise OSError("the disk is full")

    with pytest.raises(OSError):
        review.zone_review(db, config, TODAY_DATE, TODAY_DATE, broken, record_as=("lead", AT))
    assert db.execute("SELECT count(*) FROM zone_reviews").fetchone()[0] == 0
    seen = []
    review.zone_review(db, config, TODAY_DATE, TODAY_DATE, lambda r, m: seen.append(r), record_as=("lead", AT))
    assert seen and db.execute("SELECT count(*) FROM zone_reviews").fetchone()[0] > 0


COMMANDS = Path(__file__).parent.parent / "caseload" / "commands"


@pytest.mark.parametrize("module", sorted(COMMANDS.glob("*.py")), ids=lambda p: p.name)
def test_no_command_imports_the_store_or_opens_a_transaction(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name and name.startswith("caseload.store")}
    called = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
              for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert not called & {"transaction", "write_transaction", "read_snapshot", "execute"}
