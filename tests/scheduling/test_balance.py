"""Exchanges on the target-hours level: hours go to whoever is furthest behind, never at
the cost of a filled slot, the minimum hours, a fixed shift or a rule."""
from __future__ import annotations

import time
from collections import Counter

from hypothesis import HealthCheck, given, settings

from scheduling import load_instance, solve
from scheduling.balance import Balance
from scheduling.construct import fill_open_slots
from scheduling.generator import generate
from scheduling.instance import Assignment
from scheduling.model_data import build_model_data
from scheduling.model_objective import fair_penalty
from scheduling.stages import TRAVEL_WEIGHT
from tests.scheduling.plan_factory import employer, instance, shift, worker
from tests.scheduling.test_bounds_and_search import check
from tests.scheduling.test_property import instances


def balanced(data: dict, plan: list[tuple[str, str]]) -> list[tuple[str, str]]:
    inst = load_instance(data)
    search = Balance(inst, build_model_data(inst), [Assignment(s, w) for s, w in plan],
                     TRAVEL_WEIGHT)
    search.run(time.monotonic() + 10)
    return sorted((a.shift, a.worker) for a in search.assignments())


def hours_of(data: dict, plan, worker_id: str) -> float:
    inst = load_instance(data)
    hours = {s.id: s.hours for s in inst.shifts}
    return sum(hours[s] for s, w in plan if w == worker_id)


DAYS = [shift(f"D{d}", f"2026-03-0{d} 08:00", f"2026-03-0{d} 16:00") for d in range(2, 5)]


def test_a_shift_moves_to_the_worker_furthest_behind_target():
    data = instance([worker("W1", target_hours_per_week=16),
                     worker("W2", target_hours_per_week=16)], DAYS)
    after = balanced(data, [("D2", "W1"), ("D3", "W1"), ("D4", "W1")])
    assert sorted(hours_of(data, after, w) for w in ("W1", "W2")) == [8.0, 16.0]
    assert Counter(s for s, _ in after) == Counter(["D2", "D3", "D4"])    # every slot kept
    assert check(data, [Assignment(s, w) for s, w in after]) == []


def test_two_workers_swap_when_neither_can_simply_take_the_other_shift():
    shifts = [shift("LONG", "2026-03-02 08:00", "2026-03-02 16:00"),
              shift("SHORT", "2026-03-02 08:00", "2026-03-02 12:00")]
    data = instance([worker("W1", target_hours_per_week=4),
                     worker("W2", target_hours_per_week=8)], shifts)
    assert balanced(data, [("LONG", "W1"), ("SHORT", "W2")]) == [("LONG", "W2"), ("SHORT", "W1")]


def test_minimum_hours_are_not_given_away_for_a_fairer_spread():
    data = instance([worker("W1", min_hours_per_week=16, target_hours_per_week=16),
                     worker("W2", target_hours_per_week=40)], DAYS[:2])
    plan = [("D2", "W1"), ("D3", "W1")]
    assert balanced(data, plan) == plan


def test_fixed_shifts_stay_with_their_worker():
    data = instance([worker("W1", target_hours_per_week=8, fixed=["D2", "D3", "D4"]),
                     worker("W2", target_hours_per_week=40)], DAYS)
    plan = [("D2", "W1"), ("D3", "W1"), ("D4", "W1")]
    assert balanced(data, plan) == plan


def test_a_shift_is_not_handed_to_a_worker_it_would_break_a_rule_for():
    # W2 is behind, but D3 would leave W2 only 8 h rest after the late shift
    late = shift("LATE", "2026-03-02 16:00", "2026-03-03 00:00")
    data = instance([worker("W1"), worker("W2", target_hours_per_week=24)],
                    [late, *DAYS[1:2]])
    plan = [("D3", "W1"), ("LATE", "W2")]
    assert balanced(data, plan) == plan


def _score(data: dict, plan) -> tuple[float, float]:
    inst = load_instance(data)
    model = build_model_data(inst)
    hours: Counter = Counter()
    km = 0.0
    for a in plan:
        w, s = model.worker_index[a.worker], model.shift_index[a.shift]
        hours[w, model.week[s]] += model.hours[s]
        km += model.home_km.get((w, s), 0.0)
    weeks = {(w, model.week[s]) for w, s in model.pairs()}
    workers = inst.workers
    short = sum(max(0.0, workers[w].min_hours_per_week - hours[w, k]) for w, k in weeks)
    fair = sum(fair_penalty(workers[w].target_hours_per_week, hours[w, k]) for w, k in weeks)
    return round(short, 6), round(fair + TRAVEL_WEIGHT * km, 6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_exchanges_keep_every_slot_and_every_rule_and_never_make_the_levels_worse(data):
    inst = load_instance(data)
    model = build_model_data(inst)
    start = fill_open_slots(inst, model, [], time.monotonic() + 5)    # a greedy plan
    search = Balance(inst, model, start, TRAVEL_WEIGHT)
    search.run(time.monotonic() + 5)
    after = search.assignments()
    assert Counter(a.shift for a in after) == Counter(a.shift for a in start)
    assert check(data, after) == []
    assert search.valid(start)
    assert _score(data, after) <= _score(data, start)


def test_the_planner_reports_the_target_level_of_the_plan_it_exchanged_shifts_in():
    # 60 workers: HiGHS does not finish the target-hours level in 20 s, the exchanges follow (20 s, not
    # 10 s: on a busy machine the first two levels took the whole of 10 s)
    data = generate("S", "normal", seed=0)
    told: list[str] = []
    solution = solve(load_instance(data), time_limit=20, progress=lambda f, m: told.append(m))
    assert any("exchanges after the search" in message for message in told), "\n".join(told[-14:])
    assert check(data, solution.assignments) == []
    levels = {level["level"]: level for level in solution.levels}
    short, fair_and_travel = _score(data, solution.assignments)
    # reported to 4 decimals; the two sums add the same floats in another order (…0.92075 rounds either way)
    assert abs(levels["target_hours_and_travel"]["value"] - fair_and_travel) <= 0.5e-4 + 1e-9
    assert levels["minimum_hours"]["value"] == short
