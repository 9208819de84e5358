"""The solution metrics of instance-format.md, computed from assignments alone."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from scheduling.instance import Assignment, Instance
from scheduling.timeline import haversine_km, week_start


def compute_metrics(inst: Instance, assignments: Iterable[Assignment]) -> dict:
    """demand/covered hours, min- and target-hours shortfall, travel km.

    A shift's hours count in the ISO week (local time) in which it starts; shortfall is
    summed over every worker and every week in which some shift of the instance starts.
    `travel_km` is the straight-line distance home → employer, once per assignment.
    """
    shifts = {s.id: s for s in inst.shifts}
    employers = {e.id: e for e in inst.employers}
    workers = {w.id: w for w in inst.workers}
    week_of = {s.id: week_start(s.start, inst.timezone) for s in inst.shifts}
    weeks = set(week_of.values())
    worked: dict[tuple[str, object], float] = defaultdict(float)
    covered = travel = 0.0
    for a in assignments:
        shift, worker = shifts[a.shift], workers[a.worker]
        covered += shift.hours
        worked[a.worker, week_of[a.shift]] += shift.hours
        travel += haversine_km(worker.home, employers[shift.employer].location)
    short_min = short_target = 0.0
    for w in inst.workers:
        for week in weeks:
            hours = worked.get((w.id, week), 0.0)
            short_min += max(0.0, w.min_hours_per_week - hours)
            short_target += max(0.0, w.target_hours_per_week - hours)
    return {
        "demand_hours": _round(sum(s.hours * s.headcount for s in inst.shifts)),
        "covered_hours": _round(covered),
        "shortfall_min_hours": _round(short_min),
        "shortfall_target_hours": _round(short_target),
        "travel_km": _round(travel),
    }


def _round(value: float) -> float:
    return round(value + 0.0, 4)


FAR_GAP = 0.10


def levels_text(levels) -> str:
    """A solution's `levels` in one line, e.g. "coverage optimal (6.1 s), minimum_hours optimal
    (6.3 s), target_hours_and_travel feasible (gap 0.07% after 16.2 s)"; "" when there are none.
    A gap of more than FAR_GAP says the level's bound is still loose: a level cut short gets the
    bound HiGHS had then (at its root, after a second or two: far from what the plan is worth),
    which says little about the plan."""
    parts = []
    for level in levels or ():
        text = f"{level['level']} {level['status']}"
        seconds = level.get("seconds")
        if level["status"] != "optimal" and level.get("bound") is not None and level["value"]:
            gap = abs(level["value"] - level["bound"]) / abs(level["value"])
            text += f" (gap {gap:.2%}" + (f" after {seconds:.1f} s" if seconds is not None else "")
            text += "; the bound is still loose: a longer time limit usually tightens it)" \
                if gap > FAR_GAP else ")"
        elif seconds is not None:
            text += f" ({seconds:.1f} s)"
        parts.append(text)
    return ", ".join(parts)
