"""The PuLP model: one binary per eligible (worker, shift) pair, rules as constraint families."""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable

import pulp

from scheduling.model_data import ModelData


class PlanModel:
    """A PuLP problem over the eligible pairs of `data`, plus handy per-worker views."""

    def __init__(self, data: ModelData, name: str = "plan"):
        self.data = data
        self.prob = pulp.LpProblem(name, pulp.LpMaximize)
        self.x: dict[tuple[int, int], object] = {}
        for w, s in data.pairs():
            low = 1 if (w, s) in data.fixed else 0
            self.x[w, s] = self.prob.add_variable(f"x_{w}_{s}", low, 1, cat="Binary")
        self.rows = 0
        self._counter = 0
        # (hours terms, level, slice variables) of every shortfall, see settle_shortfalls
        self.shortfalls: list[tuple[list, float, list]] = []
        # (flag, the shift it follows or None, shifts that block it) of every rest binary
        self.rest_flags: list[tuple[object, object | None, list]] = []

    # -- building blocks -----------------------------------------------------------------
    def binary(self, prefix: str):
        self._counter += 1
        return self.prob.add_variable(f"{prefix}_{self._counter}", 0, 1, cat="Binary")

    def continuous(self, prefix: str, upper: float | None = None):
        self._counter += 1
        return self.prob.add_variable(f"{prefix}_{self._counter}", 0, upper)

    def at_most(self, terms: Iterable[tuple[object, float]], rhs: float) -> None:
        self.prob += pulp.lpSum_vars_coefs(list(terms)) <= rhs
        self.rows += 1

    def at_least(self, terms: Iterable[tuple[object, float]], rhs: float) -> None:
        self.prob += pulp.lpSum_vars_coefs(list(terms)) >= rhs
        self.rows += 1

    def at_most_one(self, variables: list) -> None:
        self.prob += pulp.lpSum_vars(variables) <= 1
        self.rows += 1

    def expression(self, terms: Iterable[tuple[object, float]]):
        return pulp.lpSum_vars_coefs(list(terms))

    # -- per-worker views ----------------------------------------------------------------
    def worker_times(self, w: int) -> "WorkerTimes":
        return WorkerTimes(self.data, self.data.candidates[w])

    def value(self, var) -> float:
        return var.varValue or 0.0

    def round_binaries(self) -> None:
        for var in self.prob.variables():
            if var.cat == pulp.LpBinary and var.varValue is not None:
                var.varValue = float(round(var.varValue))

    def settle_rest_flags(self) -> None:
        """Give every rest binary its largest value for the current x (1 when its shift is
        worked, if it follows one, and none of its blockers is), so a start is complete."""
        for flag, after, blockers in self.rest_flags:
            free = (after is None or self.value(after) > 0.5) and \
                all(self.value(b) < 0.5 for b in blockers)
            flag.varValue = 1.0 if free else 0.0

    def chosen(self) -> list[tuple[int, int]]:
        return [pair for pair, var in self.x.items() if self.value(var) > 0.5]


class WorkerTimes:
    """One worker's candidate shifts sorted by start, with bisectable start times."""

    def __init__(self, data: ModelData, shifts: list[int]):
        self.shifts = shifts
        self.starts = [data.start[i] for i in shifts]
        self.ends = [data.end[i] for i in shifts]
        self.longest = max((e - s for s, e in zip(self.starts, self.ends)), default=0.0)

    def touching(self, lo: float, hi: float, skip: int | None = None) -> list[int]:
        """Positions of shifts that overlap the open window (lo, hi)."""
        first = bisect_left(self.starts, lo - self.longest)
        last = bisect_left(self.starts, hi)
        return [k for k in range(first, last) if self.ends[k] > lo and k != skip]

    def has_free_stretch(self, lo: float, hi: float, length: float,
                         skip: int | None = None) -> bool:
        """True when no candidate shift (except `skip`) covers some `length` inside [lo, hi].

        Then a rest of that length there is certain, whatever the plan.
        """
        cursor = lo
        for k in self.touching(lo, hi):
            if k == skip:
                continue
            if self.starts[k] - cursor >= length:
                return True
            cursor = max(cursor, self.ends[k])
        return hi - cursor >= length

    def starting_in(self, lo: float, hi: float) -> range:
        """Positions of shifts with lo <= start < hi."""
        return range(bisect_left(self.starts, lo), bisect_left(self.starts, hi))


def clique_cover(times: WorkerTimes, positions: list[int]) -> list[list[int]]:
    """Split shifts into groups that all overlap one instant (a minimum clique cover)."""
    rest = sorted(positions, key=lambda k: times.ends[k])
    groups = []
    while rest:
        instant = times.ends[rest[0]]
        groups.append([k for k in rest if times.starts[k] < instant])
        rest = [k for k in rest if times.starts[k] >= instant]
    return groups
