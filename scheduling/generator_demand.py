"""How much work a generated pool can supply, per employer, shift template and day.

The generator sets demand from this supply so that a "normal" instance is nearly
coverable: each worker works at most one shift a day and at most their target hours a
week, and spreads those hours over the shifts they could take (skills, availability,
reachable employers). A split shift pair counts once: with 11 h daily rest in every 24 h,
early and evening cleaning shifts cannot follow each other.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Callable

Slot = tuple[str, int, date]  # (employer id, template index in its sector, day)


def supply_by_slot(workers: list[dict], employers: list[dict], days: list[date], sectors: dict,
                   reachable: Callable[[dict, dict], bool], at: Callable[[date, str], datetime]) -> dict[Slot, float]:
    """Hours per (employer, template, day) the pool can supply (see the module text)."""
    times = {(name, i, day): _times(day, t, at) for name, (_, _, _, templates) in sectors.items()
             for i, t in enumerate(templates) for day in days if day.weekday() in t[4]}
    supply: dict[Slot, float] = defaultdict(float)
    for worker in workers:
        reach = _reachable_weights(worker, employers, reachable)
        for week in range(len(days) // 7):
            week_days = days[7 * week:7 * week + 7]
            for (sector, index, day), hours in _worker_week(worker, week_days, sectors, reach, times).items():
                total = sum(reach[sector].values())
                for employer_id, weight in reach[sector].items():
                    supply[employer_id, index, day] += hours * weight / total
    return supply


def _reachable_weights(worker, employers, reachable) -> dict[str, dict[str, float]]:
    reach: dict[str, dict[str, float]] = defaultdict(dict)
    for e in employers:
        if reachable(worker, e):
            reach[e["_sector"]][e["id"]] = e["_weight"]
    return reach


def _worker_week(worker, week_days, sectors, reach, times) -> dict[tuple[str, int, date], float]:
    """The worker's target hours of one week spread over the shifts they could take."""
    skills = set(worker["skills"])
    starts = [a for a, _ in worker["_intervals"]]
    options: dict[date, list[tuple[str, int, float]]] = defaultdict(list)
    for day in week_days:
        for sector in reach:
            for index, template in enumerate(sectors[sector][3]):
                key = (sector, index, day)
                if key in times and set(template[3]) <= skills and _inside(worker, starts, *times[key][:2]):
                    options[day].append((sector, index, times[key][2]))
    best = {day: max(h for _, _, h in opts) for day, opts in options.items()}
    potential = sum(best.values())
    if potential <= 0:
        return {}
    hours = min(worker["target_hours_per_week"], potential)
    result = {}
    for day, opts in options.items():
        for sector, index, _ in opts:
            result[sector, index, day] = hours * best[day] / potential / len(opts)
    return result


def _times(day: date, template: tuple, at) -> tuple[datetime, datetime, float]:
    start = at(day, template[0])
    end = at(day + timedelta(days=template[1] <= template[0]), template[1])
    return start, end, (end - start).total_seconds() / 3600 - template[2] / 60


def _inside(worker: dict, starts: list[datetime], start: datetime, end: datetime) -> bool:
    i = bisect_right(starts, start) - 1
    return i >= 0 and worker["_intervals"][i][1] >= end

