"""Working Hours Act (Arbeidstijdenwet) rules for adults, tested on the worker's combined
schedule across all employers (nl-facts §2). One small function per rule; the rule code is
what the user sees.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction

from contracts import formats
from contracts.compliance_model import AMS, ComplianceViolation, Duty, Schedule, WorkItem
from contracts.compliance_text import say, weeks_text
from contracts.formats import names
from contracts.compliance_time import (
    clock,
    day_clock,
    hours_text,
    local_at,
    longest_rest,
    rests,
    week_label,
    week_monday,
    weekly_hours,
)

ADULT = (18, 200)
DAY = timedelta(hours=24)
WEEK = timedelta(days=7)


def V(rule: str, message: str, ids) -> ComplianceViolation:  # noqa: N802 - a short constructor
    return ComplianceViolation(rule, message, tuple(dict.fromkeys(ids)))


def span(duty_or_item: Duty | WorkItem, lang: str = "nl") -> str:
    """Like "ma 5 jan 22:00–06:00 (+1)", as the pages show a shift into the next day; the end date
    is shown when the end's clock is later than the start's (a span of more than a day)."""
    if isinstance(duty_or_item, WorkItem):
        start, end = duty_or_item.utc_start, duty_or_item.utc_end
    else:
        start, end = duty_or_item.start, duty_or_item.end
    next_day = end.astimezone(AMS).date() != start.astimezone(AMS).date()
    if next_day and clock(end) > clock(start):
        shown = day_clock(end, lang)
    else:
        shown = clock(end) + (" (+1)" if next_day else "")
    return f"{day_clock(start, lang)}–{shown}"


def where(items, lang: str = "nl") -> str:
    """ "bij Bakkerij en Garage": the employers of the items, as a person knows them."""
    found = [i.employer_name for i in items if i.employer_name]
    return say(lang, "where", names=names(found, lang)) if found else ""


def label(item: WorkItem, lang: str = "nl") -> str:
    """One shift as a person knows it: "ma 23 mrt 07:00–15:00 bij Bakkerij" (the id stays in the
    violation's assignment_ids)."""
    return f"{span(item, lang)} {where([item], lang)}".rstrip()


def day_text(day: date, lang: str = "nl") -> str:
    """ "ma 23 mrt 2026"."""
    return formats.day(day, lang, year=True)


# -- double booking ---------------------------------------------------------------------------
def double_booking(s: Schedule) -> list[ComplianceViolation]:
    """OVERLAP: the worker cannot be at two assignments at the same time."""
    found = []
    for n, a in enumerate(s.items):
        for b in s.items[n + 1:]:
            if b.utc_start >= a.utc_end:
                break
            text = say(s.lang, "OVERLAP", a=label(a, s.lang), b=label(b, s.lang))
            found.append(V("OVERLAP", text, [a.id, b.id]))
    return found


# -- hours ------------------------------------------------------------------------------------
def shift_length(s: Schedule) -> list[ComplianceViolation]:
    """ATW-shift-length: at most 12 h of work per duty, all employers together."""
    return [
        V("ATW-shift-length", say(s.lang, "ATW-shift-length", hours=hours_text(d.work_hours, round_up=True,
                                                                                lang=s.lang),
                                  span=span(d, s.lang), where=where(d.items, s.lang)), d.ids)
        for d in s.duties_aged(*ADULT)
        if d.work_hours > 12
    ]


def per_employer_text(per_item: dict[WorkItem, dict[date, Fraction]], monday: date, lang: str = "nl") -> str:
    totals: dict[str, Fraction] = {}
    for item, weeks in per_item.items():
        if weeks.get(monday):
            totals[item.employer_name] = totals.get(item.employer_name, Fraction(0)) + weeks[monday]
    return ", ".join(f"{name} {hours_text(h, round_up=True, lang=lang)}" for name, h in totals.items())


def week_limit(s: Schedule, items: list[WorkItem], rule: str, limit: int,
               when: Callable[[date], bool] | None = None) -> list[ComplianceViolation]:
    """Hours per ISO week, all employers together, at most `limit` (in the weeks, by Monday, for
    which `when` holds, if given)."""
    per_item = {item: weekly_hours([item]) for item in items}
    found = []
    for monday, hours in sorted(weekly_hours(items).items()):
        if hours > limit and (when is None or when(monday)):
            text = say(s.lang, rule, hours=hours_text(hours, round_up=True, lang=s.lang),
                       week=week_label(monday, s.lang), per=per_employer_text(per_item, monday, s.lang))
            found.append(V(rule, text, [i.id for i, weeks in per_item.items() if monday in weeks]))
    return found


def adult_period_items(s: Schedule, weeks_before: int = 0) -> list[WorkItem]:
    """Every item (any age) from the ISO week of the worker's first adult work on, or `weeks_before`
    weeks earlier: hours worked before the 18th birthday count towards an adult limit of a week or
    window that holds adult work. Empty without adult work."""
    adult = s.items_aged(*ADULT)
    if not adult:
        return []
    since = local_at(week_monday(adult[0].utc_start) - timedelta(weeks=weeks_before), 0)
    return [i for i in s.items if i.utc_end > since]


def week_60(s: Schedule) -> list[ComplianceViolation]:
    """ATW-week-60: at most 60 h in an ISO week (Monday 00:00 local), all employers together."""
    return week_limit(s, adult_period_items(s), "ATW-week-60", 60)


def rolling_weeks(weeks: dict[date, Fraction], n: int, max_total: int):
    """Yield (first Monday, last Monday, total) for the worst window of each run of windows
    of n consecutive weeks whose total exceeds max_total; weeks without data count as 0."""
    if not weeks:
        return
    first, last = min(weeks), max(weeks)
    monday, run = first - timedelta(weeks=n - 1), None
    total = sum((weeks.get(monday + timedelta(weeks=k), Fraction(0)) for k in range(n)), Fraction(0))
    while monday <= last:
        if total > max_total and (run is None or total > run[2]):
            run = (monday, monday + timedelta(weeks=n - 1), total)
        elif total <= max_total and run is not None:
            yield run
            run = None
        # slide the window one week: drop its first week, add the week after its last
        total += weeks.get(monday + timedelta(weeks=n), Fraction(0)) - weeks.get(monday, Fraction(0))
        monday += timedelta(weeks=1)
    if run is not None:
        yield run


def partial_window_note(s: Schedule, items: list[WorkItem], weeks: dict[date, Fraction], n: int, what: str) -> None:
    """Say when the items' `weeks` cover fewer than the `n` weeks a rolling limit looks at."""
    if not weeks:
        return
    first, last = min(weeks), max(weeks)
    covered = (last - first).days // 7 + 1
    if covered < n:
        s.note(say(s.lang, "note-partial-window", what=say(s.lang, f"title-{what}"),
                   weeks=weeks_text(s.lang, covered),
                   first=week_label(first, s.lang), last=week_label(last, s.lang)), [i.id for i in items])


def average_limit(s: Schedule, rule: str, n: int, per_week: int) -> list[ComplianceViolation]:
    items = adult_period_items(s, n - 1)
    weeks = weekly_hours(items)
    partial_window_note(s, items, weeks, n, rule)
    found = []
    for first, last, total in rolling_weeks(weeks, n, n * per_week):
        text = say(s.lang, rule, avg=hours_text(total / n, round_up=True, lang=s.lang),
                   first=week_label(first, s.lang), last=week_label(last, s.lang))
        ids = [i.id for i in items if first <= i.local_start.date() < last + WEEK]
        found.append(V(rule, text, ids))
    return found


def average_55_over_4_weeks(s: Schedule) -> list[ComplianceViolation]:
    """ATW-avg-55-4wk: on average at most 55 h per week in every 4 consecutive weeks."""
    return average_limit(s, "ATW-avg-55-4wk", 4, 55)


def average_48_over_16_weeks(s: Schedule) -> list[ComplianceViolation]:
    """ATW-avg-48-16wk: on average at most 48 h per week in every 16 consecutive weeks."""
    return average_limit(s, "ATW-avg-48-16wk", 16, 48)


# -- rest -------------------------------------------------------------------------------------
def short_rests(s: Schedule, starts: list[WorkItem], limit: int, rule: str) -> list[ComplianceViolation]:
    """Every 24 h from the start of an item must hold `limit` h of unbroken rest."""
    all_rests, found, seen = rests(s.items), [], set()
    for item in starts:
        lo, hi = item.utc_start, item.utc_start + DAY
        best, rest = longest_rest(all_rests, lo, hi)
        if best >= timedelta(hours=limit):
            continue
        if rest is not None and rest.after is not None and rest.end <= hi:
            ids = (rest.before.id, rest.after.id)
            text = say(s.lang, "rest-pair", hours=hours_text(best, round_down=True, lang=s.lang),
                       a=label(rest.before, s.lang), b=label(rest.after, s.lang), limit=limit)
        else:
            ids = tuple(i.id for i in s.items if i.utc_start < hi and i.utc_end > lo)
            text = say(s.lang, "rest-window", a=label(item, s.lang),
                       hours=hours_text(best, round_down=True, lang=s.lang), limit=limit)
        if ids not in seen:
            seen.add(ids)
            found.append(V(rule, text, ids))
    return found


def daily_rest(s: Schedule) -> list[ComplianceViolation]:
    """ATW-daily-rest: 11 h unbroken rest in every 24 h (the once-a-week 8 h is not applied)."""
    found = short_rests(s, s.items_aged(*ADULT), 11, "ATW-daily-rest")
    if found:
        s.note(say(s.lang, "note-rest-reduction"), [i for v in found for i in v.assignment_ids])
    return found


def fortnight_ok(all_rests, lo) -> bool:
    """72 h rest in the 14×24 h from `lo`, counting only rests of at least 32 h."""
    parts = [r.within(lo, lo + 2 * WEEK) for r in all_rests]
    return sum((p for p in parts if p >= timedelta(hours=32)), timedelta(0)) >= timedelta(hours=72)


def weekly_rest_ok(s: Schedule, all_rests, lo, youth: bool = False) -> tuple[bool, timedelta]:
    """36 h in the 7×24 h from `lo`, or else (adults only) the 72-per-14×24 h regime around it."""
    best, _ = longest_rest(all_rests, lo, lo + WEEK)
    if best >= timedelta(hours=36) or youth:
        return best >= timedelta(hours=36), best
    starts = [i.utc_start for i in s.items if lo - WEEK <= i.utc_start <= lo]
    return all(fortnight_ok(all_rests, start) for start in starts), best


def weekly_rest(s: Schedule) -> list[ComplianceViolation]:
    """ATW-weekly-rest: 36 h unbroken rest per 7×24 h (adults: or 72 h per 14×24 h in parts
    ≥ 32 h; 16- and 17-year-olds have no such alternative, nl-facts §2 Youth).

    Time after the last item counts as rest."""
    all_rests, found, skip_until = rests(s.items), [], None
    for item in s.items:
        lo = item.utc_start
        if skip_until is not None and lo < skip_until:
            continue
        ok, best = weekly_rest_ok(s, all_rests, lo, youth=s.age(item) < ADULT[0])
        if not ok:
            ids = [i.id for i in s.items if lo <= i.utc_start < lo + WEEK]
            text = say(s.lang, "ATW-weekly-rest", a=label(item, s.lang),
                       hours=hours_text(best, round_down=True, lang=s.lang))
            found.append(V("ATW-weekly-rest", text, ids))
            skip_until = lo + WEEK
    return found


# -- breaks -----------------------------------------------------------------------------------
def break_needed(work: Fraction, youth: bool) -> int:
    if youth:
        return 30 if work > Fraction(9, 2) else 0
    return 45 if work > 10 else 30 if work > Fraction(11, 2) else 0


def breaks(s: Schedule) -> list[ComplianceViolation]:
    """ATW-break: > 5.5 h work needs 30 min pause, > 10 h 45 min; under 18: > 4.5 h 30 min.

    Gaps of 15 min or more between items of one duty count as pause."""
    found = []
    for duty in s.duties_aged(0, 200):
        need = break_needed(duty.work_hours, s.age(duty.items[0]) < 18)
        if duty.pause_minutes < need:
            text = say(s.lang, "ATW-break", hours=hours_text(duty.work_hours, round_up=True, lang=s.lang),
                       span=span(duty, s.lang), where=where(duty.items, s.lang), pause=duty.pause_minutes,
                       need=need)
            found.append(V("ATW-break", text, duty.ids))
    return found


# -- Sundays ----------------------------------------------------------------------------------
FREE_SUNDAYS = 13               # per 52 weeks, adults and 16-17-year-olds (nl-facts §2)
YEAR_OF_WEEKS = timedelta(weeks=52)


def sundays_worked(items: list[WorkItem]) -> dict[date, list[str]]:
    """Each local Sunday with work on it (a night from Saturday into Sunday counts), and the
    items that touch it."""
    out: dict[date, list[str]] = {}
    for item in items:
        day, last = item.local_start.date(), (item.local_end - timedelta(microseconds=1)).date()
        while day <= last:
            if day.weekday() == 6:
                out.setdefault(day, []).append(item.id)
            day += timedelta(days=1)
    return out


def free_sundays(s: Schedule) -> list[ComplianceViolation]:
    """ATW-sundays: at least 13 free Sundays in every 52 weeks, so at most 39 worked (fewer free
    Sundays need a collective regulation and the worker's consent, which the check cannot see)."""
    worked = sundays_worked(s.items_aged(16, ADULT[1]))
    days, found, skip_until = sorted(worked), [], None
    for n, first in enumerate(days):
        if skip_until is not None and first < skip_until:
            continue
        window = [d for d in days[n:] if d < first + YEAR_OF_WEEKS]
        if len(window) > 52 - FREE_SUNDAYS:
            text = say(s.lang, "ATW-sundays", n=len(window), first=day_text(first, s.lang))
            found.append(V("ATW-sundays", text, [i for d in window for i in worked[d]]))
            skip_until = first + YEAR_OF_WEEKS
    return found


ADULT_RULES = (
    double_booking, shift_length, week_60, average_55_over_4_weeks, average_48_over_16_weeks,
    daily_rest, weekly_rest, breaks, free_sundays,
)
