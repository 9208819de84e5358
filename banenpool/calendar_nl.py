"""Dutch calendar facts: Europe/Amsterdam local time and the recognised public holidays."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

AMS = ZoneInfo("Europe/Amsterdam")
# The days the service accepts from a user: date arithmetic near year 1 or 9999 (a day
# later, the Amsterdam offset) overflows, and no pool plans, works or bills that far out.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)


def today_local() -> date:
    """Today's date in Amsterdam (the day rules, invoices and CAO changes speak of)."""
    return datetime.now(AMS).date()


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """Recognised public holidays with their Dutch names.

    `holidays.NL` lists Bevrijdingsdag only in lustrum years; it is a recognised holiday every
    year (nl-facts §5), so it is added here. Whether a day carries a surcharge is the CAO's call.
    """
    days = dict(holidays.NL(years=year, language="nl"))
    days.setdefault(date(year, 5, 5), "Bevrijdingsdag")
    return days


def holiday_name(day: date) -> str | None:
    return public_holidays(day.year).get(day)


def local_datetime(day: date, clock: time) -> datetime:
    """Wall-clock time on a day in Amsterdam as an aware datetime.

    A wall-clock time that does not exist (02:30 on the last Sunday of March) moves forward by the
    gap, as a clock on the wall would show it; an ambiguous one (02:30 in October) takes the first.
    """
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=AMS, fold=0)
    roundtrip = aware.astimezone(timezone.utc).astimezone(AMS)
    if roundtrip.replace(tzinfo=None) != naive:  # inside the spring-forward gap
        return roundtrip
    return aware


def iso_week_start(moment: datetime) -> datetime:
    local = moment.astimezone(AMS)
    monday = local.date() - timedelta(days=local.weekday())
    return local_datetime(monday, time(0, 0))
