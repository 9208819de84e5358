"""Reading and writing planning files, and the errors a broken file gives."""
from __future__ import annotations

import copy
import json

import pytest

from scheduling import (
    Assignment, InstanceFormatError, Solution, Unfilled, instance_to_dict, load_instance,
    load_solution, solution_to_dict,
)
from tests.scheduling.plan_factory import instance, shift, worker


def sample() -> dict:
    return instance([worker("W1", fixed=["S1"]), worker("W2", skills=["x", "y"], employers=["E1"])],
                    [shift("S1", "2026-03-02 08:00", "2026-03-02 16:30", break_minutes=30),
                     shift("S2", "2026-03-03 08:00", "2026-03-03 12:00", headcount=2,
                           priority=1.5)])


def test_instance_round_trip_through_a_file(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(sample()))
    inst = load_instance(path)
    assert inst.shifts[0].hours == 8.0 and inst.shifts[1].priority == 1.5
    assert inst.workers[0].fixed == ("S1",) and inst.workers[1].employers == frozenset({"E1"})
    assert inst.rules.min_daily_rest_hours == 11
    assert load_instance(instance_to_dict(inst)) == inst


def test_solution_round_trip():
    sol = Solution("feasible", (Assignment("S1", "W1"),), (Unfilled("S2", 2, ("why",)),),
                   {"covered_hours": 8.0}, {"covered_hours": 12.0}, 1.5)
    assert load_solution(solution_to_dict(sol)) == sol
    assert solution_to_dict(sol)["format"] == "banenpool-solution/1"
    assert "levels" not in solution_to_dict(sol)   # optional: written only when known
    levels = ({"level": "coverage", "status": "optimal", "value": 8.0, "bound": 8.0, "seconds": 0.1},)
    proven = Solution("optimal", sol.assignments, (), {}, {}, 1.0, levels)
    assert load_solution(solution_to_dict(proven)) == proven


def test_solution_levels_must_be_objects():
    data = solution_to_dict(Solution("feasible", (), ()))
    with pytest.raises(InstanceFormatError, match=r"solution.levels\[1\]: must be an object, got number"):
        load_solution({**data, "levels": [{"level": "coverage"}, 3]})


def broken(change) -> str:
    data = copy.deepcopy(sample())
    change(data)
    with pytest.raises(InstanceFormatError) as error:
        load_instance(data)
    return str(error.value)


def test_missing_field_is_named():
    assert broken(lambda d: d["shifts"][1].pop("start")) == 'shifts[1] (id "S2").start: missing field'


def test_wrong_type_is_named():
    message = broken(lambda d: d["workers"][0].update(max_hours_per_week="forty"))
    assert message.startswith('workers[0] (id "W1").max_hours_per_week: must be a number')


def test_time_without_offset_is_refused():
    message = broken(lambda d: d["shifts"][0].update(start="2026-03-02T08:00:00"))
    assert message.startswith('shifts[0] (id "S1").start: needs a UTC offset')


def test_end_before_start_is_refused():
    message = broken(lambda d: d["shifts"][1].update(end=d["shifts"][1]["start"]))
    assert message == 'shifts[1] (id "S2").end: must be after start'


def test_unknown_employer_in_a_shift():
    message = broken(lambda d: d["shifts"][0].update(employer="E9"))
    assert message == "shifts[0] (id \"S1\").employer: unknown employer id 'E9'"


def test_unknown_shift_in_fixed():
    message = broken(lambda d: d["workers"][0].update(fixed=["S7"]))
    assert message == "workers[0] (id \"W1\").fixed: unknown shift id 'S7'"


def test_headcount_below_one():
    message = broken(lambda d: d["shifts"][1].update(headcount=0))
    assert message.startswith('shifts[1] (id "S2").headcount: must be a whole number ≥ 1')


def test_unknown_format():
    message = broken(lambda d: d.update(format="banenpool-instance/9"))
    assert message.startswith("instance.format: expected 'banenpool-instance/1'")


def test_duplicate_ids():
    message = broken(lambda d: d["workers"][1].update(id="W1"))
    assert message == 'workers[1] (id "W1").id: duplicate id'


def test_availability_interval_errors_name_the_interval():
    message = broken(lambda d: d["workers"][0]["available"][0].update(end="2025-01-01T00:00:00+01:00"))
    assert message == 'workers[0] (id "W1").available[0].end: must be after start'


def test_not_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{nope")
    with pytest.raises(InstanceFormatError, match="not valid JSON"):
        load_instance(path)


def test_keep_round_trips_and_bad_entries_are_named():
    data = {**sample(), "keep": [{"shift": "S2", "worker": "W2"}]}
    inst = load_instance(data)
    assert inst.keep == (Assignment("S2", "W2"),)
    assert instance_to_dict(inst)["keep"] == [{"shift": "S2", "worker": "W2"}]
    assert load_instance(instance_to_dict(inst)) == inst
    assert "keep" not in instance_to_dict(load_instance(sample()))        # optional: absent when empty
    assert broken(lambda d: d.update(keep=[{"shift": "S9", "worker": "W2"}])) == \
        "instance.keep[0]: unknown shift id 'S9'"
    assert broken(lambda d: d.update(keep=[{"shift": "S2", "worker": "W7"}])) == \
        "instance.keep[0]: unknown worker id 'W7'"
    assert broken(lambda d: d.update(keep=[{"shift": "S2"}])).startswith("instance.keep[0]: must be an object")
    assert broken(lambda d: d.update(keep=[{"shift": "S2", "worker": "W2"}] * 2)) == \
        "instance.keep: holds the same shift and worker twice"
