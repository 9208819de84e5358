"""Time and distance helpers shared by the model, the metrics and the explanations."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from scheduling.instance import Location

HOUR = 3600.0


@lru_cache(maxsize=None)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def week_start(moment: datetime, timezone: str) -> datetime:
    """Monday 00:00 local time of the ISO week that holds `moment`."""
    local = moment.astimezone(_zone(timezone))
    monday = local.date() - timedelta(days=local.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=_zone(timezone))


def week_bounds(monday: datetime) -> tuple[float, float]:
    """Start and end (next Monday 00:00 local) of a week as POSIX seconds.

    Around a DST change the week lasts 167 or 169 real hours.
    """
    nxt = monday.date() + timedelta(days=7)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=monday.tzinfo)
    return monday.timestamp(), end.timestamp()


def haversine_km(a: Location | None, b: Location | None) -> float:
    """Straight-line (great-circle) distance; 0 when a location is unknown."""
    if a is None or b is None:
        return 0.0
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
