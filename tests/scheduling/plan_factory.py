"""Tiny hand-made planning instances for the planner's tests (dict form)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from scheduling import load_instance, solve

TZ = ZoneInfo("Europe/Amsterdam")
HOME = {"lat": 52.22, "lon": 6.89}


def at(local: str) -> str:
    """'2026-03-02 06:00' (Amsterdam wall clock) → ISO text with the right UTC offset."""
    return datetime.fromisoformat(local).replace(tzinfo=TZ).isoformat()


def employer(ident: str = "E1", location: dict | None = HOME) -> dict:
    return {"id": ident, "name": f"Employer {ident}", "cao": None, "location": location}


def worker(ident: str = "W1", **overrides) -> dict:
    data = {
        "id": ident, "skills": ["x"], "home": HOME, "max_travel_km": None,
        "min_hours_per_week": 0, "target_hours_per_week": 0, "max_hours_per_week": 60,
        "employers": None,
        "available": [{"start": at("2026-01-01 00:00"), "end": at("2026-12-31 00:00")}],
        "fixed": [],
    }
    data.update(overrides)
    return data


def shift(ident: str, start: str, end: str, **overrides) -> dict:
    data = {"id": ident, "employer": "E1", "start": at(start), "end": at(end),
            "break_minutes": 0, "skills": ["x"], "headcount": 1, "priority": 1.0}
    data.update(overrides)
    return data


def instance(workers: list[dict], shifts: list[dict], employers: list[dict] | None = None,
             rules: dict | None = None) -> dict:
    data = {"format": "banenpool-instance/1", "timezone": "Europe/Amsterdam",
            "employers": employers or [employer()], "workers": workers, "shifts": shifts}
    if rules is not None:
        data["rules"] = rules
    return data


def plan(data: dict, **kwargs):
    """Solve the instance dict; returns the Solution."""
    kwargs.setdefault("time_limit", 20)
    return solve(load_instance(data), **kwargs)


def assigned(solution, worker_id: str | None = None) -> set[str]:
    return {a.shift for a in solution.assignments if worker_id in (None, a.worker)}
