"""Run one HiGHS solve of a PuLP problem and read HiGHS's own verdict.

PuLP's status says `Optimal` after a time-limited solve, so the model status comes
from highspy; the dual bound gets PuLP's objective constant added back if HiGHS left it out.
HiGHS's presolve is the caller's choice (`presolve`): on a small model it tightens the
bound a lot in well under a second; on a 300-worker week it takes seconds before the
feasibility jump can start, which finds a first plan in about a second without it.
"""
from __future__ import annotations

import math
import os
import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

import pulp
from pulp.apis.highs import HiGHS

_BANNER_SILENCED = False
STALL_CLOSE = 0.1       # see run_highs's `stall`; never before this share of the time limit:
STALL_AFTER = 0.5       # HiGHS's first good plans may come late (60-worker normal pool's target
                        # hours: the start's 2261 kept for 6 s, then 1966 and 1956)


def silence_banner() -> None:
    """highspy prints a copyright banner on stdout once per process: send it to stderr."""
    global _BANNER_SILENCED
    if _BANNER_SILENCED:
        return
    import highspy
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_SILENCED = True


_THREADS_IN_USE: list[int] = []


def reset_threads(threads: int) -> None:
    """HiGHS keeps one global thread pool sized by the first solve in the process; a later
    solve asking for another thread count fails (status kNotset) unless it is reset.
    So every solve here uses the same count, and a change resets the pool (blocking)."""
    import highspy
    if _THREADS_IN_USE and _THREADS_IN_USE[0] != threads:
        highspy.Highs.resetThreadScheduler(True)
    _THREADS_IN_USE[:] = [threads]


@dataclass
class StageResult:
    optimal: bool          # HiGHS proved optimality (within the gap)
    has_solution: bool
    objective: float       # in the problem's (maximise) sense
    bound: float | None    # best dual bound, same sense
    seconds: float


def run_highs(prob: pulp.LpProblem, *, time_limit: float, gap_rel: float, threads: int,
              warm: bool, report: Callable[[float, str], None] | None = None,
              target: float | None = None, presolve: bool = False,
              stall: float | None = None) -> StageResult:
    """Solve `prob` (a maximisation) with HiGHS; `report(share_of_time, text)` while running.

    `target`: a proven upper bound from elsewhere; HiGHS is stopped as soon as a plan
    reaches it within the gap, and that plan counts as optimal.
    `stall`: seconds; past STALL_AFTER of the time limit, HiGHS is stopped once, over the
    last `stall` seconds, its gap (best plan against bound) closed by less than STALL_CLOSE
    of itself and its plan gained less than `gap_rel`: the caller has a better use for the
    time (a neighbourhood search).
    """
    silence_banner()
    reset_threads(threads)
    started = time.monotonic()
    reached = [False]
    callback_kwargs = _callback(report, max(time_limit, 1e-3), target, gap_rel, reached, stall)
    start = [(var, var.varValue) for var in prob.variables()] if warm and presolve else []
    solver = HiGHS(msg=False, timeLimit=max(time_limit, 0.05), gapRel=gap_rel,
                   threads=threads, warmStart=warm, random_seed=0, presolve="on" if presolve else "off",
                   **callback_kwargs)
    stats = prob.solve(solver)
    highs = prob.solverModel
    if start and stats.has_solution and _values_disagree(prob, stats.objective, highs):
        # HiGHS 1.16: when presolve solves the whole MIP, the values handed back are the
        # warm start's while the objective reported is the optimum's. Again without
        # presolve (such a model is tiny), from the same start.
        for var, value in start:
            var.varValue = value
        left = max(time_limit - (time.monotonic() - started), 0.05)
        solver = HiGHS(msg=False, timeLimit=left, gapRel=gap_rel, threads=threads, warmStart=warm,
                       random_seed=0, presolve="off",
                       **_callback(report, left, target, gap_rel, reached, stall))
        stats = prob.solve(solver)
        highs = prob.solverModel
    status = highs.getModelStatus()
    from highspy import HighsModelStatus
    optimal = status == HighsModelStatus.kOptimal or (reached[0] and stats.has_solution)
    objective = stats.objective if stats.has_solution and stats.objective is not None \
        else -math.inf
    bound = _dual_bound(prob, highs, objective if optimal else None)
    if reached[0] and target is not None:
        bound = target
    if bound is not None and (not stats.has_solution or bound < objective - 1e-6):
        bound = None    # stopped before the root: HiGHS's figure is no bound
    return StageResult(optimal, bool(stats.has_solution), objective, bound,
                       time.monotonic() - started)


def _values_disagree(prob, objective: float | None, highs) -> bool:
    """The plan's own value and the value HiGHS reports for it differ (with or without
    PuLP's objective constant, which HiGHS may leave out)."""
    reported = highs.getInfo().objective_function_value
    if objective is None or not math.isfinite(reported):
        return False
    constant = prob.objective.constant if prob.objective is not None else 0.0
    slack = 1e-6 * max(1.0, abs(reported))
    return abs(objective - reported) > slack and abs(objective - reported - constant) > slack


def _dual_bound(prob, highs, optimal_value: float | None) -> float | None:
    if optimal_value is not None:
        return optimal_value
    bound = highs.getInfo().mip_dual_bound
    if not math.isfinite(bound):
        return None
    constant = prob.objective.constant if prob.objective is not None else 0.0
    if constant and abs(highs.getInfo().objective_function_value
                        - (prob.objective.value() or 0.0)) > 1e-6:
        bound += constant   # HiGHS reported without PuLP's constant
    return bound


def _callback(report, time_limit: float, target: float | None, gap_rel: float,
              reached: list[bool], stall: float | None = None) -> dict:
    kinds = HiGHS.hscb.HighsCallbackType
    last = [0.0]
    enough = None if target is None else target - max(1e-6, gap_rel * abs(target))
    simplex, improving = kinds.kCallbackSimplexInterrupt, kinds.kCallbackMipImprovingSolution
    seen: deque[tuple[float, float, float]] = deque()    # (time, plan, bound) at MIP events

    def stalled(now: float, primal: float, dual: float) -> bool:
        """Past STALL_AFTER of the time, over the last `stall` seconds the gap closed by less
        than STALL_CLOSE of itself and the plan gained less than the relative gap."""
        if not (math.isfinite(primal) and math.isfinite(dual)):
            return False
        seen.append((now, primal, dual))
        while len(seen) > 1 and seen[1][0] <= now - stall:
            seen.popleft()
        then, plan_then, bound_then = seen[0]
        gap_then, gap_now = bound_then - plan_then, dual - primal
        return now >= STALL_AFTER * time_limit and now - then >= stall and \
            gap_then - gap_now < STALL_CLOSE * gap_then and \
            primal - plan_then <= gap_rel * max(1.0, abs(primal))

    def on_event(kind, message, data_out, data_in, user_data):
        now = data_out.running_time
        if now > time_limit * 1.05:     # HiGHS checks its own limit rarely inside LPs
            data_in.user_interrupt = True
            return
        if kind == simplex:     # a plan at the target stops the root's LPs and cuts as well
            data_in.user_interrupt = reached[0]
            return
        may_stop = kind != improving    # HiGHS ignores a stop asked on an improving plan
        if enough is not None and data_out.mip_primal_bound >= enough:
            reached[0] = True
            data_in.user_interrupt = may_stop
        if stall is not None and stalled(now, data_out.mip_primal_bound, data_out.mip_dual_bound) \
                and may_stop:
            data_in.user_interrupt = True
            if report is not None:
                report(min(1.0, now / time_limit), f"{now:.0f} s: stopped, the gap closed by less than "
                       f"{STALL_CLOSE:.0%} in {stall:.0f} s (best {data_out.mip_primal_bound:.1f}, "
                       f"bound {data_out.mip_dual_bound:.1f})")
            return
        if report is None or now - last[0] < 0.5:
            return
        last[0] = now
        text = f"{now:.0f} s: best {data_out.mip_primal_bound:.1f}, bound {data_out.mip_dual_bound:.1f}"
        report(min(1.0, now / time_limit), text)

    return {"callbackTuple": (on_event, None),
            "callbacksToActivate": [kinds.kCallbackMipInterrupt,
                                    kinds.kCallbackMipImprovingSolution, simplex]}
