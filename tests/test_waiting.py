"""The waiting list (DESIGN §2, §10): the day a case entered the pool, its first-contact
deadline by risk, check-ins while it waits, the pool's priority order; `cases --waiting`,
the zone review's attention list, the report and `report --fail-on waiting`.

The rules are checked first without a database (`domain.waiting`), then as a lead lives
them: a scripted fortnight with CASELOAD_TODAY moving day by day."""

import json
import os
import sqlite3
from datetime import date, timedelta

import pytest

from caseload.config import Config, parse_config
from caseload.domain.errors import BadInput
from caseload.domain.model import Case
from caseload.domain.waiting import WaitingRules, attention_first, opening_moved, pool, priority, waiting
from conftest import Cli, build_team, run_cli

DAY0 = date(2026, 11, 2)  # a Monday
RULES = WaitingRules()  # high 2, medium 7, low 14 days; a check-in every 14 days


def case(case_id="C-1", risk="medium", since=DAY0, **fields) -> Case:
    return Case(id=case_id, client="X", opened_on=fields.pop("opened_on", since), risk=risk, status="waiting",
                waiting_since=since, **fields)


# -- the rules, without a database ------------------------------------------------

@pytest.mark.parametrize("risk, due_day", [("high", 2), ("medium", 7), ("low", 14)])
def test_a_first_contact_is_due_by_risk_and_overdue_the_day_after(risk, due_day):
    c = case(risk=risk)
    on_the_day = waiting(c, DAY0 + timedelta(days=due_day), RULES)
    assert on_the_day.first_contact_due == DAY0 + timedelta(days=due_day)
    assert not on_the_day.contact_overdue
    assert waiting(c, DAY0 + timedelta(days=due_day + 1), RULES).contact_overdue


def test_a_contact_while_waiting_is_the_first_contact_and_a_check_in_that_resets_the_clock():
    c = case(risk="high", last_contact_on=DAY0 + timedelta(days=1))
    seen = waiting(c, DAY0 + timedelta(days=10), RULES)
    assert not seen.contact_overdue and seen.contacted_on == DAY0 + timedelta(days=1)
    assert seen.check_in_due == DAY0 + timedelta(days=15)  # 14 days after the contact, not after waiting_since
    assert not waiting(c, DAY0 + timedelta(days=15), RULES).check_in_overdue
    assert waiting(c, DAY0 + timedelta(days=16), RULES).check_in_overdue


def test_a_contact_made_before_the_case_went_back_to_the_pool_counts_for_nothing():
    back = DAY0 + timedelta(days=20)
    c = case(risk="medium", since=back, opened_on=DAY0, last_contact_on=DAY0 + timedelta(days=3))
    seen = waiting(c, back + timedelta(days=8), RULES)
    assert seen.contacted_on is None and seen.contact_overdue
    assert seen.waiting_since == back and seen.waited_days == 8
    assert seen.check_in_due == back + timedelta(days=14)


def test_a_case_stored_without_waiting_since_waits_from_its_opening_day():
    c = Case(id="C-1", client="X", opened_on=DAY0, risk="low")
    assert waiting(c, DAY0 + timedelta(days=3), RULES).waiting_since == DAY0


def test_unchecked_when_the_last_check_in_is_older_than_the_interval():
    rules = WaitingRules(check_in_days=7)
    c = case(risk="low")  # first contact due on day 14, but a check-in on day 7
    assert not waiting(c, DAY0 + timedelta(days=7), rules).check_in_overdue
    day8 = waiting(c, DAY0 + timedelta(days=8), rules)
    assert day8.check_in_overdue and not day8.contact_overdue
    assert day8.deadline == DAY0 + timedelta(days=7)  # the next thing due is the check-in


def test_the_pool_is_high_risk_first_then_the_earliest_deadline_then_the_longest_wait():
    on = DAY0 + timedelta(days=30)
    cases = [
        case("C-low-old", "low", DAY0),
        case("C-med-late", "medium", DAY0 + timedelta(days=10)),
        case("C-med-early", "medium", DAY0 + timedelta(days=5)),
        case("C-high", "high", DAY0 + timedelta(days=29)),
        # its first contact was due on day 8: the earliest first-contact deadline of the medium ones
        case("C-med-contacted", "medium", DAY0 + timedelta(days=1), last_contact_on=DAY0 + timedelta(days=3)),
        Case(id="C-held", client="X", opened_on=DAY0, status="active", worker="asha"),  # not in the pool
    ]
    assert [w.case.id for w in pool(cases, on, RULES)] == [
        "C-high", "C-med-contacted", "C-med-early", "C-med-late", "C-low-old"]
    assert priority(waiting(cases[0], on, RULES))[0] == 2


def test_the_attention_list_puts_the_cases_that_need_someone_first_in_priority_order():
    rules = WaitingRules(check_in_days=7)
    on = DAY0 + timedelta(days=9)
    entries = pool([
        case("C-fine", "high", on),
        case("C-unchecked", "high", DAY0, last_contact_on=DAY0 + timedelta(days=1)),
        case("C-overdue-low", "low", DAY0 - timedelta(days=10)),
        case("C-overdue-med", "medium", DAY0),
    ], on, rules)
    # a high-risk case overdue a check-in before a medium one overdue its first contact (DESIGN §2)
    assert [e.case.id for e in attention_first(entries)] == ["C-unchecked", "C-overdue-med", "C-overdue-low", "C-fine"]


def test_correcting_the_opening_day_moves_a_wait_that_began_then_and_no_other():
    moved = DAY0 - timedelta(days=3)
    assert opening_moved(case(since=DAY0), moved) == moved
    back = DAY0 + timedelta(days=9)
    assert opening_moved(case(since=back, opened_on=DAY0), moved) == back
    assert opening_moved(Case(id="C-1", client="X", opened_on=DAY0, status="active", worker="a"), moved) is None


def test_the_config_keys_and_their_defaults():
    assert Config().waiting == WaitingRules()
    config = parse_config("waiting:\n  first_contact_days: {high: 0, low: 28}\n  check_in_days: 10\n")
    assert dict(config.waiting.first_contact_days) == {"high": 0, "medium": 7, "low": 28}
    assert config.waiting.check_in_days == 10


@pytest.mark.parametrize("text, key", [
    ("waiting: {check_in_days: 0}\n", "waiting.check_in_days"),
    ("waiting: {check_in_days: soon}\n", "waiting.check_in_days"),
    ("waiting: {first_contact_days: {urgent: 1}}\n", "waiting.first_contact_days.urgent"),
    ("waiting: {first_contact_days: {high: -1}}\n", "waiting.first_contact_days.high"),
    ("waiting: {first_contact_days: {high: 99999}}\n", "waiting.first_contact_days.high"),
    ("waiting: {reminders: 3}\n", "waiting.reminders"),
])
def test_a_bad_waiting_key_is_named(text, key):
    with pytest.raises(BadInput) as refused:
        parse_config(text)
    assert key in str(refused.value)


# -- a fortnight, day by day ----------------------------------------------------------

def day(n: int) -> str:
    return (DAY0 + timedelta(days=n)).isoformat()


@pytest.fixture
def fortnight(tmp_path):
    """The small team, a config with a check-in every 7 days, and a way to act on day N."""
    (tmp_path / "caseload.yaml").write_text("waiting:\n  check_in_days: 7\n")  # ./caseload.yaml is read
    cli = Cli(tmp_path / "team.db")
    cli.ok("init")
    build_team(cli)

    def on(n: int, *args: str):
        result = cli(*args, env={"CASELOAD_TODAY": day(n)})
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    return cli, on


def pool_on(on, n: int) -> list[dict]:
    return json.loads(on(n, "cases", "--waiting", "--format", "json").stdout)


def test_a_fortnight_of_the_waiting_list(fortnight):
    cli, on = fortnight
    high = on(0, "intake", "--client", "Hana H.", "--risk", "high").stdout.strip()
    medium = on(0, "intake", "--client", "Mo M.", "--risk", "medium").stdout.strip()
    low = on(0, "intake", "--client", "Lou L.", "--risk", "low").stdout.strip()
    held = on(0, "intake", "--client", "Dee D.", "--risk", "medium", "--assign", "ben").stdout.strip()

    # what happens, day by day
    actions = {
        2: [("note", held, "phoned", "--contact")],  # a contact by ben, before the case ever waits
        4: [("close", held, "--reason", "goals met")],
        5: [("note", high, "first call made", "--contact"), ("worker", "leave", "ben", "--on", day(25))],
        6: [("reopen", held, "--reason", "closed by mistake")],  # ben is leaving: it waits, from today
        10: [("assign", medium, "--to", "asha")],
        14: [("note", high, "checked in", "--contact")],  # a check-in: the clock starts again
    }
    # what the lead sees, each checked by hand (check-ins every 7 days; first contact high 2,
    # medium 7, low 14 days after the case entered the pool; overdue the day after)
    in_pool = {n: ({high, medium, low} | ({held} if n >= 6 else set())) - ({medium} if n >= 10 else set())
               for n in range(16)}
    contact_overdue = {n: ({high} if n in (3, 4) else set()) | ({medium} if n in (8, 9) else set())
                       | ({low} if n >= 15 else set()) | ({held} if n >= 14 else set()) for n in range(16)}
    check_in_overdue = {n: ({high} if n == 13 else set()) | ({medium} if n in (8, 9) else set())
                        | ({low} if n >= 8 else set()) | ({held} if n >= 14 else set()) for n in range(16)}

    for n in range(16):
        for action in actions.get(n, []):
            on(n, *action)
        rows = {r["id"]: r for r in pool_on(on, n)}
        assert set(rows) == in_pool[n], n
        assert {i for i, r in rows.items() if r["contact_overdue"]} == contact_overdue[n], n
        assert {i for i, r in rows.items() if r["check_in_overdue"]} == check_in_overdue[n], n
        for r in rows.values():
            assert r["waited_days"] == n - (6 if r["id"] == held else 0)
        if n == 8:  # high first; then the earliest deadline: medium's (day 7) before the reopened case's (13)
            assert list(rows) == [high, medium, held, low]
            assert rows[high]["check_in_due"] == day(12) and rows[high]["last_contact_on"] == day(5)

    final = {r["id"]: r for r in pool_on(on, 15)}
    assert final[held]["waiting_since"] == day(6) and final[held]["first_contact_due"] == day(13)
    assert final[high]["check_in_due"] == day(21) and final[low]["first_contact_due"] == day(14)

    # the allocated case has left the pool for good: no waiting_since, no flags, its own row shape
    conn = sqlite3.connect(cli.db)
    try:
        stored = dict(conn.execute("SELECT id, waiting_since FROM cases").fetchall())
    finally:
        conn.close()
    assert stored == {high: day(0), medium: None, low: day(0), held: day(6)}
    [row] = json.loads(on(15, "cases", "--worker", "asha", "--format", "json").stdout)
    assert row["id"] == medium and "contact_overdue" not in row


def test_the_meeting_and_the_report_put_overdue_and_unchecked_waiting_cases_first_by_risk(fortnight):
    cli, on = fortnight
    high = on(0, "intake", "--client", "Hana H.", "--risk", "high").stdout.strip()
    low = on(0, "intake", "--client", "Lou L.", "--risk", "low").stdout.strip()
    medium = on(6, "intake", "--client", "Mo M.", "--risk", "medium").stdout.strip()
    on(1, "note", high, "first call", "--contact")

    # day 14: the medium case's first contact (due day 13) is overdue; the high case's
    # check-in (due day 8) and the low case's (due day 7) are late, its first contact not yet
    meeting = on(14, "zone-review").stdout
    assert "Waiting pool: 3 case(s), the oldest waiting 14 day(s); 1 past the first-contact deadline, " \
           "2 more due a check-in" in meeting
    lines = [line.strip() for line in meeting.splitlines() if line.strip().startswith("C-")]
    assert lines[:3] == [  # risk first, as the pool (DESIGN §2)
        f"{high} high risk, waiting 14 day(s): check-in was due {day(8)} (last contact {day(1)})",
        f"{medium} medium risk, waiting 8 day(s): first contact was due {day(13)}, none yet",
        f"{low} low risk, waiting 14 day(s): check-in was due {day(7)} (last contact none)",
    ]
    assert "Hana" not in meeting and "Lou" not in meeting and "Mo M." not in meeting  # ids only on the screen

    report = json.loads(on(14, "report", "--format", "json").stdout)
    waiting_list = report["waiting"]
    # the medium case's first check-in (day 13) is late too: it counts under both flags, once under attention
    assert (waiting_list["count"], waiting_list["contact_overdue"], waiting_list["check_in_overdue"],
            waiting_list["needs_attention"]) == (3, 1, 3, 3)
    assert [c["case"] for c in waiting_list["cases"]] == [high, medium, low]
    assert waiting_list["cases"][1]["client"] == "Mo M." and waiting_list["cases"][1]["first_contact_due"] == day(13)
    redacted = json.loads(on(14, "report", "--format", "json", "--redact").stdout)
    assert [c["client"] for c in redacted["waiting"]["cases"]] == [high, medium, low]

    markdown = on(14, "report", "--format", "md").stdout
    assert "## Waiting pool (3), oldest 14 days: 1 past the first-contact deadline, 2 more due a check-in" in markdown
    assert "**1 waiting case\\(s\\) past the first\\-contact deadline**" in markdown or \
        "1 waiting case(s) past the first-contact deadline" in markdown
    page = on(14, "report", "--format", "html").stdout
    assert "FIRST CONTACT OVERDUE" in page and '<div class="alert">1 waiting case(s) past the first-contact' in page


def test_report_fail_on_waiting_exits_3_in_cron_when_a_first_contact_is_overdue(fortnight, tmp_path):
    cli, on = fortnight
    high = on(0, "intake", "--client", "Hana H.", "--risk", "high").stdout.strip()
    env = {"CASELOAD_CONFIG": str(tmp_path / "caseload.yaml")}

    calm = run_cli("--db", str(cli.db), "report", "--fail-on", "waiting", env_extra=env | {"CASELOAD_TODAY": day(2)})
    assert calm.returncode == 0, calm.stderr

    out = tmp_path / "nightly.html"
    late = run_cli("--db", str(cli.db), "report", "--record", "--format", "html", "--output", str(out),
                   "--fail-on", "red", "--fail-on", "waiting", env_extra=env | {"CASELOAD_TODAY": day(3)})
    assert late.returncode == 3, late.stderr
    assert f"1 waiting case(s) past the first-contact deadline: {high}" in late.stderr
    assert "red or worse" not in late.stderr  # nobody is red: only the threshold reached is named
    assert out.read_text().rstrip().endswith("</html>")  # the whole report first, then the alert

    on(3, "note", high, "reached them", "--contact")
    after = run_cli("--db", str(cli.db), "report", "--fail-on", "waiting", env_extra=env | {"CASELOAD_TODAY": day(3)})
    assert after.returncode == 0, after.stderr


def test_a_bad_fail_on_is_refused_before_anything_is_written(team):
    result = team("report", "--record", "--fail-on", "blue")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --fail-on: 'blue' is not one of amber, red, waiting, excessive"
    assert json.loads(team.ok("report", "--format", "json").stdout)["last_review"] is None


def test_a_contact_on_a_waiting_case_says_when_the_next_check_in_is_due(team):
    case_id = team.ok("intake", "--client", "Lou L.", "--risk", "low").stdout.strip()
    said = team.ok("note", case_id, "rang to say we have them on the list", "--contact").stderr
    assert "a check-in while it waits; the next is due 2026-12-07" in said  # today 2026-11-23 + 14


def test_correcting_a_waiting_case_s_opening_day_moves_its_deadline(team):
    case_id = team.ok("intake", "--client", "Hana H.", "--risk", "high").stdout.strip()
    team.ok("update", case_id, "--opened", "2026-11-18")
    [row] = json.loads(team.ok("cases", "--waiting", "--format", "json").stdout)
    assert (row["waiting_since"], row["first_contact_due"], row["contact_overdue"]) == (
        "2026-11-18", "2026-11-20", True)
    assert [r["id"] for r in json.loads(team.ok("cases", "--waiting", "--overdue", "--format", "json").stdout)] == [
        case_id]


def test_cases_waiting_as_csv_and_table(team):
    case_id = team.ok("intake", "--client", "Hana H.", "--risk", "high", "--opened", "2026-11-19").stdout.strip()
    header, row = team.ok("cases", "--waiting", "--format", "csv").stdout.splitlines()
    assert header.split(",")[-6:] == ["waiting_since", "waited_days", "first_contact_due", "check_in_due",
                                      "contact_overdue", "check_in_overdue"]
    assert row.startswith(case_id) and row.endswith(",2026-11-19,4,2026-11-21,2026-12-03,yes,no")
    table = team.ok("cases", "--waiting").stdout
    assert "1 past the first-contact deadline" in table and "FIRST CONTACT OVERDUE" in table


# -- the migration ------------------------------------------------------------------------

def test_the_migration_fills_waiting_since_from_history_on_a_version_3_database(tmp_path):
    from caseload.store import migrations

    path = tmp_path / "old.db"
    before = migrations.MIGRATIONS.index(migrations._waiting_since)
    conn = sqlite3.connect(path)
    try:
        for step in migrations.MIGRATIONS[:before]:
            step(conn)
        conn.execute(f"PRAGMA user_version = {before}")
        conn.execute("INSERT INTO workers (id, name, role, fte, auto, status, created_at) "
                     "VALUES ('ben', 'Ben', 'worker', '1', 1, 'active', '2026-01-01T00:00:00+00:00')")
        cases = [  # id, status, worker, opened_on
            ("C-0001", "waiting", None, "2026-11-02"),  # waiting since it opened
            ("C-0002", "waiting", None, "2026-06-01"),  # closed, then reopened into the pool twice
            ("C-0003", "active", "ben", "2026-10-01"),  # held: nothing to fill
        ]
        conn.executemany("INSERT INTO cases (id, client, tier, risk, status, worker, opened_on) "
                         "VALUES (?, 'X', 'medium', 'medium', ?, ?, ?)", cases)
        # the rows as that version wrote them (the later migration seals and chains them again)
        conn.executemany("INSERT INTO history (case_id, worker, previous_worker, kind, reason, actor, at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(c[0], None, None, "intake", None, "lead", f"{c[3]}T09:00:00+00:00") for c in cases]
                         + [("C-0003", "ben", None, "assign", None, "lead", "2026-10-01T10:00:00+00:00")])
        conn.executemany("INSERT INTO case_changes (case_id, field, old, new, actor, at) VALUES (?, ?, ?, ?, ?, ?)", [
            ("C-0002", "status", "closed", "waiting", "lead", "2026-09-01T10:00:00+00:00"),
            ("C-0002", "risk", "low", "medium", "lead", "2026-11-12T10:00:00+00:00"),
            ("C-0002", "status", "closed", "waiting", "lead", "2026-11-10T23:30:00+00:00"),
        ])
        conn.commit()
    finally:
        conn.close()
    os.chmod(path, 0o600)  # as caseload keeps its databases

    cli = Cli(path)
    assert cli.ok("doctor").stderr.endswith("no problems found\n")
    assert len(list(tmp_path.glob(f"old.db.v{before}-*.bak"))) == 1  # backed up first
    rows = {r["id"]: r for r in json.loads(cli.ok("cases", "--waiting", "--format", "json").stdout)}
    assert rows["C-0001"]["waiting_since"] == "2026-11-02"
    assert rows["C-0002"]["waiting_since"] == "2026-11-10"  # the latest return to the pool
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT waiting_since FROM cases WHERE id = 'C-0003'").fetchone() == (None,)
        with pytest.raises(sqlite3.IntegrityError):  # only a waiting case has a waiting_since
            conn.execute("UPDATE cases SET waiting_since = '2026-11-01' WHERE id = 'C-0003'")
    finally:
        conn.close()
