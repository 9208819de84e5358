"""Compliance of a worker's combined schedule: each rule on both sides of its limit.

The law tests the worker, not the contract: several tests build a schedule in which no
single employer breaks a limit but the sum over employers does.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.cao import Catalogue, catalogue
from contracts.compliance import RULE_CODES, WorkItem, check_schedule

AMS = ZoneInfo("Europe/Amsterdam")
ADULT = date(1990, 6, 15)
MONDAY = date(2026, 1, 5)  # ISO week 2026-W02


def at(day: date, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def item(id, day, start, end, brk=0, employer="bakker", **fields):
    """An item from `start` to `end` on `day`; an end before the start is the next day."""
    begin, finish = at(day, start), at(day, end)
    if finish <= begin:
        finish = at(day + timedelta(days=1), end)
    values = dict(cao_code=None, contract_kind="fixed", contract_hours_per_week=Decimal("38"),
                  hourly_wage=Decimal("16.00"))
    values.update(fields)
    return WorkItem(id=id, employer_id=employer, employer_name=employer.title(), start=begin, end=finish,
                    break_minutes=brk, **values)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def check(items, birth=ADULT, **kw):
    violations, notes = check_schedule(birth, items, catalogue=catalogue(), **kw)
    assert all(v.rule in RULE_CODES for v in violations)
    return violations, notes


def rules(items, birth=ADULT, **kw) -> list[str]:
    return [v.rule for v in check(items, birth, **kw)[0]]


def found(items, rule, birth=ADULT, **kw):
    return [v for v in check(items, birth, **kw)[0] if v.rule == rule]


# -- adults: hours ------------------------------------------------------------------------------
def test_shift_of_12_hours_is_allowed_but_12_and_a_half_is_not():
    assert "ATW-shift-length" not in rules([item("A1", day(0), "06:00", "18:45", brk=45)])
    too_long = found([item("A1", day(0), "06:00", "19:15", brk=45)], "ATW-shift-length")
    assert [v.assignment_ids for v in too_long] == [("A1",)]
    assert "12,5 uur" in too_long[0].message


def test_a_message_never_reads_as_the_limit_it_breaks():
    # 12 h 1 min of work is not "12.0 uur ... maximaal 12 uur"; 10 h 59 min of rest not "11.0 ... minimaal 11"
    (long,) = found([item("A1", day(0), "06:00", "18:46", brk=45)], "ATW-shift-length")
    assert "12,1 uur werk" in long.message
    short = [item("A1", day(0), "08:00", "17:01", brk=30), item("A2", day(1), "04:00", "12:00", brk=30)]
    (rest,) = found(short, "ATW-daily-rest")
    assert "slechts 10,9 uur rust" in rest.message
    week = [item(f"A{n}", day(n), "06:00", "18:45", brk=45) for n in range(5)] + [item("A5", day(5), "06:00", "06:01")]
    (sixty,) = found(week, "ATW-week-60")
    assert "60,1 uur in week 2 van 2026 bij alle werkgevers samen (Bakker 60,1)" in sixty.message


def test_two_employers_back_to_back_form_one_duty_for_the_shift_limit():
    items = [item("A1", day(0), "06:00", "13:00", employer="bakker"),
             item("B1", day(0), "13:30", "20:00", employer="hovenier")]
    assert found(items, "ATW-shift-length")[0].assignment_ids == ("A1", "B1")


def test_a_double_booking_is_an_overlap_not_a_duty_of_twice_the_hours():
    # two 07:00-16:00 shifts at once: 9 h on the clock, not 18 h of work in one duty
    items = [item("A1", day(0), "07:00", "16:00", employer="bakker"),
             item("B1", day(0), "07:00", "16:00", employer="hovenier")]
    assert "OVERLAP" in rules(items) and "ATW-shift-length" not in rules(items)
    # overlapping by an hour, 06:00-19:00 on the clock: 13 h, too long all the same
    items = [item("A1", day(0), "06:00", "13:00", employer="bakker"),
             item("B1", day(0), "12:00", "19:00", employer="hovenier")]
    (long,) = found(items, "ATW-shift-length")
    assert "13,0 uur werk" in long.message


def sixty_hour_week(extra_minutes: int):
    items = []
    for n in range(5):
        items.append(item(f"A{n}", day(n), "06:00", "12:00", employer="bakker"))
        items.append(item(f"B{n}", day(n), "12:45", "18:45", employer="hovenier"))
    if extra_minutes:
        items.append(item("B9", day(5), "08:00", f"08:{extra_minutes:02d}", employer="hovenier"))
    return items


def test_week_of_60_hours_over_two_employers_is_allowed():
    assert "ATW-week-60" not in rules(sixty_hour_week(0))


def test_week_of_60_and_a_half_hours_breaks_the_law_though_no_employer_alone_does():
    items = sixty_hour_week(30)
    (violation,) = found(items, "ATW-week-60")
    assert "60,5 uur" in violation.message and "week 2 van 2026" in violation.message
    assert "Bakker 30,0" in violation.message and "Hovenier 30,5" in violation.message
    assert set(violation.assignment_ids) == {i.id for i in items}
    for employer in ("bakker", "hovenier"):
        alone = [i for i in items if i.employer_id == employer]
        assert "ATW-week-60" not in rules(alone)


def weeks_of(hours_per_day: int, weeks: int, saturday_hours: int = 0):
    items = []
    for w in range(weeks):
        for n in range(5):
            d = day(7 * w + n)
            items.append(item(f"W{w}D{n}", d, "06:00", f"{6 + hours_per_day:02d}:00"))
        if saturday_hours:
            items.append(item(f"W{w}Sa", day(7 * w + 5), "08:00", f"{8 + saturday_hours:02d}:00"))
    return items


def test_hours_worked_at_17_count_in_the_week_and_weeks_of_the_18th_birthday():
    turns_18_on_thursday = date(2008, 1, 8)  # day(3)
    at_17 = [item(f"Y{n}", day(n), "06:00", "15:30", brk=30) for n in range(3)]  # 27 h, within the youth limits
    at_18 = [item(f"A{n}", day(n), "06:00", "18:45", brk=45) for n in range(3, 6)]  # 36 h
    assert rules(at_17 + at_18[:2], turns_18_on_thursday) == []  # 51 h
    (violation,) = found(at_17 + at_18, "ATW-week-60", turns_18_on_thursday)  # 63 h
    assert "63,0 uur in week 2 van 2026" in violation.message and len(violation.assignment_ids) == 6
    # 45 h in the last week at 17, then three weeks of 60 h: 225 h in 4 weeks, over 4 × 55
    turns_18_on_monday = date(2008, 1, 12)  # day(7)
    youth = [item(f"Y{n}", day(n), "06:00", "15:30", brk=30) for n in range(5)]
    adult = [item(f"A{w}{n}", day(7 * w + n), "06:00", "18:45", brk=45) for w in (1, 2, 3) for n in range(5)]
    (violation,) = found(youth + adult, "ATW-avg-55-4wk", turns_18_on_monday)
    assert "56,3 uur per week in week 2 van 2026 t/m week 5 van 2026" in violation.message


def test_average_of_55_hours_over_4_weeks_is_allowed_56_is_not():
    assert "ATW-avg-55-4wk" not in rules(weeks_of(11, 4))
    (violation,) = found(weeks_of(11, 4, saturday_hours=1), "ATW-avg-55-4wk")
    assert "56,0 uur" in violation.message and "week 2 van 2026 t/m week 5 van 2026" in violation.message


def test_short_schedule_says_the_4_and_16_week_averages_are_only_partly_checked():
    _, notes = check(weeks_of(8, 2))
    assert any("4 weken" in n and "beslaan maar 2 weken (" in n for n in notes), notes
    assert any("16 weken" in n for n in notes)
    _, notes = check(weeks_of(8, 1))
    assert any("beslaan maar 1 week (" in n for n in notes), notes
    _, notes = check(weeks_of(8, 2), lang="en")
    assert any("4-week average" in n and "cover only 2 weeks (" in n for n in notes), notes
    _, notes = check(weeks_of(8, 4))
    assert not any("4 weken (max. 55" in n for n in notes)


def test_average_of_48_hours_over_16_weeks():
    assert "ATW-avg-48-16wk" not in rules(weeks_of(9, 16, saturday_hours=3))  # 48 h
    assert "ATW-avg-48-16wk" in rules(weeks_of(9, 16, saturday_hours=4))  # 49 h


# -- adults: rest ------------------------------------------------------------------------------
def test_nine_hours_rest_between_two_employers_is_too_short_eleven_is_enough():
    short = [item("A40", day(0), "14:00", "22:00", brk=30, employer="bakker"),
             item("A41", day(1), "07:00", "15:00", brk=30, employer="hovenier")]
    (violation,) = found(short, "ATW-daily-rest")
    assert violation.message == (
        "Rusttijd: slechts 9,0 uur rust tussen ma 5 jan 14:00–22:00 bij Bakker en di 6 jan 07:00–15:00 bij "
        "Hovenier; minimaal 11 uur"
    )
    assert violation.assignment_ids == ("A40", "A41")
    enough = [item("A40", day(0), "12:00", "20:00", brk=30), item("A41", day(1), "07:00", "15:00", brk=30)]
    assert "ATW-daily-rest" not in rules(enough)


def test_split_shift_with_long_evening_rest_is_not_a_rest_violation():
    items = [item("A1", day(0), "07:00", "11:00", employer="bakker"),
             item("B1", day(0), "12:00", "16:00", employer="hovenier"),
             item("A2", day(1), "07:00", "11:00", employer="bakker")]
    assert "ATW-daily-rest" not in rules(items)


def test_weekly_rest_36_hours_per_week_or_72_hours_per_fortnight():
    six_on_one_off = [item(f"D{n}", day(n), "08:00", "16:00", brk=30) for n in list(range(6)) + [7]]
    assert "ATW-weekly-rest" not in rules(six_on_one_off)  # Saturday 16:00 to Monday 08:00 is 40 h
    eight_then_free = [item(f"D{n}", day(n), "08:00", "16:00", brk=30) for n in range(8)]
    assert "ATW-weekly-rest" not in rules(eight_then_free)  # 72 h free within the 14×24 h
    thirteen = [item(f"D{n}", day(n), "08:00", "16:00", brk=30) for n in range(13)]
    violation = found(thirteen, "ATW-weekly-rest")[0]
    assert violation.assignment_ids[0] == "D0" and "16,0 uur" in violation.message


def test_breaks_follow_the_hours_worked_and_gaps_between_employers_count():
    assert "ATW-break" not in rules([item("A1", day(0), "08:00", "14:30", brk=30)])  # 6 h
    assert "ATW-break" in rules([item("A1", day(0), "08:00", "14:15", brk=15)])  # 6 h, 15 min
    assert "ATW-break" in rules([item("A1", day(0), "06:00", "17:00", brk=30)])  # 10.5 h needs 45
    split = [item("A1", day(0), "08:00", "12:00"), item("B1", day(0), "12:30", "15:00", employer="x")]
    assert "ATW-break" not in rules(split)


def test_double_booking_at_two_employers_is_reported():
    items = [item("A1", day(0), "08:00", "12:00"), item("B1", day(0), "11:00", "15:00", employer="x")]
    assert found(items, "OVERLAP")[0].assignment_ids == ("A1", "B1")


# -- adults: night work ------------------------------------------------------------------------
def test_night_shift_of_10_hours_is_allowed_12_and_a_half_is_not():
    assert "ATW-night-length" not in rules([item("N1", day(0), "22:00", "08:00")])
    assert "ATW-night-length" in rules([item("N1", day(0), "20:00", "08:30")])


def test_night_shift_up_to_12_hours_five_times_per_14_days():
    # 20:00-07:15 with 45 min break: 10.5 h of work, every other night (no series, 36.75 h rest)
    nights = [item(f"N{n}", day(2 * n), "20:00", "07:15", brk=45) for n in range(6)]
    assert rules(nights[:5]) == []
    (violation,) = found(nights, "ATW-night-length", lang="en")
    assert violation.assignment_ids == ("N5",) and "night shift number 6 over 10 h in 14×24 h" in violation.message


def test_night_shift_up_to_12_hours_22_times_per_52_weeks():
    nights = [item(f"N{n}", day(15 * n), "20:00", "07:15", brk=45) for n in range(23)]  # 23 in 331 days
    assert rules(nights[:22]) == []
    (violation,) = found(nights, "ATW-night-length")
    assert violation.assignment_ids == ("N22",) and "23e" in violation.message


def test_night_shift_over_10_hours_needs_12_hours_rest_after_it():
    long_night = item("N1", day(0), "14:00", "01:30", brk=45)  # 10.75 h of work, 1.5 h of it after midnight
    assert rules([long_night, item("D1", day(1), "13:30", "17:00")]) == []  # 12 h
    (violation,) = found([long_night, item("D1", day(1), "13:00", "17:00")], "ATW-night-length")  # 11.5 h
    assert violation.assignment_ids == ("N1", "D1") and "11,5 uur rust" in violation.message


def test_late_evening_shift_with_only_an_hour_after_midnight_is_not_a_night_shift():
    assert "ATW-night-length" not in rules([item("E1", day(0), "14:00", "01:00", brk=45)])


def test_fourteen_hours_rest_after_a_night_shift_ending_at_six():
    night = item("N1", day(0), "22:00", "06:00", brk=30)
    assert "ATW-night-rest" not in rules([night, item("E1", day(1), "20:00", "23:00")])
    (violation,) = found([night, item("E1", day(1), "19:30", "23:00")], "ATW-night-rest")
    assert "13,5 uur" in violation.message and violation.assignment_ids == ("N1", "E1")


def test_eleven_hours_rest_after_a_night_shift_ending_by_two():
    # 22:00-01:30: a night shift (1.5 h after midnight); 8 h rest, then a 1 h call: the 24 h from
    # 22:00 still hold 11.5 h of rest (10:30-22:00), but the rest after the night shift is too short
    night = item("N1", day(0), "22:00", "01:30")
    assert rules([night, item("E1", day(1), "12:30", "13:30")]) == []
    (violation,) = found([night, item("E1", day(1), "09:30", "10:30")], "ATW-night-rest")
    assert "8,0 uur" in violation.message and "uiterlijk 02:00" in violation.message
    assert violation.assignment_ids == ("N1", "E1")


def test_46_hours_rest_after_three_night_shifts_in_a_row():
    nights = [item(f"N{n}", day(n), "22:00", "06:00", brk=30) for n in range(3)]  # last ends Thu 06:00
    assert "ATW-night-rest" in rules(nights + [item("D1", day(4), "08:00", "16:00", brk=30)])  # 26 h
    assert "ATW-night-rest" not in rules(nights + [item("D1", day(5), "08:00", "16:00", brk=30)])  # 50 h


def test_at_most_36_night_shifts_in_16_weeks():
    def nights(count):
        return [item(f"N{n}", day(2 * n), "22:00", "06:00", brk=30) for n in range(count)]

    assert "ATW-night-count" not in rules(nights(36))
    (violation,) = found(nights(37), "ATW-night-count")
    assert "37 nachtdiensten" in violation.message


def test_dst_night_is_an_hour_shorter_in_real_time():
    dst = item("N1", date(2026, 3, 28), "22:00", "06:00")
    assert dst.work_hours == 7
    # 22:00–10:30 is 12.5 h on the wall clock but 11.5 h of real time on the DST night
    assert "ATW-shift-length" not in rules([item("N1", date(2026, 3, 28), "22:00", "10:30", brk=15)])
    assert "ATW-shift-length" in rules([item("N1", date(2026, 3, 21), "22:00", "10:30", brk=15)])


def dst_week(monday: date):
    items = [item(f"D{n}", monday + timedelta(days=n), "06:00", "18:00") for n in range(4)]  # 48 h
    items.append(item("D4", monday + timedelta(days=4), "06:00", "11:00"))  # 53 h
    items.append(item("N5", monday + timedelta(days=5), "22:00", "06:00"))  # Saturday night
    return items


def test_week_sum_uses_real_hours_in_the_dst_week():
    assert "ATW-week-60" not in rules(dst_week(date(2026, 3, 23)))  # the night is 7 h: 60 h
    assert "ATW-week-60" in rules(dst_week(date(2026, 3, 16)))  # the night is 8 h: 61 h


# -- young workers -----------------------------------------------------------------------------
SEVENTEEN = date(2008, 6, 1)  # 17 in January 2026
SIXTEEN = date(2009, 6, 1)


def test_seventeen_year_old_may_work_9_hours_not_9_and_a_half():
    assert "YOUTH-shift-9h" not in rules([item("Y1", day(0), "08:00", "17:30", brk=30)], SEVENTEEN)
    got = rules([item("Y1", day(0), "08:00", "18:00", brk=30)], SEVENTEEN)
    assert "YOUTH-shift-9h" in got and "ATW-shift-length" not in got


def test_no_work_after_23_for_a_seventeen_year_old():
    assert "YOUTH-night" not in rules([item("Y1", day(0), "15:00", "23:00", brk=30)], SEVENTEEN)
    (violation,) = found([item("Y1", day(0), "16:00", "23:30", brk=30)], "YOUTH-night", SEVENTEEN)
    assert violation.assignment_ids == ("Y1",)


def test_age_is_taken_on_the_day_of_work():
    eighteenth_birthday = date(2008, 1, 6)
    assert "YOUTH-night" in rules([item("Y1", day(0), "16:00", "23:30", brk=30)], eighteenth_birthday)
    assert "YOUTH-night" not in rules([item("Y1", day(1), "16:00", "23:30", brk=30)], eighteenth_birthday)


def youth_week(saturday_end: str):
    items = [item(f"Y{n}", day(n), "08:00", "17:30", brk=30, employer="bakker" if n % 2 else "kiosk")
             for n in range(5)]  # 5 × 9 h = 45 h at two employers
    if saturday_end:
        items.append(item("Y5", day(5), "09:00", saturday_end, employer="kiosk"))
    return items


def test_sixteen_year_old_at_45_hours_a_week_is_ok_46_is_not():
    assert "YOUTH-week-45h" not in rules(youth_week(""), SIXTEEN)
    (violation,) = found(youth_week("10:00"), "YOUTH-week-45h", SIXTEEN)
    assert "46,0 uur" in violation.message


def test_youth_160_hours_per_4_weeks():
    items = [item(f"Y{w}{n}", day(7 * w + n), "08:00", "16:30", brk=30) for w in range(4) for n in range(5)]
    assert "YOUTH-4wk-160h" not in rules(items, SIXTEEN)  # 4 × 40 h
    items.append(item("Y99", day(5), "09:00", "10:00"))
    assert "YOUTH-4wk-160h" in rules(items, SIXTEEN)


def test_youth_needs_12_hours_daily_rest_and_a_break_after_4_and_a_half_hours():
    short_rest = [item("Y1", day(0), "14:00", "20:00", brk=30), item("Y2", day(1), "07:30", "12:00")]
    assert "YOUTH-rest-12h" in rules(short_rest, SIXTEEN)  # 11.5 h
    ok_rest = [item("Y1", day(0), "14:00", "19:30", brk=30), item("Y2", day(1), "07:30", "12:00")]
    assert "YOUTH-rest-12h" not in rules(ok_rest, SIXTEEN)
    assert "ATW-break" in rules([item("Y1", day(0), "08:00", "13:00")], SIXTEEN)  # 5 h, no break
    assert "ATW-break" not in rules([item("Y1", day(0), "08:00", "13:00")], ADULT)


FIFTEEN = date(2010, 6, 1)   # 15 all through 2026
WINTER = ((day(14), day(20)),)   # a school holiday: Monday 19 January through Sunday 25 January 2026


def test_fifteen_year_old_may_work_2_hours_on_a_school_day_and_8_in_a_school_holiday():
    assert "YOUTH15-schoolday-2h" not in rules([item("K1", day(1), "15:00", "17:00")], FIFTEEN)
    (long,) = found([item("K1", day(1), "15:00", "17:15")], "YOUTH15-schoolday-2h", FIFTEEN)
    assert long.assignment_ids == ("K1",) and "2,3 uur werk op schooldag 6 jan 2026 bij Bakker" in long.message
    # the same Tuesday inside a registered school holiday: 8 h a day
    holiday = ((day(0), day(6)),)
    assert rules([item("K1", day(1), "08:00", "16:30", brk=30)], FIFTEEN, school_holidays=holiday) == []
    assert "YOUTH15-day-8h" in rules([item("K1", day(1), "08:00", "17:00", brk=30)], FIFTEEN,
                                     school_holidays=holiday)
    # a Saturday is no school day, also in a school week
    assert rules([item("K1", day(5), "08:00", "16:30", brk=30)], FIFTEEN) == []


def test_a_public_holiday_on_a_weekday_is_no_school_day():
    ascension = date(2026, 5, 14)   # Hemelvaartsdag, a Thursday
    assert rules([item("K1", ascension, "09:00", "17:30", brk=30)], FIFTEEN) == []
    assert "YOUTH15-schoolday-2h" in rules([item("K1", ascension + timedelta(days=1), "09:00", "11:30")], FIFTEEN)


def test_fifteen_year_old_may_work_12_hours_in_a_school_week_and_40_in_a_holiday_week():
    week = [item(f"K{n}", day(n), "16:00", "18:00") for n in range(5)] + [item("K5", day(5), "10:00", "12:00")]
    assert rules(week, FIFTEEN) == []   # 6 × 2 h
    more = week + [item("K6", day(6), "10:00", "10:30")]
    (over,) = found(more, "YOUTH15-schoolweek-12h", FIFTEEN)
    assert "12,5 uur in week 2 van 2026, een schoolweek" in over.message and len(over.assignment_ids) == 7
    # a week without a school day (holiday Monday through Sunday): 40 h
    holiday = [item(f"K{n}", day(14 + n), "09:00", "17:30", brk=30) for n in range(5)]
    assert rules(holiday, FIFTEEN, school_holidays=WINTER) == []
    assert "YOUTH15-week-40h" in rules(holiday + [item("K5", day(19), "09:00", "09:30")], FIFTEEN,
                                       school_holidays=WINTER)
    # one school day makes a school week: the holiday starting on Tuesday leaves Monday a school day
    from_tuesday = ((day(15), day(20)),)
    tuesday_on = [item(f"K{n}", day(14 + n), "09:00", "13:00") for n in range(1, 5)]
    assert "YOUTH15-schoolweek-12h" in rules(tuesday_on, FIFTEEN, school_holidays=from_tuesday)


def test_fifteen_year_old_works_until_19_on_school_days_and_until_21_in_holidays():
    assert "YOUTH15-hours" not in rules([item("K1", day(1), "17:00", "19:00")], FIFTEEN)
    (late,) = found([item("K1", day(1), "17:15", "19:15")], "YOUTH15-hours", FIFTEEN)
    assert "07:00–19:00" in late.message
    assert "YOUTH15-hours" in rules([item("K1", day(5), "17:00", "19:30")], FIFTEEN)   # Saturday of a school week
    assert "YOUTH15-hours" in rules([item("K1", day(1), "06:30", "08:00")], FIFTEEN)
    assert "YOUTH15-hours" not in rules([item("K1", day(15), "15:00", "21:00", brk=30)], FIFTEEN,
                                        school_holidays=WINTER)
    (late,) = found([item("K1", day(15), "15:00", "21:30", brk=30)], "YOUTH15-hours", FIFTEEN,
                    school_holidays=WINTER)
    assert "07:00–21:00" in late.message
    assert "YOUTH15-hours" not in rules([item("K1", day(20), "13:00", "21:00", brk=30)], FIFTEEN,
                                        school_holidays=WINTER)   # the holiday's Sunday


def test_without_school_holidays_a_note_says_every_weekday_was_a_school_day():
    _, notes = check([item("K1", day(0), "15:00", "17:00")], FIFTEEN)
    assert any("geen schoolvakanties geregistreerd" in n for n in notes)
    _, notes = check([item("K1", day(0), "15:00", "17:00")], FIFTEEN, school_holidays=WINTER, lang="en")
    assert not any("school" in n for n in notes)
    _, notes = check([item("K1", day(0), "15:00", "17:00")], ADULT)
    assert not any("school" in n for n in notes)


def test_any_work_under_15_is_a_violation():
    assert "YOUTH-under-15" in rules([item("K1", day(5), "10:00", "12:00")], date(2012, 1, 1))


# -- minimum wage ------------------------------------------------------------------------------
def test_minimum_wage_depends_on_age_on_the_day():
    twenty_one, twenty = date(2004, 1, 1), date(2005, 6, 1)
    assert "WML" in rules([item("P1", day(0), "08:00", "12:00", hourly_wage=Decimal("14.70"))], twenty_one)
    assert "WML" not in rules([item("P1", day(0), "08:00", "12:00", hourly_wage=Decimal("14.71"))], twenty_one)
    assert "WML" not in rules([item("P1", day(0), "08:00", "12:00", hourly_wage=Decimal("11.77"))], twenty)
    (violation,) = found([item("P1", day(0), "08:00", "12:00", hourly_wage=Decimal("11.76"))], "WML", twenty)
    assert "€ 11,77" in violation.message


# -- CAO limits and notes ----------------------------------------------------------------------
def limited_catalogue():
    real = catalogue().get("recreatie", day(0))
    return Catalogue([replace(real, max_hours_per_shift=Decimal("9"), max_hours_per_day=Decimal("10"))])


def test_cao_maximum_shift_and_day_count_only_hours_under_that_cao():
    cat = limited_catalogue()
    one = [item("R1", day(0), "08:00", "17:30", brk=30, cao_code="recreatie")]
    assert [v.rule for v in check_schedule(ADULT, one, catalogue=cat)[0]] == []
    long = [item("R1", day(0), "08:00", "18:00", brk=30, cao_code="recreatie")]
    assert "CAO-max-shift" in [v.rule for v in check_schedule(ADULT, long, catalogue=cat)[0]]
    two = [item("R1", day(0), "06:00", "12:00", cao_code="recreatie", employer="park"),
           item("R2", day(0), "13:00", "18:00", cao_code="recreatie", employer="camping")]
    (violation,) = [v for v in check_schedule(ADULT, two, catalogue=cat)[0] if v.rule == "CAO-max-day"]
    assert violation.assignment_ids == ("R1", "R2") and "11,0 uur" in violation.message
    mixed = [two[0], replace(two[1], cao_code=None)]
    assert "CAO-max-day" not in [v.rule for v in check_schedule(ADULT, mixed, catalogue=cat)[0]]


def test_notes_name_the_cao_per_employer_and_unknown_caos():
    items = [item("R1", day(0), "08:00", "12:00", cao_code="recreatie", employer="park"),
             item("X1", day(1), "08:00", "12:00", cao_code="bestaat-niet", employer="fabriek"),
             item("B1", day(2), "08:00", "12:00", employer="bakker")]
    _, notes = check(items)
    assert any(n.startswith("Park: Cao Recreatie (recreatie)") and "inlener" in n for n in notes)
    assert any(n.startswith("Fabriek: cao bestaat-niet niet gevonden") for n in notes)
    assert "Bakker: geen cao opgegeven" in notes
    assert any("binden de werkgever" in n for n in notes)


def test_agency_cao_note_says_the_hirers_cao_sets_the_pay():
    _, notes = check([item("U1", day(0), "08:00", "12:00", cao_code="abu", employer="uitzender")])
    assert any(n.startswith("Uitzender: ABU") and "cao van de inlener" in n for n in notes)


# -- three hours per call ----------------------------------------------------------------------
def test_call_under_three_hours_gives_a_note_naming_the_assignment():
    short = item("S12", day(0), "10:00", "12:00", contract_kind="on_call", contract_hours_per_week=None)
    violations, notes = check([short])
    assert "ma 5 jan 10:00–12:00 bij Bakker: 2,0 uur oproep, 3 uur loon verschuldigd (art. 7:628a BW)" in notes
    assert "ONCALL-3h" not in [v.rule for v in violations]
    _, notes_en = check([short], lang="en")
    assert "Mon 5 Jan 10:00–12:00 at Bakker: 2.0 h call, 3 h pay due (art. 7:628a BW)" in notes_en
    three = replace(short, end=at(day(0), "13:00"))
    assert not any("7:628a" in n for n in check([three])[1])


def test_three_hour_rule_covers_small_contracts_and_known_short_pay():
    small = item("S1", day(0), "10:00", "12:00", contract_kind="min_max", contract_hours_per_week=Decimal("12"))
    big = item("S2", day(1), "10:00", "12:00", contract_kind="fixed", contract_hours_per_week=Decimal("38"))
    notes = check([small, big])[1]
    assert any(n.startswith("ma 5 jan 10:00–12:00") for n in notes)
    assert not any(n.startswith("di 6 jan 10:00–12:00") for n in notes)
    underpaid = replace(small, paid_hours=Decimal("2"))
    assert "ONCALL-3h" in rules([underpaid])
    assert "ONCALL-3h" not in rules([replace(small, paid_hours=Decimal("3"))])


# -- general -----------------------------------------------------------------------------------
def test_messages_in_english_on_request():
    items = [item("A40", day(0), "14:00", "22:00", brk=30), item("A41", day(1), "07:00", "15:00", brk=30)]
    (violation,) = found(items, "ATW-daily-rest", lang="en")
    assert violation.message.startswith("Rest: only 9.0 h rest between Mon 5 Jan 14:00–22:00 at Bakker and "
                                        "Tue 6 Jan 07:00–15:00 at Bakker")


def test_notes_in_english_on_request_too():
    # after the last known minimum wage, under a CAO past its end date (nawerking)
    later = item("A1", date(2026, 7, 6), "08:00", "12:00", cao_code="hoveniers")
    _, notes = check([later], lang="en")
    assert "Minimum wage after 30 Jun 2026 not yet known; the amount from 1 Jan 2026 is used." in notes
    assert any(n.startswith("Cao Hoveniers ran until 30 Sep 2024; no newer text found") for n in notes)
    _, notes = check([later])
    assert "Minimumloon na 30 jun 2026 nog niet bekend; het bedrag per 1 jan 2026 is gebruikt." in notes
    assert catalogue().get("hoveniers", date(2026, 7, 6)).nawerking_note(date(2026, 7, 6)) in notes


def test_empty_schedule_has_nothing_to_report():
    assert check([]) == ([], [])


def test_clean_schedule_has_no_violations():
    items = [item(f"D{n}", day(n), "08:00", "16:30", brk=30) for n in range(5)]
    assert rules(items) == []


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        WorkItem("A", "e", "E", None, datetime(2026, 1, 5, 8), datetime(2026, 1, 5, 16), 0, None, None, None)


def test_an_item_in_the_hour_the_clocks_go_back_is_judged_in_real_time():
    # 02:30 summer time to 02:15 winter time: 45 minutes, though the wall clock reads earlier
    start = datetime(2026, 10, 25, 2, 30, tzinfo=AMS)
    end = datetime(2026, 10, 25, 2, 15, fold=1, tzinfo=AMS)
    night = WorkItem("A", "e", "E", None, start, end, 0, None, None, None)
    assert night.work_hours * 60 == 45 and check([night])[0] == []
    with pytest.raises(ValueError):
        WorkItem("B", "e", "E", None, end, start, 0, None, None, None)


# -- the rolling daily-rest rule against a brute-force minute count ----------------------------
def brute_force_short_rest(items) -> bool:
    """Some 24 h from an item's start holds no 11 h free run (15-minute grid, free after data)."""
    step = timedelta(minutes=15)
    for first in items:
        run = best = 0
        t = first.start
        while t < first.start + timedelta(hours=24):
            busy = any(i.start <= t < i.end for i in items)
            run = 0 if busy else run + 1
            best = max(best, run)
            t += step
        if best < 44:
            return True
    return False


@given(st.lists(st.tuples(st.integers(0, 2 * 96), st.integers(1, 40)), min_size=1, max_size=5))
@settings(max_examples=60, deadline=None)
def test_daily_rest_agrees_with_brute_force(slots):
    base = at(day(0), "00:00")
    items = [
        replace(item(f"I{n}", day(0), "00:00", "01:00"), start=base + start * timedelta(minutes=15),
                end=base + (start + length) * timedelta(minutes=15))
        for n, (start, length) in enumerate(slots)
    ]
    assert ("ATW-daily-rest" in rules(items)) == brute_force_short_rest(items)


# -- rules added from nl-facts §2: series with a night shift, 40 h average, Sundays, youth rest --
def test_at_most_seven_shifts_in_a_row_when_one_is_a_night_shift():
    days = [item(f"D{n}", day(n), "14:00", "22:00", brk=30) for n in range(6)]   # 16 h apart
    night = item("N6", day(6), "20:00", "04:00", brk=30)                  # Sunday night: 7 in a row
    assert "ATW-night-series" not in rules(days + [night])
    eighth = item("D8", day(8), "08:00", "16:00", brk=30)                 # 28 h after the night: a day off
    assert "ATW-night-series" not in rules(days + [night, eighth])
    seventh = item("D7", day(7), "12:00", "20:00", brk=30)                # 8 h after the night: 8 in a row
    (violation,) = found(days + [night, seventh], "ATW-night-series")
    assert "8 diensten" in violation.message and violation.assignment_ids[0] == "D0"
    assert "ATW-night-series" not in rules([item(f"D{n}", day(n), "08:00", "16:00", brk=30) for n in range(8)])


def test_a_break_after_midnight_is_not_night_work():
    """21:30-01:15: 1 h 15 min after midnight, but with a 45 min break (spread over the shift) only
    1 h of it is work, so it is no night shift, and eight shifts in a row are allowed."""
    days = [item(f"D{n}", day(n), "14:00", "22:00", brk=30) for n in range(7)]
    late = item("L7", day(7), "21:30", "01:15", brk=45)
    assert "ATW-night-series" not in rules(days + [late])
    (violation,) = found(days + [replace(late, break_minutes=15)], "ATW-night-series")   # 70 min work
    assert "8 diensten" in violation.message


def test_sixteen_night_shifts_in_sixteen_weeks_cap_the_average_at_40_hours():
    def weeks(day_shift_end):
        out = []
        for w in range(16):   # a night on Monday and four day shifts Wednesday to Saturday
            out.append(item(f"N{w}", day(7 * w), "22:00", "06:00", brk=30))
            out += [item(f"D{w}.{d}", day(7 * w + d), "08:00", day_shift_end, brk=30) for d in range(2, 6)]
        return out
    assert "ATW-night-avg-40" not in rules(weeks("16:30"))     # 7.5 + 4 × 8 = 39.5 h a week
    (violation,) = found(weeks("17:30"), "ATW-night-avg-40")   # 7.5 + 4 × 9 = 43.5 h a week
    assert "16 nachtdiensten" in violation.message and "43,5" in violation.message
    fifteen = [i for i in weeks("17:30") if i.id != "N15"]
    assert "ATW-night-avg-40" not in rules(fifteen)


def test_at_least_13_free_sundays_in_52_weeks():
    sundays = [item(f"S{n}", day(6 + 7 * n), "10:00", "16:00", brk=30) for n in range(52)]
    assert "ATW-sundays" not in rules(sundays[:39])
    (violation,) = found(sundays[:40], "ATW-sundays")
    assert "40 zondagen" in violation.message and len(violation.assignment_ids) == 40
    # a night from Saturday into Sunday takes the Sunday too; 39 over 53 weeks is fine
    saturday_night = item("N0", day(5), "22:00", "06:00", brk=30)
    assert "ATW-sundays" in rules([saturday_night] + sundays[1:40])
    spread = sundays[:39] + [item("S99", day(6 + 7 * 52), "10:00", "16:00", brk=30)]
    assert "ATW-sundays" not in rules(spread)


def test_sixteen_year_olds_need_36_hours_weekly_rest_every_week():
    eight_then_free = [item(f"D{n}", day(n), "08:00", "14:00", brk=30) for n in range(8)]
    assert "ATW-weekly-rest" not in rules(eight_then_free)                 # an adult: 72 h in 14×24 h
    assert "ATW-weekly-rest" in rules(eight_then_free, birth=date(2009, 6, 1))
    six_on = [item(f"D{n}", day(n), "08:00", "14:00", brk=30) for n in range(6)]
    assert "ATW-weekly-rest" not in rules(six_on, birth=date(2009, 6, 1))


def test_the_dutch_night_length_message_reads_as_a_sentence():
    """It ended "… en 22 keer per 52 weken 12 uur", the 12 h limit trailing after the counts."""
    from contracts.compliance_text import say
    text = say("nl", "ATW-night-length", hours="12,5", span="za 22:00–zo 11:00", where="bij Bakker")
    assert text.endswith("maximaal 10 uur, tot 12 uur hooguit 5 keer per 14×24 uur en 22 keer per 52 weken")


NAMED = [  # (second shift, rule, Dutch message, English message); the first is A7 at the baker's, 08:00-16:00
    (("15:00", "20:30"), "OVERLAP",
     "Dubbel ingepland: ma 5 jan 08:00–16:00 bij Bakker overlapt met ma 5 jan 15:00–20:30 bij Hovenier",
     "Double-booked: Mon 5 Jan 08:00–16:00 at Bakker overlaps Mon 5 Jan 15:00–20:30 at Hovenier"),
    (("16:30", "21:00"), "ATW-shift-length",
     "Dienstduur: 12,5 uur werk in dienst ma 5 jan 08:00–21:00 bij Bakker en Hovenier; maximaal 12 uur",
     "Shift length: 12.5 h of work in duty Mon 5 Jan 08:00–21:00 at Bakker and Hovenier; at most 12 h"),
]


@pytest.mark.parametrize("second, rule, dutch, english", NAMED)
def test_messages_name_the_shifts_day_time_and_employer_not_their_ids(second, rule, dutch, english):
    """A person knows a shift by its day, time and employer; the ids stay in assignment_ids."""
    both = [item("A7", day(0), "08:00", "16:00", employer="bakker"),
            item("S40", day(0), *second, employer="hovenier")]
    (nl,) = found(both, rule)
    (en,) = found(both, rule, lang="en")
    assert (nl.message, en.message) == (dutch, english)
    assert nl.assignment_ids == en.assignment_ids == ("A7", "S40")


@given(st.lists(st.tuples(st.integers(0, 14 * 24), st.integers(2, 15), st.sampled_from(["bakker", "hovenier"]),
                          st.integers(0, 60)), min_size=1, max_size=8),
       st.sampled_from([ADULT, date(2009, 3, 1), date(2010, 6, 1)]))
@settings(max_examples=80, deadline=None)
def test_an_english_message_reads_in_dutch_as_the_dutch_check_writes_it(slots, birth):
    """Plans keep the compliance screen's English (the API's); a Dutch page shows it as lang="nl" says it."""
    from contracts.compliance_text import to_dutch
    base = at(day(0), "00:00")
    items = [replace(item(f"I{n}", day(0), "00:00", "01:00", brk=brk, employer=employer,
                          hourly_wage=Decimal("11.50"), contract_kind="on_call", paid_hours=Decimal("2.5")),
                     start=base + timedelta(hours=start), end=base + timedelta(hours=start + length))
             for n, (start, length, employer, brk) in enumerate(slots)]
    dutch, english = check(items, birth)[0], check(items, birth, lang="en")[0]
    assert [to_dutch(v.message) for v in english] == [v.message for v in dutch]


def test_notes_about_some_items_leave_out_those_that_speak_only_of_others():
    """check_schedule(about=...): the notes that speak of one of these items, or of the whole schedule.
    The rest rule's note speaks of the items of its violations; an average's of the items it counted."""
    items = [item("A", day(0), "22:00", "06:00"), item("B", day(1), "10:00", "14:00"),
             item("C", day(3), "09:00", "13:00")]
    _, everything = check_schedule(ADULT, items, lang="en")
    rest = [n for n in everything if n.startswith("Daily rest: the law allows 8 h")]
    assert len(rest) == 1
    _, of_b = check_schedule(ADULT, items, lang="en", about={"B"})
    _, of_c = check_schedule(ADULT, items, lang="en", about={"C"})
    assert rest[0] in of_b and rest[0] not in of_c
    assert [n for n in of_c if "the data cover only 1 week" in n] == [n for n in everything if "cover only 1 week" in n]
    assert check_schedule(ADULT, items, lang="en", about=set())[1] == ["Bakker: no CAO given"]   # of them all
