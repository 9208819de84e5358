"""Lookups in the CAO catalogue (contracts/cao) with errors that name the request field."""
from __future__ import annotations

from datetime import date

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
