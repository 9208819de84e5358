"""The minimum-hours reference: best shortfall at the planner's coverage, and a proven bound."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from banenpool.bench.min_hours import (
    metric_shortfall, min_hours_reference, relaxation_bound, weekly_relaxation_bound,
)
from contracts.worktime import check_solution
from scheduling.generator import generate
from scheduling.greedy import greedy
from scheduling.io import load_instance
from scheduling.model_data import build_model_data
from scheduling.solver import solve

TZ = ZoneInfo("Europe/Amsterdam")
HOME = {"lat": 52.22, "lon": 6.89}


def _at(local: str) -> str:
    return datetime.fromisoformat(local).replace(tzinfo=TZ).isoformat()


def _worker(ident, skills=("x",), min_hours=8, fixed=()):
    return {"id": ident, "skills": list(skills), "home": HOME, "max_travel_km": None,
            "min_hours_per_week": min_hours, "target_hours_per_week": min_hours, "max_hours_per_week": 60,
            "employers": None, "available": [{"start": _at("2026-01-01 00:00"), "end": _at("2026-12-31 00:00")}],
            "fixed": list(fixed)}


def _shift(ident, start, end, skills=("x",), priority=1.0):
    return {"id": ident, "employer": "E1", "start": _at(start), "end": _at(end), "break_minutes": 0,
            "skills": list(skills), "headcount": 1, "priority": priority}


def _instance(workers, shifts):
    return {"format": "banenpool-instance/1", "timezone": "Europe/Amsterdam",
            "employers": [{"id": "E1", "name": "E1", "cao": None, "location": HOME}],
            "workers": workers, "shifts": shifts}


def _plan(*pairs):
    return [{"shift": s, "worker": w} for s, w in pairs]


def test_two_workers_with_a_minimum_of_8_and_one_8_hour_shift_are_8_hours_short_at_best():
    inst = _instance([_worker("A"), _worker("B")], [_shift("S1", "2026-03-02 08:00", "2026-03-02 16:00")])
    ref = min_hours_reference(inst, _plan(("S1", "A")), time_limit=5)
    assert (ref["planner"], ref["best"], ref["bound"], ref["offset"]) == (8.0, 8.0, 8.0, 0.0)
    assert ref["status"] == "optimal"
    # from the empty plan (coverage 0) the reference still gives the shift away: 16 → 8
    ref = min_hours_reference(inst, [], time_limit=5)
    assert (ref["planner"], ref["best"], ref["bound"]) == (16.0, 8.0, 8.0)
    assert metric_shortfall(inst, ref["plan"]) == 8.0


def test_the_coverage_of_the_plan_is_held():
    # A needs 8 h; the 8-hour shift would give them that, but the overlapping 4-hour shift
    # of priority 3 is worth more (12 against 8): at that coverage A is 4 hours short.
    inst = _instance([_worker("A")], [_shift("LONG", "2026-03-02 08:00", "2026-03-02 16:00"),
                                      _shift("RUSH", "2026-03-02 09:00", "2026-03-02 13:00", priority=3.0)])
    ref = min_hours_reference(inst, _plan(("RUSH", "A")), time_limit=5)
    assert (ref["covered"], ref["best"], ref["bound"]) == (12.0, 4.0, 4.0)
    assert {a.shift for a in ref["plan"]} == {"RUSH"}
    ref = min_hours_reference(inst, _plan(("LONG", "A")), time_limit=5)
    assert (ref["covered"], ref["best"], ref["bound"]) == (8.0, 0.0, 0.0)


def test_worker_weeks_without_a_possible_shift_are_a_constant_in_the_units_of_the_metrics():
    # two weeks. C has a skill no shift asks for: 10 h short in both weeks, whatever the plan.
    # D has only a fixed 4-hour shift in week 1: 4 h short in week 1 (a model variable, the
    # fixed shift being a candidate) and 8 h in week 2 (no candidate: constant).
    workers = [_worker("A"), _worker("B"), _worker("C", skills=("z",), min_hours=10),
               _worker("D", skills=("w",), fixed=("FIX",))]
    shifts = [_shift("S1", "2026-03-02 08:00", "2026-03-02 16:00"),
              _shift("FIX", "2026-03-03 08:00", "2026-03-03 12:00", skills=("w",)),
              _shift("S2", "2026-03-09 08:00", "2026-03-09 16:00")]
    inst = _instance(workers, shifts)
    plan = _plan(("S1", "A"), ("S2", "A"), ("FIX", "D"))
    assert check_solution(inst, {"assignments": plan}) == []
    ref = min_hours_reference(inst, plan, time_limit=5)
    assert ref["offset"] == 10 + 10 + 8
    assert ref["best"] == ref["bound"] == ref["planner"] == 8 + 8 + 10 + 10 + 4 + 8
    assert ref["planner"] == metric_shortfall(inst, plan)
    assert ref["best"] == metric_shortfall(inst, ref["plan"])


@pytest.mark.parametrize("regime", ["normal", "peak"])
def test_on_a_generated_pool_best_is_at_most_the_plan_and_the_bound_at_most_best(regime):
    inst = generate("XS", regime, seed=0)
    plans = {"planner": [{"shift": a.shift, "worker": a.worker}
                         for a in solve(load_instance(inst), time_limit=5, threads=2).assignments],
             "greedy": greedy(inst, time_limit=5)["assignments"]}
    for name, plan in plans.items():
        ref = min_hours_reference(inst, plan, time_limit=5)
        assert ref["planner"] == pytest.approx(metric_shortfall(inst, plan), abs=1e-6), name
        assert ref["bound"] is not None, name
        assert ref["bound"] <= ref["best"] + 1e-6 <= ref["planner"] + 2e-6, name
        # the plan it found keeps the rules and the coverage, and its metric is its model value
        assert ref["best"] == pytest.approx(metric_shortfall(inst, ref["plan"]), abs=1e-6), name
        found = [{"shift": a.shift, "worker": a.worker} for a in ref["plan"]]
        assert check_solution(inst, {"assignments": found}) == [], name
        weight = {s["id"]: s["priority"] * load_instance(inst).shifts[i].hours
                  for i, s in enumerate(inst["shifts"])}
        assert sum(weight[a["shift"]] for a in found) >= ref["covered"] - 1e-4, name


@pytest.mark.parametrize("whole", [True, False])
def test_a_model_above_the_pair_limit_is_bounded_by_its_lp_alone(monkeypatch, whole):
    from banenpool.bench import min_hours
    monkeypatch.setattr(min_hours, "CLIQUE_LP_PAIRS", 10**9 if whole else 10)
    inst = generate("XS", "peak", seed=0)
    plan = greedy(inst, time_limit=5)["assignments"]
    full = min_hours_reference(inst, plan, time_limit=5)
    lp_only = min_hours_reference(inst, plan, time_limit=5, pair_limit=10)
    assert lp_only["status"] in ("LP only (no search)", "optimal")
    assert lp_only["best"] == lp_only["planner"] == full["planner"]   # no search: the plan
    assert lp_only["offset"] == full["offset"]
    assert lp_only["bound"] is not None and lp_only["bound"] <= full["best"] + 1e-6
    assert lp_only["bound_from"].startswith("LP relaxation")
    assert ("week by week" in lp_only["bound_from"]) is not whole
    # week by week the coverage floor is dropped: never the tighter bound
    monkeypatch.setattr(min_hours, "CLIQUE_LP_PAIRS", 10**9)
    with_floor = min_hours_reference(inst, plan, time_limit=5, pair_limit=10)["bound"]
    assert lp_only["bound"] <= with_floor + 1e-6


def test_week_by_week_each_week_is_bounded_alone():
    # two weeks, one worker with a 16 h minimum each week; the second week's only shift
    # clashes with another, so one of them stays short whichever plan is made
    inst = _instance([_worker("A", min_hours=16)],
                     [_shift("W1A", "2026-03-02 08:00", "2026-03-02 16:00"),
                      _shift("W1B", "2026-03-03 08:00", "2026-03-03 16:00"),
                      _shift("W2A", "2026-03-09 08:00", "2026-03-09 16:00"),
                      _shift("W2B", "2026-03-09 12:00", "2026-03-09 20:00")])
    data = build_model_data(load_instance(inst))
    bound, weeks, bounded = weekly_relaxation_bound(data, time_limit=5)
    assert (weeks, bounded) == (2, 2)
    assert bound == pytest.approx(8.0)     # week 1 can reach 16 h, week 2 only 8 h


def test_the_relaxation_bound_of_the_hand_made_cases():
    # the bound used when the MIP stops before its root: the LP of headcounts, weekly hours
    # and conflict cliques with the coverage floor; exact on these two
    two = _instance([_worker("A"), _worker("B")], [_shift("S1", "2026-03-02 08:00", "2026-03-02 16:00")])
    assert relaxation_bound(build_model_data(load_instance(two)), floor=0.0, time_limit=5) == pytest.approx(8.0)
    rush = _instance([_worker("A")], [_shift("LONG", "2026-03-02 08:00", "2026-03-02 16:00"),
                                      _shift("RUSH", "2026-03-02 09:00", "2026-03-02 13:00", priority=3.0)])
    data = build_model_data(load_instance(rush))
    assert relaxation_bound(data, floor=12.0, time_limit=5) == pytest.approx(4.0)
    assert relaxation_bound(data, floor=8.0, time_limit=5) == pytest.approx(0.0)


@pytest.mark.parametrize("regime", ["normal", "peak"])
def test_the_relaxation_bound_is_below_the_best_on_a_generated_pool(regime):
    inst = generate("XS", regime, seed=0)
    plan = greedy(inst, time_limit=5)["assignments"]
    ref = min_hours_reference(inst, plan, time_limit=5)
    lp = relaxation_bound(build_model_data(load_instance(inst)), ref["covered"] * (1 - 1e-6), time_limit=5)
    assert lp is not None and ref["offset"] + lp <= ref["best"] + 1e-6
