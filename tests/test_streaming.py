"""Listings stream (DESIGN §5, §8): `cases` reads its rows a batch at a time
(`store.cases.LISTING_BATCH`) and writes each as it comes, so a million cases never sit in
memory; the report writes its page in parts. A listing longer than one batch must still
be every case once, in order, in the same bytes as before: checked here against what the
database holds, read with sqlite3 and shaped by hand, never by caseload's own code
(the plain table against `plain_table`, the writer of a whole table).

Peak memory itself is measured by `benchmarks/scale.py --memory`, not by tests."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from conftest import Cli, build_team, isolated_session, snapshot

from caseload.render.plain import Table, plain_table
from caseload.store.cases import LISTING_BATCH

CASES = LISTING_BATCH + 1  # one more than a batch: the listing is read in two
WEIGHTS = {"low": 3, "medium": 4, "high": 6, "intensive": 9}  # config.example.yaml's
FACTORS = {"active": Fraction(1), "monitoring": Fraction(1, 2), "waiting": Fraction(0)}
CLIENTS = ["Client {i}", "Smith, Jo {i}", 'Jo "JJ" Doe {i}', "Zoë Ångström {i}", "王芳 {i}"]
KEYS = ("id", "client", "summary", "tier", "risk", "status", "worker", "home_worker", "needs", "language", "area",
        "weight", "opened_on", "next_review_on", "last_contact_on", "closed_on")


@pytest.fixture(scope="module")
def many_template(tmp_path_factory):
    """A team holding CASES open cases (waiting, active and monitoring; names with commas,
    quotes, accents and wide characters; two under cover), taken in by `intake --csv`."""
    folder = tmp_path_factory.mktemp("many")
    with isolated_session(folder):
        built = Cli(folder / "built.db")
        built.ok("init")
        build_team(built)
        lines = ["client,summary,tier,risk,status,needs,area,opened,worker"]
        for i in range(CASES):
            worker = ["asha", "ben", "cara", ""][i % 4]
            status = "waiting" if not worker else ("monitoring" if i % 7 == 0 else "active")
            lines.append(",".join([
                '"' + CLIENTS[i % len(CLIENTS)].format(i=i).replace('"', '""') + '"', f'"Help, with {i}"',
                list(WEIGHTS)[i % 4], ["low", "medium", "high"][i % 3], status,
                "housing;debt" if i % 5 == 0 else "", ["north", "south", ""][i % 3],
                f"2026-{1 + i % 9:02d}-{1 + i % 27:02d}", worker]))
        (folder / "many.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        built.ok("intake", "--csv", str(folder / "many.csv"), "--yes")
        built.ok("cover", "C-0001", "--by", "ben", "--until", "+7d")
        built.ok("cover", "C-1999", "--by", "asha", "--until", "+7d")
    return snapshot(built.db, folder / "many.db")


@pytest.fixture
def many(many_template, tmp_path) -> Cli:
    shutil.copy(many_template, tmp_path / "many.db")
    return Cli(tmp_path / "many.db")


def stored(cli: Cli, where: str = "status IN ('waiting', 'active', 'monitoring')") -> list[dict]:
    """The open cases as the database holds them, by id, each with the weight its tier and
    status give it: what `cases` must list."""
    conn = sqlite3.connect(cli.db)
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(row) for row in conn.execute(f"SELECT * FROM cases WHERE {where}")]
    finally:
        conn.close()
    for row in rows:
        row["weight"] = WEIGHTS[row["tier"]] * FACTORS[row["status"]]
    return sorted(rows, key=lambda row: row["id"])


def number(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else str(float(value))


def test_every_case_of_a_listing_longer_than_a_batch_comes_once_in_order_in_csv(many):
    expected = stored(many)
    assert len(expected) == CASES
    written = list(csv.DictReader(io.StringIO(many.ok("cases", "-f", "csv").stdout)))
    assert [list(row) for row in written[:1]] == [list(KEYS)]
    assert written == [{key: ("" if row[key] is None else number(row[key]) if key == "weight"
                              else row[key].replace(",", ";") if key == "needs" else str(row[key]))
                        for key in KEYS} for row in expected]


def test_every_case_of_a_listing_longer_than_a_batch_comes_once_in_order_in_json(many):
    expected = stored(many)
    assert json.loads(many.ok("cases", "-f", "json").stdout) == [
        {key: (float(row[key]) if key == "weight" else row[key].split(",") if key == "needs" and row[key]
               else [] if key == "needs" else row[key]) for key in KEYS} for row in expected]


def test_the_plain_table_of_a_listing_longer_than_a_batch_is_the_whole_table_as_before(many):
    expected = stored(many)
    table = Table(("id", "client", "tier", "risk", "status", "worker", "weight", "opened", "next review",
                   "last contact"), title=f"{CASES} case(s)", right=("weight",))
    for row in expected:
        table.add_row(row["id"], row["client"], row["tier"], row["risk"], row["status"],
                      (row["worker"] or "") + (f" (cover for {row['home_worker']})" if row["home_worker"] else ""),
                      number(row["weight"]), row["opened_on"], row["next_review_on"] or "",
                      row["last_contact_on"] or "")
    shown = many.ok("cases").stdout
    assert shown == plain_table(table)
    assert "王芳 4" in shown and "(cover for asha)" in shown  # wide characters padded as a terminal counts them


def test_filters_stream_too(many):
    overdue = [row["id"] for row in stored(many, "status IN ('active', 'monitoring') AND next_review_on < '2026-11-23'")]
    listed = [row["id"] for row in json.loads(many.ok("cases", "--overdue", "-f", "json").stdout)]
    assert listed == overdue
    ben = [row["id"] for row in stored(many) if "ben" in (row["worker"], row["home_worker"])]
    assert len(ben) > LISTING_BATCH // 4
    assert [row["id"] for row in csv.DictReader(io.StringIO(many.ok("cases", "--worker", "ben", "-f", "csv").stdout))] == ben


def test_limit_is_the_first_rows_and_the_title_says_of_how_many(many):
    ids = [row["id"] for row in stored(many)]
    shown = many.ok("cases", "--limit", "50")
    lines = shown.stdout.splitlines()
    assert lines[0] == f"the first 50 of {CASES:,} case(s)"
    assert [line.split()[0] for line in lines[3:-1]] == ids[:50] and lines[-1] == ""
    assert f"showing the first 50 of {CASES} case(s) (--limit)" in shown.stderr
    assert [row["id"] for row in json.loads(many.ok("cases", "-n", "3", "-f", "json").stdout)] == ids[:3]
    assert many.ok("cases", "--limit", str(CASES)).stdout.startswith(f"{CASES} case(s)\n")  # nothing left out
    assert many.ok("cases", "--limit", "0").stdout.startswith(f"the first 0 of {CASES:,} case(s)\n")


def test_json_is_one_valid_document_with_no_row_one_row_or_a_batch_and_one(many):
    assert many.ok("cases", "--worker", "lead", "-f", "json").stdout == "[]\n"
    one = json.loads(many.ok("cases", "--limit", "1", "-f", "json").stdout)
    assert [row["id"] for row in one] == ["C-0001"]
    assert len(json.loads(many.ok("cases", "-f", "json").stdout)) == CASES
    assert many.ok("cases", "--worker", "lead").stdout.startswith("0 case(s)\n")


class Tags(HTMLParser):
    """Every element opened is closed, in order (the void ones aside)."""

    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "path", "line", "rect", "circle", "polyline"}

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.seen.add(tag)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            assert self.open and self.open[-1] == tag, (self.open[-5:], tag)
            self.open.pop()


def test_the_report_written_in_parts_is_a_whole_page_and_a_whole_document(many, tmp_path):
    page = many.ok("report", "-f", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</footer></body></html>\n")
    tags = Tags()
    tags.feed(page)
    tags.close()
    assert tags.open == [] and {"table", "section", "footer"} <= tags.seen
    assert "Waiting pool (500)" in page and "Smith, Jo 3" in page
    document = json.loads(many.ok("report", "-f", "json").stdout)
    assert document["waiting"]["count"] == 500 and [w["cases"] for w in document["zones"]["workers"]] == [501, 501, 499]
    many.ok("report", "-o", str(tmp_path / "r.md"))
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Caseload report 2026-11-23\n") and "## Zones" in markdown
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_on_a_terminal_rich_draws_only_the_limited_rows_through_the_pager(many):
    from test_terminal import run_in_terminal

    shown = run_in_terminal("--db", str(many.db), "cases", "--limit", "3",
                            env_extra={"PAGER": "sed -e s/^/PAGED:/", "LINES": "5"})
    assert f"the first 3 of {CASES:,} case(s)" in shown and "PAGED:" in shown
    assert "C-0003" in shown and "C-0004" not in shown
