"""Parsed, read-only view of a `banenpool-instance/1` dict for the work-time checks.

Written independently of `scheduling/` on purpose: the rules engine re-checks the planner,
so it reads the JSON form itself. All instants are kept in UTC so that subtracting them
gives real elapsed time (two aware datetimes that share one ZoneInfo subtract as wall
clock time, which is wrong over a DST change).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

DEFAULT_RULES = {
    "max_shift_hours": 12.0,
    "max_week_hours": 60.0,
    "min_daily_rest_hours": 11.0,
    "min_weekly_rest_hours": 36.0,
    "travel_speed_kmh": 40.0,
}
EARTH_RADIUS_KM = 6371.0088
WEEK = timedelta(days=7)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 time with UTC offset, as an aware UTC datetime."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time without UTC offset: {text!r}")
    return moment.astimezone(UTC)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle ("straight line") distance between two (lat, lon) points in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _location(data: dict | None) -> tuple[float, float] | None:
    if not data:
        return None
    return (float(data["lat"]), float(data["lon"]))


@dataclass(frozen=True)
class Rules:
    max_shift_hours: float
    max_week_hours: float
    min_daily_rest_hours: float
    min_weekly_rest_hours: float
    travel_speed_kmh: float

    @classmethod
    def from_dict(cls, data: dict | None) -> Rules:
        values = {**DEFAULT_RULES, **{k: v for k, v in (data or {}).items() if k in DEFAULT_RULES}}
        return cls(**{key: float(value) for key, value in values.items()})


@dataclass(frozen=True)
class Shift:
    id: str
    employer: str
    start: datetime  # UTC
    end: datetime  # UTC
    break_minutes: float
    skills: frozenset[str]
    headcount: int
    length_hours: float  # end − start, real elapsed time
    work_hours: float  # length − break

    @classmethod
    def from_dict(cls, data: dict) -> Shift:
        start, end = parse_instant(data["start"]), parse_instant(data["end"])
        length = (end - start).total_seconds() / 3600
        break_minutes = float(data.get("break_minutes") or 0)
        return cls(
            id=str(data["id"]),
            employer=str(data["employer"]),
            start=start,
            end=end,
            break_minutes=break_minutes,
            skills=frozenset(data.get("skills") or ()),
            headcount=int(data.get("headcount", 1)),
            length_hours=length,
            work_hours=length - break_minutes / 60,
        )


@dataclass(frozen=True)
class Worker:
    id: str
    skills: frozenset[str]
    home: tuple[float, float] | None
    max_travel_km: float | None
    max_hours_per_week: float | None
    employers: frozenset[str] | None  # None = any employer
    available_starts: tuple[datetime, ...] | None  # None = no availability list given
    available_reach: tuple[datetime, ...]  # running max of interval ends, same order
    fixed: tuple[str, ...]
    excluded: frozenset[str] = frozenset()  # shifts a law or CAO rule bars this worker from

    def is_available(self, start: datetime, end: datetime) -> bool:
        """True when [start, end] lies inside one `available` interval (edges may touch)."""
        if self.available_starts is None:
            return True
        last = bisect_right(self.available_starts, start) - 1
        return last >= 0 and self.available_reach[last] >= end

    @classmethod
    def from_dict(cls, data: dict) -> Worker:
        available = data.get("available")
        starts, reach = None, ()
        if available is not None:
            intervals = sorted((parse_instant(a["start"]), parse_instant(a["end"])) for a in available)
            starts = tuple(start for start, _ in intervals)
            reach = tuple(accumulate((end for _, end in intervals), max))
        optional = lambda key: None if data.get(key) is None else float(data[key])  # noqa: E731
        employers = data.get("employers")
        return cls(
            id=str(data["id"]),
            skills=frozenset(data.get("skills") or ()),
            home=_location(data.get("home")),
            max_travel_km=optional("max_travel_km"),
            max_hours_per_week=optional("max_hours_per_week"),
            employers=None if employers is None else frozenset(employers),
            available_starts=starts,
            available_reach=reach,
            fixed=tuple(data.get("fixed") or ()),
            excluded=frozenset(data.get("excluded") or ()),
        )


class InstanceIndex:
    """Everything the checks need from an instance, parsed once and looked up by id."""

    def __init__(self, instance: dict):
        self.timezone = ZoneInfo(instance.get("timezone") or "Europe/Amsterdam")
        self.rules = Rules.from_dict(instance.get("rules"))
        self.employer_locations = {str(e["id"]): _location(e.get("location")) for e in instance.get("employers", ())}
        self.workers = {str(w["id"]): Worker.from_dict(w) for w in instance.get("workers", ())}
        self.shifts = {str(s["id"]): Shift.from_dict(s) for s in instance.get("shifts", ())}
        self.conflicts: dict[str, set[str]] = {}   # optional `conflicts`, both ways
        for first, second in instance.get("conflicts") or ():
            self.conflicts.setdefault(str(first), set()).add(str(second))
            self.conflicts.setdefault(str(second), set()).add(str(first))
        self._distances: dict[tuple[str, str], float | None] = {}
        self._weeks: dict[str, tuple[tuple[datetime, datetime], ...]] = {}

    def employer_distance_km(self, first: str, second: str) -> float | None:
        """Distance between two employers' locations; None when either location is unknown."""
        if first == second:
            return 0.0
        key = (first, second) if first < second else (second, first)
        if key not in self._distances:
            a, b = self.employer_locations.get(first), self.employer_locations.get(second)
            self._distances[key] = None if a is None or b is None else haversine_km(a, b)
        return self._distances[key]

    def week_containing(self, moment: datetime) -> tuple[datetime, datetime]:
        """The ISO week (local Monday 00:00 to next Monday 00:00) around `moment`, in UTC."""
        local_day = moment.astimezone(self.timezone).date()
        monday = local_day - timedelta(days=local_day.weekday())
        start = datetime(monday.year, monday.month, monday.day, tzinfo=self.timezone)
        end = start + WEEK  # same ZoneInfo: wall-clock arithmetic, so local Monday 00:00
        return start.astimezone(UTC), end.astimezone(UTC)

    def weeks_of(self, shift: Shift) -> tuple[tuple[datetime, datetime], ...]:
        """The ISO weeks a shift touches, the week in which it starts first (cached)."""
        weeks = self._weeks.get(shift.id)
        if weeks is None:
            week, found = self.week_containing(shift.start), []
            while not found or week[0] < shift.end:
                found.append(week)
                week = self.week_containing(week[1])
            weeks = self._weeks[shift.id] = tuple(found)
        return weeks

    # -- text for messages -------------------------------------------------------------
    def clock(self, moment: datetime) -> str:
        """Local "HH:MM"."""
        return moment.astimezone(self.timezone).strftime("%H:%M")

    def day_clock(self, moment: datetime) -> str:
        """Local "Mon 2026-03-02 06:00"."""
        return moment.astimezone(self.timezone).strftime("%a %Y-%m-%d %H:%M")

    def week_label(self, week_start: datetime) -> str:
        year, week, _ = week_start.astimezone(self.timezone).isocalendar()
        return f"{year}-W{week:02d}"


def hours_text(hours: float, *, round_down: bool = False, round_up: bool = False) -> str:
    """Hours with one decimal; `round_down` so a shortfall and `round_up` so an excess never reads
    as the limit itself."""
    if round_down:
        hours = math.floor(hours * 10 + 1e-9) / 10
    elif round_up:
        hours = math.ceil(hours * 10 - 1e-9) / 10
    return f"{hours:.1f} h"
