"""Top-ups of guaranteed hours for the payroll statement (contracts/guarantee.py has the rule).

Per contract of kind fixed or min-max with hours per week above 0, per ISO week in force in the
statement's period: the hours paid under that contract that week (`paid`, filled by the caller from
approved timesheets whose pay is final: the pay lines' base and minimum-call hours; a timesheet counts under the
contract `contract_on` finds for its employer and day, so a pool contract — employer null — counts
the pool hours no contract with that employer covers) against the guaranteed hours. The shortfall
is paid at the contract's wage: its own CAO version and scale on the week's first day in force (the
agreed hourly wage where it is above the scale's, never below the WML), plus that CAO's holiday
allowance; it is allocated to the contract's employer, or to the intermediary for a pool contract.

One contract per employer and day: two contracts with one party over the same days are refused
(registry: 409 `contract_overlap`), but ones stored before that may still overlap. The hours worked
at that employer on a day are paid under the one `contract_on` reads (the first stored), so they
count once, toward that one, and so does the guarantee: the other contract guarantees only its days
the first does not cover (prorated as a week a contract starts in) and the week is listed with
`contract_overlap`, naming the contract in force, so the pool ends the one that should not run.
Adding up both guarantees would pay twice the hours where one contract replaced the other without
the first being ended — the usual way such an overlap came about — and pay prices the day's hours
under one contract only.

Absences do not change the guarantee and are not counted as paid hours: a week of sickness is topped
up like any other (sick pay continues; how much of it is due is payroll software's), and leave is
paid from leave hours. Absences with reason "other" are not taken as unpaid either: nl-facts names
no ground that makes a guarantee lapse, and the reason does not say whether the time off was paid,
agreed or a refusal to work; the pool corrects such a week in payroll software.

A week's top-up is left out (listed with `code`) while it is not final: the week (as far as the
contract is in force) is not over yet (`week_not_over`), or a confirmed assignment under the
contract that week has no approved hours yet and could still get them (`waiting`, `waiting_on`
names them), or the contract's CAO has no version in force on the day (`cao_not_in_force`).
A shift the worker did not come to is not cancelled afterwards as a rule, so it must not hold the
week back for ever: a confirmed assignment without any registered hours counts as not worked (no
hours toward the guarantee) once the worker is registered absent over part of it, or once it ended
timesheets.NOT_WORKED_AFTER (7 days) ago (timesheets.not_worked, the rule the pay counters use
too) — hours are registered once they are worked, so by then they would be. The top-up line names
these (`not_worked`), so the pool sees which shifts it paid the guarantee over without hours; the guarantee is not lowered for them (nl-facts names no rule that
lets a shift the worker missed lower it: the pool decides that in payroll software). Registered
hours not approved yet keep waiting: they were worked.
Hours registered and approved for such a shift later still count: the week then tops up less
when a statement is made of it again.
A week cut by the period is split as contracts/guarantee.py says, in hours and in euros.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from banenpool.calendar_nl import AMS, local_datetime
from banenpool.db import utcnow
from banenpool.errors import NotFound
from banenpool.models import Assignment, Contract, Shift, Timesheet, Worker
from banenpool.services.billing import seller_party
from banenpool.services.caos import get_cao
from banenpool.services.registry import contract_on
from banenpool.services.shifts import day_bounds
from banenpool.services.timesheets import agreed_wage, contract_scale
from banenpool.services.timesheets import not_worked as taken_as_not_worked
from contracts.guarantee import (GUARANTEE_KINDS, TOP_UP_TEXT, days_in_force, guaranteed_hours, guarantees,
                                 top_up_amount, top_up_hours, week_start)
from contracts.pay import holiday_allowance_percent, hourly_rate


def guarantee_of(worker: Worker, employer_id: int, day: date) -> Contract | None:
    """The contract whose guarantee hours worked at this employer on this day count toward, if any."""
    contract = contract_on(worker.contracts, employer_id, day)
    return contract if contract is not None and guarantees(contract.kind, contract.hours_per_week) else None


def top_ups(session: Session, start: date, end: date, paid: dict[tuple[int, date], Decimal],
            now: datetime | None = None) -> tuple[list[dict], list[dict]]:
    """(top-up lines, weeks left out) for the period start..end. `paid`: hours paid per
    (contract id, Monday of the week) over every week the period touches, whole weeks."""
    now = now or utcnow()
    contracts = list(session.scalars(
        select(Contract).where(Contract.kind.in_(GUARANTEE_KINDS), Contract.hours_per_week > 0,
                               Contract.start_date <= end, or_(Contract.end_date.is_(None), Contract.end_date >= start))
        .options(selectinload(Contract.worker).selectinload(Worker.contracts),
                 selectinload(Contract.worker).selectinload(Worker.absences), selectinload(Contract.employer))
        .order_by(Contract.worker_id, Contract.id)))
    pending, not_worked = _without_hours(session, {c.worker for c in contracts}, start, end, now)
    lines, left_out = [], []
    for contract in contracts:
        for monday in _mondays(contract, start, end):
            which = _which(contract, monday)
            in_force = days_in_force(monday, contract.start_date, contract.end_date)
            # the days another contract with the same party governs (stored before overlaps were refused)
            days = [d for d in in_force if contract_on(contract.worker.contracts, contract.employer_id, d) is contract]
            taken = [d for d in in_force if d not in days and start <= d <= end]
            if taken:
                other = contract_on(contract.worker.contracts, contract.employer_id, taken[0])
                left_out.append({**which, "code": "contract_overlap", "waiting_on": [],
                                 "reason": f"contract {other.id} with the same employer is in force on "
                                           f"{taken[0].isoformat()} to {taken[-1].isoformat()} as well; the hours "
                                           "then count toward that one, so this one guarantees nothing those days"})
            inside = [d for d in days if start <= d <= end]
            if not inside:
                continue
            worked = paid.get((contract.id, monday), Decimal(0))
            split = (contract.hours_per_week, worked, len(days), len(inside), sum(1 for d in days if d < start))
            if not top_up_hours(*split):
                continue
            if local_datetime(days[-1] + timedelta(days=1), time(0)) > now:
                left_out.append({**which, "code": "week_not_over", "waiting_on": [],
                                 "reason": f"the week is not over yet (its last day is {days[-1].isoformat()})"})
            elif pending.get((contract.id, monday)):
                ids = sorted(pending[(contract.id, monday)])
                left_out.append({**which, "code": "waiting", "waiting_on": ids,
                                 "reason": f"assignments {', '.join(map(str, ids))} have no approved hours yet"})
            else:
                try:
                    lines.append({**_line(contract, which, days, split),
                                  "not_worked": sorted(not_worked.get((contract.id, monday), []))})
                except NotFound as exc:
                    left_out.append({**which, "code": "cao_not_in_force", "waiting_on": [], "reason": str(exc)})
    return lines, left_out


def _mondays(contract: Contract, start: date, end: date):
    """The Mondays of the weeks of the period start..end the contract is in force in."""
    monday = week_start(max(start, contract.start_date))
    while monday <= end and (contract.end_date is None or monday <= contract.end_date):
        yield monday
        monday += timedelta(days=7)


def _which(contract: Contract, monday: date) -> dict:
    return {"worker_id": contract.worker_id, "worker_name": contract.worker.name, "contract_id": contract.id,
            "employer_id": contract.employer_id, "employer_name": _employer_name(contract), "week_start": monday}


def _employer_name(contract: Contract) -> str:
    return contract.employer.name if contract.employer is not None else seller_party()["name"]


def _line(contract: Contract, which: dict, days: list[date], split: tuple) -> dict:
    """The top-up line at the contract's wage on the week's first day in force; `split`: the
    arguments of top_up_hours for the week's days in force and the period's part of them."""
    day = days[0]
    cao = get_cao(contract.cao_code, day)
    scale = contract_scale(cao, contract)
    rate = hourly_rate(agreed_wage(cao, scale, contract) or cao.scale_wage(scale), contract.worker.birth_date, day)
    year, week, _ = day.isocalendar()
    return {**which, "kind": "guarantee_top_up", "contract_kind": contract.kind, "cao_code": cao.code, "scale": scale,
            "description": f"{TOP_UP_TEXT} week {week} {year}",
            "guaranteed_hours": guaranteed_hours(contract.hours_per_week, len(days)), "paid_hours": split[1],
            "days_in_force": len(days), "days_in_period": split[3], "hours": top_up_hours(*split), "rate": rate,
            "amount": top_up_amount(*split, rate), "holiday_allowance_percent": holiday_allowance_percent(cao)}


def _without_hours(session: Session, workers: set[Worker], start: date, end: date, now: datetime
                   ) -> tuple[dict[tuple[int, date], list[int]], dict[tuple[int, date], list[int]]]:
    """The confirmed assignments without approved hours in the weeks the period touches, per
    (guaranteeing contract id, Monday): (those whose hours could still count toward the guarantee,
    those taken as not worked). Not worked: no hours were registered for it, and the worker is
    registered absent over part of it, or it ended NOT_WORKED_AFTER ago or longer."""
    if not workers:
        return {}, {}
    lo, hi = day_bounds(week_start(start), week_start(end) + timedelta(days=6))
    rows = session.execute(
        select(Assignment.id, Assignment.worker_id, Shift.employer_id, Shift.start, Shift.end, Timesheet.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .outerjoin(Timesheet, Timesheet.assignment_id == Assignment.id)
        .where(Assignment.worker_id.in_([w.id for w in workers]), Assignment.status == "confirmed",
               Shift.start >= lo, Shift.start < hi, or_(Timesheet.id.is_(None), Timesheet.status != "approved")))
    by_id = {w.id: w for w in workers}
    pending: dict[tuple[int, date], list[int]] = defaultdict(list)
    not_worked: dict[tuple[int, date], list[int]] = defaultdict(list)
    for assignment_id, worker_id, employer_id, shift_start, shift_end, sheet_id in rows:
        worker, day = by_id[worker_id], shift_start.astimezone(AMS).date()
        contract = guarantee_of(worker, employer_id, day)
        if contract is None:
            continue
        known = sheet_id is None and taken_as_not_worked(shift_start, shift_end, worker.absences, now)
        (not_worked if known else pending)[(contract.id, week_start(day))].append(assignment_id)
    return pending, not_worked
