"""Shapes for the pages: the week grid and the coverage chart (server-rendered SVG geometry)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from web.views.common import colour, local


def week_grid(monday: date, workers, assignments) -> list[dict]:
    """One row per worker: seven cells with that day's assignments (by local start date)."""
    days = [monday + timedelta(days=i) for i in range(7)]
    cells: dict[tuple[int, date], list] = defaultdict(list)
    for a in assignments:
        cells[(a.worker_id, local(a.shift.start).date())].append(a)
    return [{"worker": w, "cells": [cells.get((w.id, d), []) for d in days],
             "hours": sum((a.shift.paid_hours for d in days for a in cells.get((w.id, d), [])
                           if a.status == "confirmed"), Decimal(0))}
            for w in workers]


@dataclass
class DayCoverage:
    day: date
    demand: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    covered: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @property
    def demand_total(self) -> Decimal:
        return sum(self.demand.values(), Decimal(0))

    @property
    def covered_total(self) -> Decimal:
        return sum(self.covered.values(), Decimal(0))


def coverage(first: date, last: date, shifts: list[tuple]) -> list[DayCoverage]:
    """Demand (paid hours × headcount) and covered hours (paid hours × confirmed workers) per day and employer."""
    days = {first + timedelta(days=i): DayCoverage(first + timedelta(days=i)) for i in range((last - first).days + 1)}
    for shift, filled in shifts:
        day = days.get(local(shift.start).date())
        if day is None:
            continue
        day.demand[shift.employer_id] += shift.paid_hours * shift.headcount
        day.covered[shift.employer_id] += shift.paid_hours * min(filled, shift.headcount)
    return list(days.values())


WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 760, 260, 44, 34, 12


def coverage_svg(days: list[DayCoverage], employer_ids: list[int]) -> dict:
    """Bars per day: a grey outline for the demand, covered hours stacked by employer colour inside it."""
    top = max([float(d.demand_total) for d in days] + [float(d.covered_total) for d in days] + [1.0])
    scale = (HEIGHT - BOTTOM - TOP) / top
    slot = (WIDTH - LEFT - 8) / max(len(days), 1)
    bar = max(min(slot * 0.7, 60), 4)
    base = HEIGHT - BOTTOM
    bars = []
    for i, d in enumerate(days):
        x = LEFT + i * slot + (slot - bar) / 2
        stack, y = [], base
        for eid in employer_ids:
            h = float(d.covered.get(eid, 0)) * scale
            if h > 0:
                y -= h
                stack.append({"y": round(y, 1), "h": round(h, 1), "colour": colour(eid), "employer_id": eid,
                              "hours": d.covered[eid]})
        demand_h = float(d.demand_total) * scale
        bars.append({"x": round(x, 1), "w": round(bar, 1), "day": d.day, "stack": stack,
                     "demand_y": round(base - demand_h, 1), "demand_h": round(demand_h, 1),
                     "label_x": round(x + bar / 2, 1), "cov": d})
    ticks = [{"y": round(base - v * scale, 1), "value": v} for v in _ticks(top)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "base": base, "bars": bars, "ticks": ticks,
            "every": max(1, len(days) // 14)}


def _ticks(top: float) -> list[int]:
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10**9) if top / s <= 6)
    return list(range(0, int(top) + 1, step))
