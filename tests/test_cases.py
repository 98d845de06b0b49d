"""The case table: filters, sorting, closed cases hidden, formats that parse back."""

import csv
import io
import json


def ids(cli, *args):
    return [c["id"] for c in json.loads(cli.ok("cases", "--format", "json", *args).stdout)]


def test_filters(team):
    team.ok("intake", "--client", "A", "--risk", "high", "--assign", "asha", "--opened", "2026-10-01")
    team.ok("intake", "--client", "B", "--tier", "low", "--assign", "ben")
    team.ok("intake", "--client", "C", "--tier", "intensive")
    team.ok("intake", "--client", "D", "--tier", "low", "--status", "monitoring", "--assign", "ben")
    assert ids(team) == ["C-0001", "C-0002", "C-0003", "C-0004"]
    assert ids(team, "--worker", "ben") == ["C-0002", "C-0004"]
    assert ids(team, "--waiting") == ["C-0003"]
    assert ids(team, "--risk", "high") == ["C-0001"]
    assert ids(team, "--tier", "low") == ["C-0002", "C-0004"]
    assert ids(team, "--status", "monitoring") == ["C-0004"]
    # C-0001 opened 2026-10-01 with high risk: review due 2026-10-15, no contact since opening
    assert ids(team, "--overdue") == ["C-0001"]
    assert ids(team, "--stale") == ["C-0001"]
    assert ids(team, "--sort", "opened")[0] == "C-0001"
    assert ids(team, "--status", "closed") == []


def test_csv_parses_back_with_the_design_headers(team):
    team.ok("intake", "--client", "Zoë, \"Jo\" Łukasz", "--needs", "housing,benefits", "--assign", "asha")
    text = team.ok("cases", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs",
                             "language", "area", "weight", "opened_on", "next_review_on", "last_contact_on",
                             "closed_on"]
    assert rows[0]["client"] == "Zoë, \"Jo\" Łukasz"
    assert rows[0]["needs"] == "benefits;housing"
    assert rows[0]["weight"] == "4"


def test_output_file_is_private(team, tmp_path):
    team.ok("intake", "--client", "A")
    team.ok("cases", "--format", "json", "--output", "out.json")
    out = tmp_path / "out.json"
    assert out.stat().st_mode & 0o777 == 0o600
    assert json.loads(out.read_text())[0]["id"] == "C-0001"


def test_show_unknown_case(team):
    result = team("show", "C-9999")
    assert result.exit_code == 1 and "no case 'C-9999'" in result.stderr


def test_bad_sort_and_format_are_usage_errors(team):
    for args, allowed in ((["cases", "--sort", "colour"], "'opened'"), (["cases", "--format", "xml"], "'csv'"),
                          (["cases", "--risk", "huge"], "'high'")):
        result = team(*args)
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
        error = result.stderr
        assert error.startswith("error: ") and args[1] in error and repr(args[2]) in error and allowed in error, error
        assert result.stdout == ""
