"""Shifts go to workers short of their weekly minimum hours when a co-worker can spare them.

A large pool's coverage level is planned in regions of a few seconds each, with no time
left for the minimum-hours level; the hand-over pass then moves shifts from workers who
stay at their minimum to workers below it, without losing coverage or breaking a rule.
"""
from __future__ import annotations

import time

from contracts.worktime import check_solution
from scheduling import load_instance
from scheduling.construct import raise_minimum_hours
from scheduling.instance import Assignment
from scheduling.metrics import compute_metrics
from scheduling.model_data import build_model_data
from tests.scheduling.plan_factory import instance, shift, worker

MON = ("MON", "2026-03-02 08:00", "2026-03-02 16:00")
TUE = ("TUE", "2026-03-03 08:00", "2026-03-03 16:00")


def _raise(data_dict: dict, plan: list[tuple[str, str]], keep=(), change_weight=8.0):
    inst = load_instance(data_dict)
    data = build_model_data(inst)
    before = [Assignment(s, w) for s, w in plan]
    out = raise_minimum_hours(inst, data, before, time.monotonic() + 10,
                              tuple(Assignment(s, w) for s, w in keep), change_weight)
    pairs = {(a.shift, a.worker) for a in out}
    solution = {"format": "banenpool-solution/1", "status": "feasible", "unfilled": [],
                "assignments": [{"shift": s, "worker": w} for s, w in sorted(pairs)]}
    assert check_solution(data_dict, solution) == []
    metrics = compute_metrics(inst, out), compute_metrics(inst, before)
    assert metrics[0]["covered_hours"] == metrics[1]["covered_hours"]
    assert metrics[0]["shortfall_min_hours"] <= metrics[1]["shortfall_min_hours"]
    return pairs


def test_a_worker_short_of_the_minimum_takes_a_shift_a_co_worker_can_spare():
    data = instance([worker("ANNA", min_hours_per_week=16), worker("BOB")],
                    [shift(*MON), shift(*TUE)])
    got = _raise(data, [("MON", "BOB"), ("TUE", "BOB")])
    assert got == {("MON", "ANNA"), ("TUE", "ANNA")}


def test_the_giver_keeps_their_own_minimum():
    # BOB needs 8 h: he gives one shift, not both
    data = instance([worker("ANNA", min_hours_per_week=16), worker("BOB", min_hours_per_week=8)],
                    [shift(*MON), shift(*TUE)])
    got = _raise(data, [("MON", "BOB"), ("TUE", "BOB")])
    assert len(got) == 2 and {w for _, w in got} == {"ANNA", "BOB"}


def test_no_hand_over_that_breaks_a_rule():
    # ANNA's night shift ends at 06:00 on Monday: a 08:00 start leaves her 2 h of rest
    data = instance([worker("ANNA", min_hours_per_week=16), worker("BOB")],
                    [shift("NIGHT", "2026-03-01 22:00", "2026-03-02 06:00"), shift(*MON)])
    assert _raise(data, [("NIGHT", "ANNA"), ("MON", "BOB")]) == {("NIGHT", "ANNA"),
                                                                  ("MON", "BOB")}


def test_a_fixed_shift_stays_with_its_worker():
    data = instance([worker("ANNA", min_hours_per_week=16), worker("BOB", fixed=["MON"])],
                    [shift(*MON), shift(*TUE)])
    assert _raise(data, [("MON", "BOB"), ("TUE", "BOB")]) == {("MON", "BOB"), ("TUE", "ANNA")}


def test_a_published_shift_moves_only_when_the_minimum_outweighs_the_change():
    data = instance([worker("ANNA", min_hours_per_week=16), worker("BOB")],
                    [shift(*MON), shift(*TUE)])
    plan = [("MON", "BOB"), ("TUE", "BOB")]
    # each hand-over of a published shift costs two changes (16) for 8 h of minimum
    assert _raise(data, plan, keep=plan) == set(plan)
    assert _raise(data, plan, keep=plan, change_weight=3.0) == {("MON", "ANNA"),
                                                                ("TUE", "ANNA")}


def test_a_short_worker_exchanges_a_shorter_shift_for_a_longer_one():
    # ANNA (16 h minimum) has the 4 h EARLY, which overlaps BOB's 8 h DAY; BOB needs no
    # minimum: they swap, and ANNA's shortfall drops from 12 h to 8 h
    data = instance([worker("ANNA", min_hours_per_week=16), worker("BOB")],
                    [shift("EARLY", "2026-03-02 06:00", "2026-03-02 10:00"),
                     shift("DAY", "2026-03-02 08:00", "2026-03-02 16:00")])
    got = _raise(data, [("EARLY", "ANNA"), ("DAY", "BOB")])
    assert got == {("EARLY", "BOB"), ("DAY", "ANNA")}


def test_no_exchange_the_giver_cannot_work():
    # BOB lacks the skill of ANNA's EARLY shift: no exchange
    data = instance([worker("ANNA", min_hours_per_week=16, skills=["x", "y"]), worker("BOB")],
                    [shift("EARLY", "2026-03-02 06:00", "2026-03-02 10:00", skills=["y"]),
                     shift("DAY", "2026-03-02 08:00", "2026-03-02 16:00")])
    got = _raise(data, [("EARLY", "ANNA"), ("DAY", "BOB")])
    assert got == {("EARLY", "ANNA"), ("DAY", "BOB")}


def test_a_heavier_kept_shift_is_not_handed_over():
    """W2 is 8 h short of their minimum; W1's kept 8-h shift could go to W2 for two changes
    (2 × 2 h-equivalents < 8 h short), unless dropping W1's pair weighs more (a late call)."""
    data = instance([worker("W1"), worker("W2", min_hours_per_week=8, target_hours_per_week=8)],
                    [shift("S", "2026-03-02 08:00", "2026-03-02 16:00")])
    for weight, holder in ((None, "W2"), (10, "W1")):
        data["keep"] = [{"shift": "S", "worker": "W1", **({"weight": weight} if weight else {})}]
        inst = load_instance(data)
        after = raise_minimum_hours(inst, build_model_data(inst), [Assignment("S", "W1")],
                                    time.monotonic() + 5, inst.keep, 2.0)
        assert [a.worker for a in after] == [holder], weight
