"""Dutch public holidays (feestdagen) by name, computed without the `holidays` package.

`holidays.NL` counts Bevrijdingsdag only in lustrum years; a CAO decides which days it
counts, so the catalogue names its days and this module turns names into dates.
Recognised days: nl-facts §5 [46][48]. Koningsdag follows the post-2014 rule
(27 April, or 26 April when the 27th is a Sunday).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

BEVRIJDINGSDAG_LUSTRUM = "Bevrijdingsdag (lustrum)"

# Names as `holidays.NL(language="nl")` spells them, plus the lustrum variant.
HOLIDAY_NAMES = (
    "Nieuwjaarsdag",
    "Goede vrijdag",
    "Eerste paasdag",
    "Tweede paasdag",
    "Koningsdag",
    "Bevrijdingsdag",
    BEVRIJDINGSDAG_LUSTRUM,
    "Hemelvaartsdag",
    "Eerste pinksterdag",
    "Tweede pinksterdag",
    "Eerste kerstdag",
    "Tweede kerstdag",
)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _koningsdag(year: int) -> date:
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=64)
def holidays_in_year(year: int) -> dict[date, tuple[str, ...]]:
    """Every recognised name per date in `year` (both Bevrijdingsdag variants included)."""
    easter = easter_sunday(year)
    named = {
        "Nieuwjaarsdag": date(year, 1, 1),
        "Goede vrijdag": easter - timedelta(days=2),
        "Eerste paasdag": easter,
        "Tweede paasdag": easter + timedelta(days=1),
        "Koningsdag": _koningsdag(year),
        "Bevrijdingsdag": date(year, 5, 5),
        "Hemelvaartsdag": easter + timedelta(days=39),
        "Eerste pinksterdag": easter + timedelta(days=49),
        "Tweede pinksterdag": easter + timedelta(days=50),
        "Eerste kerstdag": date(year, 12, 25),
        "Tweede kerstdag": date(year, 12, 26),
    }
    if year % 5 == 0:
        named[BEVRIJDINGSDAG_LUSTRUM] = date(year, 5, 5)
    by_date: dict[date, tuple[str, ...]] = {}
    for name, day in named.items():
        by_date[day] = by_date.get(day, ()) + (name,)
    return by_date


def holiday_name(day: date, counted: tuple[str, ...] | frozenset[str]) -> str | None:
    """The Dutch name of `day` if it is one of the `counted` holidays, else None."""
    for name in holidays_in_year(day.year).get(day, ()):
        if name in counted:
            return "Bevrijdingsdag" if name == BEVRIJDINGSDAG_LUSTRUM else name
    return None
