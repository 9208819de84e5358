"""Numbers the model is built from: shift times, ISO weeks and eligible (worker, shift) pairs.

Eligibility is found through indexes (employer → skill set → shifts sorted by start, and
bisection inside each availability interval), so the cost grows with the number of
eligible pairs, not with workers × shifts.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field, replace

from scheduling.instance import Instance, Shift, Worker
from scheduling.timeline import HOUR, haversine_km, week_bounds, week_start


@dataclass
class ModelData:
    inst: Instance
    start: list[float]                      # per shift index, POSIX seconds
    end: list[float]
    hours: list[float]                      # paid hours (break excluded)
    week: list[int]                         # index into `weeks` of the week the shift starts in
    weeks: list[tuple[float, float]]        # every ISO week a shift touches, sorted
    candidates: list[list[int]]             # per worker: shift indexes sorted by (start, end)
    fixed: set[tuple[int, int]] = field(default_factory=set)   # (worker, shift)
    home_km: dict[tuple[int, int], float] = field(default_factory=dict)
    shift_index: dict[str, int] = field(default_factory=dict)
    worker_index: dict[str, int] = field(default_factory=dict)
    _employer_km: dict[tuple[str, str], float] = field(default_factory=dict)
    _locations: dict = field(default_factory=dict)
    _far: float | None = None
    _by_shift: list[list[int]] | None = None
    _apart: dict[int, set[int]] | None = None

    def apart(self) -> dict[int, set[int]]:
        """Per shift index: the shifts the instance's `conflicts` say no worker holds with it."""
        if self._apart is None:
            self._apart = defaultdict(set)
            for a, b in self.inst.conflicts:
                i, j = self.shift_index.get(a), self.shift_index.get(b)
                if i is None or j is None:
                    continue    # a part of the instance (a week, a region) without one of them
                self._apart[i].add(j)
                self._apart[j].add(i)
        return self._apart

    def pair_count(self) -> int:
        return sum(len(c) for c in self.candidates)

    def pairs(self):
        for w, shifts in enumerate(self.candidates):
            for s in shifts:
                yield w, s

    def restricted_to(self, pairs: set[tuple[int, int]]) -> "ModelData":
        """The same data with only `pairs` eligible (a model over them plans a subset)."""
        return replace(self, candidates=[[s for s in shifts if (w, s) in pairs]
                                         for w, shifts in enumerate(self.candidates)],
                       _by_shift=None)

    def demand_value(self) -> float:
        """Σ priority × hours × headcount: the value of covering every shift."""
        return sum(s.priority * h * s.headcount for s, h in zip(self.inst.shifts, self.hours))

    def workers_of_shift(self) -> list[list[int]]:
        """Per shift index: the eligible worker indexes, ascending (computed once)."""
        if self._by_shift is None:
            self._by_shift = [[] for _ in self.inst.shifts]
            for w, s in self.pairs():
                self._by_shift[s].append(w)
        return self._by_shift

    def travel_seconds(self, a: int, b: int) -> float:
        """Travel time between the employers of shifts a and b."""
        ea, eb = self.inst.shifts[a].employer, self.inst.shifts[b].employer
        if ea == eb:
            return 0.0
        key = (ea, eb) if ea < eb else (eb, ea)
        km = self._employer_km.get(key)
        if km is None:
            if not self._locations:
                self._locations.update((e.id, e.location) for e in self.inst.employers)
            km = self._employer_km[key] = haversine_km(self._locations[ea], self._locations[eb])
        return km / self.inst.rules.travel_speed_kmh * HOUR

    def max_travel_seconds(self) -> float:
        """The longest travel time between any two employers."""
        if self._far is None:
            locs = [e.location for e in self.inst.employers if e.location is not None]
            far = max((haversine_km(a, b) for a in locs for b in locs), default=0.0)
            self._far = far / self.inst.rules.travel_speed_kmh * HOUR
        return self._far

    def week_cap(self, w: int) -> float:
        worker = self.inst.workers[w]
        return min(self.inst.rules.max_week_hours, worker.max_hours_per_week)

    def reachable_cap(self, w: int, shifts: list[int]) -> float:
        """The most hours any subset of `shifts` adds up to within the worker's weekly cap.

        A valid right-hand side for the weekly-hours row that is often tighter: a worker
        with a 36-hour cap and only 7.5-hour shifts can work 30 hours, which the LP
        relaxation otherwise fills to 36 with fractions. Subset sums in whole minutes
        (bits of an integer); the plain cap if some shift is not whole minutes.
        """
        cap = self.week_cap(w)
        minutes = [self.hours[s] * 60 for s in shifts]
        if any(abs(m - round(m)) > 1e-6 for m in minutes):
            return cap
        limit = int(cap * 60 + 1e-6)
        mask, reach = (1 << (limit + 1)) - 1, 1
        for m in minutes:
            reach = (reach | (reach << round(m))) & mask
        return (reach.bit_length() - 1) / 60


def _shift_groups(inst: Instance) -> dict[str, dict[frozenset, list[tuple[float, int]]]]:
    groups: dict[str, dict[frozenset, list]] = defaultdict(lambda: defaultdict(list))
    for i, s in enumerate(inst.shifts):
        groups[s.employer][s.skills].append((s.start.timestamp(), i))
    for by_skills in groups.values():
        for entries in by_skills.values():
            entries.sort()
    return groups


def reachable_employers(inst: Instance, worker: Worker) -> list[str]:
    """Employers the worker may work for and lives close enough to."""
    out = []
    for e in inst.employers:
        if worker.employers is not None and e.id not in worker.employers:
            continue
        if worker.max_travel_km is not None and \
                haversine_km(worker.home, e.location) > worker.max_travel_km:
            continue
        out.append(e.id)
    return out


def _eligible(inst: Instance, worker: Worker, groups, end: list[float]) -> set[int]:
    found: set[int] = set()
    max_len = inst.rules.max_shift_hours * HOUR
    windows = [(a.start.timestamp(), a.end.timestamp()) for a in worker.available]
    for employer in reachable_employers(inst, worker):
        for skills, entries in groups.get(employer, {}).items():
            if not skills <= worker.skills:
                continue
            starts = [t for t, _ in entries]
            for lo, hi in windows:
                for k in range(bisect_left(starts, lo), bisect_left(starts, hi)):
                    i = entries[k][1]
                    if end[i] <= hi and end[i] - starts[k] <= max_len and \
                            inst.shifts[i].id not in worker.excluded:
                        found.add(i)
    return found


def build_model_data(inst: Instance) -> ModelData:
    """Index the instance: times, weeks, and every eligible pair (fixed ones included)."""
    start = [s.start.timestamp() for s in inst.shifts]
    end = [s.end.timestamp() for s in inst.shifts]
    week_of, weeks = _weeks(inst.shifts, inst.timezone)
    data = ModelData(inst, start, end, [s.hours for s in inst.shifts], week_of, weeks, [])
    data.shift_index = {s.id: i for i, s in enumerate(inst.shifts)}
    data.worker_index = {w.id: i for i, w in enumerate(inst.workers)}
    locations = {e.id: e.location for e in inst.employers}
    groups = _shift_groups(inst)
    full = _full_shifts(inst)
    for w, worker in enumerate(inst.workers):
        chosen = {i for i in _eligible(inst, worker, groups, end) if i not in full}
        for sid in worker.fixed:
            i = data.shift_index[sid]
            chosen.add(i)
            data.fixed.add((w, i))
        data.candidates.append(sorted(chosen, key=lambda i: (start[i], end[i], i)))
        for i in chosen:
            km = haversine_km(worker.home, locations[inst.shifts[i].employer])
            data.home_km[w, i] = km
    return data


def _full_shifts(inst: Instance) -> set[int]:
    """Shifts whose fixed workers already fill the headcount: nobody else is a candidate."""
    position = {s.id: i for i, s in enumerate(inst.shifts)}
    taken: dict[int, int] = defaultdict(int)
    for w in inst.workers:
        for sid in w.fixed:
            taken[position[sid]] += 1
    return {i for i, n in taken.items() if n >= inst.shifts[i].headcount}


def _weeks(shifts: tuple[Shift, ...], timezone: str):
    """Week index (by local start) of every shift, and all weeks any shift overlaps."""
    bounds: dict[float, tuple[float, float]] = {}
    week_key = []
    for s in shifts:
        ws, we = week_bounds(week_start(s.start, timezone))
        bounds[ws] = (ws, we)
        week_key.append(ws)
        while we < s.end.timestamp():   # a shift running into the next week(s)
            ws, we = week_bounds(week_start(s.start.fromtimestamp(we, s.start.tzinfo), timezone))
            bounds[ws] = (ws, we)
    weeks = sorted(bounds.values())
    position = {ws: k for k, (ws, _) in enumerate(weeks)}
    return [position[k] for k in week_key], weeks
