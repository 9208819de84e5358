"""The independent rules checker, one rule at a time, on both sides of each limit."""

import math
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zoneinfo import ZoneInfo

from contracts.worktime import RULES, RuleBook, check_solution, check_worker

TZ = ZoneInfo("Europe/Amsterdam")
KM_PER_DEGREE = 6371.0088 * math.pi / 180  # along a meridian


def at(local: str) -> str:
    """'2026-03-02 06:00' (Amsterdam wall clock) as ISO 8601 with its UTC offset."""
    return datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=TZ).isoformat()


def shift(shift_id, start, end, employer="E1", **extra):
    return {"id": shift_id, "employer": employer, "start": at(start), "end": at(end),
            "break_minutes": 0, "skills": [], "headcount": 1, **extra}


def worker(worker_id="W1", **extra):
    always = [{"start": at("2026-01-01 00:00"), "end": at("2027-01-01 00:00")}]
    return {"id": worker_id, "skills": [], "available": always, **extra}


def employer(employer_id="E1", lat=52.0, lon=6.0):
    return {"id": employer_id, "name": employer_id, "location": {"lat": lat, "lon": lon}}


def instance(shifts, workers=None, employers=None, rules=None):
    return {"format": "banenpool-instance/1", "timezone": "Europe/Amsterdam", "rules": rules or {},
            "employers": employers or [employer()], "workers": workers or [worker()], "shifts": shifts}


def violations(rule, inst, shift_ids, worker_id="W1"):
    """Violations of `rule`; the scenarios are built so that no other rule fires."""
    found = check_worker(inst, worker_id, shift_ids)
    assert {v.rule for v in found} <= {rule}, [v.message for v in found]
    return found


def solution(*pairs):
    return {"format": "banenpool-solution/1", "status": "feasible",
            "assignments": [{"shift": s, "worker": w} for s, w in pairs]}


# -- W00, W01, W02, W09: the solution as a whole ---------------------------------------------
def test_valid_solution_has_no_violations():
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00", headcount=2)],
                    workers=[worker("W1"), worker("W2")])
    assert check_solution(inst, solution(("S1", "W1"), ("S1", "W2"))) == []


def test_more_workers_than_headcount():
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00", headcount=2)],
                    workers=[worker("W1"), worker("W2"), worker("W3")])
    found = check_solution(inst, solution(("S1", "W1"), ("S1", "W2"), ("S1", "W3")))
    assert [(v.rule, v.shifts) for v in found] == [("W01", ("S1",))]
    assert "S1 has 3 workers" in found[0].message and "headcount 2" in found[0].message


def test_worker_twice_on_one_shift_and_unknown_ids():
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00", headcount=2)])
    found = check_solution(inst, solution(("S1", "W1"), ("S1", "W1"), ("S9", "W1"), ("S1", "W7")))
    assert sorted(v.rule for v in found) == ["W00", "W00", "W02"]
    messages = " | ".join(v.message for v in found)
    assert "unknown shift S9" in messages and "unknown worker W7" in messages
    assert "W02: W1 is assigned to S1 2 times" in messages


def test_fixed_shift_missing_from_solution():
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00")], workers=[worker(fixed=["S1"])])
    assert check_solution(inst, solution(("S1", "W1"))) == []
    found = check_solution(inst, solution())
    assert [(v.rule, v.name, v.worker, v.shifts) for v in found] == [("W09", "fixed-kept", "W1", ("S1",))]


# -- W03–W06: one shift and one worker -------------------------------------------------------
def test_skills():
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00", skills=["groen", "heftruck"])],
                    workers=[worker("W1", skills=["groen", "heftruck"]), worker("W2", skills=["groen"])])
    assert violations("W03", inst, ["S1"], "W1") == []
    [found] = violations("W03", inst, ["S1"], "W2")
    assert found.message == "W03: W2 lacks skill heftruck for S1"


def test_allowed_employer():
    shifts = [shift("S1", "2026-03-02 08:00", "2026-03-02 16:00", employer="E2")]
    employers = [employer("E1"), employer("E2")]
    assert violations("W04", instance(shifts, [worker(employers=None)], employers), ["S1"]) == []
    assert violations("W04", instance(shifts, [worker(employers=["E2"])], employers), ["S1"]) == []
    [found] = violations("W04", instance(shifts, [worker(employers=["E1"])], employers), ["S1"])
    assert "may not work for E2" in found.message and "S1" in found.message


@pytest.mark.parametrize("km, allowed", [(34.9, True), (35.1, False)])
def test_travel_distance_from_home(km, allowed):
    home = {"lat": 52.0, "lon": 6.0}
    employers = [employer("E1", lat=52.0 + km / KM_PER_DEGREE, lon=6.0)]
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00")],
                    [worker(home=home, max_travel_km=35)], employers)
    found = violations("W05", inst, ["S1"])
    assert (found == []) is allowed
    if not allowed:
        assert "35.1 km" in found[0].message and "max 35.0 km" in found[0].message


def test_missing_location_means_no_distance_limit():
    employers = [{"id": "E1", "name": "E1"}]
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00")],
                    [worker(home={"lat": 50.0, "lon": 3.0}, max_travel_km=1)], employers)
    assert violations("W05", inst, ["S1"]) == []


def test_availability_edges_may_touch():
    window = [{"start": at("2026-03-02 08:00"), "end": at("2026-03-02 16:00")},
              {"start": at("2026-03-02 16:00"), "end": at("2026-03-02 20:00")}]
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00"),
                     shift("S2", "2026-03-02 07:59", "2026-03-02 12:00"),
                     shift("S3", "2026-03-02 12:00", "2026-03-02 16:01"),
                     shift("S4", "2026-03-02 15:00", "2026-03-02 17:00")],  # spans two intervals
                    [worker(available=window)])
    assert violations("W06", inst, ["S1"]) == []
    for outside in ("S2", "S3", "S4"):
        [found] = violations("W06", inst, [outside])
        assert found.shifts == (outside,) and "outside W1's availability" in found.message


def test_fixed_shifts_are_exempt_from_availability():
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00")],
                    [worker(available=[], fixed=["S1"])])
    assert violations("W06", inst, []) == []
    assert check_worker(inst, "W1", []) == []


# -- W07, W08: pairs of shifts ---------------------------------------------------------------
def test_overlap():
    inst = instance([shift("S1", "2026-03-02 06:00", "2026-03-02 14:00"),
                     shift("S2", "2026-03-02 14:00", "2026-03-02 18:00"),
                     shift("S3", "2026-03-02 13:59", "2026-03-02 15:00")])
    assert violations("W07", inst, ["S1", "S2"]) == []
    [found] = violations("W07", inst, ["S1", "S3"])
    assert found.shifts == ("S1", "S3")
    assert found.message == "W07: S1 (Mon 2026-03-02 06:00–14:00) overlaps S3 (Mon 2026-03-02 13:59–15:00) for W1"


def test_fixed_shifts_count_in_check_worker():
    inst = instance([shift("S1", "2026-03-02 06:00", "2026-03-02 14:00"),
                     shift("S2", "2026-03-02 10:00", "2026-03-02 18:00")], [worker(fixed=["S1"])])
    assert [v.shifts for v in violations("W07", inst, ["S2"])] == [("S1", "S2")]


@pytest.mark.parametrize("second_start, ok", [("2026-03-02 14:30", True), ("2026-03-02 14:29", False)])
def test_travel_time_between_employers(second_start, ok):
    # 20 km apart at 40 km/h: half an hour of travel
    employers = [employer("E1", 52.0, 6.0), employer("E2", 52.0 + 20 / KM_PER_DEGREE, 6.0)]
    inst = instance([shift("S1", "2026-03-02 06:00", "2026-03-02 14:00", employer="E1"),
                     shift("S2", second_start, "2026-03-02 18:00", employer="E2")], employers=employers)
    found = violations("W08", inst, ["S1", "S2"])
    assert (found == []) is ok
    if not ok:
        assert found[0].message == ("W08: only 0.4 h between S1 (ends 14:00 at E1) and S2 (starts 14:29 at E2)"
                                    " for W1; travelling 20.0 km takes 0.5 h")


def test_no_travel_time_needed_at_the_same_employer():
    inst = instance([shift("S1", "2026-03-02 06:00", "2026-03-02 10:00"),
                     shift("S2", "2026-03-02 10:00", "2026-03-02 14:00")])
    assert violations("W08", inst, ["S1", "S2"]) == []


# -- W11: shift length, including DST nights ---------------------------------------------------
def test_shift_length():
    inst = instance([shift("S1", "2026-03-02 06:00", "2026-03-02 18:00"),
                     shift("S2", "2026-03-03 06:00", "2026-03-03 18:30")])
    assert violations("W11", inst, ["S1"]) == []
    [found] = violations("W11", inst, ["S2"])
    assert found.message == "W11: S2 (Tue 2026-03-03 06:00–18:30) lasts 12.5 h (max 12.0 h)"
    backwards = instance([shift("S3", "2026-03-03 18:00", "2026-03-03 06:00")])
    [found] = [v for v in check_worker(backwards, "W1", ["S3"]) if v.rule == "W11"]
    assert "S3 ends no later than it starts" in found.message


@pytest.mark.parametrize("night, hours", [(("2026-03-28 22:00", "2026-03-29 06:00"), 7.0),
                                          (("2026-10-24 22:00", "2026-10-25 06:00"), 9.0)])
def test_dst_night_shift_length_is_real_elapsed_time(night, hours):
    shifts = [shift("S1", *night)]
    assert violations("W11", instance(shifts, rules={"max_shift_hours": hours}), ["S1"]) == []
    [found] = violations("W11", instance(shifts, rules={"max_shift_hours": hours - 0.1}), ["S1"])
    assert f"lasts {hours:.1f} h" in found.message


# -- W12: daily rest ---------------------------------------------------------------------------
@pytest.mark.parametrize("next_start, ok", [("2026-03-03 03:00", True), ("2026-03-03 02:54", False)])
def test_daily_rest_11_hours_between_days(next_start, ok):
    inst = instance([shift("S1", "2026-03-02 08:00", "2026-03-02 16:00"),
                     shift("S2", next_start, "2026-03-03 07:00")])
    found = violations("W12", inst, ["S1", "S2"])
    assert (found == []) is ok
    if not ok:
        assert found[0].message.startswith("W12: only 10.9 h rest for W1 in the 24 h from S1")
        assert "between S1 (ends 16:00) and S2 (starts 02:54)" in found[0].message


def test_split_day_with_long_evening_rest_is_fine():
    inst = instance([shift("S1", "2026-03-02 06:00", "2026-03-02 09:00"),
                     shift("S2", "2026-03-02 12:00", "2026-03-02 15:00")])
    assert violations("W12", inst, ["S1", "S2"]) == []


def test_split_day_with_late_evening_shift_breaks_daily_rest():
    inst = instance([shift("S1", "2026-03-02 06:00", "2026-03-02 09:00"),
                     shift("S2", "2026-03-02 17:30", "2026-03-02 21:00")])
    [found] = violations("W12", inst, ["S1", "S2"])
    assert found.shifts == ("S1", "S2")
    assert found.message == ("W12: only 9.0 h rest for W1 in the 24 h from S1 (starts Mon 2026-03-02 06:00): "
                             "the longest is after S2 (ends 21:00) until 06:00")


def test_three_shifts_in_one_day_break_daily_rest_though_every_pair_is_fine():
    shifts = [shift("S1", "2026-03-02 06:00", "2026-03-02 08:00"),
              shift("S2", "2026-03-02 13:00", "2026-03-02 15:00"),
              shift("S3", "2026-03-02 20:00", "2026-03-02 22:00")]
    inst = instance(shifts)
    for pair in (["S1", "S2"], ["S1", "S3"], ["S2", "S3"]):
        assert violations("W12", inst, pair) == []
    [found] = violations("W12", inst, ["S1", "S2", "S3"])
    assert found.shifts == ("S1", "S2", "S3") and "only 8.0 h rest" in found.message


# -- W13: weekly rest --------------------------------------------------------------------------
def _week_of_afternoons(first_start):
    """Week of Mon 2026-03-02: Tue..Sun 12:00–20:00, the first one starting at `first_start`."""
    days = [f"2026-03-0{d}" for d in range(3, 9)]
    shifts = [shift(f"S{i}", f"{day} 12:00", f"{day} 20:00") for i, day in enumerate(days, 1)]
    shifts[0]["start"] = at(first_start)
    return instance(shifts), [s["id"] for s in shifts]


@pytest.mark.parametrize("first_start, ok", [("2026-03-03 12:00", True), ("2026-03-03 11:54", False)])
def test_weekly_rest_counts_rest_from_the_week_start(first_start, ok):
    inst, ids = _week_of_afternoons(first_start)
    found = violations("W13", inst, ids)
    assert (found == []) is ok
    if not ok:
        assert found[0].message.startswith("W13: only 35.9 h weekly rest for W1 in week 2026-W10")
        assert "from 00:00 until S1 (starts 11:54)" in found[0].message


@pytest.mark.parametrize("last_day_start, ok", [("04:00", True), ("04:06", False)])
def test_weekly_rest_counts_rest_up_to_the_week_end(last_day_start, ok):
    days = [f"2026-03-0{d}" for d in range(2, 8)]  # Mon..Sat
    shifts = [shift(f"S{i}", f"{day} 04:00", f"{day} 12:00") for i, day in enumerate(days, 1)]
    shifts[-1] = shift("S6", f"2026-03-07 {last_day_start}", f"2026-03-07 12:{last_day_start[-2:]}")
    found = violations("W13", instance(shifts), [s["id"] for s in shifts])
    assert (found == []) is ok
    if not ok:
        assert "only 35.9 h" in found[0].message and "after S6 (ends 12:06) until 00:00" in found[0].message


@pytest.mark.parametrize("minimum, ok", [(166.0, True), (166.1, False)])
def test_weekly_rest_in_the_dst_week_of_167_hours(minimum, ok):
    inst = instance([shift("S1", "2026-03-23 00:00", "2026-03-23 01:00")],
                    rules={"min_weekly_rest_hours": minimum, "min_daily_rest_hours": 0})
    found = violations("W13", inst, ["S1"])
    assert (found == []) is ok
    if not ok:
        assert "week 2026-W13" in found[0].message and "167 h" in found[0].message


# -- W14: weekly hours -------------------------------------------------------------------------
@pytest.mark.parametrize("saturday_end, ok", [("11:30", True), ("12:00", False)])
def test_weekly_hours_limit_of_60(saturday_end, ok):
    days = [f"2026-03-0{d}" for d in range(2, 7)]  # Mon..Fri 06:00–18:00 with 1 h break = 55 h
    shifts = [shift(f"S{i}", f"{day} 06:00", f"{day} 18:00", break_minutes=60) for i, day in enumerate(days, 1)]
    shifts.append(shift("S6", "2026-03-07 06:00", f"2026-03-07 {saturday_end}", break_minutes=30))
    found = violations("W14", instance(shifts), [s["id"] for s in shifts])
    assert (found == []) is ok
    if not ok:
        assert found[0].message == "W14: W1 works 60.5 h in week 2026-W10 (limit 60.0 h)"
        assert found[0].shifts == ("S1", "S2", "S3", "S4", "S5", "S6")


def test_an_excess_never_reads_as_the_limit_itself():
    # 12 h 1 min is not "lasts 12.0 h (max 12.0 h)", 60 h 1 min not "works 60.0 h ... (limit 60.0 h)"
    long = [shift("S1", "2026-03-02 06:00", "2026-03-02 18:01")]
    [found] = violations("W11", instance(long), ["S1"])
    assert "lasts 12.1 h (max 12.0 h)" in found.message
    days = [f"2026-03-0{d}" for d in range(2, 7)]
    shifts = [shift(f"S{i}", f"{day} 06:00", f"{day} 18:00") for i, day in enumerate(days, 1)]
    shifts.append(shift("S6", "2026-03-07 06:00", "2026-03-07 06:01"))
    [found] = violations("W14", instance(shifts), [s["id"] for s in shifts])
    assert found.message == "W14: W1 works 60.1 h in week 2026-W10 (limit 60.0 h)"


def test_worker_maximum_applies_when_lower():
    shifts = [shift("S1", "2026-03-02 08:00", "2026-03-02 16:00"),
              shift("S2", "2026-03-03 08:00", "2026-03-03 16:00")]
    inst = instance(shifts, [worker("W1", max_hours_per_week=16), worker("W2", max_hours_per_week=15.5)])
    assert violations("W14", inst, ["S1", "S2"], "W1") == []
    [found] = violations("W14", inst, ["S1", "S2"], "W2")
    assert "16.0 h" in found.message and "limit 15.5 h" in found.message


def test_week_hours_go_to_the_week_in_which_the_shift_starts():
    shifts = [shift("S1", "2026-03-08 22:00", "2026-03-09 06:00"),  # Sunday night into Monday
              shift("S2", "2026-03-11 08:00", "2026-03-11 13:00")]
    inst = instance(shifts, [worker(max_hours_per_week=10)])
    assert violations("W14", inst, ["S1", "S2"]) == []  # 8 h + 5 h, not 2 h + 11 h


# -- rest rules against a brute-force count of free half hours --------------------------------
SLOT = timedelta(minutes=30)
BASE = datetime(2026, 3, 2, tzinfo=TZ)  # Monday; no DST change in the three weeks after it
random_shifts = st.lists(st.tuples(st.integers(0, 14 * 48), st.integers(1, 24)), min_size=1, max_size=12)


def _slot_instance(slots):
    shifts = [{"id": f"S{i}", "employer": "E1", "start": (BASE + a * SLOT).isoformat(),
               "end": (BASE + (a + n) * SLOT).isoformat(), "skills": [], "headcount": 1}
              for i, (a, n) in enumerate(slots)]
    return instance(shifts)


def _longest_free_run(slots, first, last):
    busy = {a + k for a, n in slots for k in range(n)}
    run = best = 0
    for slot in range(first, last):
        run = 0 if slot in busy else run + 1
        best = max(best, run)
    return best


@settings(max_examples=150, deadline=None)
@given(random_shifts)
def test_daily_rest_matches_a_brute_force_count(slots):
    expected = sum(_longest_free_run(slots, a, a + 48) < 22 for a, _ in slots)  # 11 h = 22 slots
    inst = _slot_instance(slots)
    found = [v for v in check_worker(inst, "W1", [f"S{i}" for i in range(len(slots))]) if v.rule == "W12"]
    assert len(found) == expected


@settings(max_examples=150, deadline=None)
@given(random_shifts)
def test_weekly_rest_matches_a_brute_force_count(slots):
    weeks = {w for a, n in slots for w in range(a // 336, (a + n - 1) // 336 + 1)}  # 336 slots a week
    expected = sum(_longest_free_run(slots, w * 336, (w + 1) * 336) < 72 for w in weeks)  # 36 h
    inst = _slot_instance(slots)
    found = [v for v in check_worker(inst, "W1", [f"S{i}" for i in range(len(slots))]) if v.rule == "W13"]
    assert len(found) == expected


# -- the API as a whole ------------------------------------------------------------------------
def test_rules_list_every_code_once():
    codes = [code for code, _, _ in RULES]
    assert len(codes) == len(set(codes))
    assert {"W01", "W02", "W03", "W04", "W05", "W06", "W07", "W08", "W09", "W11", "W12", "W13", "W14"} <= set(codes)


def test_rulebook_reuses_one_parsed_instance_for_many_placements():
    # speed is measured by `banenpool bench` (greedy peer), not asserted here
    workers = [worker(f"W{n}") for n in range(300)]
    weekdays = [d for d in range(2, 30) if datetime(2026, 3, d).weekday() < 5]
    shifts = [shift(f"S{d}-{n}", f"2026-03-{d:02d} 08:00", f"2026-03-{d:02d} 16:00")
              for d in weekdays for n in range(50)]
    book = RuleBook(instance(shifts, workers))
    for n in range(2000):
        month = [f"S{d}-{n % 50}" for d in weekdays]
        assert book.check_worker(f"W{n % 300}", month) == []
    # the same book still sees a break: two overlapping shifts for one worker
    assert {v.rule for v in book.check_worker("W1", ["S2-1", "S2-2"])} == {"W07"}
