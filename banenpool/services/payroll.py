"""The payroll-sharing statement: per worker the approved hours and gross pay per employer,
surcharges, holiday allowance, top-ups of guaranteed hours, and how the worker's wage cost is
allocated over the employers.

Wage cost here is gross pay plus holiday allowance; employer social charges and tax belong to
payroll software (product.md, out of scope). Holiday allowance is the percentage of the CAO version
that priced each timesheet (at least 8 %), so hours under two CAO versions or CAOs each get their
own; `holiday_allowance_percent` of a row is that percentage, or the effective one (allowance / gross
pay, 2 decimals) when it mixes several CAO versions. A worker has a part (`employers`, a CSV line)
per employer and CAO: hours under each CAO the employer had in the period (it changes on a date,
services/employer_caos.py) and a guarantee top-up under its contract's CAO are parts of their own,
so every amount names the CAO it was paid under. Each part's share is its wage cost divided by the
worker's total wage cost (4 decimals; shares add up to 1 after rounding the last one to the remainder).

Hours and paid hours are the pay lines' hours (rounded up to 0.01 h per line, as the lines pay them):
hours = the base lines, paid hours = those plus the minimum-call lines and the guarantee top-ups. A
timesheet whose pay is not final yet (an earlier shift in that week has no approved hours;
services/timesheets.py) is left out and listed under "waiting", as on the invoice. One that cannot
be priced at all (its CAO has no version in force on the day) is left out and listed under
"unpriced" with the reason, so the rest of the statement still stands. Hours paid with an earlier
shift of their week counted as not worked (no hours registered at all 7 days after it ended, or the
worker registered absent over it; services/timesheets.py) are listed under "not_worked" with those
shifts, as on the invoice draft: their overtime counts without that shift, and if it was worked
after all its hours belong in before the period is closed.

Guaranteed hours (nl-facts §3; services/guarantee.py, contracts/guarantee.py): a fixed-hours or
min-max contract pays its weekly hours whether or not they were worked. Where the hours paid under
the contract in an ISO week fall short, a "guaranteed hours top-up" line (`guarantee_top_ups`) pays
the difference at the contract's wage plus holiday allowance, allocated to the contract's employer
(employer_id null: the intermediary, for a pool contract). Hours of the weeks the period cuts are
counted over the whole week, so approved timesheets up to 6 days outside the period are read (and
not paid here). Hours left out (waiting or unpriced) count toward the guarantee only once they are
paid: until then the top-up pays the guarantee, so the week is never paid less than it (a shift
counted as not worked can keep later hours waiting for good), and once they are paid the week tops
up less (a closed period: as a correction). Top-ups not final yet are listed under "guarantees_left_out".
The top-up is NOT invoiced to the employer: invoices carry the hours worked at the employer
(product.md: "invoices each employer per period for the shared hours"); whether a guarantee's cost
is charged on is an agreement between the pool and the employer, outside this service. The
statement shows it in the employer's wage cost and share, so the intermediary sees what it costs.

Closed periods ("verloning definitief", `close`): the intermediary closes a period once it is paid,
and its statement is kept as it was (PayrollPeriod.statement); reading that period returns the kept
statement, never a new computation. Hours reopened, approved late or priced under a back-dated CAO
change later make the statement as computed now differ from the kept one: `differences` of a
closed statement lists them per worker, employer and CAO (now less as closed), with what later
closed periods carried of them. A period's statement that is not closed carries what is still to
carry of every closed period that ends before it as correction parts ("correctie periode",
`correction_of` names the period; not in the shares); the first period closed after that keeps
them, so each difference is paid (or reclaimed) once. Nothing is reclaimed from a worker while
the worker's pay of that period is not final (hours registered and not approved, as reopened hours
are until approved again; hours waiting or unpriced; a top-up left out, as when hours come in for a
shift counted as not worked): such a difference is `held`, with nothing outstanding, until it is
final, so pay is not taken back for hours that are only being corrected. Closing refuses a period that overlaps a
closed one (409 `payroll_period_overlap`), and one whose statement leaves hours or top-ups out
(waiting, unpriced, guarantees not final: 409 `payroll_incomplete`) unless `accept_incomplete`:
the pay date does not wait for one employer's approval, but the clerk must know what is missing;
those hours are then paid as a correction once they are final.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS, today_local
from banenpool.errors import Conflict, InvalidInput
from banenpool.models import Assignment, PayrollPeriod, Timesheet, User
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.guarantee import guarantee_of, top_ups
from banenpool.services.shifts import within_days
from banenpool.services.timesheets import EarlierCalls, approved_in_period, timesheet_pay
from banenpool.text import csv_text, two_decimals
from contracts.guarantee import week_start

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
COLUMN = {"base": "base", "surcharge": "surcharges", "overtime": "overtime", "minimum_call": "minimum_call"}
SUMS = ("hours", "gross_pay", "guarantee_top_up", "holiday_allowance", "wage_cost")
AMOUNTS = ("hours", "paid_hours", "base", "surcharges", "overtime", "minimum_call", "guarantee_hours",
           "guarantee_top_up", "gross_pay", "holiday_allowance", "wage_cost")
# a kept statement's JSON back in Python: these keys hold days and decimals (as strings in JSON)
DATES = {"period_start", "period_end", "date", "week_start"}
DECIMALS = {*AMOUNTS, "holiday_allowance_percent", "share", "guaranteed_hours", "rate", "amount"}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _part(workers: dict, worker_id: int, worker_name: str, employer_id: int | None, employer_name: str,
          cao_code: str) -> dict:
    """The worker's row for this employer (None: the intermediary) and CAO, made empty the first time."""
    row = _row(workers, worker_id, worker_name)
    return row["employers"].setdefault((employer_id, cao_code), {
        "employer_id": employer_id, "employer_name": employer_name, "cao_code": cao_code,
        **{k: Decimal(0) for k in AMOUNTS}, "holiday_allowance_percent": Decimal(8), "share": Decimal(0),
        "assignment_ids": [], "guarantee_top_ups": [], "correction_of": None, "by_percent": defaultdict(Decimal)})


def _row(workers: dict, worker_id: int, worker_name: str) -> dict:
    return workers.setdefault(worker_id, {"worker_id": worker_id, "worker_name": worker_name, "employers": {}})


LONGEST_PERIOD = timedelta(days=366)   # a payroll period is a month or four weeks; a year at most


def _check(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput({"period_end": ["must not be before period_start"]})
    if end - start >= LONGEST_PERIOD:
        raise InvalidInput({"period_end": [f"a payroll period is at most {LONGEST_PERIOD.days} days; "
                                           f"this one has {(end - start).days + 1}"]})


def statement(session: Session, who: Principal, start: date, end: date) -> dict:
    """The statement of start..end: as kept when the period is closed (`closed` says by whom and
    when, `differences` what has changed since), else computed now with the corrections it carries."""
    who.require("intermediary")
    _check(start, end)
    closed = _closed(session)
    for period in closed:
        if (period.period_start, period.period_end) == (start, end):
            return _kept(period, _differences(session, period, closed))
    data = _open_statement(session, start, end, closed)
    overlapping = [_named(p) for p in closed if p.period_start <= end and p.period_end >= start]
    return {**data, "closed": None, "differences": [], "overlapping_closed": overlapping}


def _closed(session: Session) -> list[PayrollPeriod]:
    return list(session.scalars(select(PayrollPeriod).order_by(PayrollPeriod.period_start)))


def _named(period: PayrollPeriod) -> dict:
    return {"id": period.id, "period_start": period.period_start, "period_end": period.period_end}


def _closing(period: PayrollPeriod) -> dict:
    return {**_named(period), "closed_at": period.closed_at, "closed_by": period.closed_by,
            "closed_by_email": period.closed_by_email}


def _kept(period: PayrollPeriod, differences: list[dict]) -> dict:
    return {"not_worked": [], **_thawed(period.statement), "closed": _closing(period),   # kept before it was named
            "differences": differences, "overlapping_closed": []}


def _open_statement(session: Session, start: date, end: date, closed: list[PayrollPeriod]) -> dict:
    """The statement computed now, with what is still to carry of each closed period before it."""
    data = _computed(session, start, end)
    for period in closed:
        if period.period_end < start:
            for entry in _differences(session, period, closed):
                if any(entry["outstanding"].values()):
                    _row(data["workers"], entry["worker_id"], entry["worker_name"])["employers"][
                        ("correction", period.id, entry["employer_id"], entry["cao_code"])] = {
                        **{k: entry[k] for k in ("employer_id", "employer_name", "cao_code")},
                        **entry["outstanding"], "holiday_allowance_percent": None, "share": None,
                        "assignment_ids": [], "guarantee_top_ups": [], "correction_of": _named(period)}
    return _assembled(data)


def _computed(session: Session, start: date, end: date) -> dict:
    """The period's own statement as the hours and contracts are now: rows not finished yet."""
    workers: dict[int, dict] = {}
    waiting, unpriced, missed = [], [], []
    paid = defaultdict(Decimal)   # hours paid per (guaranteeing contract id, Monday), whole weeks
    rows = approved_in_period(session, week_start(start), week_start(end) + timedelta(days=6))
    earlier = EarlierCalls.for_rows(session, rows)
    for sheet, assignment, shift, worker, employer in rows:
        day = sheet.start.astimezone(AMS).date()
        contract = guarantee_of(worker, employer.id, day)
        which = {"assignment_id": assignment.id, "worker_id": worker.id, "worker_name": worker.name,
                 "employer_id": employer.id, "date": day}
        try:
            pay = timesheet_pay(session, sheet, assignment, shift, worker, employer, earlier)
        except Conflict as exc:
            if "cao_not_in_force" not in exc.rules:
                raise
            if start <= day <= end:
                unpriced.append({**which, "reason": str(exc)})
            continue
        if pay.waiting_on:
            if start <= day <= end:
                waiting.append({**which, "waiting_on": pay.waiting_on})
            continue
        worked = sum((line.hours for line in pay.result.lines if line.kind == "base"), Decimal(0))
        paid_hours = worked + sum((line.hours for line in pay.result.lines if line.kind == "minimum_call"),
                                  Decimal(0))
        if contract is not None:
            paid[(contract.id, week_start(day))] += paid_hours
        if not start <= day <= end:
            continue
        if pay.not_worked:
            missed.append({**which, "not_worked": pay.not_worked})
        part = _part(workers, worker.id, worker.name, employer.id, employer.name, pay.cao_code)
        part["hours"] += worked
        part["paid_hours"] += paid_hours
        for line in pay.result.lines:
            part[COLUMN[line.kind]] += line.amount
        part["gross_pay"] += pay.result.total
        part["by_percent"][pay.result.holiday_allowance_percent] += pay.result.total
        part["assignment_ids"].append(assignment.id)
    lines, left_out = top_ups(session, start, end, paid)
    for line in lines:
        part = _part(workers, line["worker_id"], line["worker_name"], line["employer_id"], line["employer_name"],
                     line["cao_code"])
        part["guarantee_hours"] += line["hours"]
        part["paid_hours"] += line["hours"]
        part["guarantee_top_up"] += line["amount"]
        part["gross_pay"] += line["amount"]
        part["by_percent"][line["holiday_allowance_percent"]] += line["amount"]
        part["guarantee_top_ups"].append(line)
    return {"period_start": start, "period_end": end, "workers": workers, "waiting": waiting, "unpriced": unpriced,
            "guarantees_left_out": left_out, "not_worked": missed}


def _assembled(data: dict) -> dict:
    rows = [_finish(row) for row in sorted(data["workers"].values(), key=lambda r: (r["worker_name"], r["worker_id"]))]
    return {**data, "workers": rows, "employers": _per_employer(rows),
            "totals": {k: sum((r[k] for r in rows), Decimal(0)) for k in SUMS}}


def _holiday_allowance(part: dict) -> None:
    """The allowance per percentage (one rounding each); the row's percentage, or the effective one."""
    by_percent = part.pop("by_percent")
    part["holiday_allowance"] = sum((_money(gross * percent / 100) for percent, gross in by_percent.items()),
                                    Decimal(0))
    if len(by_percent) == 1:
        part["holiday_allowance_percent"] = next(iter(by_percent))
    elif by_percent and part["gross_pay"]:
        part["holiday_allowance_percent"] = _money(part["holiday_allowance"] * 100 / part["gross_pay"])


def _finish(row: dict) -> dict:
    """Amounts of each part, the shares of the period's own parts (a correction has none) and the row's sums."""
    parts = list(row["employers"].values())
    for part in parts:
        if "by_percent" in part:        # a correction comes with its amounts
            _holiday_allowance(part)
            part["wage_cost"] = part["gross_pay"] + part["holiday_allowance"]
    own = [part for part in parts if part["correction_of"] is None]
    total_cost = sum((p["wage_cost"] for p in own), Decimal(0))
    remaining = Decimal(1)
    for i, part in enumerate(own):
        if i == len(own) - 1:
            part["share"] = remaining if total_cost else Decimal(0)
        else:
            part["share"] = (part["wage_cost"] / total_cost).quantize(SHARE, ROUND_HALF_UP) if total_cost else Decimal(0)
            remaining -= part["share"]
    row["employers"] = parts
    for key in ("surcharges", "overtime", *SUMS):
        row[key] = sum((p[key] for p in parts), Decimal(0))
    return row


def _per_employer(rows: list[dict]) -> list[dict]:
    out: dict[int | None, dict] = {}
    for row in rows:
        for part in row["employers"]:
            agg = out.setdefault(part["employer_id"], {"employer_id": part["employer_id"],
                                                       "employer_name": part["employer_name"], "workers": set(),
                                                       **{k: Decimal(0) for k in SUMS}})
            for key in SUMS:
                agg[key] += part[key]
            agg["workers"].add(row["worker_id"])    # a worker under two CAOs of the employer counts once
    for agg in out.values():
        agg["workers"] = len(agg["workers"])
    # the intermediary (pool contracts' top-ups) last
    return sorted(out.values(), key=lambda e: (e["employer_id"] is None, e["employer_id"] or 0))


# ---- closed periods ----

def close(session: Session, who: Principal, start: date, end: date, accept_incomplete: bool = False) -> dict:
    """Close start..end: keep its statement as it is now, with the corrections it carries; the
    period must be over and overlap no closed one (409 payroll_period_overlap); a statement that
    leaves hours or top-ups out needs `accept_incomplete` (409 payroll_incomplete)."""
    who.require("intermediary")
    _check(start, end)
    if end >= today_local():
        raise InvalidInput({"period_end": [f"the period is not over yet; it can be closed from "
                                           f"{(end + timedelta(days=1)).isoformat()} on"]})
    _closing_in_turn(session)
    closed = _closed(session)
    if overlap := [p for p in closed if p.period_start <= end and p.period_end >= start]:
        raise Conflict(f"the period overlaps the closed payroll period {overlap[0].period_start.isoformat()} – "
                       f"{overlap[0].period_end.isoformat()}", ["payroll_period_overlap"])
    data = _open_statement(session, start, end, closed)
    missing = {key: len(rows) for key, rows in still_to_come(data).items() if rows}
    if missing and not accept_incomplete:
        raise Conflict("the statement leaves out " + ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in
                       missing.items()) + "; send accept_incomplete true to close it as it is (they are paid as "
                       "a correction in a later period once final)", ["payroll_incomplete"])
    user = session.get(User, who.user_id) if who.user_id is not None else None
    period = PayrollPeriod(period_start=start, period_end=end, statement=audit.jsonable(data),
                           closed_by=who.user_id, closed_by_email=user.email if user else None)
    session.add(period)
    session.flush()
    audit.record(session, who, "close", "payroll_period", period.id,
                 {"period_start": start, "period_end": end, "wage_cost": data["totals"]["wage_cost"],
                  "left_out": missing})
    return _kept(period, [])


def _closing_in_turn(session: Session) -> None:
    """Closings take turns, so two never overlap or carry one correction twice: PostgreSQL locks the
    table against other closings (reading goes on); SQLite's write lock comes with a no-op write
    before anything is read (db.write_lock_on_sqlite)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(PayrollPeriod).where(PayrollPeriod.id < 0).values(id=PayrollPeriod.id)
                        .execution_options(synchronize_session=False))
    else:
        session.execute(text("LOCK TABLE payroll_periods IN SHARE ROW EXCLUSIVE MODE"))


def closed_periods(session: Session, who: Principal) -> list[dict]:
    """The closed periods, earliest first, with who closed them and their totals as kept."""
    who.require("intermediary")
    return [{"closed": _closing(period), "totals": _thawed(period.statement["totals"])} for period in _closed(session)]


def _differences(session: Session, period: PayrollPeriod, closed: list[PayrollPeriod]) -> list[dict]:
    """Per worker, employer and CAO: the period's statement as computed now less as kept
    (`difference`), what later closed periods carried of it (`carried`, `carried_in`) and what is
    still to carry (`outstanding`); only where one of them is not zero."""
    entries: dict[tuple, dict] = {}

    def add(row: dict, part: dict, key: str, sign: int = 1) -> dict:
        entry = entries.setdefault((row["worker_id"], part["employer_id"], part["cao_code"]), {
            "worker_id": row["worker_id"], "worker_name": row["worker_name"], "employer_id": part["employer_id"],
            "employer_name": part["employer_name"], "cao_code": part["cao_code"], "carried_in": [],
            **{name: dict.fromkeys(AMOUNTS, Decimal(0)) for name in ("difference", "carried")}})
        for k in AMOUNTS:
            entry[key][k] += sign * part[k]
        return entry

    now, kept = _computed(session, period.period_start, period.period_end), _thawed(period.statement)
    unsettled = _not_final(session, period, now)
    for row in _assembled(now)["workers"]:
        for part in row["employers"]:
            add(row, part, "difference")
    for row in kept["workers"]:
        for part in row["employers"]:
            if part["correction_of"] is None:
                add(row, part, "difference", -1)
    for later in closed:
        for row in _thawed(later.statement)["workers"]:
            for part in row["employers"]:
                if (part["correction_of"] or {}).get("id") == period.id:
                    add(row, part, "carried")["carried_in"].append(_named(later))
    out = []
    for entry in entries.values():
        entry["outstanding"] = {k: entry["difference"][k] - entry["carried"][k] for k in AMOUNTS}
        entry["held"] = entry["worker_id"] in unsettled and entry["outstanding"]["wage_cost"] < 0
        if entry["held"]:
            entry["outstanding"] = dict.fromkeys(AMOUNTS, Decimal(0))
        if any(entry["difference"].values()) or any(entry["carried"].values()):
            out.append(entry)
    return sorted(out, key=lambda e: (e["worker_name"], e["worker_id"], e["employer_id"] is None,
                                      e["employer_id"] or 0, e["cao_code"] or ""))


def still_to_come(data: dict) -> dict[str, list]:
    """What a statement leaves out to be paid later, once final: hours waiting or unpriced, top-ups
    not final. A contract overlap is none (the other contract governs those days: it is listed for
    the pool to end one of them), so it does not make a statement incomplete."""
    return {"waiting": data["waiting"], "unpriced": data["unpriced"],
            "guarantees_left_out": [g for g in data["guarantees_left_out"] if g["code"] != "contract_overlap"]}


def _not_final(session: Session, period: PayrollPeriod, now: dict) -> set[int]:
    """The workers whose pay of the period is not final now (`now`: its statement computed now, not
    assembled): hours registered and not approved (again), waiting or unpriced, a top-up left out."""
    sheets = within_days(select(Assignment.worker_id).join(Timesheet, Timesheet.assignment_id == Assignment.id)
                         .where(Timesheet.status != "approved", Assignment.status == "confirmed"),
                         Timesheet.start, period.period_start, period.period_end)
    return {*session.scalars(sheets), *(entry["worker_id"] for rows in still_to_come(now).values() for entry in rows)}


def _thawed(value, key: str | None = None):
    """A kept statement (JSON) with its days and amounts as date and Decimal again."""
    if isinstance(value, dict):
        return {k: _thawed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_thawed(v, key) for v in value]
    if value is None or not isinstance(value, str):
        return value
    if key in DATES:
        return date.fromisoformat(value)
    return Decimal(value) if key in DECIMALS else value


# ---- CSV ----

CSV_AMOUNTS = ["hours", "paid_hours", "base", "surcharges", "overtime", "minimum_call", "guarantee_hours",
               "guarantee_top_up", "gross_pay", "holiday_allowance_percent", "holiday_allowance", "wage_cost"]
CSV_COLUMNS = ["period_start", "period_end", "worker_id", "worker_name", "employer_id", "employer_name", "cao",
               *CSV_AMOUNTS, "share", "line", "note"]


def to_csv(statement: dict) -> str:
    """The statement as payroll software imports it: one line per worker, employer and CAO (amounts in
    euros and hours with a decimal point; the share with 4 decimals; employer_id empty for the
    intermediary's own pool contracts), `line` "pay". The guaranteed hours top-up has its hours and
    amount in their own columns, and is part of gross pay. A correction of a closed period is a
    line "correction" (`note` names the period; no share); a week's top-up not final yet a line
    "guarantee_left_out" without amounts (`note`: the week and why). Hours still waiting for an
    earlier shift's approval are not in it, as they are not in the statement."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)

    def line(worker_id, worker_name, employer_id, employer_name, cao, amounts, share, kind, note):
        writer.writerow([statement["period_start"].isoformat(), statement["period_end"].isoformat(), worker_id,
                         csv_text(worker_name), "" if employer_id is None else employer_id, csv_text(employer_name),
                         cao or "", *amounts, share, kind, csv_text(note)])

    for row in statement["workers"]:
        for part in row["employers"]:
            amounts = ("" if part[k] is None else two_decimals(part[k]) for k in CSV_AMOUNTS)
            correction = part["correction_of"]
            line(row["worker_id"], row["worker_name"], part["employer_id"], part["employer_name"], part["cao_code"],
                 amounts, "" if correction else f"{part['share']:.4f}", "correction" if correction else "pay",
                 f"correctie periode {correction['period_start'].isoformat()} t/m "
                 f"{correction['period_end'].isoformat()}" if correction else "")
    for left in statement["guarantees_left_out"]:
        line(left["worker_id"], left["worker_name"], left["employer_id"], left["employer_name"], "",
             [""] * len(CSV_AMOUNTS), "", "guarantee_left_out",
             f"week {left['week_start'].isoformat()}: {left['code']}")
    return out.getvalue()
