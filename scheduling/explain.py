"""Why a slot stayed open: reasons from the data and the final plan.

Every worker is classified by the first rule that stops them from taking the open slot,
in this order: skills, allowed employer, travel distance, shift length, availability,
then (given the plan) already on the shift, overlap, travel time, daily rest, weekly
rest, weekly maximum. The reasons summarise the classes, e.g.
"no worker has skills heftruck+groen" or "all 4 candidates at their weekly maximum".
"""
from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter, defaultdict
from typing import Iterable

from scheduling.instance import Assignment, Instance, Shift, Unfilled, Worker
from scheduling.timeline import HOUR, haversine_km, week_bounds, week_start

DAY = 24 * HOUR


def explain_unfilled(inst: Instance, assignments: Iterable[Assignment]) -> tuple[Unfilled, ...]:
    """One `Unfilled` per shift with fewer workers than its headcount, with reasons."""
    ctx = _Context(inst, assignments)
    out = []
    for s in inst.shifts:
        open_slots = s.headcount - len(ctx.on_shift[s.id])
        if open_slots > 0:
            out.append(Unfilled(s.id, open_slots, tuple(ctx.reasons(s))))
    return tuple(out)


class _Context:
    def __init__(self, inst: Instance, assignments: Iterable[Assignment]):
        self.inst, self.rules = inst, inst.rules
        self.shifts = {s.id: s for s in inst.shifts}
        self.locations = {e.id: e.location for e in inst.employers}
        self._pools: dict = {}
        self._weeks: dict[str, object] = {}
        self.on_shift: dict[str, set[str]] = defaultdict(set)
        self.plan: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
        for a in assignments:
            s = self.shifts[a.shift]
            self.on_shift[a.shift].add(a.worker)
            insort(self.plan[a.worker], (s.start.timestamp(), s.end.timestamp(), s.id))

    def reasons(self, shift: Shift) -> list[str]:
        if shift.length_hours > self.rules.max_shift_hours:
            return [f"the shift lasts {shift.length_hours:g} h, more than the "
                    f"{self.rules.max_shift_hours:g} h allowed"]
        skilled, blocks, pool = self._static_pool(shift.employer, shift.skills)
        if not skilled:
            return [f"no worker has skill{'s' if len(shift.skills) > 1 else ''} "
                    f"{'+'.join(sorted(shift.skills))}"]
        blocks = blocks + Counter(self.first_block(w, shift) for w in pool)
        return _summarise(blocks, shift, skilled, self.rules)

    def _static_pool(self, employer: str, skills: frozenset):
        """Workers with the skills, counts blocked by employer/distance, and the rest."""
        key = (employer, skills)
        if key not in self._pools:
            blocks, pool, skilled = Counter(), [], 0
            for w in self.inst.workers:
                if not skills <= w.skills:
                    continue
                skilled += 1
                block = self._static_block(w, employer)
                if block:
                    blocks[block] += 1
                else:
                    pool.append(w)
            self._pools[key] = (skilled, blocks, pool)
        return self._pools[key]

    def _static_block(self, worker: Worker, employer: str) -> str | None:
        if worker.employers is not None and employer not in worker.employers:
            return "employer"
        if worker.max_travel_km is not None and worker.max_travel_km < haversine_km(
                worker.home, self.locations[employer]):
            return "distance"
        return None

    def first_block(self, worker: Worker, shift: Shift) -> str:
        start, end = shift.start.timestamp(), shift.end.timestamp()
        if not any(a.start.timestamp() <= start and end <= a.end.timestamp()
                   for a in worker.available):
            return "availability"
        if worker.id in self.on_shift[shift.id]:
            return "assigned"
        plan = self.plan[worker.id]
        return self._plan_block(worker, shift, plan, (start, end, shift.id)) or "free"

    def _plan_block(self, worker: Worker, shift: Shift, plan, new) -> str | None:
        if any(s < new[1] and new[0] < e for s, e, _ in plan):
            return "overlap"
        if self._travel_conflict(shift, plan, new):
            return "travel"
        trial = sorted(plan + [new])
        if not self._daily_rest_ok(trial, new):
            return "daily rest"
        if not self._weekly_rest_ok(trial, new, shift):
            return "weekly rest"
        if self._week_hours(worker, shift, plan) + shift.hours > self._cap(worker) + 1e-9:
            return "weekly maximum"
        return None

    def _travel_conflict(self, shift: Shift, plan, new) -> bool:
        speed = self.rules.travel_speed_kmh
        for s, e, sid in plan:
            other = self.shifts[sid]
            if other.employer == shift.employer:
                continue
            gap = new[0] - e if e <= new[0] else s - new[1]
            km = haversine_km(self.locations[other.employer], self.locations[shift.employer])
            if gap < km / speed * HOUR:
                return True
        return False

    def _daily_rest_ok(self, trial, new) -> bool:
        need = self.rules.min_daily_rest_hours * HOUR
        starts = [s for s, _, _ in trial]
        first = bisect_left(starts, new[0] - DAY)
        for s, _, _ in trial[first:]:
            if s > new[1]:
                break
            if _longest_free(trial, s, s + DAY) < need:
                return False
        return True

    def _weekly_rest_ok(self, trial, new, shift: Shift) -> bool:
        need = self.rules.min_weekly_rest_hours * HOUR
        lo, hi = week_bounds(week_start(shift.start, self.inst.timezone))
        while lo < new[1]:
            if _longest_free(trial, lo, hi) < need:
                return False
            lo, hi = week_bounds(week_start(shift.start.fromtimestamp(hi, shift.start.tzinfo),
                                            self.inst.timezone))
        return True

    def _week_hours(self, worker: Worker, shift: Shift, plan) -> float:
        week = self._week(shift.id)
        return sum(self.shifts[sid].hours for _, _, sid in plan if self._week(sid) == week)

    def _week(self, shift_id: str):
        if shift_id not in self._weeks:
            self._weeks[shift_id] = week_start(self.shifts[shift_id].start, self.inst.timezone)
        return self._weeks[shift_id]

    def _cap(self, worker: Worker) -> float:
        return min(self.rules.max_week_hours, worker.max_hours_per_week)


def _longest_free(trial, lo: float, hi: float) -> float:
    """Longest stretch without work inside [lo, hi]; `trial` sorted by start."""
    cursor, best = lo, 0.0
    for s, e, _ in trial:
        if e <= lo:
            continue
        if s >= hi:
            break
        best = max(best, s - cursor)
        cursor = max(cursor, e)
    return max(best, hi - cursor)


_TEXT = {
    "employer": "may not work for {employer}",
    "distance": "beyond their maximum travel distance",
    "availability": "not available (leave, absence or outside their hours)",
    "assigned": "already on this shift",
    "overlap": "already on an overlapping shift",
    "travel": "no travel time from or to another shift",
    "daily rest": "would get less than {daily:g} h daily rest",
    "weekly rest": "would get less than {weekly:g} h weekly rest",
    "weekly maximum": "at their weekly maximum",
    "free": "free but not chosen (time limit reached before the optimum)",
}


def _summarise(blocks: Counter, shift: Shift, skilled: int, rules) -> list[str]:
    skill_text = "+".join(sorted(shift.skills)) or "any skill"
    values = {"employer": shift.employer, "daily": rules.min_daily_rest_hours,
              "weekly": rules.min_weekly_rest_hours}
    reasons = []
    for key in _TEXT:
        n = blocks.get(key, 0)
        if not n:
            continue
        text = _TEXT[key].format(**values)
        if n == skilled == 1:
            who = f"the only worker with {skill_text}"
        elif n == skilled:
            who = f"all {n} workers with {skill_text}"
        else:
            who = f"{n} of {skilled} workers with {skill_text}"
        reasons.append(f"{who}: {text}")
    return reasons
