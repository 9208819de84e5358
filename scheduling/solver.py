"""The planner's public entry: `solve(instance) -> Solution`.

Lexicographic objective, solved in stages on one model (each stage warm-started from the
previous one and the previous level fixed with a tiny tolerance):
  stage 1  maximise Σ priority × hours covered;
  stage 2  minimise hours short of the weekly minimum (+ change_weight per change of a
           kept plan when re-planning);
  stage 3  minimise the fair (convex) target-hours penalty + TRAVEL_WEIGHT per km.
Stages, not one weighted sum: the weights needed to make coverage provably dominate
would be so large that HiGHS's relative gap (1e-4 of the coverage term) would swallow
the lower levels completely.
"""
from __future__ import annotations

import math
import time
from typing import Callable, Iterable

from scheduling.construct import raise_minimum_hours, restore_kept
from scheduling.explain import explain_unfilled
from scheduling.instance import Assignment, Instance, Solution, Unfilled
from scheduling.metrics import compute_metrics
from scheduling.plan_check import PlanInvalidError, fixed_violations, verify
from scheduling.decompose import REGION_PAIRS, relaxed_bound, solve_by_weeks, weeks_of
from scheduling.model_data import build_model_data
from scheduling.lns import Lns
from scheduling import colgen
from scheduling.stages import (
    PRESOLVE_PAIRS, TRAVEL_WEIGHT, Outcome, StagedSolve, closing_reserve, restate_levels,
)

DEFAULT_CHANGE_WEIGHT = 8.0
WHOLE_MODEL_PAIRS = 16_000   # above this many eligible pairs: week by week
RELAXED_BOUND_SHARE = 0.05   # of the time, for the LP bound without the rest rules
WHOLE_COVERAGE_SHARE = 0.8   # of the whole model's time for coverage when it is not proven
                             # sooner (the 60-worker peak pool, 30 s: 0.5 left it at 6355.9
                             # priority-weighted hours, 0.8 at 6364.05 of the optimum 6365.1,
                             # and the lower levels were not worse for the shorter time);
                             # re-planning a published plan keeps 0.5 for the changes level
# Share of the time for the first plan; neighbourhood search improves it in the rest.
# The whole model gets all of it: on the 60-worker pools its later stages (minimum hours)
# need the time, and the search added nothing there (S normal: minimum-hours shortfall 720
# h with half the time for the search, 674 h, the proven optimum, without; S peak 99.5 →
# 99.9 % of the bound). Week by week gets most: each week's bound needs its MIP's root
# node. Regions as much: on the 1000-worker pool 0.6, 0.7 and 0.95 all ended lower than 0.85.
FIRST_PLAN_SHARE = {"whole": 1.0, "weeks": 0.85, "regions": 0.85}
HAND_OVER_SHARE = 0.3   # of the search's time at most for raise_minimum_hours
Progress = Callable[[float, str], None]

__all__ = ["solve", "PlanInvalidError", "DEFAULT_CHANGE_WEIGHT"]


def solve(inst: Instance, *, time_limit: float = 60, gap_rel: float = 1e-4, threads: int = 2,
          progress: Progress | None = None, keep: Iterable[Assignment] | None = None,
          change_weight: float = DEFAULT_CHANGE_WEIGHT, started: float | None = None) -> Solution:
    """Plan `inst` within `time_limit` seconds (model building included).

    `started`: the moment (time.monotonic()) the time limit counts from, if earlier than
    now: a command passes its process's start, so reading the file counts as well.
    `keep`: assignments of a published plan to keep where the plan can (one change level);
    None takes the instance's own `keep`.

    A `time_limit` that is not a finite number above 0 is a ValueError (infinity would leave no
    time for the closing steps, which take a share of it).

    Returns status `optimal`, `feasible` (time limit hit; best plan found) or
    `infeasible` (the fixed shifts themselves break a rule). Raises PlanInvalidError if
    the independent checker in contracts/ finds a broken rule in the plan.
    """
    if not (isinstance(time_limit, (int, float)) and math.isfinite(time_limit) and time_limit > 0):
        raise ValueError(f"time_limit must be a finite number of seconds above 0, not {time_limit!r}")
    started = time.monotonic() if started is None else min(started, time.monotonic())
    report = _monotone(progress or (lambda fraction, message: None))
    report(0.0, "checking fixed shifts")
    problems = fixed_violations(inst)
    if problems:
        return _infeasible(inst, problems, time.monotonic() - started)
    keep = inst.keep if keep is None else tuple(keep)
    outcome = _plan(inst, started + time_limit, gap_rel, threads, report, keep, change_weight)
    assignments = tuple(sorted(outcome.assignments, key=lambda a: (a.shift, a.worker)))
    report(0.97, "explaining open shifts")
    solution = Solution(
        status=outcome.status,
        assignments=assignments,
        unfilled=explain_unfilled(inst, assignments,
                                  deadline=started + time_limit - _after_explaining(inst)),
        metrics=compute_metrics(inst, assignments),
        bound=coverage_bound(inst, outcome.bound),
        solve_seconds=round(time.monotonic() - started, 3),
        levels=_levels(inst, outcome, assignments, gap_rel),
    )
    report(0.99, "checking the plan against the working-time rules")
    verify(inst, solution)
    report(1.0, f"done: {solution.status}")
    return solution


def _plan(inst: Instance, deadline: float, gap_rel: float, threads: int, report: Progress,
          keep: tuple[Assignment, ...], change_weight: float) -> Outcome:
    """A first plan (whole model, or week by week), then neighbourhood search on it."""
    report(0.005, "finding eligible worker-shift pairs")
    data = build_model_data(inst)
    now = time.monotonic()
    strategy = _strategy(inst, data)
    first_end = now + FIRST_PLAN_SHARE[strategy] * (deadline - now)
    bounds_until = deadline - closing_reserve(inst, deadline)
    outcome = _first_plan(inst, data, strategy, first_end, gap_rel, threads,
                          lambda f, m: report(f * (first_end - now) / max(1e-9, deadline - now), m),
                          keep, change_weight, bound_deadline=bounds_until)
    first = set(outcome.assignments)
    try:
        _improve(inst, data, outcome, now, first_end, deadline, bounds_until, gap_rel, threads,
                 report, keep, change_weight)
    except BaseException:
        if outcome.pending is not None:
            outcome.pending.close()
        raise
    if outcome.pending is not None:     # weeks bounded beside the first plan and the search
        outcome.bound = outcome.pending.result(until=bounds_until)
    if set(outcome.assignments) != first:   # the staged levels spoke of the first plan
        outcome.levels = restate_levels(data, outcome.levels, outcome.assignments, keep,
                                        change_weight, gap_rel)
    return outcome


def _levels(inst: Instance, outcome: Outcome, assignments, gap_rel: float) -> tuple[dict, ...]:
    """What is proven about each objective level of the plan (a solution's `levels`).

    Coverage (Σ priority × hours) always: its value in the plan against the proven bound,
    "optimal" when it reaches the bound within the relative gap. The lower levels (minimum
    hours, then target hours and travel) as the whole model's staged solve reported them, each
    bound holding for the plans that reach the levels above it as planned (after a search
    changed the staged plan, their values restated: stages.restate_levels); week by week no
    bound on them is known, so they are left out.
    """
    hours = {s.id: s.priority * s.hours for s in inst.shifts}
    value = round(sum(hours[a.shift] for a in assignments), 4)
    bound = outcome.bound.get("priority_hours")
    reached = bound is not None and value >= bound - max(1e-6, gap_rel * abs(bound))
    coverage = {"level": "coverage", "status": "optimal" if reached else "feasible",
                "value": value, "bound": bound}
    staged = next((level for level in outcome.levels if level["level"] == "coverage"), None)
    if staged is not None:
        coverage["seconds"] = staged["seconds"]
    return (coverage,) + tuple(level for level in outcome.levels if level["level"] != "coverage")


def _improve(inst: Instance, data, outcome: Outcome, now: float, first_end: float,
             deadline: float, finish: float, gap_rel: float, threads: int, report: Progress,
             keep: tuple[Assignment, ...], change_weight: float) -> None:
    """Give published shifts back, hand shifts to workers short of their minimum hours,
    then run the neighbourhood search on the first plan, until `finish`: the closing
    reserve taken at the start (taken now, a quarter of what is left, it was too short for
    the explanations and the rules check: a 1000-worker pool's run ended 1 s, a 3000-worker
    one's 2 s past its limit)."""
    if keep and outcome.status != "optimal":
        report(0.95 * (first_end - now) / max(1e-9, deadline - now), "giving published shifts back")
        outcome.assignments = restore_kept(inst, data, outcome.assignments, keep, finish)
    if outcome.status == "optimal" or finish - time.monotonic() < 1.0:
        return
    base = min(0.95 * (first_end - now), time.monotonic() - now) / max(1e-9, deadline - now)
    span = 0.95 - base      # the whole model's first plan may end early (stages: `stall`)
    report(base, "handing shifts to workers short of their minimum hours")
    outcome.assignments = raise_minimum_hours(
        inst, data, outcome.assignments,
        time.monotonic() + HAND_OVER_SHARE * (finish - time.monotonic()), keep, change_weight)
    search = Lns(inst, data, outcome.assignments, keep=keep, change_weight=change_weight,
                 gap_rel=gap_rel, threads=threads)
    report(base, f"first plan: {search.value():.1f} priority-weighted hours")
    outcome.assignments = search.run(finish, lambda f, m: report(
        base + span * f, f"improving neighbourhoods: {m}"))
    report(0.95, f"after {search.steps} neighbourhoods: {search.value():.1f} "
                 "priority-weighted hours")


def _strategy(inst: Instance, data) -> str:
    """"whole" model, "weeks" one by one, or weeks split into "regions" (an estimate from
    the average week; solve_by_weeks decides per week)."""
    pairs = data.pair_count()
    weeks = len(weeks_of(inst))
    if pairs <= WHOLE_MODEL_PAIRS or weeks < 2:
        return "whole"
    return "weeks" if pairs / weeks <= REGION_PAIRS else "regions"


def _first_plan(inst: Instance, data, strategy: str, deadline: float, gap_rel: float,
                threads: int, report: Progress, keep: tuple[Assignment, ...],
                change_weight: float, bound_deadline: float) -> Outcome:
    """Whole model when it is small enough, otherwise week by week."""
    if strategy != "whole":
        report(0.01, f"{data.pair_count()} eligible pairs: planning week by week")
        return solve_by_weeks(inst, data, deadline=deadline, gap_rel=gap_rel,
                              threads=threads, report=report, keep=keep,
                              change_weight=change_weight, bound_deadline=bound_deadline)
    staged = StagedSolve(inst, deadline=deadline, gap_rel=gap_rel, threads=threads,
                         report=report)
    relaxed = relaxed_bound(data, RELAXED_BOUND_SHARE * (deadline - time.monotonic()), threads)
    staged.coverage_target = relaxed
    staged.lp_neighbourhoods = data.pair_count() <= PRESOLVE_PAIRS
    staged.balance = not keep
    if not keep:
        staged.coverage_share = WHOLE_COVERAGE_SHARE
    if colgen.applies(data):
        staged.colgen = colgen.ColumnGeneration(data, travel_weight=TRAVEL_WEIGHT, keep=keep,
                                                change_weight=change_weight, threads=threads)
    outcome = staged.run(keep=keep, change_weight=change_weight, data=data)
    bounds = [b for b in (outcome.bound.get("priority_hours"), relaxed) if b is not None]
    outcome.bound = {"priority_hours": round(min(bounds), 4)} if bounds else {}
    return outcome


def _after_explaining(inst: Instance) -> float:
    """Seconds kept after the explanations for the metrics, the rules check and writing the
    plan (a 3000-worker peak pool, 7 464 shifts: the last explanation ended 1.0 s past its
    deadline, the check took 0.9 s, writing the file ~0.5 s)."""
    return max(1.0, 0.0006 * len(inst.shifts))


def _monotone(progress: Progress) -> Progress:
    """The callback with fractions that never go back (parts report on their own scales)."""
    reached = [0.0]

    def report(fraction: float, message: str) -> None:
        reached[0] = max(reached[0], min(1.0, fraction))
        progress(reached[0], message)
    return report


def coverage_bound(inst: Instance, bound: dict) -> dict:
    """Turn a bound on Σ priority × hours into one on covered hours.

    Exact when all priorities are equal; otherwise divided by the lowest priority (still
    a proven bound, looser). Both are reported; never above the demand.
    """
    demand = sum(s.hours * s.headcount for s in inst.shifts)
    out = {"covered_hours": round(demand, 4)}
    weighted = bound.get("priority_hours")
    if weighted is not None:
        weighted = min(weighted, sum(s.priority * s.hours * s.headcount for s in inst.shifts))
    priorities = {s.priority for s in inst.shifts}
    if weighted is not None and priorities and min(priorities) > 0:
        out["covered_hours"] = round(min(demand, weighted / min(priorities)), 4)
        out["priority_hours"] = weighted
    return out


def _infeasible(inst: Instance, problems: dict[str, list[str]], seconds: float) -> Solution:
    fixed = tuple(sorted((Assignment(s, w.id) for w in inst.workers for s in w.fixed),
                         key=lambda a: (a.shift, a.worker)))
    unfilled = tuple(Unfilled(shift, 0, tuple(reasons))
                     for shift, reasons in sorted(problems.items()))
    return Solution("infeasible", fixed, unfilled, compute_metrics(inst, fixed), {},
                    round(seconds, 3))
