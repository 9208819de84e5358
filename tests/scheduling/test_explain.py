"""Why slots stay open: each worker is classified by the first rule that blocks them."""
from __future__ import annotations

from tests.scheduling.plan_factory import employer, instance, plan, shift, worker

FAR = {"lat": 52.60, "lon": 6.89}


def reasons(data: dict, shift_id: str) -> tuple[str, ...]:
    solution = plan(data)
    by_shift = {u.shift: u for u in solution.unfilled}
    assert shift_id in by_shift, "the slot should stay open"
    return by_shift[shift_id].reasons


def test_nobody_has_the_skill_combination():
    data = instance([worker(skills=["heftruck"]), worker("W2", skills=["groen"])],
                    [shift("S", "2026-03-02 08:00", "2026-03-02 16:00",
                           skills=["heftruck", "groen"])])
    assert reasons(data, "S") == ("no worker has skills groen+heftruck",)


def test_the_only_skilled_worker_lives_too_far():
    data = instance([worker(skills=["heftruck"], home=FAR, max_travel_km=30)],
                    [shift("S", "2026-03-02 08:00", "2026-03-02 16:00", skills=["heftruck"])])
    assert reasons(data, "S") == (
        "the only worker with heftruck: beyond their maximum travel distance",)


def test_the_only_candidate_is_on_leave():
    leave = [{"start": "2026-03-05T00:00:00+01:00", "end": "2026-03-20T00:00:00+01:00"}]
    data = instance([worker(available=leave)],
                    [shift("S", "2026-03-02 08:00", "2026-03-02 16:00")])
    assert reasons(data, "S") == (
        "the only worker with x: not available (leave, absence or outside their hours)",)


def test_candidates_at_their_weekly_maximum_and_on_an_overlapping_shift():
    # three 8 h shifts on Monday, Tuesday, Wednesday, two workers of at most 16 h a week;
    # a fourth shift overlaps Monday's
    shifts = [shift(f"D{d}", f"2026-03-0{d} 08:00", f"2026-03-0{d} 16:00", headcount=2)
              for d in (2, 3, 4)]
    shifts.append(shift("OVER", "2026-03-02 10:00", "2026-03-02 14:00"))
    data = instance([worker("W1", max_hours_per_week=16), worker("W2", max_hours_per_week=16)],
                    shifts)
    solution = plan(data)
    assert solution.metrics["covered_hours"] == 32
    texts = [r for u in solution.unfilled for r in u.reasons]
    allowed = ("at their weekly maximum", "already on an overlapping shift",
               "already on this shift")
    assert texts and all(t.endswith(allowed) for t in texts)
    assert any(t.endswith("at their weekly maximum") for t in texts)


def test_candidates_lacking_daily_rest():
    shifts = [shift("EARLY", "2026-03-02 08:00", "2026-03-02 16:00", priority=2.0),
              shift("NIGHT", "2026-03-03 00:00", "2026-03-03 04:00")]
    assert reasons(instance([worker()], shifts), "NIGHT") == (
        "the only worker with x: would get less than 11 h daily rest",)


def test_candidates_lacking_travel_time():
    shifts = [shift("A", "2026-03-02 08:00", "2026-03-02 12:00", priority=2.0),
              shift("B", "2026-03-02 12:10", "2026-03-02 14:00", employer="E2")]
    data = instance([worker()], shifts, [employer("E1"), employer("E2", FAR)])
    assert reasons(data, "B") == ("the only worker with x: no travel time from or to another shift",)


def test_a_shift_longer_than_the_legal_maximum():
    data = instance([worker()], [shift("S", "2026-03-02 06:00", "2026-03-02 19:00")])
    assert reasons(data, "S") == ("the shift lasts 13 h, more than the 12 h allowed",)


def test_mixed_reasons_are_counted_per_rule():
    leave = [{"start": "2026-03-05T00:00:00+01:00", "end": "2026-03-20T00:00:00+01:00"}]
    data = instance([worker("W1", available=leave), worker("W2", employers=["E2"]),
                     worker("W3", available=leave)],
                    [shift("S", "2026-03-02 08:00", "2026-03-02 16:00")],
                    [employer("E1"), employer("E2")])
    assert reasons(data, "S") == (
        "1 of 3 workers with x: may not work for E1",
        "2 of 3 workers with x: not available (leave, absence or outside their hours)")
