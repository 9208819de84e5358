"""Working Hours Act rules for young workers (nl-facts §2, "Youth").

The age is taken on the local date an item starts. 16–17: 9 h per shift, 45 h per week,
160 h per 4 weeks, no work 23:00–06:00, 12 h daily rest. 15: at most 2 h on a school day and
12 h in a school week, work between 07:00 and 19:00; on a day in a school holiday (and at a
weekend of a week without school) 8 h per day, 40 h per week and until 21:00. A school day is a
weekday outside the worker's school holidays (`Schedule.school_holidays`) that is not a public
holiday; a school week is an ISO week with a school day. Without registered school holidays every
such weekday is a school day (a note says so). Under 15: no work.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from contracts.cao.feestdagen import holidays_in_year
from contracts.compliance_atw import (
    V,
    day_text,
    label,
    partial_window_note,
    rolling_weeks,
    short_rests,
    span,
    week_limit,
    where,
)
from contracts.compliance_model import ComplianceViolation, Schedule, WorkItem
from contracts.compliance_text import say
from contracts.compliance_time import (
    clock_window_seconds,
    hours_text,
    local_at,
    overlap_seconds,
    week_label,
    weekly_hours,
)

YOUTH = (16, 17)


def youth_shift_9h(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH-shift-9h: at most 9 h of work per duty at 16–17."""
    return [
        V("YOUTH-shift-9h", say(s.lang, "YOUTH-shift-9h", age=s.age(d.items[0]),
                                hours=hours_text(d.work_hours, round_up=True, lang=s.lang), span=span(d, s.lang),
                                where=where(d.items, s.lang)), d.ids)
        for d in s.duties_aged(*YOUTH)
        if d.work_hours > 9
    ]


def youth_week_45h(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH-week-45h: at most 45 h per ISO week at 16–17, all employers together."""
    return week_limit(s, s.items_aged(*YOUTH), "YOUTH-week-45h", 45)


def youth_4wk_160h(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH-4wk-160h: at most 160 h in any 4 consecutive weeks at 16–17."""
    items = s.items_aged(*YOUTH)
    weeks = weekly_hours(items)
    partial_window_note(s, items, weeks, 4, "YOUTH-4wk-160h")
    found = []
    for first, last, total in rolling_weeks(weeks, 4, 160):
        ids = [i.id for i in items if first <= i.local_start.date() < last + timedelta(weeks=1)]
        text = say(s.lang, "YOUTH-4wk-160h", hours=hours_text(total, round_up=True, lang=s.lang),
                   first=week_label(first, s.lang), last=week_label(last, s.lang))
        found.append(V("YOUTH-4wk-160h", text, ids))
    return found


def youth_night(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH-night: no work between 23:00 and 06:00 at 16–17."""
    return [
        V("YOUTH-night", say(s.lang, "YOUTH-night", age=s.age(i), a=label(i, s.lang)), [i.id])
        for i in s.items_aged(*YOUTH)
        if clock_window_seconds(i, 23, 6) > 0
    ]


def youth_rest_12h(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH-rest-12h: 12 h unbroken rest in every 24 h at 16–17."""
    return short_rests(s, s.items_aged(*YOUTH), 12, "YOUTH-rest-12h")


# -- age 15: school days and school holidays -------------------------------------------------
def hours_per_local_day(items: list[WorkItem]) -> dict[date, tuple[Fraction, list[WorkItem]]]:
    days: dict[date, tuple[Fraction, list[WorkItem]]] = {}
    for item in items:
        day = item.local_start.date()
        while local_at(day, 0) < item.utc_end:
            hours = item.work_hours_between(local_at(day, 0), local_at(day, 24))
            if hours:
                total, worked = days.get(day, (Fraction(0), []))
                days[day] = (total + hours, worked + [item])
            day += timedelta(days=1)
    return days


def in_school_holiday(day: date, holidays: tuple[tuple[date, date], ...]) -> bool:
    return any(first <= day <= last for first, last in holidays)


def school_day(day: date, holidays: tuple[tuple[date, date], ...]) -> bool:
    """Monday to Friday, outside the worker's school holidays and not a public holiday."""
    return day.weekday() < 5 and not in_school_holiday(day, holidays) and day not in holidays_in_year(day.year)


def school_week(monday: date, holidays: tuple[tuple[date, date], ...]) -> bool:
    """An ISO week with at least one school day."""
    return any(school_day(monday + timedelta(days=n), holidays) for n in range(5))


def evening_limit(day: date, holidays: tuple[tuple[date, date], ...]) -> int:
    """The hour work must end by at 15: 21:00 on a day in a school holiday or in a week without
    school, else 19:00 (a Saturday of a school week too)."""
    monday = day - timedelta(days=day.weekday())
    return 21 if in_school_holiday(day, holidays) or not school_week(monday, holidays) else 19


def age15_day_8h(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH15-schoolday-2h / YOUTH15-day-8h: at 15 at most 2 h on a school day, 8 h on another day."""
    items = s.items_aged(15, 15)
    if items and not s.school_holidays:
        s.note(say(s.lang, "note-age-15-no-holidays"), [i.id for i in items])
    found = []
    for day, (hours, worked) in sorted(hours_per_local_day(items).items()):
        rule, limit = ("YOUTH15-schoolday-2h", 2) if school_day(day, s.school_holidays) else ("YOUTH15-day-8h", 8)
        if hours > limit:
            found.append(V(rule, say(s.lang, rule, hours=hours_text(hours, round_up=True, lang=s.lang),
                                     day=day_text(day, s.lang), where=where(worked, s.lang)),
                           [i.id for i in worked]))
    return found


def age15_week_40h(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH15-schoolweek-12h / YOUTH15-week-40h: at 15 at most 12 h in a school week, 40 h in
    another week."""
    items, holidays = s.items_aged(15, 15), s.school_holidays
    return (week_limit(s, items, "YOUTH15-schoolweek-12h", 12, when=lambda monday: school_week(monday, holidays))
            + week_limit(s, items, "YOUTH15-week-40h", 40, when=lambda monday: not school_week(monday, holidays)))


def outside_hours(s: Schedule, item: WorkItem) -> int | None:
    """The evening limit (19 or 21) of the first day the item works before 07:00 or after it, or None."""
    day = item.local_start.date()
    while local_at(day, 0) < item.utc_end:
        until = evening_limit(day, s.school_holidays)
        if overlap_seconds(item, local_at(day, 0), local_at(day, 7)) \
                or overlap_seconds(item, local_at(day, until), local_at(day, 24)):
            return until
        day += timedelta(days=1)
    return None


def age15_hours(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH15-hours: at 15 only between 07:00 and 19:00, or 21:00 on a day in a school holiday
    (evening_limit)."""
    found = []
    for i in s.items_aged(15, 15):
        until = outside_hours(s, i)
        if until is not None:
            text = "YOUTH15-hours" if until == 21 else "YOUTH15-hours-school"
            found.append(V("YOUTH15-hours", say(s.lang, text, a=label(i, s.lang)), [i.id]))
    return found


def under_15(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH-under-15: no work at all under 15."""
    return [
        V("YOUTH-under-15", say(s.lang, "YOUTH-under-15", age=s.age(i), a=label(i, s.lang)), [i.id])
        for i in s.items_aged(0, 14)
    ]


YOUTH_RULES = (
    youth_shift_9h, youth_week_45h, youth_4wk_160h, youth_night, youth_rest_12h,
    age15_day_8h, age15_week_40h, age15_hours, under_15,
)
