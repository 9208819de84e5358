"""`Cao` → JSON-safe dict (Decimals as strings, provenance beside every number)."""

from __future__ import annotations

from decimal import Decimal

from contracts.cao.model import Cao, Provenance


def _figure(value: Decimal | None, prov: Provenance | None) -> dict | None:
    if value is None:
        return None
    return {"value": str(value), **(prov or Provenance(example=True)).to_dict()}


def cao_to_dict(cao: Cao) -> dict:
    prov = cao.provenance
    fig = lambda name: _figure(getattr(cao, name), prov.get(name))  # noqa: E731
    return {
        "code": cao.code,
        "name": cao.name,
        "valid_from": cao.valid_from.isoformat(),
        "valid_to": cao.valid_to.isoformat() if cao.valid_to else None,
        "standard_hours_per_week": fig("standard_hours_per_week"),
        "wage_scales": {
            name: _figure(wage, prov.get(f"wage_scales.{name}")) for name, wage in cao.wage_scales.items()
        },
        "lowest_scale": cao.lowest_scale(),
        "surcharges": [
            {
                "kind": s.kind,
                "label": s.label,
                "days": sorted(s.days, key=_day_order),
                "from": s.window_text().split("–")[0],
                "to": s.window_text().split("–")[1],
                "percent": str(s.percent),
                "min_hours_in_window": None if s.min_hours_in_window is None else str(s.min_hours_in_window),
                **s.provenance.to_dict(),
            }
            for s in cao.surcharges
        ],
        "stacking": {"surcharges": cao.stacking, "overtime": cao.overtime_stacking,
                     **prov.get("stacking", Provenance(example=True)).to_dict()},
        "overtime": [
            {"trigger": o.trigger, "after_hours": str(o.after_hours), "percent": str(o.percent),
             "period_weeks": o.period_weeks, **o.provenance.to_dict()}
            for o in cao.overtime
        ],
        "min_paid_hours_per_call": fig("min_paid_hours_per_call"),
        "max_hours_per_shift": fig("max_hours_per_shift"),
        "max_hours_per_day": fig("max_hours_per_day"),
        "normal_hours_per_day": fig("normal_hours_per_day"),
        "breaks": [
            {"after_hours": str(b.after_hours), "minutes": b.minutes, **b.provenance.to_dict()} for b in cao.breaks
        ],
        "holiday_allowance_percent": fig("holiday_allowance_percent"),
        "public_holidays": {"names": list(cao.public_holidays),
                            **prov.get("public_holidays", Provenance(example=True)).to_dict()},
        "public_holiday_compensation": cao.public_holiday_compensation,
        "inlenersbeloning": cao.inlenersbeloning,
        "notes": list(cao.notes),
    }


def _day_order(day: str) -> int:
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday")
    return order.index(day)
