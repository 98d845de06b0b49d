"""Issue 22 item 5: `worker absences [ID] [--all]` lists absences with their ids;
`worker absent ID --change N [--from D] [--until D]` moves one; `worker reductions`
shows the id that `worker reduce ID --end N` takes."""

from __future__ import annotations

import json
from datetime import date

import pytest

from caseload.domain.absences import absence_state, changed_absence
from caseload.domain.errors import BadInput, CaseloadError
from caseload.domain.model import Absence

A = Absence(3, "ewa", date(2026, 11, 21), date(2026, 11, 28), "sickness")


def test_an_absences_state_on_a_day():
    assert [absence_state(A, date(2026, 11, d)) for d in (20, 21, 28, 29)] == ["scheduled", "current", "current",
                                                                              "past"]


def test_changing_an_absence_keeps_what_is_not_given_and_refuses_nonsense():
    assert changed_absence(A, "ewa", None, date(2026, 12, 2)).ends_on == date(2026, 12, 2)
    assert changed_absence(A, "ewa", date(2026, 11, 22), None).starts_on == date(2026, 11, 22)
    with pytest.raises(BadInput, match="--until"):
        changed_absence(A, "ewa", None, date(2026, 11, 1))
    with pytest.raises(BadInput, match="--from"):
        changed_absence(A, "ewa", date(2026, 12, 1), None)
    with pytest.raises(CaseloadError, match="ewa's, not asha's"):
        changed_absence(A, "asha", None, date(2026, 12, 2))


def test_absences_listed_with_ids_and_moved(team):
    team.ok("worker", "absent", "asha", "--from", "2026-11-01", "--until", "2026-11-05", "--reason", "training")
    team.ok("worker", "absent", "ben", "--from", "today", "--until", "+1w", "--reason", "sickness", "--cover", "asha")
    team.ok("worker", "absent", "asha", "--from", "+2w", "--until", "+3w")
    rows = json.loads(team.ok("worker", "absences", "--format", "json").stdout)
    assert [(r["id"], r["worker"], r["state"]) for r in rows] == [(2, "ben", "current"), (3, "asha", "scheduled")]
    assert rows[0] == {"id": 2, "worker": "ben", "starts_on": "2026-11-23", "ends_on": "2026-11-30",
                       "reason": "sickness", "cover": "asha", "state": "current"}
    everything = json.loads(team.ok("worker", "absences", "asha", "--all", "--format", "json").stdout)
    assert [(r["id"], r["state"]) for r in everything] == [(1, "past"), (3, "scheduled")]
    csv = team.ok("worker", "absences", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,worker,starts_on,ends_on,reason,cover,state"
    table = team.ok("worker", "absences").stdout
    assert "id" in table.splitlines()[1] and " 2  ben" in table
    team.ok("worker", "absences", "--format", "json", "--output", "absences.json")
    assert json.loads(open("absences.json").read())[0]["id"] == 2

    result = team.ok("worker", "absent", "ben", "--change", "2", "--until", "2026-12-04")
    assert "ben's absence 2 is now 2026-11-23 to 2026-12-04 (was 2026-11-23 to 2026-11-30)" in result.stderr
    assert json.loads(team.ok("worker", "absences", "ben", "--format", "json").stdout)[0]["ends_on"] == "2026-12-04"
    review = json.loads(team.ok("zone-review", "--format", "json", "--on", "2026-12-03").stdout)
    assert next(w for w in review["workers"] if w["id"] == "ben")["absent"] is True


@pytest.mark.parametrize("args, code, words", [
    (("ben", "--change", "2", "--until", "2026-11-01"), 2, "--until"),
    (("ben", "--change", "2"), 2, "--from or --until is required"),
    (("ben", "--change", "2", "--until", "+2w", "--reason", "leave"), 2, "--reason"),
    (("ben", "--change", "2", "--cancel"), 2, "--cancel"),
    (("ben", "--change", "9", "--until", "+2w"), 1, "no absence 9"),
    (("asha", "--change", "2", "--until", "+2w"), 1, "ben's, not asha's"),
    (("ben", "--change", "x", "--until", "+2w"), 2, "--change"),
])
def test_a_bad_change_writes_nothing(team, args, code, words):
    team.ok("worker", "absent", "asha", "--from", "2026-11-01", "--until", "2026-11-05")
    team.ok("worker", "absent", "ben", "--from", "today", "--until", "+1w")
    before = team.dump()
    result = team("worker", "absent", *args)
    assert result.exit_code == code and words in result.stderr, result.stderr
    assert team.dump() == before


def test_an_unknown_worker_is_refused(team):
    assert team("worker", "absences", "nobody").exit_code == 1


def test_reductions_table_shows_the_id_that_end_takes(team):
    team.ok("worker", "reduce", "asha", "--percent", "20", "--reason", "training", "--from", "today")
    lines = team.ok("worker", "reductions").stdout.splitlines()
    assert lines[1].split()[:2] == ["id", "worker"] and lines[3].split()[:2] == ["1", "asha"]
    team.ok("worker", "reduce", "asha", "--end", "1")
