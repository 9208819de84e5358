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
"unpriced" with the reason, so the rest of the statement still stands.

Guaranteed hours (nl-facts §3; services/guarantee.py, contracts/guarantee.py): a fixed-hours or
min-max contract pays its weekly hours whether or not they were worked. Where the hours paid under
the contract in an ISO week fall short, a "guaranteed hours top-up" line (`guarantee_top_ups`) pays
the difference at the contract's wage plus holiday allowance, allocated to the contract's employer
(employer_id null: the intermediary, for a pool contract). Hours of the weeks the period cuts are
counted over the whole week, so approved timesheets up to 6 days outside the period are read (and
not paid here). Top-ups not final yet are listed under "guarantees_left_out".
The top-up is NOT invoiced to the employer: invoices carry the hours worked at the employer
(product.md: "invoices each employer per period for the shared hours"); whether a guarantee's cost
is charged on is an agreement between the pool and the employer, outside this service. The
statement shows it in the employer's wage cost and share, so the intermediary sees what it costs.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS
from banenpool.errors import Conflict, InvalidInput
from banenpool.principal import Principal
from banenpool.services.guarantee import guarantee_of, top_ups
from banenpool.services.timesheets import approved_in_period, timesheet_pay, worked_hours
from banenpool.text import csv_text, two_decimals
from contracts.guarantee import week_start

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
KINDS = ("base", "surcharge", "overtime", "minimum_call")
SUMS = ("hours", "gross_pay", "guarantee_top_up", "holiday_allowance", "wage_cost")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _part(workers: dict, worker_id: int, worker_name: str, employer_id: int | None, employer_name: str,
          cao_code: str) -> dict:
    """The worker's row for this employer (None: the intermediary) and CAO, made empty the first time."""
    row = workers.setdefault(worker_id, {"worker_id": worker_id, "worker_name": worker_name, "employers": {}})
    return row["employers"].setdefault((employer_id, cao_code), {
        "employer_id": employer_id, "employer_name": employer_name, "cao_code": cao_code, "hours": Decimal(0),
        "paid_hours": Decimal(0), **{k: Decimal(0) for k in KINDS}, "guarantee_hours": Decimal(0),
        "guarantee_top_up": Decimal(0), "gross_pay": Decimal(0), "holiday_allowance_percent": Decimal(8),
        "holiday_allowance": Decimal(0), "wage_cost": Decimal(0), "share": Decimal(0), "assignment_ids": [],
        "guarantee_top_ups": [], "by_percent": defaultdict(Decimal)})


def statement(session: Session, who: Principal, start: date, end: date) -> dict:
    who.require("intermediary")
    if end < start:
        raise InvalidInput({"period_end": ["must not be before period_start"]})
    workers: dict[int, dict] = {}
    waiting, unpriced = [], []
    paid = defaultdict(Decimal)   # hours paid per (guaranteeing contract id, Monday), whole weeks
    for sheet, assignment, shift, worker, employer in approved_in_period(
            session, week_start(start), week_start(end) + timedelta(days=6)):
        day = sheet.start.astimezone(AMS).date()
        contract = guarantee_of(worker, employer.id, day)
        which = {"assignment_id": assignment.id, "worker_id": worker.id, "worker_name": worker.name,
                 "employer_id": employer.id, "date": day}
        try:
            pay = timesheet_pay(session, sheet, assignment, shift, worker, employer)
        except Conflict as exc:
            if "cao_not_in_force" not in exc.rules:
                raise
            if contract is not None:
                paid[(contract.id, week_start(day))] += worked_hours(sheet)
            if start <= day <= end:
                unpriced.append({**which, "reason": str(exc)})
            continue
        worked = sum((line.hours for line in pay.result.lines if line.kind == "base"), Decimal(0))
        paid_hours = worked + sum((line.hours for line in pay.result.lines if line.kind == "minimum_call"),
                                  Decimal(0))
        if contract is not None:
            paid[(contract.id, week_start(day))] += paid_hours
        if not start <= day <= end:
            continue
        if pay.waiting_on:
            waiting.append({**which, "waiting_on": pay.waiting_on})
            continue
        part = _part(workers, worker.id, worker.name, employer.id, employer.name, pay.cao_code)
        part["hours"] += worked
        part["paid_hours"] += paid_hours
        for line in pay.result.lines:
            part[line.kind] += line.amount
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
    rows = [_finish(row) for row in sorted(workers.values(), key=lambda r: (r["worker_name"], r["worker_id"]))]
    return {"period_start": start, "period_end": end, "workers": rows, "employers": _per_employer(rows),
            "waiting": waiting, "unpriced": unpriced, "guarantees_left_out": left_out,
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
    parts = list(row["employers"].values())
    for part in parts:
        _holiday_allowance(part)
        part["wage_cost"] = part["gross_pay"] + part["holiday_allowance"]
    total_cost = sum((p["wage_cost"] for p in parts), Decimal(0))
    remaining = Decimal(1)
    for i, part in enumerate(parts):
        if i == len(parts) - 1:
            part["share"] = remaining if total_cost else Decimal(0)
        else:
            part["share"] = (part["wage_cost"] / total_cost).quantize(SHARE, ROUND_HALF_UP) if total_cost else Decimal(0)
            remaining -= part["share"]
    row["employers"] = parts
    for key in ("surcharge", "overtime", *SUMS):
        row[key] = sum((p[key] for p in parts), Decimal(0))
    row["surcharges"] = row.pop("surcharge")
    for part in parts:
        part["surcharges"] = part.pop("surcharge")
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


CSV_COLUMNS = ["period_start", "period_end", "worker_id", "worker_name", "employer_id", "employer_name", "cao",
               "hours", "paid_hours", "base", "surcharges", "overtime", "minimum_call", "guarantee_hours",
               "guarantee_top_up", "gross_pay", "holiday_allowance_percent", "holiday_allowance", "wage_cost", "share"]


def to_csv(statement: dict) -> str:
    """The statement as payroll software imports it: one line per worker, employer and CAO (amounts in
    euros and hours with a decimal point; the share with 4 decimals; employer_id empty for the
    intermediary's own pool contracts). The guaranteed hours top-up has its hours and amount in
    their own columns, and is part of gross pay. Hours still waiting for an earlier shift's approval
    are not in it, as they are not in the statement."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in statement["workers"]:
        for part in row["employers"]:
            writer.writerow([statement["period_start"].isoformat(), statement["period_end"].isoformat(),
                             row["worker_id"], csv_text(row["worker_name"]),
                             "" if part["employer_id"] is None else part["employer_id"],
                             csv_text(part["employer_name"]), part["cao_code"] or "",
                             *(two_decimals(part[k]) for k in CSV_COLUMNS[7:-1]), f"{part['share']:.4f}"])
    return out.getvalue()
