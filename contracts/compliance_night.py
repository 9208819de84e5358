"""Night-work rules of the Working Hours Act for adults (nl-facts §2, "Night work").

A night shift is a duty with more than 1 h of work between 00:00 and 06:00 local time (breaks
are not work).
Not applied: the once-a-week 8 h rest after a night shift (only when the nature of the work
requires it, which a schedule cannot show).
"""

from __future__ import annotations

from datetime import time, timedelta
from functools import lru_cache
from fractions import Fraction

from contracts.compliance_atw import ADULT, V, label, span, where
from contracts.compliance_model import AMS, ComplianceViolation, Duty, Schedule, build_duties
from contracts.compliance_text import say
from contracts.compliance_time import clock_window_seconds, hours_text

NIGHT_SECONDS = 3600  # more than this between 00:00 and 06:00 makes a night shift
SERIES_GAP = timedelta(hours=24)  # night shifts this close follow each other in a series
SIXTEEN_WEEKS = timedelta(weeks=16)


def is_night(duty: Duty) -> bool:
    """More than 1 h of work between 00:00 and 06:00: the break is not work, and is spread
    over the item as everywhere in these rules (WorkItem.work_hours_between)."""
    return sum((_night_work_seconds(i) for i in duty.items), Fraction(0)) > NIGHT_SECONDS


@lru_cache(maxsize=4096)   # an item's night work is read by every night rule, and again for each shift judged
def _night_work_seconds(item) -> Fraction:
    if item.elapsed_seconds <= 0:
        return Fraction(0)
    return clock_window_seconds(item, 0, 6) * item.work_hours * 3600 / item.elapsed_seconds


def adult_night(s: Schedule, duty: Duty) -> bool:
    return ADULT[0] <= s.age(duty.items[0]) and is_night(duty)


NIGHT_HOURS, LONG_NIGHT_HOURS = 10, 12   # work per night shift: 10 h, or up to 12 h ...
LONG_NIGHTS_PER_14_DAYS, LONG_NIGHTS_PER_52_WEEKS = 5, 22  # ... this often [15] ...
LONG_NIGHT_REST = timedelta(hours=12)   # ... each followed by 12 h rest


def night_length(s: Schedule) -> list[ComplianceViolation]:
    """ATW-night-length: at most 10 h of work in a night shift; up to 12 h at most 5 times per
    14×24 h and 22 times per 52 weeks, each such night followed by at least 12 h rest [15]."""
    duties, found, long_starts = build_duties(s.items), [], []
    for n, d in enumerate(duties):
        if not adult_night(s, d) or d.work_hours <= NIGHT_HOURS:
            continue
        long_starts.append(d.start)
        following = duties[n + 1] if n + 1 < len(duties) else None
        in_14_days = sum(1 for t in long_starts if t > d.start - timedelta(days=14))
        in_52_weeks = sum(1 for t in long_starts if t > d.start - timedelta(weeks=52))
        values = dict(hours=hours_text(d.work_hours, round_up=True, lang=s.lang), span=span(d, s.lang),
                      where=where(d.items, s.lang))
        ids = list(d.ids)
        if d.work_hours > LONG_NIGHT_HOURS:
            text = say(s.lang, "ATW-night-length", **values)
        elif in_14_days > LONG_NIGHTS_PER_14_DAYS:
            text = say(s.lang, "night-long-14-days", n=in_14_days, **values)
        elif in_52_weeks > LONG_NIGHTS_PER_52_WEEKS:
            text = say(s.lang, "night-long-52-weeks", n=in_52_weeks, **values)
        elif following is not None and rest_hours(d, following) < LONG_NIGHT_REST:
            first = following.items[0]
            text = say(s.lang, "night-long-rest", rest=hours_text(rest_hours(d, following), round_down=True,
                                                                  lang=s.lang),
                       b=label(first, s.lang), **values)
            ids.append(first.id)
        else:
            continue
        found.append(V("ATW-night-length", text, ids))
    return found


def rest_hours(a: Duty, b: Duty) -> timedelta:
    return b.start - a.end


def rest_after_night(s: Schedule) -> list[ComplianceViolation]:
    """ATW-night-rest: 14 h rest after a night shift that ends after 02:00, 11 h after one that
    ends by 02:00."""
    duties, found, reducible = build_duties(s.items), [], []
    for a, b in zip(duties, duties[1:]):
        ends_late = a.end.astimezone(AMS).time() > time(2, 0)
        if adult_night(s, a) and rest_hours(a, b) < timedelta(hours=14 if ends_late else 11):
            last, first = a.items[-1], b.items[0]
            text = say(s.lang, "night-rest-14" if ends_late else "night-rest-11",
                       hours=hours_text(rest_hours(a, b), round_down=True, lang=s.lang),
                       a=label(last, s.lang), b=label(first, s.lang))
            found.append(V("ATW-night-rest", text, [last.id, first.id]))
            if ends_late:
                reducible += [last.id, first.id]
    if reducible:
        s.note(say(s.lang, "note-night-rest-reduction"), reducible)
    return found


def night_series(s: Schedule, duties: list[Duty]) -> list[tuple[list[Duty], Duty | None]]:
    """Runs of night shifts less than 24 h apart, each with the duty that follows the run."""
    runs: list[tuple[list[Duty], Duty | None]] = []
    run: list[Duty] = []
    for duty in duties + [None]:
        linked = duty is not None and run and adult_night(s, duty) and rest_hours(run[-1], duty) < SERIES_GAP
        if linked:
            run.append(duty)
            continue
        if run:
            runs.append((run, duty))
        run = [duty] if duty is not None and adult_night(s, duty) else []
    return runs


def rest_after_night_series(s: Schedule) -> list[ComplianceViolation]:
    """ATW-night-rest: 46 h rest after a series of 3 or more night shifts."""
    found = []
    for run, following in night_series(s, build_duties(s.items)):
        if len(run) < 3 or following is None or rest_hours(run[-1], following) >= timedelta(hours=46):
            continue
        ids = [i for d in run for i in d.ids]
        text = say(s.lang, "night-rest-46", hours=hours_text(rest_hours(run[-1], following), round_down=True,
                                                             lang=s.lang),
                   n=len(run), a=label(run[0].items[0], s.lang), b=label(following.items[0], s.lang))
        found.append(V("ATW-night-rest", text, ids + [following.items[0].id]))
    return found


def night_count(s: Schedule) -> list[ComplianceViolation]:
    """ATW-night-count: at most 36 night shifts in any 16 weeks."""
    nights = [d for d in s.duties_aged(*ADULT) if is_night(d)]
    found, skip_until = [], None
    for n, first in enumerate(nights):
        if skip_until is not None and first.start < skip_until:
            continue
        window = [d for d in nights[n:] if d.start < first.start + SIXTEEN_WEEKS]
        if len(window) > 36:
            text = say(s.lang, "ATW-night-count", n=len(window), a=label(first.items[0], s.lang))
            found.append(V("ATW-night-count", text, [i for d in window for i in d.ids]))
            skip_until = first.start + SIXTEEN_WEEKS
    return found


MAX_SERIES = 7     # shifts in a row when one of them is a night shift (8 by collective agreement)


def shift_series(duties: list[Duty]) -> list[list[Duty]]:
    """Runs of duties each starting less than 24 h after the previous one ends (no day off)."""
    runs: list[list[Duty]] = []
    for duty in duties:
        if runs and rest_hours(runs[-1][-1], duty) < SERIES_GAP:
            runs[-1].append(duty)
        else:
            runs.append([duty])
    return runs


def night_series_length(s: Schedule) -> list[ComplianceViolation]:
    """ATW-night-series: at most 7 shifts in a row when one of them is a night shift."""
    found = []
    for run in shift_series(build_duties(s.items)):
        if len(run) > MAX_SERIES and any(adult_night(s, d) for d in run):
            ids = [i for d in run for i in d.ids]
            text = say(s.lang, "ATW-night-series", n=len(run), a=label(run[0].items[0], s.lang))
            found.append(V("ATW-night-series", text, ids))
    if found:
        s.note(say(s.lang, "note-night-series"), [i for v in found for i in v.assignment_ids])
    return found


def night_average_40(s: Schedule) -> list[ComplianceViolation]:
    """ATW-night-avg-40: with 16 or more night shifts in 16 weeks, at most 40 h of work a week
    on average over those 16 weeks (each window starting at a night shift)."""
    duties = build_duties(s.items)
    nights = [d for d in duties if adult_night(s, d)]
    found, skip_until = [], None
    for n, first in enumerate(nights):
        if skip_until is not None and first.start < skip_until:
            continue
        end = first.start + SIXTEEN_WEEKS
        count = sum(1 for d in nights[n:] if d.start < end)
        if count < 16:
            continue
        hours = sum((i.work_hours_between(first.start, end) for i in s.items), Fraction(0))
        if hours > 40 * 16:
            window = [i.id for i in s.items if first.start <= i.utc_start < end]
            text = say(s.lang, "ATW-night-avg-40", nights=count, a=label(first.items[0], s.lang),
                       avg=hours_text(hours / 16, round_up=True, lang=s.lang))
            found.append(V("ATW-night-avg-40", text, window))
            skip_until = end
    return found


NIGHT_RULES = (night_length, rest_after_night, rest_after_night_series, night_count,
               night_series_length, night_average_40)
