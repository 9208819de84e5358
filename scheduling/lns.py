"""Large-neighbourhood search: improve a valid plan by re-solving small parts of it exactly.

A neighbourhood is one ISO week and a group of workers who compete for the same shifts,
grown from an open slot, from a worker short of their minimum hours, in a week without
open slots from a worker behind their target hours (the further behind, the likelier), or
from a random shift. The group's assignments in that week are freed and the staged model
(coverage → minimum hours → target hours and travel) is solved for the group alone, with
everybody else's assignments fixed: each shift keeps only the headcount the others leave
open, and the group's own shifts in the neighbouring weeks stay as fixed context for the
rest, overlap and travel rules. The current plan is HiGHS's warm start, and a step is kept
only if it is lexicographically no worse and the rules engine in contracts/ finds no
broken rule in the changed workers' schedules; so the plan never gets worse.
"""
from __future__ import annotations

import random
import time
from collections import defaultdict, deque
from dataclasses import replace
from typing import Callable, Iterable

from scheduling.instance import Assignment, Instance
from scheduling.model_data import ModelData, build_model_data
from scheduling.model_objective import fair_penalty
from scheduling.stages import TRAVEL_WEIGHT, StagedSolve

STEP_PAIRS = 600        # eligible pairs in one neighbourhood
STEP_SECONDS = 2.0       # HiGHS time for one neighbourhood (all stages)
MIN_STEP_SECONDS = 0.8   # do not start a step with less time than this
EPS = 1e-6


class Lns:
    """The plan being improved, indexed by worker, shift and week."""

    def __init__(self, inst: Instance, data: ModelData, plan: Iterable[Assignment], *,
                 keep: Iterable[Assignment] = (), change_weight: float = 8.0,
                 gap_rel: float = 1e-4, threads: int = 2, seed: int = 0):
        self.inst, self.data = inst, data
        self.gap_rel, self.threads, self.change_weight = gap_rel, threads, change_weight
        self.rng = random.Random(seed)
        self.on_shift: list[set[int]] = [set() for _ in inst.shifts]
        self.plan_of: list[set[int]] = [set() for _ in inst.workers]
        for a in plan:
            w, s = data.worker_index[a.worker], data.shift_index[a.shift]
            self.on_shift[s].add(w)
            self.plan_of[w].add(s)
        self.keep = {(data.worker_index[a.worker], data.shift_index[a.shift]): inst.drop_weight(a.shift, a.worker)
                     for a in keep if a.worker in data.worker_index and a.shift in data.shift_index}
        self.eligible = data.workers_of_shift()
        self.cands: list[dict[int, list[int]]] = [defaultdict(list) for _ in inst.workers]
        for w, s in data.pairs():
            self.cands[w][data.week[s]].append(s)
        self.week_shifts: dict[int, list[int]] = defaultdict(list)
        for s in range(len(inst.shifts)):
            if self.eligible[s]:
                self.week_shifts[data.week[s]].append(s)
        self.steps = self.improved = 0

    # -- the loop ------------------------------------------------------------------------
    def run(self, deadline: float, report: Callable[[float, str], None] | None = None
            ) -> list[Assignment]:
        started = time.monotonic()
        while deadline - time.monotonic() > MIN_STEP_SECONDS and self.week_shifts:
            week, group = self.neighbourhood()
            if group:
                step_end = min(deadline, time.monotonic() + STEP_SECONDS)
                self.steps += 1
                self.improved += self.step(week, group, step_end)
            if report is not None:
                share = (time.monotonic() - started) / max(1e-9, deadline - started)
                report(min(1.0, share), f"step {self.steps}: {self.improved} improvements")
        return self.assignments()

    def value(self) -> float:
        """Σ priority × hours of the plan as it stands."""
        return sum(self._value(s) * len(workers) for s, workers in enumerate(self.on_shift))

    def assignments(self) -> list[Assignment]:
        shifts, workers = self.inst.shifts, self.inst.workers
        return [Assignment(shifts[s].id, workers[w].id)
                for w, plan in enumerate(self.plan_of) for s in sorted(plan)]

    # -- choosing a neighbourhood ----------------------------------------------------------
    def neighbourhood(self) -> tuple[int, list[int]]:
        weeks = sorted(self.week_shifts)
        if not weeks:
            return -1, []      # no worker may take any shift: nothing to improve
        open_value = {k: sum(self._open(s) * self._value(s) for s in self.week_shifts[k])
                      for k in weeks}
        week = self.rng.choices(weeks, [1.0 + open_value[k] for k in weeks])[0]
        kind = self.rng.random()
        group: list[int] = []
        queue: deque[int] = deque()
        if kind < 0.5 and open_value[week] > 0:
            openings = [s for s in self.week_shifts[week] if self._open(s)]
            queue.append(self.rng.choices(openings, [self._value(s) + EPS for s in openings])[0])
        elif kind < 0.75 and (short := [w for w in self._workers_in(week)
                                        if self._min_short(w, week) > EPS]):
            group.append(self.rng.choice(short))
            queue.extend(self._shuffled(self.cands[group[0]][week]))
        elif kind < 0.9 and open_value[week] == 0:     # all covered: spread the hours
            behind = {w: self._behind(w, week) for w in self._workers_in(week)}
            behind = {w: cost for w, cost in behind.items() if cost > EPS}
            if behind:
                group.append(self.rng.choices(list(behind), list(behind.values()))[0])
                queue.extend(self._shuffled(self.cands[group[0]][week]))
        if not queue:
            queue.append(self.rng.choice(self.week_shifts[week]))
        return week, self._grow(week, group, queue)

    def _grow(self, week: int, group: list[int], queue: deque[int]) -> list[int]:
        members = set(group)
        pairs = sum(len(self.cands[w][week]) for w in group)
        seen = set(queue)
        while queue and pairs < STEP_PAIRS:
            s = queue.popleft()
            for w in self._shuffled(self.eligible[s]):
                size = len(self.cands[w][week])
                if w in members or (pairs + size > STEP_PAIRS and group):
                    continue
                group.append(w)
                members.add(w)
                pairs += size
                mine = [t for t in self.plan_of[w] if self.data.week[t] == week]
                some = self.rng.sample(self.cands[w][week], min(2, len(self.cands[w][week])))
                for t in mine + some:
                    if t not in seen:
                        seen.add(t)
                        queue.append(t)
        return group

    # -- one step ------------------------------------------------------------------------
    def step(self, week: int, group: list[int], deadline: float) -> bool:
        sub, own = self.sub_instance(week, group)
        if not own:
            return False
        before = {w: {s for s in self.plan_of[w] if s in own} for w in group}
        sub_data = build_model_data(sub)
        start = [Assignment(self.inst.shifts[s].id, self.inst.workers[w].id)
                 for w, shifts in before.items() for s in shifts]
        keep = [Assignment(self.inst.shifts[s].id, self.inst.workers[w].id)
                for w, s in self.keep if w in before and s in own]
        staged = StagedSolve(sub, deadline=deadline, gap_rel=self.gap_rel,
                             threads=self.threads, reserve=0.0, report=lambda f, m: None)
        staged.lp_start = False     # a neighbourhood is small, and starts from a good plan
        outcome = staged.run(keep=tuple(keep), change_weight=self.change_weight,
                             data=sub_data, start=start)
        after: dict[int, set[int]] = {w: set() for w in group}
        for a in outcome.assignments:
            s = self.data.shift_index[a.shift]
            if s in own:
                after[self.data.worker_index[a.worker]].add(s)
        if after == before or self._score(week, after) < self._score(week, before):
            return False
        if not self._valid_after(before, after):
            return False
        for w in group:
            for s in before[w] - after[w]:
                self.plan_of[w].discard(s)
                self.on_shift[s].discard(w)
            for s in after[w] - before[w]:
                self.plan_of[w].add(s)
                self.on_shift[s].add(w)
        return True

    def sub_instance(self, week: int, group: list[int]) -> tuple[Instance, set[int]]:
        """The group's part of `week`: shifts with the headcount others leave open, plus
        the group's assignments in the neighbouring weeks as fixed context."""
        inst, data = self.inst, self.data
        members = set(group)
        shifts, own = [], set()
        for s in sorted({s for w in group for s in self.cands[w][week]}):
            left = inst.shifts[s].headcount - len(self.on_shift[s] - members)
            if left > 0:
                own.add(s)
                shifts.append(replace(inst.shifts[s], headcount=left))
        holders: dict[int, int] = defaultdict(int)
        workers = []
        for w in group:
            worker = inst.workers[w]
            fixed = [sid for sid in worker.fixed if data.shift_index[sid] in own]
            context = sorted(s for s in self.plan_of[w]
                             if data.week[s] != week and abs(data.week[s] - week) <= 1)
            for s in context:
                holders[s] += 1
            workers.append(replace(worker, fixed=tuple(fixed) + tuple(
                inst.shifts[s].id for s in context)))
        shifts += [replace(inst.shifts[s], headcount=n) for s, n in sorted(holders.items())]
        return replace(inst, workers=tuple(workers), shifts=tuple(shifts)), own

    # -- judging a step ------------------------------------------------------------------
    def _score(self, week: int, plan: dict[int, set[int]]) -> tuple[float, float, float]:
        """(coverage, −(minimum-hours shortfall + changes), −(fair target + travel))."""
        data, workers = self.data, self.inst.workers
        coverage = short = fair = 0.0
        for w, shifts in plan.items():
            hours = sum(data.hours[s] for s in shifts)   # every own shift of the week
            coverage += sum(self.inst.shifts[s].priority * data.hours[s] for s in shifts)
            short += max(0.0, workers[w].min_hours_per_week - hours)
            short += self.change_weight * sum(
                (self.keep[w, s] if s not in shifts else 0.0) if (w, s) in self.keep else float(s in shifts)
                for s in self.cands[w][week])
            fair += fair_penalty(workers[w].target_hours_per_week, hours)
            fair += TRAVEL_WEIGHT * sum(data.home_km[w, s] for s in shifts)
        return (round(coverage, 6), round(-short, 6), round(-fair, 6))

    def _valid_after(self, before: dict[int, set[int]], after: dict[int, set[int]]) -> bool:
        """The rules engine's verdict on every changed worker's whole schedule."""
        from scheduling.plan_check import schedules_valid
        return schedules_valid(self.inst, {w: (self.plan_of[w] - before[w]) | shifts
                                           for w, shifts in after.items() if shifts != before[w]})

    # -- small helpers -------------------------------------------------------------------
    def _open(self, s: int) -> int:
        return max(0, self.inst.shifts[s].headcount - len(self.on_shift[s]))

    def _value(self, s: int) -> float:
        return self.inst.shifts[s].priority * self.data.hours[s]

    def _workers_in(self, week: int) -> list[int]:
        return [w for w in range(len(self.inst.workers)) if self.cands[w].get(week)]

    def _week_hours(self, w: int, week: int) -> float:
        return sum(self.data.hours[s] for s in self.plan_of[w] if self.data.week[s] == week)

    def _min_short(self, w: int, week: int) -> float:
        return self.inst.workers[w].min_hours_per_week - self._week_hours(w, week)

    def _behind(self, w: int, week: int) -> float:
        """What one more hour in `week` takes off the worker's fairness penalty: the cost per hour
        of the slice they are in (less within their last hour below target, 0 at or above it)."""
        target, hours = self.inst.workers[w].target_hours_per_week, self._week_hours(w, week)
        return fair_penalty(target, hours) - fair_penalty(target, hours + 1.0)

    def _shuffled(self, items: list[int]) -> list[int]:
        items = list(items)
        self.rng.shuffle(items)
        return items
