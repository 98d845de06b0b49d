"""The forecast and the report's Runway, tried the way a team lead breaks them: run on a
weekday (events between today and the first Monday), a worker already away today, a
config with other zone boundaries, the report printed in black and white.

The team is `test_forecast`'s (asha away 23 Nov to Wed 2 Dec, her cases covered by dan
until Fri 4 Dec; ben reduced 50 % until Sun 6 Dec; cara leaving Fri 11 Dec; eve starting
Mon 14 Dec)."""

import json
import re

import pytest

from test_forecast import known, known_template, weeks_of  # noqa: F401  (fixtures)


def forecast_on(cli, today, *args):
    return json.loads(cli.ok("forecast", "--format", "json", *args, env={"CASELOAD_TODAY": today}).stdout)


def test_a_return_and_a_reduction_ending_before_the_first_monday_are_in_the_first_week(known):
    # Tuesday 1 Dec: the first Monday is 7 Dec; asha is back on Thu 3 Dec and ben's
    # reduction ends on Sun 6 Dec, both "from today" in the first week
    doc = forecast_on(known, "2026-12-01", "--weeks", "1")
    assert doc["weeks"] == ["2026-12-07"]
    assert "back from leave Thu 3 Dec" in weeks_of(doc, "asha")[0]["events"]
    assert weeks_of(doc, "ben")[0]["events"] == ["reduction ends Sun 6 Dec"]


def test_a_worker_already_away_today_says_so_in_the_first_week(known):
    # asha has been away since today (23 Nov) until Wed 2 Dec: her 0 % BLUE is not room today
    doc = forecast_on(known, "2026-11-23", "--weeks", "2")
    assert weeks_of(doc, "asha")[0]["events"] == ["away until Wed 2 Dec (leave)"]
    assert weeks_of(doc, "asha")[1]["events"][0] == "back from leave Thu 3 Dec"
    # the next day, still away: said again in the first week, and only there
    doc = forecast_on(known, "2026-11-24", "--weeks", "2")
    assert weeks_of(doc, "asha")[0]["events"][0] == "away until Wed 2 Dec (leave)"
    assert not any(e.startswith("away") for e in weeks_of(doc, "asha")[1]["events"])
