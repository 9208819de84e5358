"""The spreadsheet planner's method, as a benchmark peer of the optimising planner.

Shift by shift in time order, the least-loaded eligible worker first (load = hours already
assigned in the shift's ISO week relative to the worker's target); every placement is
checked by the independent rules checker `contracts.worktime.check_worker`. Fixed shifts
are placed first.
"""
from __future__ import annotations

import time
from bisect import bisect_right, insort
from datetime import datetime
from zoneinfo import ZoneInfo

from contracts.worktime import check_worker
from scheduling.generator import distance_km
from scheduling.io import load_instance
from scheduling.instance import Assignment
from scheduling.metrics import compute_metrics


class _Pool:
    """Parsed workers and shifts of one instance dict, plus the plan built so far."""

    def __init__(self, inst: dict):
        self.inst = inst
        zone = ZoneInfo(inst.get("timezone", "Europe/Amsterdam"))
        rules = inst.get("rules") or {}
        self.max_week = float(rules.get("max_week_hours", 60))
        self.shifts = {s["id"]: _parse_shift(s, zone) for s in inst["shifts"]}
        self.workers = {w["id"]: _parse_worker(w) for w in inst["workers"]}
        self.locations = {e["id"]: e.get("location") for e in inst["employers"]}
        self.plan: dict[str, list[str]] = {w: [] for w in self.workers}
        self.busy: dict[str, list[tuple[datetime, datetime]]] = {w: [] for w in self.workers}
        self.taken: dict[str, list[str]] = {s: [] for s in self.shifts}
        self.week_hours: dict[tuple[str, object], float] = {}
        self._by_employer: dict[str, list[str]] = {}

    def assign(self, shift_id: str, worker_id: str) -> None:
        shift = self.shifts[shift_id]
        self.plan[worker_id].append(shift_id)
        insort(self.busy[worker_id], (shift["start"], shift["end"]))
        self.taken[shift_id].append(worker_id)
        key = (worker_id, shift["week"])
        self.week_hours[key] = self.week_hours.get(key, 0.0) + shift["hours"]

    def load(self, worker_id: str, week) -> float:
        target = self.workers[worker_id]["target"] or 1.0
        return self.week_hours.get((worker_id, week), 0.0) / target

    def candidates(self, shift_id: str) -> list[str]:
        """Workers who may take the shift on skills, employer, distance and availability."""
        shift = self.shifts[shift_id]
        result = []
        for worker_id in self._reachable(shift["employer"]):
            worker = self.workers[worker_id]
            if shift["skills"] <= worker["skills"] and shift_id not in worker["excluded"] \
                    and _available(worker, shift["start"], shift["end"]):
                result.append(worker_id)
        return result

    def fits_quickly(self, worker_id: str, shift_id: str) -> bool:
        """Cheap necessary conditions (weekly hours, overlap) before the full rules check."""
        shift, worker = self.shifts[shift_id], self.workers[worker_id]
        limit = min(self.max_week, worker["max"])
        if self.week_hours.get((worker_id, shift["week"]), 0.0) + shift["hours"] > limit + 1e-6:
            return False
        busy = self.busy[worker_id]
        i = bisect_right(busy, (shift["start"], shift["end"]))
        for start, end in busy[max(0, i - 2):i + 1]:  # worked shifts do not overlap each other
            if start < shift["end"] and shift["start"] < end:
                return False
        return worker_id not in self.taken[shift_id]

    def _reachable(self, employer: str) -> list[str]:
        if employer not in self._by_employer:
            where = self.locations.get(employer)
            self._by_employer[employer] = [
                wid for wid, w in self.workers.items()
                if (w["employers"] is None or employer in w["employers"])
                and (where is None or w["home"] is None or w["max_travel_km"] is None
                     or distance_km(w["home"], where) <= w["max_travel_km"] + 1e-9)]
        return self._by_employer[employer]


def simple_coverage_bound(inst_dict: dict) -> float:
    """An easy upper bound on Σ priority × hours covered: the smaller of
    (a) every shift filled up to min(headcount, workers eligible for it), and
    (b) every worker working, each week, the eligible hours up to their weekly limit
        at the highest priority they could reach."""
    pool = _Pool(inst_dict)
    eligible = {sid: set(pool.candidates(sid)) for sid in pool.shifts}
    for worker_id, worker in pool.workers.items():
        for sid in worker["fixed"]:
            eligible[sid].add(worker_id)
    priority = {s["id"]: float(s.get("priority", 1.0)) for s in inst_dict["shifts"]}
    by_shift = sum(priority[sid] * shift["hours"] * min(shift["headcount"], len(eligible[sid]))
                   for sid, shift in pool.shifts.items())
    weekly: dict[tuple[str, object], list[float]] = {}
    for sid, workers in eligible.items():
        shift = pool.shifts[sid]
        for worker_id in workers:
            entry = weekly.setdefault((worker_id, shift["week"]), [0.0, 0.0])
            entry[0] += shift["hours"]
            entry[1] = max(entry[1], priority[sid])
    by_worker = sum(min(hours, min(pool.max_week, pool.workers[w]["max"])) * top
                    for (w, _), (hours, top) in weekly.items())
    return round(min(by_shift, by_worker), 4)


def greedy(inst_dict: dict, time_limit: float | None = None) -> dict:
    """A `banenpool-solution/1` dict planned greedily; never breaks a rule of contracts/."""
    started = time.monotonic()
    pool = _Pool(inst_dict)
    for worker_id, worker in pool.workers.items():
        for shift_id in worker["fixed"]:
            pool.assign(shift_id, worker_id)
    timed_out = False
    for shift_id in sorted(pool.shifts, key=lambda s: (pool.shifts[s]["start"], pool.shifts[s]["end"], s)):
        if time_limit is not None and time.monotonic() - started > time_limit:
            timed_out = True
            break
        _fill(pool, shift_id)
    solution = _solution(inst_dict, pool, time.monotonic() - started)
    solution["timed_out"] = timed_out
    return solution


def _fill(pool: _Pool, shift_id: str) -> None:
    shift = pool.shifts[shift_id]
    open_slots = shift["headcount"] - len(pool.taken[shift_id])
    if open_slots <= 0:
        return
    ranked = sorted(pool.candidates(shift_id), key=lambda w: (pool.load(w, shift["week"]), w))
    for worker_id in ranked:
        if not pool.fits_quickly(worker_id, shift_id):
            continue
        if check_worker(pool.inst, worker_id, pool.plan[worker_id] + [shift_id]):
            continue
        pool.assign(shift_id, worker_id)
        open_slots -= 1
        if open_slots == 0:
            return


def _solution(inst_dict: dict, pool: _Pool, seconds: float) -> dict:
    pairs = sorted((s, w) for s, workers in pool.taken.items() for w in workers)
    inst = load_instance(inst_dict)
    metrics = compute_metrics(inst, [Assignment(s, w) for s, w in pairs])
    unfilled = [{"shift": s, "open": shift["headcount"] - len(pool.taken[s]),
                 "reasons": ["no eligible worker left who can take it within the rules"]}
                for s, shift in pool.shifts.items() if len(pool.taken[s]) < shift["headcount"]]
    return {"format": "banenpool-solution/1", "status": "feasible",
            "assignments": [{"shift": s, "worker": w} for s, w in pairs],
            "unfilled": unfilled, "metrics": metrics, "solve_seconds": round(seconds, 3)}


def _parse_shift(raw: dict, zone: ZoneInfo) -> dict:
    start, end = datetime.fromisoformat(raw["start"]), datetime.fromisoformat(raw["end"])
    local = start.astimezone(zone)
    return {"employer": raw["employer"], "start": start, "end": end,
            "hours": (end - start).total_seconds() / 3600 - raw.get("break_minutes", 0) / 60,
            "skills": frozenset(raw.get("skills", ())), "headcount": int(raw["headcount"]),
            "week": local.isocalendar()[:2]}


def _parse_worker(raw: dict) -> dict:
    intervals = sorted((datetime.fromisoformat(a["start"]), datetime.fromisoformat(a["end"]))
                       for a in raw.get("available", ()))
    employers = raw.get("employers")
    return {"skills": frozenset(raw.get("skills", ())), "home": raw.get("home"),
            "max_travel_km": raw.get("max_travel_km"), "target": float(raw["target_hours_per_week"]),
            "max": float(raw["max_hours_per_week"]), "fixed": list(raw.get("fixed", ())),
            "excluded": frozenset(raw.get("excluded", ())),
            "employers": None if employers is None else frozenset(employers),
            "starts": [a for a, _ in intervals], "intervals": intervals,
            "disjoint": all(a[1] <= b[0] for a, b in zip(intervals, intervals[1:]))}


def _available(worker: dict, start: datetime, end: datetime) -> bool:
    i = bisect_right(worker["starts"], start) - 1
    if i >= 0 and worker["intervals"][i][1] >= end:
        return True
    return not worker["disjoint"] and any(a <= start and end <= b for a, b in worker["intervals"][:max(i, 0)])
