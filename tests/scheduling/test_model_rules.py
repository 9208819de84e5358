"""Each validity rule alone, on both sides of its limit (one worker, coverage decides)."""
from __future__ import annotations

import pytest

from contracts.worktime import check_solution
from scheduling import instance_to_dict, load_instance, solution_to_dict
from scheduling.timeline import haversine_km
from scheduling.instance import Location
from tests.scheduling.plan_factory import (
    employer, instance, plan, shift, worker, assigned, HOME,
)


def covered_count(shifts, rules=None, employers=None, **worker_fields):
    solution = plan(instance([worker(**worker_fields)], shifts, employers, rules))
    assert solution.status == "optimal"
    data = instance([worker(**worker_fields)], shifts, employers, rules)
    assert check_solution(data, solution_to_dict(solution)) == []
    return len(solution.assignments)


@pytest.mark.parametrize("second_start, both", [("2026-03-03 03:00", True),    # 11.0 h rest
                                                ("2026-03-03 02:54", False)])  # 10.9 h rest
def test_daily_rest_of_eleven_hours(second_start, both):
    shifts = [shift("A", "2026-03-02 08:00", "2026-03-02 16:00"),
              shift("B", second_start, "2026-03-03 07:00")]
    assert covered_count(shifts) == (2 if both else 1)


def test_split_day_with_long_evening_rest_is_allowed():
    shifts = [shift("A", "2026-03-02 06:00", "2026-03-02 09:00"),
              shift("B", "2026-03-02 12:00", "2026-03-02 15:00")]
    assert covered_count(shifts) == 2


def test_split_day_leaving_only_nine_hours_rest_is_not():
    # 09:00-17:30 is 8.5 h and 21:00-06:00 is 9 h: no 11 h rest in the 24 h from 06:00
    shifts = [shift("A", "2026-03-02 06:00", "2026-03-02 09:00"),
              shift("B", "2026-03-02 17:30", "2026-03-02 21:00")]
    assert covered_count(shifts) == 1


def test_three_shifts_in_a_day_need_a_rest_window_not_just_pairs():
    # every pair alone leaves ≥ 12 h rest; all three leave at most 10 h (20:00 → 06:00)
    shifts = [shift("A", "2026-03-02 06:00", "2026-03-02 07:00"),
              shift("B", "2026-03-02 12:00", "2026-03-02 13:00"),
              shift("C", "2026-03-02 19:00", "2026-03-02 20:00")]
    assert covered_count(shifts) == 2


def week_of_twelves(last_friday_end: str, extra: bool = True):
    days = ["02", "03", "04", "05"]
    shifts = [shift(f"D{d}", f"2026-03-{d} 06:00", f"2026-03-{d} 18:00") for d in days]
    shifts.append(shift("D06", "2026-03-06 06:00", f"2026-03-06 {last_friday_end}"))
    if extra:
        shifts.append(shift("SUN", "2026-03-08 23:00", "2026-03-08 23:30"))
    return shifts


def test_sixty_hours_in_a_week_are_allowed():
    assert covered_count(week_of_twelves("17:30")) == 6          # 4×12 + 11.5 + 0.5 = 60


def test_sixty_and_a_half_hours_are_not():
    assert covered_count(week_of_twelves("18:00")) == 5          # 60.5 h: one must go


def test_worker_maximum_below_the_legal_one_applies():
    assert covered_count(week_of_twelves("18:00", extra=False), max_hours_per_week=40) == 3


def rest_week(saturday_end: str, monday: str = "2026-03-02"):
    year, month, day = (int(p) for p in monday.split("-"))
    shifts = [shift(f"D{i}", f"{year}-{month:02d}-{day + i:02d} 08:00",
                    f"{year}-{month:02d}-{day + i:02d} 16:00") for i in range(5)]
    shifts.append(shift("SAT", f"{year}-{month:02d}-{day + 5:02d} 08:00",
                        f"{year}-{month:02d}-{day + 5:02d} {saturday_end}"))
    return shifts


def test_weekly_rest_of_thirty_six_hours_up_to_the_week_edge():
    assert covered_count(rest_week("12:00")) == 6                # Sat 12:00 → Mon 00:00 = 36 h


def test_weekly_rest_of_thirty_five_and_a_half_hours_is_too_short():
    assert covered_count(rest_week("12:30")) == 5


def test_weekly_rest_in_the_week_clocks_go_forward_is_one_hour_shorter():
    # 23-29 March 2026 lasts 167 h: Sat 12:00 → Mon 00:00 is only 35 real hours
    assert covered_count(rest_week("12:00", monday="2026-03-23")) == 5
    assert covered_count(rest_week("11:00", monday="2026-03-23")) == 6


def test_overlapping_shifts_exclude_each_other_but_touching_ones_do_not():
    overlapping = [shift("A", "2026-03-02 06:00", "2026-03-02 09:00"),
                   shift("B", "2026-03-02 08:59", "2026-03-02 12:00")]
    touching = [shift("A", "2026-03-02 06:00", "2026-03-02 09:00"),
                shift("B", "2026-03-02 09:00", "2026-03-02 12:00")]
    assert covered_count(overlapping) == 1
    assert covered_count(touching) == 2


FAR = {"lat": 52.40, "lon": 6.89}


def travel_case(gap_minutes: int):
    km = haversine_km(Location(**HOME), Location(**FAR))
    rules = {"travel_speed_kmh": km}            # exactly one hour from E1 to E2
    start = f"2026-03-02 {12 + gap_minutes // 60:02d}:{gap_minutes % 60:02d}"
    shifts = [shift("A", "2026-03-02 08:00", "2026-03-02 12:00"),
              shift("B", start, "2026-03-02 18:00", employer="E2")]
    return shifts, rules, [employer("E1"), employer("E2", FAR)]


def test_travel_time_between_employers():
    shifts, rules, employers = travel_case(60)
    assert covered_count(shifts, rules, employers) == 2
    shifts, rules, employers = travel_case(59)
    assert covered_count(shifts, rules, employers) == 1


@pytest.mark.parametrize("month, day, hours", [("03", "28", 7.0), ("10", "24", 9.0)])
def test_night_shift_over_a_clock_change_counts_real_hours(month, day, hours):
    night = [shift("N", f"2026-{month}-{day} 22:00", f"2026-{month}-{int(day) + 1} 06:00")]
    solution = plan(instance([worker()], night))
    assert solution.metrics["covered_hours"] == hours
    short = plan(instance([worker()], night, rules={"max_shift_hours": 8}))
    assert len(short.assignments) == (1 if hours <= 8 else 0)


def test_eligibility_skills_employer_distance_and_availability():
    shifts = [shift("SKILL", "2026-03-02 08:00", "2026-03-02 12:00", skills=["x", "y"]),
              shift("OTHER", "2026-03-03 08:00", "2026-03-03 12:00", employer="E2"),
              shift("FAR", "2026-03-04 08:00", "2026-03-04 12:00", employer="E3"),
              shift("LEAVE", "2026-03-05 08:00", "2026-03-05 12:00"),
              shift("OK", "2026-03-06 08:00", "2026-03-06 12:00")]
    employers = [employer("E1"), employer("E2"), employer("E3", FAR)]
    available = [{"start": "2026-03-01T00:00:00+01:00", "end": "2026-03-05T00:00:00+01:00"},
                 {"start": "2026-03-06T00:00:00+01:00", "end": "2026-03-07T00:00:00+01:00"}]
    solution = plan(instance([worker(employers=["E1", "E3"], max_travel_km=10,
                                     available=available)], shifts, employers))
    assert assigned(solution) == {"OK"}


def test_fixed_shift_is_kept_outside_availability_and_counts_for_rest():
    shifts = [shift("BASE", "2026-03-02 08:00", "2026-03-02 16:00"),
              shift("LATE", "2026-03-03 02:00", "2026-03-03 06:00")]
    available = [{"start": "2026-03-02T20:00:00+01:00", "end": "2026-03-04T00:00:00+01:00"}]
    solution = plan(instance([worker(fixed=["BASE"], available=available)], shifts))
    assert assigned(solution) == {"BASE"}         # LATE would leave 10 h rest


def test_fixed_shifts_that_break_a_rule_make_the_instance_infeasible():
    shifts = [shift("A", "2026-03-02 08:00", "2026-03-02 16:00"),
              shift("B", "2026-03-02 15:00", "2026-03-02 20:00")]
    solution = plan(instance([worker(fixed=["A", "B"])], shifts))
    assert solution.status == "infeasible"
    reasons = " ".join(r for u in solution.unfilled for r in u.reasons)
    assert "overlap" in reasons and {u.shift for u in solution.unfilled} == {"A", "B"}


def test_headcount_fills_every_slot_with_distinct_workers():
    data = instance([worker("W1"), worker("W2"), worker("W3")],
                    [shift("A", "2026-03-02 08:00", "2026-03-02 16:00", headcount=2)])
    solution = plan(data)
    assert len(solution.assignments) == 2 and solution.unfilled == ()
    assert len({a.worker for a in solution.assignments}) == 2


def test_round_trip_of_generated_instance_keeps_the_plan_valid():
    data = instance([worker("W1"), worker("W2")],
                    [shift("A", "2026-03-02 08:00", "2026-03-02 16:00", headcount=2)])
    again = instance_to_dict(load_instance(data))
    assert len(plan(again).assignments) == 2
