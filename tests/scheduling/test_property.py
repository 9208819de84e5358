"""Random small instances: every plan passes the independent checker and is optimal.

The optimum is found by brute force from the checker alone (every valid shift set per
worker, then every combination within the headcounts), so a model that is too strict
(forbids a valid plan) fails here as surely as one that is too loose.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations, product

from hypothesis import HealthCheck, given, settings, strategies as st

from contracts.worktime import check_solution, check_worker
from scheduling import load_instance, solution_to_dict, solve
from tests.scheduling.plan_factory import TZ, at, employer

FAR = {"lat": 52.40, "lon": 6.89}        # about 20 km from E1: 30 minutes at 40 km/h
DAYS = ["2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30"]  # Fri–Mon, clocks change Sun


@st.composite
def shifts(draw, index: int) -> dict:
    day = draw(st.sampled_from(DAYS))
    hour = draw(st.sampled_from([0, 1, 2, 4, 6, 7, 9, 12, 15, 18, 21, 22]))
    if draw(st.integers(0, 9)) < 6:         # crowd most shifts into one day
        day, hour = DAYS[1], draw(st.sampled_from([4, 6, 8, 12, 14, 17, 19, 21]))
    minute = draw(st.sampled_from([0, 20, 30, 40]))
    length = draw(st.sampled_from([60, 120, 180, 240, 480, 600]))
    start = datetime.fromisoformat(at(f"{day} {hour:02d}:{minute:02d}")).astimezone(UTC)
    end = (start + timedelta(minutes=length)).astimezone(TZ)   # real minutes, also at DST
    return {"id": f"S{index}", "employer": draw(st.sampled_from(["E1", "E2"])),
            "start": start.astimezone(TZ).isoformat(), "end": end.isoformat(),
            "break_minutes": draw(st.sampled_from([0, 30])) if length > 60 else 0,
            "skills": draw(st.sampled_from([["x"], ["y"], ["x", "y"]])),
            "headcount": draw(st.integers(1, 2)), "priority": draw(st.sampled_from([1.0, 1.5]))}


@st.composite
def instances(draw) -> dict:
    n_shifts = draw(st.integers(2, 6))
    shift_list = [draw(shifts(i)) for i in range(n_shifts)]
    ids = [s["id"] for s in shift_list]
    workers = []
    for w in range(draw(st.integers(1, 2))):
        gap = draw(st.sampled_from([None, "2026-03-29 12:00"]))
        available = [{"start": at("2026-03-27 00:00"), "end": at("2026-04-01 00:00")}]
        if gap:
            available = [{"start": at("2026-03-27 00:00"), "end": at(gap)},
                         {"start": at("2026-03-29 20:00"), "end": at("2026-04-01 00:00")}]
        workers.append({
            "id": f"W{w}", "skills": draw(st.sampled_from([["x"], ["x", "y"]])),
            "home": {"lat": 52.22, "lon": 6.89}, "max_travel_km": draw(st.sampled_from([None, None, 5])),
            "min_hours_per_week": draw(st.sampled_from([0, 4])),
            "target_hours_per_week": draw(st.sampled_from([0, 8, 16])),
            "max_hours_per_week": draw(st.sampled_from([8, 12, 40])),
            "employers": None, "available": available, "fixed": [],
            "excluded": draw(st.lists(st.sampled_from(ids), unique=True, max_size=1))})
    rules = {"min_weekly_rest_hours": draw(st.sampled_from([36, 98])),
             "min_daily_rest_hours": draw(st.sampled_from([11, 8])),
             "max_shift_hours": draw(st.sampled_from([9, 12]))}
    pairs = [list(p) for p in combinations(ids, 2)]
    conflicts = draw(st.lists(st.sampled_from(pairs), unique_by=tuple, max_size=2))
    return {"format": "banenpool-instance/1", "timezone": "Europe/Amsterdam", "rules": rules,
            "employers": [employer("E1"), employer("E2", FAR)], "workers": workers,
            "shifts": shift_list, "conflicts": conflicts}


def best_coverage(data: dict) -> float:
    """Brute force: the best Σ priority × hours any valid plan reaches."""
    inst = load_instance(data)
    value = {s.id: s.priority * s.hours for s in inst.shifts}
    per_worker = []
    for w in data["workers"]:
        ids = [s["id"] for s in data["shifts"]]
        valid = [set(c) for r in range(len(ids) + 1) for c in combinations(ids, r)
                 if not check_worker(data, w["id"], c)]
        per_worker.append(valid)
    headcount = {s["id"]: s["headcount"] for s in data["shifts"]}
    best = 0.0
    for choice in product(*per_worker):
        taken: dict[str, int] = {}
        for chosen in choice:
            for sid in chosen:
                taken[sid] = taken.get(sid, 0) + 1
        if all(n <= headcount[sid] for sid, n in taken.items()):
            best = max(best, sum(value[sid] * n for sid, n in taken.items()))
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_plan_is_valid_and_covers_the_most(data):
    solution = solve(load_instance(data), time_limit=20, gap_rel=0.0)
    assert check_solution(data, solution_to_dict(solution)) == []
    assert solution.status == "optimal"
    inst = load_instance(data)
    value = {s.id: s.priority * s.hours for s in inst.shifts}
    reached = sum(value[a.shift] for a in solution.assignments)
    assert abs(reached - best_coverage(data)) < 1e-6
