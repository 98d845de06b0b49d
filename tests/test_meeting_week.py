"""Issue 22 items 4, 6 and 11 (the rest): one case covered, `undo` of a batch, and three
fixes found in a month as a lead (reopen keeps "held since"; a temporary handover's
advice for the cases it leaves names the real reason and suggests `cover`; history in
time order after a move-in).

The rules first, without a database; then the command line on a real SQLite file,
checking what the lead reads and what the database holds; last, a short story of a
meeting week (sickness, a case covered, the meeting, an auto-assign undone, a reopen)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from caseload.domain.errors import CaseloadError
from caseload.domain.handover import case_cover_move, stuck_message, stuck_next_step
from caseload.domain.model import Case
from caseload.domain.record import disagreement
from caseload.domain.undo import Batch, Before, LaterMove, back_moves, chosen, refusals, standing_moves

from conftest import dump

TODAY = date(2026, 11, 23)


def case(case_id="C-1", **fields) -> Case:
    return Case(id=case_id, client="X", opened_on=date(2026, 1, 1), **fields)


def batch(number, command="assign", cases=(), undoes=None) -> Batch:
    return Batch(number, command, "lead", "2026-11-23T10:00:00+00:00", 10, 12, undoes, tuple(cases))


# -- the rules, without a database ---------------------------------------------

def test_one_case_covered_keeps_its_home_worker_and_goes_home_on_its_end():
    held = case(status="active", worker="asha")
    move = case_cover_move(held, "ben", date(2026, 12, 4), None)
    assert (move.previous, move.to, move.kind, move.home_worker, move.cover_until) == (
        "asha", "ben", "cover", "asha", date(2026, 12, 4))
    assert move.reason == "cover for asha until 2026-12-04"
    # a case already under cover moves on to a third worker: its home worker stays, the end moves
    covered = case(status="active", worker="ben", home_worker="asha", cover_until=date(2026, 11, 30))
    onward = case_cover_move(covered, "cara", date(2026, 12, 11), "ben off too")
    assert (onward.home_worker, onward.cover_until, onward.reason) == ("asha", date(2026, 12, 11), "ben off too")
    # covered by its own home worker: the cover simply ends
    home = case_cover_move(covered, "asha", date(2026, 12, 11), None)
    assert (home.kind, home.home_worker, home.cover_until) == ("return", None, None)
    for refused, words in ((case(status="waiting"), "is waiting"), (case(status="closed", worker="asha"), "closed"),
                           (held, "already with asha")):
        with pytest.raises(CaseloadError, match=words):
            case_cover_move(refused, "asha", date(2026, 12, 4), None)


def test_which_batch_undo_takes_and_what_refuses_it():
    given = [Before("C-1", None, "waiting", None, None, date(2026, 11, 2), "asha"),
             Before("C-2", "dev", "active", None, None, None, "ben")]
    b1, b2 = batch(1, cases=given), batch(2, "handover", cases=given[1:])
    undo_of_2 = batch(3, "undo", cases=given[1:], undoes=2)
    assert chosen([b1, b2], None, {}).number == 2
    assert chosen([b1, b2, undo_of_2], None, {2: 3}).number == 1  # an undo and what it undid are skipped
    with pytest.raises(CaseloadError, match=r"batch 2 was undone already \(by batch 3\)"):
        chosen([b1, b2, undo_of_2], 2, {2: 3})
    with pytest.raises(CaseloadError, match=r"there is no batch 9 \(the last is 2\)"):
        chosen([b1, b2], 9, {})
    with pytest.raises(CaseloadError, match="nothing to undo"):
        chosen([], None, {})
    assert refusals(b1, {}, set()) == []
    assert refusals(b1, {"C-1": LaterMove("reassign", "cara", "2026-11-24T09:00:00+00:00")}, {"dev"}) == [
        "C-1 was moved since (reassign to cara) on 2026-11-24", "C-2 would go back to dev, who has left"]
    assert refusals(b1, {"C-2": LaterMove("close", "ben", "2026-11-25T09:00:00+00:00")}, set()) == [
        "C-2 was closed on 2026-11-25"]
    # a later move that was undone, and its undo, cancel out; a move after them stands
    later = batch(4, "reassign", cases=given[1:])  # rows 10..12 as every batch here
    undo_of_4 = Batch(5, "undo", "lead", "2026-11-24T09:00:00+00:00", 13, 13, 4, given[1:])
    moves = {"C-2": [LaterMove("reassign", "cara", "2026-11-24T08:00:00+00:00", 11),
                     LaterMove("reassign", "ben", "2026-11-24T09:00:00+00:00", 13)]}
    first = Batch(1, "assign", "lead", "2026-11-23T10:00:00+00:00", 1, 2, None, tuple(given))
    assert standing_moves(first, moves, [first, later, undo_of_4], {4: 5}) == {}
    moves["C-2"].append(LaterMove("close", "ben", "2026-11-25T09:00:00+00:00", 14))
    assert standing_moves(first, moves, [first, later, undo_of_4], {4: 5})["C-2"].kind == "close"
    assert standing_moves(first, moves, [first, later, undo_of_4], {})["C-2"].worker == "cara"


def test_the_moves_back_restore_the_pool_and_its_wait_or_the_worker_and_the_cover():
    given = [Before("C-1", None, "waiting", None, None, date(2026, 11, 2), "asha"),
             Before("C-2", "dev", "active", "cara", date(2026, 12, 1), None, "ben")]
    pool, held = back_moves(batch(7, cases=given))
    assert (pool.holder, pool.to, pool.status, pool.waiting_since, pool.kind) == (
        "asha", None, "waiting", date(2026, 11, 2), "reassign")
    assert pool.reason == "undo of batch 7 (assign): back to the waiting pool"
    assert (held.holder, held.to, held.status, held.home_worker, held.cover_until, held.kind) == (
        "ben", "dev", None, "cara", date(2026, 12, 1), "cover")
    # doctor: a case put back in the pool ends its history with a row naming nobody
    assert disagreement("waiting", None, "reassign", None) is None
    assert disagreement("waiting", None, "reassign", "asha") is not None


def test_the_cases_a_temporary_handover_leaves_name_the_max_zone_and_a_cover():
    text = stuck_message("asha", ["C-1", "C-2"], held_back=["C-1", "C-2"], until=date(2026, 12, 4))
    assert text.startswith("2 case(s) stay with asha (everyone who could take them would go past the max zone)")
    assert "`caseload cover CASE --by W --until 2026-12-04` for each, or a higher --max-zone" in text
    assert "reassign" not in text and "needs" not in text
    mixed = stuck_message("asha", ["C-1", "C-2"], held_back=["C-1"])
    assert "(1 held back by the max zone, nobody can take the other 1)" in mixed
    assert "reassign CASE" in mixed and "a higher --max-zone or change its needs" in mixed
    assert stuck_next_step("C-1", True, date(2026, 12, 4)) == (
        "caseload cover C-1 --by W --until 2026-12-04 (by hand), or a higher --max-zone")


# -- the command line ----------------------------------------------------------

def rows_of(db_path, sql, *params):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def held(team):
    """asha holds C-0001 (high risk) and C-0002; C-0003 waits."""
    for client, risk in (("Ann", "high"), ("Bob", "medium"), ("Cy", "low")):
        team.ok("intake", "--client", client, "--risk", risk)
    team.ok("assign", "C-0001", "C-0002", "--to", "asha")
    return team


def test_cover_one_case_and_the_home_worker_still_sees_it(held, db_path):
    done = held.ok("cover", "C-0001", "--by", "ben", "--until", "2026-12-04")
    assert "C-0001 covered by ben until 2026-12-04 (home worker asha); `caseload return asha` brings it home" in done.stderr
    assert rows_of(db_path, "SELECT worker, home_worker, cover_until FROM cases WHERE id = 'C-0001'") == [
        ("ben", "asha", "2026-12-04")]
    assert rows_of(db_path, "SELECT kind, worker, previous_worker FROM history WHERE case_id = 'C-0001' "
                            "ORDER BY id DESC LIMIT 1") == [("cover", "ben", "asha")]
    # the home worker's list keeps the case, marked, in every format
    table = held.ok("cases", "--worker", "asha").stdout
    assert "C-0001" in table and "ben (cover for asha)" in table and "C-0002" in table
    listed = json.loads(held.ok("cases", "--worker", "asha", "--format", "json").stdout)
    assert [(r["id"], r["worker"], r["home_worker"]) for r in listed] == [("C-0001", "ben", "asha"),
                                                                            ("C-0002", "asha", None)]
    csv_lines = held.ok("cases", "--worker", "asha", "--format", "csv").stdout.splitlines()
    assert csv_lines[1].startswith("C-0001,Ann,,medium,high,active,ben,asha,")
    # the covering worker's list has it too; the zone review counts it on both sides
    assert "C-0001" in held.ok("cases", "--worker", "ben").stdout
    review = {w["id"]: w for w in json.loads(held.ok("zone-review", "--format", "json").stdout)["workers"]}
    assert (review["ben"]["covering"], review["ben"]["covered"]) == (1, 0)
    assert (review["asha"]["covering"], review["asha"]["covered"]) == (0, 1)
    assert (review["ben"]["cases"], review["asha"]["cases"]) == (1, 1)  # it weighs on ben's load
    # it goes home as a caseload's covers do: `return --due` once the end has passed
    back = held.ok("return", "--due", env={"CASELOAD_TODAY": "2026-12-05"})
    assert "returned 1 case(s)" in back.stderr
    assert rows_of(db_path, "SELECT worker, home_worker, cover_until FROM cases WHERE id = 'C-0001'") == [
        ("asha", None, None)]
    assert held.ok("doctor").exit_code == 0


def test_cover_one_case_refuses_bad_input_with_nothing_written(held, db_path):
    before = dump(db_path)
    for args, code, words in (
            (("cover", "C-0001", "--by", "ben", "--until", "2026-11-01"), 2, "--until: '2026-11-01' is in the past"),
            (("cover", "C-0001", "--by", "ben", "--until", "someday"), 2, "--until"),
            (("cover", "C-0001", "--by", "Bad Id!", "--until", "+3d"), 2, "--by"),
            (("cover", "asha", "--until", "+3d", "--reason", "x"), 2, "--reason"),
            (("cover", "C-0003", "--by", "ben", "--until", "+3d"), 1, "C-0003 is waiting"),
            (("cover", "C-0001", "--by", "asha", "--until", "+3d"), 1, "C-0001 is already with asha"),
            (("cover", "C-0001", "--by", "zed", "--until", "+3d"), 1, "no worker 'zed'"),
            (("cover", "C-0099", "--by", "ben", "--until", "+3d"), 1, "C-0099"),
    ):
        result = held(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert words in result.stderr, (args, result.stderr)
    assert dump(db_path) == before


def test_every_batch_prints_its_number_and_undo_puts_it_back(held, db_path):
    pool_before = rows_of(db_path, "SELECT id, waiting_since FROM cases WHERE status = 'waiting'")
    given = held.ok("assign", "--waiting", "--auto", env={"CASELOAD_TODAY": "2026-11-25"})
    assert "batch 2: assigned 1 case(s)" in given.stderr  # batch 1 was the fixture's assign --to
    holder = rows_of(db_path, "SELECT worker FROM cases WHERE id = 'C-0003'")[0][0]
    moved = held.ok("reassign", "C-0002", "--to", "cara", "--reason", "closer to home")
    assert "batch 3: C-0002 moved from asha to cara" in moved.stderr

    history_rows = rows_of(db_path, "SELECT count(*) FROM history")[0][0]
    before = dump(db_path)
    dry = held.ok("undo", "--batch", "2", "--dry-run", "--format", "json")
    assert json.loads(dry.stdout) == {
        "batch": None, "dry_run": True,
        "undoes": {"batch": 2, "command": "assign", "actor": "lead", "at": json.loads(dry.stdout)["undoes"]["at"]},
        "moves": [{"case": "C-0003", "from": holder, "to": None, "kind": "reassign",
                   "reason": "undo of batch 2 (assign): back to the waiting pool"}]}
    assert dump(db_path) == before

    done = held.ok("undo", "--batch", "2")
    assert "batch 4: put back 1 case(s) of batch 2 (assign by lead, 2026-11-25)" in done.stderr
    assert "waiting pool" in done.stdout
    # back in the pool with its old wait, recorded as a new row: the history only grows
    assert rows_of(db_path, "SELECT id, waiting_since FROM cases WHERE status = 'waiting'") == pool_before
    assert rows_of(db_path, "SELECT count(*) FROM history")[0][0] == history_rows + 1
    assert rows_of(db_path, "SELECT worker, previous_worker, kind FROM history ORDER BY id DESC LIMIT 1") == [
        (None, holder, "reassign")]
    # `undo` alone takes the last batch not undone: the reassignment
    assert "batch 5: put back 1 case(s) of batch 3 (reassign" in held.ok("undo").stderr
    assert rows_of(db_path, "SELECT worker FROM cases WHERE id = 'C-0002'") == [("asha",)]
    again = held("undo", "--batch", "2")
    assert again.exit_code == 1 and "batch 2 was undone already (by batch 4)" in again.stderr
    assert held.ok("doctor").exit_code == 0


def test_undo_is_all_or_nothing_and_names_the_case_that_moved(held, db_path):
    held.ok("handover", "asha", "--to", "ben", "--temporary", "--until", "+2w", "--yes")
    held.ok("reassign", "C-0002", "--to", "cara", "--reason", "language")
    before = dump(db_path)
    refused = held("undo", "--batch", "2")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: batch 2 cannot be undone, nothing was changed: C-0002 was moved since "
                                     "(reassign to cara) on 2026-11-23")
    assert "C-0001" not in refused.stderr  # the case that has not moved is not blamed
    assert dump(db_path) == before
    # once C-0002's own move is undone, the handover can be: both go home, the cover ends
    held.ok("undo")
    held.ok("undo", "--batch", "2")
    assert rows_of(db_path, "SELECT id, worker, home_worker, cover_until FROM cases WHERE status = 'active' "
                            "ORDER BY id") == [("C-0001", "asha", None, None), ("C-0002", "asha", None, None)]
    bad = held("undo", "--batch", "0")
    assert bad.exit_code == 2 and "--batch" in bad.stderr
    assert held.ok("doctor").exit_code == 0


def test_undo_with_nothing_to_undo_and_an_unknown_batch(team, db_path):
    nothing = team("undo")
    assert nothing.exit_code == 1 and "nothing to undo" in nothing.stderr
    unknown = team("undo", "--batch", "3")
    assert unknown.exit_code == 1 and "there is no batch 3 (none yet)" in unknown.stderr


def test_an_undone_assignment_gives_its_worker_no_continuity(team, db_path):
    """Found in a month as a lead: after `undo` of an assign, auto-allocation sent the case
    straight back to the worker of the undone assignment as its "previous worker"."""
    for n in range(3):
        team.ok("intake", "--client", f"Held {n}", "--assign", "ben")  # ben 12 of 72 points
    team.ok("intake", "--client", "Ann")
    team.ok("assign", "C-0004", "--to", "ben")
    team.ok("undo")
    for args in (("C-0004", "--auto"), ("--waiting", "--auto")):
        plan = json.loads(team.ok("assign", *args, "--dry-run", "--format", "json").stdout)
        assert [(p["case"], p["worker"]) for p in plan["placements"]] == [("C-0004", "asha")], args
        assert "continuity" not in plan["placements"][0]["reason"]
    # nor an undone reassignment: asha's case went to ben and came back; when asha leaves,
    # the handover places it by load (cara), not on ben as its "previous worker"
    team.ok("intake", "--client", "Bo", "--assign", "asha")
    team.ok("reassign", "C-0005", "--to", "ben", "--reason", "language")
    team.ok("undo")
    team.ok("worker", "leave", "asha", "--on", "+1w")
    moves = json.loads(team.ok("handover", "asha", "--auto", "--dry-run", "--format", "json").stdout)["moves"]
    assert [(m["case"], m["to"]) for m in moves] == [("C-0005", "cara")]


def test_an_undone_batch_is_no_new_case_and_no_recent_allocation(team, db_path):
    """Found in the month: after `assign --waiting --auto` and its `undo`, the cases counted
    as new in 30 days for the workers who never kept them, and again for the pool's next
    taker, and the tie-break said "fewer cases allocated in the last 30 days (2 vs 11)"."""
    def new_30d() -> dict:
        rows = json.loads(team.ok("zone-review", "--format", "json").stdout)["workers"]
        return {w["id"]: w["new_30d"] for w in rows}

    team.ok("intake", "--client", "Held", "--assign", "ben")
    for n in range(4):
        team.ok("intake", "--client", f"Waiting {n}")
    before = new_30d()
    batch = json.loads(team.ok("assign", "--waiting", "--auto", "--format", "json").stdout)
    assert len(batch["placements"]) == 4 and new_30d() != before
    team.ok("undo")
    assert new_30d() == before == {"asha": 0, "ben": 1, "cara": 0}
    plan = json.loads(team.ok("assign", "C-0002", "--auto", "--dry-run", "--format", "json").stdout)
    assert "fewer cases allocated in the last 30 days" not in plan["placements"][0]["reason"] or \
        "(0 vs 1)" in plan["placements"][0]["reason"]


def test_a_temporary_handover_held_back_by_the_max_zone_says_so_and_suggests_cover(team, db_path):
    for n in range(24):
        team.ok("intake", "--client", f"P{n}", "--tier", "high", "--assign", "ben")
    team.ok("intake", "--client", "Kid", "--tier", "intensive", "--assign", "asha")
    team.ok("worker", "edit", "cara", "--capacity", "5")
    left = team("handover", "asha", "--auto", "--temporary", "--until", "2026-12-04", "--max-zone", "green",
                "--yes", "--format", "json")
    assert left.exit_code == 1
    stuck = json.loads(left.stdout)["stuck"]
    assert [s["case"] for s in stuck] == ["C-0025"]
    assert stuck[0]["next"] == "caseload cover C-0025 --by W --until 2026-12-04 (by hand), or a higher --max-zone"
    assert "everyone who could take them would go past the max zone" in left.stderr
    assert "caseload cover CASE --by W --until 2026-12-04" in left.stderr
    assert "reassign" not in left.stderr and "needs" not in left.stderr


def test_close_and_reopen_keeps_held_since(held, db_path):
    held.ok("assign", "C-0003", "--to", "ben", env={"CASELOAD_TODAY": "2026-11-02"})
    held.ok("close", "C-0003", "--reason", "done", env={"CASELOAD_TODAY": "2026-11-10"})
    held.ok("reopen", "C-0003", "--reason", "closed by mistake")
    exported = {r["id"]: r for r in json.loads(held.ok("export", "cases", "--format", "json").stdout)}
    assert (exported["C-0003"]["worker"], exported["C-0003"]["held_since"]) == ("ben", "2026-11-02")
    assert held.ok("doctor").exit_code == 0


def test_history_is_in_time_order_after_a_move_in(team, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("client,risk,worker,opened,held_since\nAnn,high,asha,2025-01-06,2025-02-03\n")
    team.ok("intake", "--csv", str(path), "--yes")
    team.ok("reassign", "C-0001", "--to", "ben", "--reason", "asha moves area")
    listed = json.loads(team.ok("history", "C-0001", "--format", "json").stdout)
    assert [r["kind"] for r in listed] == ["assign", "intake", "reassign"]  # the past first, by its date
    assert [r["at"][:10] for r in listed] == ["2025-02-03", "2026-11-23", "2026-11-23"]
    assert listed == sorted(listed, key=lambda r: r["at"])


# -- a meeting week, scripted ----------------------------------------------------

def test_a_meeting_week_sickness_a_case_covered_the_meeting_an_undo_and_a_reopen(team, db_path):
    for client, risk, tier in (("Ann", "high", "high"), ("Bob", "medium", "medium"), ("Cy", "low", "low"),
                               ("Di", "high", "medium"), ("Ed", "medium", "low")):
        team.ok("intake", "--client", client, "--risk", risk, "--tier", tier, "--assign", "asha")
    for client in ("Fay", "Gus", "Hal"):
        team.ok("intake", "--client", client, "--risk", "medium")

    # Monday: asha goes off sick; her high-risk case C-0001 is covered by ben for the week
    team.ok("worker", "absent", "asha", "--from", "today", "--until", "2026-11-27", "--reason", "sickness")
    team.ok("cover", "C-0001", "--by", "ben", "--until", "2026-11-27")

    # the meeting: asha is absent, ben covers one case of hers, her list still shows it
    review = {w["id"]: w for w in json.loads(team.ok("zone-review", "--record", "--format", "json").stdout)["workers"]}
    assert review["asha"]["absent"] and (review["asha"]["covered"], review["ben"]["covering"]) == (1, 1)
    assert (review["asha"]["cases"], review["ben"]["cases"], review["asha"]["load"], review["ben"]["load"]) == (
        4, 1, 14, 6)
    assert "ben (cover for asha)" in team.ok("cases", "--worker", "asha").stdout

    # the lead gives out the waiting pool, then thinks better of it: undo puts all three back
    given = team.ok("assign", "--waiting", "--auto")
    number = int(given.stderr.split("batch ")[1].split(":")[0])
    assert rows_of(db_path, "SELECT count(*) FROM cases WHERE status = 'waiting'") == [(0,)]
    team.ok("undo")
    assert rows_of(db_path, "SELECT id FROM cases WHERE status = 'waiting' ORDER BY id") == [
        ("C-0006",), ("C-0007",), ("C-0008",)]
    assert rows_of(db_path, "SELECT undoes FROM batches ORDER BY id DESC LIMIT 1") == [(number,)]
    pool = json.loads(team.ok("zone-review", "--format", "json").stdout)["team"]
    assert pool["waiting"] == 3

    # Friday: a case closed by mistake is reopened; it stays asha's since the day she took it
    team.ok("close", "C-0003", "--reason", "moved away", env={"CASELOAD_TODAY": "2026-11-26"})
    team.ok("reopen", "C-0003", "--reason", "wrong case", env={"CASELOAD_TODAY": "2026-11-27"})
    exported = {r["id"]: r for r in json.loads(team.ok("export", "cases", "--format", "json").stdout)}
    assert (exported["C-0003"]["worker"], exported["C-0003"]["held_since"]) == ("asha", "2026-11-23")

    # the next Monday: the cover has ended and asha is back: C-0001 goes home
    team.ok("return", "--due", env={"CASELOAD_TODAY": "2026-11-30"})
    assert rows_of(db_path, "SELECT worker, home_worker FROM cases WHERE id = 'C-0001'") == [("asha", None)]
    assert team.ok("doctor").exit_code == 0
