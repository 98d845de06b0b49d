"""Registering one case: ids, defaults, assignment, and bad values refused with nothing written."""

import json

import pytest


def cases_json(cli, *args):
    return json.loads(cli.ok("cases", "--format", "json", *args).stdout)


def test_intake_prints_the_new_id_and_waits(team):
    result = team.ok("intake", "--client", "Maria K.", "--summary", "Rent arrears", "--risk", "high")
    assert result.stdout == "C-0001\n"
    (case,) = cases_json(team)
    assert case["status"] == "waiting" and case["worker"] is None
    assert case["tier"] == "medium" and case["risk"] == "high"
    assert case["opened_on"] == "2026-11-23" and case["next_review_on"] == "2026-12-07"  # high: 14 days
    assert case["weight"] == 0


def test_intake_with_assign_records_intake_then_assignment(team):
    assert team.ok("intake", "--client", "X", "--assign", "ben", "--tier", "high").stdout == "C-0001\n"
    (case,) = cases_json(team)
    assert case["worker"] == "ben" and case["status"] == "active" and case["weight"] == 6
    history = team.ok("show", "C-0001").stdout
    assert "intake" in history and "assign" in history


def test_assign_me_uses_the_acting_worker(team):
    mine = team.as_user("cara", "intake", "--client", "X", "--assign", "me")
    assert mine.exit_code == 0 and mine.stdout == "C-0001\n" and "assigned to cara" in mine.stderr
    assert cases_json(team)[0]["worker"] == "cara"
    before = team.dump()
    stranger = team.as_user("visitor", "intake", "--client", "Z", "--assign", "me")
    assert stranger.exit_code == 1 and "'visitor', who is not a worker" in stranger.stderr
    assert stranger.stdout == "" and team.dump() == before


def test_own_reference_and_the_ids_continue_after_it(team):
    """DESIGN §2 "Case ids": new ids continue the highest number of the prefix."""
    team.ok("intake", "--client", "A", "--id", "C-0002")
    assert team.ok("intake", "--client", "B").stdout == "C-0003\n"
    assert team.ok("intake", "--client", "C").stdout == "C-0004\n"


BAD_INTAKE = [
    (["--client", "A", "--tier", "hgh"], "--tier", "'hgh' is not one of low, medium, high, intensive"),
    (["--client", "A", "--risk", "extreme"], "--risk", "'extreme'"),
    (["--client", "A", "--status", "closed"], "--status", "'closed'"),
    (["--client", "A", "--status", "active"], "--status", "needs a worker"),
    (["--client", "A", "--opened", "2026-02-30"], "--opened", "'2026-02-30' is not a real date"),
    (["--client", "A", "--opened", "last week"], "--opened", "'last week' is not a date"),
    (["--client", "A", "--opened", "+3d"], "--opened", "is in the future"),
    (["--client", "A", "--id", "has space"], "--id", "'has space'"),
    (["--client", "A", "--needs", "a b?"], "--needs", "a b?"),
    (["--client", "A", "--requested", "Not An Id"], "--requested", "'Not An Id'"),
    (["--client", ""], "--client", "is required"),
    ([], "--client", "is required"),
]


@pytest.mark.parametrize("flags, field, text", BAD_INTAKE)
def test_bad_intake_values(team, flags, field, text):
    before = team.dump()
    result = team("intake", *flags)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and text in lines[0], result.stderr
    assert team.dump() == before


def test_duplicate_case_id_is_refused(team):
    team.ok("intake", "--client", "A", "--id", "REF-1")
    before = team.dump()
    result = team("intake", "--client", "B", "--id", "REF-1")
    assert result.exit_code == 2 and "'REF-1' already exists" in result.stderr
    assert team.dump() == before


def test_unknown_or_departed_worker_is_exit_1(team):
    before = team.dump()
    result = team("intake", "--client", "A", "--assign", "zed")
    assert result.exit_code == 1 and "no worker 'zed'" in result.stderr
    requested = team("intake", "--client", "A", "--requested", "zed")
    assert requested.exit_code == 1 and "--requested: no worker 'zed'" in requested.stderr
    assert team.dump() == before
    team.ok("worker", "left", "cara")
    before = team.dump()
    for flag in ("--assign", "--requested"):
        departed = team("intake", "--client", "A", flag, "cara")
        assert departed.exit_code == 1 and "cara has left and cannot take cases" in departed.stderr, flag
        assert departed.stdout == ""
    assert team.dump() == before


def test_error_never_echoes_the_client_name(team):
    result = team("intake", "--client", "Secret Person", "--tier", "nope")
    assert result.exit_code == 2 and "Secret Person" not in result.stderr
    assert "--tier: 'nope' is not one of" in result.stderr  # the problem is still named
