"""How far the planner's minimum-hours shortfall is from the best possible at its coverage.

benchmarks.md: "the minimum-hours shortfall within 10 % of the best possible at that
coverage". The reference is the planner's own whole-horizon model of the instance (every
rule, built from the planner's public pieces), with one extra row, Σ priority × hours ≥
the planner's value (less a tiny tolerance), and the objective "minimise the minimum-hours
shortfall". It is warm-started from the planner's plan and solved by HiGHS with a time
limit, giving the best shortfall found (never more than the planner's) and HiGHS's proven
dual bound: no plan that covers as much can have less shortfall than that bound.

On a 300-worker pool (M, ~55 000 pairs, ~180 000 rows) HiGHS does not finish the root LP
of that model in 30 s (and its presolve alone took 80 s), so its dual bound is only what
bound propagation gives. The LP relaxation of a smaller relaxation of the same problem is
then solved as well: headcounts, weekly hours and the conflict cliques of model_rules
(overlap, travel, pairwise daily rest), the coverage floor and the shortfall rows, without
the rest windows' binaries. Every plan of the full model is feasible there, so its optimum
is a lower bound too; on M it equals the full model's LP optimum (847 h), in about 5 s.
The larger of the two bounds is reported.

Units are those of `scheduling.metrics.compute_metrics` (the report's "min-hours short"):
every worker in every ISO week in which some shift starts. The model only has a shortfall
variable for the (worker, week) pairs in which the worker has a candidate shift (fixed
shifts are candidates); every other pair works no hours whatever the plan, so its
shortfall is its whole min_hours_per_week, a constant added to the model's value.
"""
from __future__ import annotations

import math
import time
from collections import defaultdict

from scheduling.highs_run import run_highs
from scheduling.instance import Assignment
from scheduling.io import load_instance
from scheduling.lp_bound import run_lp
from scheduling.metrics import compute_metrics
from scheduling.model import PlanModel
from scheduling.model_data import ModelData, build_model_data
from scheduling.model_objective import (
    coverage_terms, min_shortfall_terms, scaled, settle_shortfalls, week_hours_terms,
)
from scheduling.model_rules import add_all_rules, conflict_rows, headcount_rows, week_hours_rows
from scheduling.timeline import week_start

PAIR_LIMIT = 60_000        # S ≈ 3 000 and M ≈ 55 000 eligible pairs; L ≈ 380 000, XL ≈ 2.8 M
CLIQUE_LP_PAIRS = 1_000_000  # above the pair limit only the LP bounds it: the whole
                             # horizon's up to this many pairs (L), above it week by week (XL)
PRESOLVE_PAIRS = 8_000     # as the planner (scheduling/stages.py): HiGHS presolve on small
                           # models only; on M it took 80 s before the search started
COVERAGE_TOLERANCE = 1e-6  # relative slack on "Σ priority × hours ≥ the planner's"
GAP_REL = 1e-4


def min_hours_reference(inst_dict: dict, assignments, time_limit: float, *,
                        pair_limit: int = PAIR_LIMIT, threads: int = 2) -> dict | None:
    """The best minimum-hours shortfall at the coverage of `assignments`, and a proven bound.

    `assignments`: the planner's plan, as dicts {"shift", "worker"} or Assignments.
    `time_limit`: seconds for the MIP, and again at most for the relaxation LP if needed.
    Above `pair_limit` eligible pairs the model is too large for HiGHS's search: then only
    the relaxation LP bounds it (lp_only_reference). Returns a dict, every shortfall in
    hours as compute_metrics counts them:
      planner  the plan's own shortfall (the model's value of the warm start),
      best     the least shortfall of a plan found that covers as much (≤ planner),
      bound    a proven lower bound on it (None if none was proven),
      bound_from  "MIP dual bound" or "LP relaxation",
      offset   the part no plan can change (worker-weeks without a candidate shift),
      covered  Σ priority × hours of the plan, held as a floor,
      status   "optimal" (the MIP closed its gap, or the bound meets best) or "time limit",
      seconds  building and solving, plan  the best plan found (list of Assignment).
    """
    started = time.monotonic()
    inst = load_instance(inst_dict)
    data = build_model_data(inst)
    if data.pair_count() > pair_limit:
        return lp_only_reference(inst_dict, data, assignments, time_limit, threads, started)
    m = PlanModel(data, "min_hours_reference")
    add_all_rules(m)
    plan = _pairs(data, assignments, m.x)
    week_hours = week_hours_terms(m)
    shortfall = min_shortfall_terms(m, week_hours)
    offset = unchangeable_shortfall(data, week_hours)
    covered = _covered(data, plan)
    floor = covered - COVERAGE_TOLERANCE * max(1.0, covered)
    m.at_least(coverage_terms(m), floor)
    for pair, var in m.x.items():
        var.varValue = 1.0 if pair in plan else 0.0
    settle_shortfalls(m)
    start_value = offset + _model_value(m, shortfall)
    result = {"planner": _hours(start_value), "offset": _hours(offset), "covered": round(covered, 4),
              "pairs": data.pair_count()}
    if not shortfall:     # nobody has a minimum in a week they could work: nothing to choose
        return {**result, "best": result["planner"], "bound": result["planner"],
                "bound_from": "MIP dual bound",
                "status": "optimal", "seconds": round(time.monotonic() - started, 2),
                "plan": _assignments(data, plan)}
    m.prob.setObjective(m.expression(scaled(shortfall, -1.0)))   # run_highs maximises
    solved = run_highs(m.prob, time_limit=time_limit, gap_rel=GAP_REL, threads=threads,
                       warm=True, presolve=data.pair_count() <= PRESOLVE_PAIRS)
    best, best_plan = start_value, plan
    found = set(m.chosen())
    if solved.has_solution and _integral(m) and _covers(data, found, covered):
        value = offset + _least_shortfall(m)   # HiGHS's own shortfall values may be slack
        if value < best:
            best, best_plan = value, found
    bounds = {}
    mip_bound = _proven_bound(m, solved)
    if mip_bound is not None:
        bounds["MIP dual bound"] = offset - mip_bound
    if not solved.optimal:
        lp = relaxation_bound(data, floor, time_limit, threads)
        if lp is not None:
            bounds["LP relaxation"] = offset + lp
    source = max(bounds, key=bounds.get, default=None)
    bound = None if source is None else _hours_down(min(best, bounds[source]))
    proven = solved.optimal or (bound is not None and bound >= _hours(best) - 1e-6)
    return {**result, "best": _hours(best), "bound": bound, "bound_from": source,
            "status": "optimal" if proven else "time limit",
            "seconds": round(time.monotonic() - started, 2), "plan": _assignments(data, best_plan)}


def lp_only_reference(inst_dict: dict, data: ModelData, assignments, time_limit: float,
                      threads: int, started: float) -> dict:
    """The reference of a model too large to search: the best found is the planner's plan
    itself, the bound the relaxation LP's (relaxation_bound; above CLIQUE_LP_PAIRS week by
    week, weekly_relaxation_bound), or None when it does not finish in `time_limit`."""
    planner = metric_shortfall(inst_dict, assignments)
    candidates = {(w, data.week[s]) for w, s in data.pairs()}
    offset = unchangeable_shortfall(data, candidates)
    covered = _covered(data, _pairs(data, assignments))
    floor = covered - COVERAGE_TOLERANCE * max(1.0, covered)
    if data.pair_count() <= CLIQUE_LP_PAIRS:
        lp = relaxation_bound(data, floor, time_limit, threads)
        source = "LP relaxation"
    else:
        lp, weeks, bounded = weekly_relaxation_bound(data, time_limit, threads)
        source = (f"LP relaxation week by week, without the coverage floor ({bounded} of "
                  f"{weeks} weeks solved in time)")
    bound = None if lp is None else _hours_down(min(planner, offset + lp))
    proven = bound is not None and bound >= planner - 1e-6
    return {"planner": _hours(planner), "offset": _hours(offset), "covered": round(covered, 4),
            "pairs": data.pair_count(), "best": _hours(planner), "bound": bound,
            "bound_from": source if bound is not None else None,
            "status": "optimal" if proven else "LP only (no search)",
            "seconds": round(time.monotonic() - started, 2), "plan": list(assignments)}


def unchangeable_shortfall(data: ModelData, week_hours) -> float:
    """Σ min_hours_per_week over the (worker, week) pairs the model has no hours for
    (`week_hours`: keyed, or a set, by those it has).

    The weeks are those of compute_metrics (a shift of the instance starts in them). A
    worker-week with a fixed shift has that shift as a candidate, so it is in `week_hours`:
    the pairs left out work no hours in any plan.
    """
    inst = data.inst
    week_index = {week_start(s.start, inst.timezone): data.week[i] for i, s in enumerate(inst.shifts)}
    return sum(max(0.0, worker.min_hours_per_week)
               for w, worker in enumerate(inst.workers) for k in week_index.values()
               if (w, k) not in week_hours)


def weekly_relaxation_bound(data: ModelData, time_limit: float, threads: int = 2
                            ) -> tuple[float, int, int]:
    """(bound, weeks, weeks whose LP finished): Σ over the ISO weeks of relaxation_bound of
    the week's pairs alone, without the coverage floor, each in its share of `time_limit`;
    a week whose LP does not finish adds 0 (no shortfall is negative).

    Dropping the floor and the conflicts across a week edge relaxes the problem, and what
    is left falls apart by week. On the 1000-worker normal pool this gives the same 2 543.5
    h as the whole horizon's LP with the floor, in 23 s instead of 99 s; a 3000-worker
    pool's whole-horizon LP (2.8 million pairs) is too large to solve.
    """
    weeks: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for w, s in data.pairs():
        weeks[data.week[s]].add((w, s))
    end = time.monotonic() + time_limit
    total, bounded = 0.0, 0
    for n, (_, pairs) in enumerate(sorted(weeks.items())):
        share = (end - time.monotonic()) / (len(weeks) - n)
        lp = relaxation_bound(data.restricted_to(pairs), 0.0, share, threads)
        if lp is not None:
            total, bounded = total + lp, bounded + 1
    return total, len(weeks), bounded


def relaxation_bound(data: ModelData, floor: float, time_limit: float, threads: int = 2
                     ) -> float | None:
    """The least Σ shortfall (model variables only) of the LP relaxation of a relaxation:
    headcounts, weekly hours, conflict cliques, Σ priority × hours
    ≥ `floor`, and per (worker, week) with a minimum: Σ hours + short ≥ minimum,
    0 ≤ short ≤ minimum. None unless HiGHS proves the LP optimal within `time_limit` s."""
    pairs = list(data.pairs())
    column = {pair: i for i, pair in enumerate(pairs)}
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (w, s) in enumerate(pairs):
        groups[w, data.week[s]].append(i)
    levels = [(cols, data.inst.workers[w].min_hours_per_week) for (w, _), cols in groups.items()
              if data.inst.workers[w].min_hours_per_week > 0]
    n, inf = len(pairs), math.inf
    lower, upper, index, value, starts = [], [], [], [], []

    def row(cols, coefficients, lo, hi):
        starts.append(len(index))
        index.extend(cols)
        value.extend(coefficients)
        lower.append(lo)
        upper.append(hi)

    for family in (headcount_rows(data), week_hours_rows(data), conflict_rows(data)):
        for row_pairs, coefficients, rhs in family:
            row([column[p] for p in row_pairs], coefficients, -inf, rhs)
    row(range(n), [data.inst.shifts[s].priority * data.hours[s] for _, s in pairs], floor, inf)
    for j, (cols, level) in enumerate(levels):
        row([*cols, n + j], [data.hours[pairs[i][1]] for i in cols] + [1.0], level, inf)

    return run_lp([0.0] * n + [1.0] * len(levels),
                  [1.0 if p in data.fixed else 0.0 for p in pairs] + [0.0] * len(levels),
                  [1.0] * n + [level for _, level in levels], lower, upper, starts, index, value,
                  time_limit=max(time_limit, 0.2), threads=threads, maximize=False)


def _pairs(data: ModelData, assignments, eligible=None) -> set[tuple[int, int]]:
    """The plan as (worker, shift) indexes, each checked against `eligible` if given."""
    out = set()
    for a in assignments:
        shift, worker = (a["shift"], a["worker"]) if isinstance(a, dict) else (a.shift, a.worker)
        pair = (data.worker_index[worker], data.shift_index[shift])
        if eligible is not None and pair not in eligible:
            raise ValueError(f"the plan assigns {worker} to {shift}, which the planner's model "
                             "does not allow (not an eligible pair)")
        out.add(pair)
    return out


def _covered(data: ModelData, plan) -> float:
    return sum(data.inst.shifts[s].priority * data.hours[s] for _, s in plan)


def _model_value(m: PlanModel, terms) -> float:
    return sum(m.value(var) * coefficient for var, coefficient in terms)


def _least_shortfall(m: PlanModel) -> float:
    """The model's shortfall of the plan in x (rounded), each variable at its least value."""
    return sum(min(level, max(0.0, level - sum(round(m.value(var)) * h for var, h in hours)))
               for hours, level, _ in m.shortfalls)


def _integral(m: PlanModel) -> bool:
    return all(m.value(var) < 1e-4 or m.value(var) > 1 - 1e-4 for var in m.x.values())


def _covers(data: ModelData, plan, covered: float) -> bool:
    return _covered(data, plan) >= covered - 2 * COVERAGE_TOLERANCE * max(1.0, covered)


def _proven_bound(m: PlanModel, solved) -> float | None:
    """HiGHS's dual bound on −shortfall (maximise sense), read raw: run_highs reports the
    objective itself as the bound of a solve that stopped within the gap. None when
    run_highs found HiGHS's figure no bound (stopped before the root, or below the plan)."""
    if solved.bound is None:
        return None
    highs = getattr(m.prob, "solverModel", None)
    raw = highs.getInfo().mip_dual_bound if highs is not None else math.nan
    if math.isfinite(raw) and raw >= solved.objective - 1e-6:
        return raw
    return solved.bound


def _assignments(data: ModelData, plan) -> list[Assignment]:
    return [Assignment(data.inst.shifts[s].id, data.inst.workers[w].id) for w, s in sorted(plan)]


def _hours(value: float) -> float:
    return round(value + 0.0, 4)


def _hours_down(value: float) -> float:
    """A bound rounded to 4 decimals without rising above what was proven."""
    return math.floor(value * 1e4 + 1e-6) / 1e4 + 0.0


def metric_shortfall(inst_dict: dict, assignments) -> float:
    """compute_metrics' "shortfall_min_hours" of a plan (for checking the units agree)."""
    plan = [Assignment(a["shift"], a["worker"]) if isinstance(a, dict) else a for a in assignments]
    return compute_metrics(load_instance(inst_dict), plan)["shortfall_min_hours"]
