"""A Lagrangian bound on Σ priority × hours: the headcount rows priced out, each worker solved
as an integer problem of their own.

The headcount of a shift is the only rule that links workers. Give every such row a price
λ ≥ 0 and the problem falls apart by worker:

    L(λ) = Σ_s λ_s · headcount_s + Σ_w max { Σ_s (priority_s · hours_s − λ_s) · x_ws }

where each worker's maximum is over plans of their own that keep every rule of theirs
(model_rules.add_worker_rules: conflicts, daily and weekly rest windows, weekly hours).
Every valid plan is feasible in each worker's problem, so L(λ) ≥ its value for any λ ≥ 0:
a proven upper bound. At a peak it is far tighter than the LP relaxation, which fills
each worker's week with fractions of shifts. With the duals of the LP with conflict
cliques as prices: a 300-worker peak week 11 467.7 against 11 651.2 for that LP (HiGHS's
own MIP bound after 87 s of cuts: 11 475.9; best plan known: 11 453.9); a 1000-worker
peak week 37 174 against 37 826, in 13 s on one core. At zero prices (no LP needed):
11 479.0 and 37 239.

A worker's problem is small once shifts at the same times are one column (see
_worker_best), and only shifts with a positive price-adjusted value matter (dropping a
shift never breaks a rule): HiGHS solves most in a few milliseconds.
"""
from __future__ import annotations

import math
import time
from collections import defaultdict

from scheduling.model import WorkerTimes
from scheduling.model_data import ModelData
from scheduling.model_rules import add_worker_rules

EPSILON = 1e-9
WORKER_SECONDS = 1.0        # at most for one worker (a 1000-worker week: 0.9 s at most)


def lagrangian_bound(data: ModelData, prices: dict[int, float], deadline: float,
                     plans: set[tuple[int, int]] | None = None) -> float | None:
    """L(prices) as above (`prices`: shift index → λ of its headcount row; missing or
    negative prices count as 0), or None when a worker's own problem is infeasible.
    Workers not reached by `deadline` (time.monotonic) count with a looser bound of their
    own (_hours_bound), so the result is a bound whenever it comes.

    `plans`, if given, collects each solved worker's best week as (worker, shift) pairs
    (of shifts at the same times, the one worth most): together they oversubscribe the
    shifts, but each is a week that keeps the worker's rules (but for the travel time
    where shifts at the same times are at different employers), which the LP's pairs of a
    worker often are not.
    A 1000-worker peak week planned over these and the LP's pairs reached 37 116 priority-
    weighted hours (optimal there, in 5 s), over the LP's pairs alone 36 799."""
    total = 0.0
    for s, price in prices.items():
        if price > 0:
            total += price * data.inst.shifts[s].headcount
    for w, shifts in enumerate(data.candidates):
        best = _worker_best(data, w, shifts, prices, deadline, plans)
        if best is None:
            return None
        total += best
    return total


def _worker_best(data: ModelData, w: int, shifts: list[int], prices: dict[int, float],
                 deadline: float, plans: set[tuple[int, int]] | None = None) -> float | None:
    """An upper bound on what one worker's own plan can be worth at these prices, or None
    when they have no plan (their fixed shifts break a rule).

    Shifts with the same start and end are one column (a plan works at most one of them:
    they overlap) worth the most any of them is, with the fewest hours any of them has,
    and the shortest travel time between any of their employers and another column's (a
    relaxation, so still a bound; with travel left out it was 2 % looser at a peak). A
    1000-worker week has up to 436 candidate shifts per worker but at most 59 distinct
    times; HiGHS took up to 240 s for one such worker, and 0.9 s at most with the columns.
    Only shifts with a positive value count (dropping a shift never breaks a rule), and
    the fixed ones. `plans` as in lagrangian_bound.
    """
    columns: dict[tuple[float, float], list] = {}
    for s in shifts:
        value = data.inst.shifts[s].priority * data.hours[s] - max(0.0, prices.get(s, 0.0))
        fixed = (w, s) in data.fixed
        if value <= EPSILON and not fixed:
            continue
        key = (data.start[s], data.end[s])
        held = columns.get(key)
        if held is None or fixed:
            columns[key] = [s, value, fixed, {data.inst.shifts[s].employer: s}, s, [s]]
        elif not held[2]:
            if data.hours[s] < data.hours[held[0]]:
                held[0] = s
            if value > held[1]:
                held[1], held[4] = value, s
            held[3].setdefault(data.inst.shifts[s].employer, s)
            held[5].append(s)
    if not columns:
        return 0.0
    keep = sorted((held[0] for held in columns.values()),
                  key=lambda s: (data.start[s], data.end[s], s))
    weight = {held[0]: held[1] for held in columns.values()}
    if time.monotonic() > deadline:
        return _hours_bound(data, w, keep, weight)
    grouped = _GroupedTravel(data, {held[0]: list(held[3].values()) for held in columns.values()},
                             {held[0]: held[5] for held in columns.values()})
    rows = WorkerRows(grouped, w, keep)
    add_worker_rules(rows, w, keep)
    chosen: list[int] = []
    if rows.upper:
        best = rows.solve([weight[s] for s in keep], deadline, chosen)
    else:                               # nothing limits this worker: every shift
        best, chosen = sum(weight.values()), list(keep)
    if best is None:
        return None
    if plans is not None:
        top = {held[0]: held[4] for held in columns.values()}
        plans.update((w, top[s]) for s in chosen)
    return min(best, _hours_bound(data, w, keep, weight))


def _hours_bound(data: ModelData, w: int, keep: list[int], weight: dict[int, float]
                 ) -> float:
    """A looser bound on one worker's plan: each week's fixed shifts, then the hours the
    week's shifts can add up to within the cap filled with the most value per hour (the
    last shift in part; no other rule)."""
    by_week: dict[int, list[int]] = {}
    for s in keep:
        by_week.setdefault(data.week[s], []).append(s)
    total = 0.0
    for shifts in by_week.values():
        room = data.reachable_cap(w, shifts)
        for s in shifts:
            if (w, s) in data.fixed:
                total += weight[s]
                room -= data.hours[s]
        free = [s for s in shifts if (w, s) not in data.fixed and data.hours[s] > 0]
        for s in sorted(free, key=lambda s: -weight[s] / data.hours[s]):
            if room <= 0:
                break
            take = min(1.0, room / data.hours[s])
            total += take * weight[s]
            room -= take * data.hours[s]
    return total


class _GroupedTravel:
    """`data` as the columns see it: the travel time between two columns the shortest between
    any of the employers they stand for (a column may stand for shifts at several employers),
    and two columns kept apart by the instance's `conflicts` only when every shift of the one
    is kept apart from every shift of the other (else the plan may hold a pair that is not)."""

    def __init__(self, data: ModelData, members: dict[int, list[int]],
                 shifts: dict[int, list[int]]):
        self._data, self._members, self._shifts = data, members, shifts
        self._apart: dict[int, set[int]] | None = None

    def __getattr__(self, name):
        return getattr(self._data, name)

    def travel_seconds(self, a: int, b: int) -> float:
        return min(self._data.travel_seconds(x, y)
                   for x in self._members[a] for y in self._members[b])

    def apart(self) -> dict[int, set[int]]:
        if self._apart is None:
            every = self._data.apart()
            self._apart = defaultdict(set)
            for a, mine in self._shifts.items():
                common = set.intersection(*(every.get(x, set()) for x in mine))
                if common:
                    self._apart[a] = {b for b, theirs in self._shifts.items()
                                      if b != a and common.issuperset(theirs)}
        return self._apart


class WorkerRows:
    """The rows model_rules adds for one worker, collected as arrays for highspy: the
    part of PlanModel's interface the rules use, with column numbers as variables."""

    def __init__(self, data: ModelData, w: int, shifts: list[int]):
        self.data, self.shifts = data, shifts
        self.x = {(w, s): k for k, s in enumerate(shifts)}
        self.lower = [1.0 if (w, s) in data.fixed else 0.0 for s in shifts]
        self.rest_flags: list = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []
        self.lower_rows: list[float] = []
        self.upper: list[float] = []

    def worker_times(self, w: int) -> WorkerTimes:
        return WorkerTimes(self.data, self.shifts)

    def binary(self, prefix: str) -> int:
        self.lower.append(0.0)
        return len(self.lower) - 1

    def at_most(self, terms, rhs: float) -> None:
        self._row(terms, -math.inf, rhs)

    def at_least(self, terms, rhs: float) -> None:
        self._row(terms, rhs, math.inf)

    def at_most_one(self, variables) -> None:
        self._row([(v, 1.0) for v in variables], -math.inf, 1.0)

    def _row(self, terms, low: float, high: float) -> None:
        self.starts.append(len(self.index))
        for column, coefficient in terms:
            self.index.append(column)
            self.value.append(coefficient)
        self.lower_rows.append(low)
        self.upper.append(high)

    def solve(self, weights: list[float], deadline: float,
              chosen: list[int] | None = None) -> float | None:
        """The most Σ weights · x can be over these rows with every column binary; the
        shifts of the best plan HiGHS found are appended to `chosen`, if given."""
        import highspy

        from scheduling.lp_bound import highs_model

        n = len(self.lower)
        cost = list(weights) + [0.0] * (n - len(weights))
        seconds = min(WORKER_SECONDS, max(0.01, deadline - time.monotonic()))
        h = highs_model(cost, self.lower, [1.0] * n, self.lower_rows, self.upper, self.starts,
                        self.index, self.value, threads=1, maximize=True, integer=True,
                        options={"time_limit": seconds, "mip_rel_gap": 0.0})
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            return None
        info = h.getInfo()
        if chosen is not None and info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
            values = h.getSolution().col_value
            chosen.extend(s for k, s in enumerate(self.shifts) if values[k] > 0.5)
        bound = info.mip_dual_bound
        return float(bound) if math.isfinite(bound) else math.inf
