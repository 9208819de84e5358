"""Validate one CAO version (a dict read from JSON) and build a `Cao` from it.

Every problem raises `CaoFileError` naming the file and the field path, e.g.
``hoveniers.json: surcharges[2].percent: must be a decimal string``.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation

from contracts.cao.feestdagen import HOLIDAY_NAMES
from contracts.cao.model import (
    HOLIDAY, OVERTIME_STACKING_RULES, OVERTIME_TRIGGERS, STACKING_RULES, SURCHARGE_KINDS,
    WEEKDAYS, BreakRule, Cao, OvertimeRule, Provenance, Surcharge,
)

DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")
SOURCE_RE = re.compile(r"^(\[\d+\])+$")
TIME_RE = re.compile(r"^([01]\d|2[0-4]):[0-5]\d$")
PROVENANCE_KEYS = {"source", "year", "example", "note"}
COMPENSATIONS = ("time_off", "paid_and_time_off")


class CaoFileError(ValueError):
    """A CAO data file breaks the schema; the message names the file and the field."""

    def __init__(self, file: str, path: str, problem: str):
        self.file, self.path, self.problem = file, path, problem
        super().__init__(f"{file}: {path}: {problem}" if path else f"{file}: {problem}")


class _Reader:
    def __init__(self, file: str):
        self.file = file

    def fail(self, path: str, problem: str):
        raise CaoFileError(self.file, path, problem)

    def obj(self, raw, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(raw, dict):
            self.fail(path, "must be an object")
        for key in raw:
            if key not in allowed:
                self.fail(_join(path, key), "unknown field")
        for key in sorted(required):
            if key not in raw:
                self.fail(_join(path, key), "is required")
        return raw

    def decimal(self, raw, path: str, minimum: Decimal = Decimal(0)) -> Decimal:
        if not isinstance(raw, str) or not DECIMAL_RE.match(raw):
            self.fail(path, "must be a decimal string")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.fail(path, "must be a decimal string")
        if value < minimum:
            self.fail(path, f"must be at least {minimum}")
        return value

    def text(self, raw, path: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            self.fail(path, "must be a non-empty string")
        return raw

    def day(self, raw, path: str) -> date:
        try:
            return date.fromisoformat(raw)
        except (TypeError, ValueError):
            self.fail(path, "must be a date YYYY-MM-DD")

    def clock(self, raw, path: str) -> time | None:
        """HH:MM; "24:00" means end of day and is returned as None."""
        if not isinstance(raw, str) or not TIME_RE.match(raw) or (raw > "24:00"):
            self.fail(path, "must be a time HH:MM between 00:00 and 24:00")
        return None if raw == "24:00" else time.fromisoformat(raw)

    def choice(self, raw, path: str, options) -> str:
        if raw not in options:
            self.fail(path, f"must be one of {', '.join(options)}")
        return raw

    def provenance(self, raw: dict, path: str) -> Provenance:
        example = raw.get("example", False)
        if not isinstance(example, bool):
            self.fail(_join(path, "example"), "must be true or false")
        source, year = raw.get("source"), raw.get("year")
        if source is not None and (not isinstance(source, str) or not SOURCE_RE.match(source)):
            self.fail(_join(path, "source"), 'must be nl-facts reference numbers like "[49][50]"')
        if year is not None and (not isinstance(year, int) or not 1990 <= year <= 2100):
            self.fail(_join(path, "year"), "must be a year such as 2025")
        if not example and (source is None or year is None):
            self.fail(path, "needs source and year, or example: true")
        note = raw.get("note")
        if note is not None:
            self.text(note, _join(path, "note"))
        return Provenance(source=source, year=year, example=example, note=note)

    def figure(self, raw, path: str, prov: dict[str, Provenance], key: str) -> Decimal:
        """A sourced number: {"value": "37", "source": "[49]", "year": 2023}."""
        self.obj(raw, path, PROVENANCE_KEYS | {"value"}, {"value"})
        prov[key] = self.provenance(raw, path)
        return self.decimal(raw["value"], _join(path, "value"))

    def optional_figure(self, raw, path, prov, key) -> Decimal | None:
        return None if raw is None else self.figure(raw, path, prov, key)


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


VERSION_FIELDS = {
    "code", "name", "valid_from", "valid_to", "standard_hours_per_week", "wage_scales",
    "surcharges", "stacking", "overtime", "min_paid_hours_per_call", "max_hours_per_shift",
    "max_hours_per_day", "normal_hours_per_day", "breaks", "holiday_allowance_percent",
    "public_holidays", "public_holiday_compensation", "inlenersbeloning", "notes",
}
REQUIRED_FIELDS = {
    "code", "name", "valid_from", "standard_hours_per_week", "wage_scales", "surcharges",
    "stacking", "overtime", "holiday_allowance_percent", "public_holidays",
}


def parse_version(raw: dict, file: str, prefix: str = "") -> Cao:
    """Validate one version dict and build its `Cao`; errors name `file` and the field."""
    r = _Reader(file)
    p = lambda key: _join(prefix, key)  # noqa: E731 - path helper
    r.obj(raw, prefix, VERSION_FIELDS, REQUIRED_FIELDS)
    prov: dict[str, Provenance] = {}
    code = r.text(raw["code"], p("code"))
    if not re.match(r"^[a-z][a-z0-9_-]*$", code):
        r.fail(p("code"), "must be lower-case letters, digits, - or _")
    valid_from = r.day(raw["valid_from"], p("valid_from"))
    valid_to = None if raw.get("valid_to") is None else r.day(raw["valid_to"], p("valid_to"))
    if valid_to is not None and valid_to < valid_from:
        r.fail(p("valid_to"), "must not be before valid_from")
    stacking = _stacking(r, raw["stacking"], p("stacking"), prov)
    return Cao(
        code=code,
        name=r.text(raw["name"], p("name")),
        valid_from=valid_from,
        valid_to=valid_to,
        standard_hours_per_week=r.figure(raw["standard_hours_per_week"], p("standard_hours_per_week"), prov, "standard_hours_per_week"),
        wage_scales=_scales(r, raw["wage_scales"], p("wage_scales"), prov),
        surcharges=_surcharges(r, raw["surcharges"], p("surcharges"), prov),
        overtime=_overtime(r, raw["overtime"], p("overtime"), prov),
        stacking=stacking[0],
        overtime_stacking=stacking[1],
        min_paid_hours_per_call=r.optional_figure(raw.get("min_paid_hours_per_call"), p("min_paid_hours_per_call"), prov, "min_paid_hours_per_call"),
        max_hours_per_shift=r.optional_figure(raw.get("max_hours_per_shift"), p("max_hours_per_shift"), prov, "max_hours_per_shift"),
        max_hours_per_day=r.optional_figure(raw.get("max_hours_per_day"), p("max_hours_per_day"), prov, "max_hours_per_day"),
        normal_hours_per_day=r.optional_figure(raw.get("normal_hours_per_day"), p("normal_hours_per_day"), prov, "normal_hours_per_day"),
        breaks=_breaks(r, raw.get("breaks", []), p("breaks"), prov),
        holiday_allowance_percent=r.figure(raw["holiday_allowance_percent"], p("holiday_allowance_percent"), prov, "holiday_allowance_percent"),
        public_holidays=_holidays(r, raw["public_holidays"], p("public_holidays"), prov),
        public_holiday_compensation=_compensation(r, raw.get("public_holiday_compensation"), p("public_holiday_compensation"), prov),
        inlenersbeloning=_flag(r, raw.get("inlenersbeloning"), p("inlenersbeloning"), prov),
        notes=tuple(r.text(n, _join(p("notes"), i)) for i, n in enumerate(_list(r, raw.get("notes", []), p("notes")))),
        provenance=prov,
        source_file=file,
    )


def _list(r: _Reader, raw, path: str) -> list:
    if not isinstance(raw, list):
        r.fail(path, "must be a list")
    return raw


def _scales(r, raw, path, prov) -> dict[str, Decimal]:
    if not isinstance(raw, dict) or not raw:
        r.fail(path, "must be a non-empty object of scale name to hourly wage")
    return {name: r.figure(item, _join(path, name), prov, f"wage_scales.{name}") for name, item in raw.items()}


def _surcharges(r, raw, path, prov) -> tuple[Surcharge, ...]:
    allowed = PROVENANCE_KEYS | {"kind", "label", "days", "from", "to", "percent", "min_hours_in_window"}
    out = []
    for i, item in enumerate(_list(r, raw, path)):
        at = _join(path, i)
        r.obj(item, at, allowed, {"kind", "label", "days", "percent"})
        days = _list(r, item["days"], _join(at, "days"))
        if not days:
            r.fail(_join(at, "days"), "must name at least one day")
        for j, day in enumerate(days):
            r.choice(day, _join(_join(at, "days"), j), WEEKDAYS + (HOLIDAY,))
        start = r.clock(item.get("from", "00:00"), _join(at, "from"))
        if start is None:
            r.fail(_join(at, "from"), "must be before 24:00")
        minimum = item.get("min_hours_in_window")
        prov[f"surcharges[{i}]"] = r.provenance(item, at)
        out.append(Surcharge(
            kind=r.choice(item["kind"], _join(at, "kind"), SURCHARGE_KINDS),
            label=r.text(item["label"], _join(at, "label")),
            days=frozenset(days),
            start=start,
            end=r.clock(item.get("to", "24:00"), _join(at, "to")),
            percent=r.decimal(item["percent"], _join(at, "percent")),
            provenance=prov[f"surcharges[{i}]"],
            min_hours_in_window=None if minimum is None else r.decimal(minimum, _join(at, "min_hours_in_window")),
        ))
    return tuple(out)


def _overtime(r, raw, path, prov) -> tuple[OvertimeRule, ...]:
    allowed = PROVENANCE_KEYS | {"trigger", "after_hours", "percent", "period_weeks"}
    out = []
    for i, item in enumerate(_list(r, raw, path)):
        at = _join(path, i)
        r.obj(item, at, allowed, {"trigger", "after_hours", "percent"})
        trigger = r.choice(item["trigger"], _join(at, "trigger"), OVERTIME_TRIGGERS)
        weeks = item.get("period_weeks")
        if trigger == "period" and (not isinstance(weeks, int) or weeks < 1):
            r.fail(_join(at, "period_weeks"), "must be a whole number of weeks for a period trigger")
        prov[f"overtime[{i}]"] = r.provenance(item, at)
        out.append(OvertimeRule(
            trigger=trigger,
            after_hours=r.decimal(item["after_hours"], _join(at, "after_hours")),
            percent=r.decimal(item["percent"], _join(at, "percent")),
            provenance=prov[f"overtime[{i}]"],
            period_weeks=weeks if trigger == "period" else None,
        ))
    return tuple(out)


def _breaks(r, raw, path, prov) -> tuple[BreakRule, ...]:
    out = []
    for i, item in enumerate(_list(r, raw, path)):
        at = _join(path, i)
        r.obj(item, at, PROVENANCE_KEYS | {"after_hours", "minutes"}, {"after_hours", "minutes"})
        if not isinstance(item["minutes"], int) or item["minutes"] < 0:
            r.fail(_join(at, "minutes"), "must be a whole number of minutes")
        prov[f"breaks[{i}]"] = r.provenance(item, at)
        out.append(BreakRule(r.decimal(item["after_hours"], _join(at, "after_hours")), item["minutes"], prov[f"breaks[{i}]"]))
    return tuple(out)


def _stacking(r, raw, path, prov) -> tuple[str, str]:
    r.obj(raw, path, PROVENANCE_KEYS | {"surcharges", "overtime"}, {"surcharges", "overtime"})
    prov["stacking"] = r.provenance(raw, path)
    return (r.choice(raw["surcharges"], _join(path, "surcharges"), STACKING_RULES),
            r.choice(raw["overtime"], _join(path, "overtime"), OVERTIME_STACKING_RULES))


def _holidays(r, raw, path, prov) -> tuple[str, ...]:
    r.obj(raw, path, PROVENANCE_KEYS | {"names"}, {"names"})
    prov["public_holidays"] = r.provenance(raw, path)
    names = _list(r, raw["names"], _join(path, "names"))
    return tuple(r.choice(n, _join(_join(path, "names"), i), HOLIDAY_NAMES) for i, n in enumerate(names))


def _compensation(r, raw, path, prov) -> str | None:
    if raw is None:
        return None
    r.obj(raw, path, PROVENANCE_KEYS | {"value"}, {"value"})
    prov["public_holiday_compensation"] = r.provenance(raw, path)
    return r.choice(raw["value"], _join(path, "value"), COMPENSATIONS)


def _flag(r, raw, path, prov) -> bool:
    if raw is None:
        return False
    r.obj(raw, path, PROVENANCE_KEYS | {"value"}, {"value"})
    if not isinstance(raw["value"], bool):
        r.fail(_join(path, "value"), "must be true or false")
    prov["inlenersbeloning"] = r.provenance(raw, path)
    return raw["value"]
