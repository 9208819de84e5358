"""Column generation over whole worker plans: proves the objective levels of small pools.

Branch and bound on the pair model (model.py) leaves the 60-worker pools a few tenths of a
percent open for minutes: its LP relaxation lets a worker take fractions of shifts that no
single plan of theirs could hold together (the rest windows, weekly rest and weekly hours
are what bind). Here a *column* is one worker's whole plan over the horizon, valid under
every rule of theirs (labelling.py finds them), and the master problem only chooses one
plan per worker within the headcounts:

    max  Σ_c value_level(c) · λ_c
    s.t. Σ_c [s in c] · λ_c ≤ headcount_s            every shift s
         Σ_{c of w} λ_c = 1                          every worker w
         Σ_c value_l(c) · λ_c ≥ achieved_l           every level l solved before
         λ ≥ 0 (LP), then λ ∈ {0, 1} over the columns found (the plan)

Its LP relaxation is Dantzig-Wolfe's: far tighter, since every column keeps the rules.
Columns are priced by each worker's labelling at the LP's duals (a heuristic with few
labels per shift first, then exact); when the exact pricing finds no column worth more
than its worker's dual, the LP optimum bounds the level over *all* plans. The plan is the
integer master over the columns found; when it reaches that bound within the relative
gap, the level is proven optimal. At any exact round the Lagrangian value (the duals'
objective plus each worker's best plan at those prices) is a bound as well, so a stop by
the clock still leaves one.

Measured on the 60-worker peak pool's coverage level (from the LP start's 6308.2 plan, two
processes): the LP reached 6365.15 after 11 heuristic rounds (~0.3 s each) and two exact
rounds proved it (~0.5 s each); the integer master gave 6365.05 in 0.5 s, within the
relative gap (HiGHS on the pair model: 6368.0 bound after 30 s, optimum 6365.15 proven only
after 75-139 s). On its target-hours level the LP tails off to 1294.20 in ~9 s while the
integer master's plan stays at 1294.34: a plan at the bound would need branching on the
columns (branch and price), which is not done here.

Instances whose `conflicts` fall within one worker's candidates are not for this module
(the labelling does not know those pairs): `applies` says so.
"""
from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from scheduling.instance import Assignment
from scheduling.labelling import WeekPenalty, WorkerLabeller
from scheduling.model_data import ModelData
from scheduling.model_objective import change_cost, kept_pairs, week_shortfalls

HEURISTIC_LABELS = 16      # labels per shift in the heuristic rounds (4: stalled at 6350.7
                           # on the 60-worker peak, 8: 6364.75, 16: at the optimum 6365.15)
PLANS_PER_WORKER = 2       # columns a worker may add per round
REDUCED_EPSILON = 1e-6     # a column must be worth this much more than its worker's dual
STALL_ROUNDS = 2           # quick rounds without LP progress before an exact one
STALL_SHARE = 0.1          # "without progress": by less than this share of the relative gap
                           # (S peak's target level crept up by 0.01 a round for 8 rounds)
IP_SHARE = 0.3             # of a level's time kept back from the pricing; the integer master
                           # then gets at most this share of what is left, and no longer than
                           # the pricing took (at least 1 s): it may stall below the bound where
                           # HiGHS on the pair model finds the plan at once (the demo's worked
                           # month: 3256 after 10 s, HiGHS then 3339 in 1 s)


@dataclass
class LevelResult:
    plan: list[tuple[int, int]]       # (worker, shift) pairs of the best plan found
    value: float                      # the level's value (maximise sense) in that plan
    bound: float | None               # proven upper bound on it, if any
    optimal: bool                     # value reaches bound within the relative gap
    rounds: int
    columns: int


def applies(data: ModelData) -> bool:
    """True when no worker could hold both shifts of one of the instance's `conflicts`."""
    apart = data.apart()
    if not apart:
        return True
    for shifts in data.candidates:
        own = set(shifts)
        if any(apart.get(s, set()) & own for s in shifts):
            return False
    return True


class ColumnGeneration:
    """The master problem of one instance, kept across its levels (its columns are reused)."""

    def __init__(self, data: ModelData, *, travel_weight: float, keep: Iterable[Assignment] = (),
                 change_weight: float = 0.0, threads: int = 1):
        import highspy
        import numpy as np

        from scheduling.highs_run import reset_threads, silence_banner

        self.np, self.highspy = np, highspy
        self.data, self.travel_weight = data, travel_weight
        inst = data.inst
        self.cover = [s.priority * h for s, h in zip(inst.shifts, data.hours)]
        self.change = self._change_costs(keep, change_weight)
        self.pricing = _Pricing(data, self.cover, self.change, travel_weight)
        self.labellers = self.pricing.labellers
        self.n_shifts, self.n_workers = len(inst.shifts), len(inst.workers)
        silence_banner()
        reset_threads(threads)
        h = self.h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", threads)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        empty = np.array([], dtype=np.int32)
        h.addRows(self.n_shifts, np.full(self.n_shifts, -highspy.kHighsInf),
                  np.array([float(s.headcount) for s in inst.shifts]), 0, empty, empty, np.array([]))
        h.addRows(self.n_workers, np.ones(self.n_workers), np.ones(self.n_workers), 0, empty,
                  empty, np.array([]))
        self.columns: list[tuple[int, tuple[int, ...]]] = []
        self.values: list[tuple[float, float, float]] = []     # per column, per level
        self.known: dict[tuple[int, tuple[int, ...]], int] = {}    # column → its number
        self.fixed_levels: list[tuple[int, float]] = []        # (level, achieved - slack)
        self.level: int | None = None                          # the level being solved
        self._helper = None                                    # see parallel()
        by_size = sorted(range(self.n_workers), key=lambda w: -len(data.candidates[w]))
        self._halves = (by_size[0::2], by_size[1::2])          # about equal pricing work

    # -- what a column is worth ---------------------------------------------------------
    def _change_costs(self, keep, change_weight: float) -> dict[tuple[int, int], float]:
        """Per (worker, shift): what the changes level counts for it (model_objective.change_cost ×
        change_weight), when re-planning a published plan; empty otherwise."""
        kept = kept_pairs(self.data, keep)
        if not kept:
            return {}
        return {pair: change_weight * change_cost(self.data.inst, pair, kept)
                for pair in self.data.pairs() if pair not in self.data.fixed}

    def level_values(self, w: int, shifts: Iterable[int]) -> tuple[float, float, float]:
        """A worker's plan on each level, maximise sense (as the staged model counts it)."""
        data, labeller = self.data, self.labellers[w]
        hours = {k: 0.0 for k in labeller.own_weeks}
        cover = changes = km = 0.0
        for s in shifts:
            hours[data.week[s]] += data.hours[s]
            cover += self.cover[s]
            changes += self.change.get((w, s), 0.0)
            km += data.home_km.get((w, s), 0.0)
        short = fair = 0.0
        for worked in hours.values():
            week_short, week_fair = week_shortfalls(data.inst.workers[w], worked)
            short += week_short
            fair += week_fair
        return cover, -(short + changes), -(fair + self.travel_weight * km)

    # -- the master ---------------------------------------------------------------------
    def add_plan(self, plan: Iterable[tuple[int, int]]) -> list[int]:
        """Columns for each worker's part of a plan (every worker gets one, maybe empty);
        returns their column numbers."""
        by_worker: dict[int, list[int]] = defaultdict(list)
        for w, s in plan:
            by_worker[w].append(s)
        return [self._add_column(w, by_worker.get(w, [])) for w in range(self.n_workers)]

    def _add_column(self, w: int, shifts) -> int:
        np = self.np
        key = (w, tuple(sorted(shifts)))
        if key in self.known:
            return self.known[key]
        values = self.level_values(w, key[1])
        rows = list(key[1]) + [self.n_shifts + w]
        coefficients = [1.0] * len(rows)
        for number, (level, _) in enumerate(self.fixed_levels):
            rows.append(self.n_shifts + self.n_workers + number)
            coefficients.append(values[level])
        cost = 0.0 if self.level is None else values[self.level]
        self.h.addCol(cost, 0.0, self.highspy.kHighsInf, len(rows), np.array(rows, dtype=np.int32),
                      np.array(coefficients, dtype=np.float64))
        self.columns.append(key)
        self.values.append(values)
        self.known[key] = len(self.columns) - 1
        return self.known[key]

    def fix_level(self, level: int, achieved: float, slack: float) -> None:
        """Later levels keep this level at least at `achieved - slack` (maximise sense)."""
        np = self.np
        index = np.arange(len(self.columns), dtype=np.int32)
        coefficients = np.array([v[level] for v in self.values], dtype=np.float64)
        self.h.addRow(achieved - slack, self.highspy.kHighsInf, len(index), index, coefficients)
        self.fixed_levels.append((level, achieved - slack))

    def _set_objective(self, level: int) -> None:
        np = self.np
        self.level = level
        n = len(self.columns)
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32),
                              np.array([v[level] for v in self.values], dtype=np.float64))

    # -- one level ----------------------------------------------------------------------
    def solve_level(self, level: int, start: list[tuple[int, int]], deadline: float, *,
                    gap_rel: float, report: Callable[[str], None] | None = None) -> LevelResult:
        """Best plan on `level` (0 coverage, 1 minimum hours [and changes], 2 target hours and
        travel) among those keeping the levels fixed so far, from `start` (a plan that keeps
        them), until `deadline` (time.monotonic())."""
        report = report or (lambda message: None)
        priced_from = time.monotonic()
        self._set_objective(level)
        incumbent = self.add_plan(start)
        bound, rounds, exact, lp_value, history = math.inf, 0, False, None, []
        pricing_end = deadline - IP_SHARE * max(0.0, deadline - priced_from)   # the rest: the master
        while time.monotonic() < pricing_end:
            self.h.run()
            if self.h.getModelStatus() != self.highspy.HighsModelStatus.kOptimal:
                break
            lp_value = self.h.getInfo().objective_function_value
            duals = list(self.h.getSolution().row_dual)
            added, lagrangian = self._price(level, duals, exact, pricing_end)
            rounds += 1
            if lagrangian is not None:
                bound = min(bound, lagrangian)
            report(f"round {rounds}: LP {lp_value:.2f}, {'exact' if exact else 'quick'} pricing "
                   f"added {added} plans" + (f", bound {bound:.2f}" if math.isfinite(bound) else ""))
            history.append(lp_value)
            stalled = len(history) > STALL_ROUNDS and history[-1] - history[-1 - STALL_ROUNDS] <= \
                max(1e-7, STALL_SHARE * gap_rel) * max(1.0, abs(lp_value))
            if not exact and (added == 0 or stalled):
                exact = True
                continue
            if exact and lagrangian is not None and added == 0:
                bound = min(bound, lp_value)    # no better plan anywhere: the LP is the bound
                break
            if exact and bound <= lp_value + max(1e-6, 0.1 * gap_rel * abs(lp_value)):
                break                           # the Lagrangian bound is close enough
        started = time.monotonic()     # the master's search gets a share: HiGHS on the pair
        ip_end = started + min(IP_SHARE * max(0.0, deadline - started),   # model may need the
                               max(1.0, started - priced_from))           # rest
        plan, value = self._integer_plan(incumbent, ip_end, gap_rel)
        report(f"integer plan {value:.2f} over {len(self.columns)} plans in "
               f"{time.monotonic() - started:.1f} s")
        proven = math.isfinite(bound)
        optimal = proven and value >= bound - max(1e-6, gap_rel * abs(bound))
        return LevelResult(plan, value, bound if proven else None, optimal, rounds, len(self.columns))

    def _price(self, level: int, duals: list[float], exact: bool, deadline: float):
        """Add the plans worth more than their worker's dual; returns (added, Lagrangian
        bound or None: a heuristic round, or a round the clock cut short)."""
        inst = self.data.inst
        n_s, n_w = self.n_shifts, self.n_workers
        shift_price = [max(0.0, y) for y in duals[:n_s]]
        weights = [0.0, 0.0, 0.0]
        weights[level] = 1.0
        constant = sum(p * s.headcount for p, s in zip(shift_price, inst.shifts))
        for number, (fixed, rhs) in enumerate(self.fixed_levels):
            y = min(0.0, duals[n_s + n_w + number])   # a ≥ row of a maximum: its dual ≤ 0
            weights[fixed] -= y
            constant += y * rhs
        pen = WeekPenalty(short_weight=weights[1], fair_weight=weights[2])
        floors = duals[n_s:n_s + n_w]
        task = (weights, shift_price, pen, floors, None if exact else HEURISTIC_LABELS, deadline)
        found = self._search(task)
        added, total = 0, constant
        for w in range(n_w):
            plans = found.get(w)
            if plans is None:
                continue
            total += max([floors[w]] + [value for value, _ in plans[:1]])
            for value, shifts in plans:
                if value > floors[w] + REDUCED_EPSILON and (w, tuple(shifts)) not in self.known:
                    self._add_column(w, shifts)
                    added += 1
        complete = len(found) == n_w
        return added, (total if exact and complete else None)

    def _search(self, task) -> dict[int, list]:
        """Each worker's best plans at the task's prices (those reached by its deadline):
        half of the workers in a second process when one is running (see `parallel`)."""
        if self._helper is None:
            return dict(self.pricing.search(self._halves[0] + self._halves[1], task))
        try:
            pending = self._helper.apply_async(self._halves[1], task)
            found = dict(self.pricing.search(self._halves[0], task))
            found.update(pending.get())
            return found
        except (OSError, EOFError, pickle.UnpicklingError):     # the helper is gone: go on alone
            self._helper.close()
            self._helper = None
            return dict(self.pricing.search(self._halves[0] + self._halves[1], task))

    def _integer_plan(self, incumbent: list[int], deadline: float,
                      gap_rel: float) -> tuple[list[tuple[int, int]], float]:
        """The master over the columns found with λ integral, from the start plan's columns;
        returns its plan and the level's value there."""
        np, highspy, h = self.np, self.highspy, self.h
        n = len(self.columns)
        everything = np.arange(n, dtype=np.int32)
        h.changeColsIntegrality(n, everything, np.full(n, highspy.HighsVarType.kInteger))
        start = np.zeros(n)
        start[incumbent] = 1.0
        h.setSolution(_solution(highspy, start))
        h.setOptionValue("time_limit", max(0.05, deadline - time.monotonic()))
        h.setOptionValue("mip_rel_gap", gap_rel)
        try:
            h.run()
            chosen = incumbent
            if h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
                values = h.getSolution().col_value
                picked = [c for c in range(n) if values[c] > 0.5]
                if len(picked) == self.n_workers:
                    chosen = picked
        finally:
            h.changeColsIntegrality(n, everything, np.full(n, highspy.HighsVarType.kContinuous))
            h.setOptionValue("time_limit", highspy.kHighsInf)
        value = sum(self.values[c][self.level] for c in chosen)
        plan = sorted((self.columns[c][0], s) for c in chosen for s in self.columns[c][1])
        return plan, value

    @contextmanager
    def parallel(self, processes: int):
        """Price half of the workers in a second process while in this block, when
        `processes` > 1: the pricing is nearly all of the work, and the master's solves
        are short. The helper is a fresh interpreter (running `serve`), not a
        fork of this process, whose HiGHS threads a fork could leave holding a lock; it
        gets the instance once, then prices and answers over its pipes."""
        if processes < 2:
            yield
            return
        try:
            helper = _Helper(self.pricing)
        except OSError:             # no second interpreter to be had: price alone
            yield
            return
        self._helper = helper
        try:
            yield
        finally:
            self._helper = None
            helper.close()


class _Helper:
    """A second interpreter pricing part of the workers (see ColumnGeneration.parallel)."""

    def __init__(self, pricing: "_Pricing"):
        root = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
        self.process = subprocess.Popen([sys.executable, "-c", "from scheduling.colgen import serve; serve()"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        try:
            self._send(pricing)
        except OSError:
            self.close()
            raise

    def _send(self, item) -> None:
        pickle.dump(item, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.flush()

    def apply_async(self, workers: list[int], task) -> "_Helper":
        self._send((workers, task))
        return self

    def get(self) -> list:
        return pickle.load(self.process.stdout)

    def close(self) -> None:
        """Stopped at once: it holds nothing worth waiting for, and a helper still importing
        (a plan that needed no pricing) would otherwise hold the plan back ~1 s."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()


class _Pricing:
    """What pricing a worker needs: the labellers and each pair's part of every level."""

    def __init__(self, data: ModelData, cover: list[float], change: dict, travel_weight: float):
        self.data, self.cover, self.change, self.travel_weight = data, cover, change, travel_weight
        self.labellers = [WorkerLabeller(data, w) for w in range(len(data.inst.workers))]

    def profits(self, w: int, weights: list[float], shift_price: list[float]) -> dict[int, float]:
        data = self.data
        cover, short, fair = weights
        travel = fair * self.travel_weight
        return {s: (cover * self.cover[s] - short * self.change.get((w, s), 0.0)
                    - travel * data.home_km.get((w, s), 0.0) - shift_price[s])
                for s in data.candidates[w]}

    def search(self, workers: list[int], task) -> list:
        weights, shift_price, pen, floors, limit, deadline = task
        out = []
        for w in workers:
            if time.monotonic() > deadline:
                break
            out.append((w, self.labellers[w].best(self.profits(w, weights, shift_price), pen,
                                                  floor=floors[w], limit=limit,
                                                  keep=PLANS_PER_WORKER)))
        return out


def serve() -> None:
    """The helper's loop: the pricing first, then (workers, task) → their plans."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)                   # anything printed goes to stderr, not into the answers
    requests = sys.stdin.buffer
    pricing = pickle.load(requests)
    while True:
        try:
            workers, task = pickle.load(requests)
        except EOFError:            # the planner is done (or gone)
            return
        try:
            pickle.dump(pricing.search(workers, task), answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
        except BrokenPipeError:
            return


def _solution(highspy, values):
    solution = highspy.HighsSolution()
    solution.col_value = list(values)
    solution.value_valid = True
    return solution

