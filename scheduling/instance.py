"""Plain data of a planning problem and its solution (see instance-format.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float


@dataclass(frozen=True)
class Rules:
    """Working Hours Act limits; the defaults are the Dutch statutory values."""

    max_shift_hours: float = 12
    max_week_hours: float = 60
    min_daily_rest_hours: float = 11
    min_weekly_rest_hours: float = 36
    travel_speed_kmh: float = 40


@dataclass(frozen=True)
class Employer:
    id: str
    name: str
    cao: str | None
    location: Location | None


@dataclass(frozen=True)
class Interval:
    """A stretch of time with aware datetimes; `end` is exclusive."""

    start: datetime
    end: datetime

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Worker:
    id: str
    skills: frozenset[str]
    home: Location | None
    max_travel_km: float | None
    min_hours_per_week: float
    target_hours_per_week: float
    max_hours_per_week: float
    employers: frozenset[str] | None
    available: tuple[Interval, ...]
    fixed: tuple[str, ...] = ()
    excluded: frozenset[str] = frozenset()  # shifts a law or CAO rule bars this worker from


@dataclass(frozen=True)
class Shift:
    id: str
    employer: str
    start: datetime
    end: datetime
    break_minutes: int
    skills: frozenset[str]
    headcount: int
    priority: float = 1.0

    @property
    def hours(self) -> float:
        """Paid hours: (end - start) minus the break."""
        return self.length_hours - self.break_minutes / 60

    @property
    def length_hours(self) -> float:
        """Time at work including the break (end - start), in real elapsed hours."""
        return (self.end.timestamp() - self.start.timestamp()) / 3600


@dataclass(frozen=True)
class Instance:
    timezone: str
    rules: Rules
    employers: tuple[Employer, ...]
    workers: tuple[Worker, ...]
    shifts: tuple[Shift, ...]
    # pairs of shift ids no worker may hold both of: a law or CAO rule across the two (a break
    # over a duty of both, a night duty over 12 h, 14 h rest after a night shift); optional
    conflicts: frozenset[tuple[str, str]] = frozenset()
    # assignments of a published plan the planner should keep where it can (a soft preference,
    # the changes level); optional, so a re-plan's instance replays as it was solved
    keep: tuple["Assignment", ...] = ()
    # (shift, worker) of a kept assignment → how many changes dropping it counts as (default 1):
    # a call cancelled less than 4 days ahead is paid all the same; optional
    keep_weight: dict = field(default_factory=dict, compare=False, hash=False)

    def drop_weight(self, shift: str, worker: str) -> float:
        """What dropping the kept assignment (shift, worker) counts as, in changes."""
        return self.keep_weight.get((shift, worker), 1.0)


@dataclass(frozen=True)
class Assignment:
    shift: str
    worker: str


@dataclass(frozen=True)
class Unfilled:
    shift: str
    open: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Solution:
    status: str
    assignments: tuple[Assignment, ...]
    unfilled: tuple[Unfilled, ...]
    metrics: dict = field(default_factory=dict)
    bound: dict = field(default_factory=dict)
    solve_seconds: float = 0.0
    # what is proven per objective level: [{"level", "status", "value", "bound"[, "seconds"]}]
    levels: tuple[dict, ...] = ()
