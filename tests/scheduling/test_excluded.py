"""`workers[].excluded`: shifts a law or CAO rule bars a worker from (e.g. a minor's 9 h limit).

The service computes them; the planner, the greedy peer and the rules engine must all honour them.
"""
from __future__ import annotations

import pytest

from contracts.worktime import check_solution
from scheduling import InstanceFormatError, instance_to_dict, load_instance
from scheduling.greedy import greedy
from tests.scheduling.plan_factory import assigned, instance, plan, shift, worker

LONG = shift("LONG", "2026-03-02 07:00", "2026-03-02 17:00")  # 10 h: too long for a minor


def test_the_planner_gives_a_barred_shift_to_someone_else():
    data = instance([worker("W1", excluded=["LONG"], target_hours_per_week=40), worker("W2")], [LONG])
    solution = plan(data)
    assert assigned(solution, "W2") == {"LONG"} and assigned(solution, "W1") == set()


def test_a_shift_barred_for_its_only_candidate_stays_open_and_says_why():
    solution = plan(instance([worker("W1", excluded=["LONG"])], [LONG]))
    assert assigned(solution) == set()
    (slot,) = solution.unfilled
    assert slot.reasons == ("the only worker with x: barred from this shift by a law or CAO rule "
                            "for them (youth, night work, breaks)",)


def test_the_greedy_peer_honours_it():
    data = instance([worker("W1", excluded=["LONG"]), worker("W2")], [LONG])
    solution = greedy(data)
    assert {(a["shift"], a["worker"]) for a in solution["assignments"]} == {("LONG", "W2")}


def test_the_rules_engine_reports_a_barred_assignment():
    data = instance([worker("W1", excluded=["LONG"])], [LONG])
    solution = {"format": "banenpool-solution/1", "status": "feasible",
                "assignments": [{"shift": "LONG", "worker": "W1"}], "unfilled": []}
    assert [v.rule for v in check_solution(data, solution)] == ["W15"]


@pytest.mark.parametrize("excluded, message", [
    (["NOPE"], "unknown shift id 'NOPE'"),
    (["LONG"], "shift 'LONG' is also fixed for this worker"),
])
def test_a_broken_list_names_the_field(excluded, message):
    data = instance([worker("W1", fixed=["LONG"], excluded=excluded)], [LONG])
    with pytest.raises(InstanceFormatError, match=rf"workers\[0\].*excluded.*{message}"):
        load_instance(data)


def test_the_field_survives_writing_and_is_left_out_when_empty():
    written = instance_to_dict(load_instance(instance([worker("W1", excluded=["LONG"]), worker("W2")], [LONG])))
    assert written["workers"][0]["excluded"] == ["LONG"] and "excluded" not in written["workers"][1]
