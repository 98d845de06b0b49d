"""Names as people type them (DESIGN §2): worker ids in any case, tiers in the config's
spelling matched ignoring case, areas with spaces."""

import json

import pytest

from caseload.domain import fields
from caseload.domain.errors import BadInput

WMT = """\
tiers:
  A3: 12
  B2: 8
  C1: 4
  D0: 1
default_tier: c1
"""


@pytest.fixture
def wmt(team, tmp_path):
    """The small team, with the probation workload tool's tier names in ./caseload.yaml."""
    (tmp_path / "caseload.yaml").write_text(WMT)
    return team


def cases_json(cli, *args):
    return json.loads(cli.ok("cases", "--format", "json", *args).stdout)


def csv_file(tmp_path, text, name="cases.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- the pure rules ---------------------------------------------------------------------

def test_worker_ids_are_folded_to_lower_case():
    assert fields.worker_id(" ASHA ") == "asha"
    assert fields.worker_or_word("Me", "--to") == "me"
    assert fields.worker_or_word("AUTO", "--assign", ("me", "auto")) == "auto"
    assert fields.as_worker_id("Asha") == "asha" and fields.as_worker_id("a b") is None
    with pytest.raises(BadInput, match="is reserved"):
        fields.new_worker_id("ME")


def test_a_tier_keeps_the_configs_spelling():
    assert fields.named("a3", ("A3", "B2"), "--tier") == "A3"
    assert fields.named("LOW", ("low", "medium"), "--tier") == "low"
    with pytest.raises(BadInput, match="is not one of A3, B2"):
        fields.named("a4", ("A3", "B2"), "--tier")


def test_an_area_may_hold_spaces():
    assert fields.area("  North   East ", "--area") == "north east"
    assert fields.area("", "--area") is None
    for bad in ("North\tEast", "North\nEast", "-north", "x" * 41):
        with pytest.raises(BadInput, match="is not an area"):
            fields.area(bad, "--area")


def test_the_samples_tiers_follow_the_configs_by_weight():
    from caseload.config import parse_config
    from caseload.domain.sample import TIER_CHOICES, tier_choices

    assert tier_choices(parse_config("").load) == TIER_CHOICES
    mapped = dict(zip(TIER_CHOICES, tier_choices(parse_config(WMT).load)))
    assert mapped == {"low": "D0", "medium": "C1", "high": "B2", "intensive": "A3"}


# --- the config ---------------------------------------------------------------------------

def test_a_config_with_two_tiers_one_case_apart_is_refused(cli, tmp_path):
    (tmp_path / "caseload.yaml").write_text("tiers:\n  A3: 12\n  a3: 9\ndefault_tier: A3\n")
    before = cli.dump()
    result = cli("intake", "--client", "X")
    assert result.exit_code == 2
    assert result.stderr == ("error: config caseload.yaml: tiers.a3: 'a3' differs from tier 'A3' only in case "
                             "(tiers are typed in any case: give each its own name)\n")
    assert cli.dump() == before


def test_the_default_tier_is_matched_ignoring_case_and_kept_as_the_tiers_spell_it(tmp_path):
    from caseload.config import parse_config

    config = parse_config(WMT)
    assert config.default_tier == "C1" and list(config.load.tiers) == ["A3", "B2", "C1", "D0"]


# --- WMT tier names through every path ------------------------------------------------------

def test_wmt_tiers_through_intake_update_and_cases(wmt):
    first = wmt.ok("intake", "--client", "A", "--tier", "a3", "--assign", "asha").stdout.strip()
    plain = wmt.ok("intake", "--client", "B").stdout.strip()  # the default tier, c1 in the config
    cases = {c["id"]: c for c in cases_json(wmt)}
    assert (cases[first]["tier"], cases[first]["weight"]) == ("A3", 12)
    assert cases[plain]["tier"] == "C1"
    wmt.ok("update", plain, "--tier", "b2")
    assert [c["id"] for c in cases_json(wmt, "--tier", "B2")] == [plain]
    assert [c["id"] for c in cases_json(wmt, "--tier", "a3")] == [first]
    result = wmt("intake", "--client", "C", "--tier", "a4")
    assert result.exit_code == 2 and result.stderr == "error: --tier: 'a4' is not one of A3, B2, C1, D0\n"


def test_wmt_tiers_through_a_csv_and_the_zone_review(wmt, tmp_path):
    path = csv_file(tmp_path, "client,tier,worker\nA,a3,Asha\nB,A3,ASHA\nC,d0,ben\nD,,\n")
    wmt.ok("intake", "--csv", path, "--yes")
    cases = sorted((c["client"], c["tier"], c["worker"]) for c in cases_json(wmt))
    assert cases == [("A", "A3", "asha"), ("B", "A3", "asha"), ("C", "D0", "ben"), ("D", "C1", None)]
    review = json.loads(wmt.ok("zone-review", "--format", "json").stdout)
    loads = {w["id"]: (w["cases"], w["load"]) for w in review["workers"]}
    assert loads["asha"] == (2, 24) and loads["ben"] == (1, 1)
    assert review["team"]["waiting"] == 1
    table = wmt.ok("zone-review").stdout
    assert "asha" in table and "Traceback" not in table


def test_a_bad_tier_in_a_csv_names_the_configs_tiers(wmt, tmp_path):
    before = wmt.dump()
    result = wmt("intake", "--csv", csv_file(tmp_path, "client,tier\nA,e9\n"), "--yes")
    assert result.exit_code == 2 and "line 2, tier: 'e9' is not one of A3, B2, C1, D0" in result.stderr
    assert wmt.dump() == before


def test_the_demo_takes_the_configs_tiers(cli, tmp_path):
    (tmp_path / "caseload.yaml").write_text(WMT)
    cli.ok("demo")
    tiers = {c["tier"] for c in cases_json(cli)}
    assert tiers <= {"A3", "B2", "C1", "D0"} and len(tiers) >= 3
    zones = {w["zone"] for w in json.loads(cli.ok("zone-review", "--format", "json").stdout)["workers"]}
    assert zones == {"red", "amber", "green", "blue"}


# --- worker ids in any case ----------------------------------------------------------------

def test_worker_add_stores_a_lower_case_id(cli):
    result = cli.ok("worker", "add", "ASHA", "--name", "Asha Patel", "--area", "North East")
    assert result.stderr == "added worker asha\n"
    team = json.loads(cli.ok("worker", "list", "--format", "json").stdout)
    assert [(w["id"], w["area"]) for w in team] == [("asha", "north east")]
    refused = cli("worker", "add", "Asha", "--name", "Another")
    assert refused.exit_code == 2 and "'asha' already exists" in refused.stderr


def test_worker_ids_in_any_case_in_flags(team):
    case = team.ok("intake", "--client", "A", "--assign", "ASHA", "--requested", "Ben").stdout.strip()
    assert cases_json(team, "--worker", "Asha")[0]["worker"] == "asha"
    waiting = team.ok("intake", "--client", "B").stdout.strip()
    team.ok("assign", waiting, "--to", "BEN")
    team.ok("reassign", case, "--to", "Cara", "--reason", "closer to home")
    team.ok("worker", "edit", "CARA", "--fte", "0.6")
    team.ok("worker", "absent", "Cara", "--from", "today", "--until", "+3d", "--cover", "ASHA")
    assert {w["id"]: w["fte"] for w in json.loads(team.ok("worker", "list", "--format", "json").stdout)}["cara"] \
        == 0.6
    team.ok("worker", "show", "CARA")
    team.ok("handover", "CARA", "--to", "Asha", "--temporary", "--until", "+3d", "--yes")
    assert [c["worker"] for c in cases_json(team, "--worker", "ASHA")] == ["asha"]
    team.ok("return", "Cara")
    history = json.loads(team.ok("history", "--worker", "BEN", "--format", "json").stdout)
    assert {h["worker"] for h in history} == {"ben"}
    team.ok("worker", "leave", "Ben", "--on", "+7d")
    assert {w["id"]: w["status"] for w in json.loads(team.ok("worker", "list", "--format", "json").stdout)}["ben"] \
        == "leaving"


def test_as_and_me_in_any_case(team):
    case = team.as_user("Cara", "intake", "--client", "X", "--assign", "ME").stdout.strip()
    held = cases_json(team, "--worker", "cara")
    assert [c["id"] for c in held] == [case]
    history = json.loads(team.ok("history", case, "--format", "json").stdout)
    assert {h["actor"] for h in history} == {"cara"} and history[-1]["kind"] == "self"
    other = team.ok("intake", "--client", "Y").stdout.strip()
    team.as_user("ASHA", "assign", other, "--to", "Me")
    assert cases_json(team, "--worker", "asha")[0]["id"] == other


def test_a_login_that_is_not_a_worker_id_is_kept_as_typed(team):
    case = team.as_user("Jo Bloggs", "intake", "--client", "X").stdout.strip()
    history = json.loads(team.ok("history", case, "--format", "json").stdout)
    assert history[0]["actor"] == "Jo Bloggs"


def test_worker_cells_of_a_csv_in_any_case(team, tmp_path):
    path = csv_file(tmp_path, "client,worker,requested\nA,Asha,BEN\nB,ME,\nC,Zed,\n")
    result = team.as_user("Cara", "intake", "--csv", path, "--yes")
    assert result.exit_code == 2 and "line 4, worker: 'zed' is not a worker" in result.stderr
    path = csv_file(tmp_path, "client,worker,requested\nA,Asha,BEN\nB,ME,\n", "good.csv")
    team.as_user("Cara", "intake", "--csv", path, "--yes")
    assert sorted((c["client"], c["worker"]) for c in cases_json(team)) == [("A", "asha"), ("B", "cara")]


def test_an_unknown_worker_in_capitals_is_named_in_lower_case(team):
    result = team("cases", "--worker", "ZED")
    assert result.exit_code == 1 and "zed" in result.stderr


# --- areas with spaces ------------------------------------------------------------------------

def test_an_area_with_spaces_is_allocated_ignoring_case(cli, tmp_path):
    (tmp_path / "caseload.yaml").write_text("allocation:\n  area: require\n")
    cli.ok("worker", "add", "asha", "--name", "Asha", "--area", "north east")
    cli.ok("worker", "add", "ben", "--name", "Ben", "--area", "North")
    case = cli.ok("intake", "--client", "A", "--area", "North East", "--assign", "auto").stdout.strip()
    assert cases_json(cli)[0]["worker"] == "asha"
    cli.ok("update", case, "--area", "NORTH")
    assert cases_json(cli)[0]["area"] == "north"
    path = csv_file(tmp_path, "client,area\nB,North  East\n")
    cli.ok("intake", "--csv", path, "--assign", "auto", "--yes")
    placed = {c["client"]: (c["area"], c["worker"]) for c in cases_json(cli)}
    assert placed["B"] == ("north east", "asha")


def test_an_area_with_a_tab_is_refused(team):
    before = team.dump()
    result = team("worker", "edit", "asha", "--area", "north\teast")
    assert result.exit_code == 2 and result.stderr.startswith("error: --area:") and "is not an area" in result.stderr
    assert team.dump() == before


def test_a_case_id_typed_in_any_case_finds_the_case(team):
    team.ok("intake", "--client", "A", "--tier", "low")
    assert json.loads(team.ok("show", "c-0001", "--format", "json").stdout)["case"]["id"] == "C-0001"
    team.ok("assign", "c-0001", "--to", "asha")
    assert json.loads(team.ok("show", "C-0001", "--format", "json").stdout)["case"]["worker"] == "asha"
    history = json.loads(team.ok("history", "c-0001", "--format", "json").stdout)
    assert [h["kind"] for h in history] == ["intake", "assign"]
    result = team("show", "c-0002")
    assert result.exit_code == 1 and "no case 'c-0002'" in result.stderr
