"""Jinja filters: local dates and times in the page's language, hours, and the CAO "example" marker."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal, to_user_timezone
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape


def _moment(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def when(value) -> str:
    """Tue 24 Mar 07:00 / di 24 mrt 07:00 (Europe/Amsterdam)."""
    return format_datetime(_moment(value), "EEE d MMM HH:mm")


def hhmm(value) -> str:
    return format_datetime(_moment(value), "HH:mm")


def until(end, start) -> str:
    """The end time of a span that began at `start`: "06:00", or "06:00 (+1)" on the next day
    (Amsterdam dates; a 15:00–07:00 that is 16 hours must not read as a day shift)."""
    days = (to_user_timezone(_moment(end)).date() - to_user_timezone(_moment(start)).date()).days
    return hhmm(end) + (f" (+{days})" if days else "")


def day(value: date, pattern: str = "EEE d MMM") -> str:
    return format_date(value, pattern)


def hours(value) -> str:
    return format_decimal(Decimal(value or 0), "#,##0.##")


def example_marker(text: str) -> Markup:
    """CAO values from example data end in ', voorbeeld' / ', example': show that as a badge."""
    out = escape(text)
    for word in ("voorbeeld", "example"):
        out = Markup(str(out).replace(f", {word}", f' <span class="badge example">{word}</span>'))
    return out


def reason(text: str, employers: dict | None = None, workers: dict | None = None) -> str:
    from web.views.reasons import reason_text
    return reason_text(text, employers, workers)


def rule_message(text: str) -> str:
    """A stored "RULE: message" of the compliance screen (English) in the page's language."""
    from web.views.reasons import rule_text
    return rule_text(text)


def progress(text: str | None) -> str:
    """A plan's progress message or error (the planner's English) in the page's language."""
    from web.views.progress import progress_text
    return progress_text(text)


HOLIDAYS = {   # the Dutch names (contracts/cao/feestdagen.py) in the page's language
    "Nieuwjaarsdag": _l("New Year's Day"), "Goede vrijdag": _l("Good Friday"),
    "Eerste paasdag": _l("Easter Sunday"), "Tweede paasdag": _l("Easter Monday"),
    "Koningsdag": _l("King's Day"), "Bevrijdingsdag": _l("Liberation Day"),
    "Hemelvaartsdag": _l("Ascension Day"), "Eerste pinksterdag": _l("Whit Sunday"),
    "Tweede pinksterdag": _l("Whit Monday"), "Eerste kerstdag": _l("Christmas Day"),
    "Tweede kerstdag": _l("Boxing Day"),
}


def holiday(value: date) -> str:
    """The Dutch public holiday on that day in the page's language, or ""."""
    from banenpool.calendar_nl import holiday_name
    name = holiday_name(value)
    return str(HOLIDAYS.get(name, name)) if name else ""


def week_label(iso: str, named: bool = True) -> str:
    """An ISO week as people say it: "2027-W11" → "week 11, 2027" ("11, 2027" unnamed)."""
    year, _w, number = iso.partition("-W")
    text = f"{int(number)}, {year}" if number.isdigit() else iso
    return f"{_l('week')} {text}" if named else text


FILTERS = {"week_label": week_label, "when": when, "hhmm": hhmm, "until": until, "holiday": holiday, "day": day, "hours": hours,
           "example_marker": example_marker, "reason": reason, "rule_message": rule_message,
           "progress": progress}
