"""Local search on the third objective level: hand shifts from workers ahead of their
target hours to workers behind it, keeping every slot filled and the minimum-hours
shortfall as it is.

Moves: one shift from one worker to another, and two workers swapping a shift each. A move
is taken when it lowers (minimum-hours shortfall, target penalty + TRAVEL_WEIGHT × km) in
that order, the penalties of model_objective; every move is checked by the diaries' rules.
HiGHS's own heuristics find such exchanges slowly: on the 60-worker normal pool its best
plan stood 11 units above the bound after 90 s.
"""
from __future__ import annotations

import time
from collections import defaultdict

from scheduling.construct import fixed_pairs
from scheduling.diary import Diaries
from scheduling.instance import Assignment, Instance
from scheduling.model_data import ModelData
from scheduling.model_objective import fair_penalty
from scheduling.plan_check import schedules_valid

EPS = 1e-9


class Balance:
    def __init__(self, inst: Instance, data: ModelData, assignments, travel_weight: float):
        self.inst, self.data, self.travel_weight = inst, data, travel_weight
        self.diaries = Diaries(inst, assignments)
        self.fixed = fixed_pairs(inst)
        self.hours: dict[tuple[int, int], float] = defaultdict(float)
        self.on: dict[int, set[int]] = defaultdict(set)     # shift -> workers
        self.mine: dict[int, set[int]] = defaultdict(set)   # worker -> shifts
        index_w, index_s = data.worker_index, data.shift_index
        for a in assignments:
            w, s = index_w[a.worker], index_s[a.shift]
            self.on[s].add(w)
            self.mine[w].add(s)
            self.hours[w, data.week[s]] += data.hours[s]
        self.takers = data.workers_of_shift()
        self.taker_sets = [set(ws) for ws in self.takers]

    # -- scores ------------------------------------------------------------------------------
    def _week_score(self, w: int, hours: float) -> tuple[float, float]:
        worker = self.inst.workers[w]
        return (max(0.0, worker.min_hours_per_week - hours),
                fair_penalty(worker.target_hours_per_week, hours))

    def _delta(self, changes: dict[tuple[int, int], float], km: float) -> tuple[float, float]:
        short = fair = 0.0
        for key, change in changes.items():
            before, after = self.hours[key], self.hours[key] + change
            b, a = self._week_score(key[0], before), self._week_score(key[0], after)
            short += a[0] - b[0]
            fair += a[1] - b[1]
        return short, fair + self.travel_weight * km

    @staticmethod
    def _better(delta: tuple[float, float]) -> bool:
        return delta[0] < -EPS or (delta[0] <= EPS and delta[1] < -1e-7)

    def _km(self, w: int, s: int) -> float:
        return self.data.home_km.get((w, s), 0.0)

    # -- moves -------------------------------------------------------------------------------
    def _movable(self, w: int, s: int) -> bool:
        return (self.inst.workers[w].id, self.inst.shifts[s].id) not in self.fixed

    def _apply(self, w: int, s: int, add: bool) -> None:
        worker, shift = self.inst.workers[w].id, self.inst.shifts[s].id
        key = (w, self.data.week[s])
        if add:
            self.diaries.add(worker, shift)
            self.on[s].add(w)
            self.mine[w].add(s)
            self.hours[key] += self.data.hours[s]
        else:
            self.diaries.remove(worker, shift)
            self.on[s].discard(w)
            self.mine[w].discard(s)
            self.hours[key] -= self.data.hours[s]

    def _fits(self, w: int, s: int) -> bool:
        return self.diaries.fits(self.inst.workers[w], self.inst.shifts[s])

    def try_move(self, a: int, s: int) -> bool:
        """Give shift s of worker a to the best other taker that can take it."""
        h, k = self.data.hours[s], self.data.week[s]
        best, best_delta = None, (0.0, 0.0)
        for b in self.takers[s]:
            if b == a or b in self.on[s]:
                continue
            delta = self._delta({(a, k): -h, (b, k): h}, self._km(b, s) - self._km(a, s))
            if self._better(delta) and (best is None or delta < best_delta) and self._fits(b, s):
                best, best_delta = b, delta
        if best is None:
            return False
        self._apply(a, s, False)
        self._apply(best, s, True)
        return True

    def try_swap(self, a: int, s: int) -> bool:
        """Worker a gives shift s to b and takes one of b's shifts t instead."""
        hs, ks = self.data.hours[s], self.data.week[s]
        for b in self.takers[s]:
            if b == a or b in self.on[s]:
                continue
            for t in list(self.mine[b]):
                if t == s or a in self.on[t] or not self._movable(b, t) or \
                        a not in self.taker_sets[t]:
                    continue
                ht, kt = self.data.hours[t], self.data.week[t]
                changes: dict[tuple[int, int], float] = defaultdict(float)
                changes[a, ks] -= hs
                changes[b, ks] += hs
                changes[a, kt] += ht
                changes[b, kt] -= ht
                km = self._km(b, s) + self._km(a, t) - self._km(a, s) - self._km(b, t)
                if not self._better(self._delta(changes, km)):
                    continue
                if self._swap_fits(a, s, b, t):
                    return True
        return False

    def _swap_fits(self, a: int, s: int, b: int, t: int) -> bool:
        self._apply(a, s, False)
        self._apply(b, t, False)
        if self._fits(a, t):
            self._apply(a, t, True)
            if self._fits(b, s):
                self._apply(b, s, True)
                return True
            self._apply(a, t, False)
        self._apply(a, s, True)
        self._apply(b, t, True)
        return False

    def run(self, deadline: float) -> int:
        """Passes over every movable assignment until a pass changes nothing; moves made."""
        moves, changed = 0, True
        while changed and time.monotonic() < deadline:
            changed = False
            for a in range(len(self.inst.workers)):
                for s in sorted(self.mine[a]):
                    if time.monotonic() >= deadline:
                        return moves
                    if s not in self.mine[a] or not self._movable(a, s):
                        continue
                    if self.try_move(a, s) or self.try_swap(a, s):
                        moves += 1
                        changed = True
        return moves

    def valid(self, before) -> bool:
        """The rules engine's verdict on the whole schedule of every worker whose plan changed."""
        was: dict[int, set[int]] = defaultdict(set)
        index_w, index_s = self.data.worker_index, self.data.shift_index
        for a in before:
            was[index_w[a.worker]].add(index_s[a.shift])
        return schedules_valid(self.inst, {w: shifts for w, shifts in self.mine.items() if shifts != was[w]})

    def assignments(self) -> list[Assignment]:
        return [Assignment(self.inst.shifts[s].id, self.inst.workers[w].id)
                for s, ws in self.on.items() for w in ws]
