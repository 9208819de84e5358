"""Build the model once and solve the objective levels one after another."""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

from scheduling.balance import Balance
from scheduling.construct import fill_by_exchanges, fill_open_slots, repair
from scheduling.highs_run import StageResult, run_highs
from scheduling.instance import Assignment, Instance
from scheduling.model import PlanModel
from scheduling.model_data import ModelData, build_model_data
from scheduling.model_objective import (
    change_cost, change_terms, coverage_terms, fair_target_terms, kept_pairs, min_shortfall_terms,
    scaled, settle_shortfalls, travel_terms, week_hours_terms, week_shortfalls,
)
from scheduling.model_rules import add_all_rules

TRAVEL_WEIGHT = 0.001     # one fairness unit (an hour short of target) = 1000 km
COLUMN_LEVELS = {"coverage": 0, "minimum_hours": 1, "minimum_hours_and_changes": 1,
                 "target_hours_and_travel": 2}    # stage key → colgen's level
FIX_TOLERANCE = 1e-6      # relative slack when a solved level becomes a constraint
MIN_FIRST_STAGE = 4.0     # seconds; below this the coverage stage gets all the time
PRESOLVE_PAIRS = 8_000    # HiGHS presolve on up to this many pairs: on small models it
                          # tightens the bound a lot; on a 300-worker week it takes 3-6 s,
                          # while without it the feasibility jump finds a plan in 1 s
GREEDY_FLOOR = 5.0        # seconds the greedy start may always take (a 300-worker week: 0.4 s)
BUILD_SHARE = 0.10        # share of the progress bar for building the model
LP_SHARE = 0.4            # of the coverage stage's time at most for its LP relaxation
LP_STAGE_SHARE = 0.5      # of a stage's time at most for the LP and the MIP over its pairs
BALANCE_SHARE = 0.06      # of the target-hours stage's time kept for exchanges after HiGHS,
BALANCE_FLOOR = 1.0       # and at least this many seconds (60 workers: 0.7 s), up to half
STALL_SHARE = 0.15        # HiGHS on the target-hours stage stops when its gap closed by less
STALL_FLOOR = 3.0         # than a tenth in this share of its time (at least these seconds):
                          # the neighbourhood search (lns.py) then has the rest


def closing_reserve(inst: Instance, deadline: float) -> float:
    """Seconds kept after solving for explanations, metrics and the rules check.

    Explanations stop their one-by-one analysis at the deadline, so this only needs to
    cover the rules check and the rest: about 1.5 s per 1000 shifts.
    """
    total = max(0.0, deadline - time.monotonic())
    return min(0.25 * total, 0.1 + 0.0015 * len(inst.shifts) + 0.01 * total)


@dataclass
class Stage:
    name: str
    terms: list
    sign: float           # +1 maximise, -1 minimise
    share: float          # share of the remaining time
    key: str = ""         # the level's name in a solution's `levels`
    tight_lp: bool = True  # its LP relaxation's optimum is usually reachable (see _lp_stage)


@dataclass
class Outcome:
    status: str
    assignments: list[Assignment]
    bound: dict = field(default_factory=dict)
    levels: list[dict] = field(default_factory=list)   # see level_report
    pending: object | None = None   # a bound still being computed (decompose.PendingBound)


class StagedSolve:
    def __init__(self, inst: Instance, *, deadline: float, gap_rel: float, threads: int,
                 report: Callable[[float, str], None], reserve: float | None = None):
        self.inst, self.deadline, self.gap_rel, self.threads = inst, deadline, gap_rel, threads
        self.report = report
        self.reserve = reserve if reserve is not None else closing_reserve(inst, deadline)
        self.coverage_target: float | None = None   # a proven bound on stage 1, if known
        self.presolve: bool | None = None   # None: on for small models only (see run)
        self.coverage_share = 0.5  # share of the time for stage 1 (coverage)
        self.lp_start = True       # plan the LP relaxation's pairs first (see _lp_start)
        self.lp_value: float | None = None   # the LP relaxation's optimum, when solved
        self.lp_neighbourhoods = False  # a stage with a tight LP first over its pairs (_lp_stage)
        self.balance = False   # exchanges after HiGHS on the target-hours stage (_balanced)
        self.colgen = None     # a colgen.ColumnGeneration of the instance: see _by_columns
        self.columns_proved = False     # a level was proven by columns, not by HiGHS

    def run(self, keep: tuple[Assignment, ...] = (), change_weight: float = 8.0,
            data: ModelData | None = None, start: Iterable[Assignment] = ()) -> Outcome:
        """`keep`: a published plan to change as little as possible; `start`: a valid plan
        to warm-start from (HiGHS then never returns anything worse)."""
        self.report(0.01, "finding eligible worker-shift pairs")
        data = data or build_model_data(self.inst)
        m = PlanModel(data)
        add_all_rules(m)
        if self.presolve is None:
            self.presolve = len(m.x) <= PRESOLVE_PAIRS
        stages = self._stages(m, keep, change_weight)
        self._greedy_start(m, data, keep, tuple(start))
        self.report(BUILD_SHARE, f"model built: {len(m.x)} pairs, {m.rows} rows")
        if self.colgen is None or self._fills_everything(data):
            return self._solve_stages(m, data, stages)   # columns rarely needed: no helper
        with self.colgen.parallel(self.threads):    # its helper starts while the LPs run
            return self._solve_stages(m, data, stages)

    def _stages(self, m: PlanModel, keep, change_weight: float) -> list[Stage]:
        week_hours = week_hours_terms(m)
        second = min_shortfall_terms(m, week_hours)
        second += scaled(change_terms(m, keep), change_weight)
        third = fair_target_terms(m, week_hours) + scaled(travel_terms(m), TRAVEL_WEIGHT)
        stages = [Stage("coverage", coverage_terms(m), 1.0, self.coverage_share, "coverage"),
                  Stage("minimum hours", second, -1.0, 0.5,
                        "minimum_hours_and_changes" if keep else "minimum_hours"),
                  Stage("target hours and travel", third, -1.0, 1.0, "target_hours_and_travel",
                        tight_lp=False)]
        stages = [s for s in stages if s.terms]
        if stages:
            stages[-1].share = 1.0
        return stages

    def _solve_stages(self, m: PlanModel, data: ModelData, stages: list[Stage]) -> Outcome:
        chosen = self.start          # the greedy start, if HiGHS finds nothing better
        outcome = Outcome("optimal", [])
        progress_span = (0.95 - BUILD_SHARE) / max(1, len(stages))
        for number, stage in enumerate(stages):
            base = BUILD_SHARE + number * progress_span
            budget = self._remaining() * stage.share
            if number == 0 and budget < MIN_FIRST_STAGE:
                budget = self._remaining()      # too little time to split: coverage only
            if budget < 0.05:
                outcome.status = "feasible"
                break
            self.report(base, f"stage {number + 1}/{len(stages)}: {stage.name}")
            stage_started = time.monotonic()
            m.prob.setObjective(m.expression(scaled(stage.terms, stage.sign)))
            if number > 0:
                m.round_binaries()
                settle_shortfalls(m)
            result, tried_lp = None, False
            if number == 0 and self._start_reaches_target(data):
                result = StageResult(True, True, _covered(data, self.start), self.coverage_target, 0.0)
            elif number == 0 and self.lp_start and not self._fills_everything(data):
                started = time.monotonic()
                result = self._lp_start(m, data, stage, budget)
                budget -= time.monotonic() - started
                chosen = self.start      # HiGHS must not return less than the LP's plan
                tried_lp = True
            polish = self.balance and stage.key == "target_hours_and_travel"
            if polish:
                budget -= min(0.5 * budget, max(BALANCE_FLOOR, BALANCE_SHARE * budget))
            if result is None and self.lp_neighbourhoods and stage.tight_lp and not tried_lp:
                started = time.monotonic()
                result = self._lp_stage(m, stage, budget, chosen, number == 0)
                budget -= time.monotonic() - started
            columns = None
            if result is None and self._by_columns(stage, data):
                started = time.monotonic()
                columns = self.colgen.solve_level(
                    COLUMN_LEVELS[stage.key], chosen, started + budget, gap_rel=self.gap_rel,
                    report=lambda text: self.report(base, f"{stage.name}: columns, {text}"))
                budget -= time.monotonic() - started
                chosen = self._column_plan(m, stage, columns, chosen)
                if columns.optimal and chosen is columns.plan:
                    result = StageResult(True, True, columns.value, columns.bound, 0.0)
                    self.columns_proved = True
                elif number == 0 and columns.bound is not None and (
                        self.coverage_target is None or columns.bound < self.coverage_target):
                    self.coverage_target = columns.bound    # HiGHS may stop when it gets there
            if result is None:
                result = run_highs(m.prob, time_limit=max(0.05, budget), gap_rel=self.gap_rel,
                                   threads=self.threads, warm=True,
                                   report=self._stage_reporter(base, progress_span, stage.name),
                                   target=self.coverage_target if number == 0 else None,
                                   presolve=self.presolve,
                                   stall=max(STALL_FLOOR, STALL_SHARE * budget) if polish else None)
                if columns is not None and columns.bound is not None:
                    result = _with_bound(result, columns.bound, self.gap_rel)
            result = replace(result, seconds=time.monotonic() - stage_started)
            if number == 0:
                outcome.bound = self._coverage_bound(data, result)
            if not result.has_solution:
                outcome.status = "feasible"
                if number == 0:
                    chosen = self._fallback(data)
                break
            if not result.optimal:
                outcome.status = "feasible"
            found = m.chosen()
            problem = self._untrusted(m, data, found, chosen)
            if problem:
                self.report(base, f"{stage.name}: HiGHS's plan kept back ({problem})")
                outcome.status = "feasible"
                break
            chosen = found
            if polish and not result.optimal:
                chosen, result = self._balanced(m, data, chosen, result, stages[:number],
                                                outcome.levels)
            outcome.levels.append(level_report(stage, result))
            slack = FIX_TOLERANCE * max(1.0, abs(result.objective))
            m.at_least(scaled(stage.terms, stage.sign), result.objective - slack)
            if self.colgen is not None:
                self.colgen.fix_level(COLUMN_LEVELS[stage.key], result.objective, slack)
        outcome.assignments = [Assignment(self.inst.shifts[s].id, self.inst.workers[w].id)
                               for w, s in chosen]
        return outcome

    def _lp_start(self, m: PlanModel, data: ModelData, stage: Stage,
                  seconds: float) -> StageResult | None:
        """A first plan from the LP relaxation (a relaxation-induced neighbourhood): solve
        the coverage LP of the whole model, then the MIP over only the pairs the LP uses
        (and the fixed ones), from the start plan's pairs among them.

        On a 300-worker peak week the LP takes 1.2 s and uses 3018 of 14264 pairs; the MIP
        over those is optimal in 1.2 s at 11417 priority-weighted hours, where the week's
        whole MIP from the greedy start held 11219 after 12 s (its optimum is ≈ 11465).
        The LP optimum bounds the stage (`lp_value`).

        Returns the stage's result when that plan stands for the whole model's stage 1: it
        reaches the bound, or the model is too large for HiGHS's own search to add much in
        the time (a week: from a plan this good its root cuts alone overran a 6 s limit by
        6 s). None when the whole model's MIP should run next (from the better plan).
        """
        end = time.monotonic() + seconds
        values = _relaxation(m, scaled(stage.terms, stage.sign), LP_SHARE * seconds,
                             self.threads)
        if values is None:
            self._set_start(m, self.start)      # not the LP's values
            return None
        self.lp_value, used = values
        if self.coverage_target is None or self.lp_value < self.coverage_target:
            self.coverage_target = self.lp_value
        focus = used | data.fixed
        if len(focus) >= len(m.x) or end - time.monotonic() < 0.1:
            self._set_start(m, self.start)
            return None
        sub = PlanModel(data.restricted_to(focus), "focus")
        add_all_rules(sub)
        sub.prob.setObjective(sub.expression(coverage_terms(sub)))
        self._set_start(sub, [pair for pair in self.start if pair in focus])
        result = run_highs(sub.prob, time_limit=end - time.monotonic(), gap_rel=self.gap_rel,
                           threads=self.threads, warm=True, target=self.coverage_target,
                           presolve=len(sub.x) <= PRESOLVE_PAIRS)
        found = sorted(sub.chosen()) if result.has_solution else []
        better = bool(found) and not self._untrusted(sub, data, found, self.start)
        if better:
            self.start = found
        self._set_start(m, self.start)
        self.report(BUILD_SHARE, f"LP relaxation {self.lp_value:.1f} on {len(used)} pairs; "
                                 f"plan over them {result.objective:.1f}")
        reached = better and result.optimal and result.bound is not None and \
            result.bound >= self.coverage_target - 1e-6
        if not better or (not reached and len(m.x) <= PRESOLVE_PAIRS):
            return None
        return StageResult(reached, True, result.objective,
                           self.coverage_target if reached else self.lp_value,
                           seconds - (end - time.monotonic()))

    def _lp_stage(self, m: PlanModel, stage: Stage, seconds: float, chosen,
                  first: bool) -> StageResult | None:
        """The stage solved over the pairs its LP relaxation uses (and the plan so far's):
        when that plan reaches the LP's optimum it is the stage's optimum, and HiGHS's
        search of the whole model is not needed. Otherwise the plan found becomes the
        whole model's start and None is returned.

        On a 60-worker normal pool HiGHS's whole-model search spends 5 s on root cuts
        before its sub-MIP finds the plan at the bound the root LP gave after 1.2 s,
        in the coverage stage and in the minimum-hours stage alike.
        """
        started = time.monotonic()
        end = started + LP_STAGE_SHARE * seconds
        values = _relaxation(m, scaled(stage.terms, stage.sign), LP_SHARE * seconds,
                             self.threads)
        self._set_start(m, chosen)
        if values is None:
            return None
        bound, used = values
        if first and (self.coverage_target is None or bound < self.coverage_target):
            self.coverage_target = self.lp_value = bound
        focus = used | set(chosen) | m.data.fixed
        closed = {var: var.upBound for pair, var in m.x.items() if pair not in focus}
        if not closed or end - time.monotonic() < 0.1:
            return None
        for var in closed:
            var.upBound = 0
        try:
            result = run_highs(m.prob, time_limit=end - time.monotonic(), gap_rel=self.gap_rel,
                               threads=self.threads, warm=True, target=bound,
                               presolve=self.presolve)
        finally:
            for var, upper in closed.items():
                var.upBound = upper
        found = m.chosen() if result.has_solution else []
        if found and not self._untrusted(m, m.data, found, chosen):
            self.report(BUILD_SHARE, f"{stage.name}: LP relaxation {stage.sign * bound:.1f} "
                                     f"on {len(used)} pairs; plan over them "
                                     f"{stage.sign * result.objective:.1f}")
            if result.objective >= bound - max(1e-6, self.gap_rel * abs(bound)):
                return StageResult(True, True, result.objective, bound, 0.0)
            chosen = found
        self._set_start(m, chosen)
        return None

    def _by_columns(self, stage: Stage, data: ModelData) -> bool:
        """Whether column generation (colgen.py) takes a stage its LP steps did not prove.

        Coverage always; a lower level only where the pool cannot fill every shift and columns,
        not HiGHS, proved a level above it: that is where whole plans bound what the pair
        model's LP does not. On the 60-worker normal pool the pricing tails off on the lower
        levels (minimum hours: 19 rounds, 63 s, unproven; target hours: 137 rounds in 120 s
        with a bound of 1932 against the optimum 1951), while HiGHS proves minimum hours in
        seconds there; on the peak pool (coverage proven by columns) the target-hours level's
        columns converge in ~9 s (two processes) to a bound of 1294.20 against a plan of
        1294.34 (0.011 %; HiGHS alone: 0.26 % open). On the demo's worked month, whose
        coverage HiGHS proves after the columns' integer master stalled, HiGHS proves the
        target-hours level in ~6 s, and columns there left it open.
        """
        if self.colgen is None or stage.key not in COLUMN_LEVELS:
            return False
        return stage.key == "coverage" or (self.columns_proved and not self._fills_everything(data))

    def _column_plan(self, m: PlanModel, stage: Stage, columns, chosen):
        """The column generation's plan when it is at least as good on the stage as
        `chosen`, set as HiGHS's start; `chosen` otherwise."""
        self._set_start(m, chosen)
        before = _value(m, stage)
        self._set_start(m, columns.plan)
        if _value(m, stage) >= before - 1e-9 * max(1.0, abs(before)):
            return columns.plan
        self._set_start(m, chosen)
        return chosen

    def _balanced(self, m: PlanModel, data: ModelData, chosen, result: StageResult,
                  stages: list[Stage], levels: list[dict]):
        """The plan after exchanges that give hours to whoever is furthest behind their
        target (balance.Balance), and the last stage's result for it; `stages` and
        `levels` are the levels above it, whose reports are restated if a level improved
        (an exchange may lower the minimum-hours shortfall as well).

        HiGHS's search is good at large changes and slow at these last exchanges: on the
        60-worker normal pool its plan stood at 1956.1 after 25 s (bound 1950.6), and the
        exchanges took it to 1953.1 in 0.7 s; from the minimum-hours plan they stall far
        from the bound (1992.8), so they come after HiGHS, not before.
        """
        started = time.monotonic()
        plan = [Assignment(self.inst.shifts[s].id, self.inst.workers[w].id) for w, s in chosen]
        search = Balance(self.inst, data, plan, TRAVEL_WEIGHT)
        moves = search.run(self.deadline - self.reserve)
        if not moves or not search.valid(plan):
            return chosen, result
        before = [_value(m, stage) for stage in stages] + [result.objective]
        found = sorted((data.worker_index[a.worker], data.shift_index[a.shift])
                       for a in search.assignments())
        self._set_start(m, found)
        after = [_value(m, stage) for stage in stages] + [m.prob.objective.value()]
        if [round(v, 6) for v in after] < [round(v, 6) for v in before]:
            self._set_start(m, chosen)      # not expected: the exchanges judge as the model
            return chosen, result
        self.report(0.95, f"target hours: {moves} exchanges after the search, "
                          f"{-result.objective:.1f} → {-after[-1]:.1f}")
        for stage, level, value in zip(stages, levels, after):
            if abs(value - stage.sign * level["value"]) > 1e-6:
                level.update(_restated(stage, level, value, self.gap_rel))
        return found, replace(result, objective=after[-1], optimal=_reaches(
            after[-1], result.bound, self.gap_rel), seconds=result.seconds + time.monotonic() - started)

    def _fills_everything(self, data: ModelData) -> bool:
        """True when the stage-1 bound says every shift can be filled (a normal pool): then
        HiGHS from the greedy start fills nearly all in seconds, while the LP is slow
        there (a 300-worker normal week: 4.5 s) and the start would gain little."""
        return self.coverage_target is not None and \
            self.coverage_target >= data.demand_value() - 1e-6

    def _start_reaches_target(self, data: ModelData) -> bool:
        """True when the start plan reaches the stage-1 bound: coverage is solved without
        HiGHS (which takes 2-4 s on a 300-worker week before it stops at the target)."""
        target = self.coverage_target
        return target is not None and _covered(data, self.start) >= target - max(
            1e-6, self.gap_rel * abs(target))

    @staticmethod
    def _set_start(m: PlanModel, plan) -> None:
        """`plan` as HiGHS's start, complete: the pairs, the rest binaries and shortfalls
        that follow from them (HiGHS completes a partial start with a MIP of its own,
        which can fail: a 300-worker week's best plan was dropped that way)."""
        chosen = set(plan)
        for pair, var in m.x.items():
            var.varValue = 1.0 if pair in chosen else 0.0
        m.settle_rest_flags()
        settle_shortfalls(m)

    def _greedy_start(self, m: PlanModel, data: ModelData, keep, start=()) -> None:
        """A first plan for HiGHS: `start` (a valid plan) if given, else the fixed and kept
        assignments that still fit together, filled up greedily (a fraction of a second
        even for a 300-worker week; HiGHS's presolve takes longer before it finds one)."""
        fixed = [Assignment(self.inst.shifts[s].id, self.inst.workers[w].id)
                 for w, s in sorted(data.fixed)]
        usable = [a for a in start or keep if (data.worker_index.get(a.worker),
                                               data.shift_index.get(a.shift)) in m.x]
        plan = repair(self.inst, fixed + usable)
        if not start:   # even when the time is up: a greedy plan beats an empty one
            until = max(self.deadline - self.reserve, time.monotonic() + GREEDY_FLOOR)
            plan = fill_open_slots(self.inst, data, plan, until)
            if self._fills_everything(data):
                plan = fill_by_exchanges(self.inst, data, plan, until)
        self.start = sorted({(data.worker_index[a.worker], data.shift_index[a.shift])
                             for a in plan})
        self._set_start(m, self.start)

    @staticmethod
    def _untrusted(m: PlanModel, data: ModelData, found, before) -> str | None:
        """Why HiGHS's answer must not replace the plan so far, if it must not.

        A solve stopped by the clock can report a solution whose values are not an
        incumbent (fractional), or an incumbent of its own that covers less than the
        warm start it was given; either would lose coverage, so the plan so far stays.
        """
        if any(0.0001 < m.value(var) < 0.9999 for var in m.x.values()):
            return "fractional values"

        if _covered(data, found) < _covered(data, before) - 2e-6 * max(1.0, _covered(data, before)):
            return "covers less than the plan it started from"
        return None

    def _fallback(self, data: ModelData) -> list[tuple[int, int]]:
        """HiGHS found no plan in time: fill the start greedily in what time is left."""
        start = [Assignment(self.inst.shifts[s].id, self.inst.workers[w].id)
                 for w, s in self.start]
        plan = fill_open_slots(self.inst, data, start, self.deadline - self.reserve)
        return sorted((data.worker_index[a.worker], data.shift_index[a.shift]) for a in plan)

    def _remaining(self) -> float:
        return self.deadline - self.reserve - time.monotonic()

    def _stage_reporter(self, base: float, span: float, name: str):
        def report(share: float, text: str) -> None:
            self.report(base + span * share, f"{name}: {text}")
        return report

    def _coverage_bound(self, data: ModelData, result: StageResult) -> dict:
        """The stage-1 dual bound on Σ priority × hours (HiGHS's, or the LP relaxation's
        optimum if lower), when one was proved."""
        bounds = [b for b in (result.bound, self.lp_value) if b is not None]
        if not bounds:
            return {}
        return {"priority_hours": round(min(bounds), 4)}


def level_report(stage: Stage, result: StageResult) -> dict:
    """One objective level as a solution's `levels` lists it: its value in the plan, the proven
    bound on it (for plans that reach the levels above as planned), and whether HiGHS proved the
    plan best there ("optimal": within the relative gap) or stopped at its time ("feasible")."""
    bound = None if result.bound is None else round(stage.sign * result.bound, 4) + 0.0
    return {"level": stage.key, "status": "optimal" if result.optimal else "feasible",
            "value": round(stage.sign * result.objective, 4) + 0.0, "bound": bound,
            "seconds": round(result.seconds, 3)}


def plan_levels(data: ModelData, plan, keep: Iterable[Assignment] = (),
                change_weight: float = 0.0) -> dict[str, float]:
    """The lower levels of a plan ((worker, shift) index pairs) as the whole model's stages
    count them (model_objective): per worker and week the worker has a candidate shift in,
    the hours short of the minimum and the fair target penalty; km × TRAVEL_WEIGHT; when
    re-planning, +change_weight per new pair and −change_weight × its drop weight per kept one
    (fixed pairs count neither)."""
    inst, hours = data.inst, defaultdict(float)
    for w, shifts in enumerate(data.candidates):
        for s in shifts:
            hours[w, data.week[s]] += 0.0
    short = fair = changes = 0.0
    kept = kept_pairs(data, keep)
    for w, s in plan:
        hours[w, data.week[s]] += data.hours[s]
        fair += TRAVEL_WEIGHT * data.home_km.get((w, s), 0.0)
        if (w, s) not in data.fixed:
            changes += change_cost(inst, (w, s), kept)
    for (w, _), worked in hours.items():
        week_short, week_fair = week_shortfalls(inst.workers[w], worked)
        short += week_short
        fair += week_fair
    second = short + (change_weight * changes if kept else 0.0)
    return {"minimum_hours": second, "minimum_hours_and_changes": second,
            "target_hours_and_travel": fair}


def restate_levels(data: ModelData, levels: list[dict], assignments, keep: Iterable[Assignment],
                   change_weight: float, gap_rel: float) -> list[dict]:
    """`levels` (level_report's, of the staged plan) for a plan a search changed afterwards:
    each level's value recomputed for it (plan_levels), its bound kept, its status judged
    again. A level's bound holds for every plan that keeps the levels above it at least as
    good as the staged plan had them (those were rows of its stage); the neighbourhood
    search never makes a level above worse, but if it did the levels from there on are left
    out. Coverage comes first and stays as it was (solver._levels restates it)."""
    plan = [(data.worker_index[a.worker], data.shift_index[a.shift]) for a in assignments]
    values = plan_levels(data, plan, keep, change_weight)
    values["coverage"] = sum(data.inst.shifts[s].priority * data.hours[s] for _, s in plan)
    out = []
    for level in levels:
        key, sign = level["level"], 1.0 if level["level"] == "coverage" else -1.0
        value = values[key]
        if key != "coverage":
            bound = level["bound"]
            reached = _reaches(-value, None if bound is None else -bound, gap_rel)   # minimised
            out.append({**level, "value": round(value, 4) + 0.0,
                        "status": "optimal" if reached else "feasible"})
        else:
            out.append(level)
        if sign * (value - level["value"]) < -FIX_TOLERANCE * max(1.0, abs(level["value"])):
            break       # worse than planned: the bounds below no longer hold for this plan
    return out


def _with_bound(result: StageResult, bound: float, gap_rel: float) -> StageResult:
    """HiGHS's result with another proven bound (maximise sense) taken in when tighter."""
    if result.bound is not None and result.bound <= bound:
        return result
    return replace(result, bound=bound,
                   optimal=result.optimal or (result.has_solution and _reaches(result.objective, bound, gap_rel)))


def _value(m: PlanModel, stage: Stage) -> float:
    """The stage's objective (maximise sense) at the model's current values."""
    return stage.sign * sum(m.value(var) * coef for var, coef in stage.terms)


def _reaches(value: float, bound: float | None, gap_rel: float) -> bool:
    return bound is not None and value >= bound - max(1e-6, gap_rel * abs(bound))


def _restated(stage: Stage, level: dict, value: float, gap_rel: float) -> dict:
    """A level report's value and status for a plan that improved on it."""
    bound = None if level["bound"] is None else stage.sign * level["bound"]
    return {"value": round(stage.sign * value, 4) + 0.0,
            "status": "optimal" if _reaches(value, bound, gap_rel) else "feasible"}


def _covered(data: ModelData, plan) -> float:
    """Σ priority × hours of the plan's (worker, shift) pairs."""
    return sum(data.inst.shifts[s].priority * data.hours[s] for _, s in plan)


def _relaxation(m: PlanModel, objective_terms, seconds: float, threads: int):
    """(optimum, pairs with a positive value) of the LP relaxation of `m` for the given
    objective (maximised), or None unless HiGHS solves it within `seconds`."""
    import pulp
    from highspy import HighsModelStatus
    from pulp.apis.highs import HiGHS

    from scheduling.highs_run import reset_threads, silence_banner

    if seconds < 0.1:
        return None
    silence_banner()
    reset_threads(threads)
    m.prob.setObjective(m.expression(objective_terms))
    m.prob.solve(HiGHS(msg=False, mip=False, timeLimit=seconds, threads=threads))
    if m.prob.solverModel.getModelStatus() != HighsModelStatus.kOptimal:
        return None
    used = {pair for pair, var in m.x.items() if (var.varValue or 0.0) > 1e-6}
    return float(pulp.value(m.prob.objective)), used
