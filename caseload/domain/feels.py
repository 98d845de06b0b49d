"""The practitioner's voice (DESIGN §2): a worker's own view of their caseload.

Zoning is a conversation, not only a number: when the team meets, each worker may say
how their caseload feels — manageable, stretched or overwhelmed. At most one view counts
per worker per ISO week (Monday to Sunday): the latest given for that week wins. Every
view given is kept (append-only, like history); the week's view is chosen on reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from caseload.domain.trends import week_of

FEELINGS = ("manageable", "stretched", "overwhelmed")


@dataclass(frozen=True)
class Feeling:
    worker: str
    on: date
    feeling: str
    order: int = 0  # the order it was given in (the store's row id): a later one of a day wins


def of_week(given: Iterable[Feeling], week: date) -> dict[str, Feeling]:
    """Each worker's view for the ISO week starting on the Monday `week`: the latest given
    for a day of that week (by its day, then the order it was given in)."""
    found: dict[str, Feeling] = {}
    for feeling in given:
        if week_of(feeling.on) != week:
            continue
        kept = found.get(feeling.worker)
        if kept is None or (feeling.on, feeling.order) > (kept.on, kept.order):
            found[feeling.worker] = feeling
    return found
