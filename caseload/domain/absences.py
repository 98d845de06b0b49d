"""Absences listed and moved (DESIGN §5, issue 22): an absence's state on a day, and the
rule for changing its dates (`worker absent ID --change N`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from caseload.domain.errors import BadInput, CaseloadError
from caseload.domain.model import Absence


def absence_state(absence: Absence, on: date) -> str:
    """`scheduled` before its first day, `current` while it lasts, `past` after."""
    if on < absence.starts_on:
        return "scheduled"
    return "current" if on <= absence.ends_on else "past"


def changed_absence(absence: Absence, worker: str, starts_on: date | None, ends_on: date | None) -> Absence:
    """The absence with its dates moved: it must be `worker`'s (an id typed for the wrong
    worker is refused, not silently moved), at least one date is given, and the first
    day is not after the last."""
    if absence.worker != worker:
        raise CaseloadError(f"absence {absence.id} is {absence.worker}'s, not {worker}'s "
                            f"(see `caseload worker absences {worker}`)")
    if starts_on is None and ends_on is None:
        raise BadInput("--from", "", "or --until is required with --change (the new first or last day)")
    moved = replace(absence, starts_on=starts_on or absence.starts_on, ends_on=ends_on or absence.ends_on)
    if moved.ends_on < moved.starts_on:
        field, value = ("--until", moved.ends_on) if ends_on is not None else ("--from", moved.starts_on)
        raise BadInput(field, value.isoformat(), f"would put the last day ({moved.ends_on}) before the first "
                                                 f"({moved.starts_on})")
    return moved
