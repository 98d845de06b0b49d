"""Managing the team: add, edit, list, show, and every bad value refused with nothing written."""

import json

import pytest


def test_add_and_list_as_json(team):
    rows = json.loads(team.ok("worker", "list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["asha", "ben", "cara", "lead"]
    ben = rows[1]
    assert set(ben) == {"id", "name", "role", "fte", "capacity", "max_cases", "skills", "languages", "area",
                        "status", "leaving_on", "starts_on", "auto", "capacity_override"}
    assert ben["fte"] == 0.8 and ben["capacity"] == 72 and ben["area"] == "south"
    assert rows[0]["skills"] == ["housing"] and rows[0]["languages"] == ["en", "ur"]


def test_lead_gets_no_automatic_allocation_by_default(team):
    show = team.ok("worker", "show", "lead").stdout
    assert "automatic allocation: no" in show
    assert "automatic allocation: yes" in team.ok("worker", "show", "asha").stdout


def test_edit_changes_only_what_is_given(team):
    team.ok("worker", "edit", "ben", "--fte", "1", "--max-cases", "12")
    rows = json.loads(team.ok("worker", "list", "--format", "json").stdout)
    ben = next(r for r in rows if r["id"] == "ben")
    assert ben["fte"] == 1 and ben["max_cases"] == 12 and ben["name"] == "Ben Okafor"
    team.ok("worker", "edit", "ben", "--capacity", "50")
    assert "capacity override 50 points" in team.ok("worker", "show", "ben").stdout
    team.ok("worker", "edit", "ben", "--capacity", "none")
    assert "base: fte 1 x 100 points" in team.ok("worker", "show", "ben").stdout


def test_show_lets_a_lead_check_every_figure(team):
    team.ok("intake", "--client", "A", "--tier", "high", "--assign", "ben")
    team.ok("intake", "--client", "B", "--tier", "intensive", "--status", "monitoring", "--assign", "ben")
    team.ok("intake", "--client", "C", "--tier", "low", "--assign", "ben")
    out = team.ok("worker", "show", "ben").stdout
    assert "72  points" in out  # 0.8 x 100 x 0.9
    assert "9 x 0.5 = 4.5" in out
    assert "load 13.5 / capacity 72 = 18.7%" in out  # 6 + 4.5 + 3
    assert "BLUE" in out
    assert "Caseload (3 open cases)" in out


BAD_WORKER_FLAGS = [
    (["--fte", "0"], "--fte", "'0'"),
    (["--fte", "1.5"], "--fte", "'1.5'"),
    (["--fte", "-1"], "--fte", "'-1'"),
    (["--fte", "abc"], "--fte", "'abc'"),
    (["--capacity", "lots"], "--capacity", "'lots'"),
    (["--max-cases", "-2"], "--max-cases", "'-2'"),
    (["--skills", "housing,two  words!"], "--skills", "two words!"),
    (["--role", "boss"], "--role", "'boss'"),
]


@pytest.mark.parametrize("flags, field, value", BAD_WORKER_FLAGS)
def test_bad_worker_values_exit_2_with_one_line_and_nothing_written(team, flags, field, value):
    before = team.dump()
    result = team("worker", "add", "dana", "--name", "Dana", *flags)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and value in lines[0], result.stderr
    assert team.dump() == before
    edit = team("worker", "edit", "ben", *flags)
    assert edit.exit_code == 2 and team.dump() == before
    lines = edit.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and value in lines[0], edit.stderr


@pytest.mark.parametrize("worker_id", ["asha!", "_x", "me", "auto", "a b", ""])
def test_bad_worker_ids(team, worker_id):
    before = team.dump()
    result = team("worker", "add", worker_id, "--name", "X")
    assert result.exit_code == 2 and "id" in result.stderr
    assert result.stderr.startswith("error: id") and len(result.stderr.splitlines()) == 1, result.stderr
    assert "is not a worker id" in result.stderr or "is reserved" in result.stderr, result.stderr
    assert not worker_id or repr(worker_id) in result.stderr, result.stderr
    assert team.dump() == before


def test_duplicate_worker_is_bad_input(team):
    before = team.dump()
    result = team("worker", "add", "asha", "--name", "Another Asha")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: id: 'asha' already exists (choose another id, or use `worker edit`)"
    assert team.dump() == before


def test_unknown_worker_is_exit_1(team):
    for args in (["worker", "show", "zed"], ["worker", "edit", "zed", "--fte", "1"], ["cases", "--worker", "zed"]):
        result = team(*args)
        assert result.exit_code == 1 and "no worker 'zed'" in result.stderr


def test_missing_name_is_bad_input(team):
    result = team("worker", "add", "dana")
    assert result.exit_code == 2 and "--name" in result.stderr
