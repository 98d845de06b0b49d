"""Hostile input (issue 11, DESIGN §6): what a message may show, hidden characters in
stored texts and in tables, Markdown and HTML that data cannot inject into, configs
and CSV files built to exhaust memory or time, and a today at the calendar's end.

Each story asserts what the user sees (exit 2, one message naming the field), that the
secret text appears nowhere in the output, and that nothing was written."""

import json
import sqlite3
from datetime import date

import pytest
from conftest import CliRunner

from caseload.cli import build_app
from caseload.config import parse_config
from caseload.domain.dates import parse_date
from caseload.domain.errors import BadInput, Described
from caseload.domain.intake_csv import CASE_FILE
from caseload.domain.spreadsheet import SheetReader
from conftest import TODAY

app = build_app()
SECRET = "Maria Secret"
COLUMNS = ("client,id,summary,tier,risk,status,needs,language,area,requested,opened,worker,home_worker,"
           "next_review,last_contact,held_since,closed_on,close_reason,cover_until")
UNKNOWN = "; or give --ignore-unknown to leave it out"


def refused(cli, *args, input=None, env=None):
    """Run a command that must be refused: exit 2, nothing on stdout, nothing written.
    Returns the stderr lines."""
    before = cli.dump()
    result = cli(*args, input=input, env=env)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert SECRET not in result.output and SECRET.lower() not in result.output.lower()
    assert cli.dump() == before
    return result.stderr.splitlines()


def write(tmp_path, text, name="cases.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- A. What a message shows -------------------------------------------------------------


def test_an_over_long_client_name_is_described_not_echoed(team):
    name = SECRET + " " + "x" * 2100
    assert refused(team, "intake", "--client", name) == [
        "error: --client: a 2,113-character text is longer than 2000 characters"]


def test_an_over_long_note_is_described_not_echoed(team):
    team.ok("intake", "--client", "A")
    assert refused(team, "note", "C-0001", SECRET * 200) == [
        "error: TEXT: a 2,400-character text is longer than 2000 characters"]


def test_a_csv_without_its_header_row_is_described_without_its_cells(team, tmp_path):
    path = write(tmp_path, f"{SECRET},Rent arrears,high\nKwame Mensah,Benefits appeal,low\n")
    assert refused(team, "intake", "--csv", path, "--yes") == [
        f"error: line 1 is not a header row: none of its 3 cells is a column (the first line names the columns: "
        f"{COLUMNS})",
        "error: 1 problem(s) found; nothing was written"]


def test_a_header_row_shows_its_unknown_names(team, tmp_path):
    """Once line 1 is known to be a header row, its cells are header names, not personal
    data: each unknown one is shown, so the lead can map or rename it (DESIGN §11), all in
    one line that lists the columns once (a sheet of the wrong kind was a screen of them)."""
    path = write(tmp_path, "client,colour,Home phone\nA,red,x\n")
    assert refused(team, "intake", "--csv", path, "--yes") == [
        f"error: line 1, header cells 'colour', 'Home phone' are not columns (use {COLUMNS.replace(',', ', ')}"
        f"{UNKNOWN.replace('leave it out', 'leave them out')})",
        "error: 1 problem(s) found; nothing was written"]
    path = write(tmp_path, "client,colour\nA,red\n")
    assert refused(team, "intake", "--csv", path, "--yes")[0] == (
        f"error: line 1, header: 'colour' is not a column (use {COLUMNS.replace(',', ', ')}{UNKNOWN})")


@pytest.mark.parametrize("name", [SECRET, "Maria", "McDonald", "Zoë", "O'Brien"])
def test_names_in_a_misordered_column_are_not_printed_as_tiers(team, tmp_path, name):
    """A row whose cells are in the wrong columns: the name lands in `tier`."""
    path = write(tmp_path, f"tier,client\n{name},high\n")
    lines = refused(team, "intake", "--csv", path, "--yes")
    assert lines[0] == (f"error: line 2, tier: a {len(name)}-character text is not one of low, medium, high, "
                        "intensive")
    assert name not in "\n".join(lines)


def test_structured_cells_are_still_shown(team, tmp_path):
    path = write(tmp_path, "client,tier,opened,needs,id\nA,hgh,2026-13-40,housing;a (b),REF 1\n")
    assert refused(team, "intake", "--csv", path, "--yes") == [
        "error: line 2, opened: '2026-13-40' is not a real date",
        "error: line 2, id: a 5-character text is not a case id (letters, digits, '.', '_', '/' or '-', at most 40)",
        "error: line 2, tier: 'hgh' is not one of low, medium, high, intensive",
        "error: line 2, needs: 'a (b)' is not a skill (words of letters, digits, '-', '_', separated by single "
        "spaces; at most 40 characters)",
        "error: 4 problem(s) found; nothing was written"]


def test_a_needs_flag_names_the_item_that_is_wrong(team):
    assert refused(team, "intake", "--client", "A", "--needs", "housing,a (b)") == [
        "error: --needs: 'a (b)' is not a skill (words of letters, digits, '-', '_', separated by single spaces; "
        "at most 40 characters)"]


def test_skills_and_needs_may_hold_spaces(team):
    """DESIGN §2: `mental health` is one skill, typed in any case and spacing."""
    team.ok("worker", "edit", "asha", "--skills", "housing,Mental  Health")
    team.ok("intake", "--client", "A", "--needs", "mental health", "--assign", "auto")
    case = json.loads(team.ok("cases", "--format", "json").stdout)[-1]
    assert case["needs"] in (["mental health"], "mental health") and case["worker"] == "asha"


def test_a_long_structured_flag_value_is_cut_to_40_characters(team):
    assert refused(team, "intake", "--client", "A", "--tier", "x" * 500) == [
        f"error: --tier: '{'x' * 39}…' is not one of low, medium, high, intensive"]


@pytest.mark.parametrize("error, message", [
    (BadInput("--client", SECRET, "is wrong", private=True), "--client: a 12-character text is wrong"),
    (BadInput("--client", "  ", "is empty", private=True), "--client: '  ' is empty"),
    (BadInput("--tier", "hgh", "is wrong"), "--tier: 'hgh' is wrong"),
    (BadInput("--tier", SECRET, "is wrong"), f"--tier: {SECRET!r} is wrong"),  # typed into a flag: it helps
    (BadInput("tier", SECRET, "is wrong", 3), "line 3, tier: a 12-character text is wrong"),
    (BadInput("tier", " hgh ", "is wrong", 3), "line 3, tier: 'hgh' is wrong"),
    (BadInput("tier", "x" * 41, "is wrong", 3), "line 3, tier: a 41-character text is wrong"),
    (BadInput("tier", "\x1b[2J", "is wrong", 3), "line 3, tier: a 4-character text is wrong"),
    (BadInput("--tier", "\x1b[2J", "is wrong"), "--tier: '\\x1b[2J' is wrong"),
    (BadInput("row", Described("3 cells"), "is wrong", 2), "line 2, row: '3 cells' is wrong"),
    (BadInput("", "", "is not a header row", 1), "line 1 is not a header row"),
    (BadInput("zones", [1] * 100, "is wrong"), f"zones: {str([1] * 100)[:39]}… is wrong"),
])
def test_what_a_message_shows_of_the_value(error, message):
    assert error.message == message == str(error)


def test_the_line_of_a_cell_can_be_set_after_the_error_is_made():
    error = BadInput("client", SECRET, "is wrong")
    error.line = 4  # as app.intake does for a CSV row's problems
    assert str(error) == error.message == "line 4, client: a 12-character text is wrong"


# --- B. Hidden characters ----------------------------------------------------------------

HIDDEN = {
    "\x1b": "a control character (U+001B)",
    "\x00": "a control character (U+0000)",
    "\x7f": "a control character (U+007F)",
    "\x9b": "a control character (U+009B)",
    "\u202e": "a bidirectional text control (U+202E)",
    "\u2066": "a bidirectional text control (U+2066)",
    "\u2028": "a line or paragraph separator (U+2028)",
    "\udcff": "bytes that are not UTF-8 text (U+DCFF)",
}


@pytest.mark.parametrize("char, words", list(HIDDEN.items()) + [("\n", "a line break (it must be one line)"),
                                                                ("\t", "a tab (it must be one line)")])
def test_a_client_name_with_a_hidden_character_is_refused(team, char, words):
    name = f"{SECRET}{char}Forged"
    assert refused(team, "intake", "--client", name) == [
        f"error: --client: a {len(name)}-character text contains {words}"]


@pytest.mark.parametrize("char", list(HIDDEN))
def test_every_stored_text_refuses_hidden_characters(team, char):
    team.ok("intake", "--client", "A", "--assign", "asha")
    team.ok("intake", "--client", "B", "--assign", "asha")
    text = f"{SECRET}{char}x"
    assert refused(team, "worker", "add", "dan", "--name", text)[0].startswith("error: --name: a 14-character text")
    assert refused(team, "worker", "edit", "ben", "--name", text)[0].startswith("error: --name: a 14-character")
    assert refused(team, "intake", "--client", "C", "--summary", text)[0].startswith("error: --summary: a 14-")
    assert refused(team, "update", "C-0001", "--client", text)[0].startswith("error: --client: a 14-")
    assert refused(team, "note", "C-0001", text)[0].startswith("error: TEXT: a 14-character text contains")
    assert refused(team, "review", "C-0001", "--note", text)[0].startswith("error: --note: a 14-character text")
    assert refused(team, "reassign", "C-0001", "--to", "ben", "--reason", text)[0].startswith("error: --reason: a 14")
    assert refused(team, "close", "C-0002", "--reason", text)[0].startswith("error: --reason: a 14-character text")


def test_notes_and_summaries_keep_their_line_breaks_and_tabs(team):
    team.ok("intake", "--client", "A", "--summary", "two\nlines\tand a tab")
    team.ok("note", "C-0001", "first line\nsecond line")
    shown = json.loads(team.ok("show", "C-0001", "--format", "json").stdout)
    assert shown["case"]["summary"] == "two\nlines\tand a tab"
    assert [n["text"] for n in shown["notes"]] == ["first line\nsecond line"]
    table = team.ok("show", "C-0001").stdout
    assert "\nNotes (1)\n" in table and "first line⏎second line" in table  # a title keeps its line break


def test_a_csv_cell_with_a_hidden_character_is_refused_by_line(team, tmp_path):
    path = write(tmp_path, f'client,summary\n"{SECRET}\u202eForged",ok\nB,"x\x1by"\n')
    assert refused(team, "intake", "--csv", path, "--yes") == [
        "error: line 2, client: a 19-character text contains a bidirectional text control (U+202E)",
        "error: line 3, summary: a 3-character text contains a control character (U+001B)",
        "error: 2 problem(s) found; nothing was written"]


@pytest.mark.parametrize("actor, words", [
    ("lead\x1b[31m", "'lead\\x1b[31m' contains a control character (U+001B)"),
    ("lead\nforged", "'lead\\nforged' contains a line break (it must be one line)"),
    ("lead\u202e", "'lead\\u202e' contains a bidirectional text control (U+202E)"),
    ("x" * 65, f"'{'x' * 39}…' is longer than 64 characters"),
])
def test_the_actor_is_refused_before_anything_runs(team, actor, words):
    assert refused(team, "--as", actor, "intake", "--client", "A") == [f"error: --as: {words}"]
    assert refused(team, "intake", "--client", "A", env={"CASELOAD_USER": actor}) == [f"error: --as: {words}"]


def test_an_actor_of_64_characters_is_recorded(team):
    actor = "a" * 64
    team.ok("--as", actor, "intake", "--client", "A")
    history = json.loads(team.ok("history", "C-0001", "--format", "json").stdout)
    assert {h["actor"] for h in history} == {actor}


def forge_client(cli, case_id, client):
    """Data written before hidden characters were refused (or by raw SQL)."""
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute("UPDATE cases SET client = ? WHERE id = ?", (client, case_id))
    conn.close()


def test_a_line_break_in_a_piped_table_cell_cannot_forge_a_row(team):
    team.ok("intake", "--client", "A", "--tier", "low")
    team.ok("intake", "--client", "B", "--tier", "low")
    forge_client(team, "C-0001", "Ann\nC-0099  Forged   intensive\r\nx\x1b[2Jy\u202ez\tw")
    lines = team.ok("cases").stdout.rstrip("\n").splitlines()
    rows = [line for line in lines if line.startswith("C-")]
    assert [row.split()[0] for row in rows] == ["C-0001", "C-0002"]
    assert "Ann⏎C-0099  Forged   intensive⏎x\ufffd[2Jy\ufffdz w" in rows[0]
    assert "\x1b" not in team.ok("cases").stdout


def test_a_line_break_in_a_terminal_table_cell_prints_as_a_mark():
    from rich.console import Console

    from caseload.render.console import new_table

    table = new_table("id", "client")
    table.add_row("C-0001", "Ann\nForged")
    out = Console(width=80, record=True, force_terminal=True, color_system=None)
    out.print(table)
    text = out.export_text()
    assert "Ann⏎Forged" in text and "\nForged" not in text


INJECTION = "<script>alert(1)</script> **bold** [link](http://evil.example) | `code` _i_ &amp;"


def test_markdown_and_html_reports_escape_what_they_print(team, tmp_path):
    team.ok("worker", "edit", "ben", "--name", INJECTION)
    team.ok("intake", "--client", INJECTION)
    markdown = team.ok("report", "--format", "md").stdout
    assert "<script>" not in markdown and "<" not in markdown.replace("&lt;", "")
    expected = ("&lt;script&gt;alert(1)&lt;/script&gt; \\*\\*bold\\*\\* \\[link\\](http://evil.example) \\| "
                "\\`code\\` \\_i\\_ &amp;amp;")
    assert markdown.count(expected) == 2  # the worker's row and the waiting pool
    for line in markdown.splitlines():
        if expected in line:  # the cell's pipe is escaped: the row keeps its columns
            header = "| worker |" if "| ben |" in line else "| case |"
            columns = next(h for h in markdown.splitlines() if h.startswith(header)).count(" | ")
            assert line.replace("\\|", "").count(" | ") == columns
    page = team.ok("report", "--format", "html").stdout
    assert "<script>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt; **bold** [link](http://evil.example) | `code` _i_ "
                      "&amp;amp;") == 2


# --- C. Configs and CSV files built to exhaust memory or time ------------------------------

ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
) + "\n"


def bad_config(tmp_path, text: str) -> list[str]:
    (tmp_path / "caseload.yaml").write_text(text)
    result = CliRunner().invoke(app, ["--db", "t.db", "init"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert not (tmp_path / "t.db").exists()
    return result.stderr.splitlines()


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    assert bad_config(tmp_path, ALIAS_BOMB) == [
        "error: caseload.yaml uses a YAML anchor or alias (line 1): write each value out"]


def test_an_anchor_alone_is_refused(tmp_path):
    assert bad_config(tmp_path, "points_per_fte: 100\ntiers: &t {low: 3}\n") == [
        "error: caseload.yaml uses a YAML anchor or alias (line 2): write each value out"]


def test_deep_nesting_is_refused(tmp_path):
    assert bad_config(tmp_path, "tiers: " + "[" * 30_000 + "]" * 30_000 + "\n") == [
        "error: caseload.yaml nests deeper than 10 levels (line 1)"]


def test_a_huge_config_is_refused_unread(tmp_path):
    assert bad_config(tmp_path, "# padding\n" * 10_000 + "points_per_fte: 100\n") == [
        "error: config: 'caseload.yaml' is larger than 64 KB (a config is a few KB)"]


@pytest.mark.parametrize("text, message", [
    ("points_per_fte: 100000\n", "points_per_fte: '100000' must be more than 0 and at most 10000"),
    ("tiers: {low: 3, medium: 1001}\n", "tiers.medium: '1001' must be more than 0 and at most 1000"),
    ("review_days: {high: 3651}\n", "review_days.high: 3651 must be at least 1 and at most 3650"),
    ("stale_after_days: 100000\n", "stale_after_days: 100000 must be at least 1 and at most 3650"),
    ("long_open_days: 99999999\n", "long_open_days: 99999999 must be at least 1 and at most 3650"),
    ("alerts: {excessive_after: 521}\n", "alerts.excessive_after: 521 must be at least 1 and at most 520"),
    ("alerts: {expiring_days: 4000}\n", "alerts.expiring_days: 4000 must be at least 1 and at most 3650"),
    ("allocation: {area_bonus: 1000.5}\n", "allocation.area_bonus: '1000.5' must be at least 0 and at most 1000"),
    ("allocation: {recent_days: 0}\n", "allocation.recent_days: 0 must be at least 1 and at most 3650"),
    ("caps: {max_cases_per_fte: 5000}\n", "caps.max_cases_per_fte: '5000' must be more than 0 and at most 1000"),
    ("zones: {red_from: 1001}\n", "zones.red_from: '1001' must be at least 0 and at most 1000"),
    ("status_factors: {monitoring: 11}\n", "status_factors.monitoring: '11' must be at least 0 and at most 10"),
    ("points_per_fte: " + "9" * 5000 + "\n", f"points_per_fte: '{'9' * 39}…' is not a number"),
    ("points_per_fte: 1.0e+999999999\n", "points_per_fte: '1.0e+999999999' is not a number"),
    ("tiers: {low: 3, \"Low Risk\": 4}\n", "tiers.Low Risk: 'Low Risk' is not a tier name (one word: "
                                          "letters, digits, '-', '_')"),
])
def test_numbers_outside_their_sane_range_are_refused(tmp_path, text, message):
    assert bad_config(tmp_path, text) == [f"error: config caseload.yaml: {message}"]


def test_an_unknown_key_of_any_length_is_cut(tmp_path):
    key = "k" * 1000  # YAML allows a plain key of at most 1024 characters
    assert bad_config(tmp_path, f"{key}: 1\n") == [
        f"error: config caseload.yaml: {'k' * 39}…: '{'k' * 39}…' is not a known key (expected one of database, "
        "points_per_fte, admin_allowance, tiers, default_tier, status_factors, zones, review_days, stale_after_days, "
        "long_open_days, caps, allocation, alerts, waiting, import, cases, retention, starters)"]


def test_a_value_that_looks_like_a_date_but_is_not_is_bad_yaml(tmp_path):
    assert bad_config(tmp_path, "points_per_fte: 2026-02-30\n") == [
        "error: caseload.yaml: '…' is not valid YAML (a value that looks like a date is not one)"]


def test_the_ranges_keep_the_defaults():
    config = parse_config("points_per_fte: 10000\ntiers: {low: 1000}\ndefault_tier: low\n"
                          "alerts: {excessive_after: 520}\nreview_days: {high: 3650}\n")
    assert config.load.points_per_fte == 10000 and config.alerts.excessive_after == 520


def test_a_header_of_200000_columns_is_refused_at_once(team, tmp_path):
    path = write(tmp_path, ",".join(["tier"] * 200_000) + "\nlow\n")
    assert refused(team, "intake", "--csv", path, "--yes") == [
        "error: line 1, header has 200,000 cells; a header row has at most 100",
        "error: 1 problem(s) found; nothing was written"]


def test_repeated_columns_are_each_reported_once():
    reader = SheetReader([("client," + ",".join(["tier"] * 50 + ["risk"] * 49) + "\n").encode()], CASE_FILE)
    assert list(reader.rows()) == [] and [p.message for p in reader.problems] == [
        "line 1, header: 'tier' appears twice (or under two names)",
        "line 1, header: 'risk' appears twice (or under two names)"]


# --- D. A today at the calendar's end ------------------------------------------------------


@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01"])
def test_an_extreme_today_is_refused_not_a_traceback(team, today):
    env = {"CASELOAD_TODAY": today}
    message = f"error: CASELOAD_TODAY: '{today}' is outside the years 1900 to 2999"
    assert refused(team, "worker", "absent", "asha", "--from", "today", "--until", "+1d", env=env) == [message]
    assert refused(team, "report", env=env) == [message]
    assert refused(team, "zone-review", env=env) == [message]
    assert refused(team, "intake", "--client", SECRET, env=env) == [message]


@pytest.mark.parametrize("text", ["+1d", "tomorrow", "+9999w"])
def test_a_relative_date_past_the_calendar_is_bad_input(text):
    with pytest.raises(BadInput) as caught:
        parse_date(text, date(9999, 12, 31), "--until")
    assert caught.value.message == f"--until: {text!r} is outside the calendar (today is 9999-12-31)"


def test_the_fixture_today_is_inside_the_range():
    assert parse_date("+520w", date.fromisoformat(TODAY), "--on").year == 2036
    with pytest.raises(BadInput, match="more than 10 years after today"):  # DESIGN §6: far dates
        parse_date("+9999w", date.fromisoformat(TODAY), "--on")


def test_text_that_is_not_utf8_is_named_by_its_column_never_quoted(team):
    import sqlite3

    team.ok("intake", "--client", "Maria Lopez")
    db = sqlite3.connect(team.db)
    db.execute("UPDATE cases SET client = CAST(X'4D61726961FF0A464F524745441B5B33316D' AS TEXT)")
    db.commit()
    result = team("show", "C-0001")
    assert result.exit_code == 1
    assert result.stderr == ("error: the database holds text that is not UTF-8 in column client (written outside "
                             "caseload: correct it with sqlite3, or restore a backup); nothing was changed\n")


def test_a_column_header_with_escape_codes_reaches_the_terminal_as_marks(team, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("client,tier,risk,col\x1b]0;PWNED\x07\x1b[2J\nAnn,low,low,1\n", encoding="utf-8")
    result = team("intake", "--csv", str(path), "--dry-run", "--ignore-unknown")
    assert result.exit_code == 0, result.stderr
    assert "left out column(s): col\ufffd]0;PWNED\ufffd\ufffd[2J" in result.stderr and "\x1b" not in result.stderr


def test_reports_for_reading_elsewhere_show_hidden_characters_as_marks(team, tmp_path):
    import sqlite3

    team.ok("intake", "--client", "Ann", "--assign", "ben")
    db = sqlite3.connect(team.db)
    db.execute("UPDATE workers SET name = 'Ben \u202eevil\u202c' || char(155) || 'x' || char(0) || 'y' WHERE id = 'ben'")
    db.commit()
    for fmt in ("md", "html"):
        page = team.ok("report", "--format", fmt).stdout
        assert not set(page) & {"\u202e", "\u202c", "\x9b", "\x00"}, fmt
        assert "Ben \ufffdevil\ufffd\ufffdx\ufffdy" in page, fmt
