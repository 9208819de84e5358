"""Pay and CAO rules on the combined schedule: statutory minimum wage (WML), the CAO's
maximum shift and day lengths, and the three hours' pay per call (art. 7:628a BW).
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from contracts.compliance_atw import V, day_text, label, where
from contracts.formats import euro, number
from contracts.compliance_model import ComplianceViolation, Schedule, WorkItem
from contracts.compliance_text import say
from contracts.compliance_time import hours_text
from contracts.pay import (  # noqa: F401  (one 3-hour rule, one reading of fixed times)
    SMALL_CONTRACT_HOURS, three_hours_per_call, within_fixed_times)
from contracts.wml import KNOWN_UNTIL, WmlUnknown, age_on, wml_rate

MIN_CALL_HOURS = 3


def minimum_wage(s: Schedule) -> list[ComplianceViolation]:
    """WML: the hourly wage is at least the statutory minimum for the worker's age on each day
    the item is worked (a night shift's hours after midnight meet that day's minimum: the WML
    changes on 1 January and 1 July, and a birthday at midnight raises the youth minimum)."""
    found = []
    for item in s.items:
        if item.hourly_wage is None:
            continue
        for day in _work_days(item):
            age = age_on(s.birth_date, day)
            if age < 15:
                continue
            try:
                rate = wml_rate(day, age)
            except WmlUnknown:
                s.note(say(s.lang, "note-no-wml", a=label(item, s.lang), day=day_text(day, s.lang), age=age))
                continue
            if day > KNOWN_UNTIL:
                s.note(say(s.lang, "note-wml-not-yet-known", until=day_text(KNOWN_UNTIL, s.lang),
                           since=day_text(rate.effective, s.lang)))
            if item.hourly_wage < rate.hourly:
                text = say(s.lang, "WML", a=label(item, s.lang), day=day_text(day, s.lang),
                           wage=euro(item.hourly_wage, s.lang), age=age, wml=euro(rate.hourly, s.lang))
                found.append(V("WML", text, [item.id]))
                break   # one violation per item: the first day it falls short
    return found


def _work_days(item: WorkItem) -> list[date]:
    """The Amsterdam days an item's time falls on (an end at midnight adds no day)."""
    first, last = item.local_start.date(), (item.local_end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# -- CAO limits ---------------------------------------------------------------------------
def cao_of(s: Schedule, item: WorkItem):
    """The item's CAO version on its day, or None (with a note) when it cannot be found."""
    if item.cao_code is None or s.catalogue is None:
        return None
    day = item.local_start.date()
    try:
        return s.catalogue.get(item.cao_code, on=day)
    except (KeyError, LookupError, ValueError):
        s.note(say(s.lang, "note-unknown-cao", employer=item.employer_name, code=item.cao_code,
                   day=day_text(day, s.lang)))
        return None


def cao_max_shift(s: Schedule) -> list[ComplianceViolation]:
    """CAO-max-shift: an item's work stays within its CAO's maximum hours per shift."""
    found = []
    for item in s.items:
        cao = cao_of(s, item)
        limit = getattr(cao, "max_hours_per_shift", None)
        if limit is not None and item.work_hours > Fraction(limit):
            text = say(s.lang, "CAO-max-shift", cao=cao.name, a=label(item, s.lang),
                       hours=hours_text(item.work_hours, round_up=True, lang=s.lang), limit=number(limit, s.lang))
            found.append(V("CAO-max-shift", text, [item.id]))
    return found


def cao_days(s: Schedule) -> dict[tuple[str, date], list[WorkItem]]:
    days: dict[tuple[str, date], list[WorkItem]] = {}
    for item in s.items:
        if item.cao_code is not None:
            days.setdefault((item.cao_code, item.local_start.date()), []).append(item)
    return days


def cao_max_day(s: Schedule) -> list[ComplianceViolation]:
    """CAO-max-day: the worker's hours under one CAO on one day stay within its day maximum."""
    found = []
    for (_, day), items in sorted(cao_days(s).items()):
        cao = cao_of(s, items[0])
        limit = getattr(cao, "max_hours_per_day", None)
        hours = sum((i.work_hours for i in items), Fraction(0))
        if limit is not None and hours > Fraction(limit):
            ids = [i.id for i in items]
            text = say(s.lang, "CAO-max-day", cao=cao.name, hours=hours_text(hours, round_up=True, lang=s.lang),
                       day=day_text(day, s.lang), where=where(items, s.lang), limit=number(limit, s.lang))
            found.append(V("CAO-max-day", text, ids))
    return found


def cao_notes(s: Schedule) -> list[ComplianceViolation]:
    """Notes only: which CAO applies per employer and whether its numbers are examples."""
    seen: set[tuple[str, str | None]] = set()
    for item in s.items:
        if (item.employer_id, item.cao_code) in seen:
            continue
        seen.add((item.employer_id, item.cao_code))
        cao = cao_of(s, item)
        if item.cao_code is None:
            s.note(say(s.lang, "note-no-cao", employer=item.employer_name))
        elif cao is not None:
            key = "note-agency-cao" if getattr(cao, "inlenersbeloning", False) else "note-cao"
            s.note(say(s.lang, key, employer=item.employer_name, name=cao.name, code=cao.code))
            example_note(s, cao, item)
    if any(cao_of(s, i) is not None for i in s.items):
        s.note(say(s.lang, "note-cao-binds"))
    return []


def example_note(s: Schedule, cao, item: WorkItem) -> None:
    paths = ("max_hours_per_shift", "max_hours_per_day", "min_paid_hours_per_call")
    is_example = getattr(cao, "is_example", None)
    if is_example is not None and any(is_example(p) for p in paths if getattr(cao, p, None) is not None):
        s.note(say(s.lang, "note-cao-example"))
    valid_to = getattr(cao, "valid_to", None)
    if valid_to is not None and item.local_start.date() > valid_to:
        s.note(say(s.lang, "note-nawerking", name=cao.name, until=day_text(valid_to, s.lang)))


# -- three hours per call -----------------------------------------------------------------
def is_call_contract(item: WorkItem) -> bool:
    """The pay engine's rule (contracts.pay.three_hours_per_call) with its reading of fixed times
    (contracts.pay.within_fixed_times): a shift at the contract's fixed times (its base pattern) is
    worked at fixed times, one outside them is not."""
    return three_hours_per_call(item.contract_kind, item.contract_hours_per_week,
                                fixed_times=within_fixed_times(item.fixed_times, item.start, item.end))


def on_call_3h(s: Schedule) -> list[ComplianceViolation]:
    """ONCALL-3h: a call under 3 h is paid as 3 h; a violation only when pay is known short."""
    found = []
    for item in s.items:
        if not is_call_contract(item) or item.work_hours >= MIN_CALL_HOURS:
            continue
        if item.paid_hours is not None and item.paid_hours < MIN_CALL_HOURS:
            text = say(s.lang, "ONCALL-3h", a=label(item, s.lang),
                       hours=hours_text(item.work_hours, round_down=True, lang=s.lang),
                       paid=number(item.paid_hours, s.lang))
            found.append(V("ONCALL-3h", text, [item.id]))
        elif item.paid_hours is None:
            s.note(say(s.lang, "note-oncall", a=label(item, s.lang),
                       hours=hours_text(item.work_hours, round_down=True, lang=s.lang)))
    return found


PAY_RULES = (minimum_wage, cao_max_shift, cao_max_day, on_call_3h, cao_notes)
