"""Night-work rules of the Working Hours Act for adults (nl-facts §2, "Night work").

A night shift is a duty with more than 1 h of work between 00:00 and 06:00 local time.
Not applied: the 12 h night shift allowed 5× per 2 weeks, the once-a-week 8 h rest after a
night shift, and the 40 h/week average with 16+ night shifts per 16 weeks.
"""

from __future__ import annotations

from datetime import time, timedelta

from contracts.compliance_atw import ADULT, V, ids_text, span
from contracts.compliance_model import AMS, ComplianceViolation, Duty, Schedule, build_duties
from contracts.compliance_text import say
from contracts.compliance_time import clock, clock_window_seconds, day_clock, hours_text

NIGHT_SECONDS = 3600  # more than this between 00:00 and 06:00 makes a night shift
SERIES_GAP = timedelta(hours=24)  # night shifts this close follow each other in a series
SIXTEEN_WEEKS = timedelta(weeks=16)


def is_night(duty: Duty) -> bool:
    return sum(clock_window_seconds(i, 0, 6) for i in duty.items) > NIGHT_SECONDS


def adult_night(s: Schedule, duty: Duty) -> bool:
    return ADULT[0] <= s.age(duty.items[0]) and is_night(duty)


def night_length(s: Schedule) -> list[ComplianceViolation]:
    """ATW-night-length: at most 10 h of work in a night shift."""
    return [
        V("ATW-night-length", say(s.lang, "ATW-night-length", hours=hours_text(d.work_hours),
                                  span=span(d), ids=ids_text(d.ids)), d.ids)
        for d in s.duties_aged(*ADULT)
        if is_night(d) and d.work_hours > 10
    ]


def rest_hours(a: Duty, b: Duty) -> timedelta:
    return b.start - a.end


def rest_after_night(s: Schedule) -> list[ComplianceViolation]:
    """ATW-night-rest: 14 h rest after a night shift that ends after 02:00."""
    duties, found = build_duties(s.items), []
    for a, b in zip(duties, duties[1:]):
        ends_late = a.end.astimezone(AMS).time() > time(2, 0)
        if adult_night(s, a) and ends_late and rest_hours(a, b) < timedelta(hours=14):
            last, first = a.items[-1], b.items[0]
            text = say(s.lang, "night-rest-14", hours=hours_text(rest_hours(a, b)), a=last.id,
                       a_end=clock(a.end), b=first.id, b_start=clock(b.start))
            found.append(V("ATW-night-rest", text, [last.id, first.id]))
    if found:
        s.note(say(s.lang, "note-night-rest-reduction"))
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
        text = say(s.lang, "night-rest-46", hours=hours_text(rest_hours(run[-1], following)), n=len(run),
                   ids=ids_text(ids), b=following.items[0].id, b_start=day_clock(following.start))
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
            text = say(s.lang, "ATW-night-count", n=len(window), a=first.items[0].id,
                       a_start=day_clock(first.start))
            found.append(V("ATW-night-count", text, [i for d in window for i in d.ids]))
            skip_until = first.start + SIXTEEN_WEEKS
    return found


NIGHT_RULES = (night_length, rest_after_night, rest_after_night_series, night_count)
