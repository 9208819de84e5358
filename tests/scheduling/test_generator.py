"""The benchmark instance generator: deterministic, realistic, valid."""
from datetime import date, datetime, timedelta

import pytest

from contracts.worktime import check_worker
from scheduling.generator import SIZES, distance_km, generate, pool_capacity_hours
from scheduling.io import load_instance


def _demand_hours(inst: dict) -> float:
    total = 0.0
    for s in inst["shifts"]:
        length = datetime.fromisoformat(s["end"]) - datetime.fromisoformat(s["start"])
        total += (length.total_seconds() / 3600 - s["break_minutes"] / 60) * s["headcount"]
    return total


@pytest.fixture(scope="module")
def small():
    return generate("S", "normal", seed=0)


def test_same_seed_gives_the_same_instance(small):
    assert generate("S", "normal", seed=0) == small


def test_different_seeds_differ(small):
    other = generate("S", "normal", seed=1)
    assert other["workers"] != small["workers"]
    assert other["shifts"] != small["shifts"]


@pytest.mark.parametrize("size", ["XS", "S", "M"])
def test_sizes_follow_the_benchmark_table(size):
    workers, employers, weeks, monday = SIZES[size]
    inst = generate(size, "normal", seed=3)
    assert len(inst["workers"]) == workers
    assert len(inst["employers"]) == employers
    starts = [datetime.fromisoformat(s["start"]) for s in inst["shifts"]]
    assert min(starts).date() >= monday
    assert max(starts).date() < monday + timedelta(weeks=weeks)


def test_benchmark_sizes_are_as_specified():
    assert {k: v[:3] for k, v in SIZES.items() if k != "XS"} == {
        "S": (60, 8, 4), "M": (300, 30, 4), "L": (1000, 60, 4), "XL": (3000, 150, 4)}


def test_the_horizon_contains_the_change_to_summer_time(small):
    offsets = {datetime.fromisoformat(s["start"]).utcoffset() for s in small["shifts"]}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    night = [s for s in small["shifts"] if s["start"].startswith("2026-03-28T22:00")]
    assert night
    for s in night:  # the night of the change is an hour shorter
        assert datetime.fromisoformat(s["end"]) - datetime.fromisoformat(s["start"]) == timedelta(hours=7)


def test_load_instance_accepts_every_size_and_regime():
    for size in ("XS", "S", "M"):
        for regime in ("normal", "peak"):
            inst = load_instance(generate(size, regime, seed=2))
            assert inst.shifts and inst.workers


def test_fixed_shifts_respect_every_rule():
    for seed in range(3):
        inst = generate("S", "normal", seed=seed)
        fixed = [w for w in inst["workers"] if w["fixed"]]
        assert len(fixed) >= 10
        for w in fixed:
            assert check_worker(inst, w["id"], w["fixed"]) == []


def test_fixed_shifts_fit_their_headcount(small):
    peak = generate("S", "peak", seed=0)
    for inst in (small, peak):
        headcount = {s["id"]: s["headcount"] for s in inst["shifts"]}
        taken: dict[str, int] = {}
        for w in inst["workers"]:
            for sid in w["fixed"]:
                taken[sid] = taken.get(sid, 0) + 1
        assert all(n <= headcount[sid] for sid, n in taken.items())
    assert [w["fixed"] for w in peak["workers"]] == [w["fixed"] for w in small["workers"]]


@pytest.mark.parametrize("size", ["S", "M"])
def test_normal_demand_is_close_to_the_pool_capacity(size):
    ratio = _demand_hours(generate(size, "normal", seed=0)) / pool_capacity_hours(size, seed=0)
    assert 0.85 <= ratio <= 0.95


@pytest.mark.parametrize("size", ["S", "M"])
def test_peak_demand_is_two_and_a_half_times_normal(size):
    ratio = _demand_hours(generate(size, "peak", 0)) / _demand_hours(generate(size, "normal", 0))
    assert 2.35 <= ratio <= 2.65


def test_demand_ramps_up_over_the_weeks(small):
    per_week = [0.0] * 4
    for s in small["shifts"]:
        week = (datetime.fromisoformat(s["start"]).date() - date(2026, 3, 16)).days // 7
        per_week[week] += s["headcount"]
    assert per_week[3] > per_week[0] * 1.15


def test_workers_are_realistic(small):
    for w in small["workers"]:
        assert 1 <= len(w["skills"]) <= 3
        assert 15 <= w["max_travel_km"] <= 50
        assert w["min_hours_per_week"] <= w["target_hours_per_week"] <= w["max_hours_per_week"] <= 40
        assert 52.0 <= w["home"]["lat"] <= 52.55 and 6.35 <= w["home"]["lon"] <= 7.15
    sectors = {e["cao"] for e in small["employers"]}
    assert len(sectors) >= 7  # every sector appears once there are enough employers
    assert any("heftruck" in s["skills"] for s in small["shifts"])


def test_some_workers_take_leave():
    inst = generate("M", "normal", seed=0)
    weeks = [date(2026, 3, 16) + timedelta(weeks=i) for i in range(4)]
    on_leave = 0
    for w in inst["workers"]:
        free = [sum(1 for a in w["available"]
                    if datetime.fromisoformat(a["start"]).date() - monday < timedelta(days=7)
                    and datetime.fromisoformat(a["end"]).date() > monday) for monday in weeks]
        on_leave += 0 in free
    assert 0.05 * 300 < on_leave < 0.3 * 300


def test_distance_km_between_enschede_and_hengelo():
    assert 8 < distance_km({"lat": 52.221, "lon": 6.893}, {"lat": 52.266, "lon": 6.793}) < 9
