"""The levels a solution reports describe the plan it returns, also when the neighbourhood
search changed the plan after the staged solve: values recomputed, bounds kept while the
levels above are as planned, statuses judged again."""
from __future__ import annotations

from scheduling import load_instance
from scheduling.instance import Assignment
from scheduling.model_data import build_model_data
from scheduling.stages import plan_levels, restate_levels
from tests.scheduling.plan_factory import instance, plan, shift, worker

DAYS = [shift(f"D{d}", f"2026-03-0{d} 08:00", f"2026-03-0{d} 16:00") for d in range(2, 6)]
DATA = instance([worker("W1", min_hours_per_week=8, target_hours_per_week=16),
                 worker("W2", target_hours_per_week=24, home={"lat": 52.30, "lon": 6.89})], DAYS)


def _pairs(data, assignments):
    return [(data.worker_index[a.worker], data.shift_index[a.shift]) for a in assignments]


def test_plan_levels_count_as_the_model_does():
    solution = plan(DATA)
    reported = {level["level"]: level for level in solution.levels}
    assert [level["status"] for level in solution.levels] == ["optimal"] * 3
    data = build_model_data(load_instance(DATA))
    values = plan_levels(data, _pairs(data, solution.assignments))
    assert values["minimum_hours"] == reported["minimum_hours"]["value"] == 0
    assert round(values["target_hours_and_travel"], 4) == reported["target_hours_and_travel"]["value"]
    # W1 16 h of 16, W2 16 h of 24: 8 h short in the cheapest two slices (6 × 1 + 2 × 2), plus km
    assert 10 < values["target_hours_and_travel"] < 10.1


def _levels(target_value, target_bound):
    return [{"level": "coverage", "status": "optimal", "value": 32.0, "bound": 32.0, "seconds": 0.1},
            {"level": "minimum_hours", "status": "optimal", "value": 0.0, "bound": 0.0, "seconds": 0.1},
            {"level": "target_hours_and_travel", "status": "feasible", "value": target_value,
             "bound": target_bound, "seconds": 0.1}]


def test_a_plan_improved_after_the_stages_is_restated_and_can_reach_its_bound():
    data = build_model_data(load_instance(DATA))
    fairer = [Assignment(s, w) for s, w in (("D2", "W1"), ("D3", "W1"), ("D4", "W2"), ("D5", "W2"))]
    value = plan_levels(data, _pairs(data, fairer))["target_hours_and_travel"]
    restated = restate_levels(data, _levels(14.0, value - 1e-7), fairer, (), 0.0, 1e-4)
    assert [level["status"] for level in restated] == ["optimal", "optimal", "optimal"]
    assert restated[2]["value"] == round(value, 4) < 14.0 and restated[2]["bound"] == value - 1e-7


def test_lower_levels_are_left_out_when_a_level_above_got_worse():
    data = build_model_data(load_instance(DATA))
    fewer = [Assignment(s, w) for s, w in (("D2", "W1"), ("D3", "W1"), ("D4", "W2"))]   # D5 open
    restated = restate_levels(data, _levels(14.0, 9.0), fewer, (), 0.0, 1e-4)
    assert [level["level"] for level in restated] == ["coverage"]
    short = [Assignment(s, w) for s, w in (("D2", "W2"), ("D3", "W2"), ("D4", "W2"), ("D5", "W2"))]
    restated = restate_levels(data, _levels(14.0, 9.0), short, (), 0.0, 1e-4)
    assert [(level["level"], level["value"]) for level in restated] == [("coverage", 32.0), ("minimum_hours", 8.0)]
    assert restated[1]["status"] == "feasible"
