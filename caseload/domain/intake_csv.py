"""The cases file of a move (DESIGN §5, §11): its columns, and each row read into a case.

The columns are the long flag names of `intake` plus those of `export cases --format csv`
(so an export re-imports: `opened_on` is `opened`, `weight` is computed and ignored) plus
what a caseload moving in from a spreadsheet carries:
- `next_review`, `last_contact`: the case's next review and last contact. Without them
  the defaults of §3 apply from the opening day: the first review falls due the risk's
  interval after opening, and contact counts as stale from the opening day.
- `held_since`: the day the worker took the case (continuity and "new in 30 days" count
  from it; default the opening day, never the day of the move).
- `status` may also be `closed` (with `closed_on`, default the day of the move, and
  `close_reason`): closed cases keep the worker who held them.
- `home_worker` (with `cover_until`, default the day of the move): a case under cover.

Each row is validated by `domain.intake.read_draft`, the reader of `intake`'s flags, so
a cell and a flag accept and refuse exactly the same values; the extra columns are checked
here. Pure: no store. Problems only the store or the whole file can show (ids taken or
repeated, workers unknown or gone) are the app's (`app.intake`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping

from caseload.domain import fields
from caseload.domain.dates import parse_date, shown_date
from caseload.domain.errors import BadInput
from caseload.domain.intake import INTAKE_FIELDS, CaseDraft, field_parsers, read_draft
from caseload.domain.model import Case
from caseload.domain.spreadsheet import Columns, Row

MOVE_FIELDS = ("home_worker", "next_review", "last_contact", "held_since", "closed_on", "close_reason",
               "cover_until")
CASE_FILE = Columns(
    names=INTAKE_FIELDS + MOVE_FIELDS,
    aliases={"opened_on": "opened", "next_review_on": "next_review", "last_contact_on": "last_contact",
             "requested_worker": "requested", "closed": "closed_on", "case": "id"},
    computed=("weight",),
    required=("client",),
    example="client,tier",
)
DEFAULT_CLOSE_REASON = "closed before the move to caseload"


@dataclass(frozen=True, slots=True)
class ImportedCase:
    """A row of the file, validated: the case as it will be stored (id None: one is
    allocated when written), where it goes, and which dates took their defaults."""

    line: int
    case: Case
    goes_to: str | None  # a worker id, "auto" (by the rules) or None (waits); closed: its worker
    held_since: date | None  # the day its holder took it (None when nobody holds it)
    review_given: bool
    contact_given: bool


def _day(text: str, today: date, name: str, found: list, future: bool = False) -> date | None:
    try:
        day = parse_date(text, today, name)
    except BadInput as problem:
        found.append(problem)
        return None
    if not future and day > today:
        found.append(BadInput(name, shown_date(text), "is in the future"))
        return None
    return day


class CaseRows:
    """Reads rows of a cases file into ImportedCase, with the config's tiers and review
    intervals; `read` appends every problem of a row (with its line) and returns None."""

    def __init__(self, tiers: tuple[str, ...], default_tier: str, review_days: Mapping[str, int], today: date,
                 actor: str, auto: bool):
        self.tiers, self.default_tier, self.review_days = tiers, default_tier, review_days
        self.today, self.actor, self.auto = today, actor, auto
        self.parsers = field_parsers(tiers, today, lambda name: name)

    def read(self, row: Row, problems: list[BadInput]) -> ImportedCase | None:
        values = row.values
        found: list[BadInput] = []
        today = self.today

        def cell(name: str) -> str:
            return (values.get(name) or "").strip()

        status_text = cell("status")
        closed = status_text.lower() == "closed"
        raw = {name: values.get(name) for name in INTAKE_FIELDS}
        if closed:
            raw["status"] = None  # read_draft knows the statuses of a new case; closed is the move's
            if cell("worker").lower() in ("", "auto"):
                found.append(BadInput("worker", cell("worker"), "is needed for a closed case (who held it)"
                                      if not cell("worker") else "cannot go with a closed case (who held it?)"))
                raw["worker"] = None
        draft = read_draft(raw, self.tiers, self.default_tier, today, problems=found, parsers=self.parsers)
        opened = draft.opened_on if draft is not None else None

        def after_opening(day: date | None, name: str, text: str) -> date | None:
            if day is not None and opened is not None and day < opened:
                found.append(BadInput(name, text, f"is before the case was opened ({opened})"))
                return None
            return day

        review = _day(cell("next_review"), today, "next_review", found, future=True) if cell("next_review") else None
        contact = _day(cell("last_contact"), today, "last_contact", found) if cell("last_contact") else None
        held = cell("held_since")
        held_since = after_opening(_day(held, today, "held_since", found), "held_since", held) if held else None
        home_text, until_text = cell("home_worker"), cell("cover_until")
        home = None
        if home_text:
            try:
                home = fields.worker_id(home_text.lower(), "home_worker")
            except BadInput as problem:
                found.append(problem)
        cover_until = _day(until_text, today, "cover_until", found, future=True) if until_text else None
        closed_text, reason_text = cell("closed_on"), cell("close_reason")
        closed_on = close_reason = None
        if closed:
            closed_on = after_opening(_day(closed_text, today, "closed_on", found), "closed_on",
                                      closed_text) if closed_text else today
            try:
                close_reason = fields.text(reason_text, "close_reason") if reason_text else DEFAULT_CLOSE_REASON
            except BadInput as problem:
                found.append(problem)
        else:
            if closed_text:
                found.append(BadInput("closed_on", closed_text, "goes with status closed"))
            if reason_text:
                found.append(BadInput("close_reason", "", "goes with status closed"))
        if draft is not None:
            holder = self.actor if draft.worker == "me" else draft.worker
            held_by_hand = holder not in (None, "auto")
            if held and not held_by_hand:
                found.append(BadInput("held_since", held, "needs a worker who holds the case"))
            if home_text and (not held_by_hand or closed):
                found.append(BadInput("home_worker", home_text, "needs an open case held by a cover worker"))
            elif home is not None and home == holder:
                found.append(BadInput("home_worker", home_text, "is the worker holding the case (cover is by "
                                      "someone else)"))
            if until_text and not home_text:
                found.append(BadInput("cover_until", until_text, "goes with home_worker"))
        if found:
            for problem in found:
                problem.line = row.line
            problems.extend(found)
            return None
        return self._case(row.line, draft, closed, review, contact, held_since, home, cover_until, closed_on,
                          close_reason)

    def _case(self, line: int, draft: CaseDraft, closed: bool, review, contact, held_since, home, cover_until,
              closed_on, close_reason) -> ImportedCase:
        """The case as it will be stored (built once: a million rows make every copy count)."""
        opened = draft.opened_on
        goes_to = self.actor if draft.worker == "me" else draft.worker
        if goes_to is None and self.auto and not closed:
            goes_to = "auto"
        worker = status = None
        if goes_to is not None and goes_to != "auto":
            worker, status = goes_to, "closed" if closed else (draft.status or "active")
            held_since = held_since or opened
        else:
            held_since, home = None, None
        case = Case(
            id=draft.id or "", client=draft.client, summary=draft.summary, tier=draft.tier, risk=draft.risk,
            status=status or "waiting", needs=draft.needs, language=draft.language, area=draft.area, worker=worker,
            home_worker=home, cover_until=(cover_until or self.today) if home is not None else None,
            requested_worker=draft.requested, opened_on=opened, closed_on=closed_on if closed else None,
            close_reason=close_reason if closed else None,
            next_review_on=review if review is not None else opened + timedelta(days=self.review_days[draft.risk]),
            last_contact_on=contact,
        )
        return ImportedCase(line, case, goes_to, held_since, review is not None, contact is not None)


# A checked row as it is kept and written (store.imports.FileCases), all text or None:
STORED = ("line", "id", "client", "summary", "tier", "risk", "status", "needs", "language", "area", "worker",
          "home_worker", "cover_until", "requested_worker", "opened_on", "closed_on", "close_reason",
          "next_review_on", "last_contact_on", "held_since", "by_rule")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def stored_row(row: ImportedCase) -> tuple:
    """An ImportedCase as it is kept and written (STORED's columns; no id yet: None)."""
    c = row.case
    return (row.line, c.id or None, c.client, c.summary, c.tier, c.risk, c.status, ",".join(c.needs), c.language,
            c.area, c.worker, c.home_worker, _iso(c.cover_until), c.requested_worker, c.opened_on.isoformat(),
            _iso(c.closed_on), c.close_reason, _iso(c.next_review_on), _iso(c.last_contact_on),
            _iso(row.held_since), int(row.goes_to == "auto"))


def case_of(row: tuple) -> tuple[int, Case, str | None]:
    """(line, case, where it goes) of a stored row: its holder, "auto" or None."""
    (line, case_id, client, summary, tier, risk, status, needs, language, area, worker, home, cover_until,
     requested, opened, closed_on, close_reason, review, contact, _, by_rule) = row
    day = date.fromisoformat
    case = Case(id=case_id or "", client=client, summary=summary, tier=tier, risk=risk, status=status,
                needs=tuple(needs.split(",")) if needs else (), language=language, area=area, worker=worker,
                home_worker=home, cover_until=cover_until and day(cover_until), requested_worker=requested,
                opened_on=day(opened), closed_on=closed_on and day(closed_on), close_reason=close_reason,
                next_review_on=review and day(review), last_contact_on=contact and day(contact))
    return line, case, "auto" if by_rule else worker


@dataclass
class Tally:
    """What a file would bring in, counted row by row (the dry run's figures)."""

    rows: int = 0
    held: int = 0
    by_rule: int = 0
    waiting: int = 0
    closed: int = 0
    overdue: int = 0
    overdue_by_default: int = 0  # of which the next review was not given (due from the opening day)
    stale: int = 0
    stale_by_default: int = 0  # of which the last contact was not given (counted from the opening day)
    covers_ending_today: int = 0

    def add(self, row: tuple, review_given: bool, contact_given: bool, today: str, stale_before: str) -> None:
        """Count one stored row (`stored_row`'s tuple); `today` and `stale_before` as ISO text
        (ISO dates compare as text)."""
        (_, _, _, _, _, _, status, _, _, _, worker, home, cover_until, _, opened, _, _, review, contact, _,
         by_rule) = row
        self.rows += 1
        if status == "closed":
            self.closed += 1
            return
        if by_rule:
            self.by_rule += 1
        elif worker is None:
            self.waiting += 1
            return
        else:
            self.held += 1
        if review is not None and review < today:
            self.overdue += 1
            self.overdue_by_default += not review_given
        if (contact or opened) < stale_before:
            self.stale += 1
            self.stale_by_default += not contact_given
        if home is not None and cover_until == today:
            self.covers_ending_today += 1

    def summary(self) -> str:
        closed = f", {self.closed} closed" if self.closed else ""
        return (f"{self.rows} row(s) valid; {self.held} already held, {self.by_rule} to assign by rule, "
                f"{self.waiting} to wait{closed}")

    def first_review(self, review_days: Mapping[str, int], stale_after_days: int) -> str:
        """What the first zone review after the move will say of reviews and contacts."""
        review = (f" ({self.overdue_by_default} without next_review: due {', '.join(f'{r} {d}' for r, d in review_days.items())} days after opening)"
                  if self.overdue_by_default else "")
        contact = (f" ({self.stale_by_default} without last_contact: counted from the opening day)"
                   if self.stale_by_default else "")
        return (f"the first zone review will show {self.overdue} review(s) overdue{review} and {self.stale} "
                f"contact(s) stale (none for {stale_after_days} days){contact}")


def stale_before(today: date, stale_after_days: int) -> date:
    return today - timedelta(days=stale_after_days)
