"""Issue 22, "Done when": a month of a 12-worker team, five weeks, scripted through the real
command line (DESIGN §2, §5), each item checked by the figures the lead reads.

The month (ISO weeks 45 to 49, Monday 2 November to Friday 4 December 2026) is lived once per
module by `month`: every Monday the team meets (`zone-review --record`, a meeting snapshot)
and every weekday night cron runs `report --record` (a nightly one); CASELOAD_TODAY moves the
day, as tests/test_streaks.py does. In it:
- asha is red from the first day to the last (red_weeks 1..5, excessive from week 4);
- week 45: kit is added as a new starter from 16 November (protected caseload, config
  `starters`), the week's referrals are given out by `assign --waiting --auto` (not to kit);
- week 46: ben is off sick, his high-risk case covered by cara (`cover`); farah hands in her
  notice (`worker leave`); a waiting referral is withdrawn (`close --reason withdrawn`);
- week 47: ben is back (`return --due`); dev goes on leave and his caseload is handed to ewa
  for the week (`handover --temporary`); kit starts, at half capacity;
- week 48: dev's caseload goes home (`return dev`); a batch given out is undone (`undo`);
  farah's caseload is handed over (`handover --auto`) and she leaves (`worker left`);
- week 49: the team of 12 (kit in, farah out) meets.

Each test reads what the month recorded at the moment it is about; a test that runs more
commands does so on its own copy of a database file the month left behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import Cli, isolated_session, read_terminal, snapshot

WEEKS = [date(2026, 11, 2) + timedelta(weeks=n) for n in range(5)]  # the Mondays of ISO weeks 45..49
W45, W46, W47, W48, W49 = WEEKS
LAST_DAY = W49 + timedelta(days=4)  # Friday 4 December

CONFIG = """\
starters:
  protected_percent: 50
  protected_weeks: 12
"""

# The team on the first day: (id, fte, the tiers of the cases they hold). A full-timer carries
# 90 points (tiers low 3, medium 4, high 6, intensive 9); farah is half-time (45 points).
TEAM = [
    ("asha", 1.0, ["high"] * 11 + ["intensive"] * 4),  # 102 of 90: 113.3 %, red all month
    ("ben", 1.0, ["high"] * 2 + ["medium"] * 10),  # 52: his first case is high risk
    ("cara", 1.0, ["medium"] * 12),  # 48
    ("dev", 1.0, ["medium"] * 8),  # 32
    ("ewa", 1.0, ["medium"] * 10),  # 40
    ("farah", 0.5, ["medium"] * 6),  # 24 of 45
    ("george", 1.0, ["medium"] * 14),  # 56
    ("hana", 1.0, ["medium"] * 9),  # 36
    ("ivan", 1.0, ["medium"] * 11),  # 44
    ("jo", 1.0, ["medium"] * 15),  # 60
    ("lena", 1.0, ["medium"] * 13),  # 52
    ("mo", 1.0, ["medium"] * 12),  # 48
]
HELD = sum(len(tiers) for _, _, tiers in TEAM)  # C-0001 .. C-0137, held since June


def held_ids(worker: str) -> list[str]:
    first = 1
    for who, _, tiers in TEAM:
        if who == worker:
            return [f"C-{n:04d}" for n in range(first, first + len(tiers))]
        first += len(tiers)
    raise KeyError(worker)


def at(day: date) -> dict:
    return {"CASELOAD_TODAY": day.isoformat()}


def weekdays():
    for monday in WEEKS:
        yield from (monday + timedelta(days=n) for n in range(5))


@dataclass
class Month:
    """What the lead saw during the month, and the database files it left behind."""

    folder: Path
    config: Path
    meetings: dict = field(default_factory=dict)  # Monday -> the recorded zone review (JSON)
    nights: dict = field(default_factory=dict)  # weekday -> the recorded nightly report (JSON)
    seen: dict = field(default_factory=dict)  # what else the lead read, by moment
    files: dict = field(default_factory=dict)  # moment -> a database file as it was then

    def rows(self, when: date | str, kind: str = "meeting") -> dict:
        data = self.meetings[when]["workers"] if kind == "meeting" else self.nights[when]["zones"]["workers"]
        return {row["id"]: row for row in data}

    def copy(self, moment: str, folder: Path) -> "MonthCli":
        db = folder / "team.db"
        shutil.copy(self.files[moment], db)
        return MonthCli(db, self.config)


class MonthCli(Cli):
    """The month's database with its config (`--config`, before the subcommand)."""

    def __init__(self, db: Path, config: Path):
        super().__init__(db)
        self.config = config

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None):
        return super().__call__("--config", str(self.config), *args, input=input, env=env)

    def on(self, day: date, *args: str):
        return self.ok(*args, env=at(day))

    def json_on(self, day: date, *args: str):
        return json.loads(self.on(day, *args, "--format", "json").stdout)


def batch_number(stderr: str) -> int:
    return int(stderr.split("batch ")[1].split(":")[0])


def waiting(cli: MonthCli, day: date) -> dict[str, str]:
    """The pool as `cases --waiting` lists it: each case with the day it entered the pool."""
    return {c["id"]: c["waiting_since"] for c in cli.json_on(day, "cases", "--waiting")}


def live_the_month(cli: MonthCli, month: Month, folder: Path) -> None:
    team_csv, cases_csv = folder / "team.csv", folder / "cases.csv"
    team_csv.write_text("id,name,fte\n" + "".join(f"{w},{w.title()} Example,{fte}\n" for w, fte, _ in TEAM))
    # reviews due after the month and a contact a few days before it: the notes stay short
    lines, n = ["id,client,tier,risk,worker,opened,held_since,next_review,last_contact"], 0
    for worker, _, tiers in TEAM:
        for k, tier in enumerate(tiers):
            n += 1
            risk = "high" if (worker == "ben" and k == 0) else "medium"
            lines.append(f"C-{n:04d},Client {n},{tier},{risk},{worker},2026-06-01,2026-06-01,2026-12-31,2026-10-30")
    cases_csv.write_text("\n".join(lines) + "\n")

    def meeting(day):
        month.meetings[day] = cli.json_on(day, "zone-review", "--record")

    def night(day):
        month.nights[day] = cli.json_on(day, "report", "--record")

    def keep(moment):
        month.files[moment] = snapshot(cli.db, folder / f"{moment}.db")

    for day in weekdays():
        # -- the day's work, before the meeting (Mondays) and the nightly report --------------
        if day == W45:
            cli.on(day, "init")
            cli.on(day, "worker", "import", "--csv", str(team_csv), "--yes")
            cli.on(day, "worker", "add", "lead", "--name", "Lee Lead", "--role", "lead")
            cli.on(day, "intake", "--csv", str(cases_csv), "--yes")
            cli.on(day, "worker", "add", "kit", "--name", "Kit New", "--starts", "2026-11-16")
        if day == W45 + timedelta(days=1):  # Tuesday: the week's referrals, given out
            for client, risk in (("Ann", "high"), ("Bob", "medium"), ("Cy", "low")):
                cli.on(day, "intake", "--client", client, "--risk", risk)
            month.seen["w45 batch"] = cli.json_on(day, "assign", "--waiting", "--auto")
        if day == W45 + timedelta(days=2):  # Wednesday: the meeting is still "the last review"
            month.seen["w45 wed review"] = cli.on(day, "zone-review").stdout
        if day == W46:
            cli.on(day, "worker", "absent", "ben", "--from", "today", "--until", "2026-11-13", "--reason", "sickness")
            cli.on(day, "cover", "C-0016", "--by", "cara", "--until", "2026-11-13")
            cli.on(day, "worker", "leave", "farah", "--on", "2026-11-27")
            for client in ("Dee", "Eli"):
                cli.on(day, "intake", "--client", client, "--risk", "low")
            month.seen["w46 ben's list"] = cli.json_on(day, "cases", "--worker", "ben")
            month.seen["w46 ben's list table"] = cli.on(day, "cases", "--worker", "ben").stdout
            month.seen["w46 pool before"] = waiting(cli, day)
        if day == W46 + timedelta(days=2):  # Wednesday: one referral withdrawn before anyone took it
            cli.on(day, "close", "C-0141", "--reason", "withdrawn")
            month.seen["w46 pool after"] = waiting(cli, day)
        if day == W47:
            month.seen["w47 returned"] = cli.on(day, "return", "--due").stderr
            cli.on(day, "worker", "absent", "dev", "--from", "today", "--until", "2026-11-20", "--reason", "leave")
            cli.on(day, "handover", "dev", "--to", "ewa", "--temporary", "--until", "2026-11-20", "--yes")
            month.seen["w47 reductions"] = cli.json_on(day, "worker", "reductions", "kit")
        if day == W47 + timedelta(days=1):  # Tuesday: kit has started; the pool is given out
            for client in ("Fi", "Gil", "Hu", "Ida"):
                cli.on(day, "intake", "--client", client)
            month.seen["w47 batch"] = cli.json_on(day, "assign", "--waiting", "--auto")
            month.seen["w47 tue review"] = cli.json_on(day, "zone-review")
            month.seen["w47 dev's list"] = cli.json_on(day, "cases", "--worker", "dev")
        if day == W47 + timedelta(days=4):  # Friday, four nightly snapshots after the meeting
            month.seen["w47 fri review"] = cli.on(day, "zone-review").stdout
        if day == W48:
            month.seen["w48 returned"] = cli.on(day, "return", "dev").stderr
        if day == W48 + timedelta(days=1):  # Tuesday: a batch given out, then taken back
            for client, risk in (("Jay", "high"), ("Kai", "medium"), ("Lou", "low")):
                cli.on(day, "intake", "--client", client, "--risk", risk)
            month.seen["w48 pool before"] = waiting(cli, day)
            given = cli.on(day, "assign", "--waiting", "--auto", "--format", "json")
            month.seen["w48 batch"] = json.loads(given.stdout)
            month.seen["w48 batch number"] = batch_number(given.stderr)
            month.seen["w48 given review"] = cli.json_on(day, "zone-review")
            month.seen["w48 undo"] = cli.on(day, "undo").stderr
            month.seen["w48 pool after"] = waiting(cli, day)
            month.seen["w48 undone review"] = cli.json_on(day, "zone-review")
            month.seen["w48 again"] = cli.json_on(day, "assign", "--waiting", "--auto", "--dry-run")
        if day == W48 + timedelta(days=3):  # Thursday: farah's caseload goes to the team
            month.seen["w48 farah's handover"] = cli.json_on(day, "handover", "farah", "--auto", "--yes")
        if day == W48 + timedelta(days=4):
            cli.on(day, "worker", "left", "farah")

        if day.weekday() == 0:
            meeting(day)
            if day == W47:
                keep("w47 meeting")
        night(day)
    month.seen["last report"] = cli.on(LAST_DAY, "report").stdout
    month.seen["doctor"] = cli.on(LAST_DAY, "doctor").stderr
    month.seen["the end cases"] = {c["id"]: c for c in cli.json_on(LAST_DAY, "export", "cases")}
    month.seen["the end workers"] = {w["id"]: w for w in cli.json_on(LAST_DAY, "worker", "list", "--all")}
    keep("the end")


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> Month:
    folder = tmp_path_factory.mktemp("month")
    config = folder / "caseload.yaml"
    config.write_text(CONFIG)
    lived = Month(folder, config)
    with isolated_session(folder):
        live_the_month(MonthCli(folder / "built.db", config), lived, folder)
    return lived


# -- every week --------------------------------------------------------------------

def test_one_meeting_a_week_and_a_snapshot_every_weekday_night(month):
    conn = sqlite3.connect(month.files["the end"])
    try:
        kinds = conn.execute("SELECT on_date, kind FROM zone_reviews ORDER BY on_date").fetchall()
    finally:
        conn.close()
    assert len(kinds) == 25  # one a day: the Monday meeting is not replaced by that night's report
    assert [d for d, kind in kinds if kind == "meeting"] == [d.isoformat() for d in WEEKS]
    assert {kind for d, kind in kinds if date.fromisoformat(d).weekday() > 0} == {"nightly"}


def test_asha_is_red_every_week_and_excessive_from_the_fourth(month, tmp_path):
    for week, monday in enumerate(WEEKS, start=1):
        asha = month.rows(monday)["asha"]
        assert (asha["load"], asha["capacity"], asha["load_pct"], asha["zone"]) == (102, 90, 113.33, "red")
        assert (asha["red_weeks"], asha["excessive"]) == (week, week >= 4), monday
    # the nightly report says the same, and nobody else is ever red
    for day, report in month.nights.items():
        week = (day - W45).days // 7 + 1
        assert report["excessive"] == ([{"worker": "asha", "weeks": week}] if week >= 4 else []), day
        assert [w["id"] for w in report["zones"]["workers"] if w["zone"] == "red"] == ["asha"], day
    assert "EXCESSIVE workload: asha has been red for 5 weeks running" in month.seen["last report"]
    # `--fail-on excessive` is for the nightly cron: exit 3 from week 4, the report still whole
    cli = month.copy("the end", tmp_path)
    for day, code in ((W47 + timedelta(days=6), 0), (W48, 3)):
        result = cli("report", "--fail-on", "excessive", "--format", "json", env=at(day))
        assert result.exit_code == code, (day, result.stderr)
        assert json.loads(result.stdout)["zones"]["workers"]


def test_since_the_last_review_is_since_the_meeting_not_last_night(month):
    # Wednesday of week 45: Tuesday's three referrals and their allocation, though the nightly
    # reports of Monday and Tuesday were recorded since the meeting
    text = month.seen["w45 wed review"]
    assert "Since the last review (2026-11-02): 3 new case(s), 3 move(s), 0 risk change(s)" in text
    assert text.count(": waiting -> ") == 3
    # Friday of week 47, four nightly snapshots after the meeting: the week's allocations, all
    # to kit (the emptiest desk); dev's caseload handed to ewa before the meeting is not listed
    text = month.seen["w47 fri review"]
    assert "Since the last review (2026-11-16): 4 new case(s), 5 move(s), 0 risk change(s)" in text
    assert text.count("auto: waiting -> kit") == 5 and "handover" not in text
    # the nightly report itself compares night with night (app/report.py: its --since is the
    # last recorded snapshot before its own): the throughput of one day
    tuesday = month.nights[W47 + timedelta(days=1)]
    assert (tuesday["since"], tuesday["throughput"]["intakes"], tuesday["throughput"]["allocations"]) == (
        "2026-11-16", 4, 5)
    assert month.nights[W47 + timedelta(days=2)]["throughput"]["allocations"] == 0


# -- week 45: a new starter added, the week's referrals given out --------------------

def test_the_new_starter_has_no_capacity_and_gets_no_case_before_the_first_day(month):
    assert "kit" not in month.rows(W45)  # not in the table before the first day, named below it
    assert "Starting: kit (Kit New) starts 2026-11-16, no capacity or cases before" in month.seen["w45 wed review"]
    placed = month.seen["w45 batch"]["placements"]
    assert len(placed) == 3 and "kit" not in {p["worker"] for p in placed}
    assert "asha" not in {p["worker"] for p in placed}  # never pushed further into the red


# -- week 46: sickness and a case covered, a leaver, a withdrawn referral -------------

def test_ben_off_sick_his_high_risk_case_covered_by_cara(month):
    rows = month.rows(W46)
    ben, cara = rows["ben"], rows["cara"]
    assert ben["absent"] and not cara["absent"]
    assert (ben["covered"], ben["covering"], cara["covering"], cara["covered"]) == (1, 0, 1, 0)
    assert (ben["cases"], ben["load"]) == (11, 46)  # the high-tier case weighs on cara now
    assert (cara["cases"], cara["load"]) == (13, 54)
    # ben's own list still shows the case, marked as covered
    listed = {r["id"]: r for r in month.seen["w46 ben's list"]}
    assert (listed["C-0016"]["worker"], listed["C-0016"]["home_worker"]) == ("cara", "ben")
    assert set(listed) == set(held_ids("ben"))
    assert "cara (cover for ben)" in month.seen["w46 ben's list table"]
    # the next Monday: he is back and the case is home
    assert "returned 1 case(s)" in month.seen["w47 returned"]
    back = month.rows(W47)["ben"]
    assert (back["absent"], back["covered"], back["cases"], back["load"]) == (False, 0, 12, 52)
    assert month.rows(W47)["cara"]["covering"] == 0


def test_the_leaver_is_shown_leaving_then_handed_over_and_gone(month):
    assert "farah" in month.rows(W45) and "farah" in month.rows(W46)
    moves = month.seen["w48 farah's handover"]["moves"]
    assert sorted(m["case"] for m in moves) == held_ids("farah")
    assert {m["to"] for m in moves}.isdisjoint({"farah", "asha"})
    assert all(m["zone_after"] in ("blue", "green") for m in moves)
    assert "farah" not in month.rows(W49)  # she has left: no longer in the meeting's table
    assert len(month.rows(W49)) == 12  # twelve again: kit in, farah out


def test_a_withdrawn_referral_leaves_the_pool_and_counts_as_a_closure(month):
    before, after = month.seen["w46 pool before"], month.seen["w46 pool after"]
    assert set(before) == {"C-0141", "C-0142"} and set(after) == {"C-0142"}
    wednesday = month.nights[W46 + timedelta(days=2)]
    assert wednesday["throughput"]["closures"] == 1
    assert month.nights[W46 + timedelta(days=1)]["throughput"]["closures"] == 0
    assert wednesday["zones"]["team"]["waiting"] == 1


# -- week 47: a caseload handed over for a week, the new starter's first week ---------

def test_devs_caseload_is_with_ewa_for_the_week_and_goes_home(month):
    rows = month.rows(W47)
    dev, ewa = rows["dev"], rows["ewa"]
    # dev's 8 cases and the 2 referrals he was given in week 45
    assert dev["absent"] and (dev["cases"], dev["load"], dev["covered"]) == (0, 0, 10)
    assert (ewa["cases"], ewa["load"], ewa["covering"]) == (20, 80, 10)
    assert (ewa["load_pct"], ewa["zone"]) == (88.88, "blue")
    # dev's own list keeps them, each marked with who covers it
    listed = month.seen["w47 dev's list"]
    assert len(listed) == 10 and {(c["worker"], c["home_worker"]) for c in listed} == {("ewa", "dev")}
    assert "returned 10 case(s)" in month.seen["w48 returned"]
    back = month.rows(W48)
    assert (back["dev"]["cases"], back["dev"]["load"], back["dev"]["covered"]) == (10, 40, 0)
    assert (back["ewa"]["cases"], back["ewa"]["load"], back["ewa"]["covering"]) == (10, 40, 0)


def test_the_new_starter_starts_at_half_capacity(month):
    reductions = month.seen["w47 reductions"]
    assert [(r["reason"], r["kind"], r["amount"], r["starts_on"], r["ends_on"], r["state"]) for r in reductions] == [
        ("newly qualified", "percent", 50, "2026-11-16", "2027-02-07", "active")]  # 12 weeks
    kit = month.rows(W47)["kit"]
    assert (kit["capacity"], kit["cases"], kit["zone"]) == (45, 0, "blue")
    placed = month.seen["w47 batch"]["placements"]
    # the emptiest desk takes the pool, counted against 45 points, not 90
    assert [p["worker"] for p in placed] == ["kit"] * 5
    assert [p["reason"].split(":")[0] for p in placed][-1] == "lowest load after"
    kit = {w["id"]: w for w in month.seen["w47 tue review"]["workers"]}["kit"]
    assert (kit["capacity"], kit["load"], kit["load_pct"], kit["new_30d"]) == (45, 20, 44.44, 5)


# -- week 48: a batch undone ---------------------------------------------------------

def test_the_undone_batch_is_back_in_the_pool_with_its_wait(month):
    before, after = month.seen["w48 pool before"], month.seen["w48 pool after"]
    batch = month.seen["w48 batch"]
    assert sorted(p["case"] for p in batch["placements"]) == sorted(before)
    assert after == before  # the same cases, waiting since the same day
    assert f"put back 3 case(s) of batch {month.seen['w48 batch number']} (assign" in month.seen["w48 undo"]
    given, undone = month.seen["w48 given review"], month.seen["w48 undone review"]
    assert (given["team"]["waiting"], undone["team"]["waiting"]) == (0, 3)
    loads = lambda review: {w["id"]: w["load"] for w in review["workers"]}  # noqa: E731
    assert loads(undone) == loads(month.meetings[W48])
    # given out again, the undone batch's workers are nobody's "previous worker"
    again = month.seen["w48 again"]["placements"]
    assert len(again) == 3 and not [p for p in again if "continuity" in p["reason"]]


# -- the meeting on a real terminal ----------------------------------------------------

def on_a_terminal(month: Month, moment: str, folder: Path, day: date, width: int, *args: str) -> str:
    """`caseload ARGS` on the database of `moment`, its stdout a pseudo-terminal `width`
    columns wide (the window size the terminal reports, no COLUMNS), as a lead's shell has it."""
    import pty
    import termios

    db = month.copy(moment, folder).db
    leader, follower = pty.openpty()
    termios.tcsetwinsize(follower, (60, width))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_") and k not in ("NO_COLOR", "COLUMNS")}
    env.update(CASELOAD_TODAY=day.isoformat(), CASELOAD_USER="lead", CASELOAD_PAGER="", TERM="xterm-256color")
    proc = subprocess.Popen([sys.executable, "-m", "caseload", "--db", str(db), "--config", str(month.config), *args],
                            stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    seen = read_terminal(leader)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr.read()
    proc.stderr.close()
    assert "\x1b[" in seen  # a terminal: colours and bold
    return SGR.sub("", seen).replace("\r\n", "\n")


SGR = re.compile(r"\x1b\[[0-9;]*m")


def line_of(screen: str, worker: str) -> str:
    return next(line for line in screen.splitlines() if line.lstrip().startswith(f"{worker} "))


@pytest.mark.parametrize("width", [80, 120])
def test_the_meeting_on_a_terminal_says_who_is_absent_and_who_is_leaving(month, tmp_path, width):
    screen = on_a_terminal(month, "w47 meeting", tmp_path, W47, width, "zone-review")
    assert max(len(line) for line in screen.splitlines()) <= width
    assert "Zone review 2026-11-16" in screen
    dev, farah, ewa, kit = (line_of(screen, w) for w in ("dev", "farah", "ewa", "kit"))
    if width >= 100:  # each worker's row one line, with the name; the notes' dates shortened
        assert dev.split()[:3] == ["dev", "(Dev", "Example)"]
        assert "absent to 11-20, 10 covered" in dev
        assert "leaving 11-27" in farah
        assert "covering 10" in ewa
    else:  # the name and the long words give way; who is absent and who is leaving stays
        assert dev.split()[-2:] == ["abs,", "cvd10"]
        assert farah.split()[-1] == "leav"
        assert ewa.split()[-1] == "cov10"
    assert "RED" in line_of(screen, "asha") and "BLUE" in dev
    assert kit.split()[-3:] == ["45", "0.0%", "BLUE"]  # the new starter's first day: half a full-timer's 90


# -- the end of the month ------------------------------------------------------------

def test_the_end_of_the_month_what_the_records_hold(month):
    cases, workers = month.seen["the end cases"], month.seen["the end workers"]
    withdrawn = cases["C-0141"]
    assert (withdrawn["status"], withdrawn["worker"], withdrawn["close_reason"], withdrawn["closed_on"]) == (
        "closed", None, "withdrawn", "2026-11-11")
    assert workers["farah"]["status"] == "left" and not [c for c in cases.values()
                                                          if "farah" in (c["worker"], c["home_worker"])]
    assert not [c for c in cases.values() if c["home_worker"]]  # every cover of the month has ended
    assert [c["id"] for c in cases.values() if c["status"] == "waiting"] == ["C-0147", "C-0148", "C-0149"]
    assert len([w for w in workers.values() if w["role"] == "worker" and w["status"] != "left"]) == 12
    assert "no problems found" in month.seen["doctor"]
