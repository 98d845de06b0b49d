"""The capacity runway (DESIGN §10): the team read once (`store.team.read_known`), then
seen on each Monday of the next N weeks by the zone review's own arithmetic
(`domain.forecast`); with a waiting case, the earliest Monday someone has room for it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from caseload.app.assign import waiting_cases
from caseload.domain.forecast import earliest_fit, forecast, mondays
from caseload.store.allocation import requests_for
from caseload.store.connection import read_snapshot
from caseload.store.team import read_known


def read_ahead(db, config, today: date, weeks: int):
    """The team as known today, to be seen today and on each of the next `weeks` Mondays
    (the report's review and its runway, from one read)."""
    return read_known(db, config, today, today, mondays(today, weeks)[-1], events_from=today)


def gather(db, config, today: date, weeks: int, case_id: str | None = None, known=None, other=None):
    """The forecast over `weeks` Mondays (the first on or after today), and with `case_id`
    (a waiting case) the earliest of them on which `assign CASE --auto` would place it on a
    worker who stays at or below 100 %. `known`: the team as `read_ahead` read it, if it was.
    `other`: the LoadRules of `--weights FILE`, the same weeks under that table too (`what_if`)."""
    days = mondays(today, weeks)
    request = requests_for(db, waiting_cases(db, [case_id]), config)[0] if case_id is not None else None
    # from today: a return or a reduction ending before the first Monday is in the first week's events
    if known is None:
        known = read_known(db, config, today, days[0], days[-1], events_from=today)
    found = forecast(known, days, config.load, config.default_tier)
    if other is not None:
        found = replace(found, what_if=forecast(known, days, other, config.default_tier))
    if request is not None:
        found = replace(found, fit=earliest_fit(known, days, request, config.load, config.allocation))
    return found


def runway(db, config, today: date, weeks: int, case_id: str | None = None, other=None):
    """`forecast` (with `other`, a tier table from `--weights FILE`, also the forecast under
    it): `gather` read in one snapshot of the file."""
    with read_snapshot(db):
        return gather(db, config, today, weeks, case_id, other=other)
