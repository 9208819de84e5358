"""Lookups in the CAO catalogue (contracts/cao) with errors that name the request field."""
from __future__ import annotations

from contextlib import suppress
from datetime import date

from banenpool.calendar_nl import AMS
from banenpool.errors import InvalidInput, NotFound


def catalogue():
    from contracts.cao import catalogue as _catalogue
    return _catalogue()


def get_cao(code: str, on: date | None = None):
    """The version of CAO `code` in force on `on` (default: today). An unknown code, or a known
    one with no version in force that day (before its first version), is NotFound (404) saying which."""
    day = on or date.today()
    try:
        return catalogue().get(code, day)
    except (KeyError, LookupError, ValueError) as exc:
        if code not in catalogue().codes():
            raise NotFound(f"CAO {code!r} not found; known: {', '.join(catalogue().codes())}") from exc
        first = catalogue().versions(code)[0].valid_from
        raise NotFound(f"no version of CAO {code!r} is in force on {day.isoformat()} "
                       f"(its first version is valid from {first.isoformat()})") from exc


def caos_in_force(on: date | None = None) -> list:
    """The catalogue on `on` (default: today): the version of each CAO in force that day; a CAO
    with none in force then (its first version starts later) is left out, so the list may be empty."""
    in_force = []
    for code in catalogue().codes():
        with suppress(NotFound):
            in_force.append(get_cao(code, on))
    return in_force


def require_cao(code: str, field: str, on: date | None = None):
    if code not in catalogue().codes():
        raise InvalidInput({field: [f"unknown CAO {code!r}; known: {', '.join(catalogue().codes())}"]})
    try:
        return catalogue().get(code, on or date.today())
    except (KeyError, LookupError, ValueError):
        raise InvalidInput({field: [f"CAO {code!r} has no version valid on {on or date.today()}"]}) from None


def require_scale(cao, scale: str | None, field: str) -> str:
    """The given wage scale if the CAO has it, else the CAO's lowest scale when none was given."""
    if scale is None:
        return cao.lowest_scale()
    if scale not in cao.wage_scales:
        raise InvalidInput({field: [f"CAO {cao.code} has no scale {scale!r}; known: {', '.join(cao.wage_scales)}"]})
    return scale


def diff(a: str, b: str, on: date, lang: str = "nl") -> list[dict]:
    from contracts.caodiff import diff_caos
    return [{"topic": d.topic, "a": d.a, "b": d.b, "message": d.message}
            for d in diff_caos(get_cao(a, on), get_cao(b, on), lang=lang)]


def shift_errors(data: dict) -> dict[str, list[str]]:
    """What is wrong with a pay preview's shift (`start`, `end`, `break_minutes`, `birth_date`), by field."""
    start, end, day = data["start"], data["end"], data["start"].astimezone(AMS).date()
    errors: dict[str, list[str]] = {}
    if end <= start:
        errors["end"] = ["must be after start"]
    elif (end - start).total_seconds() > 24 * 3600:
        errors["end"] = ["a shift lasts at most 24 hours"]
    elif data.get("break_minutes", 0) * 60 >= (end - start).total_seconds():
        errors["break_minutes"] = ["the break is as long as the shift"]
    if data["birth_date"] >= day:
        errors["birth_date"] = [f"must be before the shift's day ({day.isoformat()})"]
    return errors


def pay_preview(data: dict) -> dict:
    """POST /pay/preview and `banenpool pay-preview`: what one shift pays under a CAO, its lines and
    notes in `lang` (nl, or en); a bad shift (see shift_errors) or CAO is InvalidInput naming the
    field (422 in the API)."""
    from contracts.pay import preview_pay
    errors = shift_errors(data)
    if errors:
        raise InvalidInput(errors)
    on = data["start"].astimezone(AMS).date()  # the CAO version of the Amsterdam day, whatever offset was sent
    cao = require_cao(data["cao_code"], "cao_code", on=on)
    scale = require_scale(cao, data.get("scale"), "scale")
    result = preview_pay(cao, scale, data["birth_date"], data.get("contract_kind", "on_call"),
                         data.get("hours_per_week"), data["start"], data["end"], data.get("break_minutes", 0),
                         hourly_wage=data.get("hourly_wage"),
                         worked_before_in_week=data.get("worked_before_in_week") or 0,
                         worked_before_on_day=data.get("worked_before_on_day") or 0,
                         fixed_times=data.get("fixed_times", True), bbl=data.get("bbl", False),
                         lang=data.get("lang", "nl"))
    return result.to_dict()
