"""fill_by_exchanges: an open slot that no worker fits as the plan stands is filled when a
worker blocked by a shift of their own takes it and hands that shift to a co-worker."""
from __future__ import annotations

import time

from contracts.worktime import check_solution
from scheduling import load_instance
from scheduling.construct import fill_by_exchanges, fill_open_slots
from scheduling.model_data import build_model_data
from tests.scheduling.plan_factory import instance, shift, worker

# MORNING is worth more, so the greedy pass fills it first, with the worker most short of
# their minimum (A); only A has skill y for LATE, which overlaps MORNING
MORNING = shift("MORNING", "2026-03-02 08:00", "2026-03-02 12:00", priority=2.0)
LATE = shift("LATE", "2026-03-02 10:00", "2026-03-02 14:00", skills=["y"])
A = worker("A", skills=["x", "y"], min_hours_per_week=20, target_hours_per_week=30)
B = worker("B", min_hours_per_week=0, target_hours_per_week=30)


def _filled(data: dict, exchanges: bool) -> dict[str, str]:
    inst = load_instance(data)
    model_data = build_model_data(inst)
    plan = fill_open_slots(inst, model_data, [], time.monotonic() + 10)
    if exchanges:
        plan = fill_by_exchanges(inst, model_data, plan, time.monotonic() + 10)
    return {a.shift: a.worker for a in plan}


def test_the_greedy_pass_alone_leaves_the_late_shift_open():
    assert _filled(instance([A, B], [MORNING, LATE]), exchanges=False) == {"MORNING": "A"}


def test_an_exchange_fills_it_and_the_plan_keeps_every_rule():
    data = instance([A, B], [MORNING, LATE])
    filled = _filled(data, exchanges=True)
    assert filled == {"MORNING": "B", "LATE": "A"}
    solution = {"format": "banenpool-solution/1", "status": "feasible", "unfilled": [],
                "assignments": [{"shift": s, "worker": w} for s, w in filled.items()]}
    assert check_solution(data, solution) == []


def test_no_exchange_when_nobody_can_take_the_handed_shift():
    lone_b = worker("B", skills=["z"], min_hours_per_week=0, target_hours_per_week=30)
    assert _filled(instance([A, lone_b], [MORNING, LATE]), exchanges=True) == {"MORNING": "A"}


def test_a_fixed_shift_is_never_handed_over():
    fixed_a = worker("A", skills=["x", "y"], min_hours_per_week=20, target_hours_per_week=30,
                     fixed=["MORNING"])
    assert _filled(instance([fixed_a, B], [MORNING, LATE]), exchanges=True) == {"MORNING": "A"}
