"""The CP-SAT model of the benchmark peer (see cpsat.py); imported only in its child process.

A boolean per eligible (worker, shift) pair (skills, employer, distance, availability;
fixed pairs forced to 1). Overlap and travel time: pairwise exclusions. Rest is modelled
exactly with a boolean per candidate rest window: "[t, t + rest) is free of work", where
t is the end of one of the worker's candidate shifts (or the week's start); every
uninterrupted rest starts at such a t. Objective, one weighted sum: 1000 × priority per
covered minute, − 10 per minute short of the weekly minimum, − 1 per minute short of the
weekly target, − 1 per km travelled.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from scheduling.instance import Assignment, Instance
from scheduling.timeline import haversine_km

COVER_WEIGHT, MIN_WEIGHT, TARGET_WEIGHT, KM_WEIGHT = 1000, 10, 1, 1
TOLERANCE_S = 1


class Cand(NamedTuple):
    """One candidate (worker, shift) pair, times as POSIX seconds."""

    start: float
    end: float
    shift: str
    employer: str
    minutes: int
    week: float  # POSIX start of the ISO week (local time) in which the shift starts
    var: object


class CpSatModel:
    """The CP-SAT model of one instance; `solve()` returns a solution dict."""

    def __init__(self, inst: Instance):
        from ortools.sat.python import cp_model

        self.inst, self.cp = inst, cp_model
        self.model = cp_model.CpModel()
        self.shifts = {s.id: s for s in inst.shifts}
        self.x: dict[tuple[str, str], object] = {}  # (worker, shift) -> BoolVar
        self.free: dict[tuple[str, float, float], object] = {}
        self.terms: list[tuple[object, int]] = []
        self.week_of = {s.id: _week_start(s.start, inst.timezone).timestamp() for s in inst.shifts}
        self.next_week: dict[float, float] = {}
        self.locations = {e.id: e.location for e in inst.employers}
        self.max_shift_s = inst.rules.max_shift_hours * 3600

    def build(self) -> None:
        by_worker = self._pairs()
        for shift_id, workers in self._by_shift().items():
            self.model.Add(sum(self.x[w, shift_id] for w in workers) <= self.shifts[shift_id].headcount)
        for worker in self.inst.workers:
            cands = by_worker[worker.id]
            if cands:
                starts = [c.start for c in cands]
                self._conflicts(cands)
                self._week_hours(worker, cands)
                self._daily_rest(worker.id, cands, starts)
                self._weekly_rest(worker.id, cands, starts)
        self.model.Maximize(sum(coef * var for var, coef in self.terms))

    # -- variables --------------------------------------------------------------------------
    def _pairs(self) -> dict[str, list[Cand]]:
        by_employer = defaultdict(list)
        for s in self.inst.shifts:
            if s.length_hours <= self.inst.rules.max_shift_hours + 1e-9:
                by_employer[s.employer].append(s)
        return {w.id: self._worker_pairs(w, by_employer) for w in self.inst.workers}

    def _worker_pairs(self, w, by_employer) -> list[Cand]:
        fixed = set(w.fixed)
        chosen = [self.shifts[f] for f in fixed]
        available = sorted(w.available, key=lambda a: a.start)
        starts = [a.start for a in available]
        for employer, shifts in by_employer.items():
            if _may_work_for(w, employer, self.locations.get(employer)):
                chosen += [s for s in shifts if s.id not in fixed and s.id not in w.excluded and s.skills <= w.skills
                           and _inside(available, starts, s)]
        cands = []
        for s in sorted(chosen, key=lambda s: (s.start, s.end, s.id)):
            var = self.model.NewBoolVar(f"x_{w.id}_{s.id}")
            self.x[w.id, s.id] = var
            if s.id in fixed:
                self.model.Add(var == 1)
            km = _km(w, self.locations.get(s.employer))
            self.terms.append((var, round(COVER_WEIGHT * s.priority * _minutes(s)) - round(KM_WEIGHT * km)))
            cands.append(Cand(s.start.timestamp(), s.end.timestamp(), s.id, s.employer, _minutes(s),
                              self.week_of[s.id], var))
        return cands

    def _by_shift(self) -> dict[str, list[str]]:
        result = defaultdict(list)
        for worker_id, shift_id in self.x:
            result[shift_id].append(worker_id)
        return result

    # -- rules ------------------------------------------------------------------------------
    def _conflicts(self, cands: list[Cand]) -> None:
        """Overlap, too little time to travel between two employers, and the instance's
        `conflicts` (pairs no worker holds both of)."""
        by_id = {c.shift: c for c in cands}
        for first, second in self.inst.conflicts:
            if first in by_id and second in by_id:
                self.model.AddBoolOr([by_id[first].var.Not(), by_id[second].var.Not()])
        speed = self.inst.rules.travel_speed_kmh
        for i, a in enumerate(cands):
            for b in cands[i + 1:]:
                gap = b.start - a.end
                if gap >= 3 * 3600:
                    break
                if gap < 0:
                    clash = True
                elif a.employer == b.employer or speed <= 0:
                    clash = False
                else:
                    km = haversine_km(self.locations.get(a.employer), self.locations.get(b.employer))
                    clash = gap + TOLERANCE_S < km / speed * 3600
                if clash:
                    self.model.AddBoolOr([a.var.Not(), b.var.Not()])

    def _week_hours(self, worker, cands: list[Cand]) -> None:
        limit = round(min(self.inst.rules.max_week_hours, worker.max_hours_per_week) * 60)
        per_week = defaultdict(list)
        for c in cands:
            per_week[c.week].append(c)
        for week, inside in per_week.items():
            minutes = sum(c.minutes * c.var for c in inside)
            if sum(c.minutes for c in inside) > limit:
                self.model.Add(minutes <= limit)
            for level, weight in ((worker.min_hours_per_week, MIN_WEIGHT),
                                  (worker.target_hours_per_week, TARGET_WEIGHT)):
                need = round(level * 60)
                if need > 0:
                    short = self.model.NewIntVar(0, need, f"short_{worker.id}_{week:.0f}_{weight}")
                    self.model.Add(short >= need - minutes)
                    self.terms.append((short, -weight))

    def _near(self, cands: list[Cand], starts: list[float], lo: float, hi: float) -> list[Cand]:
        """Candidates that may touch [lo, hi] (they start at most max_shift_hours earlier)."""
        return cands[bisect_right(starts, lo - self.max_shift_s - 1):bisect_right(starts, hi)]

    def _free(self, worker_id: str, cands, starts, t: float, seconds: float):
        """A boolean meaning 'no work in [t, t + seconds)'; None if no choice can break it."""
        key = (worker_id, t, seconds)
        if key not in self.free:
            end = t + seconds - TOLERANCE_S
            inside = [c.var for c in self._near(cands, starts, t, end) if c.start < end and c.end > t]
            var = None
            if inside:
                var = self.model.NewBoolVar(f"free_{worker_id}_{t:.0f}_{seconds:.0f}")
                self.model.AddBoolAnd([x.Not() for x in inside]).OnlyEnforceIf(var)
            self.free[key] = var
        return self.free[key]

    def _rest(self, worker_id, cands, starts, lo: float, hi: float, seconds: float, anchor=None) -> None:
        """Some window [t, t + seconds) inside [lo, hi] is free of work (if `anchor` is worked).

        Every uninterrupted rest starts at the end of a shift, or at `lo` for weekly rest.
        """
        latest = hi - seconds
        options_t = {c.end for c in self._near(cands, starts, lo, latest) if lo <= c.end <= latest}
        if anchor is None and lo <= latest:
            options_t.add(lo)
        options = []
        for t in sorted(options_t):
            var = self._free(worker_id, cands, starts, t, seconds)
            if var is None:
                return
            options.append(var)
        self.model.AddBoolOr(options if anchor is None else [anchor.Not(), *options])

    def _daily_rest(self, worker_id: str, cands: list[Cand], starts: list[float]) -> None:
        seconds = self.inst.rules.min_daily_rest_hours * 3600
        for c in cands:
            self._rest(worker_id, cands, starts, c.start, c.start + 24 * 3600, seconds, anchor=c.var)

    def _weekly_rest(self, worker_id: str, cands: list[Cand], starts: list[float]) -> None:
        seconds = self.inst.rules.min_weekly_rest_hours * 3600
        weeks = set()
        for c in cands:
            weeks.add(c.week)
            if c.end > self._next_week(c.week):  # a night shift into the next week
                weeks.add(self._next_week(c.week))
        for week in sorted(weeks):
            self._rest(worker_id, cands, starts, week, self._next_week(week), seconds)

    def _next_week(self, week: float) -> float:
        if week not in self.next_week:
            zone = ZoneInfo(self.inst.timezone)
            self.next_week[week] = _next_week(datetime.fromtimestamp(week, zone)).timestamp()
        return self.next_week[week]

    # -- solving ----------------------------------------------------------------------------
    def solve(self, time_limit: float) -> tuple[str, list[Assignment], dict]:
        solver = self.cp.CpSolver()
        solver.parameters.max_time_in_seconds = max(1.0, time_limit)
        solver.parameters.num_workers = 2
        code = solver.Solve(self.model)
        names = {self.cp.OPTIMAL: "optimal", self.cp.FEASIBLE: "feasible",
                 self.cp.INFEASIBLE: "infeasible", self.cp.MODEL_INVALID: "error"}
        status = names.get(code, "unknown")
        if status in ("optimal", "feasible"):
            chosen = [Assignment(s, w) for (w, s), var in self.x.items() if solver.Value(var)]
            stats = {"objective": solver.ObjectiveValue(), "objective_bound": solver.BestObjectiveBound()}
        else:
            chosen = [Assignment(s, w.id) for w in self.inst.workers for s in w.fixed]
            stats = {}
        return status, chosen, stats


def _inside(available, starts, shift) -> bool:
    i = bisect_right(starts, shift.start) - 1
    if i >= 0 and available[i].contains(shift.start, shift.end):
        return True
    return any(a.contains(shift.start, shift.end) for a in available[:max(i, 0)])


def _minutes(shift) -> int:
    return round(shift.hours * 60)


def _week_start(moment: datetime, zone_name: str) -> datetime:
    zone = ZoneInfo(zone_name)
    local = moment.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=zone)


def _next_week(week: datetime) -> datetime:
    day = week.date() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, tzinfo=week.tzinfo)


def _km(worker, location) -> float:
    return haversine_km(worker.home, location)


def _may_work_for(worker, employer: str, location) -> bool:
    if worker.employers is not None and employer not in worker.employers:
        return False
    if worker.max_travel_km is None or worker.home is None or location is None:
        return True
    return _km(worker, location) <= worker.max_travel_km + 1e-9
