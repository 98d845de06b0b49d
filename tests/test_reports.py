"""The nightly report over a scripted month, exports that parse back, redaction, and the look-ahead."""

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import EXPORT_KEYS, build_team, built_once, copy_team, run_cli


def on(monkeypatch, day):
    monkeypatch.setenv("CASELOAD_TODAY", day)


ALERTS = "alerts:\n  excessive_after: 3\n"


def live_a_month(team, monkeypatch):
    Path("caseload.yaml").write_text(ALERTS)
    on(monkeypatch, "2026-11-02")
    team.ok("intake", "--client", "Anna A", "--assign", "ben", "--risk", "high")
    team.ok("intake", "--client", "Bob B", "--assign", "asha")
    team.ok("intake", "--client", "Cat C")
    team.ok("zone-review", "--record")
    on(monkeypatch, "2026-11-09")
    for i in range(13):
        team.ok("intake", "--client", f"Heavy {i}", "--tier", "high", "--assign", "ben")  # 4 + 78 = 82
    team.ok("intake", "--client", "Dan D", "--tier", "intensive", "--assign", "ben")  # 91 / 72 = 126 % red
    team.ok("zone-review", "--record")
    on(monkeypatch, "2026-11-16")
    team.ok("zone-review", "--record")
    on(monkeypatch, "2026-11-18")
    team.ok("intake", "--client", "Eve E")                        # intake, waiting
    team.ok("intake", "--client", "Fay F", "--assign", "cara")    # intake + allocation
    team.ok("assign", "C-0003", "--to", "asha")                   # allocation
    team.ok("close", "C-0002", "--reason", "moved away")          # closure
    team.ok("reassign", "C-0004", "--to", "asha", "--reason", "balance")  # move
    team.ok("update", "C-0005", "--risk", "high")
    team.ok("worker", "feels", "ben", "overwhelmed")              # ben's own view of the week


@pytest.fixture(scope="module")
def month_template(tmp_path_factory):
    return built_once(tmp_path_factory, "month", lambda cli, mp: live_a_month(build_team(cli), mp))


@pytest.fixture
def month(month_template, tmp_path):
    """A month of a small team's life, reviewed every Monday; ben goes red in week two (a
    copy of the month lived once for the module; today is its last Monday, 2026-11-23)."""
    (tmp_path / "caseload.yaml").write_text(ALERTS)
    return copy_team(month_template, tmp_path)


def test_report_figures_number_by_number(month):
    data = json.loads(month.ok("report", "--format", "json", "--record").stdout)
    assert data["date"] == "2026-11-23" and data["since"] == "2026-11-16"
    assert data["last_review"]["date"] == "2026-11-16"
    assert data["throughput"] == {"intakes": 2, "allocations": 2, "closures": 1, "moves": 1}
    ben = next(w for w in data["zones"]["workers"] if w["id"] == "ben")
    # 91 - 6 (C-0004, high) = 85 of 72 = 118 %: still red, for the third week running
    assert (ben["load"], ben["zone"], ben["previous_zone"], ben["red_streak"]) == (85, "red", "red", 3)
    assert data["red_streaks"] == [{"worker": "ben", "weeks": 3}]
    assert data["excessive"] == [{"worker": "ben", "weeks": 3}]
    assert data["waiting"]["count"] == 1 and data["waiting"]["cases"][0]["case"] == "C-0018"
    assert [t["date"] for t in data["trend"]] == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert data["trend"][0]["workers"]["ben"] == pytest.approx(5.55, abs=0.01)  # 4 / 72
    report_text = month.ok("report").stdout
    assert "EXCESSIVE workload: ben has been red for 3 weeks running (3 or more is excessive)" in report_text


def test_since_flag_and_zone_changes(month):
    data = json.loads(month.ok("report", "--format", "json", "--since", "2026-11-01").stdout)
    assert data["throughput"] == {"intakes": 19, "allocations": 18, "closures": 1, "moves": 1}
    asha = next(w for w in data["zones"]["workers"] if w["id"] == "asha")
    assert asha["previous_zone"] == "blue"
    assert data["zone_changes"] == []


def test_zone_review_remembers_the_last_meeting(month):
    out = month.ok("zone-review").stdout
    assert "Since the last review (2026-11-16): 2 new case(s), 3 move(s), 1 risk change(s)" in out
    assert "C-0004 reassign: ben -> asha" in out
    assert "C-0005 risk medium -> high" in out


def test_fail_on_writes_the_whole_report_first(month, tmp_path):
    result = month("report", "--format", "html", "--output", "r.html", "--fail-on", "red")
    assert result.exit_code == 3
    assert result.stderr == "wrote r.html\n1 worker(s) at red or worse: ben\n"
    page = (tmp_path / "r.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == 0o600


def test_html_is_self_contained(month, tmp_path):
    month.ok("report", "--format", "html", "--output", "r.html")
    page = (tmp_path / "r.html").read_text()
    for outside in ("http://", "https://", "<script", "<link", "src=", "@import", "url("):
        assert outside not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<svg" in page and "RED" in page and "Overdue reviews" in page


def test_every_format_agrees(month):
    as_json = json.loads(month.ok("report", "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(month.ok("report", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == [w["id"] for w in as_json["zones"]["workers"]]
    assert [r["zone"] for r in rows] == [w["zone"] for w in as_json["zones"]["workers"]]
    markdown = month.ok("report", "--format", "md").stdout
    assert markdown.startswith("# Caseload report 2026-11-23")
    assert "| ben | Ben Okafor | 14 |" in markdown




@pytest.mark.parametrize("what", list(EXPORT_KEYS))
def test_exports_parse_back_to_the_same_values(month, tmp_path, what):
    as_json = json.loads(month.ok("export", what, "--format", "json").stdout)
    month.ok("export", what, "--format", "csv", "--output", f"{what}.csv")
    raw = (tmp_path / f"{what}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 names with this mark
    assert (tmp_path / f"{what}.csv").stat().st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == EXPORT_KEYS[what] and list(as_json[0]) == EXPORT_KEYS[what]
    assert len(rows) == len(as_json)
    for row, obj in zip(rows, as_json):
        for key in EXPORT_KEYS[what]:
            value = obj[key]
            expected = ";".join(value) if isinstance(value, list) else (
                "" if value is None else ("yes" if value is True else "no" if value is False else str(value)))
            if isinstance(value, float):
                assert float(row[key]) == value
            else:
                assert row[key] == expected, (key, row[key], value)


def test_exports_include_closed_cases_and_guard_formulas(month):
    month.ok("intake", "--client", "=HYPERLINK(\"x\")")
    rows = list(csv.DictReader(io.StringIO(month.ok("export", "cases").stdout)))
    assert any(r["status"] == "closed" for r in rows)
    assert rows[-1]["client"] == "'=HYPERLINK(\"x\")"


def test_redaction_leaves_no_client_name_anywhere(month, tmp_path):
    month.ok("note", "C-0001", "Anna A said hello")
    names = ["Anna A", "Bob B", "Cat C", "Dan D", "Eve E", "Fay F", "Heavy"]
    month.ok("export", "cases", "--redact", "--output", "cases.csv")
    month.ok("export", "cases", "--redact", "--format", "json", "--output", "cases.json")
    month.ok("report", "--redact", "--format", "html", "--output", "report.html")
    month.ok("report", "--redact", "--format", "json", "--output", "report.json")
    for name in ("cases.csv", "cases.json", "report.html", "report.json"):
        text = (tmp_path / name).read_text(encoding="utf-8-sig")
        for client in names:
            assert client not in text, (name, client)
    assert "C-0001" in (tmp_path / "cases.csv").read_text(encoding="utf-8-sig")
    unredacted = month.ok("export", "cases").stdout
    assert "Anna A" in unredacted


def test_look_ahead_with_a_leaving_date_and_a_cover_end(team, monkeypatch):
    for _ in range(10):
        team.ok("intake", "--client", "x", "--tier", "high", "--assign", "asha")  # 60 of 90: 66.6 %
    for _ in range(6):
        team.ok("intake", "--client", "y", "--tier", "high", "--assign", "ben")   # 36 of 72: 50 %
    team.ok("handover", "asha", "--to", "ben", "--temporary", "--until", "2026-11-30", "--yes")  # ben 96 / 72
    team.ok("worker", "leave", "cara", "--on", "2026-12-10")
    team.ok("intake", "--client", "z", "--assign", "cara")
    team.ok("worker", "reduce", "ben", "--percent", "50", "--reason", "project", "--from", "2026-12-15")

    def zones(day):
        data = json.loads(team.ok("zone-review", "--on", day, "--format", "json").stdout)
        return {w["id"]: (w["zone"], w["load"], w["capacity"]) for w in data["workers"]}

    assert zones("2026-11-25") == {"asha": ("blue", 0, 90), "ben": ("red", 96, 72), "cara": ("blue", 4, 45)}
    # the cover ends on the 30th: from December the cases count on asha again
    assert zones("2026-12-01")["asha"] == ("blue", 60, 90) and zones("2026-12-01")["ben"] == ("blue", 36, 72)
    # cara leaves on the 10th with a case still to hand over: no capacity, so red
    assert zones("2026-12-11")["cara"] == ("red", 4, 0)
    # ben's 50 % reduction from the 15th
    assert zones("2026-12-15")["ben"] == ("green", 36, 36)  # 72 x 0.5 = 36: exactly 100 %
    past = team("zone-review", "--on", "2026-11-01")
    assert past.exit_code == 2 and "in the past" in past.stderr
    shown = team.ok("zone-review", "--on", "2026-12-11").stdout
    assert "1 case(s) still to hand over" in shown and "look-ahead" in shown


def test_report_through_a_real_process(demo_db, tmp_path):
    out = tmp_path / "nightly.html"
    result = run_cli("--db", str(demo_db), "report", "--format", "html", "--output", str(out), "--fail-on", "red")
    assert result.returncode == 3 and out.exists() and "asha" in result.stderr


def test_the_reports_summary_counts_in_good_english(team):
    team.ok("intake", "--client", "Only One", "--assign", "asha")
    line = next(line for line in team.ok("report", "--since", "2026-11-01").stdout.splitlines()
                if line.startswith("Since "))
    assert "1 new case, 1 allocation, 0 closures, 0 moves" in line, line
