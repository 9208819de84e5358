"""Compare two CAOs topic by topic, in plain Dutch (or English), and explain a move.

Numbers that are example data (no source found) are marked "voorbeeld"/"example" in the
values and messages, e.g. ``Zondag: +100 % (hoveniers) vs +50 %, voorbeeld (taxi)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contracts.cao.model import WEEKDAYS, Cao, Surcharge
from contracts.formats import day, euro as money, number
from contracts.wml import WmlUnknown, age_on, wml_rate

ALL_DAYS = frozenset(WEEKDAYS)
DEFAULT_DAYS = {"saturday": frozenset({"sat"}), "sunday": frozenset({"sun"}),
                "public_holiday": frozenset({"holiday"})}

TEXT = {
    "nl": {
        "lang": "nl",
        "standard_hours_per_week": "Standaard werkweek", "normal_hours_per_day": "Normale werkdag",
        "max_hours_per_shift": "Max. uren per dienst", "max_hours_per_day": "Max. uren per dag",
        "overtime": "Overwerk", "saturday": "Zaterdag", "sunday": "Zondag",
        "public_holiday": "Feestdagen", "night": "Nacht", "evening": "Avond", "early": "Vroeg",
        "stacking": "Samenloop toeslagen", "min_paid_hours_per_call": "Minimaal betaalde uren per oproep",
        "holiday_allowance_percent": "Vakantiegeld", "lowest_scale": "Laagste schaalloon",
        "public_holidays": "Erkende feestdagen", "hours": "uur", "none": "geen",
        "no_limit": "geen cao-grens", "example": "voorbeeld", "per_day": "per dag",
        "per_week": "per week", "per_weeks": "per {n} weken", "after": "na",
        "highest": "hoogste telt", "among": "onderling", "with_overtime": "met overwerk",
        "time_off": "vervangende vrije tijd", "paid_and_time_off": "doorbetaald plus compensatie", "additive": "opgeteld", "surcharge_only": "alleen de toeslag",
        "days": dict(zip(WEEKDAYS + ("holiday",), ("ma", "di", "wo", "do", "vr", "za", "zo", "feestdag"))),
        "wage": "Uurloon", "wml": "Wettelijk minimumloon voor {age} jaar op {day}: {amount}",
        "wml_unknown": "Wettelijk minimumloon voor {age} jaar op {day}: niet bekend ({reason}); niet getoetst",
        "raised": "verhoogd tot het minimumloon", "per_hour": "per uur", "scale": "schaal",
        "same": "Geen verschillen in de vergeleken onderwerpen.",
        "hirer": "Inlenersbeloning: bij plaatsing geldt de cao van de inlener.",
    },
    "en": {
        "lang": "en",
        "standard_hours_per_week": "Standard week", "normal_hours_per_day": "Normal working day",
        "max_hours_per_shift": "Max hours per shift", "max_hours_per_day": "Max hours per day",
        "overtime": "Overtime", "saturday": "Saturday", "sunday": "Sunday",
        "public_holiday": "Public holidays", "night": "Night", "evening": "Evening", "early": "Early",
        "stacking": "Stacking of surcharges", "min_paid_hours_per_call": "Minimum paid hours per call",
        "holiday_allowance_percent": "Holiday allowance", "lowest_scale": "Lowest scale wage",
        "public_holidays": "Public holidays counted", "hours": "h", "none": "none",
        "no_limit": "no CAO limit", "example": "example", "per_day": "per day",
        "per_week": "per week", "per_weeks": "per {n} weeks", "after": "after",
        "highest": "highest wins", "among": "among themselves", "with_overtime": "with overtime",
        "time_off": "replacement time off", "paid_and_time_off": "paid plus compensated", "additive": "added up", "surcharge_only": "only the surcharge",
        "days": dict(zip(WEEKDAYS + ("holiday",), ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "holiday"))),
        "wage": "Hourly wage", "wml": "Statutory minimum wage at age {age} on {day}: {amount}",
        "wml_unknown": "Statutory minimum wage at age {age} on {day}: not known ({reason}); not checked",
        "raised": "raised to the minimum wage", "per_hour": "per hour", "scale": "scale",
        "same": "No differences in the compared topics.",
        "hirer": "Inlenersbeloning: when placed, the hirer's CAO applies.",
    },
}
SURCHARGE_TOPICS = ("saturday", "sunday", "public_holiday", "night", "evening", "early")


@dataclass(frozen=True)
class Difference:
    topic: str
    a: str
    b: str
    message: str

    def to_dict(self) -> dict:
        return {"topic": self.topic, "a": self.a, "b": self.b, "message": self.message}


def num(value: Decimal, t: dict) -> str:
    return number(value, t["lang"])


def euro(value: Decimal, t: dict) -> str:
    return money(value, t["lang"])


def _mark(text: str, example: bool, t: dict) -> str:
    return f"{text}, {t['example']}" if example else text


def describe(cao: Cao, topic: str, t: dict) -> str:
    """One CAO's value for one topic, as display text."""
    if topic in SURCHARGE_TOPICS:
        found = cao.surcharges_of_kind(topic)
        text = "; ".join(_surcharge(s, t) for s in found) if found else t["none"]
        if topic == "public_holiday" and cao.public_holiday_compensation:
            text += f"; {t[cao.public_holiday_compensation]}"
        return text
    if topic == "overtime":
        return "; ".join(_overtime(o, t) for o in cao.overtime) if cao.overtime else t["none"]
    if topic == "stacking":
        text = f"{t['among']}: {t[cao.stacking]}; {t['with_overtime']}: {t[cao.overtime_stacking]}"
        return _mark(text, cao.is_example("stacking"), t)
    if topic == "lowest_scale":
        name = cao.lowest_scale()
        return _mark(f"{euro(cao.wage_scales[name], t)} ({t['scale']} {name})",
                     cao.is_example(f"wage_scales.{name}"), t)
    if topic == "public_holidays":
        return _mark(", ".join(cao.public_holidays) or t["none"], cao.is_example("public_holidays"), t)
    value = getattr(cao, topic)
    if value is None:
        return t["no_limit"] if topic.startswith("max_") else t["none"]
    unit = " %" if topic == "holiday_allowance_percent" else f" {t['hours']}"
    return _mark(num(value, t) + unit, cao.is_example(topic), t)


def _surcharge(s: Surcharge, t: dict) -> str:
    text = f"+{num(s.percent, t)} %"
    if not s.is_whole_day:
        text += f" {s.window_text()}"
    if s.days != DEFAULT_DAYS.get(s.kind, ALL_DAYS):
        order = WEEKDAYS + ("holiday",)
        text += " (" + ", ".join(t["days"][d] for d in sorted(s.days, key=order.index)) + ")"
    if s.min_hours_in_window is not None:
        text += f" (≥ {num(s.min_hours_in_window, t)} {t['hours']})"
    return _mark(text, s.provenance.example, t)


def _overtime(o, t: dict) -> str:
    per = t["per_weeks"].format(n=o.period_weeks) if o.trigger == "period" else t[f"per_{o.trigger}"]
    return _mark(f"+{num(o.percent, t)} % {t['after']} {num(o.after_hours, t)} {t['hours']} {per}",
                 o.provenance.example, t)


TOPICS = ("standard_hours_per_week", "normal_hours_per_day", "max_hours_per_shift", "max_hours_per_day",
          "overtime") + SURCHARGE_TOPICS + ("stacking", "min_paid_hours_per_call", "holiday_allowance_percent",
                                            "lowest_scale", "public_holidays")


def diff_caos(a: Cao, b: Cao, lang: str = "nl", include_equal: bool = False) -> list[Difference]:
    """The topics on which CAO `a` and CAO `b` differ (all topics with include_equal)."""
    t = TEXT[lang if lang in TEXT else "nl"]
    out = []
    for topic in TOPICS:
        value_a, value_b = describe(a, topic, t), describe(b, topic, t)
        if value_a != value_b or include_equal:
            message = f"{t[topic]}: {value_a} ({a.code}) vs {value_b} ({b.code})"
            out.append(Difference(topic, value_a, value_b, message))
    return out


def compare_move(worker_birth_date: date, from_cao: Cao, to_cao: Cao, scale_from: str | None,
                 scale_to: str | None, on: date, lang: str = "nl") -> list[str]:
    """What moving a worker from one CAO to another changes for pay and limits, in sentences."""
    t = TEXT[lang if lang in TEXT else "nl"]
    age = age_on(worker_birth_date, on)
    try:
        minimum = wml_rate(on, age).hourly
        wml_line = t["wml"].format(age=age, day=day(on, t["lang"], year=True), amount=euro(minimum, t))
    except WmlUnknown as exc:   # before 2025, or under 15: the wages compare without it
        minimum = Decimal(0)
        wml_line = t["wml_unknown"].format(age=age, day=day(on, t["lang"], year=True), reason=exc)
    old, new = _rate(from_cao, scale_from, minimum, t), _rate(to_cao, scale_to, minimum, t)
    change = new[0] - old[0]
    percent = (change / old[0] * 100).quantize(Decimal("0.1"))
    lines = [
        f"{t['wage']}: {old[1]} ({from_cao.code}) → {new[1]} ({to_cao.code}): "
        f"{'+' if change >= 0 else '−'}{euro(abs(change), t)} {t['per_hour']} "
        f"({'+' if change >= 0 else ''}{number(percent, t['lang'], 1)} %)",
        wml_line,
    ]
    if to_cao.inlenersbeloning or from_cao.inlenersbeloning:
        lines.append(t["hirer"])
    lines += [d.message for d in diff_caos(from_cao, to_cao, lang) if d.topic != "lowest_scale"]
    return lines


def _rate(cao: Cao, scale: str | None, minimum: Decimal, t: dict) -> tuple[Decimal, str]:
    name = scale or cao.lowest_scale()
    wage = cao.scale_wage(name)
    text = _mark(f"{euro(max(wage, minimum), t)} ({t['scale']} {name})", cao.is_example(f"wage_scales.{name}"), t)
    if wage < minimum:
        text += f", {t['raised']}"
    return max(wage, minimum), text
