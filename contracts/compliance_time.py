"""Time helpers for the compliance rules: local clock windows, ISO weeks and rest periods.

Local rules (weeks from Monday 00:00, night 00:00–06:00) use Europe/Amsterdam wall time;
durations are real elapsed time, so they stay right across the DST change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction

from contracts.compliance_model import AMS, WorkItem
from contracts.compliance_text import say
from contracts.formats import moment as moment_text, number


def local_at(day: date, hour: int) -> datetime:
    """The UTC instant of `hour`:00 local time on `day` (hour 24 means next day 00:00)."""
    if hour == 24:
        day, hour = day + timedelta(days=1), 0
    return datetime.combine(day, time(hour), tzinfo=AMS).astimezone(timezone.utc)


def week_monday(moment: datetime) -> date:
    local = moment.astimezone(AMS).date()
    return local - timedelta(days=local.weekday())


def week_label(monday: date, lang: str = "nl") -> str:
    """ "week 13 van 2026" (ISO week and year)."""
    year, week, _ = monday.isocalendar()
    return say(lang, "week", week=week, year=year)


def overlap_seconds(item: WorkItem, lo: datetime, hi: datetime) -> int:
    a, b = max(item.utc_start, lo), min(item.utc_end, hi)
    return max(int((b - a).total_seconds()), 0)


def clock_window_seconds(item: WorkItem, from_hour: int, to_hour: int) -> int:
    """Elapsed seconds of the item inside the daily local window [from_hour, to_hour).

    A window with to_hour <= from_hour runs past midnight (23 → 6 means 23:00–06:00).
    """
    first = item.local_start.date() - timedelta(days=1)
    total, day = 0, first
    while day <= item.local_end.date():
        end_day = day if to_hour > from_hour else day + timedelta(days=1)
        total += overlap_seconds(item, local_at(day, from_hour), local_at(end_day, to_hour))
        day += timedelta(days=1)
    return total


def hours_between(items, lo: datetime, hi: datetime) -> Fraction:
    return sum((i.work_hours_between(lo, hi) for i in items), Fraction(0))


def weekly_hours(items) -> dict[date, Fraction]:
    """Work hours per ISO week (Monday date), items split at local Monday 00:00."""
    weeks: dict[date, Fraction] = {}
    for item in items:
        monday = week_monday(item.utc_start)
        while local_at(monday, 0) < item.utc_end:
            lo, hi = local_at(monday, 0), local_at(monday + timedelta(days=7), 0)
            hours = item.work_hours_between(lo, hi)
            if hours:
                weeks[monday] = weeks.get(monday, Fraction(0)) + hours
            monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Rest:
    """Time off between `before` ending and `after` starting (after None: end of the data)."""

    before: WorkItem
    after: WorkItem | None
    start: datetime
    end: datetime | None

    def within(self, lo: datetime, hi: datetime) -> timedelta:
        """The part of this rest inside [lo, hi); after the last item the worker is free."""
        end = hi if self.end is None else min(self.end, hi)
        return max(end - max(self.start, lo), timedelta(0))


def rests(items: list[WorkItem]) -> list[Rest]:
    """Every gap between busy periods of the sorted items, overlapping items merged."""
    found: list[Rest] = []
    last: WorkItem | None = None
    for item in items:
        if last is not None and item.utc_start > last.utc_end:
            found.append(Rest(last, item, last.utc_end, item.utc_start))
        if last is None or item.utc_end > last.utc_end:
            last = item
    if last is not None:
        found.append(Rest(last, None, last.utc_end, None))
    return found


def longest_rest(all_rests: list[Rest], lo: datetime, hi: datetime) -> tuple[timedelta, Rest | None]:
    best, which = timedelta(0), None
    for rest in all_rests:
        if rest.start >= hi or (rest.end is not None and rest.end <= lo):
            continue
        length = rest.within(lo, hi)
        if length > best:
            best, which = length, rest
    return best, which


def hours_text(hours: Fraction | float | timedelta, *, round_up: bool = False, round_down: bool = False,
               lang: str = "nl") -> str:
    """Hours with one decimal in the language's format; an excess rounds up and a shortfall down, so
    that the text never reads as the limit itself (12 h 1 min of work is "12,1", 10 h 59 min of rest
    "10,9"; English "12.1", "10.9")."""
    if isinstance(hours, timedelta):
        hours = Fraction(int(hours.total_seconds()), 3600)
    tenths = Fraction(hours) * 10
    if round_up or round_down:
        tenths = Fraction(math.ceil(tenths) if round_up else math.floor(tenths))
    return number(tenths / 10, lang, places=1)


def clock(moment: datetime) -> str:
    return moment.astimezone(AMS).strftime("%H:%M")


def day_clock(moment: datetime, lang: str = "nl") -> str:
    """ "ma 23 mrt 07:00" (Amsterdam time; English "Mon 23 Mar 07:00")."""
    return moment_text(moment, lang)
