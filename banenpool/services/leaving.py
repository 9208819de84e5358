"""A worker leaves the pool ("uit dienst"): `Worker.left_on` is the last day they belong to it.

From the day after, the planner leaves them out (instance_builder: a plan's period includes only
workers who belong on one of its days; one who leaves within it is barred from the shifts that
start after their last day, and their availability ends when a shift begun on that day ends at
the latest, `available_until`: a night shift of their last day is theirs to keep or take), a
manual assignment of a shift that starts later refuses them (409 `worker_left`), and a shift's
candidate list shows them as not eligible for that reason. Their login, past
shifts, hours and calendar stay: they may still register the hours of their last days.

Setting the day (registry.update_worker, `left_on`) is refused when the worker already has work
after it, which the pool settles first:
- 422 on `left_on` before the start of the worker's first contract (they never began: a typing
  error, or contracts entered by mistake, which are removed instead);
- 409 `hours_after_leaving`: hours approved on a later day were worked and paid; the last day
  is that day at the earliest;
- 409 `assignments_after_leaving`: confirmed shifts starting on a later day (their ids in
  `assignment_ids`); the pool cancels them or gives them to someone else first;
- 409 `contracts_after_leaving`: a contract that starts after the day; the pool removes it
  (entered by mistake) first.
Contracts still running past the day are ended on it in the same transaction (each audited as
a contract change, their ids in the response's `ended_contracts`), as an intermediary's system
does when someone goes "uit dienst": the contract ends with the employment. Undoing (null) or a
later day does not reopen them, as nothing records what they would have run to: the pool sets
their last day again on the worker's page or with PATCH .../contracts/{id}.

While the day is set, no contract of the worker runs past it (`require_contract_in_pool`): a new
contract starting after it, or one without an end or ending after it (added, or an end moved), is
refused with 422 naming `start_date` or `end_date` — such a contract would pay guaranteed hours
for weeks the worker is no longer in the pool. The pool sets a later last day (or none) first.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS, local_datetime
from banenpool.errors import Conflict, InvalidInput
from banenpool.models import Assignment, Contract, Shift, Worker
from banenpool.principal import Principal
from banenpool.services import audit


def in_pool(worker: Worker, day: date) -> bool:
    """Whether the worker belongs to the pool on `day` (an Amsterdam day)."""
    return worker.left_on is None or day <= worker.left_on


def in_pool_on(day: date):
    """in_pool as a query condition on Worker."""
    return or_(Worker.left_on.is_(None), Worker.left_on >= day)


def pool_end(left_on: date | None) -> datetime | None:
    """The moment a worker who leaves on `left_on` no longer belongs: midnight after it (Amsterdam)."""
    return None if left_on is None else local_datetime(left_on + timedelta(days=1), time(0))


LONGEST_SHIFT = timedelta(hours=12)   # the Working Hours Act's longest shift (instance rule max_shift_hours)


def available_until(left_on: date | None) -> datetime | None:
    """The end of a worker's availability when they leave on `left_on`: a shift that starts on that
    day may run past midnight (a night shift), so it is the longest shift after pool_end; the shifts
    that start after midnight are theirs no more (shift_refusal; a plan bars them)."""
    return None if left_on is None else pool_end(left_on) + LONGEST_SHIFT


def shift_refusal(worker: Worker, shift: Shift) -> tuple[str, str] | None:
    """(rule, message) when the shift starts on a day after the worker left the pool, else None."""
    day = shift.start.astimezone(AMS).date()
    if in_pool(worker, day):
        return None
    return ("worker_left", f"worker_left: worker {worker.id} left the pool on {worker.left_on.isoformat()}; "
                           f"shift {shift.id} starts on {day.isoformat()}, after that day")


def require_contract_in_pool(worker: Worker, start_date: date, end_date: date | None) -> None:
    """422 when a contract from `start_date` through `end_date` (None: open-ended) would run past the
    worker's last day in the pool: it starts after that day, or ends after it or never."""
    if worker.left_on is None:
        return
    last = worker.left_on.isoformat()
    if start_date > worker.left_on:
        raise InvalidInput({"start_date": [f"must not be after the worker's last day in the pool ({last})"]})
    if end_date is None or end_date > worker.left_on:
        raise InvalidInput({"end_date": [f"the worker's last day in the pool is {last}: the contract ends on "
                                         "that day at the latest"]})


def set_left_on(session: Session, who: Principal, worker: Worker, left_on: date | None,
                approved: list[tuple[int, date]]) -> list[Contract]:
    """Set the worker's last day in the pool (None: they belong again) and end the contracts that run
    past it on that day; the contracts ended. `approved`: (employer id, day) of their approved hours
    (registry._approved_days). Refusals: see the module's docstring."""
    if left_on is not None:
        _require_nothing_after(session, worker, left_on, approved)
    worker.left_on = left_on
    if left_on is None:
        return []
    ended = [c for c in worker.contracts if c.start_date <= left_on and (c.end_date is None or c.end_date > left_on)]
    for contract in ended:
        before, contract.end_date = contract.end_date, left_on
        audit.record(session, who, "update", "contract", contract.id,
                     {"end_date": [before, left_on], "reason": "the worker left the pool"})
    session.flush()
    return ended


def _require_nothing_after(session: Session, worker: Worker, left_on: date,
                           approved: list[tuple[int, date]]) -> None:
    contracts = sorted(worker.contracts, key=lambda c: (c.start_date, c.id))
    if contracts and left_on < contracts[0].start_date:
        raise InvalidInput({"left_on": [f"must not be before the start of the worker's first contract "
                                        f"({contracts[0].start_date.isoformat()})"]})
    worked = sorted(day for _, day in approved if day > left_on)
    if worked:
        raise Conflict(f"hours approved on {worked[0].isoformat()}"
                       + (f" to {worked[-1].isoformat()}" if len(worked) > 1 else "")
                       + f" were worked after {left_on.isoformat()}: the worker's last day in the pool is "
                       f"{worked[-1].isoformat()} at the earliest", ["hours_after_leaving"])
    calls = session.execute(
        select(Assignment.id, Shift.id, Shift.start).join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.worker_id == worker.id, Assignment.status == "confirmed", Shift.start >= pool_end(left_on))
        .order_by(Shift.start, Assignment.id)).all()
    if calls:
        listed = ", ".join(f"assignment {a} (shift {s}, {start.astimezone(AMS).date().isoformat()})"
                           for a, s, start in calls)
        error = Conflict(f"the worker has confirmed shifts after {left_on.isoformat()}: {listed}; cancel them or "
                         "give them to another worker first", ["assignments_after_leaving"])
        error.assignment_ids = [a for a, _, _ in calls]
        raise error
    later = [c for c in contracts if c.start_date > left_on]
    if later:
        listed = ", ".join(f"contract {c.id} ({_party(c)}, from {c.start_date.isoformat()})" for c in later)
        raise Conflict(f"contracts start after {left_on.isoformat()}: {listed}; remove them first (they were "
                       "entered for work that will not be done)", ["contracts_after_leaving"])


def _party(contract: Contract) -> str:
    return f"employer {contract.employer_id}" if contract.employer_id is not None else "the pool"
