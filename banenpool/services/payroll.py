"""The payroll-sharing statement: per worker the approved hours and gross pay per employer,
surcharges, holiday allowance, and how the worker's wage cost is allocated over the employers.

Wage cost here is gross pay plus holiday allowance (the CAO's percentage, at least 8 %); employer
social charges and tax belong to payroll software (product.md, out of scope). Each employer's
share is its wage cost divided by the worker's total wage cost (4 decimals; shares add up to 1
after rounding the last one to the remainder).

Hours and paid hours are the pay lines' hours (rounded up to 0.01 h per line, as the lines pay them):
hours = the base lines, paid hours = those plus the minimum-call lines. A timesheet whose pay is
not final yet (an earlier shift in that week has no approved hours; services/timesheets.py) is
left out and listed under "waiting", as on the invoice. One that cannot be priced at all (its CAO
has no version in force on the day) is left out and listed under "unpriced" with the reason, so the
rest of the statement still stands.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS
from banenpool.errors import Conflict, InvalidInput
from banenpool.principal import Principal
from banenpool.services.timesheets import approved_in_period, timesheet_pay
from banenpool.text import csv_text, two_decimals

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
KINDS = ("base", "surcharge", "overtime", "minimum_call")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _empty(employer) -> dict:
    return {"employer_id": employer.id, "employer_name": employer.name, "cao_code": None, "hours": Decimal(0),
            "paid_hours": Decimal(0), **{k: Decimal(0) for k in KINDS}, "gross_pay": Decimal(0),
            "holiday_allowance_percent": Decimal(8), "holiday_allowance": Decimal(0), "wage_cost": Decimal(0),
            "share": Decimal(0), "assignment_ids": []}


def statement(session: Session, who: Principal, start: date, end: date) -> dict:
    who.require("intermediary")
    if end < start:
        raise InvalidInput({"period_end": ["must not be before period_start"]})
    workers: dict[int, dict] = {}
    waiting, unpriced = [], []
    for sheet, assignment, shift, worker, employer in approved_in_period(session, start, end):
        which = {"assignment_id": assignment.id, "worker_id": worker.id, "worker_name": worker.name,
                 "employer_id": employer.id, "date": sheet.start.astimezone(AMS).date()}
        try:
            pay = timesheet_pay(session, sheet, assignment, shift, worker, employer)
        except Conflict as exc:
            if "cao_not_in_force" not in exc.rules:
                raise
            unpriced.append({**which, "reason": str(exc)})
            continue
        if pay.waiting_on:
            waiting.append({**which, "waiting_on": pay.waiting_on})
            continue
        row = workers.setdefault(worker.id, {"worker_id": worker.id, "worker_name": worker.name, "employers": {}})
        part = row["employers"].setdefault(employer.id, _empty(employer))
        part["cao_code"] = pay.cao_code
        worked = sum((line.hours for line in pay.result.lines if line.kind == "base"), Decimal(0))
        part["hours"] += worked
        part["paid_hours"] += worked + sum((line.hours for line in pay.result.lines if line.kind == "minimum_call"),
                                           Decimal(0))
        for line in pay.result.lines:
            part[line.kind] += line.amount
        part["gross_pay"] += pay.result.total
        part["holiday_allowance_percent"] = pay.result.holiday_allowance_percent
        part["assignment_ids"].append(assignment.id)
    rows = [_finish(row) for row in sorted(workers.values(), key=lambda r: (r["worker_name"], r["worker_id"]))]
    return {"period_start": start, "period_end": end, "workers": rows, "employers": _per_employer(rows),
            "waiting": waiting, "unpriced": unpriced,
            "totals": {k: sum((r[k] for r in rows), Decimal(0)) for k in ("hours", "gross_pay", "holiday_allowance",
                                                                           "wage_cost")}}


def _finish(row: dict) -> dict:
    parts = list(row["employers"].values())
    for part in parts:
        part["holiday_allowance"] = _money(part["gross_pay"] * part["holiday_allowance_percent"] / 100)
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
    for key in ("hours", "gross_pay", "surcharge", "overtime", "holiday_allowance", "wage_cost"):
        row[key] = sum((p[key] for p in parts), Decimal(0))
    row["surcharges"] = row.pop("surcharge")
    for part in parts:
        part["surcharges"] = part.pop("surcharge")
    return row


def _per_employer(rows: list[dict]) -> list[dict]:
    out: dict[int, dict] = {}
    for row in rows:
        for part in row["employers"]:
            agg = out.setdefault(part["employer_id"], {"employer_id": part["employer_id"],
                                                       "employer_name": part["employer_name"], "hours": Decimal(0),
                                                       "gross_pay": Decimal(0), "holiday_allowance": Decimal(0),
                                                       "wage_cost": Decimal(0), "workers": 0})
            for key in ("hours", "gross_pay", "holiday_allowance", "wage_cost"):
                agg[key] += part[key]
            agg["workers"] += 1
    return sorted(out.values(), key=lambda e: e["employer_id"])


CSV_COLUMNS = ["period_start", "period_end", "worker_id", "worker_name", "employer_id", "employer_name", "cao",
               "hours", "paid_hours", "base", "surcharges", "overtime", "minimum_call", "gross_pay",
               "holiday_allowance_percent", "holiday_allowance", "wage_cost", "share"]


def to_csv(statement: dict) -> str:
    """The statement as payroll software imports it: one line per worker and employer (amounts in
    euros and hours with a decimal point; the share with 4 decimals). Hours still waiting for an
    earlier shift's approval are not in it, as they are not in the statement."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in statement["workers"]:
        for part in row["employers"]:
            writer.writerow([statement["period_start"].isoformat(), statement["period_end"].isoformat(),
                             row["worker_id"], csv_text(row["worker_name"]), part["employer_id"],
                             csv_text(part["employer_name"]), part["cao_code"] or "",
                             *(two_decimals(part[k]) for k in ("hours", "paid_hours", "base", "surcharges", "overtime",
                                                               "minimum_call", "gross_pay", "holiday_allowance_percent",
                                                               "holiday_allowance", "wage_cost")),
                             f"{part['share']:.4f}"])
    return out.getvalue()
