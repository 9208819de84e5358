"""The CAO as plain, immutable data: what one version of one CAO says.

Numbers carry a `Provenance`: the nl-facts.md reference(s) and year, or `example=True`
when no source gave the number (the UI shows those as "voorbeeld"/"example").
Surcharge and overtime percentages are the EXTRA on top of the base wage
(schoonmaak's "Zaterdag 150 %" is stored as percent 50).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from contracts.cao.feestdagen import holiday_name

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAY = "holiday"
MIDNIGHT = time(0, 0)

SURCHARGE_KINDS = ("saturday", "sunday", "public_holiday", "night", "evening", "early")
STACKING_RULES = ("highest", "additive")
OVERTIME_STACKING_RULES = ("highest", "additive", "surcharge_only")
OVERTIME_TRIGGERS = ("day", "week", "period")


@dataclass(frozen=True)
class Provenance:
    source: str | None = None
    year: int | None = None
    example: bool = False
    note: str | None = None

    def to_dict(self) -> dict:
        out: dict = {"example": self.example}
        if self.source:
            out["source"] = self.source
        if self.year is not None:
            out["year"] = self.year
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Surcharge:
    """Extra pay for hours inside a window on given days.

    `days` holds weekday codes ("mon".."sun") and/or "holiday" (a public holiday the CAO
    counts). `start`/`end` are local wall-clock times; `end=None` means 24:00. A window
    whose end is not after its start runs past midnight: its tail belongs to the day the
    window started on (so "fri 22:00–06:00" covers Saturday 00:00–06:00).
    """

    kind: str
    label: str
    days: frozenset[str]
    start: time
    end: time | None
    percent: Decimal
    provenance: Provenance
    min_hours_in_window: Decimal | None = None

    @property
    def crosses_midnight(self) -> bool:
        return self.end is not None and self.end <= self.start

    @property
    def is_whole_day(self) -> bool:
        return self.start == MIDNIGHT and self.end is None

    def window_text(self) -> str:
        end = "24:00" if self.end is None else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}–{end}"

    def covers(self, cao: "Cao", day: date, at: time) -> bool:
        """Does this window cover local wall-clock `at` on local date `day`?"""
        if self.crosses_midnight:
            if at >= self.start and self._day_matches(cao, day):
                return True
            return at < self.end and self._day_matches(cao, day - timedelta(days=1))
        in_window = at >= self.start and (self.end is None or at < self.end)
        return in_window and self._day_matches(cao, day)

    def _day_matches(self, cao: "Cao", day: date) -> bool:
        if WEEKDAYS[day.weekday()] in self.days:
            return True
        return HOLIDAY in self.days and cao.is_public_holiday(day) is not None


@dataclass(frozen=True)
class OvertimeRule:
    """Extra pay for worked hours beyond `after_hours` per day (shift), week or period."""

    trigger: str
    after_hours: Decimal
    percent: Decimal
    provenance: Provenance
    period_weeks: int | None = None


@dataclass(frozen=True)
class BreakRule:
    after_hours: Decimal
    minutes: int
    provenance: Provenance


@dataclass(frozen=True)
class Cao:
    code: str
    name: str
    valid_from: date
    valid_to: date | None
    standard_hours_per_week: Decimal
    wage_scales: dict[str, Decimal]
    surcharges: tuple[Surcharge, ...]
    overtime: tuple[OvertimeRule, ...]
    stacking: str
    overtime_stacking: str
    min_paid_hours_per_call: Decimal | None
    max_hours_per_shift: Decimal | None
    max_hours_per_day: Decimal | None
    normal_hours_per_day: Decimal | None
    breaks: tuple[BreakRule, ...]
    holiday_allowance_percent: Decimal
    public_holidays: tuple[str, ...]
    public_holiday_compensation: str | None = None
    inlenersbeloning: bool = False
    notes: tuple[str, ...] = ()
    provenance: dict[str, Provenance] = field(default_factory=dict)
    source_file: str = ""

    # --- questions others ask -------------------------------------------------------
    def is_public_holiday(self, day: date) -> str | None:
        """Dutch name of `day` if this CAO counts it as a public holiday, else None."""
        return holiday_name(day, self.public_holidays)

    def lowest_scale(self) -> str:
        """Name of the scale with the lowest hourly wage (the default scale)."""
        return min(self.wage_scales, key=lambda name: (self.wage_scales[name], name))

    def scale_wage(self, scale: str | None) -> Decimal:
        """Hourly wage of `scale` (None = lowest scale); KeyError names the known scales."""
        name = scale or self.lowest_scale()
        if name not in self.wage_scales:
            known = ", ".join(sorted(self.wage_scales))
            raise KeyError(f"cao {self.code}: unknown scale {name!r} (known: {known})")
        return self.wage_scales[name]

    def is_example(self, path: str) -> bool:
        """True when the number at `path` (e.g. "wage_scales.A") has no source."""
        prov = self.provenance.get(path)
        return prov is None or prov.example

    def surcharges_of_kind(self, kind: str) -> tuple[Surcharge, ...]:
        return tuple(s for s in self.surcharges if s.kind == kind)

    def nawerking_note(self, on: date, lang: str = "nl") -> str | None:
        """A note when `on` lies after this version's end date (terms continue: nawerking)."""
        from contracts.compliance_text import say
        from contracts.formats import day

        if self.valid_to is not None and on > self.valid_to:
            return say(lang, "note-nawerking", name=self.name, until=day(self.valid_to, lang, year=True))
        return None

    def to_dict(self) -> dict:
        from contracts.cao.serialize import cao_to_dict

        return cao_to_dict(self)
