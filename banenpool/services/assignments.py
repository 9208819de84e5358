"""Assignments outside a plan: manual assignment and cancellation, and the scoped list.

Whether a manual assignment is allowed is decided by the rules engines, not here and not in a
view: the planner's rules (contracts.worktime.check_worker) on an instance built for that worker,
and the compliance check (contracts.compliance.check_schedule) on the worker's schedule.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, contains_eager

from banenpool.calendar_nl import AMS, iso_week_start
from banenpool.db import utcnow, write_lock_on_sqlite
from banenpool.errors import Conflict, Forbidden, InvalidInput, NotFound
from banenpool.models import Absence, Assignment, Employer, Shift, Worker
from banenpool.principal import Principal
from banenpool.text import NOT_TEXT
from banenpool.services import audit, capacity
from banenpool.services.checks import COMPLIANCE_CONTEXT, check_worker_schedule, work_item, work_items
from banenpool.services.instance_builder import build_worker_instance
from banenpool.services.leaving import in_pool, shift_refusal
from banenpool.services.notifications import schedule_changed, shifts_offered
from banenpool.services.shifts import check_day_range, coming_shift, lock_shifts, within_days
from banenpool.services.timesheets import (
    CALL_NOTICE, approved_hours, pay_late_cancellation, undo_late_cancellation, works_on_call,
)
from contracts.compliance import WorkItem
from contracts.worktime import check_worker



def _confirmed_count(session: Session, shift_id: int) -> int:
    return session.scalar(select(func.count(Assignment.id))
                          .where(Assignment.shift_id == shift_id, Assignment.status == "confirmed"))


def _compliance_violations(session: Session, worker: Worker, shift: Shift, lang: str = "en",
                           items: list[WorkItem] | None = None) -> list[tuple[str, str]]:
    """(rule, message) of the compliance rules (youth, night work, CAO and pay limits; the same check
    as GET /workers/{id}/checks) that the worker's schedule breaks with `shift` added and that
    involve `shift`. Context: the confirmed assignments within COMPLIANCE_CONTEXT of the shift,
    enough for the longest window a rule looks at (52 weeks); `items`: those, read already."""
    day = shift.start.astimezone(AMS).date()
    if items is None:
        items = work_items(session, worker, day - COMPLIANCE_CONTEXT, day + COMPLIANCE_CONTEXT)
    items = list(items)
    new_id = f"shift {shift.id}"
    items.append(work_item(new_id, shift.start, shift.end, shift.break_minutes,
                           session.get(Employer, shift.employer_id), worker))
    violations, _ = check_worker_schedule(worker, items, lang=lang)
    return [(v.rule, f"{v.rule}: {v.message}") for v in violations if new_id in v.assignment_ids]


def _refusals(session: Session, worker: Worker, shift: Shift, lang: str = "en") -> list[tuple[str, str]]:
    """(rule, message) of every rule the worker would break by taking `shift`, beside their
    confirmed shifts: the planner's rules (W01-W16) and the compliance rules. A worker who left the
    pool before the shift's day is refused for that alone (`worker_left`, leaving.shift_refusal)."""
    if (gone := shift_refusal(worker, shift)) is not None:
        return [gone]
    instance = build_worker_instance(session, worker, shift)
    violations = [(v.rule, v.message) for v in check_worker(instance, str(worker.id), [str(shift.id)])]
    return violations + _compliance_violations(session, worker, shift, lang)


def assign(session: Session, who: Principal, shift_id: int, worker_id: int) -> Assignment:
    """A confirmed assignment made by hand; 409 naming the rule(s) it would break: the planner's
    rules (contracts.worktime, W01–W14) and the compliance rules (contracts.compliance: youth and
    night work, CAO limits, minimum wage) for the worker's schedule with this shift added, or
    `worker_left` when the shift starts after the worker's last day in the pool."""
    who.require("intermediary")
    return give_shift(session, who, shift_id, worker_id, "assigned by the intermediary")


def give_shift(session: Session, who: Principal, shift_id: int, worker_id: int, reason: str,
               coming_only: bool = False) -> Assignment:
    """The shift as a confirmed assignment of the worker, judged and refused as `assign` says (the
    caller checks the role); `reason` goes to the worker's notice. `coming_only`: 409 `shift_begun`
    once the shift has begun (a worker taking an open shift themselves)."""
    # two requests must not both count a free place and fill it: they take turns on the shift
    write_lock_on_sqlite(session, Shift, shift_id)
    shift = session.get(Shift, shift_id, with_for_update=True)
    if shift is None:
        raise NotFound(f"shift {shift_id} does not exist")
    refuse_if_cancelled(shift)
    if coming_only and shift.start <= utcnow():
        raise Conflict(f"shift {shift_id} has begun", ["shift_begun"])
    worker = session.get(Worker, worker_id, with_for_update=True)   # takes turns with setting their last day
    if worker is None:
        raise NotFound(f"worker {worker_id} does not exist")
    taken = session.scalar(select(Assignment).where(Assignment.shift_id == shift_id, Assignment.worker_id == worker_id,
                                                    Assignment.status == "confirmed"))
    if taken is not None:
        raise Conflict(f"worker {worker_id} already has shift {shift_id} (assignment {taken.id})", ["W02"])
    if _confirmed_count(session, shift_id) >= shift.headcount:
        raise Conflict(f"shift {shift_id} already has its {shift.headcount} worker(s)", ["W01"])
    violations = _refusals(session, worker, shift)
    if violations:
        rules = sorted({rule for rule, _ in violations})
        raise Conflict("; ".join(message for _, message in violations), rules)
    first_call = undo_late_cancellation(session, who, shift, worker.id)
    assignment = Assignment(shift_id=shift.id, worker_id=worker.id, status="confirmed",
                            confirmed_at=first_call or utcnow())
    session.add(assignment)
    session.flush()
    schedule_changed(session, reason, added=[assignment])
    audit.record(session, who, "create", "assignment", assignment.id,
                 {"shift_id": shift.id, "worker_id": worker.id, "status": "confirmed"})
    return assignment


def update_status(session: Session, who: Principal, assignment_id: int, status: str) -> Assignment:
    """Only cancellation is a manual status change; a cancelled assignment stays visible as cancelled.

    An assignment whose hours are approved (and perhaps invoiced) is never cancelled (409): the
    hours were worked, and cancelling would drop them from the payroll while the invoice stays.
    A call cancelled less than 4 days ahead is still paid (timesheets.pay_late_cancellation).
    """
    who.require("intermediary")
    if status != "cancelled":
        raise InvalidInput({"status": ["only 'cancelled' can be set by hand; plans confirm assignments"]})
    assignment = session.get(Assignment, assignment_id, with_for_update=True)
    if assignment is None:
        raise NotFound(f"assignment {assignment_id} does not exist")
    if assignment.status != "confirmed":
        raise Conflict(f"assignment {assignment_id} is {assignment.status}; only confirmed ones can be cancelled",
                       ["not_confirmed"])
    approved = approved_hours(session, [assignment.id])
    if approved:
        raise Conflict(f"assignment {assignment_id} cannot be cancelled: {approved[assignment.id]}; approved hours "
                       "were worked and stay on the payroll. To correct an invoice, credit it (credit note) and "
                       "invoice again", ["timesheet_approved"])
    _cancel(session, who, assignment)
    schedule_changed(session, "cancelled by the intermediary", cancelled=[assignment])
    return assignment


def _cancel(session: Session, who: Principal, assignment: Assignment) -> bool:
    """Cancel a confirmed assignment without approved hours; True when its call is paid anyway
    (timesheets.pay_late_cancellation)."""
    assignment.status = "cancelled"
    session.flush()
    paid = pay_late_cancellation(session, who, assignment) is not None
    audit.record(session, who, "update", "assignment", assignment.id, {"status": ["confirmed", "cancelled"]})
    return paid


def decline_refusal(session: Session, assignment: Assignment, now: datetime | None = None) -> Conflict | None:
    """Why the worker may not refuse this call (a 409 to raise), or None when they may: a worker with
    an on-call or min-max contract need not come when called less than 4 days before the shift starts
    (art. 7:628a BW, nl-facts §3). The call is the moment the assignment was confirmed."""
    now = now or utcnow()
    shift = assignment.shift
    if assignment.status != "confirmed":
        return Conflict(f"assignment {assignment.id} is {assignment.status}; only a confirmed call can be declined",
                        ["not_confirmed"])
    if shift.start <= now:
        return Conflict(f"shift {shift.id} has begun", ["shift_begun"])
    if assignment.taken_by_worker:
        return Conflict("the worker took this shift themselves: it is no call they may refuse; ask the pool "
                        "to cancel it", ["taken_by_worker"])
    called = assignment.confirmed_at or assignment.created_at
    if shift.start - called >= CALL_NOTICE:
        return Conflict(f"this call was made at least 4 days before the shift (on "
                        f"{called.astimezone(AMS):%d-%m-%Y}); it stands: ask the pool to cancel it", ["call_in_time"])
    if not works_on_call(session.get(Worker, assignment.worker_id), shift):
        return Conflict("the contract for this work has fixed hours; only on-call and min-max workers may refuse "
                        "a late call", ["fixed_hours"])
    return None


def decline(session: Session, who: Principal, assignment_id: int) -> Assignment:
    """The worker refuses a call made less than 4 days ahead (decline_refusal says when they may): the
    assignment is cancelled, no wages are owed for it (the worker said no), the shift is open again
    and a re-plan does not offer it to them again. Their own assignments only (404 for others)."""
    who.require("worker")
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.worker_id != who.worker_id or assignment.status == "proposed":
        raise NotFound(f"assignment {assignment_id} does not exist")     # a proposal is not theirs to see yet
    write_lock_on_sqlite(session, Shift, assignment.shift_id)   # takes turns with a cancel of the whole shift
    session.refresh(assignment, with_for_update=True)
    refused = decline_refusal(session, assignment)
    if refused is not None:
        raise refused
    assignment.status, assignment.declined_at = "cancelled", utcnow()
    session.flush()
    audit.record(session, who, "update", "assignment", assignment.id,
                 {"status": ["confirmed", "cancelled"], "declined": True})
    return assignment


def recent_refusals(session: Session, who: Principal, since: datetime) -> list[tuple[Assignment, Worker]]:
    """Calls refused by workers (decline) since `since` on shifts that have not begun, still stand and
    still have an open place, newest first: the pool's cue to find someone else (once somebody took
    the place, by hand, by a plan or themselves, there is nothing left to do)."""
    who.require("intermediary")
    other = aliased(Assignment)
    filled = (select(func.count(other.id)).where(other.shift_id == Shift.id, other.status == "confirmed")
              .scalar_subquery())
    rows = session.execute(
        select(Assignment, Worker).join(Worker, Assignment.worker_id == Worker.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.declined_at >= since, Shift.start > utcnow(), Shift.cancelled_at.is_(None),
               filled < Shift.headcount)
        .order_by(Assignment.declined_at.desc(), Assignment.id.desc()))
    return [(a, w) for a, w in rows]


def _absences_in(worker: Worker, start: datetime | None, end: datetime | None) -> list[Absence]:
    return [a for a in worker.absences if (end is None or a.start < end) and (start is None or a.end > start)]


def _calls_in(session: Session, worker: Worker, absences: list[Absence], start: datetime | None,
              end: datetime | None) -> list[Assignment]:
    """The worker's confirmed shifts that have not begun and overlap one of `absences` (and, when given,
    start before `end` and end after `start`), in time order: one query."""
    if not absences:
        return []
    lo, hi = min(a.start for a in absences), max(a.end for a in absences)
    lo, hi = lo if start is None else max(lo, start), hi if end is None else min(hi, end)
    rows = session.scalars(select(Assignment).join(Shift, Assignment.shift_id == Shift.id)
                           .options(contains_eager(Assignment.shift))
                           .where(Assignment.worker_id == worker.id, Assignment.status == "confirmed",
                                  Shift.start < hi, Shift.end > lo, Shift.start > utcnow(),
                                  Shift.cancelled_at.is_(None))
                           .order_by(Shift.start, Shift.id))
    return [a for a in rows if any(x.start < a.shift.end and x.end > a.shift.start for x in absences)]


def absent_calls(session: Session, worker: Worker, start: datetime | None = None,
                 end: datetime | None = None) -> list[Assignment]:
    """The worker's confirmed shifts that have not begun, overlap one of their registered absences
    (sick, leave, other) and, when given, start before `end` and end after `start`; in time order."""
    return _calls_in(session, worker, _absences_in(worker, start, end), start, end)


def absent_calls_per_absence(session: Session, worker: Worker, absences: list[Absence]) -> dict[int, list[Assignment]]:
    """absent_calls of each of these absences of the worker, by the absence's id, from one query."""
    calls = _calls_in(session, worker, absences, None, None)
    return {x.id: [a for a in calls if x.start < a.shift.end and x.end > a.shift.start] for x in absences}


def release_absent(session: Session, who: Principal, worker_id: int, start: datetime,
                   end: datetime) -> list[Assignment]:
    """Release a worker who reported sick or took leave from the shifts it covers: their confirmed
    shifts in [start, end) that overlap a registered absence and have not begun are cancelled, so
    each is open again for a replacement (the open-shifts page, a plan). No wages are owed for them
    (the worker cannot come: timesheets.owed_if_cancelled), the worker is told. Shifts in the range
    the absences do not cover stay; none released is not an error (an empty list).

    Each shift released is offered at once (notifications.shifts_offered) to the workers who could
    take it by the rules of a manual assignment (the shift's candidates that break none, staffing),
    but not to one who refused its call before; each released assignment's `offered_to` lists them.

    The shifts are locked in id order first (lock_shifts, as a plan's publishing locks those it
    fills, keeps and cancels), so a plan published at the same moment either waits for this release
    or is published before it and then released from."""
    who.require("intermediary")
    if end <= start:
        raise InvalidInput({"end": ["must be after start"]})
    worker = session.get(Worker, worker_id)
    if worker is None:
        raise NotFound(f"worker {worker_id} does not exist")
    released = absent_calls(session, worker, start, end)
    lock_shifts(session, [a.shift_id for a in released])
    for a in released:
        session.refresh(a, with_for_update=True)
    released = [a for a in released if a.status == "confirmed"]
    for a in released:
        _cancel(session, who, a)
    if not released:
        return []
    offers: dict[int, list[Shift]] = {}
    for a in released:
        a.offered_to = _takers(session, who, a.shift_id)
        for taker in a.offered_to:
            offers.setdefault(taker, []).append(a.shift)
    # the workers told, locked in id order in one statement (KEY SHARE, which writing their messages
    # takes one by one): a publish locks its workers in that order too, so neither waits in a circle
    session.scalars(select(Worker.id).where(Worker.id.in_({worker.id, *offers})).order_by(Worker.id)
                    .with_for_update(key_share=True)).all()
    schedule_changed(session, "released: registered absent", cancelled=released)
    shifts_offered(session, "open shift: its worker is absent", offers)
    return released


def _takers(session: Session, who: Principal, shift_id: int) -> list[int]:
    """The ids of the workers who can take the shift by every rule (its staffing's candidates without a
    refusal), but not one who refused its call before."""
    staffed = staffing(session, who, shift_id)
    declined = {w.id for _a, w in staffed.declined}
    return sorted(c.worker.id for c in staffed.candidates if not c.refusals and c.worker.id not in declined)


MAX_CANCEL_REASON = 200


@dataclass
class CancelledShift:
    shift: Shift
    cancelled: list[tuple[Assignment, bool]]   # its confirmed assignments, each: are wages owed


def cancel_shift(session: Session, who: Principal, shift_id: int, reason: str | None = None) -> CancelledShift:
    """Call off one shift that has not begun (the employer of the site, or the pool): rain, a machine
    down, an order that fell through. Its confirmed assignments are cancelled, each worker told, and a
    call cancelled less than 4 days ahead is paid as planned (art. 7:628a BW, nl-facts §3) and billed
    to the employer like worked hours. The shift stays, marked cancelled: it is no longer planned,
    listed or counted as demand, and takes no workers or headcount changes. A plan made before can no
    longer be published (its data changed). Refused (409) once it began (`shift_begun`) and when it
    is cancelled already (`shift_cancelled`)."""
    who.require("employer", "intermediary")
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_CANCEL_REASON:
        raise InvalidInput({"reason": [f"at most {MAX_CANCEL_REASON} characters"]})
    if reason is not None and NOT_TEXT.search(reason):
        raise InvalidInput({"reason": ["must not contain control characters"]})
    shift = coming_shift(session, who, shift_id)
    staffed = _staffed_without_hours(session, shift_id)
    shift.cancelled_at, shift.cancel_reason = utcnow(), reason
    cancelled = [(a, _cancel(session, who, a)) for a in staffed]
    by = "the employer" if who.role == "employer" else "the intermediary"
    schedule_changed(session, f"shift cancelled by {by}" + (f": {reason}" if reason else ""),
                     cancelled=staffed)
    audit.record(session, who, "update", "shift", shift.id, {"cancelled": True, "reason": reason,
                                                             "assignments": [a.id for a in staffed]})
    return CancelledShift(shift, cancelled)


def _staffed_without_hours(session: Session, shift_id: int) -> list[Assignment]:
    """The shift's confirmed assignments, locked, for a change of the whole shift (cancel, move); 409
    `timesheet_approved` when hours on it are approved (registered at the earliest as it begins)."""
    staffed = session.scalars(select(Assignment).where(Assignment.shift_id == shift_id,
                                                       Assignment.status == "confirmed")
                              .order_by(Assignment.id).with_for_update()).all()
    worked = approved_hours(session, [a.id for a in staffed])
    if worked:
        raise Conflict(f"shift {shift_id} has approved hours: " + "; ".join(sorted(worked.values())),
                       ["timesheet_approved"])
    return staffed


@dataclass
class MovedShift:
    shift: Shift
    kept: list[Assignment]                      # confirmed workers who have it at the new times
    released: list[tuple[Assignment, bool]]     # cancelled with the move, each: are wages owed
    late: bool = False                          # moved less than 4 days before it was to start


def move_shift(session: Session, who: Principal, shift_id: int, day: date, start: time, end: time,
               break_minutes: int) -> MovedShift:
    """Give a shift that has not begun other times (the employer of the site, or the pool): `day` and
    Amsterdam wall-clock `start` and `end` (an end at or before the start runs into the next day).

    Its confirmed workers: when the start or end changes less than 4 days before the shift was to
    start, each is released and paid the call as planned (art. 7:628a BW, nl-facts §3: work moved
    within 4 days owes the wages; on-call and min-max contracts, as a late cancellation) — the shift
    at its new times is open for a new call, which they may take. Otherwise (or when only the break
    changes) each keeps it when every rule still holds for them at the new times (judged as a manual
    assignment), else is released — and paid the call as planned when that is less than 4 days
    ahead. Kept workers are called anew when the times changed (a new start less than 4 days ahead
    is a late call they may refuse); a break-only change keeps their call. Every worker who had the
    shift keeps the times they were called for (Assignment.called_start/called_end, also one
    cancelled or refused before), so their schedule, calendar and notice show it where it was.
    Refused (409 `timesheet_approved`) while hours on it are approved. All are told; a plan made before can no longer be published. 404 for a shift not
    theirs (before the times are judged); 422 for times that are not a shift (the daylight-saving
    nights included) or lie in the past; 409 `shift_begun`, `shift_cancelled`."""
    who.require("employer", "intermediary")
    shift = coming_shift(session, who, shift_id)
    line = {"weekday": day.weekday(), "start": start, "end": end, "break_minutes": break_minutes, "headcount": 1}
    errors = capacity.shift_line_errors(line)
    if not errors and not 0 <= break_minutes <= 240:
        errors = {"break_minutes": ["must be from 0 to 240"]}
    if not errors:
        errors = next(iter(capacity.occurrence_errors([line], day, day).values()), {})
    if errors:
        raise InvalidInput(errors)
    new = capacity.occurrence(day, start, end, break_minutes)
    now = utcnow()
    if new["start"] <= now:
        raise InvalidInput({"start": ["must be in the future"]})
    before = {"start": shift.start, "end": shift.end, "break_minutes": shift.break_minutes}
    if before == {k: new[k] for k in before}:
        return MovedShift(shift, [], [])        # the times it has: nothing changes, nobody is called anew
    staffed = _staffed_without_hours(session, shift_id)
    moved = (shift.start, shift.end) != (new["start"], new["end"])
    within_notice = shift.start < now + CALL_NOTICE
    call = (shift.start, shift.end, shift.break_minutes)       # as the workers were called for it
    for a in shift.assignments:         # the times each was called for, should they lose (or have lost) it
        if a.status != "proposed" and a.called_start is None:
            a.called_start, a.called_end = shift.start, shift.end
    released, kept = [], []
    if moved and within_notice:                 # paid as planned: judged on the times it had
        released = [(a, _cancel(session, who, a)) for a in staffed]
    shift.start, shift.end, shift.break_minutes = new["start"], new["end"], new["break_minutes"]
    shift.paid_hours, shift.public_holiday = new["paid_hours"], new["public_holiday"]
    shift.revision += 1
    session.flush()
    for a in ([] if released else staffed):
        a.status = "cancelled"                  # judged as if they had not got it yet
        session.flush()
        if _refusals(session, session.get(Worker, a.worker_id), shift):
            paid = within_notice and pay_late_cancellation(session, who, a, call) is not None
            audit.record(session, who, "update", "assignment", a.id,
                         {"status": ["confirmed", "cancelled"], "reason": "shift moved"})
            released.append((a, paid))
        else:                                   # a new call when its times changed; the same one otherwise
            a.status, a.called_start, a.called_end = "confirmed", None, None
            if moved:
                a.confirmed_at = now
            kept.append(a)
    session.flush()
    by = "the employer" if who.role == "employer" else "the intermediary"
    schedule_changed(session, f"shift moved by {by}", added=kept, cancelled=[a for a, _ in released])
    audit.record(session, who, "update", "shift", shift.id,
                 {k: [v, getattr(shift, k)] for k, v in before.items()})
    return MovedShift(shift, kept, released, moved and within_notice)


def refuse_if_cancelled(shift: Shift) -> None:
    if shift.cancelled_at is not None:
        raise Conflict(f"shift {shift.id} is cancelled", ["shift_cancelled"])


MAX_JUDGED = 100   # candidates judged for one shift's staffing page


def refusals(session: Session, who: Principal, shift_id: int, worker_id: int, lang: str = "en") -> list[tuple[str, str]]:
    """(rule, message) of every rule `worker_id` would break by taking the shift (as assign judges)."""
    who.require("intermediary")
    shift, worker = session.get(Shift, shift_id), session.get(Worker, worker_id)
    if shift is None or worker is None:
        raise NotFound(f"shift {shift_id} or worker {worker_id} does not exist")
    return _refusals(session, worker, shift, lang)


@dataclass(frozen=True)
class Candidate:
    worker: Worker
    week_hours: Decimal        # paid hours of the worker's confirmed shifts in the shift's ISO week
    refusals: tuple[tuple[str, str], ...]   # (rule, message); empty: the worker can take the shift

    @property
    def below_target(self) -> Decimal:
        return self.worker.target_hours_per_week - self.week_hours


@dataclass(frozen=True)
class Staffing:
    shift: Shift
    assigned: list[tuple[Assignment, Worker]]   # confirmed, in the order they were made
    candidates: list[Candidate]      # those who can take it first, furthest below target first
    lacking_skills: int              # workers left out because they lack a skill the shift lists
    not_judged: int = 0              # workers with the skills left out beyond MAX_JUDGED
    declined: list[tuple[Assignment, Worker]] = field(default_factory=list)   # refused the call (decline)


def staffing(session: Session, who: Principal, shift_id: int, lang: str = "en") -> Staffing:
    """Who has a shift and who could take it: every worker with the shift's skills who belongs to the
    pool on its day is judged by the same rules as a manual assignment (assign), nothing written.
    None are judged once the shift is full or cancelled. Ordered: those who can take it first,
    furthest below their weekly target first; last those with the skills who left the pool before its
    day, refused for that alone (`worker_left`, not counted among the judged)."""
    who.require("intermediary")
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound(f"shift {shift_id} does not exist")
    assigned = list(session.scalars(select(Assignment).where(Assignment.shift_id == shift_id,
                                                             Assignment.status == "confirmed")
                                    .order_by(Assignment.id)))
    workers = list(session.scalars(select(Worker).order_by(Worker.name, Worker.id)))
    by_id = {w.id: w for w in workers}
    taken = {a.worker_id for a in assigned}
    latest = {a.worker_id: a for a in session.scalars(
        select(Assignment).where(Assignment.shift_id == shift_id, Assignment.declined_at.is_not(None))
        .order_by(Assignment.declined_at, Assignment.id))}
    declined = [(a, by_id[w]) for w, a in latest.items() if w not in taken]
    day = shift.start.astimezone(AMS).date()
    free = [w for w in workers if w.id not in taken and in_pool(w, day)]
    able = [w for w in free if set(shift.skills) <= set(w.skills)]
    gone = [w for w in workers if w.id not in taken and not in_pool(w, day) and set(shift.skills) <= set(w.skills)]
    assigned_workers = [(a, by_id[a.worker_id]) for a in assigned]
    if len(assigned) >= shift.headcount or shift.cancelled_at is not None:
        return Staffing(shift, assigned_workers, [], 0, declined=declined)
    hours = _week_hours(session, shift)
    # judged furthest below target first; a large pool is judged in part (each takes ~15 ms)
    able.sort(key=lambda w: (hours.get(w.id, Decimal(0)) - w.target_hours_per_week, w.name, w.id))
    candidates = [Candidate(w, hours.get(w.id, Decimal(0)), tuple(_refusals(session, w, shift, lang)))
                  for w in able[:MAX_JUDGED]]
    candidates.sort(key=lambda c: bool(c.refusals))    # stable: the order above within each part
    candidates += [Candidate(w, hours.get(w.id, Decimal(0)), (shift_refusal(w, shift),)) for w in gone]
    return Staffing(shift, assigned_workers, candidates, len(free) - len(able),
                    max(0, len(able) - MAX_JUDGED), declined)


def _week_hours(session: Session, shift: Shift) -> dict[int, Decimal]:
    monday = iso_week_start(shift.start)
    rows = session.execute(select(Assignment.worker_id, func.sum(Shift.paid_hours))
                           .join(Shift, Assignment.shift_id == Shift.id)
                           .where(Assignment.status == "confirmed", Shift.start >= monday,
                                  Shift.start < monday + timedelta(days=7))
                           .group_by(Assignment.worker_id))
    return {worker_id: Decimal(str(total)) for worker_id, total in rows}


def get_assignment(session: Session, who: Principal, assignment_id: int) -> Assignment:
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or not _may_see(who, assignment):
        raise NotFound(f"assignment {assignment_id} does not exist")
    return assignment


def _may_see(who: Principal, a: Assignment) -> bool:
    if who.is_intermediary:
        return True
    if a.status == "proposed":
        return False
    return who.may_see_employer(a.shift.employer_id) or who.may_see_worker(a.worker_id)


def list_assignments(session: Session, who: Principal, worker_id: int | None = None,
                     employer_id: int | None = None, start: date | None = None,
                     end: date | None = None) -> list[Assignment]:
    """Confirmed and cancelled assignments (not proposals), scoped to who asks, ordered by start — the
    times the worker was called for (Assignment.start), which a worker released by a move keeps;
    `end` before `start` is 422."""
    check_day_range(start, end)
    begins = func.coalesce(Assignment.called_start, Shift.start)
    query = (select(Assignment).join(Shift, Assignment.shift_id == Shift.id).options(contains_eager(Assignment.shift))
             .where(Assignment.status != "proposed").order_by(begins, Shift.id, Assignment.worker_id))
    query = within_days(query, begins, start, end)
    if worker_id is not None:
        query = query.where(Assignment.worker_id == worker_id)
    if employer_id is not None:
        query = query.where(Shift.employer_id == employer_id)
    if who.role == "employer":
        query = query.where(Shift.employer_id == who.employer_id)
    elif who.role == "worker":
        query = query.where(Assignment.worker_id == who.worker_id)
    elif not who.is_intermediary:
        raise Forbidden("not allowed")
    return list(session.scalars(query))
