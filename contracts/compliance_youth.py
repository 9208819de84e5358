"""Working Hours Act rules for young workers (nl-facts §2, "Youth").

The age is taken on the local date an item starts. 16–17: 9 h per shift, 45 h per week,
160 h per 4 weeks, no work 23:00–06:00, 12 h daily rest. 15: the holiday limits (8 h per day,
40 h per week, 07:00–21:00) — school weeks need the school calendar. Under 15: no work.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

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
from contracts.compliance_time import clock_window_seconds, hours_text, local_at, week_label, weekly_hours

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
    partial_window_note(s, weeks, 4, "YOUTH-4wk-160h")
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


# -- age 15 (holiday limits) ------------------------------------------------------------------
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


def age15_day_8h(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH15-day-8h: at 15 at most 8 h per day (holiday limit)."""
    items = s.items_aged(15, 15)
    if items:
        s.note(say(s.lang, "note-age-15"))
    return [
        V("YOUTH15-day-8h", say(s.lang, "YOUTH15-day-8h", hours=hours_text(hours, round_up=True, lang=s.lang),
                                day=day_text(day, s.lang), where=where(worked, s.lang)), [i.id for i in worked])
        for day, (hours, worked) in sorted(hours_per_local_day(items).items())
        if hours > 8
    ]


def age15_week_40h(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH15-week-40h: at 15 at most 40 h per week (holiday limit)."""
    return week_limit(s, s.items_aged(15, 15), "YOUTH15-week-40h", 40)


def age15_hours(s: Schedule) -> list[ComplianceViolation]:
    """YOUTH15-hours: at 15 only between 07:00 and 21:00 (holiday limit)."""
    return [
        V("YOUTH15-hours", say(s.lang, "YOUTH15-hours", a=label(i, s.lang)), [i.id])
        for i in s.items_aged(15, 15)
        if clock_window_seconds(i, 21, 7) > 0
    ]


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
