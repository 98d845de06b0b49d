"""Reading a new case's fields, from flags or from a CSV row (DESIGN §5).

One reader serves both, so `intake` and `intake --csv` accept and refuse exactly
the same values. Field names in messages are whatever the caller calls them
(`--tier` for a flag, `tier` for a CSV column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Mapping

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
    problems: list[BadInput] | None = None,
    parsers: dict[str, Callable] | None = None,
) -> CaseDraft | None:
    """Validate the given fields; a missing or empty field takes its default.

    Without `problems`, the first bad field raises BadInput. With it, every bad field
    is appended there (a CSV row reports all its problems at once) and None returned.
    `parsers` are `field_parsers(tiers, today, label)` made once by a caller reading many rows.
    """
    found: list[BadInput] = []

    def given(name: str) -> str | None:
        value = raw.get(name)
        return value if value is not None and value.strip() != "" else None

    check = collecting(found)

    client = given("client")
    if client is None:
        found.append(BadInput(label("client"), "", "is required (a name or a reference)"))
    else:
        client = check(fields.text, client, label("client"), True)
    worker = given("worker")
    if worker is not None:
        worker = check(fields.worker_or_word, worker, label("worker"), ("me", "auto"))
    status = given("status")
    if status is not None:
        status = check(fields.choice, status, INTAKE_STATUSES, label("status"))
        if status == "waiting" and worker is not None:
            found.append(BadInput(label("status"), status, "cannot go with a worker (an assigned case is active)"))
        elif status not in (None, "waiting") and worker is None and given("worker") is None:
            found.append(BadInput(label("status"), status, "needs a worker (a case nobody holds is waiting)"))
    parse = parsers or field_parsers(tiers, today, label)
    opened = given("opened")
    opened_on = check(parse["opened"], opened) if opened else today
    draft_fields = dict(
        id=check(fields.case_id, given("id"), label("id")) if given("id") else None,
        summary=check(parse["summary"], given("summary") or ""),
        tier=check(parse["tier"], given("tier") or default_tier),
        risk=check(parse["risk"], given("risk") or "medium"),
        needs=check(parse["needs"], given("needs") or ""),
        language=check(parse["language"], given("language") or ""),
        area=check(parse["area"], given("area") or ""),
        requested=check(parse["requested"], given("requested")) if given("requested") else None,
    )
    if found:
        if problems is None:
            raise found[0]
        problems.extend(found)
        return None
    return CaseDraft(client=client, status=status, opened_on=opened_on, worker=worker, **draft_fields)


def field_parsers(tiers: tuple[str, ...], today: date, label: Callable[[str], str]) -> dict[str, Callable]:
    """The parser of each intake field, shared by `intake` (flags and CSV rows) and `update`,
    so both accept and refuse exactly the same values."""

    def opened(text: str) -> date:
        day = parse_date(text, today, label("opened"))
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

    return {
        "client": lambda text: fields.text(text, label("client"), True),
        "summary": lambda text: fields.text(text, label("summary"), multiline=True),
        "tier": tier,  # stored as the config spells it
        "risk": lambda text: fields.choice(text, RISKS, label("risk")),
        "needs": lambda text: fields.tokens(text, label("needs"), ";"),
        "language": lambda text: fields.token(text, label("language")),
        "area": lambda text: fields.area(text, label("area")),
        "requested": lambda text: fields.worker_id(text, label("requested")),
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
