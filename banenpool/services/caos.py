"""Lookups in the CAO catalogue (contracts/cao) with errors that name the request field."""
from __future__ import annotations

from datetime import date

from banenpool.calendar_nl import AMS
from banenpool.errors import InvalidInput, NotFound


def catalogue():
    from contracts.cao import catalogue as _catalogue
    return _catalogue()


def get_cao(code: str, on: date | None = None):
    try:
        return catalogue().get(code, on or date.today())
    except (KeyError, LookupError, ValueError) as exc:
        raise NotFound(f"CAO {code!r} not found{'' if on is None else f' valid on {on}'}") from exc


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


def pay_preview(data: dict) -> dict:
    """POST /pay/preview and `banenpool pay-preview`: what one shift pays under a CAO."""
    from contracts.pay import preview_pay
    on = data["start"].astimezone(AMS).date()  # the CAO version of the Amsterdam day, whatever offset was sent
    cao = require_cao(data["cao_code"], "cao_code", on=on)
    scale = require_scale(cao, data.get("scale"), "scale")
    result = preview_pay(cao, scale, data["birth_date"], data.get("contract_kind", "on_call"),
                         data.get("hours_per_week"), data["start"], data["end"], data.get("break_minutes", 0),
                         hourly_wage=data.get("hourly_wage"),
                         worked_before_in_week=data.get("worked_before_in_week") or 0)
    return result.to_dict()
