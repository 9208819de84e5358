"""The Lagrangian bound: each worker's own best plan under every rule, headcounts priced.

It must never cut off a valid plan (checked against the brute-force optimum of the
property test, found with the rules engine alone) at any prices, be exact for a single
worker, and see what the LP relaxation cannot: a worker who may not work every day of a
week because of the weekly rest.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from contracts.worktime import check_solution
from scheduling import decompose, load_instance, solution_to_dict, solve, solver
from scheduling.decompose import relaxed_bound
from scheduling.lagrangian import lagrangian_bound
from scheduling.lp_bound import lp_solution
from scheduling.model_data import build_model_data
from tests.scheduling.plan_factory import instance, shift, worker
from tests.scheduling.test_property import best_coverage, instances

DAYS = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07",
        "2026-03-08"]   # Monday to Sunday of one ISO week


def every_day(weeks: int = 1, workers: int = 1) -> dict:
    """An 8-hour early shift every day for two workers each (more than the pool has): the
    LP lets each worker work all seven, but the 36-hour weekly rest allows six."""
    shifts = []
    for week in range(weeks):
        for day in DAYS:
            date = f"2026-03-{int(day[-2:]) + 7 * week:02d}"
            shifts.append(shift(f"E{date}", f"{date} 06:00", f"{date} 14:00", headcount=2))
    return instance([worker(f"W{i}") for i in range(workers)], shifts)


def test_the_weekly_rest_bounds_a_worker_the_lp_lets_work_every_day():
    data = build_model_data(load_instance(every_day()))
    assert lp_solution(data, 10.0).optimum == pytest.approx(56.0)
    told: list[str] = []
    value = relaxed_bound(data, 10.0, note=told.append, lagrangian=True)
    assert value == pytest.approx(48.0)
    assert "Lagrangian bound" in told[-1] and "conflict cliques 56.0" in told[-1]
    # without the option (in-line, where time is short) the LP's bound stays
    assert relaxed_bound(data, 10.0) == pytest.approx(56.0)


def test_weeks_split_into_regions_get_the_lagrangian_bound_from_the_second_process(monkeypatch):
    data = every_day(weeks=2)
    monkeypatch.setattr(solver, "WHOLE_MODEL_PAIRS", 0)     # plan week by week
    monkeypatch.setattr(decompose, "REGION_PAIRS", 5)        # in regions: no MIP bound
    messages: list[str] = []
    solution = solve(load_instance(data), time_limit=8, progress=lambda f, m: messages.append(m))
    assert check_solution(data, solution_to_dict(solution)) == []
    assert len(solution.assignments) == 12                   # six days a week
    assert solution.bound["priority_hours"] == pytest.approx(96.0)    # the LP says 112
    assert any("Lagrangian bound" in m for m in messages)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.lists(st.floats(0, 12), min_size=6, max_size=6))
def test_no_prices_cut_off_a_valid_plan(data, drawn):
    model_data = build_model_data(load_instance(data))
    best = best_coverage(data)
    far = time.monotonic() + 60
    lp = lp_solution(model_data, 10.0)
    random_prices = dict(enumerate(drawn[:len(model_data.inst.shifts)]))
    for prices in ({}, lp.prices, random_prices):
        assert lagrangian_bound(model_data, prices, far) >= best - 1e-6
    if len(data["workers"]) == 1 and len({(s["start"], s["end"]) for s in data["shifts"]}) \
            == len(data["shifts"]):
        # one worker, no two shifts at the same times: the worker's own problem is the
        # whole problem (a headcount never limits a single worker)
        assert lagrangian_bound(model_data, {}, far) == pytest.approx(best, abs=1e-6)


def test_a_worker_not_reached_in_time_still_counts_with_a_bound():
    data = build_model_data(load_instance(every_day(workers=2)))
    # at zero prices each of the two workers is worth 48 at most; with no time left each
    # gets the weekly-hours bound instead (their 56 h of shifts fit in 60 h), never less
    assert lagrangian_bound(data, {}, time.monotonic() + 60) == pytest.approx(96.0)
    assert lagrangian_bound(data, {}, time.monotonic() - 1) == pytest.approx(112.0)


def test_each_worker_s_best_week_is_collected_and_keeps_the_rules():
    data = every_day(workers=2)
    model_data = build_model_data(load_instance(data))
    lp = lp_solution(model_data, 10.0)
    for prices in ({}, lp.prices):
        plans: set[tuple[int, int]] = set()
        lagrangian_bound(model_data, prices, time.monotonic() + 60, plans)
        for w, person in enumerate(data["workers"]):
            week = [{"shift": model_data.inst.shifts[s].id, "worker": person["id"]}
                    for v, s in plans if v == w]
            assert len(week) == 6           # six days: the weekly rest leaves out one
            assert check_solution(data, {"assignments": week}) == []


def test_shifts_at_the_same_times_are_kept_apart_only_as_their_conflicts_say():
    """S1 and S2 (04:00-06:00) are one column; `conflicts` keeps S1 from S0 (06:00-07:00) but
    not S2, so the worker may hold S2 and S0: 3 h. (The column once took S1's conflict as its
    own and bounded the worker at 2 h, below that valid plan.)"""
    shifts = [shift("S0", "2026-03-28 06:00", "2026-03-28 07:00"),
              shift("S1", "2026-03-28 04:00", "2026-03-28 06:00"),
              shift("S2", "2026-03-28 04:00", "2026-03-28 06:00")]
    data = {**instance([worker("W0", max_hours_per_week=8)], shifts), "conflicts": [["S0", "S1"]]}
    assert best_coverage(data) == pytest.approx(3.0)
    model_data = build_model_data(load_instance(data))
    assert lagrangian_bound(model_data, {}, time.monotonic() + 60) == pytest.approx(3.0)
    data["conflicts"].append(["S0", "S2"])   # now each shift at 04:00 is kept from S0
    model_data = build_model_data(load_instance(data))
    assert lagrangian_bound(model_data, {}, time.monotonic() + 60) == pytest.approx(2.0)
