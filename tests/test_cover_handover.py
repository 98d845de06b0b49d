"""A handover by rule of someone who covers cases for a colleague (DESIGN §4, §5): a case
they cover goes home when its home worker is back, as `return` would send it; while the
home worker is still away it stays under cover, with whoever the rules choose, and a case
nobody can take is left with a cover as its next step, never a reassignment (which would
cut it from its home worker). Found by a lead's month: the plan kept it with the leaver and
advised `reassign`."""

from __future__ import annotations

import json

TODAY = {"CASELOAD_TODAY": "2026-11-23"}


def covered_by_ben(team) -> None:
    """asha's two cases covered by ben while she was away last week."""
    for client in ("Ann A", "Bob B"):
        team.ok("intake", "--client", client, "--assign", "asha", env={"CASELOAD_TODAY": "2026-11-09"})
    team.ok("worker", "absent", "asha", "--from", "2026-11-16", "--until", "2026-11-20", "--cover", "ben",
            env={"CASELOAD_TODAY": "2026-11-16"})
    team.ok("handover", "asha", "--temporary", "--until", "2026-11-20", "--yes", env={"CASELOAD_TODAY": "2026-11-16"})


def cases(team) -> dict:
    return {c["id"]: c for c in json.loads(team.ok("cases", "--format", "json", env=TODAY).stdout)}


def test_a_leavers_covers_go_home_when_the_home_worker_is_back(team):
    covered_by_ben(team)
    team.ok("intake", "--client", "Cat C", "--assign", "ben", env=TODAY)  # ben's own case
    plan = json.loads(team.ok("handover", "ben", "--auto", "--dry-run", "--format", "json", env=TODAY).stdout)
    home = {m["case"]: (m["to"], m["reason"]) for m in plan["moves"] if m["case"] in ("C-0001", "C-0002")}
    assert home == {"C-0001": ("asha", "cover by ben ended"), "C-0002": ("asha", "cover by ben ended")}
    assert plan["stuck"] == []
    assert not [w for w in plan["warnings"] if "does not qualify" in w]  # her own cases: no rule is asked of her
    team.ok("handover", "ben", "--auto", "--yes", env=TODAY)
    now = cases(team)
    assert [(now[c]["worker"], now[c]["home_worker"]) for c in ("C-0001", "C-0002")] == [("asha", None)] * 2
    assert now["C-0003"]["worker"] not in ("ben", None)  # ben's own case placed by the rules
    history = json.loads(team.ok("history", "C-0001", "--format", "json", env=TODAY).stdout)
    assert history[-1]["kind"] == "return"


def test_while_the_home_worker_is_away_the_case_stays_under_cover(team):
    covered_by_ben(team)
    team.ok("worker", "absent", "asha", "--from", "today", "--until", "2026-11-27", env=TODAY)
    team.ok("handover", "ben", "--auto", "--yes", env=TODAY)
    now = cases(team)
    assert all(now[c]["home_worker"] == "asha" and now[c]["worker"] not in ("asha", "ben")
               for c in ("C-0001", "C-0002")), now


def test_a_cover_nobody_can_take_is_left_with_a_cover_as_its_next_step(team):
    covered_by_ben(team)
    team.ok("update", "C-0001", "--needs", "sign-language", env=TODAY)  # nobody has it
    team.ok("worker", "absent", "asha", "--from", "today", "--until", "2026-11-27", env=TODAY)
    team.ok("cover", "asha", "--until", "2026-11-27", env=TODAY)  # her covers run on while she is away
    plan = json.loads(team.ok("handover", "ben", "--auto", "--dry-run", "--format", "json", env=TODAY).stdout)
    (stuck,) = plan["stuck"]
    assert stuck["case"] == "C-0001" and stuck["next"].startswith("caseload cover C-0001 --by W --until 2026-11-27")


def test_a_lead_holding_nothing_but_covered_cases_gets_them_back_too(team):
    """A lead whose one case is covered holds nothing today (not in the zone review); the
    case still goes home to them."""
    team.ok("intake", "--client", "Dee D", "--assign", "lead", env={"CASELOAD_TODAY": "2026-11-09"})
    team.ok("cover", "C-0001", "--by", "ben", "--until", "2026-11-20", env={"CASELOAD_TODAY": "2026-11-16"})
    plan = json.loads(team.ok("handover", "ben", "--auto", "--dry-run", "--format", "json", env=TODAY).stdout)
    assert [(m["case"], m["to"]) for m in plan["moves"]] == [("C-0001", "lead")] and plan["stuck"] == []


def test_handing_covered_cases_to_their_home_worker_by_hand_is_a_return(team):
    """`handover ben --to asha` of cases ben covers for asha: they go home, a return, so
    they stay held since she took them and are not new to her."""
    covered_by_ben(team)
    team.ok("handover", "ben", "--to", "asha", "--yes", env=TODAY)
    history = json.loads(team.ok("history", "C-0001", "--format", "json", env=TODAY).stdout)
    assert history[-1]["kind"] == "return"
    rows = {r["id"]: r for r in json.loads(team.ok("zone-review", "--format", "json", env=TODAY).stdout)["workers"]}
    assert rows["asha"]["new_30d"] == 2  # her two intakes of 9 November, not the handover of today
    exported = team.ok("export", "cases", "--format", "json", env=TODAY).stdout
    assert {c["id"]: c["held_since"] for c in json.loads(exported)} == {"C-0001": "2026-11-09", "C-0002": "2026-11-09"}


def test_a_stuck_cover_past_its_end_is_given_a_date_to_choose(team):
    covered_by_ben(team)
    team.ok("update", "C-0001", "--needs", "sign-language", env=TODAY)  # nobody has it
    team.ok("worker", "absent", "asha", "--from", "today", "--until", "2026-11-27", env=TODAY)
    later = {"CASELOAD_TODAY": "2026-11-24"}  # the cover ended on the 20th: a cover to then is refused
    plan = json.loads(team.ok("handover", "ben", "--auto", "--dry-run", "--format", "json", env=later).stdout)
    (stuck,) = plan["stuck"]
    assert stuck["next"].startswith("caseload cover C-0001 --by W --until DATE"), stuck
    team.ok("worker", "leave", "asha", "--on", "2026-12-31", env=later)  # a cover for a leaver is no next step
    plan = json.loads(team.ok("handover", "ben", "--auto", "--dry-run", "--format", "json", env=later).stdout)
    assert plan["stuck"][0]["next"].startswith("caseload reassign C-0001 --to W"), plan["stuck"]
