"""Read and write `banenpool-instance/1` and `banenpool-solution/1` JSON.

Errors name the object and field that is wrong, e.g.
``shifts[3] (id "S4").end: must be after start``.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduling.instance import (
    Assignment, Employer, Instance, Interval, Location, Rules, Shift, Solution,
    Unfilled, Worker,
)

INSTANCE_FORMAT = "banenpool-instance/1"
SOLUTION_FORMAT = "banenpool-solution/1"
_MISSING = object()


class InstanceFormatError(ValueError):
    """A planning file that does not follow instance-format.md."""


class _Reader:
    """Typed access to one JSON object; every error names `where`."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise InstanceFormatError(f"{where}: must be an object, got {_kind(data)}")
        self.data, self.where = data, where

    def fail(self, key: str, why: str):
        raise InstanceFormatError(f"{self.where}.{key}: {why}")

    def get(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.data:
            if default is _MISSING:
                self.fail(key, "missing field")
            return default
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value:
            self.fail(key, f"must be a non-empty string, got {_kind(value)}")
        return value

    def number(self, key: str, default: Any = _MISSING, minimum: float = 0.0) -> float:
        value = self.get(key, default)
        if value is None and default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"must be a number, got {_kind(value)}")
        if value < minimum:
            self.fail(key, f"must be at least {minimum:g}, got {value}")
        return float(value)

    def strings(self, key: str, default: Any = _MISSING) -> list[str] | None:
        value = self.get(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, "must be a list of strings")
        return value

    def items(self, key: str, default: Any = _MISSING) -> list:
        value = self.get(key, default)
        if not isinstance(value, list):
            self.fail(key, f"must be a list, got {_kind(value)}")
        return value

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(key, f"not an ISO 8601 time: {value!r}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            self.fail(key, f"needs a UTC offset, e.g. +01:00: {value!r}")
        return moment

    def location(self, key: str) -> Location | None:
        value = self.get(key, None)
        if value is None:
            return None
        loc = _Reader(value, f"{self.where}.{key}")
        return Location(loc.number("lat", minimum=-90), loc.number("lon", minimum=-180))


_JSON_KINDS = {bool: "boolean", int: "number", float: "number", str: "string", list: "list", dict: "object"}


def _kind(value: Any) -> str:
    """The JSON name of a value's type, for error messages."""
    return "null" if value is None else _JSON_KINDS.get(type(value), type(value).__name__)


def _label(kind: str, index: int, data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return f'{kind}[{index}] (id "{data["id"]}")'
    return f"{kind}[{index}]"


def _source_dict(source: str | Path | dict) -> dict:
    if isinstance(source, dict):
        return source
    text = Path(source).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceFormatError(f"{source}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InstanceFormatError(f"{source}: must hold a JSON object")
    return data


def _check_format(top: _Reader, expected: str) -> None:
    found = top.get("format")
    if found != expected:
        top.fail("format", f"expected {expected!r}, got {found!r}")


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            raise InstanceFormatError(f'{kind}[{index}] (id "{ident}").id: duplicate id')
        seen.add(ident)


def _rules(top: _Reader) -> Rules:
    raw = top.get("rules", None)
    if raw is None:
        return Rules()
    rules, default = _Reader(raw, "rules"), Rules()
    values = {name: rules.number(name, getattr(default, name))
              for name in Rules.__dataclass_fields__}
    if values["travel_speed_kmh"] <= 0:
        rules.fail("travel_speed_kmh", "must be positive")
    return Rules(**values)


def _employer(raw: Any, where: str) -> Employer:
    r = _Reader(raw, where)
    cao = r.get("cao", None)
    if cao is not None and not isinstance(cao, str):
        r.fail("cao", f"must be a string or null, got {_kind(cao)}")
    name = r.get("name", r.get("id"))
    return Employer(r.text("id"), str(name), cao, r.location("location"))


def _interval(raw: Any, where: str) -> Interval:
    r = _Reader(raw, where)
    start, end = r.time("start"), r.time("end")
    if end <= start:
        r.fail("end", "must be after start")
    return Interval(start, end)


def _worker(raw: Any, where: str, shift_ids: set[str], employer_ids: set[str]) -> Worker:
    r = _Reader(raw, where)
    employers = r.strings("employers", None)
    for ident in employers or ():
        if ident not in employer_ids:
            r.fail("employers", f"unknown employer id {ident!r}")
    fixed = r.strings("fixed", [])
    for ident in fixed:
        if ident not in shift_ids:
            r.fail("fixed", f"unknown shift id {ident!r}")
    if len(set(fixed)) != len(fixed):
        r.fail("fixed", "lists a shift twice")
    excluded = r.strings("excluded", [])
    for ident in excluded:
        if ident not in shift_ids:
            r.fail("excluded", f"unknown shift id {ident!r}")
        if ident in fixed:
            r.fail("excluded", f"shift {ident!r} is also fixed for this worker")
    available = tuple(_interval(item, f"{where}.available[{i}]")
                      for i, item in enumerate(r.items("available")))
    levels = [r.number(k) for k in
              ("min_hours_per_week", "target_hours_per_week", "max_hours_per_week")]
    return Worker(
        id=r.text("id"), skills=frozenset(r.strings("skills")), home=r.location("home"),
        max_travel_km=r.number("max_travel_km", None), min_hours_per_week=levels[0],
        target_hours_per_week=levels[1], max_hours_per_week=levels[2],
        employers=None if employers is None else frozenset(employers),
        available=available, fixed=tuple(fixed), excluded=frozenset(excluded))


def _shift(raw: Any, where: str, employer_ids: set[str]) -> Shift:
    r = _Reader(raw, where)
    employer = r.text("employer")
    if employer not in employer_ids:
        r.fail("employer", f"unknown employer id {employer!r}")
    start, end = r.time("start"), r.time("end")
    if end <= start:
        r.fail("end", "must be after start")
    brk = r.get("break_minutes")
    if isinstance(brk, bool) or not isinstance(brk, int) or brk < 0:
        r.fail("break_minutes", f"must be a whole number ≥ 0, got {brk!r}")
    if brk * 60 >= (end - start).total_seconds():
        r.fail("break_minutes", "must be shorter than the shift")
    headcount = r.get("headcount")
    if isinstance(headcount, bool) or not isinstance(headcount, int) or headcount < 1:
        r.fail("headcount", f"must be a whole number ≥ 1, got {headcount!r}")
    return Shift(r.text("id"), employer, start, end, brk, frozenset(r.strings("skills")),
                 headcount, r.number("priority", 1.0))


def load_instance(source: str | Path | dict) -> Instance:
    """Parse and validate an instance from a path, JSON text file or dict."""
    top = _Reader(_source_dict(source), "instance")
    _check_format(top, INSTANCE_FORMAT)
    timezone = top.text("timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        top.fail("timezone", f"unknown time zone {timezone!r}")
    raw_employers, raw_workers, raw_shifts = (
        top.items("employers"), top.items("workers"), top.items("shifts"))
    employers = tuple(_employer(e, _label("employers", i, e))
                      for i, e in enumerate(raw_employers))
    _unique("employers", [e.id for e in employers])
    employer_ids = {e.id for e in employers}
    shifts = tuple(_shift(s, _label("shifts", i, s), employer_ids)
                   for i, s in enumerate(raw_shifts))
    _unique("shifts", [s.id for s in shifts])
    shift_ids = {s.id for s in shifts}
    workers = tuple(_worker(w, _label("workers", i, w), shift_ids, employer_ids)
                    for i, w in enumerate(raw_workers))
    _unique("workers", [w.id for w in workers])
    keep, keep_weight = _keep(top, shift_ids, {w.id for w in workers})
    return Instance(timezone, _rules(top), employers, workers, shifts, _conflicts(top, shift_ids), keep,
                    keep_weight)


MAX_KEEP_WEIGHT = 100.0


def _keep(top: _Reader, shift_ids: set[str], worker_ids: set[str]) -> tuple[tuple[Assignment, ...], dict]:
    """Optional `keep`: [{"shift", "worker", "weight"?}] of a published plan, kept where the plan
    can; `weight` (optional, 1 to 100, default 1): how many changes dropping it counts as."""
    raw = top.get("keep", [])
    if not isinstance(raw, list):
        top.fail("keep", f"must be a list of {{\"shift\", \"worker\"}} objects, got {_kind(raw)}")
    pairs, weights = [], {}
    for i, item in enumerate(raw):
        where = f"keep[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("shift"), str) or \
                not isinstance(item.get("worker"), str):
            top.fail(where, f"must be an object with string fields shift and worker, got {item!r}")
        if item["shift"] not in shift_ids:
            top.fail(where, f"unknown shift id {item['shift']!r}")
        if item["worker"] not in worker_ids:
            top.fail(where, f"unknown worker id {item['worker']!r}")
        pairs.append(Assignment(item["shift"], item["worker"]))
        if "weight" in item:
            weight = item["weight"]
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or \
                    not 1 <= weight <= MAX_KEEP_WEIGHT:
                top.fail(f"{where}.weight", f"must be a number from 1 to {MAX_KEEP_WEIGHT:g}, got {weight!r}")
            if weight != 1:
                weights[item["shift"], item["worker"]] = float(weight)
    if len(set(pairs)) != len(pairs):
        top.fail("keep", "holds the same shift and worker twice")
    return tuple(pairs), weights


def _conflicts(top: _Reader, shift_ids: set[str]) -> frozenset[tuple[str, str]]:
    """Optional `conflicts`: pairs of shift ids no worker may hold both of."""
    raw = top.get("conflicts", [])
    if not isinstance(raw, list):
        top.fail("conflicts", f"must be a list of [shift id, shift id] pairs, got {_kind(raw)}")
    pairs = set()
    for i, pair in enumerate(raw):
        where = f"conflicts[{i}]"
        if not isinstance(pair, list) or len(pair) != 2 or \
                not all(isinstance(ident, str) for ident in pair):
            top.fail(where, f"must be a pair of shift ids, got {pair!r}")
        for ident in pair:
            if ident not in shift_ids:
                top.fail(where, f"unknown shift id {ident!r}")
        if pair[0] == pair[1]:
            top.fail(where, f"a shift cannot conflict with itself ({pair[0]!r})")
        pairs.add(tuple(sorted(pair)))
    return frozenset(pairs)


def _time(moment: datetime) -> str:
    return moment.isoformat()


def _loc(loc: Location | None) -> dict | None:
    return None if loc is None else {"lat": loc.lat, "lon": loc.lon}


def instance_to_dict(inst: Instance) -> dict:
    """The `banenpool-instance/1` JSON form of `inst`."""
    r = inst.rules
    return {
        "format": INSTANCE_FORMAT,
        "timezone": inst.timezone,
        "rules": {k: getattr(r, k) for k in Rules.__dataclass_fields__},
        "employers": [{"id": e.id, "name": e.name, "cao": e.cao, "location": _loc(e.location)}
                      for e in inst.employers],
        "workers": [{
            "id": w.id, "skills": sorted(w.skills), "home": _loc(w.home),
            "max_travel_km": w.max_travel_km, "min_hours_per_week": w.min_hours_per_week,
            "target_hours_per_week": w.target_hours_per_week,
            "max_hours_per_week": w.max_hours_per_week,
            "employers": None if w.employers is None else sorted(w.employers),
            "available": [{"start": _time(a.start), "end": _time(a.end)} for a in w.available],
            "fixed": list(w.fixed),
            **({"excluded": sorted(w.excluded)} if w.excluded else {}),
        } for w in inst.workers],
        "shifts": [{
            "id": s.id, "employer": s.employer, "start": _time(s.start), "end": _time(s.end),
            "break_minutes": s.break_minutes, "skills": sorted(s.skills),
            "headcount": s.headcount, "priority": s.priority,
        } for s in inst.shifts],
        **({"conflicts": pairs} if (pairs := _pairs_within(inst)) else {}),
        **({"keep": kept} if (kept := _kept_within(inst)) else {}),
    }


def _kept_within(inst: Instance) -> list[dict]:
    shifts, workers = {s.id for s in inst.shifts}, {w.id for w in inst.workers}
    return [{"shift": a.shift, "worker": a.worker,
             **({"weight": weight} if (weight := inst.drop_weight(a.shift, a.worker)) != 1 else {})}
            for a in inst.keep if a.shift in shifts and a.worker in workers]


def _pairs_within(inst: Instance) -> list[list[str]]:
    """The instance's conflicts between its own shifts (a week or region cut from a larger
    instance keeps the larger one's pairs)."""
    ids = {s.id for s in inst.shifts}
    return [list(pair) for pair in sorted(inst.conflicts) if set(pair) <= ids]


def load_solution(source: str | Path | dict) -> Solution:
    """Parse a `banenpool-solution/1` file or dict."""
    top = _Reader(_source_dict(source), "solution")
    _check_format(top, SOLUTION_FORMAT)
    status = top.text("status")
    if status not in ("optimal", "feasible", "infeasible"):
        top.fail("status", f"must be optimal, feasible or infeasible, got {status!r}")
    assignments = []
    for i, raw in enumerate(top.items("assignments")):
        a = _Reader(raw, f"assignments[{i}]")
        assignments.append(Assignment(a.text("shift"), a.text("worker")))
    unfilled = []
    for i, raw in enumerate(top.items("unfilled", [])):
        u = _Reader(raw, f"unfilled[{i}]")
        unfilled.append(Unfilled(u.text("shift"), int(u.number("open")),
                                 tuple(u.strings("reasons", []))))
    metrics, bound = top.get("metrics", {}), top.get("bound", {})
    for key, value in (("metrics", metrics), ("bound", bound)):
        if not isinstance(value, dict):
            top.fail(key, f"must be an object, got {_kind(value)}")
    levels = top.items("levels", [])
    for i, level in enumerate(levels):
        if not isinstance(level, dict):
            top.fail(f"levels[{i}]", f"must be an object, got {_kind(level)}")
    return Solution(status, tuple(assignments), tuple(unfilled), dict(metrics), dict(bound),
                    top.number("solve_seconds", 0.0), tuple(dict(level) for level in levels))


def solution_to_dict(sol: Solution) -> dict:
    """The `banenpool-solution/1` JSON form of `sol`."""
    return {
        "format": SOLUTION_FORMAT,
        "status": sol.status,
        "assignments": [{"shift": a.shift, "worker": a.worker} for a in sol.assignments],
        "unfilled": [{"shift": u.shift, "open": u.open, "reasons": list(u.reasons)}
                     for u in sol.unfilled],
        "metrics": dict(sol.metrics),
        "bound": dict(sol.bound),
        "solve_seconds": sol.solve_seconds,
        **({"levels": [dict(level) for level in sol.levels]} if sol.levels else {}),
    }
