"""Conflict cliques, the LP bounds built from them, and the neighbourhood search.

The bounds must never cut off a valid plan (checked against the brute-force optimum of
the property test), the cliques must hold exactly the pairs the rules forbid, and the
search must never return a plan that is worse or that the rules engine rejects.
"""
from __future__ import annotations

import time

import pytest

from hypothesis import HealthCheck, given, settings

from contracts.worktime import check_solution
from scheduling import load_instance, solution_to_dict, solve
from scheduling.generator import generate
from scheduling.instance import Assignment, Solution
from scheduling.lns import Lns
from scheduling.lp_bound import lp_bound
from scheduling.model import PlanModel
from scheduling.model_data import build_model_data
from scheduling.model_rules import add_all_rules, conflict_cliques
from scheduling.stages import StagedSolve
from tests.scheduling.plan_factory import employer, instance, shift, worker
from tests.scheduling.test_property import best_coverage, instances

FAR = {"lat": 52.40, "lon": 6.89}      # about 20 km from E1: 30 minutes at 40 km/h


def cliques_of(shifts: list[dict], employers: list[dict] | None = None) -> list[set[str]]:
    inst = load_instance(instance([worker()], shifts, employers))
    data = build_model_data(inst)
    candidates = data.candidates[0]
    return [{inst.shifts[candidates[k]].id for k in clique}
            for clique in conflict_cliques(data, candidates)]


def test_night_early_and_late_shifts_form_one_clique():
    # each pair overlaps or leaves at most 8 h rest in the 24 h from the first start
    shifts = [shift("NIGHT", "2026-03-01 22:00", "2026-03-02 06:00"),
              shift("EARLY", "2026-03-02 06:00", "2026-03-02 14:00"),
              shift("LATE", "2026-03-02 14:00", "2026-03-02 22:00")]
    assert cliques_of(shifts) == [{"NIGHT", "EARLY", "LATE"}]


def test_split_day_conflicts_only_when_it_leaves_no_daily_rest():
    morning = shift("AM", "2026-03-02 06:00", "2026-03-02 09:00")
    assert cliques_of([morning, shift("NOON", "2026-03-02 12:00", "2026-03-02 15:00")]) == []
    # 09:00-17:30 and 21:00-06:00 are both under 11 h
    assert cliques_of([morning, shift("EVE", "2026-03-02 17:30", "2026-03-02 21:00")]) == \
        [{"AM", "EVE"}]


def test_travel_time_between_employers_is_a_conflict():
    employers = [employer("E1"), employer("E2", FAR)]
    first = shift("A", "2026-03-02 06:00", "2026-03-02 09:00")
    soon = shift("B", "2026-03-02 09:20", "2026-03-02 12:00", employer="E2")
    later = shift("C", "2026-03-02 09:40", "2026-03-02 12:00", employer="E2")
    assert cliques_of([first, soon], employers) == [{"A", "B"}]
    assert cliques_of([first, later], employers) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_lp_bounds_never_cut_off_a_valid_plan(data):
    model_data = build_model_data(load_instance(data))
    tight = lp_bound(model_data, 10)
    loose = lp_bound(model_data, 10, conflicts=False)
    best = best_coverage(data)
    assert tight >= best - 1e-6
    assert loose >= tight - 1e-6


def test_lp_bound_with_conflicts_is_tighter_than_without():
    # one worker, three mutually exclusive shifts: the transport LP takes all three
    shifts = [shift("NIGHT", "2026-03-03 22:00", "2026-03-04 06:00"),   # one ISO week
              shift("EARLY", "2026-03-04 06:00", "2026-03-04 14:00"),
              shift("LATE", "2026-03-04 14:00", "2026-03-04 22:00")]
    data = build_model_data(load_instance(instance([worker()], shifts)))
    assert lp_bound(data, 10, conflicts=False) == 24
    assert lp_bound(data, 10) == 8


def value_of(inst, assignments) -> float:
    weight = {s.id: s.priority * s.hours for s in inst.shifts}
    return sum(weight[a.shift] for a in assignments)


def check(data: dict, assignments) -> list:
    solution = Solution("feasible", tuple(assignments), (), {}, {}, 0.0)
    return check_solution(data, solution_to_dict(solution))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_search_from_an_empty_plan_stays_valid_and_only_improves(data):
    inst = load_instance(data)
    model_data = build_model_data(inst)
    search = Lns(inst, model_data, [])
    values = [search.value()]
    deadline = time.monotonic() + 3
    for _ in range(6):
        week, group = search.neighbourhood()
        search.step(week, group, deadline)
        values.append(search.value())
    assert values == sorted(values)
    assert check(data, search.assignments()) == []
    assert values[-1] <= best_coverage(data) + 1e-6


def test_search_fills_a_slot_through_a_chain_of_moves():
    # W1 holds A; B needs skill y, which only W1 has: W1 must move to B and W2 take A
    shifts = [shift("A", "2026-03-02 08:00", "2026-03-02 16:00", skills=["x"]),
              shift("B", "2026-03-02 08:00", "2026-03-02 16:00", skills=["y"])]
    data = instance([worker("W1", skills=["x", "y"]), worker("W2", skills=["x"])], shifts)
    inst = load_instance(data)
    search = Lns(inst, build_model_data(inst), [Assignment("A", "W1")])
    week, group = search.neighbourhood()
    assert search.step(week, group, time.monotonic() + 5)
    assert sorted((a.shift, a.worker) for a in search.assignments()) == [("A", "W2"), ("B", "W1")]
    assert check(data, search.assignments()) == []


def test_staged_solve_never_returns_less_than_its_start():
    shifts = [shift(f"S{d}", f"2026-03-0{d} 08:00", f"2026-03-0{d} 16:00") for d in range(2, 7)]
    data = instance([worker("W1"), worker("W2")], shifts)
    inst = load_instance(data)
    start = [Assignment("S2", "W1"), Assignment("S3", "W2"), Assignment("S4", "W1")]
    staged = StagedSolve(inst, deadline=time.monotonic() + 0.01, gap_rel=1e-4, threads=1,
                         reserve=0.0, report=lambda f, m: None)
    outcome = staged.run(start=start)
    assert value_of(inst, outcome.assignments) >= value_of(inst, start)
    assert check(data, outcome.assignments) == []


def test_a_week_reached_with_no_time_left_still_gets_a_greedy_plan():
    """Weeks planned one by one can run out of time (HiGHS overshoots its limits); a
    week reached after the deadline must still be filled greedily, not left empty."""
    days = [f"2026-03-{d:02d}" for d in (2, 3, 4, 5, 6)]
    shifts = [shift(f"S{i}", f"{d} 08:00", f"{d} 16:00") for i, d in enumerate(days)]
    data = instance([worker("W1")], shifts)
    inst = load_instance(data)
    staged = StagedSolve(inst, deadline=time.monotonic() - 1.0, gap_rel=1e-4, threads=1,
                         reserve=0.0, report=lambda f, m: None)
    outcome = staged.run()
    assert check(data, outcome.assignments) == []
    assert len(outcome.assignments) == 5


def _relaxed(max_hours: float) -> tuple[float | None, list[str]]:
    from scheduling.decompose import relaxed_bound
    shifts = [shift("NIGHT", "2026-03-03 22:00", "2026-03-04 06:00"),   # one ISO week
              shift("EARLY", "2026-03-04 06:00", "2026-03-04 14:00"),
              shift("LATE", "2026-03-04 14:00", "2026-03-04 22:00")]
    data = build_model_data(load_instance(instance([worker(max_hours_per_week=max_hours)], shifts)))
    told: list[str] = []
    value = relaxed_bound(data, 10.0, note=told.append,
                          provisional=lambda v: told.append(f"provisional {v:.1f}"))
    return value, told


def test_the_week_bound_says_which_relaxation_gave_it():
    # weekly hours allow all three shifts: the transport LP says every shift can be filled
    # and is kept (the conflicts are left to the MIP), as the note says
    value, told = _relaxed(60)
    assert value == 24.0 and "transport LP: every shift can be filled" in told[0]
    # 16 h allow two of them: the transport LP says 16, the cliques (one of three) say 8
    value, told = _relaxed(16)
    assert abs(value - 8.0) < 1e-6 and "LP with conflict cliques; transport LP 16.0" in told[1]
    # the transport LP's 16 is passed on first, for when the cliques LP does not finish
    assert told[0] == "provisional 16.0"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_a_valid_plan_gives_a_complete_start_that_breaks_no_row(data):
    """HiGHS completes a partial start with a search of its own, which can fail (a
    300-worker week's best plan was dropped that way): the start must set every
    variable (rest windows, shortfalls) and break no row of the model."""
    inst = load_instance(data)
    best = solve(inst, time_limit=20, gap_rel=0.0)
    model_data = build_model_data(inst)
    m = PlanModel(model_data)
    add_all_rules(m)
    staged = StagedSolve(inst, deadline=time.monotonic() + 10, gap_rel=1e-4, threads=1,
                         reserve=0.0, report=lambda f, msg: None)
    staged._stages(m, (), 8.0)      # the shortfall rows of the later stages
    StagedSolve._set_start(m, [(model_data.worker_index[a.worker], model_data.shift_index[a.shift])
                               for a in best.assignments])
    assert all(var.varValue is not None for var in m.prob.variables())
    broken = [str(row) for row in m.prob.constraints() if not row.valid(1e-6)]
    assert broken == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_lp_guided_start_keeps_a_valid_plan_and_a_true_bound(data):
    """Stage 1 from the LP relaxation's pairs: the plan passes the rules engine, is
    never below the greedy start, and the bound (LP or HiGHS) never cuts off the best."""
    inst = load_instance(data)
    staged = StagedSolve(inst, deadline=time.monotonic() + 10, gap_rel=1e-4, threads=1,
                         reserve=0.0, report=lambda f, msg: None)
    staged.coverage_target = None   # no outside bound: the LP start always runs
    outcome = staged.run()
    best = best_coverage(data)
    assert check(data, outcome.assignments) == []
    assert outcome.bound.get("priority_hours", best) >= best - 1e-6
    assert staged.lp_value is None or staged.lp_value >= best - 1e-6


def test_a_peak_is_planned_from_the_lp_relaxation_first():
    # three workers, a day of shifts for six: not every shift can be filled, so stage 1
    # starts from the LP relaxation, and the plan over its pairs is the optimum
    shifts = [shift(f"D{d}", f"2026-03-0{d} 08:00", f"2026-03-0{d} 16:00", headcount=2)
              for d in range(2, 7)]
    data = instance([worker(f"W{i}", max_hours_per_week=24) for i in range(3)], shifts)
    inst = load_instance(data)
    told: list[str] = []
    staged = StagedSolve(inst, deadline=time.monotonic() + 10, gap_rel=1e-4, threads=1,
                         reserve=0.0, report=lambda f, msg: told.append(msg))
    outcome = staged.run()
    assert any(msg.startswith("LP relaxation 72.0 on") for msg in told)
    assert value_of(inst, outcome.assignments) == 72.0       # 3 workers × 3 days × 8 h
    assert outcome.bound["priority_hours"] == 72.0
    assert check(data, outcome.assignments) == []


def _staged_levels(inst, over_lp_pairs: bool, told: list[str] | None = None):
    staged = StagedSolve(inst, deadline=time.monotonic() + 30, gap_rel=0.0, threads=1,
                         reserve=0.0, report=lambda f, msg: told is not None and told.append(msg))
    staged.lp_neighbourhoods = over_lp_pairs
    outcome = staged.run()
    return outcome, {level["level"]: level for level in outcome.levels}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_a_stage_proven_over_its_lp_pairs_is_the_true_optimum(data):
    """Coverage and minimum hours first over the pairs their LP relaxation uses: a plan there
    that reaches the LP's optimum is called optimal without the whole model's search, so it
    must be the brute-force best coverage and the minimum hours the whole search proves."""
    inst = load_instance(data)
    outcome, levels = _staged_levels(inst, True)
    _, whole = _staged_levels(inst, False)
    assert check(data, outcome.assignments) == []
    assert levels.get("coverage", {"status": "optimal"})["status"] == "optimal"  # none: no pairs
    assert value_of(inst, outcome.assignments) == pytest.approx(best_coverage(data))
    for key in ("coverage", "minimum_hours"):
        if key in whole and whole[key]["status"] == "optimal":
            assert levels[key]["status"] == "optimal"
            assert levels[key]["value"] == pytest.approx(whole[key]["value"])


def test_a_normal_pool_proves_minimum_hours_over_the_lp_pairs():
    """A generated one-week pool of 12 workers: minimum hours are proven from the plan over
    the LP relaxation's pairs (coverage by the LP-guided start), at the values the whole
    model's search proves."""
    inst = load_instance(generate("XS", "normal"))
    told: list[str] = []
    outcome, levels = _staged_levels(inst, True, told)
    _, whole = _staged_levels(inst, False)
    assert [msg.split(":")[0] for msg in told if ": LP relaxation" in msg] == ["minimum hours"]
    for key in ("coverage", "minimum_hours"):
        assert levels[key]["status"] == whole[key]["status"] == "optimal"
        assert levels[key]["value"] == pytest.approx(whole[key]["value"])
    assert check_solution(generate("XS", "normal"), solution_to_dict(
        Solution("feasible", tuple(outcome.assignments), (), {}, {}, 0.0))) == []


def test_a_plan_over_the_lp_pairs_below_the_lp_optimum_is_not_called_optimal():
    # at most 9 of the 10 h a week can be worked (no two shifts fit): the LP takes MON and
    # half of TUE (1.2 × 9 h = 10.8), so its pairs and the start's hold MON and TUE only,
    # where the best plan is MON (7.2); WED (9 h) is the optimum
    shifts = [shift("MON", "2026-03-02 08:00", "2026-03-02 14:00", priority=1.2),
              shift("TUE", "2026-03-03 08:00", "2026-03-03 14:00", priority=1.2),
              shift("WED", "2026-03-04 08:00", "2026-03-04 17:00")]
    data = instance([worker(max_hours_per_week=10)], shifts)
    inst = load_instance(data)
    told: list[str] = []
    staged = StagedSolve(inst, deadline=time.monotonic() + 10, gap_rel=1e-4, threads=1,
                         reserve=0.0, report=lambda f, msg: told.append(msg))
    staged.lp_start, staged.lp_neighbourhoods = False, True
    outcome = staged.run(start=[Assignment("MON", "W1")])
    assert "coverage: LP relaxation 10.8 on 2 pairs; plan over them 7.2" in told
    assert [a.shift for a in outcome.assignments] == ["WED"]
    assert outcome.levels[0]["status"] == "optimal" and outcome.levels[0]["value"] == 9.0


def test_the_search_gives_hours_to_the_worker_furthest_behind_their_target():
    """W1 holds all four shifts of the week, W2 none, both with a 16-hour target: every shift is
    filled either way, so only the fair spread of the target hours (the third level) can improve,
    and it does by two shifts each (40 → 24 on that level: 8 h short costs 4 × 1 + 4 × 2 each)."""
    shifts = [shift(name, f"2026-03-0{day} 08:00", f"2026-03-0{day} 12:00")
              for name, day in (("A", 2), ("B", 3), ("C", 4), ("D", 5))]
    inst = load_instance(instance([worker("W1", target_hours_per_week=16),
                                   worker("W2", target_hours_per_week=16)], shifts))
    data = build_model_data(inst)
    search = Lns(inst, data, [Assignment(s, "W1") for s in "ABCD"])
    week = data.week[0]
    assert search._behind(1, week) == 4.0 and search._behind(0, week) == 0.0   # W2: the last, dearest slice
    plan = search.run(time.monotonic() + 3)
    held = {w: sorted(a.shift for a in plan if a.worker == w) for w in ("W1", "W2")}
    assert len(held["W1"]) == len(held["W2"]) == 2, held
    assert check(instance([worker("W1", target_hours_per_week=16), worker("W2", target_hours_per_week=16)],
                          shifts), plan) == []


def test_where_every_shift_is_filled_neighbourhoods_mostly_start_from_the_worker_behind_their_target():
    """Five 8-hour shifts held by W2..W6, W1 without work, all with an 8-hour target and no minimum:
    no open slot and nobody short of a minimum, so the search grows its neighbourhoods from the
    worker furthest behind their target (random shifts otherwise: W1 would come first in ~1 of 6)."""
    shifts = [shift(f"S{day}", f"2026-03-0{day} 08:00", f"2026-03-0{day} 16:00") for day in range(2, 7)]
    workers = [worker(f"W{n}", target_hours_per_week=8) for n in range(1, 7)]
    inst = load_instance(instance(workers, shifts))
    search = Lns(inst, build_model_data(inst), [Assignment(f"S{day}", f"W{day}") for day in range(2, 7)])
    firsts = [search.neighbourhood()[1][0] for _ in range(60)]
    assert firsts.count(0) >= 45, firsts          # W1 is worker index 0
