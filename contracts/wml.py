"""Statutory minimum wage (WML): hourly gross by date and age, nl-facts §1.

Published rows are stored as data (amount per age, sources). Youth percentages [4][2]
are kept too; a test checks that the published amounts equal percentage × adult amount.
BBL (work-study) minimums for ages 18–20 exist for 2025 [4][9]; later BBL amounts are
computed from the BBL percentages and marked so in the note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from contracts.compliance_text import say
from contracts.formats import day, number

CENT = Decimal("0.01")
ADULT_AGE = 21
YOUNGEST_AGE = 15

YOUTH_PERCENT = {21: Decimal("100"), 20: Decimal("80"), 19: Decimal("60"), 18: Decimal("50"),
                 17: Decimal("39.5"), 16: Decimal("34.5"), 15: Decimal("30")}
BBL_PERCENT = {20: Decimal("61.5"), 19: Decimal("52.5"), 18: Decimal("45.5")}

# Holiday allowance: at least 8 % of gross wage unless a CAO says otherwise [44].
HOLIDAY_ALLOWANCE_MIN_PERCENT = Decimal("8")
HOLIDAY_ALLOWANCE_SOURCE = "[44]"


@dataclass(frozen=True)
class WmlRow:
    effective: date
    by_age: dict[int, Decimal]          # 21 means 21 and older
    source: str
    bbl_by_age: dict[int, Decimal] = field(default_factory=dict)
    bbl_source: str | None = None


def _amounts(*values: str) -> dict[int, Decimal]:
    return dict(zip((21, 20, 19, 18, 17, 16, 15), (Decimal(v) for v in values)))


WML_ROWS: tuple[WmlRow, ...] = (
    WmlRow(date(2025, 1, 1), _amounts("14.06", "11.25", "8.44", "7.03", "5.55", "4.85", "4.22"),
           "[3][8]", {20: Decimal("8.65"), 19: Decimal("7.38"), 18: Decimal("6.40")}, "[9]"),
    WmlRow(date(2025, 7, 1), _amounts("14.40", "11.52", "8.64", "7.20", "5.69", "4.97", "4.32"),
           "[1][4]", {20: Decimal("8.86"), 19: Decimal("7.56"), 18: Decimal("6.55")}, "[4]"),
    WmlRow(date(2026, 1, 1), _amounts("14.71", "11.77", "8.83", "7.36", "5.81", "5.07", "4.41"),
           "[2][5]"),
)
# The WML is indexed every 1 January and 1 July [8]; the 1-7-2026 amount was not yet set [5].
KNOWN_UNTIL = date(2026, 6, 30)


class WmlUnknown(ValueError):
    """No minimum wage is known for the asked date or age."""


@dataclass(frozen=True)
class WmlRate:
    hourly: Decimal
    age: int
    effective: date
    source: str
    notes: tuple[str, ...] = ()


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day` (a 29 February birthday counts from 1 March)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def row_on(on: date) -> WmlRow:
    """The WML row in force on `on`; raises `WmlUnknown` before the first known row."""
    current = None
    for row in WML_ROWS:
        if row.effective <= on:
            current = row
    if current is None:
        raise WmlUnknown(
            f"no minimum wage known before {WML_ROWS[0].effective.isoformat()} (asked {on.isoformat()})"
        )
    return current


def wml_rate(on: date, age: int, bbl: bool = False, lang: str = "nl") -> WmlRate:
    """Minimum hourly wage with its source and notes (stale data, computed BBL amounts; Dutch, English
    with lang="en")."""
    if age < YOUNGEST_AGE:
        raise WmlUnknown(f"the WML has no amount below age {YOUNGEST_AGE} (age {age})")
    row = row_on(on)
    key = min(age, ADULT_AGE)
    notes: list[str] = []
    if on > KNOWN_UNTIL:
        notes.append(say(lang, "note-wml-not-yet-known", until=day(KNOWN_UNTIL, lang, year=True),
                         since=day(row.effective, lang, year=True)))
    if bbl and key in BBL_PERCENT:
        if key in row.bbl_by_age:
            return WmlRate(row.bbl_by_age[key], age, row.effective, row.bbl_source or row.source, tuple(notes))
        amount = (row.by_age[ADULT_AGE] * BBL_PERCENT[key] / 100).quantize(CENT, ROUND_HALF_UP)
        notes.append(say(lang, "note-bbl", percent=number(BBL_PERCENT[key], lang)))
        return WmlRate(amount, age, row.effective, row.source, tuple(notes))
    return WmlRate(row.by_age[key], age, row.effective, row.source, tuple(notes))


def minimum_hourly_wage(on: date, age: int, bbl: bool = False) -> Decimal:
    """Statutory minimum gross hourly wage on `on` for someone of `age` (21 = 21 and older)."""
    return wml_rate(on, age, bbl).hourly


def minimum_holiday_allowance(gross: Decimal) -> Decimal:
    """Statutory minimum holiday allowance (8 %) on `gross`, rounded to cents."""
    return (gross * HOLIDAY_ALLOWANCE_MIN_PERCENT / 100).quantize(CENT, ROUND_HALF_UP)
