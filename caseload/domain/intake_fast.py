"""The common row of a cases file, read fast (DESIGN §8): a million-row move must not
pay for a general reader's generality on every row.

`FastRows.read(line, cells)` takes a row as the CSV reader gives it (a list of cells in
the header's order) and returns the row as it will be stored (`intake_csv.stored_row`'s
tuple) with its two "given" flags, or None. None is not a refusal: it only says the row
is not of the common shape, and the caller reads it with the general reader
(`intake_csv.CaseRows.read`), which accepts, refuses and words its problems as it
always has. So a row this module accepts is one the general reader accepts, stored
exactly the same way (tests/test_intake_fast.py checks both on generated rows), and
every refusal still comes from one place.

The common shape: no cell holds a character any text field refuses, nor a tab or a
line break (one regex over the joined cells: a hostile character anywhere sends the
row to the general reader, which names the field); no closed case, cover or closing
columns filled in; dates as YYYY-MM-DD, not in the future where that is refused and
not before the opening day; tier, risk and status found by dictionary lookup; ids,
words and areas matched by the same compiled patterns as `domain.fields`.
Pure: no store; workers known or gone are the app's check, as for the general reader.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from operator import itemgetter
from typing import Mapping, Sequence

from caseload.domain import fields
from caseload.domain.dates import in_horizon, iso_date
from caseload.domain.errors import BadInput
from caseload.domain.model import RISKS

# The columns the fast path reads, in this order; any other known column must be empty.
READ = ("client", "id", "summary", "tier", "risk", "status", "needs", "language", "area", "requested", "opened",
        "worker", "next_review", "last_contact", "held_since")
RARE = ("home_worker", "cover_until", "closed_on", "close_reason")  # the general reader's
_SPACES = re.compile(" +")
_CACHE_LIMIT = 20_000  # distinct dates remembered (a file's dates repeat; memory stays flat)


class FastRows:
    def __init__(self, columns: Sequence[str | None], tiers: tuple[str, ...], default_tier: str,
                 review_days: Mapping[str, int], today: date, actor: str, auto: bool):
        width = len(columns)
        where = {name: i for i, name in enumerate(columns) if name is not None}
        # A missing column reads the empty cell appended after the row's last one.
        self._get = itemgetter(*(where.get(name, width) for name in READ))
        rare = [where[name] for name in RARE if name in where]
        self._rare = itemgetter(*rare, width, width) if rare else None  # always a tuple
        self._tiers = {name.casefold(): name for name in tiers}
        try:
            self._default_tier = fields.named(default_tier, tiers, "tier")
        except BadInput:  # a default the config does not define: a row without a tier is the general's
            self._default_tier = None
        self._review = {risk: timedelta(days=days) for risk, days in review_days.items()}
        self._today, self._today_iso = today, today.isoformat()
        self._actor, self._auto = actor, auto
        self._days: dict[str, str | None] = {}  # YYYY-MM-DD text -> the ISO date, or None when not one
        self._next: dict[tuple[str, str], str] = {}  # (opened, risk) -> the first review's ISO date

    def _iso(self, text: str) -> str | None:
        """The ISO form of a YYYY-MM-DD date, maybe with a time (as `dates.parse_date` reads it), else None."""
        found = self._days.get(text, False)
        if found is False:
            day = iso_date(text)
            found = day.isoformat() if day is not None and in_horizon(day, self._today) else None
            if len(self._days) >= _CACHE_LIMIT:
                self._days.clear()
            self._days[text] = found
        return found

    def read(self, line: int, cells: list[str]) -> tuple[tuple, bool, bool] | None:
        """(the stored row, next review given, last contact given), or None: the row is
        the general reader's. Appends one empty cell to `cells`."""
        cells.append("")
        if fields.REFUSED_IN_LINE.search(" ".join(cells)):
            return None
        if self._rare is not None and any(self._rare(cells)):
            return None
        (client, case_id, summary, tier, risk, status, needs, language, area, requested, opened, worker,
         review, contact, held) = self._get(cells)
        client = client.strip()
        summary = summary.strip()
        if not client or len(client) > fields.MAX_TEXT or len(summary) > fields.MAX_TEXT:
            return None
        case_id = case_id.strip()
        if case_id and not fields.CASE_ID.match(case_id):
            return None
        tier = tier.strip()
        tier = self._tiers.get(tier.casefold()) if tier else self._default_tier
        risk = risk.strip().lower() or "medium"
        if tier is None or risk not in RISKS:
            return None
        worker = worker.strip().lower()
        if worker:
            if worker == "me":
                worker = self._actor
            elif worker != "auto" and not fields.WORKER_ID.match(worker):
                return None
        status = status.strip().lower()
        if status:
            if status == "waiting":
                if worker:
                    return None
            elif status not in ("active", "monitoring") or not worker:
                return None
        needs = needs.strip()
        if needs:
            words = set()
            for item in needs.split(";"):
                item = item.strip().lower()
                if item:
                    if not fields.TOKEN.match(item):
                        return None
                    words.add(item)
            needs = ",".join(sorted(words))
        language = language.strip().lower() or None
        if language is not None and not fields.TOKEN.match(language):
            return None
        area = area.strip()
        if area:
            if "  " in area:
                area = _SPACES.sub(" ", area)
            area = area.lower()
            if not fields.AREA.match(area):
                return None
        else:
            area = None
        requested = requested.strip().lower() or None
        if requested is not None and not fields.WORKER_ID.match(requested):
            return None
        today = self._today_iso
        opened = opened.strip()
        if opened:
            opened = self._iso(opened)
            if opened is None or opened > today:
                return None
        else:
            opened = today
        review = review.strip()
        if review:
            review = self._iso(review)
            if review is None:
                return None
        contact = contact.strip()
        if contact:
            contact = self._iso(contact)
            if contact is None or contact > today:
                return None
        held = held.strip()
        holds = worker != "" and worker != "auto"
        if held:
            held = self._iso(held)
            if held is None or held > today or held < opened or not holds:
                return None
        if holds:
            by_rule, status, held = 0, status or "active", held or opened
        else:
            by_rule, status, held, worker = int(worker == "auto" or self._auto), "waiting", None, None
        first_review = review or self._first_review(opened, risk)
        return ((line, case_id or None, client, summary, tier, risk, status, needs, language, area, worker, None,
                 None, requested, opened, None, None, first_review, contact or None, held, by_rule),
                bool(review), bool(contact))

    def _first_review(self, opened: str, risk: str) -> str:
        key = (opened, risk)
        found = self._next.get(key)
        if found is None:
            found = (date.fromisoformat(opened) + self._review[risk]).isoformat()
            if len(self._next) >= _CACHE_LIMIT:
                self._next.clear()
            self._next[key] = found
        return found
