"""Reading a new case's fields, from flags or from a CSV row (DESIGN §5).

One reader serves both, so `intake` and `intake --csv` accept and refuse exactly
the same values. Field names in messages are whatever the caller calls them
(`--tier` for a flag, `tier` for a CSV column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from operator import call
from datetime import date, timedelta
from typing import Callable, Mapping, Sequence

from caseload.domain import fields
from caseload.domain.dates import parse_date, shown_date
from caseload.domain.errors import BadInput, Described, collecting
from caseload.domain.model import INTAKE_STATUSES, RISKS, Case

# A tier cell shown in a message although it has a capital and a small letter ("Tier4"): a
# code with a digit, as tier names are; a person's name has none (DESIGN §6 shows vocabulary).
_CODED = re.compile(r"(?=[^0-9]*[0-9])[A-Za-z0-9._/+-]{1,40}")

INTAKE_FIELDS = ("client", "id", "summary", "tier", "risk", "status", "needs", "language", "area",
                 "requested", "opened", "worker")


@dataclass(frozen=True)
class CaseDraft:
    """A validated new case before it has an id or a place in the store."""

    client: str
    id: str | None = None
    summary: str = ""
    tier: str = "medium"
    risk: str = "medium"
    status: str | None = None  # None: decided by whether a worker is given
    needs: tuple[str, ...] = ()
    language: str | None = None
    area: str | None = None
    requested: str | None = None
    opened_on: date | None = None
    worker: str | None = None  # a worker id, "me" or "auto"


def read_draft(
    raw: Mapping[str, str | None],
    tiers: tuple[str, ...],
    default_tier: str,
    today: date,
    label: Callable[[str], str] = lambda name: name,
) -> CaseDraft:
    """Validate the given fields (`intake`'s flags); a missing or empty field takes its
    default. The first bad field raises BadInput."""
    found: list[BadInput] = []
    given = [value if value is not None and value.strip() != "" else None
             for value in (raw.get(name) for name in INTAKE_FIELDS)]
    values = draft_values(given, parse=field_parsers(tiers, today, label), default_tier=default_tier, today=today,
                          label=label, found=found)
    if values is None:
        raise found[0]
    return CaseDraft(*values)


def draft_values(given: Sequence[str | None], *, parse: Mapping[str, Callable], default_tier: str, today: date,
                 label: Callable[[str], str], found: list[BadInput]) -> tuple | None:
    """The one check of a new case's fields, for flags (`read_draft`) and for a file's rows
    (`intake_csv.CaseRows`): `given` holds the text of each of INTAKE_FIELDS, or None when
    it was not given (or blank). Returns CaseDraft's fields in its order, or None with every
    problem appended to `found` (in the order a message lists them)."""
    mine: list[BadInput] = []
    try:  # almost every row of a file is good: read it with no bookkeeping per field
        values = _draft(given, parse, default_tier, today, label, call, mine)
    except BadInput:  # read it again, collecting every problem
        mine = []
        values = _draft(given, parse, default_tier, today, label, collecting(mine), mine)
    if mine:
        found.extend(mine)
        return None
    return values


def _draft(given: Sequence[str | None], parse: Mapping[str, Callable], default_tier: str, today: date,
           label: Callable[[str], str], check: Callable, found: list[BadInput]) -> tuple:
    """`draft_values`' reading; `check(parser, text)` is a plain call (the first problem
    raises) or `errors.collecting` (every problem appended to `found`)."""
    client, case_id, summary, tier, risk, status, needs, language, area, requested, opened, worker = given
    if client is None:
        found.append(BadInput(label("client"), "", "is required (a name or a reference)"))
    else:
        client = check(parse["client"], client)
    given_worker = worker
    if worker is not None:
        worker = check(parse["worker"], worker)
    if status is not None:
        status = check(parse["status"], status)
        if status == "waiting" and worker is not None:
            found.append(BadInput(label("status"), status, "cannot go with a worker (an assigned case is active)"))
        elif status not in (None, "waiting") and worker is None and given_worker is None:
            found.append(BadInput(label("status"), status, "needs a worker (a case nobody holds is waiting)"))
    opened_on = check(parse["opened"], opened) if opened is not None else today
    case_id = check(parse["id"], case_id) if case_id is not None else None
    # an empty field takes its default, as its parser reads an empty text ("", (), None)
    summary = check(parse["summary"], summary) if summary is not None else ""
    tier = check(parse["tier"], tier or default_tier)
    risk = check(parse["risk"], risk) if risk is not None else "medium"
    needs = check(parse["needs"], needs) if needs is not None else ()
    language = check(parse["language"], language) if language is not None else None
    area = check(parse["area"], area) if area is not None else None
    requested = check(parse["requested"], requested) if requested is not None else None
    return (client, case_id, summary, tier, risk, status, needs, language, area, requested, opened_on, worker)


def field_parsers(tiers: tuple[str, ...], today: date, label: Callable[[str], str],
                  read_date: Callable[[str, date, str], date] = parse_date) -> dict[str, Callable]:
    """The parser of each intake field, shared by `intake` (flags and CSV rows) and `update`,
    so both accept and refuse exactly the same values. A file reads its dates as it writes
    them (`read_date`: `date_order.file_date` in the file's order)."""

    def opened(text: str) -> date:
        day = read_date(text, today, label("opened"))
        if day > today:
            raise BadInput(label("opened"), shown_date(text), "is in the future")
        return day

    def tier(text: str) -> str:
        try:
            return fields.named(text, tiers, label("tier"))
        except BadInput as problem:
            if _CODED.fullmatch(text.strip()):  # "Tier4", "Band2": a code, not a name; show it
                problem.value = Described(text.strip())
            raise

    named = {name: label(name) for name in INTAKE_FIELDS}  # each field's name in messages, found once
    return {
        "id": partial(fields.case_id, field=named["id"]),
        "worker": partial(fields.worker_or_word, field=named["worker"], words=("me", "auto")),
        "status": partial(fields.choice, choices=INTAKE_STATUSES, field=named["status"]),
        "client": partial(fields.text, field=named["client"], required=True),
        "summary": partial(fields.text, field=named["summary"], multiline=True),
        "tier": tier,  # stored as the config spells it
        "risk": partial(fields.choice, choices=RISKS, field=named["risk"]),
        "needs": partial(fields.tokens, field=named["needs"], separator=";"),
        "language": partial(fields.token, field=named["language"]),
        "area": partial(fields.area, field=named["area"]),
        "requested": partial(fields.worker_id, field=named["requested"]),
        "opened": opened,
    }


UPDATE_FIELDS = {  # flag name -> the case's field
    "client": "client", "summary": "summary", "tier": "tier", "risk": "risk", "needs": "needs",
    "language": "language", "area": "area", "requested": "requested_worker", "opened": "opened_on",
}


def read_changes(raw: Mapping[str, str | None], tiers: tuple[str, ...], today: date) -> dict:
    """`update`'s changes: each field given, validated as intake validates it, keyed by the
    case's field name (`--requested ""` clears the requested worker)."""
    parse = field_parsers(tiers, today, lambda name: f"--{name}")
    changes = {}
    for name, value in raw.items():
        if value is None:
            continue
        if name == "requested" and not value:
            changes["requested_worker"] = None
            continue
        changes[UPDATE_FIELDS[name]] = parse[name](value.replace(",", ";") if name == "needs" else value)
    return changes


def new_case(draft: CaseDraft, case_id: str, review_days: Mapping[str, int]) -> Case:
    """The waiting case a draft becomes; its first review falls due after the risk's interval."""
    opened = draft.opened_on
    assert opened is not None
    return Case(
        id=case_id, client=draft.client, summary=draft.summary, tier=draft.tier, risk=draft.risk,
        status="waiting", needs=draft.needs, language=draft.language, area=draft.area,
        requested_worker=draft.requested, opened_on=opened,
        next_review_on=opened + timedelta(days=review_days[draft.risk]),
    )


def destination(draft: CaseDraft, auto: bool, actor: str) -> str | None:
    """Where a new case goes: a worker id (named, or `me` for the acting user), "auto"
    (by the allocation rules: a row that says so, or every row without a worker when the
    whole file is given out by rule), or None (it waits in the pool)."""
    if draft.worker == "me":
        return actor
    if draft.worker == "auto" or (draft.worker is None and auto):
        return "auto"
    return draft.worker
