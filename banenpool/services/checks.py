"""Compliance of a worker's combined schedule across all employers, and what a move to another CAO changes."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS
from banenpool.errors import InvalidInput, NotFound
from banenpool.models import Assignment, Employer, Shift, Timesheet
from banenpool.principal import Principal
from banenpool.services.caos import get_cao
from banenpool.services.registry import contract_on, get_worker
from banenpool.services.shifts import check_day_range, within_days
from contracts.compliance import PAY_RULES, WORKING_TIME_RULES, WorkItem, check_schedule
from contracts.pay import fixed_times_of


COMPLIANCE_CONTEXT = timedelta(weeks=52, days=1)   # the longest window a compliance rule looks at (free Sundays)


def work_items(session: Session, worker, start: date | None, end: date | None) -> list[WorkItem]:
    """The worker's confirmed shifts that start on the Amsterdam days start … end, each at the hours
    registered for it (submitted or approved: what was worked) where there are any, else as planned."""
    query = (select(Assignment, Shift, Employer, Timesheet).join(Shift, Assignment.shift_id == Shift.id)
             .join(Employer, Shift.employer_id == Employer.id)
             .outerjoin(Timesheet, and_(Timesheet.assignment_id == Assignment.id, Timesheet.kind == "worked"))
             .where(Assignment.worker_id == worker.id, Assignment.status == "confirmed")
             .order_by(Shift.start))
    query = within_days(query, Shift.start, start, end)
    return [work_item(f"A{assignment.id}", *((sheet.start, sheet.end, sheet.break_minutes) if sheet is not None
                                               else (shift.start, shift.end, shift.break_minutes)), employer, worker)
            for assignment, shift, employer, sheet in session.execute(query)]


def work_item(ident: str, start, end, break_minutes: int, employer: Employer, worker=None) -> WorkItem:
    """One shift of `worker` at `employer` for the compliance check, with the worker's contract there
    on the shift's Amsterdam day (no contract terms without a worker)."""
    day = start.astimezone(AMS).date()
    contract = worker and contract_on(worker.contracts, employer.id, day)
    return WorkItem(
        id=ident, employer_id=str(employer.id), employer_name=employer.name, cao_code=employer.cao_on(day),
        start=start, end=end, break_minutes=break_minutes,
        contract_kind=contract.kind if contract else None,
        contract_hours_per_week=contract.hours_per_week if contract else None,
        hourly_wage=contract.hourly_wage if contract else None,
        fixed_times=fixed_times_of(contract.base_pattern) if contract else ())


def check_worker_schedule(worker, items, lang: str = "en", **options):
    """contracts.compliance.check_schedule of `worker`'s combined schedule: their birth date, and their
    school holidays (at 15 the other weekdays are school days); `options`: its `rules` and `about`."""
    return check_schedule(worker.birth_date, items, lang=lang, school_holidays=worker.school_holiday_days(),
                          **options)


def worker_checks(session: Session, who: Principal, worker_id: int, start: date | None, end: date | None,
                  lang: str = "nl") -> dict:
    """The rules the worker's confirmed shifts that start in start … end (Amsterdam days; open ends
    for none) break. The shifts around them count as well, as far as a rule looks (COMPLIANCE_CONTEXT):
    the rest after last Sunday's night, the averages and counts over past weeks, a week that runs on
    past `end`; a violation is listed when a shift in the range takes part in it, a note when it speaks
    of one (or of the whole check).

    Each rule runs once: the working-time rules, which look across shifts, over the range and the
    shifts around it; the pay and CAO rules, which judge a shift, or a CAO's day by the day shifts
    start on, on their own, over the range's shifts only (so their notes are the range's)."""
    worker = get_worker(session, who, worker_id)  # 404 for anyone but the intermediary and the worker
    check_day_range(start, end)  # 422 on the query parameter `to`
    items = work_items(session, worker, start and start - COMPLIANCE_CONTEXT, end and end + COMPLIANCE_CONTEXT)
    inside = {item.id for item in items
              if (start is None or item.start.astimezone(AMS).date() >= start)
              and (end is None or item.start.astimezone(AMS).date() <= end)}
    violations, notes = check_worker_schedule(worker, items, lang=lang, rules=WORKING_TIME_RULES, about=inside)
    paid, cao_notes = check_worker_schedule(worker, [i for i in items if i.id in inside], lang=lang, rules=PAY_RULES)
    return {"violations": [{"rule": v.rule, "message": v.message,
                            "assignment_ids": [int(a.removeprefix("A")) for a in v.assignment_ids]}
                           for v in violations + paid if inside.intersection(v.assignment_ids)],
            "cao_notes": notes + cao_notes}     # of the range's shifts


def cao_move(session: Session, who: Principal, worker_id: int, employer_id: int, on: date,
             lang: str = "nl") -> dict:
    """What working for `employer_id` (under its CAO on `on`) changes compared with the worker's current contract."""
    worker = get_worker(session, who, worker_id)
    target = session.get(Employer, employer_id)  # an employer's CAO is public; its other data stays hidden
    if target is None:
        raise NotFound(f"employer {employer_id} not found")
    current = main_contract(worker, on)
    if current is None:
        raise InvalidInput({"worker_id": [f"the worker has no contract with an employer on {on.isoformat()} "
                                          "to compare from"]})
    return _move(worker, current, target.cao_on(on), on, lang)


def _move(worker, current, to_code: str, on: date, lang: str) -> dict:
    """What working under CAO `to_code` changes compared with the worker's contract `current`, on `on`."""
    from contracts.caodiff import compare_move
    from_cao, to_cao = get_cao(current.cao_code, on), get_cao(to_code, on)
    return {"from_cao": from_cao.code, "to_cao": to_cao.code,
            "changes": compare_move(worker.birth_date, from_cao, to_cao, current.scale, None, on, lang=lang)}


def main_contract(worker, on: date):
    """The worker's largest contract with an employer in force on `on` (their main job), or None."""
    live = [c for c in worker.contracts if c.employer_id is not None and c.start_date <= on
            and (c.end_date is None or on <= c.end_date)]
    return max(live, key=lambda c: (c.hours_per_week, -c.id), default=None)


def cao_moves_ahead(session: Session, who: Principal, worker_id: int, first: date, last: date,
                    lang: str = "nl") -> list[dict]:
    """For each employer the worker has confirmed shifts with from `first` to `last` under a CAO
    (the employer's on the shift's day) that is not the CAO of the worker's main contract (their
    largest with an employer): what working there changes, compared on `first`, as
    `{"employer_id", "employer_name", "from_cao", "to_cao", "changes"}`; an employer whose CAO
    changes within the range is listed for each. Empty when the worker has no contract with an
    employer to compare from."""
    worker = get_worker(session, who, worker_id)
    main = main_contract(worker, first)
    if main is None:
        return []
    query = (select(Employer, Shift.start).join(Shift, Shift.employer_id == Employer.id)
             .join(Assignment, Assignment.shift_id == Shift.id)
             .where(Assignment.worker_id == worker.id, Assignment.status == "confirmed")
             .order_by(Employer.name, Employer.id, Shift.start))
    targets: dict[tuple[int, str], Employer] = {}
    for employer, start in session.execute(within_days(query, Shift.start, first, last)):
        code = employer.cao_on(start.astimezone(AMS).date())
        if code != main.cao_code:
            targets.setdefault((employer.id, code), employer)
    out = []
    for (_, code), employer in targets.items():
        try:
            move = _move(worker, main, code, first, lang)
        except NotFound:      # a CAO with no version in force that day
            continue
        out.append({"employer_id": employer.id, "employer_name": employer.name, **move})
    return out
