"""Guaranteed hours per week (nl-facts §3): a min-max contract always pays its guaranteed (minimum)
hours, a fixed-hours contract its contracted hours, whether or not the work was called for. What
was paid for hours under the contract in a week counts toward them; the rest is a top-up.

Weeks are ISO weeks (Monday to Sunday, Amsterdam days). A week the contract starts or ends in
guarantees its hours × the days in force / 7 (rounded up to 0.01 h, in the worker's favour, as
pay lines round hours). A week cut by a pay period is topped up once over the whole week (the
guarantee against all hours paid that week) and the top-up split over the periods by their days
in force, so two adjacent statements together pay the week exactly once: in hours and in euros
(each statement pays the part up to its end less the part before it, each rounded).
Pure functions over plain values: no database, no web.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

HOURS = Decimal("0.01")
CENT = Decimal("0.01")
GUARANTEE_KINDS = ("fixed", "min_max")
TOP_UP_TEXT = "Aanvulling garantie-uren"


def guarantees(kind: str, hours_per_week: Decimal | None) -> bool:
    """Whether a contract guarantees weekly hours: fixed or min-max with hours per week above 0."""
    return kind in GUARANTEE_KINDS and bool(hours_per_week) and hours_per_week > 0


def week_start(day: date) -> date:
    """The Monday of the ISO week `day` lies in."""
    return day - timedelta(days=day.weekday())


def days_in_force(monday: date, first: date, last: date | None) -> list[date]:
    """The days of the week starting `monday` from `first` through `last` (None: open-ended)."""
    days = (monday + timedelta(days=i) for i in range(7))
    return [d for d in days if first <= d and (last is None or d <= last)]


def guaranteed_hours(hours_per_week: Decimal, days: int) -> Decimal:
    """The week's guaranteed hours for `days` days in force (7: all of them)."""
    return (Decimal(hours_per_week) * days / 7).quantize(HOURS, ROUND_CEILING)


def _shortfall_through(hours_per_week: Decimal, paid: Decimal, days: int, through: int) -> Decimal:
    """The part of the week's shortfall (the guaranteed hours for `days` in force less the hours
    `paid` that week, never below 0) that falls on its first `through` days in force, rounded."""
    short = max(guaranteed_hours(hours_per_week, days) - paid, Decimal(0))
    if not days or through >= days:
        return short
    return (short * through / days).quantize(HOURS, ROUND_HALF_UP)


def top_up_hours(hours_per_week: Decimal, paid: Decimal, days: int, days_in_period: int,
                 days_before: int = 0) -> Decimal:
    """Hours to top up in a period: the week's shortfall for the `days_in_period` of its `days` in
    force that lie in the period (`days_before` of them lie before it). The part up to the period's
    end less the part before it, each rounded, so the periods that cut a week add up to its shortfall
    exactly (rounding each period's share on its own could pay 0.01 h too much or too little)."""
    return (_shortfall_through(hours_per_week, paid, days, days_before + days_in_period)
            - _shortfall_through(hours_per_week, paid, days, days_before))


def top_up_amount(hours_per_week: Decimal, paid: Decimal, days: int, days_in_period: int, days_before: int,
                  rate: Decimal) -> Decimal:
    """The pay for top_up_hours at `rate`, in the same way: the pay of the shortfall up to the
    period's end less the pay of the part before it, each rounded to the cent, so the statements
    that cut a week together pay the whole week's shortfall × rate exactly (hours × rate rounded per
    statement could differ from it by a cent)."""
    def pay(through: int) -> Decimal:
        return (_shortfall_through(hours_per_week, paid, days, through) * rate).quantize(CENT, ROUND_HALF_UP)
    return pay(days_before + days_in_period) - pay(days_before)
