"""`conflicts`: pairs of shifts no worker may hold both of (a law or CAO rule across the two, e.g.
back-to-back shifts whose duty lacks its break). The service computes them; the planner, the greedy
peer, the explanations and the rules engine must all honour them."""
from __future__ import annotations

import pytest

from contracts.worktime import check_solution
from scheduling import InstanceFormatError, instance_to_dict, load_instance
from scheduling.greedy import greedy
from tests.scheduling.plan_factory import assigned, instance, plan, shift, worker

MORNING = shift("AM", "2026-03-02 06:00", "2026-03-02 10:00")
NOON = shift("PM", "2026-03-02 10:00", "2026-03-02 14:00")   # back to back: one 8 h duty, no break


def _pool(conflicts=None, workers=None):
    data = instance(workers or [worker("W1", target_hours_per_week=40)], [MORNING, NOON])
    if conflicts is not None:
        data["conflicts"] = conflicts
    return data


def test_without_the_pair_one_worker_takes_both_shifts():
    assert assigned(plan(_pool()), "W1") == {"AM", "PM"}


def test_with_the_pair_one_worker_takes_one_and_the_other_stays_open_with_the_reason():
    solution = plan(_pool([["AM", "PM"]]))
    assert len(assigned(solution, "W1")) == 1 and solution.status == "optimal"
    (slot,) = solution.unfilled
    assert slot.reasons == ("the only worker with x: their shift next to it would break a law or CAO "
                            "rule with this one (a break over both, a night duty over 12 h, rest "
                            "after a night shift)",)


def test_with_the_pair_a_second_worker_takes_the_other_shift():
    solution = plan(_pool([["PM", "AM"]], [worker("W1", target_hours_per_week=40),
                                            worker("W2", target_hours_per_week=40)]))
    assert assigned(solution) == {"AM", "PM"}
    assert all(len(assigned(solution, w)) == 1 for w in ("W1", "W2"))


def test_the_greedy_peer_honours_it():
    solution = greedy(_pool([["AM", "PM"]]))
    assert len(solution["assignments"]) == 1


def test_the_rules_engine_reports_both_shifts_of_a_pair():
    data = _pool([["AM", "PM"]])
    both = {"format": "banenpool-solution/1", "status": "feasible", "unfilled": [],
            "assignments": [{"shift": "AM", "worker": "W1"}, {"shift": "PM", "worker": "W1"}]}
    (violation,) = check_solution(data, both)
    assert violation.rule == "W16" and set(violation.shifts) == {"AM", "PM"}
    assert "AM (" in violation.message and "PM (" in violation.message
    one = {**both, "assignments": both["assignments"][:1]}
    assert check_solution(data, one) == []


def test_a_fixed_pair_makes_the_instance_infeasible_and_says_why():
    solution = plan(_pool([["AM", "PM"]], [worker("W1", fixed=["AM", "PM"])]))
    assert solution.status == "infeasible"
    assert any("W16" in reason for slot in solution.unfilled for reason in slot.reasons)


@pytest.mark.parametrize("conflicts, where, message", [
    ({"AM": "PM"}, "conflicts", "must be a list"),
    ([["AM"]], r"conflicts\[0\]", "must be a pair of shift ids"),
    ([["AM", "NOPE"]], r"conflicts\[0\]", "unknown shift id 'NOPE'"),
    ([["AM", "PM"], ["PM", "PM"]], r"conflicts\[1\]", "cannot conflict with itself"),
])
def test_a_broken_list_names_the_field(conflicts, where, message):
    with pytest.raises(InstanceFormatError, match=rf"{where}.*{message}"):
        load_instance(_pool(conflicts))


def test_the_field_survives_writing_and_is_left_out_when_empty():
    assert instance_to_dict(load_instance(_pool([["PM", "AM"]])))["conflicts"] == [["AM", "PM"]]
    assert "conflicts" not in instance_to_dict(load_instance(_pool()))
