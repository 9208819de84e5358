"""Each worker's plan so far, and whether one more shift would break a rule.

Used to explain open slots, to repair plans glued from parts and to fill open slots
greedily. Times are POSIX seconds; a plan is a sorted list of (start, end, shift id).
"""
from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from typing import Iterable

from scheduling.instance import Assignment, Instance, Shift, Worker
from scheduling.timeline import HOUR, haversine_km, week_bounds, week_start

DAY = 24 * HOUR


class Diaries:
    """The plan of every worker, with the rule checks for adding a shift."""

    def __init__(self, inst: Instance, assignments: Iterable[Assignment] = ()):
        self.inst, self.rules = inst, inst.rules
        self.shifts = {s.id: s for s in inst.shifts}
        self.locations = {e.id: e.location for e in inst.employers}
        self._weeks: dict[str, object] = {}
        self._hours = {s.id: s.hours for s in inst.shifts}
        self._times = {s.id: (s.start.timestamp(), s.end.timestamp()) for s in inst.shifts}
        self._between: dict[tuple[str, str], float] = {}
        self._available: dict[str, list[tuple[float, float]]] = {}
        self._week_hours: dict[tuple[str, object], float] = defaultdict(float)
        self.apart: dict[str, set[str]] = defaultdict(set)   # the instance's `conflicts`
        for a, b in inst.conflicts:
            self.apart[a].add(b)
            self.apart[b].add(a)
        self.on_shift: dict[str, set[str]] = defaultdict(set)
        self.plan: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
        for a in assignments:
            self.add(a.worker, a.shift)

    def add(self, worker_id: str, shift_id: str) -> None:
        self.on_shift[shift_id].add(worker_id)
        insort(self.plan[worker_id], (*self._times[shift_id], shift_id))
        self._week_hours[worker_id, self._week(shift_id)] += self._hours[shift_id]

    def remove(self, worker_id: str, shift_id: str) -> None:
        if worker_id not in self.on_shift[shift_id]:
            return
        self.on_shift[shift_id].discard(worker_id)
        self.plan[worker_id] = [p for p in self.plan[worker_id] if p[2] != shift_id]
        self._week_hours[worker_id, self._week(shift_id)] -= self._hours[shift_id]

    def week_hours(self, worker_id: str, shift_id: str) -> float:
        """Hours the worker already has in the ISO week in which `shift_id` starts."""
        return self._week_hours.get((worker_id, self._week(shift_id)), 0.0)

    def static_block(self, worker: Worker, shift: Shift) -> str | None:
        """Skills, employer, distance, shift length: the rules that ignore the plan."""
        if not shift.skills <= worker.skills:
            return "skills"
        if worker.employers is not None and shift.employer not in worker.employers:
            return "employer"
        if worker.max_travel_km is not None and worker.max_travel_km < haversine_km(
                worker.home, self.locations[shift.employer]):
            return "distance"
        if shift.length_hours > self.rules.max_shift_hours:
            return "length"
        if shift.id in worker.excluded:
            return "excluded"
        return None

    def first_block(self, worker: Worker, shift: Shift) -> str:
        start, end = self._times[shift.id]
        if not any(lo <= start and end <= hi for lo, hi in self._windows(worker)):
            return "availability"
        if worker.id in self.on_shift[shift.id]:
            return "assigned"
        plan = self.plan[worker.id]
        return self._plan_block(worker, shift, plan, (start, end, shift.id)) or "free"

    def fits(self, worker: Worker, shift: Shift) -> bool:
        """first_block(...) == "free", with the cheapest checks first (for filling slots)."""
        if self.week_hours(worker.id, shift.id) + self._hours[shift.id] > self.cap(worker) + 1e-9:
            return False
        return self.first_block(worker, shift) == "free"

    def _windows(self, worker: Worker) -> list[tuple[float, float]]:
        if worker.id not in self._available:
            self._available[worker.id] = [(a.start.timestamp(), a.end.timestamp())
                                          for a in worker.available]
        return self._available[worker.id]

    def _plan_block(self, worker: Worker, shift: Shift, plan, new) -> str | None:
        if any(s < new[1] and new[0] < e for s, e, _ in plan):
            return "overlap"
        if self._travel_conflict(shift, plan, new):
            return "travel"
        if self.apart and any(sid in self.apart[shift.id] for _, _, sid in plan):
            return "conflict"
        trial = sorted(plan + [new])
        if not self._daily_rest_ok(trial, new):
            return "daily rest"
        if not self._weekly_rest_ok(trial, new, shift):
            return "weekly rest"
        if self.week_hours(worker.id, shift.id) + shift.hours > self.cap(worker) + 1e-9:
            return "weekly maximum"
        return None

    def _travel_conflict(self, shift: Shift, plan, new) -> bool:
        speed = self.rules.travel_speed_kmh
        for s, e, sid in plan:
            other = self.shifts[sid]
            if other.employer == shift.employer:
                continue
            gap = new[0] - e if e <= new[0] else s - new[1]
            km = self._km(other.employer, shift.employer)
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

    def _km(self, a: str, b: str) -> float:
        key = (a, b) if a < b else (b, a)
        if key not in self._between:
            self._between[key] = haversine_km(self.locations[a], self.locations[b])
        return self._between[key]

    def week_of(self, shift_id: str):
        """The start of the ISO week in which `shift_id` starts (local time)."""
        return self._week(shift_id)

    def _week(self, shift_id: str):
        if shift_id not in self._weeks:
            self._weeks[shift_id] = week_start(self.shifts[shift_id].start, self.inst.timezone)
        return self._weeks[shift_id]

    def cap(self, worker: Worker) -> float:
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
