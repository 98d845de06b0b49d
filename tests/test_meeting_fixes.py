"""Issue 22 item 11: fixes found in a month as a lead.

- a case covered for someone and handed over to that someone (its home worker) goes home:
  the cover ends, so `doctor` never finds a case "under cover" by its own home worker
  (the demo's C-0007 and C-0008 after `handover ben --auto`);
- close + reopen keeps an overdue review overdue."""

from __future__ import annotations

import json
from datetime import date

from caseload.domain.handover import handover_move, reopened
from caseload.domain.model import Case, Worker

TODAY = date(2026, 11, 23)


def test_a_covered_case_handed_to_its_home_worker_goes_home():
    covered = Case(id="C-1", client="X", opened_on=date(2026, 1, 1), status="active", worker="ben",
                   home_worker="asha", cover_until=date(2026, 11, 30))
    permanent = handover_move(covered, "ben", "asha", None, None)
    assert (permanent.to, permanent.home_worker, permanent.cover_until) == ("asha", None, None)
    temporary = handover_move(covered, "ben", "asha", date(2026, 12, 7), None)
    assert (temporary.kind, temporary.home_worker, temporary.cover_until) == ("return", None, None)
    elsewhere = handover_move(covered, "ben", "cara", None, None)
    assert (elsewhere.home_worker, elsewhere.cover_until) == ("asha", date(2026, 11, 30))


def test_reopen_keeps_a_review_that_was_overdue_when_the_case_closed():
    asha = Worker(id="asha", name="Asha")
    overdue = Case(id="C-1", client="X", opened_on=date(2026, 1, 1), status="closed", worker="asha",
                   next_review_on=date(2026, 11, 1), closed_on=date(2026, 11, 20), close_reason="done")
    assert reopened(overdue, asha, TODAY).next_review_on == date(2026, 11, 1)
    fell_due_while_closed = Case(id="C-1", client="X", opened_on=date(2026, 1, 1), status="closed", worker="asha",
                                 next_review_on=date(2026, 11, 21), closed_on=date(2026, 11, 20))
    assert reopened(fell_due_while_closed, asha, TODAY).next_review_on == TODAY


def test_handing_a_coverers_caseload_back_to_the_home_worker_leaves_doctor_clean(team):
    for client in ("A", "B"):
        team.ok("intake", "--client", client, "--assign", "asha")
    team.ok("handover", "asha", "--to", "ben", "--temporary", "--until", "+1w", "--yes")
    team.ok("handover", "ben", "--to", "asha", "--yes")  # ben's whole caseload, the covered cases included
    cases = json.loads(team.ok("cases", "--format", "json").stdout)
    assert [(c["worker"], c["home_worker"]) for c in cases] == [("asha", None), ("asha", None)]
    doctor = team("doctor")
    assert "under cover" not in doctor.stdout + doctor.stderr


def test_close_and_reopen_keeps_the_overdue_review(team):
    case = team.ok("intake", "--client", "A", "--assign", "asha", "--risk", "high",
                   env={"CASELOAD_TODAY": "2026-10-01"}).stdout.strip()
    team.ok("close", case, "--reason", "done")
    team.ok("reopen", case, "--reason", "closed by mistake")
    [row] = json.loads(team.ok("cases", "--overdue", "--format", "json").stdout)
    assert row["id"] == case and row["next_review_on"] == "2026-10-15"
