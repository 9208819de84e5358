"""Seeded generator of realistic Twente job-pool instances for benchmarks and tests.

`generate(size, regime, seed)` returns a `banenpool-instance/1` dict. The same seed gives
the same workers, employers and fixed shifts in both regimes; only the headcounts differ
(peak ≈ 2.5 × normal). The 4-week horizon starts on Monday 2026-03-16, so the switch to
summer time on Sunday 29 March lies inside it.
"""
from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.generator_demand import supply_by_slot
from scheduling.instance import Location
from scheduling.timeline import haversine_km

TZ = ZoneInfo("Europe/Amsterdam")

# size: (workers, employers, weeks, first Monday)
SIZES = {
    "XS": (12, 3, 1, date(2026, 3, 23)),  # one week, with the DST change inside
    "S": (60, 8, 4, date(2026, 3, 16)),
    "M": (300, 30, 4, date(2026, 3, 16)),
    "L": (1000, 60, 4, date(2026, 3, 16)),
    "XL": (3000, 150, 4, date(2026, 3, 16)),
}
# share of the pool's usable target capacity asked for, per regime
DEMAND_FACTOR = {"normal": 0.9, "peak": 0.9 * 2.5}
SEASONAL_RAMP = (0.9, 0.97, 1.03, 1.1)  # relative demand per week of the horizon

TOWNS = [  # (name, lat, lon)
    ("Enschede", 52.221, 6.893), ("Hengelo", 52.266, 6.793), ("Almelo", 52.357, 6.662),
    ("Oldenzaal", 52.313, 6.929), ("Borne", 52.300, 6.752), ("Haaksbergen", 52.156, 6.739),
    ("Losser", 52.261, 7.004), ("Rijssen", 52.307, 6.518), ("Goor", 52.233, 6.587),
    ("Vriezenveen", 52.408, 6.622),
]
TOWN_WEIGHTS = [5, 3, 3, 2, 1, 1, 1, 1, 1, 1]

WEEKDAYS, ALL_DAYS = (0, 1, 2, 3, 4), (0, 1, 2, 3, 4, 5, 6)
# sector: (cao id in contracts/cao/data, key skill, name stem, templates)
# template layout: (start, end, break minutes, skills, weekdays (0 = Monday), weight, priority)
SECTORS = {
    "groen": ("hoveniers", "groen", "Groenonderhoud", [
        ("07:00", "15:30", 30, ["groen"], WEEKDAYS, 3, 1.0),
        ("07:00", "12:00", 0, ["groen"], WEEKDAYS, 1, 1.0)]),
    "taxi": ("taxi", "rijbewijs-b", "Taxi", [
        ("07:00", "10:00", 0, ["rijbewijs-b"], WEEKDAYS, 2, 1.2),
        ("15:00", "18:30", 0, ["rijbewijs-b"], WEEKDAYS, 2, 1.2),
        ("18:00", "23:30", 15, ["rijbewijs-b"], ALL_DAYS, 2, 1.0)]),
    "koerier": ("beroepsgoederenvervoer", "rijbewijs-b", "Koeriers", [
        ("08:00", "13:00", 0, ["rijbewijs-b"], (0, 1, 2, 3, 4, 5), 2, 1.0),
        ("12:30", "18:00", 0, ["rijbewijs-b"], (0, 1, 2, 3, 4, 5), 2, 1.0)]),
    "voedsel": ("zoetwaren", "productie", "Voedselproductie", [
        ("06:00", "14:00", 30, ["productie"], (0, 1, 2, 3, 4, 5), 3, 1.0),
        ("14:00", "22:00", 30, ["productie"], WEEKDAYS, 3, 1.0),
        ("22:00", "06:00", 30, ["productie"], ALL_DAYS, 2, 1.1)]),
    "pretpark": ("recreatie", "recreatie", "Attractiepark", [
        ("09:30", "18:00", 30, ["recreatie"], (5, 6), 5, 0.9),
        ("10:00", "17:00", 30, ["recreatie"], (2, 4), 1, 0.9)]),
    "schoonmaak": ("schoonmaak", "schoonmaak", "Schoonmaak", [
        ("06:00", "09:00", 0, ["schoonmaak"], WEEKDAYS, 3, 1.0),
        ("17:30", "21:00", 0, ["schoonmaak"], WEEKDAYS, 3, 1.0)]),
    "logistiek": ("abu", "logistiek", "Logistiek", [
        ("06:00", "14:30", 30, ["logistiek", "heftruck"], WEEKDAYS, 2, 1.1),
        ("06:00", "14:30", 30, ["logistiek"], (0, 1, 2, 3, 4, 5), 2, 1.0),
        ("14:30", "23:00", 30, ["logistiek"], WEEKDAYS, 2, 1.0)]),
}
SECTOR_ORDER = list(SECTORS)
# daily availability windows (start, end; an end before the start runs into the next day)
WINDOWS = {"early": ("05:30", "15:30"), "day": ("06:30", "19:00"), "late": ("12:00", "23:59"),
           "wide": ("05:30", "23:45"), "night": ("21:00", "07:00"), "any": ("00:00", "00:00")}
WINDOW_WEIGHTS = {"early": 20, "day": 20, "late": 15, "wide": 30, "night": 5, "any": 10}
DAY_SETS = [(ALL_DAYS, 20), (WEEKDAYS, 30), ((0, 1, 2, 3, 4, 5), 15), ((4, 5, 6), 10), (None, 25)]


def generate(size: str, regime: str = "normal", seed: int = 0) -> dict:
    """A valid, deterministic `banenpool-instance/1` dict for `size` and `regime`."""
    employers, workers, days = _pool(size, seed)
    supply = supply_by_slot(workers, employers, days, SECTORS, _may_work_for, _at)
    shifts = _shifts(random.Random(f"{size}:{seed}:demand"), employers, days, supply)
    normal = _round_headcounts(shifts, DEMAND_FACTOR["normal"])
    _add_fixed(random.Random(f"{size}:{seed}:fixed"), workers, employers, shifts, normal)
    headcounts = normal if regime == "normal" else _round_headcounts(shifts, DEMAND_FACTOR[regime])
    return {
        "format": "banenpool-instance/1",
        "timezone": "Europe/Amsterdam",
        "rules": {"max_shift_hours": 12, "max_week_hours": 60, "min_daily_rest_hours": 11,
                  "min_weekly_rest_hours": 36, "travel_speed_kmh": 40},
        "employers": [_public(e) for e in employers],
        "workers": [_worker_dict(w) for w in workers],
        "shifts": [_shift_dict(s, h) for s, h in zip(shifts, headcounts) if h > 0],
    }


def pool_capacity_hours(size: str, seed: int = 0) -> float:
    """The pool's usable target hours over the horizon: every worker at most one shift a
    day they could take and at most their target hours a week (generator_demand.py)."""
    employers, workers, days = _pool(size, seed)
    return sum(supply_by_slot(workers, employers, days, SECTORS, _may_work_for, _at).values())


def _pool(size: str, seed: int) -> tuple[list[dict], list[dict], list[date]]:
    n_workers, n_employers, n_weeks, monday = SIZES[size]
    rng = random.Random(f"{size}:{seed}")
    days = [monday + timedelta(days=i) for i in range(7 * n_weeks)]
    employers = _employers(rng, n_employers)
    return employers, [_worker(rng, i, employers, days) for i in range(n_workers)], days


def distance_km(a: dict, b: dict) -> float:
    """Straight-line (haversine) distance between two {"lat", "lon"} points."""
    return haversine_km(Location(a["lat"], a["lon"]), Location(b["lat"], b["lon"]))


# --- employers and workers --------------------------------------------------------------

def _near_town(rng: random.Random, spread_km: float = 4.0) -> dict:
    _, lat, lon = rng.choices(TOWNS, TOWN_WEIGHTS)[0]
    return {"lat": round(lat + rng.gauss(0, spread_km / 111), 4),
            "lon": round(lon + rng.gauss(0, spread_km / 68), 4)}


def _employers(rng: random.Random, n: int) -> list[dict]:
    sectors = SECTOR_ORDER[:]
    rng.shuffle(sectors)
    result = []
    for i in range(n):
        sector = sectors[i % len(sectors)]
        cao, _, stem, _ = SECTORS[sector]
        result.append({"id": f"E{i + 1}", "name": f"{stem} {rng.choice(TOWNS)[0]} {i + 1}",
                       "cao": cao, "location": _near_town(rng), "_sector": sector,
                       "_weight": rng.uniform(0.6, 1.6)})
    return result


def _worker(rng: random.Random, i: int, employers: list[dict], days: list[date]) -> dict:
    sector = rng.choice(employers)["_sector"]
    skills = {SECTORS[sector][1]}
    if sector == "logistiek" and rng.random() < 0.5:
        skills.add("heftruck")
    for _ in range(rng.choice((0, 1, 1, 2))):
        skills.add(SECTORS[rng.choice(employers)["_sector"]][1])
    skills = sorted(skills)[:3]
    minimum = rng.choice((8, 12, 16, 16, 20, 24))
    target = max(minimum, rng.choice((24, 28, 32, 32, 36)))
    maximum = max(target, rng.choice((32, 36, 40, 40)))
    restricted = rng.random() < 0.1
    allowed = sorted(rng.sample([e["id"] for e in employers], k=max(1, len(employers) // 2)),
                     key=lambda e: int(e[1:])) if restricted else None
    return {"id": f"W{i + 1}", "skills": skills, "home": _near_town(rng),
            "max_travel_km": rng.choice((15, 20, 25, 30, 35, 40, 50)),
            "min_hours_per_week": minimum, "target_hours_per_week": target,
            "max_hours_per_week": maximum, "employers": allowed,
            "_intervals": _availability(rng, sector, days), "fixed": []}


def _availability(rng: random.Random, sector: str, days: list[date]) -> list[dict]:
    weights = dict(WINDOW_WEIGHTS)
    if sector == "voedsel":
        weights["night"] = 30
    window = rng.choices(list(weights), list(weights.values()))[0]
    day_set = rng.choices([d for d, _ in DAY_SETS], [w for _, w in DAY_SETS])[0]
    if sector == "pretpark" and rng.random() < 0.6:
        day_set = (4, 5, 6)
    if day_set is None:
        day_set = tuple(sorted(rng.sample(ALL_DAYS, rng.randint(4, 6))))
    leave_week = rng.randrange(len(days) // 7) if len(days) > 7 and rng.random() < 0.15 else None
    start, end = WINDOWS[window]
    intervals = []
    for day in days:
        if day.weekday() not in day_set or (leave_week is not None and (day - days[0]).days // 7 == leave_week):
            continue
        a, b = _at(day, start), _at(day, end)
        if b <= a:
            b = _at(day + timedelta(days=1), end)
        if intervals and intervals[-1][1] >= a:
            intervals[-1][1] = max(intervals[-1][1], b)
        else:
            intervals.append([a, b])
    return intervals


# --- shifts and demand ------------------------------------------------------------------

def _shifts(rng: random.Random, employers: list[dict], days: list[date], supply: dict) -> list[dict]:
    """Shifts with a fractional `_demand` (headcount at factor 1) and a rounding draw.

    Demand follows what the pool can supply per employer, template and day, times the
    seasonal ramp; slots nobody could work get no shift.
    """
    n_weeks = len(days) // 7
    ramp = [r * n_weeks / sum(SEASONAL_RAMP[:n_weeks]) for r in SEASONAL_RAMP[:n_weeks]]
    shifts = []
    for e in employers:
        for index, t in enumerate(SECTORS[e["_sector"]][3]):
            for day in days:
                hours = supply.get((e["id"], index, day), 0.0)
                if day.weekday() not in t[4] or hours <= 0:
                    continue
                start, end = _at(day, t[0]), _at(day + timedelta(days=t[1] <= t[0]), t[1])
                shift = {"id": "", "employer": e["id"], "start": start, "end": end,
                         "break_minutes": t[2], "skills": t[3], "priority": t[6]}
                shift["_demand"] = hours * ramp[(day - days[0]).days // 7] / _hours(shift)
                shift["_draw"] = rng.random()
                shifts.append(shift)
    shifts.sort(key=lambda s: (s["start"], s["employer"], s["end"], s["skills"]))
    for i, shift in enumerate(shifts):
        shift["id"] = f"S{i + 1}"
    return shifts


def _round_headcounts(shifts: list[dict], factor: float) -> list[int]:
    """Randomised rounding with a fixed draw per shift, so headcounts grow with `factor`."""
    return [int(math.floor(s["_demand"] * factor + s["_draw"])) for s in shifts]


def _add_fixed(rng, workers, employers, shifts, headcounts) -> None:
    """Small base contracts: one recurring day shift on up to 3 days a week, within all rules."""
    by_employer: dict[str, list[int]] = {}
    for i, s in enumerate(shifts):
        by_employer.setdefault(s["employer"], []).append(i)
    used = [0] * len(shifts)
    for w in workers:
        if rng.random() > 0.4:
            continue
        options = [i for e in employers if SECTORS[e["_sector"]][1] in w["skills"] and _may_work_for(w, e)
                   for i in by_employer.get(e["id"], ()) if _fits_base_contract(w, shifts[i])]
        if not options:
            continue
        pick = shifts[rng.choice(options)]
        pattern = [i for i in options if shifts[i]["employer"] == pick["employer"]
                   and shifts[i]["start"].time() == pick["start"].time()
                   and shifts[i]["end"].time() == pick["end"].time()
                   and shifts[i]["skills"] == pick["skills"]]
        per_week = max(1, min(3, int(w["min_hours_per_week"] // _hours(pick))))
        taken: dict[int, int] = {}
        for i in sorted(pattern, key=lambda _: rng.random()):
            week = shifts[i]["start"].isocalendar()[1]
            if taken.get(week, 0) < per_week and used[i] < headcounts[i]:
                taken[week] = taken.get(week, 0) + 1
                used[i] += 1
                w["fixed"].append(shifts[i]["id"])
        w["fixed"].sort(key=lambda sid: int(sid[1:]))


def _may_work_for(worker: dict, employer: dict) -> bool:
    if worker["employers"] is not None and employer["id"] not in worker["employers"]:
        return False
    return distance_km(worker["home"], employer["location"]) <= worker["max_travel_km"]


def _fits_base_contract(worker: dict, shift: dict) -> bool:
    if shift["start"].date() != shift["end"].date() or _hours(shift) > worker["min_hours_per_week"]:
        return False
    if not set(shift["skills"]) <= set(worker["skills"]):
        return False
    return any(a <= shift["start"] and shift["end"] <= b for a, b in worker["_intervals"])


# --- small helpers -----------------------------------------------------------------------

def _at(day: date, hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime.combine(day, time(h, m), TZ)


def _hours(shift: dict) -> float:
    return (shift["end"] - shift["start"]).total_seconds() / 3600 - shift["break_minutes"] / 60


def _public(record: dict) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _worker_dict(worker: dict) -> dict:
    out = _public(worker)
    out["available"] = [{"start": a.isoformat(), "end": b.isoformat()} for a, b in worker["_intervals"]]
    out["fixed"] = list(worker["fixed"])
    return out


def _shift_dict(shift: dict, headcount: int) -> dict:
    out = _public(shift)
    out["start"], out["end"] = shift["start"].isoformat(), shift["end"].isoformat()
    out["headcount"] = headcount
    return out
