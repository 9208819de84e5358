"""The offer of fixed hours to on-call workers (art. 7:628a lid 5 BW, WAB 2020; nl-facts §3).

An employer whose on-call or min-max worker has been employed for 12 months must, within a month,
offer fixed hours equal to the average of those 12 months; without an offer the worker can claim
pay for those hours. The 12-month average counts worked, cancelled, sick and leave hours.

What is computed here, per on-call and min-max contract in force that has run 12 months or more
(the employer's, or the pool's for hours at employers without one, as pay reads contracts):
- the period: the 12 months before the contract's latest anniversary (the first day after 12·n months,
  counted as the civil code counts months: contracts.chain.after_months);
- the hours: approved timesheets under the contract in that period — worked hours and the hours
  of calls cancelled late (paid as planned); sick and leave hours are not known here (absences
  carry no hours), so the pool adds them;
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
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

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


@dataclass
class Offer:
    contract: Contract
    worker: Worker
    employer: Employer | None        # None: the pool's own contract
    period_start: date               # inclusive
    period_end: date                 # the anniversary, exclusive
    hours: Decimal                   # approved hours under the contract in the period
    average: Decimal                 # per week, 2 decimals
    due_by: date
    status: str                      # due, overdue, too_low (offered less than the average), offered

    @property
    def period_last(self) -> date:
        """The last day of the 12 months (the day before the anniversary)."""
        return self.period_end - DAY

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
        .options(selectinload(Contract.worker).selectinload(Worker.contracts), selectinload(Contract.employer))
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
        average = (hours[contract.id] / weeks).quantize(CENT, ROUND_HALF_UP)
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
                 ) -> dict[int, Decimal]:
    """Per contract: the approved hours of its worker in its period [first, end) (Amsterdam days)
    that pay reads under it (registry.contract_on). One query for all of them."""
    total = {c.id: Decimal(0) for c in contracts}
    if not contracts:
        return total
    lo = local_datetime(min(first for first, _ in periods.values()), time(0))
    hi = local_datetime(max(end for _, end in periods.values()), time(0))
    by_worker: dict[int, list[Contract]] = {}
    for c in contracts:
        by_worker.setdefault(c.worker_id, []).append(c)
    rows = session.execute(
        select(Timesheet, Shift.employer_id, Assignment.worker_id)
        .join(Assignment, Timesheet.assignment_id == Assignment.id).join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.worker_id.in_(list(by_worker)), Timesheet.status == "approved",
               Timesheet.start >= lo, Timesheet.start < hi)).all()
    for sheet, employer_id, worker_id in rows:
        day = sheet.start.astimezone(AMS).date()
        mine = by_worker[worker_id]
        governing = contract_on(mine[0].worker.contracts, employer_id, day)
        for c in mine:
            first, end = periods[c.id]
            if governing is not None and governing.id == c.id and first <= day < end:
                total[c.id] += worked_hours(sheet)
    return total


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
