"""What one shift pays under a CAO: base hours, surcharges, overtime, minimum paid hours.

Money is Decimal throughout. Per line, the rate is in cents (a surcharge's or overtime's share of
the base rate rounded UP to the cent, in the worker's favour, as the hours) and the amount is
hours (rounded UP to 0.01 h, in the worker's favour: 7 h 20 min is 7.34 h, so a line never
pays less than the time worked × the rate, and never less than the minimum wage for it) ×
rate, rounded ROUND_HALF_UP to cents, so every line can be re-checked by hand. Hours topped
up to the minimum per call (kind `minimum_call`) are paid at the base rate of the shift's first
day, without surcharges. Surcharge and overtime lines carry only the EXTRA (e.g. Saturday
150 % under schoonmaak = a base line at 100 % plus a "Zaterdag +50 %" line).
How the shift is cut into pieces (DST, midnight, break in the middle): contracts.cao.segments.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from contracts.cao import Cao, catalogue
from contracts.cao.segments import AMSTERDAM, Piece, cut_shift, hours_between, mark_overtime
from contracts.caodiff import ALL_DAYS, DEFAULT_DAYS, TEXT as TOPIC_TEXT
from contracts.formats import day as day_text, euro, language, number
from contracts.pay_text import say
from contracts.wml import HOLIDAY_ALLOWANCE_MIN_PERCENT, WmlUnknown, age_on, wml_rate

CENT = Decimal("0.01")
CONTRACT_KINDS = ("fixed", "min_max", "on_call")
STATUTORY_MIN_CALL_HOURS = Decimal("3")      # art. 7:628a BW [19][20]
SMALL_CONTRACT_HOURS = Decimal("15")         # fewer agreed hours per week → 3-hour rule [19]
ATW_MAX_SHIFT_HOURS = Decimal("12")          # [10][11]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _fmt(value: Decimal, lang: str = "nl") -> str:
    """A number without trailing zeros in the language's format: 9.50 → "9,5" (nl), "9.5" (en)."""
    return number(value, lang)


@dataclass(frozen=True)
class PayLine:
    kind: str            # base | surcharge | overtime | minimum_call
    description: str
    hours: Decimal
    rate: Decimal
    amount: Decimal

    def to_dict(self) -> dict:
        return {"kind": self.kind, "description": self.description, "hours": f"{self.hours:.2f}",
                "rate": f"{self.rate:.2f}", "amount": f"{self.amount:.2f}"}


@dataclass
class PayResult:
    cao_code: str
    lines: list[PayLine]
    total: Decimal
    minimum_wage_rate: Decimal | None     # None: no WML known for that date
    base_rate: Decimal
    worked_hours: Decimal
    paid_hours: Decimal
    holiday_allowance_percent: Decimal
    holiday_allowance: Decimal
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "cao_code": self.cao_code,
            "lines": [line.to_dict() for line in self.lines],
            "total": f"{self.total:.2f}",
            "minimum_wage_rate": None if self.minimum_wage_rate is None else f"{self.minimum_wage_rate:.2f}",
            "base_rate": f"{self.base_rate:.2f}",
            "worked_hours": f"{self.worked_hours:.2f}",
            "paid_hours": f"{self.paid_hours:.2f}",
            "holiday_allowance_percent": str(self.holiday_allowance_percent),
            "holiday_allowance": f"{self.holiday_allowance:.2f}",
            "notes": list(self.notes),
        }


def preview_pay(cao: Cao | str, scale: str | None, birth_date: date, contract_kind: str,
                hours_per_week: Decimal | None, start: datetime, end: datetime, break_minutes: int,
                hourly_wage: Decimal | None = None, worked_before_in_week: Decimal = Decimal(0), *,
                worked_before_on_day: Decimal = Decimal(0), fixed_times: bool = True,
                bbl: bool = False, lang: str = "nl") -> PayResult:
    """Pay for one shift (one call) under `cao` (a Cao, or a code looked up on the start day).

    `hourly_wage` overrides the scale's wage (never below the WML). `fixed_times=False`
    says the shift is not worked at fixed working times: the contract has none, or the shift lies
    outside them (`within_fixed_times`); then the 3-hour rule can apply. The line descriptions and
    notes are Dutch, English with lang="en".
    """
    _check_inputs(contract_kind, start, end, break_minutes)
    first_day = start.astimezone(AMSTERDAM).date()
    if isinstance(cao, str):
        cao = catalogue().get(cao, first_day)
    notes: list[str] = []
    wage = hourly_wage if hourly_wage is not None else cao.scale_wage(scale)
    pieces = cut_shift(cao, start, end, break_minutes)
    pieces = mark_overtime(cao, pieces, Decimal(worked_before_on_day), Decimal(worked_before_in_week))
    pieces = [_stack(cao, p) for p in pieces]
    rates = _rates_by_day(wage, birth_date, {p.day for p in pieces}, bbl, notes, lang)
    worked = sum((p.hours for p in pieces if p.worked), Decimal(0))
    lines = _base_lines(pieces, rates, lang) + _extra_lines(cao, pieces, rates, lang)
    weekly = None if hours_per_week is None else Decimal(hours_per_week)
    minimum, reasons = minimum_paid_hours(cao, contract_kind, weekly, fixed_times, lang)
    notes.extend(reasons)
    paid_worked = sum((line.hours for line in lines if line.kind == "base"), Decimal(0))
    if worked < minimum and paid_worked < minimum:  # top up the rounded base hours to exactly the minimum
        lines.append(_minimum_call_line(minimum, paid_worked, rates[first_day], lang))
    total = sum((line.amount for line in lines), Decimal(0))
    notes.extend(_context_notes(cao, pieces, first_day, scale, hourly_wage, lang))
    notes.extend(_break_note(cao, worked, break_minutes, lang))
    percent = holiday_allowance_percent(cao)
    return PayResult(
        cao_code=cao.code, lines=lines, total=total,
        minimum_wage_rate=_minimum_wage(first_day, birth_date, bbl),
        base_rate=rates[first_day], worked_hours=worked, paid_hours=max(worked, minimum),
        holiday_allowance_percent=percent, holiday_allowance=money(total * percent / 100), notes=notes,
    )


def holiday_allowance_percent(cao: Cao) -> Decimal:
    """The CAO's holiday allowance percentage, at least the statutory 8 %."""
    return max(cao.holiday_allowance_percent, HOLIDAY_ALLOWANCE_MIN_PERCENT)


def hourly_rate(wage: Decimal, birth_date: date, day: date, bbl: bool = False) -> Decimal:
    """The hourly rate paid on `day`: the wage, raised to the WML for the worker's age that day."""
    return _rates_by_day(wage, birth_date, {day}, bbl, [])[day]


def _check_inputs(contract_kind: str, start: datetime, end: datetime, break_minutes: int) -> None:
    if contract_kind not in CONTRACT_KINDS:
        raise ValueError(f"contract_kind must be one of {', '.join(CONTRACT_KINDS)}")
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if hours_between(start, end) <= 0:
        raise ValueError("end must be after start")
    if break_minutes < 0 or hours_between(start, end) * 60 <= break_minutes:
        raise ValueError("break_minutes must be at least 0 and shorter than the shift")


def three_hours_per_call(contract_kind: str | None, hours_per_week: Decimal | None, fixed_times: bool) -> bool:
    """Whether art. 7:628a BW (at least 3 h paid per call [19][20]) applies to a contract: on-call
    contracts; min-max contracts under 15 h/week (sources conflict [19][24]); other contracts under
    15 h/week without fixed working times. Unknown weekly hours: on-call only. The one rule for pay
    (below) and the compliance check (contracts/compliance_pay.py)."""
    small = hours_per_week is not None and Decimal(hours_per_week) < SMALL_CONTRACT_HOURS
    return contract_kind == "on_call" or (small and (contract_kind == "min_max"
                                                     or (contract_kind == "fixed" and not fixed_times)))


@dataclass(frozen=True)
class FixedTime:
    """One weekly window of a contract's fixed working times, Amsterdam wall clock (weekday 0 = Monday);
    an end at or before the start runs into the next day."""
    weekday: int
    start: time
    end: time


def fixed_times_of(pattern: list[dict] | None) -> tuple[FixedTime, ...]:
    """A contract's fixed times from its base pattern (`[{"weekday", "start": "HH:MM", "end", ...}]`)."""
    return tuple(FixedTime(int(line["weekday"]), _clock(line["start"]), _clock(line["end"])) for line in pattern or ())


def _clock(value: str | time) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def within_fixed_times(fixed: tuple[FixedTime, ...], start: datetime, end: datetime) -> bool:
    """Whether a shift is worked at one of the contract's fixed times: it overlaps one of their
    occurrences (starting late or running over is still work at those times). A shift that does not
    is a call, and for a contract under 15 h/week the 3-hour rule applies to it (art. 7:628a BW)."""
    first = start.astimezone(AMSTERDAM).date() - timedelta(days=1)  # a night window may start the day before
    for offset in range((end.astimezone(AMSTERDAM).date() - first).days + 1):
        day = first + timedelta(days=offset)
        for window in (w for w in fixed if w.weekday == day.weekday()):
            lo = datetime.combine(day, window.start, tzinfo=AMSTERDAM)
            hi = datetime.combine(day + timedelta(days=window.end <= window.start), window.end, tzinfo=AMSTERDAM)
            if lo < end and start < hi:
                return True
    return False


def minimum_paid_hours(cao: Cao, contract_kind: str, hours_per_week: Decimal | None,
                       fixed_times: bool = True, lang: str = "nl") -> tuple[Decimal, list[str]]:
    """Hours paid per call at least, and why (CAO minimum and/or art. 7:628a BW).

    The 3 hours apply to on-call contracts, to min-max contracts under 15 h/week (sources
    conflict for min-max [19][24]; we apply it below 15 h and say so) and to contracts
    under 15 h/week without fixed working times. Unknown weekly hours: on-call only.
    """
    minimum, notes = cao.min_paid_hours_per_call or Decimal(0), []
    small = hours_per_week is not None and hours_per_week < SMALL_CONTRACT_HOURS
    if hours_per_week is None and contract_kind != "on_call":
        notes.append(say(lang, "hours-unknown"))
    statutory = three_hours_per_call(contract_kind, hours_per_week, fixed_times)
    if contract_kind == "min_max" and small:
        notes.append(say(lang, "min-max-small"))
    if statutory:
        minimum = max(minimum, STATUTORY_MIN_CALL_HOURS)
    return minimum, notes


def _minimum_wage(day: date, birth_date: date, bbl: bool) -> Decimal | None:
    try:
        return wml_rate(day, age_on(birth_date, day), bbl).hourly
    except WmlUnknown:
        return None


def _rates_by_day(wage: Decimal, birth_date: date, days: set[date], bbl: bool, notes: list[str],
                  lang: str = "nl") -> dict[date, Decimal]:
    """Hourly rate per local day: the wage, raised to the WML for the age on that day."""
    rates = {}
    for day in sorted(days):
        age = age_on(birth_date, day)
        try:
            statutory = wml_rate(day, age, bbl, lang=lang)
        except WmlUnknown:
            rates[day] = wage
            notes.append(say(lang, "no-wml", day=day_text(day, lang, year=True), age=age))
            continue
        notes.extend(n for n in statutory.notes if n not in notes)
        rates[day] = max(wage, statutory.hourly)
        if wage < statutory.hourly:
            notes.append(say(lang, "below-wml", wage=euro(wage, lang), age=age, day=day_text(day, lang, year=True),
                             wml=euro(statutory.hourly, lang), source=statutory.source))
    return rates


def _stack(cao: Cao, piece: Piece) -> Piece:
    """Apply the CAO's stacking rule to the surcharges and overtime of one piece."""
    chosen = list(piece.surcharges)
    if cao.stacking == "highest" and len(chosen) > 1:
        chosen = [max(chosen, key=lambda i: (cao.surcharges[i].percent, -i))]
    overtime = piece.overtime
    if overtime is not None and chosen:
        extra = sum(cao.surcharges[i].percent for i in chosen)
        if cao.overtime_stacking == "surcharge_only":
            overtime = None
        elif cao.overtime_stacking == "highest":
            overtime, chosen = (overtime, []) if overtime.percent > extra else (None, chosen)
    return replace(piece, surcharges=tuple(chosen), overtime=overtime)


def _base_lines(pieces: list[Piece], rates: dict[date, Decimal], lang: str = "nl") -> list[PayLine]:
    hours: dict[Decimal, Decimal] = {}
    for piece in pieces:
        if piece.worked:
            rate = rates[piece.day]
            hours[rate] = hours.get(rate, Decimal(0)) + piece.hours
    several = len(hours) > 1
    return [_line("base", say(lang, "base-at", rate=euro(rate, lang)) if several else say(lang, "base"), h, rate)
            for rate, h in hours.items()]


def _extra_lines(cao: Cao, pieces: list[Piece], rates: dict[date, Decimal], lang: str = "nl") -> list[PayLine]:
    """Surcharge and overtime lines, grouped by rule and base rate, in order of appearance."""
    groups: dict[tuple, Decimal] = {}
    for piece in pieces:
        if not piece.worked:
            continue
        keys = [("surcharge", i) for i in piece.surcharges]
        if piece.overtime is not None:
            keys.append(("overtime", cao.overtime.index(piece.overtime)))
        for kind, index in keys:
            key = (kind, index, rates[piece.day])
            groups[key] = groups.get(key, Decimal(0)) + piece.hours
    lines = []
    for (kind, index, base), hours in groups.items():
        rule = cao.surcharges[index] if kind == "surcharge" else cao.overtime[index]
        text = _surcharge_text(rule, lang) if kind == "surcharge" else _overtime_text(rule, lang)
        # up to the cent, as the hours: 25 % of 15.45 is 3.8625 an hour, paid as 3.87, not 3.86
        lines.append(_line(kind, text, hours, (base * rule.percent / 100).quantize(CENT, ROUND_CEILING)))
    return lines


def _surcharge_text(surcharge, lang: str = "nl") -> str:
    window = "" if surcharge.is_whole_day else f" {surcharge.window_text()}"
    example = say(lang, "example") if surcharge.provenance.example else ""
    return f"{_surcharge_label(surcharge, lang)}{window} +{_fmt(surcharge.percent, lang)} %{example}"


def _surcharge_label(surcharge, lang: str) -> str:
    """The catalogue's (Dutch) label; in English the kind's name and, when they are not the kind's
    usual days, the days: "Night (Mon)" for "Nacht maandag"."""
    if language(lang) != "en":
        return surcharge.label
    t = TOPIC_TEXT["en"]
    label = t.get(surcharge.kind, surcharge.label)
    if surcharge.days != DEFAULT_DAYS.get(surcharge.kind, ALL_DAYS):
        order = tuple(t["days"])
        label += " (" + ", ".join(t["days"][d] for d in sorted(surcharge.days, key=order.index)) + ")"
    return label


def _overtime_text(rule, lang: str = "nl") -> str:
    example = say(lang, "example") if rule.provenance.example else ""
    return say(lang, "overtime", hours=_fmt(rule.after_hours, lang), per=say(lang, rule.trigger),
               percent=_fmt(rule.percent, lang), example=example)


def _minimum_call_line(minimum: Decimal, worked: Decimal, rate: Decimal, lang: str = "nl") -> PayLine:
    text = say(lang, "minimum-call", hours=_fmt(minimum, lang))
    return _line("minimum_call", text, minimum - worked, rate)


def _line(kind: str, description: str, hours: Decimal, rate: Decimal) -> PayLine:
    hours = hours.quantize(CENT, ROUND_CEILING)
    return PayLine(kind, description, hours, rate, money(hours * rate))


def _context_notes(cao: Cao, pieces: list[Piece], first_day: date, scale: str | None,
                   hourly_wage: Decimal | None, lang: str = "nl") -> list[str]:
    notes = []
    if nawerking := cao.nawerking_note(first_day, lang):
        notes.append(nawerking)
    if hourly_wage is None and cao.is_example(f"wage_scales.{scale or cao.lowest_scale()}"):
        notes.append(say(lang, "example-scale", scale=scale or cao.lowest_scale()))
    for rule in cao.overtime:
        if rule.trigger == "period":
            notes.append(say(lang, "period-overtime", hours=_fmt(rule.after_hours, lang), weeks=rule.period_weeks))
    holidays = sorted({(p.day, cao.is_public_holiday(p.day)) for p in pieces if cao.is_public_holiday(p.day)})
    for day, name in holidays:
        if cao.public_holiday_compensation:
            notes.append(say(lang, "holiday", name=name, day=day_text(day, lang, year=True),
                             compensation=say(lang, cao.public_holiday_compensation)))
    length = sum((p.hours for p in pieces if p.worked), Decimal(0))   # work, as compliance counts it
    limit = cao.max_hours_per_shift or ATW_MAX_SHIFT_HOURS
    if length > limit:
        notes.append(say(lang, "too-long", hours=_fmt(length.quantize(CENT), lang), limit=_fmt(limit, lang)))
    return notes


def _break_note(cao: Cao, worked: Decimal, break_minutes: int, lang: str = "nl") -> list[str]:
    """A note when the break is shorter than the CAO's (by default the ATW's) break rule."""
    rules = [b for b in cao.breaks if worked > b.after_hours]
    needed = max(rules, key=lambda b: b.minutes, default=None)
    if needed is None or break_minutes >= needed.minutes:
        return []
    return [say(lang, "short-break", minutes=break_minutes, need=needed.minutes, hours=_fmt(needed.after_hours, lang),
                source=needed.provenance.source or say(lang, "no-source"))]
