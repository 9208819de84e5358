"""The compliance screen of a plan: what the planner proposes passes contracts.compliance.

The planner knows the rules every worker shares (the instance's rules: rest, weekly hours,
shift length). The Working Hours Act and the CAOs ask more of some schedules: breaks within a
duty, the night-work rules (length, rest after nights, counts), the youth rules (9 h, 45 h,
12 h rest), the CAO's daily limits, the minimum wage. A manual assignment is refused when it
breaks one of those (banenpool.services.assignments); a plan is held to the same check before
it is stored: for every worker the plan gives new shifts, the combined schedule (confirmed
shifts around the period, base hours, the plan's shifts) is checked, and while a violation
involves a proposed shift, the proposed shift involved in most of them (the later one on a
tie) is left out. A left-out shift becomes an open slot whose reason names the rule, and the
plan's status is `feasible` (no longer proven optimal for the rules it must keep).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS
from banenpool.models import Employer, Worker
from banenpool.services.checks import work_items
from banenpool.services.registry import contract_on
from contracts.compliance import WorkItem, check_schedule
from contracts.wml import age_on

CONTEXT = timedelta(weeks=16, days=1)  # the longest window a compliance rule looks at
ADULT = 18  # the compliance rules treat every age from 18 on alike (pay aside)


@dataclass(frozen=True)
class LeftOut:
    shift: str
    worker: str
    rules: tuple[str, ...]
    messages: tuple[str, ...]

    def reason(self) -> str:
        return f"worker {self.worker} left out: " + "; ".join(self.messages)

    def as_dict(self) -> dict:
        return {"shift_id": int(self.shift), "worker_id": int(self.worker), "rules": list(self.rules),
                "messages": list(self.messages)}


def screen(session: Session, instance: dict, solution: dict, base: list[tuple],
           period_shifts: set[str]) -> dict:
    """`solution` (a banenpool-solution/1 dict) without the proposed shifts that break a compliance
    rule; those become open slots. `base`: (assignment id, shift id, worker id) of the period's
    confirmed assignments; `period_shifts`: the ids of the shifts the plan decides."""
    shifts = {s["id"]: s for s in instance["shifts"]}
    base_ids = {(str(shift), str(worker)): ident for ident, shift, worker in base}
    by_worker: dict[str, list[str]] = {}
    for a in solution["assignments"]:
        if a["shift"] in period_shifts or not a["shift"].isdigit():
            by_worker.setdefault(a["worker"], []).append(a["shift"])
    proposed = {w: [s for s in ss if s in period_shifts and (s, w) not in base_ids] for w, ss in by_worker.items()}
    first, last = _period_days(shifts, period_shifts)
    left_out: list[LeftOut] = []
    for worker_id in sorted((w for w, ss in proposed.items() if ss), key=int):
        worker = session.get(Worker, int(worker_id))
        if worker is None or worker.birth_date is None:
            continue
        left_out += _screen_worker(session, worker, shifts, by_worker[worker_id], set(proposed[worker_id]),
                                   base_ids, first, last)
    solution = _without(instance, solution, left_out) if left_out else solution
    return {**solution, "unfilled": _why_barred(session, instance, solution["unfilled"])}


def _why_barred(session: Session, instance: dict, unfilled: list[dict]) -> list[dict]:
    """Open slots with workers barred from them (`excluded`) also get the rules that bar them."""
    barred: dict[str, list[str]] = {}
    for w in instance["workers"]:
        for shift_id in w.get("excluded", ()):
            barred.setdefault(shift_id, []).append(w["id"])
    shifts = {s["id"]: s for s in instance["shifts"]}
    out = []
    for slot in unfilled:
        messages: Counter = Counter()
        for worker_id in barred.get(slot["shift"], ()):
            worker = session.get(Worker, int(worker_id))
            employer = session.get(Employer, int(shifts[slot["shift"]]["employer"]))
            if worker is not None and employer is not None and worker.birth_date is not None:
                messages.update(barring(worker.birth_date, shifts[slot["shift"]], employer))
        why = [f"barred for {n} worker{'s' if n > 1 else ''}: {m}" for m, n in messages.items()]
        out.append({**slot, "reasons": list(slot["reasons"]) + why} if why else slot)
    return out


def _period_days(shifts: dict, period_shifts: set[str]) -> tuple[date, date]:
    days = [datetime.fromisoformat(shifts[s]["start"]).astimezone(AMS).date() for s in period_shifts]
    return (min(days), max(days)) if days else (date.today(), date.today())


def _screen_worker(session: Session, worker: Worker, shifts: dict, planned: list[str], proposed: set[str],
                   base_ids: dict, first: date, last: date) -> list[LeftOut]:
    period_assignments = {f"A{ident}" for (_, w), ident in base_ids.items() if w == str(worker.id)}
    context = [i for i in work_items(session, worker, first - CONTEXT, last + CONTEXT)
               if i.id not in period_assignments]
    employers = {e.id: e for e in session.scalars(
        select(Employer).where(Employer.id.in_({int(shifts[s]["employer"]) for s in planned})))}
    items = {}
    for shift_id in planned:
        key = (shift_id, str(worker.id))
        ident = f"A{base_ids[key]}" if key in base_ids else (f"shift {shift_id}" if shift_id in proposed
                                                               else shift_id)
        items[ident] = _item(ident, shifts[shift_id], worker, employers[int(shifts[shift_id]["employer"])])
    new = {f"shift {s}": s for s in proposed}
    out = []
    while True:
        violations, _ = check_schedule(worker.birth_date, context + list(items.values()), lang="en")
        blocking = [v for v in violations if any(i in new for i in v.assignment_ids)]
        if not blocking:
            return out
        counts = Counter(i for v in blocking for i in v.assignment_ids if i in new)
        worst = max(counts, key=lambda i: (counts[i], items[i].start, i))
        found = [v for v in blocking if worst in v.assignment_ids]
        out.append(LeftOut(new.pop(worst), str(worker.id), tuple(sorted({v.rule for v in found})),
                           tuple(f"{v.rule}: {v.message}" for v in found)))
        del items[worst]


def _item(ident: str, shift: dict, worker: Worker, employer: Employer) -> WorkItem:
    start, end = datetime.fromisoformat(shift["start"]), datetime.fromisoformat(shift["end"])
    contract = contract_on(worker.contracts, employer.id, start.astimezone(AMS).date())
    return WorkItem(
        id=ident, employer_id=str(employer.id), employer_name=employer.name, cao_code=employer.cao_code,
        start=start, end=end, break_minutes=shift["break_minutes"],
        contract_kind=contract.kind if contract else None,
        contract_hours_per_week=contract.hours_per_week if contract else None,
        hourly_wage=contract.hourly_wage if contract else None)


def _without(instance: dict, solution: dict, left_out: list[LeftOut]) -> dict:
    from scheduling import Assignment as Pair, compute_metrics, load_instance
    gone = {(lo.shift, lo.worker) for lo in left_out}
    assignments = [a for a in solution["assignments"] if (a["shift"], a["worker"]) not in gone]
    unfilled = {u["shift"]: {**u, "reasons": list(u["reasons"])} for u in solution["unfilled"]}
    for lo in left_out:
        slot = unfilled.setdefault(lo.shift, {"shift": lo.shift, "open": 0, "reasons": []})
        slot["open"] += 1
        slot["reasons"].append(lo.reason())
    order = {s["id"]: n for n, s in enumerate(instance["shifts"])}
    metrics = compute_metrics(load_instance(instance), [Pair(a["shift"], a["worker"]) for a in assignments])
    return {**solution, "status": "feasible" if solution["status"] == "optimal" else solution["status"],
            "assignments": assignments, "metrics": metrics,
            "unfilled": sorted(unfilled.values(), key=lambda u: order[u["shift"]]),
            "compliance": {"left_out": [lo.as_dict() for lo in left_out]}}


PAY_RULES = frozenset({"WML", "ONCALL-3h"})  # about pay, not about whether the worker may work the shift


def barring(birth_date: date, shift: dict, employer: Employer) -> list[str]:
    """Why the shift on its own is unlawful for a worker born on `birth_date` (a minor's 9 h, a
    break too short, a CAO's daily limit at that employer, ...): "RULE: message" each; [] if none."""
    item = WorkItem(id=f"shift {shift['id']}", employer_id=str(employer.id), employer_name=employer.name,
                    cao_code=employer.cao_code, start=datetime.fromisoformat(shift["start"]),
                    end=datetime.fromisoformat(shift["end"]), break_minutes=shift["break_minutes"],
                    contract_kind=None, contract_hours_per_week=None, hourly_wage=None)
    violations, _ = check_schedule(birth_date, [item], lang="en")
    return [f"{v.rule}: {v.message}" for v in violations if v.rule not in PAY_RULES]


def excluded_shifts(workers: list[Worker], shifts: list[dict], employers: dict[str, Employer]) -> dict[int, list[str]]:
    """For each worker, the shifts (instance entries) the compliance rules bar them from on their own.

    The answer depends on the shift and the worker's age on its day only, so it is computed once per
    (age, shift): adults share one answer."""
    days = {s["id"]: datetime.fromisoformat(s["start"]).astimezone(AMS).date() for s in shifts}
    found: dict[tuple[int, str], bool] = {}
    out: dict[int, list[str]] = {}
    for worker in workers:
        if worker.birth_date is None:
            continue
        for shift in shifts:
            key = (min(age_on(worker.birth_date, days[shift["id"]]), ADULT), shift["id"])
            if key not in found:
                found[key] = bool(barring(worker.birth_date, shift, employers[shift["employer"]]))
            if found[key]:
                out.setdefault(worker.id, []).append(shift["id"])
    return out
