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

The one reader of a cases row (`CaseRows`): the fields of a new case go through
`domain.intake.draft_values`, the check of `intake`'s flags, so a cell and a flag accept
and refuse exactly the same values; the extra columns are checked here. Its speed comes
from finding the columns once per file and remembering each parser's answer for the
cells that repeat down a file, not from a second reader beside it. Pure: no store. Problems only the store or the whole file can show (ids taken or
repeated, workers unknown or gone) are the app's (`app.intake`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from operator import itemgetter
from typing import Callable, Mapping, Sequence

from caseload.domain import fields
from caseload.domain.date_order import file_date
from caseload.domain.dates import shown_date
from caseload.domain.errors import BadInput
from caseload.domain.intake import INTAKE_FIELDS, draft_values, field_parsers
from caseload.domain.model import Case
from caseload.domain.spreadsheet import Columns

DATE_COLUMNS = ("opened", "next_review", "last_contact", "held_since", "closed_on", "cover_until")
MOVE_FIELDS = ("home_worker", "next_review", "last_contact", "held_since", "closed_on", "close_reason",
               "cover_until")
CASE_FILE = Columns(
    names=INTAKE_FIELDS + MOVE_FIELDS,
    aliases={"opened_on": "opened", "next_review_on": "next_review", "last_contact_on": "last_contact",
             "requested_worker": "requested", "closed": "closed_on", "case": "id",
             # headers as people type them in a caseload spreadsheet (DESIGN §11)
             "client name": "client", "name": "client", "service user": "client", "person": "client",
             "ref": "id", "reference": "id", "case ref": "id", "case reference": "id", "case id": "id",
             "case no": "id", "case number": "id", "crn": "id",
             "key worker": "worker", "keyworker": "worker", "allocated to": "worker", "case worker": "worker",
             "caseworker": "worker", "practitioner": "worker", "officer": "worker", "held by": "worker",
             "risk level": "risk", "risk rating": "risk", "rosh": "risk", "complexity": "tier", "band": "tier",
             "tier level": "tier", "date opened": "opened", "opened date": "opened", "open date": "opened",
             "referral date": "opened", "date referred": "opened", "start date": "opened",
             "next review date": "next_review", "review date": "next_review", "review due": "next_review",
             "last contact date": "last_contact", "date of last contact": "last_contact",
             "allocated on": "held_since", "allocation date": "held_since", "date allocated": "held_since",
             "date closed": "closed_on", "closure date": "closed_on", "closure reason": "close_reason",
             "reason closed": "close_reason", "needs skills": "needs", "skills needed": "needs",
             "patch": "area", "locality": "area", "description": "summary", "presenting issue": "summary",
             "requested worker": "requested", "covered for": "home_worker", "cover until": "cover_until"},
    computed=("weight",),
    required=("client",),
    example="client,tier",
)
DEFAULT_CLOSE_REASON = "closed before the move to caseload"


_CACHE_LIMIT = 20_000  # distinct cells remembered per column (a file's tiers and dates repeat; memory stays flat)
_REPEATING = ("worker", "status", "tier", "risk", "needs", "language", "area", "requested", "opened")
_NO_MOVE = ("",) * 7  # a file without the move's columns


class Remembered(dict):
    """A parser that remembers what it gave for each distinct text: `remembered[text]` is
    `parse(text)`, read once (a hit is one dictionary lookup, no Python call). A refusal is
    not remembered: each raises afresh, so every problem carries its own line."""

    def __init__(self, parse: Callable[[str], object]):
        super().__init__()
        self.parse = parse

    def __missing__(self, text: str) -> object:
        value = self.parse(text)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[text] = value
        return value


def _same(name: str) -> str:
    return name


def _after_opening(day: date | None, name: str, text: str, opened: date | None, found: list) -> date | None:
    if day is not None and opened is not None and day < opened:
        found.append(BadInput(name, text, f"is before the case was opened ({opened})"))
        return None
    return day


class CaseRows:
    """Reads the rows of a cases file, as the CSV reader gives them (a list of cells in the
    header's order), into the rows kept and written (STORED), with the config's tiers and
    review intervals. The columns are found once per file; the fields of a new case are
    checked by `domain.intake.draft_values`, the check of `intake`'s flags (so a cell and a
    flag accept and refuse exactly the same values), each parser remembering the cells it
    has read (tiers, risks, workers and dates repeat down a file)."""

    def __init__(self, columns: Sequence[str | None], tiers: tuple[str, ...], default_tier: str,
                 review_days: Mapping[str, int], today: date, actor: str, auto: bool,
                 date_orders: Mapping[str, str] | None = None):
        width = len(columns)
        self.where = {name: i for i, name in enumerate(columns) if name is not None}
        # A missing column reads the empty cell `read` appends after the row's last one.
        self._intake = itemgetter(*(self.where.get(name, width) for name in INTAKE_FIELDS))
        self._move = itemgetter(*(self.where.get(name, width) for name in MOVE_FIELDS))
        self.default_tier, self.today, self.actor, self.auto = default_tier, today, actor, auto
        self._review = {risk: timedelta(days=days) for risk, days in review_days.items()}
        orders = date_orders or {}  # each date column's order (31/01/2025 or 01/31/2025), when the file has one
        self.parsers = {name: Remembered(parse).__getitem__ if name in _REPEATING else parse
                        for name, parse in field_parsers(tiers, today, _same,
                                                         partial(file_date, order=orders.get("opened"))).items()}
        self._dates = {name: Remembered(partial(file_date, today=today, field=name,
                                                order=orders.get(name))).__getitem__
                       for name in ("next_review", "last_contact", "held_since", "cover_until", "closed_on")}
        # the first review of a case opened on a day with a risk, as text
        self._first_review = Remembered(lambda key: (key[0] + self._review[key[1]]).isoformat())
        self._text_of = Remembered(date.isoformat)  # a date as stored (ISO text)
        self._moves = any(name in self.where for name in MOVE_FIELDS)

    def cell(self, cells: list[str], name: str) -> str | None:
        """The cell of column `name` in a row, or None when the file has no such column."""
        where = self.where.get(name)
        return cells[where] if where is not None else None

    def _day(self, text: str, name: str, found: list, future: bool = False) -> date | None:
        try:
            day = self._dates[name](text)
        except BadInput as problem:
            found.append(problem)
            return None
        if not future and day > self.today:
            found.append(BadInput(name, shown_date(text), "is in the future"))
            return None
        return day

    def read(self, line: int, cells: list[str], problems: list[BadInput]) -> tuple[tuple, bool, bool] | None:
        """(the stored row, next review given, last contact given), or None with every problem
        of the row appended to `problems` (with its line). Appends one empty cell to `cells`."""
        cells.append("")
        today = self.today
        found: list[BadInput] = []
        given = [text if text.strip() else None for text in self._intake(cells)]
        home_text, review_text, contact_text, held, closed_text, reason_text, until_text = (
            [text.strip() for text in self._move(cells)] if self._moves else _NO_MOVE)
        closed = given[5] is not None and given[5].strip().lower() == "closed"
        if closed:
            given[5] = None  # draft_values knows the statuses of a new case; closed is the move's
            worker_text = (given[11] or "").strip()
            if worker_text.lower() in ("", "auto"):
                found.append(BadInput("worker", worker_text, "is needed for a closed case (who held it)"
                                      if not worker_text else "cannot go with a closed case (who held it?)"))
                given[11] = None
        draft = draft_values(given, parse=self.parsers, default_tier=self.default_tier, today=today, label=_same,
                             found=found)
        opened = draft[10] if draft is not None else None
        review = self._day(review_text, "next_review", found, future=True) if review_text else None
        contact = self._day(contact_text, "last_contact", found) if contact_text else None
        held_since = (_after_opening(self._day(held, "held_since", found), "held_since", held, opened, found)
                      if held else None)
        home = None
        if home_text:
            try:
                home = fields.worker_id(home_text.lower(), "home_worker")
            except BadInput as problem:
                found.append(problem)
        cover_until = self._day(until_text, "cover_until", found, future=True) if until_text else None
        closed_on = close_reason = None
        if closed:
            closed_on = _after_opening(self._day(closed_text, "closed_on", found), "closed_on", closed_text,
                                       opened, found) if closed_text else today
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
            holder = self.actor if draft[11] == "me" else draft[11]
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
                problem.line = line
            problems.extend(found)
            return None
        # the row as it is kept and written (STORED's columns; no id yet: None)
        client, case_id, summary, tier, risk, status, needs, language, area, requested, opened, worker = draft
        goes_to = self.actor if worker == "me" else worker
        if goes_to is None and self.auto and not closed:
            goes_to = "auto"
        if goes_to is not None and goes_to != "auto":
            holder, status = goes_to, "closed" if closed else (status or "active")
            held_since = held_since or opened
        else:
            holder, status, held_since, home = None, "waiting", None, None
        text_of = self._text_of
        if home is not None and cover_until is None:
            cover_until = today  # a cover with no end given ends today
        return ((line, case_id or None, client, summary, tier, risk, status, ",".join(needs), language, area, holder,
                 home, text_of[cover_until] if home is not None else None, requested, text_of[opened],
                 text_of[closed_on] if closed else None, close_reason if closed else None,
                 text_of[review] if review is not None else self._first_review[opened, risk],
                 text_of[contact] if contact is not None else None,
                 text_of[held_since] if held_since is not None else None, int(goes_to == "auto")),
                review is not None, contact is not None)


# A checked row as it is written (store.imports.CaseWriter), all text or None:
STORED = ("line", "id", "client", "summary", "tier", "risk", "status", "needs", "language", "area", "worker",
          "home_worker", "cover_until", "requested_worker", "opened_on", "closed_on", "close_reason",
          "next_review_on", "last_contact_on", "held_since", "by_rule")


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
