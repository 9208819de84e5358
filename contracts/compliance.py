"""Compliance of one worker's combined schedule: Working Hours Act, minimum wage, CAO limits
and the three hours' pay per call. The law tests the WORKER, so hours at all employers are
added up.

    violations, notes = check_schedule(date(2005, 3, 1), items)

Each violation has a stable `rule` code (e.g. "ATW-week-60"), a readable `message` (Dutch by
default, English with lang="en") and the ids of the assignments involved. The notes say which
CAO applies per employer and what could not be checked.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from contracts.compliance_atw import ADULT_RULES
from contracts.compliance_model import ComplianceViolation, Schedule, WorkItem, sort_items
from contracts.compliance_night import NIGHT_RULES
from contracts.compliance_pay import PAY_RULES
from contracts.compliance_youth import YOUTH_RULES

__all__ = ["ComplianceViolation", "WorkItem", "RULES", "WORKING_TIME_RULES", "PAY_RULES", "RULE_CODES",
           "check_schedule"]

WORKING_TIME_RULES = ADULT_RULES + NIGHT_RULES + YOUTH_RULES   # the Working Hours Act's: they look across shifts
RULES = WORKING_TIME_RULES + PAY_RULES
RULE_CODES = (  # every code a violation can carry; stable for the UI and the API
    "OVERLAP", "ATW-shift-length", "ATW-week-60", "ATW-avg-55-4wk", "ATW-avg-48-16wk",
    "ATW-daily-rest", "ATW-weekly-rest", "ATW-break", "ATW-night-length", "ATW-night-rest",
    "ATW-night-count", "ATW-night-series", "ATW-night-avg-40", "ATW-sundays",
    "YOUTH-shift-9h", "YOUTH-week-45h", "YOUTH-4wk-160h", "YOUTH-night",
    "YOUTH-rest-12h", "YOUTH15-day-8h", "YOUTH15-week-40h", "YOUTH15-hours", "YOUTH-under-15",
    "YOUTH15-schoolday-2h", "YOUTH15-schoolweek-12h",
    "WML", "CAO-max-shift", "CAO-max-day", "ONCALL-3h",
)


def default_catalogue():
    """The CAO catalogue, or None while it is not available (CAO limits then go unchecked)."""
    try:
        from contracts.cao import catalogue
    except ImportError:
        return None
    return catalogue()


def check_schedule(
    birth_date: date,
    items: Sequence[WorkItem],
    *,
    catalogue=None,
    lang: str = "nl",
    rules: Sequence | None = None,
    school_holidays: Sequence[tuple[date, date]] = (),
    about: Collection[str] | None = None,
) -> tuple[list[ComplianceViolation], list[str]]:
    """All violations of the combined schedule, grouped by rule, and the notes (CAO per
    employer, limits of the check). `catalogue` defaults to `contracts.cao.catalogue()`;
    `rules`: only these of RULES (a caller that knows the others cannot apply);
    `school_holidays`: the worker's school holidays as (first day, last day), both included
    (Amsterdam days) — at 15 the other weekdays are school days (compliance_youth); `about`: only
    the notes that speak of one of these items (by id), or of the whole schedule — the working-time
    rules' notes name their items (a violation's, those an average counted), the pay and CAO notes
    none (run those rules over the items of interest instead: they judge each shift alone)."""
    schedule = Schedule(
        birth_date=birth_date,
        items=sort_items(items),
        lang=lang,
        catalogue=catalogue if catalogue is not None else default_catalogue(),
        school_holidays=tuple((first, last) for first, last in school_holidays),
    )
    violations: list[ComplianceViolation] = []
    for rule in RULES if rules is None else rules:
        violations.extend(rule(schedule))
    return violations, schedule.notes if about is None else schedule.notes_about(about)
