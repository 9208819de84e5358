"""The per-worker Working Hours Act and placement rules, one small function per rule.

Each rule takes a `WorkerPlan` (one worker, that worker's shifts sorted by start, and the
parsed instance) and returns a list of `Violation`s whose message a planner can read.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from itertools import accumulate, islice

from contracts.worktime_index import InstanceIndex, Shift, Worker, haversine_km, hours_text

TOLERANCE = timedelta(seconds=1)  # float travel times and rounding in input files


@dataclass(frozen=True)
class Violation:
    rule: str  # stable code, e.g. "W12"
    name: str  # short rule name, e.g. "daily-rest"
    message: str  # readable text that starts with the code
    worker: str | None
    shifts: tuple[str, ...]


@dataclass(frozen=True)
class WorkerPlan:
    index: InstanceIndex
    worker: Worker
    shifts: tuple[Shift, ...]  # sorted by start

    @cached_property
    def reach(self) -> list[datetime]:
        """Running maximum of shift ends: shifts before index bisect_right(reach, t) end by t."""
        return list(accumulate((s.end for s in self.shifts), max))

    def longest_rest(self, start: datetime, end: datetime):
        """Longest stretch without work inside [start, end] as (length, shift before, shift after).

        None for before/after means the window's edge.
        """
        cursor, last, best = start, None, (timedelta(-1), None, None)
        for shift in islice(self.shifts, bisect_right(self.reach, start), None):
            if shift.start >= end:
                break
            if shift.start - cursor > best[0]:
                best = (shift.start - cursor, last, shift)
            if shift.end > cursor:
                cursor, last = shift.end, shift
        if end - cursor > best[0]:
            best = (end - cursor, last, None)
        return best


def _violation(code: str, message: str, worker: str | None, shifts) -> Violation:
    return Violation(code, RULE_NAMES[code], f"{code}: {message}", worker, tuple(shifts))


def _span(index: InstanceIndex, shift: Shift) -> str:
    return f"{shift.id} ({index.day_clock(shift.start)}–{index.clock(shift.end)})"


# -- rules about one shift ---------------------------------------------------------------
def skills(plan: WorkerPlan) -> list[Violation]:
    """W03: the worker has every skill the shift lists."""
    found = []
    for shift in plan.shifts:
        missing = shift.skills - plan.worker.skills
        if missing:
            text = f"{plan.worker.id} lacks skill {', '.join(sorted(missing))} for {shift.id}"
            found.append(_violation("W03", text, plan.worker.id, [shift.id]))
    return found


def allowed_employer(plan: WorkerPlan) -> list[Violation]:
    """W04: the shift's employer is one the worker may be placed with."""
    allowed = plan.worker.employers
    if allowed is None:
        return []
    return [
        _violation("W04", f"{plan.worker.id} may not work for {s.employer} ({s.id})", plan.worker.id, [s.id])
        for s in plan.shifts
        if s.employer not in allowed
    ]


def travel_distance(plan: WorkerPlan) -> list[Violation]:
    """W05: straight-line distance home → employer within the worker's max_travel_km."""
    worker, found = plan.worker, []
    if worker.home is None or worker.max_travel_km is None:
        return found
    for shift in plan.shifts:
        location = plan.index.employer_locations.get(shift.employer)
        if location is None:
            continue
        km = haversine_km(worker.home, location)
        if km > worker.max_travel_km + 1e-9:
            text = (f"{shift.id} at {shift.employer} is {km:.1f} km from {worker.id}'s home "
                    f"(max {worker.max_travel_km:.1f} km)")
            found.append(_violation("W05", text, worker.id, [shift.id]))
    return found


def availability(plan: WorkerPlan) -> list[Violation]:
    """W06: the shift lies entirely inside one available interval (fixed shifts exempt)."""
    worker, fixed = plan.worker, set(plan.worker.fixed)
    return [
        _violation("W06", f"{_span(plan.index, s)} is outside {worker.id}'s availability", worker.id, [s.id])
        for s in plan.shifts
        if s.id not in fixed and not worker.is_available(s.start, s.end)
    ]


def excluded_shift(plan: WorkerPlan) -> list[Violation]:
    """W15: the worker does not get a shift the instance bars them from (`excluded`)."""
    return [
        _violation("W15", f"{_span(plan.index, s)} is barred for {plan.worker.id} (excluded)", plan.worker.id, [s.id])
        for s in plan.shifts if s.id in plan.worker.excluded
    ]


def conflicting_shifts(plan: WorkerPlan) -> list[Violation]:
    """W16: the worker does not get both shifts of a pair in the instance's `conflicts`."""
    held, found = {s.id for s in plan.shifts}, []
    for shift in plan.shifts:
        for other in sorted(plan.index.conflicts.get(shift.id, ())):
            if other in held and shift.id < other:
                text = (f"{plan.worker.id} has both {_span(plan.index, shift)} and "
                        f"{_span(plan.index, plan.index.shifts[other])}, a pair no worker may hold (conflicts)")
                found.append(_violation("W16", text, plan.worker.id, [shift.id, other]))
    return found


def shift_length(plan: WorkerPlan) -> list[Violation]:
    """W11: a shift's length (end − start) is positive and at most max_shift_hours."""
    limit, found = plan.index.rules.max_shift_hours, []
    for shift in plan.shifts:
        if shift.length_hours > limit + 1e-9:
            text = f"{_span(plan.index, shift)} lasts {hours_text(shift.length_hours, round_up=True)} (max {hours_text(limit)})"
        elif shift.length_hours <= 0:
            text = f"{shift.id} ends no later than it starts ({plan.index.day_clock(shift.start)})"
        else:
            continue
        found.append(_violation("W11", text, plan.worker.id, [shift.id]))
    return found


# -- rules about pairs and sequences of shifts -------------------------------------------
def overlap(plan: WorkerPlan) -> list[Violation]:
    """W07: no two shifts of one worker overlap in time."""
    found, latest = [], None  # latest: the shift seen so far that ends last
    for shift in plan.shifts:
        if latest is not None and shift.start < latest.end:
            text = f"{_span(plan.index, latest)} overlaps {_span(plan.index, shift)} for {plan.worker.id}"
            found.append(_violation("W07", text, plan.worker.id, [latest.id, shift.id]))
        if latest is None or shift.end > latest.end:
            latest = shift
    return found


def travel_time(plan: WorkerPlan) -> list[Violation]:
    """W08: between shifts at different employers there is time to travel between them."""
    index, found = plan.index, []
    speed = index.rules.travel_speed_kmh
    for before, after in zip(plan.shifts, plan.shifts[1:]):
        gap = after.start - before.end
        if before.employer == after.employer or gap < timedelta(0):
            continue  # same place, or an overlap (W07 reports it)
        km = index.employer_distance_km(before.employer, after.employer)
        if km is None or speed <= 0:
            continue
        needed = timedelta(hours=km / speed)
        if gap + TOLERANCE < needed:
            text = (f"only {hours_text(gap.total_seconds() / 3600, round_down=True)} between "
                    f"{before.id} (ends {index.clock(before.end)} at {before.employer}) and "
                    f"{after.id} (starts {index.clock(after.start)} at {after.employer}) for "
                    f"{plan.worker.id}; travelling {km:.1f} km takes "
                    f"{hours_text(needed.total_seconds() / 3600)}")
            found.append(_violation("W08", text, plan.worker.id, [before.id, after.id]))
    return found


def _rest_span(index: InstanceIndex, before: Shift | None, after: Shift | None, window) -> str:
    """Text for a rest found by `longest_rest` inside window = (start, end)."""
    if before is None and after is not None:
        return f"from {index.clock(window[0])} until {after.id} (starts {index.clock(after.start)})"
    if after is None:
        left = f"{before.id} (ends {index.clock(before.end)})" if before else index.clock(window[0])
        return f"after {left} until {index.clock(window[1])}"
    return f"between {before.id} (ends {index.clock(before.end)}) and {after.id} (starts {index.clock(after.start)})"


def _in_window(shifts, start: datetime, end: datetime) -> list[str]:
    return [s.id for s in shifts if s.start < end and s.end > start]


def daily_rest(plan: WorkerPlan) -> list[Violation]:
    """W12: in the 24 h from each shift's start, an uninterrupted rest of min_daily_rest_hours."""
    index, found = plan.index, []
    minimum = timedelta(hours=index.rules.min_daily_rest_hours)
    for anchor in plan.shifts:
        window_end = anchor.start + timedelta(hours=24)
        rest, before, after = plan.longest_rest(anchor.start, window_end)
        if rest + TOLERANCE >= minimum:
            continue
        text = (f"only {hours_text(rest.total_seconds() / 3600, round_down=True)} rest for "
                f"{plan.worker.id} in the 24 h from {anchor.id} (starts {index.day_clock(anchor.start)}): "
                f"the longest is {_rest_span(index, before, after, (anchor.start, window_end))}")
        shift_ids = _in_window(plan.shifts, anchor.start, window_end)
        found.append(_violation("W12", text, plan.worker.id, shift_ids))
    return found


def _worked_weeks(plan: WorkerPlan) -> list[tuple[datetime, datetime]]:
    return sorted({week for shift in plan.shifts for week in plan.index.weeks_of(shift)})


def weekly_rest(plan: WorkerPlan) -> list[Violation]:
    """W13: in every ISO week with work, an uninterrupted rest of min_weekly_rest_hours."""
    index, found = plan.index, []
    minimum = timedelta(hours=index.rules.min_weekly_rest_hours)
    for week_start, week_end in _worked_weeks(plan):
        rest, before, after = plan.longest_rest(week_start, week_end)
        if rest + TOLERANCE >= minimum:
            continue
        week_hours = (week_end - week_start).total_seconds() / 3600
        text = (f"only {hours_text(rest.total_seconds() / 3600, round_down=True)} weekly rest for "
                f"{plan.worker.id} in week {index.week_label(week_start)} "
                f"({index.day_clock(week_start)} – {index.day_clock(week_end)}, {week_hours:.0f} h): "
                f"the longest is {_rest_span(index, before, after, (week_start, week_end))}")
        found.append(_violation("W13", text, plan.worker.id, _in_window(plan.shifts, week_start, week_end)))
    return found


def weekly_hours(plan: WorkerPlan) -> list[Violation]:
    """W14: worked hours per ISO week (by shift start) ≤ min(max_week_hours, worker max)."""
    index, worker = plan.index, plan.worker
    limit = index.rules.max_week_hours
    if worker.max_hours_per_week is not None:
        limit = min(limit, worker.max_hours_per_week)
    weeks: dict[datetime, list[Shift]] = {}
    for shift in plan.shifts:
        weeks.setdefault(index.weeks_of(shift)[0][0], []).append(shift)
    found = []
    for week_start, shifts in sorted(weeks.items()):
        hours = sum(s.work_hours for s in shifts)
        if hours > limit + 1e-6:
            text = (f"{worker.id} works {hours_text(hours, round_up=True)} in week {index.week_label(week_start)} "
                    f"(limit {hours_text(limit)})")
            found.append(_violation("W14", text, worker.id, [s.id for s in shifts]))
    return found


WORKER_RULES = (skills, allowed_employer, travel_distance, availability, overlap, travel_time,
                shift_length, daily_rest, weekly_rest, weekly_hours, excluded_shift, conflicting_shifts)

RULES: list[tuple[str, str, str]] = [
    ("W00", "unknown-id", "Every shift and worker named in a solution exists in the instance."),
    ("W01", "headcount", "A shift never gets more workers than its headcount."),
    ("W02", "once-per-shift", "A worker appears at most once per shift."),
    ("W03", "skills", "The worker has every skill the shift lists."),
    ("W04", "allowed-employer", "The worker may be placed with the shift's employer."),
    ("W05", "travel-distance", "Home to employer (straight line) is within the worker's max_travel_km."),
    ("W06", "availability", "The shift lies inside one available interval (fixed shifts exempt)."),
    ("W07", "overlap", "No two shifts of one worker overlap."),
    ("W08", "travel-time", "Between shifts at different employers there is the travel time."),
    ("W09", "fixed-kept", "Every fixed shift of a worker is in the solution's assignments."),
    ("W11", "shift-length", "A shift lasts at most max_shift_hours."),
    ("W12", "daily-rest", "Within 24 h from each shift's start, min_daily_rest_hours uninterrupted rest."),
    ("W13", "weekly-rest", "Within every ISO week, min_weekly_rest_hours uninterrupted rest."),
    ("W14", "weekly-hours", "Worked hours per ISO week at most min(max_week_hours, worker maximum)."),
    ("W15", "excluded", "A worker never gets a shift listed in their `excluded` (a law or CAO rule bars it)."),
    ("W16", "conflicts", "A worker never gets both shifts of a pair in the instance's `conflicts`."),
]
RULE_NAMES = {code: name for code, name, _ in RULES}
