"""Plain data for the compliance check of one worker's combined schedule.

`WorkItem` is one assignment or worked timesheet at any employer; a `Duty` (dienst) is a
run of items with short gaps between them, which the Working Hours Act treats as one shift.
Hours are exact `Fraction`s so that a limit of 60 h is not broken by rounding.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from contracts.wml import age_on

if TYPE_CHECKING:
    from contracts.pay import FixedTime

AMS = ZoneInfo("Europe/Amsterdam")
DUTY_GAP = timedelta(hours=8)  # a gap shorter than the shortest legal rest is a pause, not a rest


@dataclass(frozen=True)
class WorkItem:
    """One assignment or worked timesheet; the law counts all employers together."""

    id: str
    employer_id: str
    employer_name: str
    cao_code: str | None
    start: datetime
    end: datetime
    break_minutes: int
    contract_kind: str | None  # "fixed" | "min_max" | "on_call"
    contract_hours_per_week: Decimal | None
    hourly_wage: Decimal | None
    paid_hours: Decimal | None = None  # known paid hours for this call, if any
    fixed_times: tuple[FixedTime, ...] = ()  # the contract's fixed weekly times (its base pattern), if any

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"{self.id}: start and end must be timezone-aware")
        if self.utc_end <= self.utc_start:  # one ZoneInfo compares wall clocks: 02:15 < 02:30 as clocks go back
            raise ValueError(f"{self.id}: end must be after start")
        if self.break_minutes < 0:
            raise ValueError(f"{self.id}: break_minutes must not be negative")

    @property
    def utc_start(self) -> datetime:
        return self.start.astimezone(timezone.utc)

    @property
    def utc_end(self) -> datetime:
        return self.end.astimezone(timezone.utc)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(AMS)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(AMS)

    @property
    def elapsed_seconds(self) -> int:
        """Real elapsed time; a night across the DST change is an hour shorter or longer."""
        return int((self.utc_end - self.utc_start).total_seconds())

    @property
    def work_hours(self) -> Fraction:
        return Fraction(max(self.elapsed_seconds - 60 * self.break_minutes, 0), 3600)

    def work_hours_between(self, lo: datetime, hi: datetime) -> Fraction:
        """Work hours inside [lo, hi); the break is spread evenly over the item."""
        a, b = max(self.utc_start, lo), min(self.utc_end, hi)
        if b <= a:
            return Fraction(0)
        share = Fraction(int((b - a).total_seconds()), self.elapsed_seconds)
        return self.work_hours * share


@dataclass(frozen=True)
class ComplianceViolation:
    rule: str  # stable code, e.g. "ATW-week-60"
    message: str  # readable text naming the assignments and times
    assignment_ids: tuple[str, ...]


@dataclass(frozen=True)
class Duty:
    """A dienst: items following each other with gaps under DUTY_GAP (gaps count as pause)."""

    items: tuple[WorkItem, ...]

    @property
    def start(self) -> datetime:
        return self.items[0].utc_start

    @property
    def end(self) -> datetime:
        return max(i.utc_end for i in self.items)

    @property
    def work_hours(self) -> Fraction:
        """The items' work hours, but no more than the hours some item covers: items that overlap
        (a double booking, itself the violation OVERLAP) do not add up to more work than the
        clock allows (two 07:00-16:00 shifts are not one duty of twice the hours)."""
        total = sum((i.work_hours for i in self.items), Fraction(0))
        covered, reach = 0, None
        for i in self.items:            # sorted by start
            lo = i.utc_start if reach is None else max(i.utc_start, reach)
            if reach is None or i.utc_end > reach:
                covered += max(0, int((i.utc_end - lo).total_seconds()))
                reach = i.utc_end
        return min(total, Fraction(covered, 3600))

    @property
    def pause_minutes(self) -> int:
        gaps = [
            int((b.utc_start - a.utc_end).total_seconds()) // 60
            for a, b in zip(self.items, self.items[1:])
        ]
        return sum(i.break_minutes for i in self.items) + sum(g for g in gaps if g >= 15)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)


def sort_items(items) -> list[WorkItem]:
    return sorted(items, key=lambda i: (i.utc_start, i.utc_end, i.id))


def build_duties(items) -> list[Duty]:
    """Chain items (sorted by start) into duties; a gap of DUTY_GAP or more ends a duty, and
    a duty spans at most 24 h."""
    duties: list[list[WorkItem]] = []
    end = None
    for item in sort_items(items):
        joins = duties and item.utc_start - end < DUTY_GAP
        if joins and item.utc_start - duties[-1][0].utc_start < timedelta(hours=24):
            duties[-1].append(item)
            end = max(end, item.utc_end)
        else:
            duties.append([item])
            end = item.utc_end
    return [Duty(tuple(d)) for d in duties]


@dataclass
class Schedule:
    """One worker's combined schedule as the rules see it, plus the notes they leave."""

    birth_date: date
    items: list[WorkItem]  # sorted by start
    lang: str = "nl"
    catalogue: object | None = None
    notes: list[str] = field(default_factory=list)
    # per note, the ids of the items it speaks of (`note`); a note of none speaks of the whole schedule
    noted_for: dict[str, set[str]] = field(default_factory=dict)
    # the worker's school holidays: (first day, last day) inclusive, Amsterdam days; for a 15-year-old
    school_holidays: tuple[tuple[date, date], ...] = ()

    def age(self, item: WorkItem) -> int:
        return age_on(self.birth_date, item.local_start.date())

    def items_aged(self, low: int, high: int) -> list[WorkItem]:
        return [i for i in self.items if low <= self.age(i) <= high]

    def duties_aged(self, low: int, high: int) -> list[Duty]:
        return [d for d in build_duties(self.items) if low <= self.age(d.items[0]) <= high]

    def note(self, text: str, ids: Iterable[str] = ()) -> None:
        """Leave a note (once) about the items with these ids."""
        if text not in self.notes:
            self.notes.append(text)
        self.noted_for.setdefault(text, set()).update(ids)

    def notes_about(self, ids: Collection[str]) -> list[str]:
        """The notes that speak of one of these items, or of the whole schedule."""
        return [n for n in self.notes if not self.noted_for[n] or not self.noted_for[n].isdisjoint(ids)]
