"""Registry: employers, pool workers, contracts, availability and absences."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS, today_local
from banenpool.db import write_lock_on_sqlite
from banenpool.errors import Conflict, Forbidden, InvalidInput, NotFound
from banenpool.models import (Absence, Assignment, Contract, Employer, SchoolHoliday, Shift, Timesheet,
                              WeeklyAvailability, Worker)
from banenpool.principal import Principal
from banenpool.services import audit, employer_caos
from banenpool.services.auth import require_free_email, storable_email
from banenpool.services.capacity import base_pattern_errors
from banenpool.services.caos import get_cao, require_cao, require_scale
from banenpool.services.leaving import in_pool_on, require_contract_in_pool, set_left_on
from contracts.chain import ChainPosition, Term, chain_positions
from contracts.wml import age_on


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """API shape → columns: address {street, postcode, city} and location {lat, lon} become columns."""
    data = dict(data)
    if "address" in data:
        address = data.pop("address") or {}
        data.update({k: address.get(k) for k in ("street", "postcode", "city")})
    if "location" in data:
        location = data.pop("location") or {}
        data.update({"lat": location.get("lat"), "lon": location.get("lon")})
    return data


def _apply(obj, data: dict[str, Any]) -> None:
    for key, value in data.items():
        setattr(obj, key, value)


# --- employers -------------------------------------------------------------------------------

def vat_id_valid(vat_id: str) -> bool:
    """Whether a Dutch VAT id (NL, 9 digits, B, 2 digits) has a right check: the 9 digits pass the
    11-proof (the btw-nummer of a company, from its RSIN), or the whole id, letters as numbers
    (A = 10 … Z = 35), leaves 1 divided by 97 (the btw-identificatienummer given since 2020)."""
    digits = vat_id[2:11]
    if sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1))) % 11 == 0:
        return True
    return int("".join(str(int(c, 36)) for c in vat_id)) % 97 == 1


def _require_free_kvk(session: Session, kvk_number: str, employer_id: int | None = None) -> None:
    """A KvK number belongs to one employer: another employer with it is a conflict (409)."""
    query = select(Employer).where(Employer.kvk_number == kvk_number)
    if employer_id is not None:
        query = query.where(Employer.id != employer_id)
    other = session.scalars(query).first()
    if other is not None:
        raise Conflict(f"kvk_number: KvK number {kvk_number} is already registered to employer {other.id} "
                       f"({other.name})", ["kvk_taken"])


def create_employer(session: Session, who: Principal, data: dict) -> Employer:
    who.require("intermediary")
    data = _flatten(data)
    require_cao(data["cao_code"], "cao_code")
    _require_free_kvk(session, data["kvk_number"])
    employer = Employer(**data)
    session.add(employer)
    session.flush()
    audit.record(session, who, "create", "employer", employer.id, data)
    return employer


def get_employer(session: Session, who: Principal, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None or not who.may_see_employer(employer_id):
        raise NotFound(f"employer {employer_id} not found")
    return employer


def list_employers(session: Session, who: Principal) -> list[Employer]:
    query = select(Employer).order_by(Employer.id)
    if not who.is_intermediary:
        if who.role != "employer":
            raise Forbidden("workers do not list employers")
        query = query.where(Employer.id == who.employer_id)
    return list(session.scalars(query))


def update_employer(session: Session, who: Principal, employer_id: int, data: dict) -> Employer:
    """Change an employer's details; its CAO changes from `cao_valid_from` (default: today;
    services/employer_caos.py), the days before keep theirs."""
    employer = get_employer(session, who, employer_id)
    who.require("intermediary")
    data = _flatten(data)
    code, valid_from = data.pop("cao_code", None), data.pop("cao_valid_from", None)
    if valid_from is not None and code is None:
        raise InvalidInput({"cao_valid_from": ["send it with cao_code: the day the employer's CAO changes"]})
    if data.get("kvk_number") is not None:
        _require_free_kvk(session, data["kvk_number"], employer.id)
    if code is not None:
        employer_caos.change_cao(session, who, employer, code, valid_from)
    _apply(employer, data)
    audit.record(session, who, "update", "employer", employer.id, audit.changes_of(employer))
    return employer


# --- workers ---------------------------------------------------------------------------------

def _claim_email(session: Session, data: dict, worker_id: int | None = None) -> dict:
    """The worker's data with its e-mail address normalised as a login's; taken by someone else → 409."""
    if data.get("email") is None:
        return data
    email = storable_email(data["email"])
    require_free_email(session, email, worker_id)
    return {**data, "email": email}


HOURS = ("min_hours_per_week", "target_hours_per_week", "max_hours_per_week")


def _check_hours(worker: Worker, sent=HOURS) -> None:
    """0 ≤ min ≤ target ≤ max ≤ 60, else 422 on the fields that break it, those sent first (a
    PATCH of only the minimum above the stored target names the minimum)."""
    lo, target, hi = worker.min_hours_per_week, worker.target_hours_per_week, worker.max_hours_per_week
    broken = {HOURS[0]} if lo < 0 else set()
    if lo > target:
        broken |= {HOURS[0], HOURS[1]}
    if target > hi:
        broken |= {HOURS[1], HOURS[2]}
    if hi > 60:
        broken.add(HOURS[2])
    if not broken:
        return
    named = [f for f in HOURS if f in broken and f in sent] or [f for f in HOURS if f in broken]
    message = f"hours must satisfy 0 ≤ min ({lo}) ≤ target ({target}) ≤ max ({hi}) ≤ 60"
    raise InvalidInput({field: [message] for field in named})


def create_worker(session: Session, who: Principal, data: dict) -> Worker:
    who.require("intermediary")
    data = {"min_hours_per_week": 0, "target_hours_per_week": 0, "max_hours_per_week": 40, "skills": [],
            **_claim_email(session, data)}
    worker = Worker(**_flatten(data))
    _check_hours(worker)
    session.add(worker)
    session.flush()
    audit.record(session, who, "create", "worker", worker.id, _flatten(data))
    return worker


def get_worker(session: Session, who: Principal, worker_id: int) -> Worker:
    worker = session.get(Worker, worker_id)
    if worker is None or not who.may_see_worker(worker_id):
        raise NotFound(f"worker {worker_id} not found")
    return worker


def list_workers(session: Session, who: Principal, status: str = "all", on: date | None = None) -> list[Worker]:
    """The pool's workers by id; `status` "current": those who belong to the pool on `on` (default
    today, Amsterdam), "left": those who left before it, "all"."""
    query = select(Worker).order_by(Worker.id)
    on = on or today_local()
    if status == "current":
        query = query.where(in_pool_on(on))
    elif status == "left":
        query = query.where(~in_pool_on(on))
    if who.role == "worker":
        query = query.where(Worker.id == who.worker_id)
    elif not who.is_intermediary:
        raise Forbidden("employers see workers through their shifts, not the pool list")
    return list(session.scalars(query))


def update_worker(session: Session, who: Principal, worker_id: int, data: dict) -> Worker:
    """Change what `data` names. `left_on` (the last day in the pool, null: belongs again) is set by
    leaving.set_left_on, which ends the contracts running past it: their ids in `.ended_contracts`."""
    if "left_on" in data and who.is_intermediary:
        # takes turns on the worker with a manual assignment or a plan's publishing that gives them a
        # shift: the later shifts it refuses on are read after the other one's are written, or it waits
        write_lock_on_sqlite(session, Worker, worker_id)
        session.scalars(select(Worker.id).where(Worker.id == worker_id).with_for_update()).all()
    worker = get_worker(session, who, worker_id)
    who.require("intermediary")
    fields = {k: v for k, v in data.items() if k != "left_on"}
    _apply(worker, _flatten(_claim_email(session, fields, worker.id)))
    _check_hours(worker, sent=data)
    changes, ended = audit.changes_of(worker), []      # before the queries below flush them
    if "left_on" in data:
        if data["left_on"] != worker.left_on:
            changes["left_on"] = [worker.left_on, data["left_on"]]
        ended = set_left_on(session, who, worker, data["left_on"], _approved_days(session, worker))
    audit.record(session, who, "update", "worker", worker.id, changes)
    worker.ended_contracts = [c.id for c in ended]
    return worker


# --- contracts -------------------------------------------------------------------------------

def add_contract(session: Session, who: Principal, worker_id: int, data: dict) -> Contract:
    who.require("intermediary")
    worker = get_worker(session, who, worker_id)
    employer_id = data.get("employer_id")
    if employer_id is not None and session.get(Employer, employer_id) is None:
        raise InvalidInput({"employer_id": [f"employer {employer_id} does not exist"]})
    cao = require_cao(data["cao_code"], "cao_code", on=data["start_date"])
    data = dict(data)
    data["scale"] = require_scale(cao, data.get("scale"), "scale")
    if data.get("hourly_wage") is None:
        data["hourly_wage"] = cao.scale_wage(data["scale"])
    if data.get("end_date") and data["end_date"] < data["start_date"]:
        raise InvalidInput({"end_date": ["must not be before start_date"]})
    require_contract_in_pool(worker, data["start_date"], data.get("end_date"))
    if data.get("base_pattern"):
        problems = base_pattern_errors(data["base_pattern"], data["start_date"], data.get("end_date"))
        if problems:
            raise InvalidInput({"base_pattern": problems})
    contract = Contract(**data, fixed_term=data.get("end_date") is not None)
    _require_no_overlap(worker, contract, contract.start_date, contract.end_date)
    moved = _moved_days(_approved_days(session, worker), worker.contracts, worker.contracts + [contract])
    if moved:
        raise Conflict(f"hours approved on {_days(moved)} were paid under the contract in force then (or none); "
                       "this contract would put them under itself", ["hours_before_contract"])
    worker.contracts.append(contract)
    session.flush()
    audit.record(session, who, "create", "contract", contract.id, data)
    with_chains(worker)
    return contract


def end_contract(session: Session, who: Principal, worker_id: int, contract_id: int,
                 end_date: date | None) -> Contract:
    """The contract's last day (None: open-ended again). Refused (409 `hours_after_end`) when that
    moves approved hours from one contract to another (or to none): they were paid and billed under
    the contract in force on the day they were worked (as the pay engine reads it: the hours' start)."""
    who.require("intermediary")
    worker = get_worker(session, who, worker_id)
    contract = next((c for c in worker.contracts if c.id == contract_id), None)
    if contract is None:
        raise NotFound(f"contract {contract_id} of worker {worker_id} does not exist")
    if end_date is not None and end_date < contract.start_date:
        raise InvalidInput({"end_date": [f"must not be before start_date ({contract.start_date.isoformat()})"]})
    require_contract_in_pool(worker, contract.start_date, end_date)
    _require_no_overlap(worker, contract, contract.start_date, end_date)
    worked = _approved_days(session, worker)
    before = contract.end_date
    paid_under = [contract_on(worker.contracts, employer_id, day) for employer_id, day in worked]
    contract.end_date = end_date
    moved = sorted(day for (employer_id, day), was in zip(worked, paid_under)
                   if contract_on(worker.contracts, employer_id, day) is not was)
    if moved:
        raise Conflict(f"hours approved on {_days(moved)} were paid under the contract in force then; this last "
                       "day would put them under another contract or none", ["hours_after_end"])
    session.flush()
    audit.record(session, who, "update", "contract", contract.id, {"end_date": [before, end_date]})
    with_chains(worker)
    return contract


def delete_contract(session: Session, who: Principal, worker_id: int, contract_id: int) -> None:
    """Remove a contract entered by mistake (the wrong employer, kind or start day). Refused (409
    `hours_under_contract`) when approved hours were paid under it: those stand as they were paid and
    billed; end it instead."""
    who.require("intermediary")
    worker = get_worker(session, who, worker_id)
    contract = next((c for c in worker.contracts if c.id == contract_id), None)
    if contract is None:
        raise NotFound(f"contract {contract_id} of worker {worker_id} does not exist")
    rest = [c for c in worker.contracts if c is not contract]
    moved = _moved_days(_approved_days(session, worker), worker.contracts, rest)
    if moved:
        raise Conflict(f"hours approved on {_days(moved)} were paid under contract {contract_id}; it cannot be "
                       "removed, set its last day instead", ["hours_under_contract"])
    audit.record(session, who, "delete", "contract", contract.id,
                 {"employer_id": contract.employer_id, "kind": contract.kind, "start_date": contract.start_date,
                  "end_date": contract.end_date, "hours_per_week": contract.hours_per_week})
    worker.contracts.remove(contract)      # delete-orphan: the row goes
    session.flush()


def _approved_days(session: Session, worker: Worker) -> list[tuple[int, date]]:
    """(employer id, Amsterdam day of the start) of each approved timesheet of the worker: the day pay
    reads the contract on."""
    return [(employer_id, start.astimezone(AMS).date()) for employer_id, start in session.execute(
        select(Shift.employer_id, Timesheet.start).join(Assignment, Assignment.shift_id == Shift.id)
        .join(Timesheet, Timesheet.assignment_id == Assignment.id)
        .where(Assignment.worker_id == worker.id, Timesheet.status == "approved"))]


def _moved_days(worked: list[tuple[int, date]], before: list[Contract], after: list[Contract]) -> list[date]:
    """The days of `worked` whose hours another contract (or none) governs under `after` than under `before`."""
    return sorted(day for employer_id, day in worked
                  if contract_on(after, employer_id, day) is not contract_on(before, employer_id, day))


def _days(days: list[date]) -> str:
    return days[0].isoformat() + ("" if len(days) == 1 else f" to {days[-1].isoformat()}")


def _require_no_overlap(worker: Worker, contract: Contract, start: date, end: date | None) -> None:
    """One contract at a time with one party (an employer, or the pool itself): pay, the on-call rules
    and the fixed-hours offers read the one in force on a day (contract_on), so a second one over the
    same days is refused (409 `contract_overlap`, naming the other); end that one first."""
    for other in worker.contracts:
        if other is contract or other.employer_id != contract.employer_id:
            continue
        if (end is None or other.start_date <= end) and (other.end_date is None or start <= other.end_date):
            until = other.end_date.isoformat() if other.end_date else "open-ended"
            party = f"employer {other.employer_id}" if other.employer_id is not None else "the pool"
            raise Conflict(f"the worker has contract {other.id} with {party} over these days "
                           f"({other.start_date.isoformat()} to {until}); end that contract first",
                           ["contract_overlap"])


def contract_on(contracts: list[Contract], employer_id: int, day: date) -> Contract | None:
    """The worker's contract with this employer on that day, else one with the intermediary."""
    live = [c for c in contracts if c.start_date <= day and (c.end_date is None or day <= c.end_date)]
    return (next((c for c in live if c.employer_id == employer_id), None)
            or next((c for c in live if c.employer_id is None), None))


def contract_chains(worker: Worker) -> dict[int, ChainPosition | None]:
    """Each fixed-term contract's place under the chain rule (contracts.chain: 3 fixed-term contracts
    in 36 months with one employer, an interruption of over 6 months starts anew) and whether the law
    made it indefinite. None for a contract made open-ended (ended later or not), and for one under an
    agency CAO (inlenersbeloning: ABU/NBBU), whose phase system replaces the rule and is not checked."""
    agency = set()
    for c in worker.contracts:
        try:
            if get_cao(c.cao_code, on=c.start_date).inlenersbeloning:
                agency.add(c.id)
        except NotFound:
            pass
    terms = [Term(c.id, c.employer_id, c.start_date, c.end_date) for c in worker.contracts
             if c.fixed_term and c.end_date is not None and c.id not in agency]
    positions = chain_positions(terms)
    return {c.id: positions.get(c.id) for c in worker.contracts}


def with_chains(worker: Worker) -> list[Contract]:
    """The worker's contracts, each with `.chain` (contract_chains) set for the API and the pages."""
    chains = contract_chains(worker)
    for c in worker.contracts:
        c.chain = chains[c.id]
    return worker.contracts


def list_contracts(session: Session, who: Principal, worker_id: int) -> list[Contract]:
    """The worker's contracts, each with its place under the chain rule (`.chain`, contract_chains)."""
    who.require("intermediary")
    return with_chains(get_worker(session, who, worker_id))


# --- availability ----------------------------------------------------------------------------

MAX_ABSENCES = 500  # years of leave and sick days, one period each
WEEKLY_FIELDS, ABSENCE_FIELDS, SCHOOL_HOLIDAY_FIELDS = ("weekday", "start", "end"), ("start", "end", "reason"), \
    ("first_day", "last_day")


def _keep_unchanged(stored: list, wanted: list[dict], fields: tuple[str, ...], make) -> list:
    """The rows for `wanted`: a stored row with the same `fields` stays (its id with it, so a page left
    open on it still finds it), the others are made anew by `make`."""
    left: dict = {}
    for row in stored:
        left.setdefault(tuple(getattr(row, f) for f in fields), []).append(row)
    rows = []
    for w in wanted:
        same = left.get(tuple(w.get(f) for f in fields))
        rows.append(same.pop(0) if same else make(w))
    return rows


def as_stored(rows: list, fields: tuple[str, ...], leave_out: int | None = None) -> list[dict]:
    """The rows as set_availability and set_school_holidays take them (without `leave_out`)."""
    return [{f: getattr(row, f) for f in fields} for row in rows if row.id != leave_out]


def _availability_of(session: Session, who: Principal, worker_id: int) -> Worker:
    """The worker whose availability and absences `who` changes: the intermediary any, a worker their own
    (another's is 404), an employer none (403)."""
    worker = get_worker(session, who, worker_id)
    if who.role not in ("intermediary", "worker"):
        raise Forbidden("only the worker or the intermediary sets availability")
    return worker


def set_availability(session: Session, who: Principal, worker_id: int, weekly: list[dict],
                     absences: list[dict]) -> Worker:
    """Replace the worker's weekly pattern and absences as a whole (PUT semantics); an entry sent as
    it is stored keeps its id."""
    worker = _availability_of(session, who, worker_id)
    worker.weekly = _keep_unchanged(worker.weekly, weekly, WEEKLY_FIELDS, lambda w: WeeklyAvailability(**w))
    worker.absences = _keep_unchanged(worker.absences, absences, ABSENCE_FIELDS, lambda a: Absence(**a))
    audit.record(session, who, "replace", "availability", worker.id,
                 {"weekly": weekly, "absences": absences})
    return worker


def _find(session: Session, model, rows: list, row_id: int, what: str, worker_id: int):
    """The worker's row `row_id` of `rows`; else 404, its `gone` true when no worker has it (removed,
    perhaps on a page open elsewhere) rather than another worker."""
    row = next((r for r in rows if r.id == row_id), None)
    if row is None:
        error = NotFound(f"{what} {row_id} of worker {worker_id} does not exist (any more): it was removed or "
                         "changed meanwhile")
        error.gone = session.get(model, row_id) is None
        raise error
    return row


def add_absence(session: Session, who: Principal, worker_id: int, absence: dict) -> Absence:
    """Add one absence beside the stored ones (as set_availability allows: intermediary, worker: own)."""
    worker = _availability_of(session, who, worker_id)
    if len(worker.absences) >= MAX_ABSENCES:
        raise InvalidInput({"absences": [f"at most {MAX_ABSENCES} absences: remove old ones first"]})
    set_availability(session, who, worker.id, as_stored(worker.weekly, WEEKLY_FIELDS),
                     as_stored(worker.absences, ABSENCE_FIELDS) + [absence])
    session.flush()
    return worker.absences[-1]


def get_absence(session: Session, who: Principal, worker_id: int, absence_id: int) -> Absence:
    return _find(session, Absence, get_worker(session, who, worker_id).absences, absence_id, "absence",
                 worker_id)


def delete_absence(session: Session, who: Principal, worker_id: int, absence_id: int) -> None:
    """Remove one absence, the others keep their ids (as set_availability allows)."""
    worker = _availability_of(session, who, worker_id)
    _find(session, Absence, worker.absences, absence_id, "absence", worker.id)
    set_availability(session, who, worker.id, as_stored(worker.weekly, WEEKLY_FIELDS),
                     as_stored(worker.absences, ABSENCE_FIELDS, leave_out=absence_id))
    session.flush()


MAX_SCHOOL_HOLIDAYS = 100   # some ten years of a school's holidays


def school_age(worker: Worker, today: date) -> bool:
    """Under 16 today: the school holidays matter (at 15 they decide how long the worker may work a day)."""
    return worker.birth_date is not None and age_on(worker.birth_date, today) < 16


def set_school_holidays(session: Session, who: Principal, worker_id: int, holidays: list[dict]) -> Worker:
    """Replace the worker's school holidays as a whole (PUT semantics): `[{"first_day", "last_day"}]`,
    both days included. The pool registers them (a worker's own could lift the limits at 15); 422 for
    a last day before the first, periods that overlap, or more than MAX_SCHOOL_HOLIDAYS."""
    who.require("intermediary")
    worker = get_worker(session, who, worker_id)
    errors: dict = {}
    if len(holidays) > MAX_SCHOOL_HOLIDAYS:
        raise InvalidInput({"school_holidays": [f"at most {MAX_SCHOOL_HOLIDAYS} school holidays"]})
    ordered = sorted(range(len(holidays)), key=lambda n: holidays[n]["first_day"])
    for n, h in enumerate(holidays):
        if h["last_day"] < h["first_day"]:
            errors[n] = {"last_day": ["must not be before first_day"]}
    for a, b in zip(ordered, ordered[1:]):
        if a not in errors and b not in errors and holidays[b]["first_day"] <= holidays[a]["last_day"]:
            errors[b] = {"first_day": [f"overlaps the school holiday {holidays[a]['first_day'].isoformat()} "
                                       f"through {holidays[a]['last_day'].isoformat()}"]}
    if errors:
        raise InvalidInput({"school_holidays": errors})
    worker.school_holidays = _keep_unchanged(
        worker.school_holidays, sorted(holidays, key=lambda h: h["first_day"]), SCHOOL_HOLIDAY_FIELDS,
        lambda h: SchoolHoliday(first_day=h["first_day"], last_day=h["last_day"]))
    audit.record(session, who, "replace", "school_holidays", worker.id, {"school_holidays": holidays})
    return worker


def add_school_holiday(session: Session, who: Principal, worker_id: int, holiday: dict) -> SchoolHoliday:
    """Add one school holiday beside the stored ones (intermediary; set_school_holidays' refusals)."""
    who.require("intermediary")
    worker = get_worker(session, who, worker_id)
    for h in worker.school_holidays:
        if h.first_day <= holiday["last_day"] and holiday["first_day"] <= h.last_day:
            raise InvalidInput({"first_day": [f"overlaps the school holiday {h.first_day.isoformat()} "
                                              f"through {h.last_day.isoformat()}"]})
    set_school_holidays(session, who, worker.id,
                        as_stored(worker.school_holidays, SCHOOL_HOLIDAY_FIELDS) + [holiday])
    session.flush()
    return next(h for h in worker.school_holidays
                if (h.first_day, h.last_day) == (holiday["first_day"], holiday["last_day"]))


def delete_school_holiday(session: Session, who: Principal, worker_id: int, holiday_id: int) -> None:
    """Remove one school holiday, the others keep their ids (intermediary)."""
    who.require("intermediary")
    worker = get_worker(session, who, worker_id)
    _find(session, SchoolHoliday, worker.school_holidays, holiday_id, "school holiday", worker.id)
    set_school_holidays(session, who, worker.id,
                        as_stored(worker.school_holidays, SCHOOL_HOLIDAY_FIELDS, leave_out=holiday_id))
    session.flush()
