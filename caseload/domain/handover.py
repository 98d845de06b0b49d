"""Rules for moving responsibility (DESIGN §4, §5): what may be given out or moved,
handover versus temporary cover, which covers are due back, when a worker may be
marked as gone, and how mistakes are undone.

- `assign` gives out waiting cases only; a closed case or a held one is refused (a
  held case moves with `reassign`).
- A handover is permanent: the case keeps any cover it is under (its home worker and
  end date). Temporary cover (`--temporary --until`) makes the leaving worker the home
  worker and the cover's end the end date, unless the case is already under cover,
  which keeps its own. Without --to or --auto, a temporary handover goes to the cover
  worker recorded with the absence covering today (`worker absent W --cover X`).
- A permanent handover of W also re-homes the cases W is the home worker of (covered
  by someone else), so that a leaver whose cases are all under cover is not stuck:
  with `--to W2` they go to W2 with the rest; with `--auto` each stays with the worker
  covering it, for good, unless that worker is leaving (`split_homed`).
- A handover that leaves cases with the worker (nobody can take them) does the rest
  and is then a request that could not be done (exit 1), listing those cases.
- A cover is due back when its end date has passed and the home worker is back: not
  left and not absent today. `cover W --until D` moves the end of W's covers.
- A worker may be marked as left only when they hold no open case and are the home
  worker of none.
- Mistakes undone: a closed case reopens to its former worker if still active, else
  to the pool (`reopened`); an absence is cancelled by ending it yesterday, or removed
  if it has not begun (`cancelled_absence`); a reduction is ended on a day, or removed
  if that is before it starts (`ended_reduction`); leaving is cancelled back to active
  (`leave_cancelled`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Iterable, Mapping, Sequence

from caseload.domain.errors import BadInput, CaseloadError
from caseload.domain.load import zone
from caseload.domain.model import Absence, Case, Reduction, Worker
from caseload.domain.plan import Move


def why_not_assignable(case: Case) -> str | None:
    """Why `assign` cannot give this case out (None: it is waiting, so it can)."""
    if case.status == "closed":
        return f"{case.id} is closed"
    if case.worker is not None:
        return (f"{case.id} is already held by {case.worker}: use "
                f"`caseload reassign {case.id} --to W --reason TEXT` to move it")
    return None


def why_not_reassignable(case: Case, target: str) -> str | None:
    """Why `reassign` cannot move this case to `target` (None: it can)."""
    if case.status == "closed":
        return f"{case.id} is closed"
    if case.worker is None:
        return f"{case.id} is waiting: give it out with `caseload assign {case.id} --to W`"
    if target == case.worker:
        return f"{case.id} is already with {target}"
    return None


def handover_move(case: Case, source: str, to: str, until: date | None, reason: str | None) -> Move:
    """The move of one case in a handover: permanent, or cover until `until`. A case that
    `source` covers keeps its home worker and the cover's end, unless it goes to that home
    worker: then the cover ends (a case is never "covered" by its own home worker)."""
    if case.home_worker is not None and to == case.home_worker:  # a return, permanent handover or not:
        return Move(case.id, source, to, "return",  # no new arrival for the worker who held it before
                    reason or f"back to {to} (the home worker) from {source}")
    if until is not None:
        return Move(case.id, source, to, "cover", reason or f"cover for {source} until {until}",
                    home_worker=case.home_worker or source, cover_until=case.cover_until or until)
    return Move(case.id, source, to, "handover", reason or f"handover from {source}",
                home_worker=case.home_worker, cover_until=case.cover_until)


def handover_moves(cases: Mapping[str, Case], placements: Iterable, source: str, until: date | None,
                   reason: str | None) -> list[Move]:
    """The moves for the placed cases of a handover plan (cases nobody can take stay)."""
    return [handover_move(cases[p.case], source, p.worker, until, reason) for p in placements if p.worker is not None]


def covers_due_back(covered: Sequence[Case], back: set[str], today: date) -> list[Case]:
    """Covered cases whose cover ended before today and whose home worker is in `back`
    (not left, not absent today)."""
    return [c for c in covered if c.cover_until is not None and c.cover_until < today and c.home_worker in back]


def return_moves(cases: Iterable[Case]) -> list[Move]:
    """Covered cases going back to their home worker: the cover ends."""
    return [Move(c.id, c.worker, c.home_worker, "return", f"cover by {c.worker} ended") for c in cases]


def why_not_left(worker_id: str, held: int, homed: int) -> str | None:
    """Why a worker cannot be marked as left yet (None: nothing is still theirs)."""
    if held:
        return f"{worker_id} still holds {held} open case(s): `caseload handover {worker_id} --auto` first"
    if homed:
        return (f"{worker_id} is the home worker of {homed} case(s) under cover: "
                f"`caseload handover {worker_id} --auto` first (the covers become permanent), "
                f"or `caseload return {worker_id}`")
    return None


# -- a leaver's covered cases ---------------------------------------------------

def covers_going_home(held: Sequence[Case], back: set[str]) -> tuple[list[Case], list[Case]]:
    """In a handover by rule (`--auto`) of W, W's cases: (the ones W covers for a home worker
    who is back, in `back`: at work today, not leaving, not left; the rest). The first go
    home, as `return` sends them: W's cover is no longer needed, and handing them on would
    cut the case from the worker who holds the relationship. A home worker still away keeps
    the case under cover with whoever the rules choose (`handover_move`)."""
    home: list[Case] = []
    rest: list[Case] = []
    for case in held:
        (home if case.home_worker is not None and case.home_worker in back else rest).append(case)
    return home, rest


def split_homed(homed: Sequence[Case], target: str | None, leaving: set[str]) -> tuple[list[Case], list[Case]]:
    """In a permanent handover of W, the cases W is the home worker of (held by someone
    covering for W): (kept by the worker covering them, the cover made permanent; placed with
    W's own cases).

    By hand (`--to W2`) every one goes to W2, as the rest of W's caseload does: the lead has
    named who takes it over (a case W2 already covers simply becomes W2's). By rule (`--auto`)
    each stays with whoever covers it, now for good: they know the client and the case already
    weighs on their load. Only a case whose cover worker is leaving (or has left) is placed by
    the rules with W's own cases."""
    kept: list[Case] = []
    placed: list[Case] = []
    for case in homed:
        if case.worker == target or (target is None and case.worker not in leaving):
            kept.append(case)
        else:
            placed.append(case)
    return kept, placed


def permanent_cover_move(case: Case, source: str, reason: str | None) -> Move:
    """A case covered for `source` staying with the worker covering it, for good: responsibility
    passes from the home worker to the holder and the cover (home worker, end date) ends. The
    move reads from `source` to the holder; the store checks that the holder still covers it."""
    return Move(case.id, source, case.worker, "handover",
                reason or f"cover for {source} made permanent: handover from {source}")


def rehome_move(case: Case, source: str, to: str, reason: str | None) -> Move:
    """A case covered for `source` going to another worker for good (the cover ends)."""
    return Move(case.id, case.worker, to, "handover",
                reason or f"handover from {source} (was covered by {case.worker})")


def stuck_message(worker_id: str, stuck: Sequence[str], shown: int = 10, held_back: Iterable[str] = (),
                  until: date | None = None) -> str:
    """What a lead reads when a handover leaves cases with the worker (exit 1), with the real
    reason: nobody can take them, or (`held_back`) the max zone kept them from everyone who
    could. The next step of a temporary handover (`until`) is a cover of each case, not a
    permanent reassignment."""
    listed = ", ".join(stuck[:shown]) + (f" and {len(stuck) - shown} more" if len(stuck) > shown else "")
    held = [c for c in stuck if c in set(held_back)]
    if not held:
        why = "nobody can take them"
    elif len(held) == len(stuck):
        why = "everyone who could take them would go past the max zone"
    else:
        why = f"{len(held)} held back by the max zone, nobody can take the other {len(stuck) - len(held)}"
    by_hand = (f"`caseload cover CASE --by W --until {until}`" if until is not None
               else "`caseload reassign CASE --to W --reason TEXT`")
    other = []
    if held:
        other.append("a higher --max-zone")
    if len(held) < len(stuck):
        other.append("change its needs with `update`")
    return f"{len(stuck)} case(s) stay with {worker_id} ({why}): {listed}; next: {by_hand} for each, or " + \
        " or ".join(other)


def stuck_cover_end(case: Case, until: date | None, leaving: set[str] | frozenset, today: date) -> date | str | None:
    """The end of the cover a case a handover cannot move is to stay under (None: no cover,
    a reassignment): the temporary handover's (`until`); for a case the worker covers for
    someone who is not `leaving`, that cover's own end while it is still to come, else
    "DATE" for the lead to choose, so the next step keeps its home worker (a cover by
    someone else, not a reassignment)."""
    if until is not None:
        return until
    if case.home_worker is None or case.home_worker in leaving:
        return None
    return case.cover_until if case.cover_until is not None and case.cover_until >= today else "DATE"


def stuck_next_step(case_id: str, held_back: bool, until: date | str | None) -> str:
    """What a lead can do about one case a handover cannot move: by hand (a cover for a
    temporary handover, else a reassignment), or what kept it: the max zone or its needs."""
    by_hand = (f"caseload cover {case_id} --by W --until {until}" if until is not None
               else f"caseload reassign {case_id} --to W --reason TEXT")
    return by_hand + (" (by hand), or a higher --max-zone" if held_back else
                      " (by hand), or change its needs with `update`")


def recorded_cover(worker_id: str, absences: Sequence[Absence], today: date) -> str:
    """The worker who covers `worker_id` by default: the cover recorded with their absence
    covering today (`worker absent W --cover X`; of several, the one recorded last). A
    temporary handover without --to or --auto goes to them, as a choice by hand."""
    today_s = [a for a in absences if a.covers(today)]
    if not today_s:
        raise CaseloadError(f"{worker_id} has no absence recorded for today, so no cover worker: "
                            f"give --to W2 or --auto")
    named = [a for a in today_s if a.cover is not None]
    if not named:
        a = today_s[-1]
        raise CaseloadError(f"{worker_id}'s absence ({a.starts_on} to {a.ends_on}) has no cover "
                            f"worker recorded: give --to W2 or --auto (or record one with "
                            f"`caseload worker absent {worker_id} ... --cover W`)")
    return max(named, key=lambda a: a.id).cover


# -- covers moved ------------------------------------------------------------------

def moved_covers(covered: Sequence[Case], until: date) -> list[tuple[Case, Case]]:
    """(before, after) for each cover whose end moves to `until`; covers already ending
    then are left out. The cases stay where they are."""
    return [(c, replace(c, cover_until=until)) for c in covered if c.cover_until != until]


# -- one case covered ------------------------------------------------------------

def case_cover_move(case: Case, by: str, until: date, reason: str | None) -> Move:
    """One held case covered by `by` until `until` (`cover CASE --by W --until D`): it moves
    to `by` with its home worker recorded (its holder, or the home worker of a case already
    under cover, whose cover then runs to the new end) and goes home with `return` as a
    caseload's covers do. Covered by its own home worker, the cover simply ends. Refused
    (CaseloadError) for a closed or waiting case, or one `by` already holds."""
    if case.status == "closed":
        raise CaseloadError(f"{case.id} is closed")
    if case.worker is None:
        raise CaseloadError(f"{case.id} is waiting: give it out with `caseload assign {case.id} --to W`")
    if by == case.worker:
        raise CaseloadError(f"{case.id} is already with {by}")
    if case.home_worker is not None and by == case.home_worker:
        return Move(case.id, case.worker, by, "return", reason or f"back to {by} (the home worker) from {case.worker}")
    home = case.home_worker or case.worker
    return Move(case.id, case.worker, by, "cover", reason or f"cover for {home} until {until}",
                home_worker=home, cover_until=until)


# -- mistakes undone -------------------------------------------------------------

def reopened(case: Case, former: Worker | None, today: date) -> Case:
    """A closed case reopened. It goes back to the worker who held it when it closed if they
    are still active (not leaving, not left): reopening is most often undoing a close made by
    mistake, and they know the client. Otherwise it waits in the pool for the allocation
    rules (which prefer a previous worker anyway). Either way it opens as `active` if held
    (the status it had before closing is not kept), its closing date and reason are cleared,
    and a review that fell due while it was closed falls due today; one already overdue
    when it closed stays overdue from its own date (closing and reopening never clears an
    overdue review). A case that waits
    enters the pool today (`waiting_since`): its first-contact deadline counts from today."""
    if case.status != "closed":
        raise CaseloadError(f"{case.id} is not closed (it is {case.status})")
    back = former is not None and former.status == "active"
    review = case.next_review_on
    overdue_at_closing = review is not None and case.closed_on is not None and review < case.closed_on
    if review is not None and review < today and not overdue_at_closing:
        review = today
    return replace(case, status="active" if back else "waiting", worker=former.id if back else None,
                   closed_on=None, close_reason=None, home_worker=None, cover_until=None, next_review_on=review,
                   waiting_since=None if back else today)


def absences_to_cancel(worker_id: str, absences: Sequence[Absence], today: date,
                       start: date | None) -> list[Absence]:
    """Which of a worker's absences `worker absent W --cancel` cancels: the one starting on
    `start` (`--from`), else the one covering today, else the next one to begin. Absences
    that are over cannot be cancelled. Two absences covering today need `--from` to choose."""
    live = [a for a in absences if a.ends_on >= today]
    if start is not None:
        chosen = [a for a in live if a.starts_on == start]
        if not chosen:
            over = [a for a in absences if a.starts_on == start]
            if over:
                raise CaseloadError(f"{worker_id}'s absence from {start} ended on {over[0].ends_on}: "
                                    "it is over and cannot be cancelled")
            raise CaseloadError(f"{worker_id} has no absence starting on {start} "
                                f"(see `caseload worker show {worker_id}`)")
        return chosen
    current = [a for a in live if a.covers(today)]
    if len(current) > 1:
        starts = ", ".join(str(a.starts_on) for a in current)
        raise BadInput("--from", "", f"is needed: {worker_id} has {len(current)} absences covering today "
                       f"(from {starts}); give --from with the first day of the one to cancel")
    if current:
        return current
    if not live:
        raise CaseloadError(f"{worker_id} has no current or future absence to cancel")
    first = min(a.starts_on for a in live)
    return [a for a in live if a.starts_on == first]


def cancelled_absence(absence: Absence, today: date) -> Absence | None:
    """An absence cancelled today: one that began before today ends yesterday (the days
    already away stay true); one that has not begun (or begins today) is removed (None)."""
    if absence.starts_on < today:
        return replace(absence, ends_on=today - timedelta(days=1))
    return None


def ended_reduction(reduction: Reduction, last_day: date) -> Reduction | None:
    """A reduction given `last_day` as its last day (`worker reduce W --end N --on D`). One
    that would end before it starts never applies, and is removed (None)."""
    if last_day < reduction.starts_on:
        return None
    return replace(reduction, ends_on=last_day)


def overlapping_reductions(new: Reduction, existing: Iterable[Reduction]) -> list[Reduction]:
    """The worker's other reductions for the same reason whose dates overlap `new`'s (an
    open end runs for ever): probably recorded twice; both would count."""
    def overlaps(a: Reduction, b: Reduction) -> bool:
        return (a.starts_on <= (b.ends_on or date.max)) and (b.starts_on <= (a.ends_on or date.max))

    return [r for r in existing
            if r.id != new.id and r.worker == new.worker and r.reason == new.reason and overlaps(r, new)]


def leave_cancelled(worker: Worker) -> Worker:
    """`worker leave W --cancel`: back to active with no leaving date, taking automatic
    allocations again unless a lead (leads take none by default)."""
    if worker.status == "left":
        raise CaseloadError(f"{worker.id} has already left")
    if worker.status != "leaving":
        raise CaseloadError(f"{worker.id} is not leaving")
    return replace(worker, status="active", leaving_on=None, auto=worker.role == "worker")


def auto_for_role(worker: Worker, role: str | None, auto: bool | None) -> bool | None:
    """`worker edit --role`: a change of role brings the new role's default for automatic
    allocation (on for a worker, off for a lead) unless --auto/--no-auto says otherwise.
    None: leave `auto` as it is."""
    if auto is not None:
        return auto
    if role is not None and role != worker.role:
        return role == "worker"
    return None


def closed(case: Case, today: date, reason: str) -> Case:
    """The case closed today for `reason`. A held case leaves its worker's load and keeps
    their name (the record says who held it when it closed); a cover ends with it. A waiting
    case is a referral withdrawn before anyone took it (DESIGN §2): it leaves the pool with
    nobody's name on it, and counts as a closure like any other. `reopened` undoes either."""
    return replace(case, status="closed", closed_on=today, close_reason=reason, home_worker=None, cover_until=None,
                   waiting_since=None)


def left_red(planner, placements: Iterable, source: str) -> str | None:
    """The warning a planned handover needs when it leaves anyone red (`planner`: the
    batch's, after `plan_batch`): the team has no room for the whole caseload, and the lead
    should choose that knowingly (the default --max-zone red lets the planner get there)."""
    receivers = sorted({p.worker for p in placements if p.worker is not None})
    red = [w for w in receivers if zone(planner.load_of(w), planner.capacity_of(w), planner.rules.zones) == "red"]
    if not red:
        return None
    return (f"{len(red)} worker(s) would be red after this handover ({', '.join(red)}): the team has no room for "
            f"all of {source}'s cases; --max-zone amber keeps them out of red and leaves the rest with {source}")
