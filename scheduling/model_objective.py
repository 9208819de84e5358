"""Objective terms, in the order of instance-format.md, as linear expressions.

(1) coverage: Σ priority × hours over assigned pairs;
(2) shortfall below min_hours_per_week per worker and ISO week;
(3) shortfall below target_hours_per_week, spread fairly: each worker-week's shortfall is
    cut in four equal slices of a quarter of the target costing 1, 2, 3 and 4 per hour, a
    convex penalty, so an hour goes to whoever is furthest behind (relative to target);
(4) travel km home → employer;
and, when re-planning, one unit per kept assignment dropped or new assignment added.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from scheduling.instance import Assignment
from scheduling.model import PlanModel

FAIRNESS_SLICES = (1.0, 2.0, 3.0, 4.0)


def coverage_terms(m: PlanModel) -> list[tuple[object, float]]:
    shifts, hours = m.data.inst.shifts, m.data.hours
    return [(var, shifts[s].priority * hours[s]) for (w, s), var in m.x.items()]


def week_hours_terms(m: PlanModel) -> dict[tuple[int, int], list[tuple[object, float]]]:
    """Per (worker, start-week): the hours terms of that worker's candidate shifts."""
    out: dict[tuple[int, int], list] = defaultdict(list)
    for (w, s), var in m.x.items():
        out[w, m.data.week[s]].append((var, m.data.hours[s]))
    return out


def min_shortfall_terms(m: PlanModel, week_hours=None) -> list[tuple[object, float]]:
    """Variables for hours short of min_hours_per_week in weeks the worker could work."""
    week_hours = week_hours or week_hours_terms(m)
    terms = []
    for (w, k), hours in week_hours.items():
        level = m.data.inst.workers[w].min_hours_per_week
        if level <= 0:
            continue
        short = m.continuous(f"smin{w}", level)
        m.at_least(hours + [(short, 1.0)], level)
        m.shortfalls.append((hours, level, [short]))
        terms.append((short, 1.0))
    return terms


def fair_target_terms(m: PlanModel, week_hours=None) -> list[tuple[object, float]]:
    """Convex penalty of the hours short of target_hours_per_week."""
    week_hours = week_hours or week_hours_terms(m)
    terms = []
    for (w, k), hours in week_hours.items():
        level = m.data.inst.workers[w].target_hours_per_week
        if level <= 0:
            continue
        width = level / len(FAIRNESS_SLICES)
        slices = [(m.continuous(f"star{w}", width), cost) for cost in FAIRNESS_SLICES]
        m.at_least(hours + [(var, 1.0) for var, _ in slices], level)
        m.shortfalls.append((hours, level, [var for var, _ in slices]))
        terms.extend(slices)
    return terms


def fair_penalty(target: float, hours: float) -> float:
    """The value fair_target_terms give a worker-week with `hours` against `target`."""
    if target <= 0:
        return 0.0
    width, missing, cost = target / len(FAIRNESS_SLICES), max(0.0, target - hours), 0.0
    for weight in FAIRNESS_SLICES:
        take = min(missing, width)
        cost += weight * take
        missing -= take
    return cost


def travel_terms(m: PlanModel) -> list[tuple[object, float]]:
    return [(var, m.data.home_km[pair]) for pair, var in m.x.items() if m.data.home_km[pair]]


def change_terms(m: PlanModel, keep: Iterable[Assignment]) -> list[tuple[object, float]]:
    """+1 for each new pair, -weight for each kept pair (the instance's drop_weight, 1 unless
    dropping it costs more; the constant Σ weight is left out)."""
    kept = kept_pairs(m.data, keep)
    if not kept:
        return []
    return [(var, change_cost(m.data.inst, pair, kept)) for pair, var in m.x.items() if pair not in m.data.fixed]


def kept_pairs(data, keep: Iterable[Assignment]) -> set[tuple[int, int]]:
    """The (worker, shift) index pairs of a published plan's assignments that are eligible here."""
    out = set()
    for a in keep:
        w, s = data.worker_index.get(a.worker), data.shift_index.get(a.shift)
        if w is not None and s is not None and s in data.candidates[w]:
            out.add((w, s))
    return out


def change_cost(inst, pair: tuple[int, int], kept: set[tuple[int, int]]) -> float:
    """What the changes level counts for an assigned pair that is not fixed: minus its drop
    weight when the published plan had it, +1 when it is new."""
    w, s = pair
    return -inst.drop_weight(inst.shifts[s].id, inst.workers[w].id) if pair in kept else 1.0


def week_shortfalls(worker, worked: float) -> tuple[float, float]:
    """(hours short of the minimum, fair target penalty) of a worker-week with `worked` hours, as
    min_shortfall_terms and fair_target_terms count them."""
    short = max(0.0, worker.min_hours_per_week - worked) if worker.min_hours_per_week > 0 else 0.0
    return short, fair_penalty(worker.target_hours_per_week, worked)


def settle_shortfalls(m: PlanModel) -> None:
    """Give every shortfall variable its least value for the current x, cheapest slice first.

    Used before a warm start, so the start HiGHS gets is as good as the plan it holds.
    """
    for hours, level, parts in m.shortfalls:
        missing = level - sum(m.value(var) * h for var, h in hours)
        for var in parts:
            take = min(max(0.0, missing), var.upBound)
            var.varValue = take
            missing -= take


def scaled(terms: list[tuple[object, float]], factor: float) -> list[tuple[object, float]]:
    return [(var, coef * factor) for var, coef in terms]
