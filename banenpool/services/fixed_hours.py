"""The offer of fixed hours to on-call workers (art. 7:628a lid 5 BW, WAB 2020; nl-facts §3).

An employer whose on-call or min-max worker has been employed for 12 months must, within a month,
offer fixed hours equal to the average of those 12 months; without an offer the worker can claim
pay for those hours. The 12-month average counts worked, cancelled, sick and leave hours.

What is computed here, per on-call and min-max contract in force that has run 12 months or more
(the employer's, or the pool's for hours at employers without one, as pay reads contracts):
- the period: the 12 months before the contract's latest anniversary (the first day after 12·n months,
  counted as the civil code counts months: contracts.chain.after_months);
- the hours under the contract in that period, each counted once, split as the offer shows them:
  worked (approved timesheets), cancelled (calls cancelled late and paid as planned: approved
  timesheets of kind `cancelled_call`), sick and leave (see `_absent_calls`: the calls the worker
  had and lost while registered sick or on leave — released for the absence, POST
  /workers/{id}/absences/release — at the hours they were called for);
- the average per week: those hours divided by the period's weeks (its days / 7);
- whether an offer is due: the average is above the hours the contract guarantees (0 for on-call,
  the minimum for min-max); due within the month after the 12 months, overdue after that, `offered`
  once the pool recorded an offer of at least the average made at most a month before the
  anniversary or later, `too_low` when the offer recorded is below the average. A contract that
  ended stays listed for a year after its end, judged on its last day.
The duty is read as coming back every 12 months while the worker stays on call (the law says
"after 12 months"; an offer declined does not end it for good). Successive contracts are not
joined (the law joins those with interruptions of at most 6 months, also with another employer who
succeeds the first): each contract counts from its own start. The hours are worked hours; the
3-hour minimum paid for a short call is not added.

Sick and leave hours: nothing on an assignment says why it was cancelled, so a call counts as sick
(or leave) the way the rest of Banenpool tells that a call ended because the worker could not come
(timesheets.owed_if_cancelled, assignments.absent_calls): it overlaps a registered absence of the
worker. Counted are the worker's cancelled calls that
- overlap an absence of reason `sick` (then sick) or else `leave` (then leave); an absence of reason
  `other` is no sick or leave hours (no source counts it), so a call released for one counts nowhere;
- were not refused by the worker (a late call declined is no hours) and whose shift went ahead (a
  shift called off is worked by no one; called off late and paid, its hours are the cancelled ones);
- have no hours of their own (a call cancelled late and paid, and hours registered, count as those,
  never again as sick or leave) and were not given back to the worker (then the shift's hours count
  as what they became); a shift released twice counts once;
at the times the worker was called for, less the shift's break, under the contract pay reads for
that employer and day. An absence removed later takes its hours out of the average again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from banenpool.calendar_nl import AMS, local_datetime
from banenpool.errors import Conflict, InvalidInput, NotFound
from banenpool.models import Assignment, Contract, Employer, Shift, Timesheet, Worker
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.registry import contract_on, with_chains
from banenpool.services.timesheets import CALL_CONTRACTS, worked_hours
from contracts.chain import DAY, after_months, months_later

CENT = Decimal("0.01")
MAX_OFFER = Decimal(60)     # hours per week: the Working Hours Act's weekly maximum
ABSENT = ("sick", "leave")  # the absences whose calls count in the average, the first one found wins


@dataclass
class Hours:
    """The hours under a contract in its 12 months, by what they were."""
    worked: Decimal = Decimal(0)
    cancelled: Decimal = Decimal(0)      # calls cancelled late, paid as planned
    sick: Decimal = Decimal(0)
    leave: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.worked + self.cancelled + self.sick + self.leave


@dataclass
class Offer:
    contract: Contract
    worker: Worker
    employer: Employer | None        # None: the pool's own contract
    period_start: date               # inclusive
    period_end: date                 # the anniversary, exclusive
    split: Hours                     # the hours under the contract in the period
    average: Decimal                 # per week, 2 decimals
    due_by: date
    status: str                      # due, overdue, too_low (offered less than the average), offered

    @property
    def period_last(self) -> date:
        """The last day of the 12 months (the day before the anniversary)."""
        return self.period_end - DAY

    @property
    def hours(self) -> Decimal:
        return self.split.total

    @property
    def guaranteed(self) -> Decimal:
        return Decimal(0) if self.contract.kind == "on_call" else self.contract.hours_per_week


def latest_anniversary(start: date, on: date) -> tuple[date, date] | None:
    """(period start, anniversary) of the last full 12 months of a contract from `start` that ended by
    `on`: the anniversary is the first day after 12·n months (contracts.chain.after_months: a contract
    from 29 February 2024 completes 12 months on 28 February 2025, its anniversary is 1 March), the
    period the 12 months before it. None before the first."""
    years = on.year - start.year + 1
    while years >= 1:
        anniversary = after_months(start, 12 * years)
        if anniversary <= on:
            return (start if years == 1 else after_months(start, 12 * (years - 1))), anniversary
        years -= 1
    return None


def fixed_hours_offers(session: Session, who: Principal, on: date) -> list[Offer]:
    """The on-call and min-max contracts whose worker is owed an offer of fixed hours (see the module),
    as of `on` (an Amsterdam day): those due, overdue or offered too little first, by due date, then
    those offered. A contract that ended stays listed for a year after it ended, as of its last day
    (a claim for an offer not made outlives the contract)."""
    who.require("intermediary")
    contracts = session.scalars(
        select(Contract).where(Contract.kind.in_(CALL_CONTRACTS), Contract.start_date <= on - timedelta(days=365),
                               (Contract.end_date.is_(None)) | (Contract.end_date >= months_later(on, -12)))
        .options(selectinload(Contract.worker).selectinload(Worker.contracts),
                 selectinload(Contract.worker).selectinload(Worker.absences), selectinload(Contract.employer))
        .order_by(Contract.worker_id, Contract.id)).all()
    periods = {}
    for contract in contracts:
        last_day = on if contract.end_date is None else min(on, contract.end_date + DAY)
        period = latest_anniversary(contract.start_date, last_day)
        if period is not None:
            periods[contract.id] = period
    contracts = [c for c in contracts if c.id in periods]
    hours = _hours_under(session, contracts, periods)
    offers = []
    for contract in contracts:
        period_start, anniversary = periods[contract.id]
        weeks = Decimal((anniversary - period_start).days) / 7
        average = (hours[contract.id].total / weeks).quantize(CENT, ROUND_HALF_UP)
        guaranteed = Decimal(0) if contract.kind == "on_call" else contract.hours_per_week
        if average <= guaranteed:
            continue
        due_by = after_months(anniversary, 1) - DAY       # within the month after the 12 months
        made = contract.fixed_hours_offered_on is not None and \
            contract.fixed_hours_offered_on >= months_later(anniversary, -1)
        if made and contract.fixed_hours_offered >= average:
            status = "offered"
        elif made:
            status = "too_low"            # at least the average is owed
        else:
            status = "overdue" if on > due_by else "due"
        offers.append(Offer(contract, contract.worker, contract.employer, period_start, anniversary,
                            hours[contract.id], average, due_by, status))
    offers.sort(key=lambda o: (o.status == "offered", o.due_by, o.worker.name, o.contract.id))
    return offers


def _hours_under(session: Session, contracts: list[Contract], periods: dict[int, tuple[date, date]]
                 ) -> dict[int, Hours]:
    """Per contract: the hours of its worker in its period [first, end) (Amsterdam days) that pay
    reads under it (registry.contract_on), by what they were (see the module)."""
    total = {c.id: Hours() for c in contracts}
    if not contracts:
        return total
    lo = local_datetime(min(first for first, _ in periods.values()), time(0))
    hi = local_datetime(max(end for _, end in periods.values()), time(0))
    workers = {c.worker_id: c.worker for c in contracts}

    def add(worker_id: int, employer_id: int, start, kind: str, hours: Decimal) -> None:
        day = start.astimezone(AMS).date()
        governing = contract_on(workers[worker_id].contracts, employer_id, day)
        if governing is None or governing.id not in total:
            return
        first, end = periods[governing.id]
        if first <= day < end:
            split = total[governing.id]
            setattr(split, kind, getattr(split, kind) + hours)

    rows = session.execute(
        select(Timesheet, Shift.employer_id, Assignment.worker_id)
        .join(Assignment, Timesheet.assignment_id == Assignment.id).join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.worker_id.in_(list(workers)), Timesheet.status == "approved",
               Timesheet.start >= lo, Timesheet.start < hi)).all()
    for sheet, employer_id, worker_id in rows:
        kind = "worked" if sheet.kind == "worked" else "cancelled"
        add(worker_id, employer_id, sheet.start, kind, worked_hours(sheet))
    for call, kind in _absent_calls(session, workers, lo, hi):
        add(call.worker_id, call.shift.employer_id, call.start, kind,
            worked_hours(Timesheet(start=call.start, end=call.end, break_minutes=call.shift.break_minutes)))
    return total


def _absent_calls(session: Session, workers: dict[int, Worker], lo, hi) -> list[tuple[Assignment, str]]:
    """The calls of these workers starting in [lo, hi) they lost while registered sick or on leave,
    each with "sick" or "leave" (the rules are in the module): cancelled, not refused, on a shift that
    went ahead, without hours of their own or given back; one per worker and shift."""
    same = aliased(Assignment)
    kept = exists().where(same.shift_id == Assignment.shift_id, same.worker_id == Assignment.worker_id,
                          (same.status == "confirmed") | same.id.in_(select(Timesheet.assignment_id)))
    call_start = func.coalesce(Assignment.called_start, Shift.start)
    calls = session.scalars(
        select(Assignment).join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.worker_id.in_(list(workers)), Assignment.status == "cancelled",
               Assignment.declined_at.is_(None), Shift.cancelled_at.is_(None), call_start >= lo, call_start < hi,
               ~kept)
        .order_by(Assignment.id)).all()
    out, seen = [], set()
    for call in calls:
        overlapping = {a.reason for a in workers[call.worker_id].absences if a.start < call.end and a.end > call.start}
        kind = next((k for k in ABSENT if k in overlapping), None)
        if kind is not None and (call.worker_id, call.shift_id) not in seen:
            seen.add((call.worker_id, call.shift_id))
            out.append((call, kind))
    return out


def record_offer(session: Session, who: Principal, worker_id: int, contract_id: int, hours: Decimal,
                 offered_on: date, today: date) -> Contract:
    """The pool records that the worker was offered `hours` fixed hours per week on `offered_on`.
    Refused (409 `not_on_call`) for a contract with fixed hours."""
    who.require("intermediary")
    contract = session.get(Contract, contract_id)
    if contract is None or contract.worker_id != worker_id:
        raise NotFound(f"contract {contract_id} of worker {worker_id} does not exist")
    errors = {}
    if not hours.is_finite():
        errors["hours"] = ["must be a number of hours"]
    elif not Decimal(0) < hours <= MAX_OFFER:
        errors["hours"] = [f"must be more than 0 and at most {MAX_OFFER}"]
    elif hours != hours.quantize(CENT):
        errors["hours"] = ["at most 2 decimals"]
    if offered_on > today:
        errors["offered_on"] = ["must not be in the future"]
    elif offered_on < contract.start_date:
        errors["offered_on"] = ["must not be before the contract starts"]
    if errors:
        raise InvalidInput(errors)
    if contract.kind not in CALL_CONTRACTS:
        raise Conflict(f"contract {contract_id} has fixed hours; an offer of fixed hours is for on-call and "
                       "min-max contracts", ["not_on_call"])
    before = (contract.fixed_hours_offered_on, contract.fixed_hours_offered)
    contract.fixed_hours_offered_on, contract.fixed_hours_offered = offered_on, hours
    session.flush()
    audit.record(session, who, "update", "contract", contract.id,
                 {"fixed_hours_offered_on": [before[0], offered_on], "fixed_hours_offered": [before[1], hours]})
    with_chains(contract.worker)
    return contract
