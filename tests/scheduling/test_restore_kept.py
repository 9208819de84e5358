"""Published (kept) assignments go back to their workers when coverage does not need the move.

A re-plan whose coverage level ran out of time before the second level (changes) must not
cancel published shifts for nothing: each published pair missing from the plan is handed
back, directly or in exchange for a shift that was not published, and coverage never drops.
"""
from __future__ import annotations

import time

from contracts.worktime import check_solution
from scheduling import load_instance
from scheduling.construct import restore_kept
from scheduling.instance import Assignment
from scheduling.model_data import build_model_data
from tests.scheduling.plan_factory import instance, shift, worker


def _restore(data_dict: dict, plan: list[tuple[str, str]], keep: list[tuple[str, str]]):
    inst = load_instance(data_dict)
    data = build_model_data(inst)
    out = restore_kept(inst, data, [Assignment(s, w) for s, w in plan],
                       tuple(Assignment(s, w) for s, w in keep), time.monotonic() + 10)
    pairs = {(a.shift, a.worker) for a in out}
    solution = {"format": "banenpool-solution/1", "status": "feasible", "unfilled": [],
                "assignments": [{"shift": s, "worker": w} for s, w in sorted(pairs)]}
    assert check_solution(data_dict, solution) == []
    return pairs


def test_a_published_shift_moved_to_another_worker_goes_back():
    data = instance([worker("ANNA"), worker("BOB")],
                    [shift("MON", "2026-03-02 08:00", "2026-03-02 16:00")])
    assert _restore(data, [("MON", "BOB")], [("MON", "ANNA")]) == {("MON", "ANNA")}


def test_an_open_slot_is_refilled_by_its_published_worker():
    data = instance([worker("ANNA")], [shift("MON", "2026-03-02 08:00", "2026-03-02 16:00")])
    assert _restore(data, [], [("MON", "ANNA")]) == {("MON", "ANNA")}


def test_shifts_are_exchanged_when_the_published_worker_got_a_clashing_one():
    # the plan swapped ANNA's published early for BOB's late; both are covered either way
    data = instance([worker("ANNA"), worker("BOB")],
                    [shift("EARLY", "2026-03-02 06:00", "2026-03-02 14:00"),
                     shift("LATE", "2026-03-02 14:00", "2026-03-02 22:00")])
    got = _restore(data, [("EARLY", "BOB"), ("LATE", "ANNA")],
                   [("EARLY", "ANNA"), ("LATE", "BOB")])
    assert got == {("EARLY", "ANNA"), ("LATE", "BOB")}


def test_coverage_is_never_given_up_for_a_published_shift():
    # only ANNA can do NIGHT; giving her published MORNING back would leave NIGHT open
    data = instance([worker("ANNA", skills=["x", "night"]), worker("BOB")],
                    [shift("MORNING", "2026-03-03 07:00", "2026-03-03 15:00"),
                     shift("NIGHT", "2026-03-02 23:00", "2026-03-03 07:00",
                           skills=["night"])])
    got = _restore(data, [("MORNING", "BOB"), ("NIGHT", "ANNA")], [("MORNING", "ANNA")])
    assert got == {("MORNING", "BOB"), ("NIGHT", "ANNA")}


def test_a_fixed_shift_is_never_handed_over():
    data = instance([worker("ANNA"), worker("BOB", fixed=["MON"])],
                    [shift("MON", "2026-03-02 08:00", "2026-03-02 16:00")])
    assert _restore(data, [("MON", "BOB")], [("MON", "ANNA")]) == {("MON", "BOB")}
