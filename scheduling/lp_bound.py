"""Proven upper bounds on Σ priority × hours from LP relaxations, built straight in HiGHS.

The relaxation keeps the headcount of each shift, each worker's weekly hours and, unless
`conflicts=False`, the conflict cliques of model_rules (overlap, travel, no daily rest
pairwise), all implied by the rules, so its optimum bounds every valid plan. Built as
arrays and passed to highspy in one call: PuLP's expression objects cost more time than
the solve for a 1000-worker week.
"""
from __future__ import annotations

from typing import NamedTuple

from scheduling.model_data import ModelData
from scheduling.model_rules import conflict_rows, headcount_rows, week_hours_rows


class LpSolution(NamedTuple):
    optimum: float
    used: set[tuple[int, int]]          # pairs with a positive value
    prices: dict[int, float]            # shift index → dual of its headcount row (≥ 0)


def lp_bound(data: ModelData, time_limit: float, threads: int = 2,
             conflicts: bool = True) -> float | None:
    """The LP optimum, or None when HiGHS does not prove it within `time_limit` s."""
    solved = lp_solution(data, time_limit, threads, conflicts)
    return None if solved is None else solved.optimum


def lp_solution(data: ModelData, time_limit: float, threads: int = 2,
                conflicts: bool = True) -> LpSolution | None:
    """The LP relaxation solved, or None when HiGHS does not prove it within
    `time_limit` s."""
    import numpy as np

    if time_limit < 0.2:
        return None
    pairs = list(data.pairs())
    if not pairs:
        return LpSolution(0.0, set(), {})
    column = {pair: i for i, pair in enumerate(pairs)}
    cost = [data.inst.shifts[s].priority * data.hours[s] for _, s in pairs]
    lower = [1.0 if pair in data.fixed else 0.0 for pair in pairs]
    headcount = list(headcount_rows(data))
    families = [headcount, week_hours_rows(data)]
    if conflicts:
        families.append(conflict_rows(data))
    rows = [([column[pair] for pair in row_pairs], coefficients, rhs)
            for family in families for row_pairs, coefficients, rhs in family]
    n = len(pairs)
    starts = np.cumsum([0] + [len(cols) for cols, _, _ in rows[:-1]], dtype=np.int32)
    index = np.fromiter((i for cols, _, _ in rows for i in cols), dtype=np.int32)
    value = np.fromiter((v for _, coefs, _ in rows for v in coefs), dtype=np.float64)
    solved = run_lp(cost, lower, np.ones(n), np.full(len(rows), -np.inf),
                    [rhs for _, _, rhs in rows], starts, index, value,
                    time_limit=time_limit, threads=threads, maximize=True, values=True)
    if solved is None:
        return None
    optimum, columns, duals = solved
    prices = {row_pairs[0][1]: abs(dual) for (row_pairs, _, _), dual in zip(headcount, duals)}
    return LpSolution(optimum, {pair for pair, v in zip(pairs, columns) if v > 1e-6}, prices)


def run_lp(cost, col_lower, col_upper, row_lower, row_upper, starts, index, value, *,
           time_limit: float, threads: int, maximize: bool, values: bool = False):
    """Optimise cost · x over col_lower ≤ x ≤ col_upper and row_lower ≤ A x ≤ row_upper
    (A in compressed rows: starts, index, value; ±inf for a missing side) with HiGHS's
    interior-point method. The optimum (with `values`: the optimum, the column values and
    the row duals), or None unless HiGHS proves it in `time_limit` s."""
    import highspy

    h = highs_model(cost, col_lower, col_upper, row_lower, row_upper, starts, index, value,
                    threads=threads, maximize=maximize,
                    options={"time_limit": float(time_limit), "solver": "ipm"})
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    optimum = float(h.getInfo().objective_function_value)
    if not values:
        return optimum
    solution = h.getSolution()
    return optimum, list(solution.col_value), list(solution.row_dual)


def highs_model(cost, col_lower, col_upper, row_lower, row_upper, starts, index, value, *,
                threads: int, maximize: bool, options: dict, integer: bool = False):
    """A highspy model of the problem run_lp describes, not yet run, quiet and with
    `options`; with `integer` every column integral."""
    import highspy
    import numpy as np

    from scheduling.highs_run import reset_threads, silence_banner

    silence_banner()
    reset_threads(threads)
    h = highspy.Highs()
    for option, setting in {"output_flag": False, "threads": threads, **options}.items():
        h.setOptionValue(option, setting)
    n = len(cost)
    h.addCols(n, np.array(cost, dtype=np.float64), np.array(col_lower, dtype=np.float64),
              np.array(col_upper, dtype=np.float64), 0, np.array([], dtype=np.int32),
              np.array([], dtype=np.int32), np.array([]))
    if integer:
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.full(n, highspy.HighsVarType.kInteger))
    if len(row_upper):      # highspy's infinity is the float one
        h.addRows(len(row_upper), np.array(row_lower, dtype=np.float64),
                  np.array(row_upper, dtype=np.float64), len(index),
                  np.asarray(starts, dtype=np.int32), np.asarray(index, dtype=np.int32),
                  np.asarray(value, dtype=np.float64))
    if maximize:
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return h
