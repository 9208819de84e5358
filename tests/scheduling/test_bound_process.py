"""Bounds of the weeks computed in a second process while the planner plans.

They must equal the bounds the planner would compute in-line, reach the solution's bound, and
a bound process that runs out of time must leave the bound out, never report a wrong one.
"""
from __future__ import annotations

import time

import pytest

from contracts.worktime import check_solution
from scheduling import load_instance, solution_to_dict, solve
from scheduling import decompose, solver
from scheduling.bound_process import BackgroundBounds
from scheduling.decompose import relaxed_bound, week_instance, weeks_of
from scheduling.model_data import build_model_data
from tests.scheduling.plan_factory import employer, instance, shift, worker

FAR = {"lat": 52.40, "lon": 6.89}


def two_busy_weeks(workers: int = 3) -> dict:
    """Night, early and late shifts on three days of two weeks at two employers, more than
    two 16-hour workers can take: only the conflict cliques make the LP bound tight."""
    shifts = []
    for day in ("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-10", "2026-03-11"):
        nxt = day[:-2] + f"{int(day[-2:]) + 1:02d}"
        shifts += [shift(f"N{day}", f"{day} 22:00", f"{nxt} 06:00", headcount=2),
                   shift(f"E{nxt}", f"{nxt} 06:00", f"{nxt} 14:00", employer="E2"),
                   shift(f"L{nxt}", f"{nxt} 14:00", f"{nxt} 22:00", priority=2.0)]
    workers = [worker(f"W{i}", max_hours_per_week=16) for i in range(workers)]
    return instance(workers, shifts, [employer("E1"), employer("E2", FAR)])


def in_weeks(monkeypatch, beside: bool) -> None:
    monkeypatch.setattr(solver, "WHOLE_MODEL_PAIRS", 0)     # plan week by week
    monkeypatch.setattr(decompose, "REGION_PAIRS", 5)        # every week split into regions
    monkeypatch.setattr(decompose, "BOUNDS_BESIDE", beside)


def test_weeks_bounded_beside_the_plan_get_the_bound_computed_in_line(monkeypatch):
    data = two_busy_weeks()
    messages: list[str] = []
    in_weeks(monkeypatch, beside=True)
    beside = solve(load_instance(data), time_limit=6, progress=lambda f, m: messages.append(m))
    in_weeks(monkeypatch, beside=False)
    inline = solve(load_instance(data), time_limit=6)
    assert any("in a second process" in m for m in messages)
    assert any("bound" in m and "LP with conflict cliques" in m for m in messages)
    assert beside.bound["priority_hours"] == pytest.approx(inline.bound["priority_hours"], abs=1e-4)
    covered = sum(s["priority"] * 8 for s in data["shifts"] for a in beside.assignments
                  if a.shift == s["id"])
    assert covered <= beside.bound["priority_hours"] + 1e-6
    assert check_solution(data, solution_to_dict(beside)) == []


def test_the_second_process_bounds_each_week_as_the_planner_would():
    inst = load_instance(two_busy_weeks())
    weeks = [week_instance(inst, week, []) for week in weeks_of(inst)]
    bounds = BackgroundBounds(weeks, deadline=time.monotonic() + 30)
    got = bounds.collect(until=time.monotonic() + 30)
    expected = [relaxed_bound(build_model_data(week), 10.0, lagrangian=True) for week in weeks]
    assert got == pytest.approx(expected)
    assert all("LP with conflict cliques" in note for note in bounds.notes)


def test_the_second_process_sends_the_pairs_to_plan_a_peak_week_over():
    inst = load_instance(two_busy_weeks())
    weeks = [week_instance(inst, week, []) for week in weeks_of(inst)]
    bounds = BackgroundBounds(weeks, deadline=time.monotonic() + 30)
    first = bounds.wait_for(0, until=time.monotonic() + 30)     # the child goes on
    got = bounds.collect(until=time.monotonic() + 30)
    assert got[1] is not None and bounds.support[0] == first
    for week, support in zip(weeks, bounds.support):
        data = build_model_data(week)
        expected: set = set()
        relaxed_bound(data, 10.0, lagrangian=True, support=expected)
        assert {(data.worker_index[w], data.shift_index[s]) for w, s in support} == expected
        assert expected and expected <= set(data.pairs())
    # a week that can fill every shift needs no second plan: nothing is sent for it
    calm = [week_instance(load_instance(two_busy_weeks(workers=9)), weeks_of(inst)[0], [])]
    spare = BackgroundBounds(calm, deadline=time.monotonic() + 30)
    assert spare.wait_for(0, until=time.monotonic() + 30) == []
    spare.close()


def test_a_bound_process_out_of_time_gives_no_bound_rather_than_a_wrong_one():
    inst = load_instance(two_busy_weeks())
    weeks = [week_instance(inst, week, []) for week in weeks_of(inst)]
    bounds = BackgroundBounds(weeks, deadline=time.monotonic())
    assert bounds.collect(until=time.monotonic() + 30) == [None, None]
    started = time.monotonic()
    stopped = BackgroundBounds(weeks, deadline=time.monotonic() + 30)
    assert stopped.collect(until=time.monotonic()) == [None, None]   # not waited for
    assert time.monotonic() - started < 5
    assert all(note.startswith("none") for note in bounds.notes + stopped.notes)


def test_a_large_peak_week_is_planned_over_the_pairs_its_lp_uses(monkeypatch):
    from scheduling.lp_bound import lp_solution
    data = two_busy_weeks()
    inst = load_instance(data)
    weeks = [build_model_data(week_instance(inst, week, [])) for week in weeks_of(inst)]
    used = [len(lp_solution(week, 10.0)[1] | week.fixed) for week in weeks]
    assert all(u < week.pair_count() for u, week in zip(used, weeks))
    monkeypatch.setattr(solver, "WHOLE_MODEL_PAIRS", 0)
    monkeypatch.setattr(decompose, "REGION_PAIRS", max(used))   # large weeks, small supports
    messages: list[str] = []
    solution = solve(inst, time_limit=8, progress=lambda f, m: messages.append(m))
    assert sum("planning over the" in m for m in messages) == len(weeks)
    assert not any("region 1/" in m for m in messages)
    assert check_solution(data, solution_to_dict(solution)) == []
    covered = sum(s["priority"] * 8 for s in data["shifts"] for a in solution.assignments
                  if a.shift == s["id"])
    assert covered <= solution.bound["priority_hours"] + 1e-6
    # a week whose LP uses more pairs than a region may hold is split into regions
    monkeypatch.setattr(decompose, "REGION_PAIRS", min(used) - 1)
    messages.clear()
    solve(inst, time_limit=8, progress=lambda f, m: messages.append(m))
    assert not any("planning over the" in m for m in messages)
    assert any("region 1/" in m for m in messages)


def test_a_peak_week_too_large_for_its_lp_is_planned_in_a_few_large_regions(monkeypatch):
    data = two_busy_weeks()
    monkeypatch.setattr(solver, "WHOLE_MODEL_PAIRS", 0)
    monkeypatch.setattr(decompose, "REGION_PAIRS", 1)
    monkeypatch.setattr(decompose, "SUPPORT_PAIRS", 12)     # every week "too large"
    messages: list[str] = []
    solution = solve(load_instance(data), time_limit=8, progress=lambda f, m: messages.append(m))
    assert any("large region 1/" in m for m in messages)
    assert check_solution(data, solution_to_dict(solution)) == []
    covered = sum(s["priority"] * 8 for s in data["shifts"] for a in solution.assignments
                  if a.shift == s["id"])
    assert 0 < covered <= solution.bound["priority_hours"] + 1e-6


def test_a_large_region_is_planned_again_with_its_own_lagrangian_weeks(monkeypatch):
    # week 1 (27 pairs) is "too large for its LP" and split into two large regions; the
    # larger (12 pairs) is planned over its LP's 4 pairs, then again at once with the
    # workers' best weeks at that LP's prices
    data = two_busy_weeks()
    monkeypatch.setattr(solver, "WHOLE_MODEL_PAIRS", 0)
    monkeypatch.setattr(decompose, "SUPPORT_PAIRS", 20)
    monkeypatch.setattr(decompose, "REGION_PAIRS", 5)
    monkeypatch.setattr(decompose, "REFINE_MIN_SECONDS", 0.5)
    messages: list[str] = []
    solution = solve(load_instance(data), time_limit=12, progress=lambda f, m: messages.append(m))
    assert any(m.startswith("week 1/2: large region 1/2: planning over the 4 of 12 pairs")
               for m in messages)
    assert any(m.startswith("week 1/2: large region 1/2: planning again over")
               for m in messages)
    assert check_solution(data, solution_to_dict(solution)) == []
    covered = sum(s["priority"] * 8 for s in data["shifts"] for a in solution.assignments
                  if a.shift == s["id"])
    assert 0 < covered <= solution.bound["priority_hours"] + 1e-6


def test_a_week_is_planned_again_over_the_pairs_the_second_process_found():
    from scheduling.decompose import PlannedWeek, _refine
    from scheduling.io import instance_to_dict

    inst = load_instance(two_busy_weeks())
    sub = week_instance(inst, weeks_of(inst)[0], [])
    data = build_model_data(sub)
    support: set = set()
    bound = relaxed_bound(data, 10.0, lagrangian=True, support=support)
    ids = [(sub.workers[w].id, sub.shifts[s].id) for w, s in support]
    nothing = PlannedWeek([], set(data.fixed))     # a first plan over no pairs at all
    again = _refine(sub, data, nothing, ids, time.monotonic() + 5, lambda f, m: None,
                    gap_rel=1e-4, threads=2, keep=(), change_weight=8.0)
    assert again, "the support's pairs give a plan"
    assert {(a.worker, a.shift) for a in again} <= set(ids)
    assert check_solution(instance_to_dict(sub), {"assignments": [
        {"shift": a.shift, "worker": a.worker} for a in again]}) == []
    value = sum(sub.shifts[data.shift_index[a.shift]].priority * 8 for a in again)
    assert 0 < value <= bound + 1e-6
    # pairs it already had add nothing: the first plan stays
    done = PlannedWeek([], set(support), again)
    assert _refine(sub, data, done, ids, time.monotonic() + 5, lambda f, m: None,
                   gap_rel=1e-4, threads=2, keep=(), change_weight=8.0) is None


def test_weeks_planned_over_their_lp_s_pairs_are_planned_again_with_the_support(monkeypatch):
    data = two_busy_weeks()
    monkeypatch.setattr(solver, "WHOLE_MODEL_PAIRS", 0)
    monkeypatch.setattr(decompose, "REGION_PAIRS", 6)   # both weeks over their LP's 6 pairs
    messages: list[str] = []
    solution = solve(load_instance(data), time_limit=16,
                     progress=lambda f, m: messages.append(m))
    assert sum("planning over the 6 of" in m for m in messages) == 2
    assert any("planning again over" in m for m in messages)
    assert check_solution(data, solution_to_dict(solution)) == []
