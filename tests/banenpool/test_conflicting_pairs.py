"""plan_compliance.conflicting_pairs: two shifts an adult may not work both of, though each alone is
lawful, go into the instance as `conflicts`; pairs the instance's own rules already bar, and pairs
the plan cannot change, stay out."""
from datetime import datetime

from banenpool.calendar_nl import AMS
from banenpool.models import Employer
from banenpool.services.plan_compliance import conflicting_pairs

EMPLOYERS = {"1": Employer(id=1, name="Groen BV", cao_code=None)}


def _shift(ident, start, end, break_minutes=0):
    at = lambda text: datetime.fromisoformat(text).replace(tzinfo=AMS).isoformat()  # noqa: E731
    return {"id": ident, "employer": "1", "start": at(start), "end": at(end), "break_minutes": break_minutes,
            "skills": [], "headcount": 1, "priority": 1.0}


def test_pairs_that_break_a_rule_together_are_listed_and_lawful_ones_are_not():
    shifts = [
        _shift("night", "2026-03-23 22:00", "2026-03-24 06:00", 30),
        _shift("evening", "2026-03-24 19:00", "2026-03-24 23:00"),  # 13 h after the night: 14 h due
        _shift("morning", "2026-03-25 07:00", "2026-03-25 12:00"),
        _shift("afternoon", "2026-03-25 12:30", "2026-03-25 18:00"),  # one duty of 10.5 h, 30 min pause
        _shift("early", "2026-03-26 08:00", "2026-03-26 12:00"),
        _shift("late", "2026-03-26 14:00", "2026-03-26 18:00"),  # a lawful split day
    ]
    assert conflicting_pairs(shifts, EMPLOYERS, {}) == [["evening", "night"], ["afternoon", "morning"]]


def test_a_pair_the_daily_rest_bars_already_is_left_out():
    # 06:00-09:00 and 17:30-21:00: only 9 h rest before 06:00 the next day (the instance's rule)
    shifts = [_shift("a", "2026-03-23 06:00", "2026-03-23 09:00"), _shift("b", "2026-03-23 17:30", "2026-03-23 21:00")]
    assert conflicting_pairs(shifts, EMPLOYERS, {}) == []
    # but b and a night duty right after it (11.5 h of work, night time) are a pair
    shifts.append(_shift("c", "2026-03-23 21:00", "2026-03-24 05:00"))
    assert conflicting_pairs(shifts, EMPLOYERS, {}) == [["b", "c"]]


def test_shifts_fixed_together_for_one_worker_are_not_a_conflict():
    shifts = [_shift("night", "2026-03-23 22:00", "2026-03-24 06:00", 30),
              _shift("evening", "2026-03-24 19:00", "2026-03-24 23:00")]
    assert conflicting_pairs(shifts, EMPLOYERS, {7: ["night", "evening"]}) == []
    assert conflicting_pairs(shifts, EMPLOYERS, {7: ["night"], 8: ["evening"]}) == [["evening", "night"]]
