"""Top-ups of guaranteed hours for the payroll statement (contracts/guarantee.py has the rule).

Per contract of kind fixed or min-max with hours per week above 0, per ISO week in force in the
statement's period: the hours paid under that contract that week (`paid`, filled by the caller from
approved timesheets: the pay lines' base and minimum-call hours; a timesheet counts under the
contract `contract_on` finds for its employer and day, so a pool contract — employer null — counts
the pool hours no contract with that employer covers) against the guaranteed hours. The shortfall
is paid at the contract's wage: its own CAO version and scale on the week's first day in force (the
agreed hourly wage where it is above the scale's, never below the WML), plus that CAO's holiday
allowance; it is allocated to the contract's employer, or to the intermediary for a pool contract.

Absences are not counted as paid hours (the data does not say which are paid, and sick pay is
payroll software's): a week of leave or sickness is topped up to the guarantee like any other.

A week's top-up is left out (listed with `code`) while it is not final: the week (as far as the
contract is in force) is not over yet (`week_not_over`), or a confirmed assignment under the
contract that week has no approved hours yet (`waiting`, `waiting_on` names them), or the
contract's CAO has no version in force on the day (`cao_not_in_force`).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

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
from contracts.guarantee import (GUARANTEE_KINDS, TOP_UP_TEXT, days_in_force, guaranteed_hours, guarantees,
                                 top_up_hours, week_start)
from contracts.pay import holiday_allowance_percent, hourly_rate

CENT = Decimal("0.01")


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
        .options(selectinload(Contract.worker).selectinload(Worker.contracts), selectinload(Contract.employer))
        .order_by(Contract.worker_id, Contract.id)))
    pending = _unapproved(session, {c.worker for c in contracts}, start, end)
    lines, left_out = [], []
    for contract in contracts:
        monday = week_start(max(start, contract.start_date))
        while monday <= end and (contract.end_date is None or monday <= contract.end_date):
            days = days_in_force(monday, contract.start_date, contract.end_date)
            inside = [d for d in days if start <= d <= end]
            worked = paid.get((contract.id, monday), Decimal(0))
            before = sum(1 for d in days if d < start)
            hours = top_up_hours(contract.hours_per_week, worked, len(days), len(inside), before) if inside else 0
            if hours:
                which = _which(contract, monday)
                if local_datetime(days[-1] + timedelta(days=1), time(0)) > now:
                    left_out.append({**which, "code": "week_not_over", "waiting_on": [],
                                     "reason": f"the week is not over yet (its last day is {days[-1].isoformat()})"})
                elif pending.get((contract.id, monday)):
                    ids = sorted(pending[(contract.id, monday)])
                    left_out.append({**which, "code": "waiting", "waiting_on": ids,
                                     "reason": f"assignments {', '.join(map(str, ids))} have no approved hours yet"})
                else:
                    try:
                        lines.append(_line(contract, which, days, len(inside), worked, hours))
                    except NotFound as exc:
                        left_out.append({**which, "code": "cao_not_in_force", "waiting_on": [], "reason": str(exc)})
            monday += timedelta(days=7)
    return lines, left_out


def _which(contract: Contract, monday: date) -> dict:
    return {"worker_id": contract.worker_id, "worker_name": contract.worker.name, "contract_id": contract.id,
            "employer_id": contract.employer_id, "employer_name": _employer_name(contract), "week_start": monday}


def _employer_name(contract: Contract) -> str:
    return contract.employer.name if contract.employer is not None else seller_party()["name"]


def _line(contract: Contract, which: dict, days: list[date], days_in_period: int, worked: Decimal,
          hours: Decimal) -> dict:
    """The top-up line: `hours` at the contract's wage on the week's first day in force."""
    day = days[0]
    cao = get_cao(contract.cao_code, day)
    scale = contract_scale(cao, contract)
    rate = hourly_rate(agreed_wage(cao, scale, contract) or cao.scale_wage(scale), contract.worker.birth_date, day)
    year, week, _ = day.isocalendar()
    return {**which, "kind": "guarantee_top_up", "contract_kind": contract.kind, "cao_code": cao.code, "scale": scale,
            "description": f"{TOP_UP_TEXT} week {week} {year}",
            "guaranteed_hours": guaranteed_hours(contract.hours_per_week, len(days)), "paid_hours": worked,
            "days_in_force": len(days), "days_in_period": days_in_period, "hours": hours, "rate": rate,
            "amount": (hours * rate).quantize(CENT, ROUND_HALF_UP),
            "holiday_allowance_percent": holiday_allowance_percent(cao)}


def _unapproved(session: Session, workers: set[Worker], start: date, end: date) -> dict[tuple[int, date], list[int]]:
    """Confirmed assignments without approved hours in the weeks the period touches, per (guaranteeing
    contract id, Monday): their hours could still count toward the guarantee."""
    if not workers:
        return {}
    lo, hi = day_bounds(week_start(start), week_start(end) + timedelta(days=6))
    rows = session.execute(
        select(Assignment.id, Assignment.worker_id, Shift.employer_id, Shift.start)
        .join(Shift, Assignment.shift_id == Shift.id)
        .outerjoin(Timesheet, Timesheet.assignment_id == Assignment.id)
        .where(Assignment.worker_id.in_([w.id for w in workers]), Assignment.status == "confirmed",
               Shift.start >= lo, Shift.start < hi, or_(Timesheet.id.is_(None), Timesheet.status != "approved")))
    by_id = {w.id: w for w in workers}
    out: dict[tuple[int, date], list[int]] = defaultdict(list)
    for assignment_id, worker_id, employer_id, shift_start in rows:
        day = shift_start.astimezone(AMS).date()
        contract = guarantee_of(by_id[worker_id], employer_id, day)
        if contract is not None:
            out[(contract.id, week_start(day))].append(assignment_id)
    return out
