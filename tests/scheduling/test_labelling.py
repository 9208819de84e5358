"""One worker's best plan at given prices (scheduling/labelling.py), against brute force.

The brute force knows nothing of the labelling: it takes every set of the worker's shifts,
keeps those the rules engine (contracts/) passes, and values them as the planner's levels
count a plan (a profit per shift, a convex penalty per week on the week's hours).
"""
from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from contracts.worktime import check_worker
from scheduling import load_instance
from scheduling.labelling import WeekPenalty, WorkerLabeller
from scheduling.model_data import build_model_data
from tests.scheduling.plan_factory import instance, shift, worker
from tests.scheduling.test_property import instances


def brute_force(raw: dict, data, w: int, profit, pen: WeekPenalty, labeller) -> float | None:
    """The most any valid plan of worker w is worth (None: no valid plan, its fixed
    shifts break a rule)."""
    worker_id = data.inst.workers[w].id
    fixed = [s for s in data.candidates[w] if (w, s) in data.fixed]
    free = [s for s in data.candidates[w] if (w, s) not in data.fixed]
    best = None
    for r in range(len(free) + 1):
        for chosen in combinations(free, r):
            plan = fixed + list(chosen)
            if check_worker(raw, worker_id, [data.inst.shifts[s].id for s in plan]):
                continue
            value = labeller.value_of(profit, plan, pen)
            best = value if best is None else max(best, value)
    return best


@st.composite
def priced(draw):
    raw = draw(instances())
    raw["conflicts"] = []            # pairs the labelling leaves to the caller (colgen)
    ids = [s["id"] for s in raw["shifts"]]
    for w in raw["workers"]:
        w["fixed"] = draw(st.lists(st.sampled_from(ids), unique=True, max_size=1))
        if w["fixed"] and w["fixed"][0] in w["excluded"]:
            w["excluded"] = []
    prices = draw(st.lists(st.sampled_from([0.0, 0.5, 2.0, 5.0, 11.0]), min_size=len(ids),
                           max_size=len(ids)))
    pen = WeekPenalty(draw(st.sampled_from([0.0, 1.0, 3.0])), draw(st.sampled_from([0.0, 0.5, 2.0])))
    return raw, prices, pen


def _fixed_shifts_fit(raw: dict) -> bool:
    taken: dict[str, int] = {}
    for w in raw["workers"]:
        for sid in w["fixed"]:
            taken[sid] = taken.get(sid, 0) + 1
    headcount = {s["id"]: s["headcount"] for s in raw["shifts"]}
    return all(n <= headcount[sid] for sid, n in taken.items())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(priced())
def test_the_labelling_finds_the_best_valid_plan_of_a_worker(case):
    raw, prices, pen = case
    if not _fixed_shifts_fit(raw):
        return
    data = build_model_data(load_instance(raw))
    profit = [s.priority * s.hours - price for s, price in zip(data.inst.shifts, prices)]
    for w in range(len(data.inst.workers)):
        worker_id = data.inst.workers[w].id
        if check_worker(raw, worker_id, raw["workers"][w]["fixed"]):
            continue            # the planner reports such fixed shifts before planning
        labeller = WorkerLabeller(data, w)
        expected = brute_force(raw, data, w, profit, pen, labeller)
        found = labeller.best(profit, pen)
        if expected is None:        # the fixed shift with the rest of the instance
            assert found == []
            continue
        value, plan = found[0]
        if abs(value - expected) > 1e-6:
            import json; print(json.dumps(raw)); print(prices, pen, w, found)
        assert value == pytest.approx(expected, abs=1e-6)
        assert labeller.value_of(profit, plan, pen) == pytest.approx(value, abs=1e-6)
        assert check_worker(raw, data.inst.workers[w].id, [data.inst.shifts[s].id for s in plan]) == []
        # a floor just below the best still finds it; at the best nothing better is claimed
        below = labeller.best(profit, pen, floor=expected - 0.01)
        assert below and below[0][0] == pytest.approx(expected, abs=1e-6)
        assert all(v <= expected + 1e-6 for v, _ in labeller.best(profit, pen, floor=expected))
        # the heuristic (one label per shift) still returns valid plans only
        for v, quick in labeller.best(profit, pen, limit=1):
            assert v <= expected + 1e-6
            assert check_worker(raw, data.inst.workers[w].id,
                                [data.inst.shifts[s].id for s in quick]) == []


def test_a_split_day_is_allowed_but_not_one_that_leaves_only_nine_hours_rest():
    """06:00-09:00 plus 12:00-15:00 keeps 11 h rest in the 24 h from 06:00 (15:00 to next
    06:00 is 15 h); 06:00-09:00 plus 17:30-21:00 leaves 9 h before the next day's 06:00."""
    shifts = [shift("A", "2026-03-03 06:00", "2026-03-03 09:00"),
              shift("B", "2026-03-03 12:00", "2026-03-03 15:00"),
              shift("C", "2026-03-03 17:30", "2026-03-03 21:00"),
              shift("D", "2026-03-04 06:00", "2026-03-04 09:00")]
    data = build_model_data(load_instance(instance([worker("W1")], shifts)))
    labeller = WorkerLabeller(data, 0)
    ids = {s.id: i for i, s in enumerate(data.inst.shifts)}
    plan = lambda *names: {ids[n] for n in names}      # noqa: E731
    only = lambda *names: [1.0 if s.id in names else -1.0 for s in data.inst.shifts]  # noqa: E731
    assert set(labeller.best(only("A", "B", "D"))[0][1]) == plan("A", "B", "D")
    # A, C and D together break the daily rest: the best with C is without A or D
    value, chosen = labeller.best(only("A", "C", "D"))[0]
    assert len(chosen) == 2 and value == pytest.approx(2.0)
