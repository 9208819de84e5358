"""The compliance screen of a plan: what the planner proposes passes contracts.compliance.

The planner knows the rules every worker shares (the instance's rules: rest, weekly hours,
shift length). The Working Hours Act and the CAOs ask more of some schedules: breaks within a
duty, the night-work rules (length, rest after nights, counts), the youth rules (9 h, 45 h,
12 h rest), the CAO's daily limits, the minimum wage. A manual assignment is refused when it
breaks one of those (banenpool.services.assignments); a plan is held to the same check before
it is stored: for every worker the plan gives new shifts, the combined schedule (confirmed
shifts around the period, base hours, the plan's shifts) is checked, and while a violation
involves a proposed shift, the proposed shift involved in most of them (the later one on a
tie) is left out. The slot so opened goes to the first other worker who passes the instance's
rules (contracts.worktime) and this check with it, those furthest below their minimum (then target)
hours that week first; if none does, it stays open with the rule as its reason. Either way the
plan's status is `feasible` (no longer proven optimal for the rules it must keep).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS
from banenpool.models import Employer, Worker
from banenpool.services.checks import COMPLIANCE_CONTEXT as CONTEXT, check_worker_schedule, work_item, work_items
from contracts import compliance_atw, compliance_night, compliance_pay
from contracts.compliance import RULE_CODES, WorkItem, check_schedule
from contracts.compliance_text import to_dutch
from contracts.compliance_model import DUTY_GAP
from contracts.wml import age_on

ADULT = 18  # the compliance rules treat every age from 18 on alike (pay aside)
RULE_START = re.compile(rf"(?:^|; )({'|'.join(map(re.escape, sorted(RULE_CODES, key=len, reverse=True)))}): ")
REFILL_CANDIDATES = 25  # workers tried per slot a left-out proposal opened


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
    rule, each slot so opened given to another worker when one passes both rule books (instance and
    compliance), else left open with the rule as its reason. `base`: (assignment id, shift id, worker
    id) of the period's confirmed assignments; `period_shifts`: the ids of the shifts the plan decides."""
    check = _Screen(session, instance, solution, base, period_shifts)
    left_out: list[LeftOut] = []
    for worker_id in sorted((w for w, ss in check.proposed.items() if ss), key=int):
        left_out += check.screen_worker(worker_id)
    refilled = check.refill(left_out) if left_out else []
    solution = _without(instance, solution, left_out, refilled) if left_out else solution
    return {**solution, "unfilled": _why_barred(session, instance, solution["unfilled"])}


class _Screen:
    """The plan's assignments per worker, and each worker's combined schedule for the compliance check."""

    def __init__(self, session: Session, instance: dict, solution: dict, base: list[tuple], period_shifts: set[str]):
        self.session, self.instance = session, instance
        self.shifts = {s["id"]: s for s in instance["shifts"]}
        self.week = {s["id"]: datetime.fromisoformat(s["start"]).astimezone(AMS).isocalendar()[:2]
                     for s in instance["shifts"]}
        self.base_ids = {(str(shift), str(worker)): ident for ident, shift, worker in base}
        self.planned: dict[str, list[str]] = {}
        for a in solution["assignments"]:
            if a["shift"] in period_shifts or not a["shift"].isdigit():
                self.planned.setdefault(a["worker"], []).append(a["shift"])
        self.proposed = {w: {s for s in ss if s in period_shifts and (s, w) not in self.base_ids}
                         for w, ss in self.planned.items()}
        self.first, self.last = _period_days(self.shifts, period_shifts)
        self.workers: dict[str, Worker | None] = {}
        self.employers: dict[int, Employer] = {}
        self.contexts: dict[str, list[WorkItem]] = {}

    def worker(self, worker_id: str) -> Worker | None:
        if worker_id not in self.workers:
            worker = self.session.get(Worker, int(worker_id))
            self.workers[worker_id] = worker if worker is not None and worker.birth_date is not None else None
        return self.workers[worker_id]

    def employer(self, shift_id: str) -> Employer:
        ident = int(self.shifts[shift_id]["employer"])
        if ident not in self.employers:
            self.employers[ident] = self.session.get(Employer, ident)
        return self.employers[ident]

    def context(self, worker: Worker) -> list[WorkItem]:
        """Confirmed shifts around the period that the plan does not decide."""
        key = str(worker.id)
        if key not in self.contexts:
            decided = {f"A{ident}" for (_, w), ident in self.base_ids.items() if w == key}
            self.contexts[key] = [i for i in work_items(self.session, worker, self.first - CONTEXT,
                                                        self.last + CONTEXT) if i.id not in decided]
        return self.contexts[key]

    def items(self, worker: Worker) -> dict[str, WorkItem]:
        """The plan's shifts of the worker as work items: confirmed ones as `A<id>`, proposed ones as
        `shift <id>`, base hours by their shift id."""
        out = {}
        for shift_id in self.planned.get(str(worker.id), []):
            key = (shift_id, str(worker.id))
            ident = f"A{self.base_ids[key]}" if key in self.base_ids else (
                f"shift {shift_id}" if shift_id in self.proposed.get(str(worker.id), ()) else shift_id)
            out[ident] = _item(ident, self.shifts[shift_id], self.employer(shift_id), worker)
        return out

    def violations(self, worker: Worker, items: dict[str, WorkItem]):
        return check_worker_schedule(worker, self.context(worker) + list(items.values()))[0]

    def screen_worker(self, worker_id: str) -> list[LeftOut]:
        """Leave out the worker's proposed shifts that break a rule, most-involved (then latest) first."""
        worker = self.worker(worker_id)
        if worker is None:
            return []
        items = self.items(worker)
        new = {f"shift {s}": s for s in self.proposed[worker_id]}
        out = []
        while True:
            blocking = [v for v in self.violations(worker, items) if any(i in new for i in v.assignment_ids)]
            if not blocking:
                return out
            counts = Counter(i for v in blocking for i in v.assignment_ids if i in new)
            worst = max(counts, key=lambda i: (counts[i], items[i].start, i))
            found = [v for v in blocking if worst in v.assignment_ids]
            shift_id = new.pop(worst)
            out.append(LeftOut(shift_id, worker_id, tuple(sorted({v.rule for v in found})),
                               tuple(f"{v.rule}: {v.message}" for v in found)))
            del items[worst]
            self.planned[worker_id].remove(shift_id)
            self.proposed[worker_id].discard(shift_id)

    def refill(self, left_out: list[LeftOut]) -> list[tuple[str, str]]:
        """Give each opened slot to the first worker who passes the instance's rules and the compliance
        check with it, those furthest below their minimum (then target) hours that week first; at most
        REFILL_CANDIDATES tried per slot."""
        from contracts.worktime import RuleBook
        rules = RuleBook(self.instance)
        on_shift: dict[str, set[str]] = {}
        for w, ss in self.planned.items():
            for shift_id in ss:
                on_shift.setdefault(shift_id, set()).add(w)
        tried_before = {(lo.shift, lo.worker) for lo in left_out}
        out = []
        for lo in sorted(left_out, key=lambda lo: (self.shifts[lo.shift]["start"], lo.shift, lo.worker)):
            for w in self._candidates(lo.shift, on_shift, tried_before)[:REFILL_CANDIDATES]:
                if rules.check_worker(w["id"], self.planned.get(w["id"], []) + [lo.shift]):
                    continue
                worker = self.worker(w["id"])
                if worker is None:
                    continue
                items = self.items(worker)
                items[f"shift {lo.shift}"] = _item(f"shift {lo.shift}", self.shifts[lo.shift],
                                                   self.employer(lo.shift), worker)
                if any(f"shift {lo.shift}" in v.assignment_ids for v in self.violations(worker, items)):
                    continue
                self.planned.setdefault(w["id"], []).append(lo.shift)
                self.proposed.setdefault(w["id"], set()).add(lo.shift)
                on_shift.setdefault(lo.shift, set()).add(w["id"])
                out.append((lo.shift, w["id"]))
                break
        return out

    def _candidates(self, shift_id: str, on_shift: dict, tried_before: set) -> list[dict]:
        shift = self.shifts[shift_id]
        start, end = datetime.fromisoformat(shift["start"]), datetime.fromisoformat(shift["end"])
        found = []
        for w in self.instance["workers"]:
            if w["id"] in on_shift.get(shift_id, ()) or (shift_id, w["id"]) in tried_before \
                    or shift_id in w.get("excluded", ()) or not set(shift["skills"]) <= set(w["skills"]) \
                    or not any(datetime.fromisoformat(a["start"]) <= start and end <= datetime.fromisoformat(a["end"])
                               for a in w["available"]):
                continue
            hours = sum(_hours(self.shifts[s]) for s in self.planned.get(w["id"], [])
                        if self.week[s] == self.week[shift_id])
            found.append((hours - w["min_hours_per_week"], hours - w["target_hours_per_week"], int(w["id"]), w))
        return [w for *_, w in sorted(found, key=lambda row: row[:3])]


def _hours(shift: dict) -> float:
    span = datetime.fromisoformat(shift["end"]) - datetime.fromisoformat(shift["start"])
    return span.total_seconds() / 3600 - shift["break_minutes"] / 60


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
        employer = session.get(Employer, int(shifts[slot["shift"]]["employer"]))
        for worker_id in barred.get(slot["shift"], ()):
            worker = session.get(Worker, int(worker_id))
            if worker is not None and employer is not None and worker.birth_date is not None:
                messages.update(barring(worker.birth_date, shifts[slot["shift"]], employer,
                                        worker.school_holiday_days()))
        why = [f"barred for {n} worker{'s' if n > 1 else ''}: {m}" for m, n in messages.items()]
        out.append({**slot, "reasons": list(slot["reasons"]) + why} if why else slot)
    return out


def _period_days(shifts: dict, period_shifts: set[str]) -> tuple[date, date]:
    days = [datetime.fromisoformat(shifts[s]["start"]).astimezone(AMS).date() for s in period_shifts]
    return (min(days), max(days)) if days else (date.today(), date.today())


def _item(ident: str, shift: dict, employer: Employer, worker: Worker | None = None) -> WorkItem:
    """An instance shift entry as a work item (see checks.work_item)."""
    return work_item(ident, datetime.fromisoformat(shift["start"]), datetime.fromisoformat(shift["end"]),
                     shift["break_minutes"], employer, worker)


def _without(instance: dict, solution: dict, left_out: list[LeftOut], refilled: list[tuple[str, str]]) -> dict:
    from scheduling import Assignment as Pair, compute_metrics, explain_unfilled, load_instance
    gone = {(lo.shift, lo.worker) for lo in left_out}
    assignments = [a for a in solution["assignments"] if (a["shift"], a["worker"]) not in gone]
    assignments += [{"shift": shift, "worker": worker} for shift, worker in refilled]
    inst, pairs = load_instance(instance), [Pair(a["shift"], a["worker"]) for a in assignments]
    # every open slot explained again for this plan: a worker left out is free for the slots
    # around it, which the planner's reasons (written before the screen) still called busy; on
    # the shift they were left out of, they count as barred by a rule (not "free")
    barred: dict[str, set[str]] = {}
    for lo in left_out:
        barred.setdefault(lo.worker, set()).add(lo.shift)
    explained = replace(inst, workers=tuple(replace(w, excluded=w.excluded | barred[w.id]) if w.id in barred else w
                                            for w in inst.workers))
    unfilled = {u.shift: {"shift": u.shift, "open": u.open, "reasons": list(u.reasons)}
                for u in explain_unfilled(explained, pairs)}
    taken_again = Counter(shift for shift, _ in refilled)
    first_reason: Counter = Counter()
    for lo in left_out:
        if taken_again[lo.shift]:
            taken_again[lo.shift] -= 1
            continue
        unfilled[lo.shift]["reasons"].insert(first_reason[lo.shift], lo.reason())   # the rule first
        first_reason[lo.shift] += 1
    order = {s["id"]: n for n, s in enumerate(instance["shifts"])}
    metrics = compute_metrics(inst, pairs)
    # the planner's `levels` spoke of its own plan, not of this one
    return {**{k: v for k, v in solution.items() if k != "levels"},
            "status": "feasible" if solution["status"] == "optimal" else solution["status"],
            "assignments": sorted(assignments, key=lambda a: (order[a["shift"]], a["worker"])), "metrics": metrics,
            "unfilled": sorted(unfilled.values(), key=lambda u: order[u["shift"]]),
            "compliance": {"left_out": [lo.as_dict() for lo in left_out],
                           "refilled": [{"shift_id": int(s), "worker_id": int(w)} for s, w in refilled]}}


def rule_messages(text: str) -> list[tuple[str, str]]:
    """The "RULE: message" parts of a stored reason ("RULE: message; RULE: message"), as (rule, message);
    a message holds "; " itself, so the parts split before a rule code only."""
    parts = RULE_START.split(text)
    return [(rule, message) for rule, message in zip(parts[1::2], parts[2::2])] if len(parts) > 1 else []


def message_in(lang: str, message: str) -> str:
    """A compliance message as the screen stores it (English, as the API gives it) in `lang`; Dutch
    for the Dutch pages, with Dutch numbers and dates. A text the rules do not write stays as is."""
    return (to_dutch(message) or message) if lang != "en" else message


PAY_RULES = frozenset({"WML", "ONCALL-3h"})  # about pay, not about whether the worker may work the shift


def barring(birth_date: date, shift: dict, employer: Employer, school_holidays=()) -> list[str]:
    """Why the shift on its own is unlawful for a worker born on `birth_date` with these school holidays
    (a minor's 9 h, over 2 h on a school day at 15, a break too short, a CAO's daily limit at that
    employer, ...): "RULE: message" each; [] if none."""
    violations, _ = check_schedule(birth_date, [_item(f"shift {shift['id']}", shift, employer)], lang="en",
                                   school_holidays=school_holidays)
    return [f"{v.rule}: {v.message}" for v in violations if v.rule not in PAY_RULES]


def excluded_shifts(workers: list[Worker], shifts: list[dict], employers: dict[str, Employer]) -> dict[int, list[str]]:
    """For each worker, the shifts (instance entries) the compliance rules bar them from on their own.

    The answer depends on the shift and the worker's age on its day only (at 15 also on their school
    holidays), so it is computed once per (age, school holidays, shift): adults share one answer."""
    days = {s["id"]: datetime.fromisoformat(s["start"]).astimezone(AMS).date() for s in shifts}
    found: dict[tuple[int, str], bool] = {}
    out: dict[int, list[str]] = {}
    for worker in workers:
        if worker.birth_date is None:
            continue
        holidays = None     # read only for a worker who is 15 on a shift's day
        for shift in shifts:
            age = min(age_on(worker.birth_date, days[shift["id"]]), ADULT)
            if age == 15 and holidays is None:
                holidays = worker.school_holiday_days()
            key = (age, holidays if age == 15 else (), shift["id"])
            if key not in found:
                found[key] = bool(barring(worker.birth_date, shift, employers[shift["employer"]], key[1]))
            if found[key]:
                out.setdefault(worker.id, []).append(shift["id"])
    return out


# the rules two shifts alone can break (weekly limits, averages and counts need more shifts)
PAIR_RULES = (compliance_atw.shift_length, compliance_atw.breaks, compliance_night.night_length,
              compliance_night.rest_after_night, compliance_pay.cao_max_shift, compliance_pay.cao_max_day)
DAILY_WINDOW, DAILY_REST = timedelta(hours=24), timedelta(hours=11)   # the instance's daily rest rule
PAIR_REST = timedelta(hours=14)   # the longest rest a rule asks between two shifts (after a night shift)
ADULT_BIRTH = date(1970, 1, 1)    # any adult: the rules (pay aside) treat every age from 18 on alike


def conflicting_pairs(shifts: list[dict], employers: dict[str, Employer],
                      fixed: dict[int, list[str]]) -> list[list[str]]:
    """Pairs of instance shifts an adult may not work both of, though either alone is lawful: a
    violation of contracts.compliance that names both (a break over a duty of the two, a night duty
    over 12 h, 14 h rest after a night shift ending after 02:00, a duty over 12 h, a CAO's limit).

    Only pairs that can break such a rule and that the instance's own 11 h daily rest allows are
    checked: the second starts less than 14 h after the first ends, and either the first holds
    time between 00:00 and 06:00, or they are less than 8 h apart (one duty) with less than 45 min
    between them, over 9 h of work together or night time in the second (a CAO's day limit below
    9 h across two shifts is left to the screen). Pairs fixed together for one worker (base hours)
    are left out: the plan cannot change them. Minors' own pair rules (12 h rest, 23:00-06:00)
    stay with the screen."""
    timed = sorted(((datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]), s)
                    for s in shifts), key=lambda row: (row[0], row[2]["id"]))
    together = {frozenset((a, b)) for ids in fixed.values() for a in ids for b in ids if a != b}
    items: dict[str, WorkItem] = {}

    def item(shift: dict) -> WorkItem:
        if shift["id"] not in items:
            items[shift["id"]] = _item(f"shift {shift['id']}", shift, employers[shift["employer"]])
        return items[shift["id"]]

    starts = [start for start, _, _ in timed]
    out = []
    for k, (start, end, first) in enumerate(timed):
        night = _touches_night(start, end)
        for later_start, later_end, second in timed[bisect_left(starts, end, k + 1):
                                                    bisect_left(starts, end + PAIR_REST)]:
            gap = later_start - end
            if _rest_rule_bars(start, end, later_start, later_end):
                continue    # the instance's 11 h daily rest bars the pair already
            work = (end - start) + (later_end - later_start)
            if not (night or (gap < DUTY_GAP and (gap < timedelta(minutes=45) or work > timedelta(hours=9)
                                                  or _touches_night(later_start, later_end)))):
                continue
            if frozenset((first["id"], second["id"])) in together:
                continue
            pair = [item(first), item(second)]
            violations, _ = check_schedule(ADULT_BIRTH, pair, lang="en", rules=PAIR_RULES)
            if any(len(set(v.assignment_ids) & {p.id for p in pair}) == 2 and v.rule not in PAY_RULES
                   for v in violations):
                out.append(sorted((first["id"], second["id"])))
    return out


def _rest_rule_bars(start: datetime, end: datetime, later_start: datetime, later_end: datetime) -> bool:
    """Whether the instance's daily rest (11 h unbroken in the 24 h from a shift's start) bars the
    second shift after the first, the two alone."""
    day_end = start + DAILY_WINDOW
    if later_start >= day_end:
        return False
    return max(later_start - end, day_end - later_end) < DAILY_REST


def _touches_night(start: datetime, end: datetime) -> bool:
    """Whether the shift holds local time between 00:00 and 06:00 (starts then, or runs past midnight)."""
    local_start, local_end = start.astimezone(AMS), end.astimezone(AMS)
    return local_start.hour < 6 or (local_end.date() > local_start.date() and local_end.time() > time(0))
