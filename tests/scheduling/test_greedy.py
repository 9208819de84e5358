"""The greedy benchmark peer: valid plans, fills what is easy to fill."""
import pytest

from contracts.worktime import check_solution
from scheduling.generator import generate
from scheduling.greedy import greedy


def _worker(wid: str, skills=("groen",), **overrides) -> dict:
    worker = {"id": wid, "skills": list(skills), "home": {"lat": 52.22, "lon": 6.89},
              "max_travel_km": 30, "min_hours_per_week": 8, "target_hours_per_week": 16,
              "max_hours_per_week": 40, "employers": None,
              "available": [{"start": "2026-03-16T00:00:00+01:00", "end": "2026-03-23T00:00:00+01:00"}],
              "fixed": []}
    worker.update(overrides)
    return worker


def _shift(sid: str, day: int, headcount: int = 1, start="07:00", end="15:30", skills=("groen",)) -> dict:
    return {"id": sid, "employer": "E1", "start": f"2026-03-{day}T{start}:00+01:00",
            "end": f"2026-03-{day}T{end}:00+01:00", "break_minutes": 30,
            "skills": list(skills), "headcount": headcount, "priority": 1.0}


def _instance(workers, shifts) -> dict:
    return {"format": "banenpool-instance/1", "timezone": "Europe/Amsterdam",
            "employers": [{"id": "E1", "name": "Groen Oost", "cao": "hoveniers",
                           "location": {"lat": 52.23, "lon": 6.88}}],
            "workers": workers, "shifts": shifts}


def _load(solution: dict) -> dict[str, list[str]]:
    plan: dict[str, list[str]] = {}
    for a in solution["assignments"]:
        plan.setdefault(a["worker"], []).append(a["shift"])
    return plan


def test_fills_a_trivially_coverable_instance():
    inst = _instance([_worker("W1"), _worker("W2")],
                     [_shift("S1", 16, 2), _shift("S2", 17, 1), _shift("S3", 18, 2)])
    solution = greedy(inst)
    assert solution["metrics"]["covered_hours"] == solution["metrics"]["demand_hours"] == 5 * 8
    assert solution["unfilled"] == []
    assert check_solution(inst, solution) == []


def test_least_loaded_worker_goes_first():
    inst = _instance([_worker("W1"), _worker("W2")], [_shift(f"S{d}", d) for d in (16, 17, 18, 19)])
    plan = _load(greedy(inst))
    assert sorted(plan) == ["W1", "W2"]
    assert len(plan["W1"]) == len(plan["W2"]) == 2


def test_fixed_shifts_come_first_and_stay():
    inst = _instance([_worker("W1", fixed=["S2"]), _worker("W2", skills=("schoonmaak",))],
                     [_shift("S1", 16, 1, start="20:00", end="23:30"), _shift("S2", 17, 1)])
    solution = greedy(inst)
    # S1 ends 23:30 and S2 starts 07:00: only 7.5 h rest, so W1 keeps S2 and S1 stays open
    assert _load(solution) == {"W1": ["S2"]}
    assert solution["unfilled"][0]["shift"] == "S1"
    assert check_solution(inst, solution) == []


def test_skills_are_respected():
    inst = _instance([_worker("W1", skills=("schoonmaak",))], [_shift("S1", 16)])
    solution = greedy(inst)
    assert solution["assignments"] == []
    assert solution["unfilled"] == [{"shift": "S1", "open": 1, "reasons": solution["unfilled"][0]["reasons"]}]


@pytest.mark.parametrize("regime", ["normal", "peak"])
@pytest.mark.parametrize("seed", [0, 1])
def test_never_breaks_a_rule_on_generated_instances(regime, seed):
    inst = generate("S", regime, seed)
    solution = greedy(inst)
    assert check_solution(inst, solution) == []
    metrics = solution["metrics"]
    assert metrics["covered_hours"] > 0.5 * min(metrics["demand_hours"], 6000)


def test_time_limit_stops_early():
    inst = generate("M", "peak", 0)
    solution = greedy(inst, time_limit=0.0)
    assert solution["timed_out"] is True
    fixed = sum(len(w["fixed"]) for w in inst["workers"])
    assert len(solution["assignments"]) == fixed
    assert check_solution(inst, solution) == []
