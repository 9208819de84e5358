"""Shifts across midnight and across daylight-saving changes are paid in real hours."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from contracts.cao import catalogue
from contracts.pay import preview_pay

AMS = ZoneInfo("Europe/Amsterdam")
ADULT = date(1990, 5, 1)


def night(code, day):
    start = datetime(day.year, day.month, day.day, 22, tzinfo=AMS)
    following = day + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, 6, tzinfo=AMS)
    return preview_pay(catalogue().get(code, day), None, ADULT, "fixed", Decimal(38), start, end, 0)


def surcharge_hours(result, label):
    return sum((l.hours for l in result.lines if l.kind == "surcharge" and l.description.startswith(label)), Decimal(0))


def test_night_when_summer_time_starts_is_7_hours():
    result = night("hoveniers", date(2026, 3, 28))
    assert result.worked_hours == 7
    assert surcharge_hours(result, "Zaterdag") == 2
    assert surcharge_hours(result, "Zondag") == 5


def test_night_when_summer_time_ends_is_9_hours():
    result = night("hoveniers", date(2026, 10, 24))
    assert result.worked_hours == 9
    assert surcharge_hours(result, "Zondag") == 7


def test_ordinary_night_is_8_hours_split_at_midnight():
    result = night("schoonmaak", date(2026, 1, 12))  # Monday night into Tuesday
    assert result.worked_hours == 8
    assert surcharge_hours(result, "Avond ma–do") == 2       # Monday 22:00–24:00 at 130 %
    assert surcharge_hours(result, "Nacht di–vr") == 6       # Tuesday 00:00–06:00 at 130 %
    assert surcharge_hours(result, "Nacht maandag") == 0


def test_times_given_in_utc_are_read_as_local_time():
    start = datetime(2026, 1, 7, 18, tzinfo=timezone.utc)  # 19:00 in Amsterdam
    result = preview_pay(catalogue().get("hoveniers", date(2026, 1, 7)), None, ADULT, "fixed",
                         Decimal(38), start, start + timedelta(hours=2), 0)
    assert surcharge_hours(result, "Avond") == 2
