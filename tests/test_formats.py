"""Every listing takes --format table|csv|json and --output FILE (DESIGN §5): the plans of
`assign`, `handover` and `rebalance`, `worker show` and `show CASE` included. One output
path writes them all: the JSON is the document, the CSV is its main table with the
JSON's keys as headers, a file is private (0600) and says where it went on stderr."""

import csv
import io
import json
import stat

import pytest
from conftest import build_team, built_once, copy_team

from caseload.render import rows


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def load(team, _):
    for n in range(3):
        team.ok("intake", "--client", f"Client {n}", "--tier", "high", "--risk", "high")
    for n in range(16):
        team.ok("intake", "--client", f"Held {n}", "--tier", "high", "--assign", "asha")


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory):
    return built_once(tmp_path_factory, "loaded", lambda cli, mp: load(build_team(cli), mp))


@pytest.fixture
def loaded(loaded_template, tmp_path):
    """The small team with waiting cases, sixteen cases held by an overloaded worker (asha):
    a copy of one built for the module."""
    return copy_team(loaded_template, tmp_path)


def test_an_assign_plan_in_every_format(loaded):
    document = json.loads(loaded.ok("assign", "--waiting", "--auto", "--dry-run", "--format", "json").stdout)
    assert document["dry_run"] is True and len(document["placements"]) == 3
    table = csv_rows(loaded.ok("assign", "--waiting", "--auto", "--dry-run", "--format", "csv").stdout)
    assert list(table[0]) == list(rows.PLACEMENT_COLUMNS)
    assert [(r["case"], r["worker"]) for r in table] == [(p["case"], p["worker"]) for p in document["placements"]]
    people = loaded.ok("assign", "--waiting", "--auto", "--dry-run").stdout
    assert "Plan" in people and "Workers receiving cases" in people


def test_a_handover_plan_in_every_format(loaded):
    document = json.loads(loaded.ok("handover", "asha", "--auto", "--dry-run", "--format", "json").stdout)
    assert document["worker"] == "asha" and len(document["moves"]) == 16
    table = csv_rows(loaded.ok("handover", "asha", "--auto", "--dry-run", "--format", "csv").stdout)
    assert list(table[0]) == list(rows.MOVE_COLUMNS) and len(table) == 16
    assert {r["from"] for r in table} == {"asha"} and "asha" not in {r["to"] for r in table}
    assert "Handover of asha: 16 case(s)" in loaded.ok("handover", "asha", "--auto", "--dry-run").stdout


def test_a_rebalance_plan_in_every_format(loaded):
    document = json.loads(loaded.ok("rebalance", "--format", "json").stdout)
    assert document["moves"], "asha is red: rebalance proposes moves"
    table = csv_rows(loaded.ok("rebalance", "--format", "csv").stdout)
    assert list(table[0]) == list(rows.SUGGESTION_COLUMNS)
    assert [r["case"] for r in table] == [m["case"] for m in document["moves"]]
    assert "Rebalance plan" in loaded.ok("rebalance").stdout


def test_worker_show_as_a_document_and_its_caseload_as_csv(loaded):
    document = json.loads(loaded.ok("worker", "show", "asha", "--format", "json").stdout)
    assert document["worker"]["id"] == "asha" and document["capacity"]["value"] == 90
    assert document["load"]["load"] == 96 and document["load"]["zone"] == "amber"
    assert len(document["cases"]) == 16
    table = csv_rows(loaded.ok("worker", "show", "asha", "--format", "csv").stdout)
    assert list(table[0]) == list(rows.CASE_COLUMNS) and len(table) == 16
    people = loaded.ok("worker", "show", "asha").stdout
    assert "load 96 / capacity 90 = 106.6%" in people


def test_show_case_as_a_document_and_its_history_as_csv(loaded):
    document = json.loads(loaded.ok("show", "C-0004", "--format", "json").stdout)
    assert document["case"]["id"] == "C-0004" and document["case"]["worker"] == "asha"
    assert [h["kind"] for h in document["history"]] == ["intake", "assign"]
    table = csv_rows(loaded.ok("show", "C-0004", "--format", "csv").stdout)
    assert list(table[0]) == list(rows.HISTORY_COLUMNS) and [r["kind"] for r in table] == ["intake", "assign"]
    assert "History (2)" in loaded.ok("show", "C-0004").stdout


@pytest.mark.parametrize("args", [
    ("assign", "--waiting", "--auto", "--dry-run"), ("handover", "asha", "--auto", "--dry-run"), ("rebalance",),
    ("worker", "show", "asha"), ("show", "C-0004"), ("cases",), ("worker", "list"), ("history",),
    ("zone-review",), ("worker", "reductions"),
])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_every_listing_writes_a_private_file_with_output(loaded, tmp_path, args, fmt):
    target = tmp_path / f"out.{fmt}"
    result = loaded.ok(*args, "--format", fmt, "--output", str(target))
    assert "wrote" in result.stderr and str(target) in result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.strip(), "the file has the listing"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    if fmt == "json":
        json.loads(text)
    elif fmt == "csv":
        assert text.splitlines()[0].count(",") >= 3  # a header row of the listing's columns
    assert result.stdout == "", "with --output nothing of the listing goes to stdout"
