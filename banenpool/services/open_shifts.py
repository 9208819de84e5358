"""Open shifts a worker takes themselves (self-service): the ones they may take, and taking one.

A shift is open for a worker when it starts in the future, is not cancelled, has fewer confirmed
workers than its headcount, is not theirs already, and the worker breaks no rule by taking it —
judged exactly as the pool's manual assignment judges (assignments._refusals: the planner's rules
on an instance built for the worker, the compliance rules on their combined schedule, leaving the
pool). Taking one goes through the manual assignment's own path (assignments.give_shift): the
same lock on the shift, the same rules, the same 409s.

Judged one by one, a month's open shifts cost a full rules run each (~40 ms; 8-9 s for a month of
the demo's spring peak), so the list does less, with the same answer:
- the planner's rules run once for all of them, on one instance for the worker
  (instance_builder.build_worker_instance with every shift): a violation that involves a shift there
  is one in its own instance too (the rules look at most a week either side of it, which both hold),
  so such a shift is refused without more;
- a shift without one has no other violation in its own instance either when the worker's own
  shifts break no rule in the larger one; then only the compliance check runs for it, on the
  worker's schedule read once (a worker whose own shifts break a rule, and a minor, whose limits
  depend on the period's first and last day, get the full run for every shift instead).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from banenpool.calendar_nl import AMS, today_local
from banenpool.db import utcnow
from banenpool.errors import InvalidInput, NotFound
from banenpool.models import Assignment, Employer, Shift, Worker
from banenpool.principal import Principal
from banenpool.services.assignments import _compliance_violations, _refusals, give_shift
from banenpool.services.checks import COMPLIANCE_CONTEXT, work_items
from banenpool.services.instance_builder import WORKER_INSTANCE_MARGIN, YOUTH_AGE, build_worker_instance
from banenpool.services.leaving import pool_end, shift_refusal
from banenpool.services.notifications import shift_taken
from banenpool.services.shifts import check_day_range, day_bounds, within_days
from banenpool.services.timesheets import shift_pay
from contracts.compliance import WorkItem
from contracts.pay import PayResult
from contracts.wml import age_on
from contracts.worktime import RuleBook

DEFAULT_DAYS = 28       # from today: the coming 4 weeks
MAX_DAYS = 92           # the longest period one list judges
NEXT_DAY_STEP = 14      # days judged at a time when looking for the next shift a worker may take


@dataclass(frozen=True)
class OpenShift:
    shift: Shift
    employer: Employer
    confirmed: int      # workers it has; fewer than its headcount
    pay: PayResult | None = None    # what it would pay the worker (timesheets.shift_pay)


def open_shifts(session: Session, who: Principal, first: date | None = None,
                last: date | None = None, lang: str = "nl") -> list[OpenShift]:
    """The shifts starting on the Amsterdam days first … last (default today and the 27 days after)
    that the asking worker may take now, ordered by start, each with what it would pay them (before
    overtime with their other hours; pay lines and notes in `lang`). Workers only (403); 422 for
    `to` before `from` or more than MAX_DAYS days after it."""
    who.require("worker")
    worker = session.get(Worker, who.worker_id)
    if worker is None:
        raise NotFound(f"worker {who.worker_id} does not exist")
    first = first or today_local()
    last = last or first + timedelta(days=DEFAULT_DAYS - 1)
    check_day_range(first, last)
    if (last - first).days >= MAX_DAYS:
        raise InvalidInput({"to": [f"at most {MAX_DAYS} days from from"]}, location="query")
    rows = _not_full(session, worker, first, last)
    employers = {e.id: e for e in session.scalars(select(Employer).where(   # held: each check reads them
        Employer.id.in_({shift.employer_id for shift, _count in rows})))}
    takeable = set(_takeable(session, worker, [shift for shift, _count in rows]))
    return [OpenShift(shift, employers[shift.employer_id], count,
                      shift_pay(worker, shift, employers[shift.employer_id], lang))
            for shift, count in rows if shift in takeable]


def _not_full(session: Session, worker: Worker, first: date, last: date) -> list[tuple[Shift, int]]:
    """(shift, confirmed workers) of the coming shifts in first … last that are not cancelled, not
    full and not the worker's already."""
    lo, hi = day_bounds(first, last)
    confirmed = _confirmed()
    mine = select(Assignment.shift_id).where(Assignment.worker_id == worker.id, Assignment.status == "confirmed")
    query = (select(Shift, confirmed).where(Shift.start >= lo, Shift.start < hi, Shift.start > utcnow(),
                                            Shift.cancelled_at.is_(None), Shift.id.not_in(mine))
             .order_by(Shift.start, Shift.id).options(joinedload(Shift.request)))   # its title is listed
    return [(shift, count) for shift, count in session.execute(query) if count < shift.headcount]


def _confirmed():
    """A shift's confirmed workers, as a column of a query on Shift."""
    return (select(func.count(Assignment.id))
            .where(Assignment.shift_id == Shift.id, Assignment.status == "confirmed").scalar_subquery())


def _takeable(session: Session, worker: Worker, shifts: list[Shift]) -> list[Shift]:
    """The shifts the worker breaks no rule by taking, each judged on its own as assign judges
    (assignments._refusals), with less work (see the module's note)."""
    shifts = [s for s in shifts if shift_refusal(worker, s) is None]
    if not shifts:
        return []
    lo = min(s.start for s in shifts) - WORKER_INSTANCE_MARGIN
    if worker.birth_date is not None and age_on(worker.birth_date, lo.astimezone(AMS).date()) < YOUTH_AGE:
        return [s for s in shifts if not _refusals(session, worker, s)]   # a minor's limits follow the period
    book, me = RuleBook(build_worker_instance(session, worker, *shifts)), str(worker.id)
    shifts = [s for s in shifts if not any(str(s.id) in v.shifts for v in book.check_worker(me, [str(s.id)]))]
    if not shifts or book.check_worker(me, []):   # their own shifts break a rule: each shift's instance may say more
        return [s for s in shifts if not _refusals(session, worker, s)]
    around = _schedule_around(session, worker, shifts)
    return [s for s in shifts if not _compliance_violations(session, worker, s, items=around(s))]


def _schedule_around(session: Session, worker: Worker, shifts: list[Shift]) -> Callable[[Shift], list[WorkItem]]:
    """The worker's confirmed shifts as the compliance check reads them (checks.work_items) for
    every one of `shifts`, read once: shift → those within COMPLIANCE_CONTEXT of its day."""
    def day(moment: datetime) -> date:
        return moment.astimezone(AMS).date()

    first, last = min(day(s.start) for s in shifts), max(day(s.start) for s in shifts)
    lo, hi = first - COMPLIANCE_CONTEXT, last + COMPLIANCE_CONTEXT
    items = work_items(session, worker, lo, hi)
    starts = {f"A{a}": day(start) for a, start in session.execute(within_days(   # the items' shifts, as read
        select(Assignment.id, Shift.start).join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.worker_id == worker.id, Assignment.status == "confirmed"), Shift.start, lo, hi))}

    def around(shift: Shift) -> list[WorkItem]:
        on = day(shift.start)
        return [i for i in items if on - COMPLIANCE_CONTEXT <= starts[i.id] <= on + COMPLIANCE_CONTEXT]
    return around


def claim(session: Session, who: Principal, shift_id: int) -> Assignment:
    """The asking worker takes an open shift: a confirmed assignment through the manual assignment's
    path (assignments.give_shift: the same lock, rules and 409s — `W01` when it is full, the rules they
    would break, `shift_cancelled`, and `shift_begun` once it began; 404 for no such shift). Audited as
    made by the worker's login; the pool and the shift's employer are told (notifications.shift_taken), and the
    worker gets the usual notice of their schedule. Workers only (403)."""
    who.require("worker")
    assignment = give_shift(session, who, shift_id, who.worker_id, "taken by the worker", coming_only=True)
    assignment.taken_by_worker = True       # their own choice, not a call they may refuse (decline_refusal)
    shift_taken(session, assignment)
    return assignment


def my_refusals(session: Session, who: Principal, shift_id: int, lang: str = "en") -> list[tuple[str, str]]:
    """(rule, message) of every rule the asking worker would break by taking the shift, as assign
    judges, in `lang` (a refused claim said on a page). Workers only; 404 for no such shift."""
    who.require("worker")
    shift, worker = session.get(Shift, shift_id), session.get(Worker, who.worker_id)
    if shift is None or worker is None:
        raise NotFound(f"shift {shift_id} does not exist")
    return _refusals(session, worker, shift, lang)


def next_open_day(session: Session, who: Principal, after: date) -> date | None:
    """The Amsterdam day of the first shift from `after` on that the asking worker may take, judged
    as the list judges (where a page with none can point to), looked for up to MAX_DAYS days ahead
    a fortnight at a time, from the first day with a shift that is not cancelled and not full; None
    when there is none, and none after the day the worker leaves the pool."""
    who.require("worker")
    worker = session.get(Worker, who.worker_id)
    last = after + timedelta(days=MAX_DAYS - 1)
    day = _first_not_full_day(session, worker, after)
    while day is not None and day <= last:
        until = min(day + timedelta(days=NEXT_DAY_STEP - 1), last)
        if listed := open_shifts(session, who, day, until):
            return listed[0].shift.start.astimezone(AMS).date()
        day = _first_not_full_day(session, worker, until + timedelta(days=1))
    return None


def _first_not_full_day(session: Session, worker: Worker, after: date) -> date | None:
    """The Amsterdam day of the first coming shift from `after` on that is not cancelled and not full
    (not judged for the worker), before the worker leaves the pool; None if there is none."""
    lo, _hi = day_bounds(after, None)
    confirmed = _confirmed()
    query = select(Shift.start).where(Shift.start >= lo, Shift.start > utcnow(), Shift.cancelled_at.is_(None),
                                      confirmed < Shift.headcount)
    if (gone := pool_end(worker.left_on)) is not None:
        query = query.where(Shift.start < gone)
    start = session.scalar(query.order_by(Shift.start).limit(1))
    return None if start is None else start.astimezone(AMS).date()
