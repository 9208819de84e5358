"""Numbers, money and dates in the reader's language, for the texts of contracts/.

The same formats as the web pages (web/views/filters.py, Babel's nl and en locales), without
Babel: Dutch "1.234,5", "€ 12,50", "ma 23 mrt 07:00"; English "1,234.5", "€12.50",
"Mon 23 Mar 07:00". Any language other than "en" is Dutch.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = {"nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
            "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
MONTHS = {"nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}
SEPARATORS = {"nl": (",", "."), "en": (".", ",")}   # (decimal point, thousands)


def language(lang: str | None) -> str:
    return "en" if lang == "en" else "nl"


def number(value, lang: str, places: int | None = None) -> str:
    """`value` with the language's separators: without trailing zeros, or with exactly `places`
    decimals (rounded half up)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    value = Decimal(str(value))
    if places is not None:
        text = f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,.{places}f}"
    else:
        text = f"{value.normalize():,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    point, thousands = SEPARATORS[language(lang)]
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)


def euro(value, lang: str) -> str:
    """€ 12,50 (nl) or €12.50 (en); a negative amount € -12,50 or -€12.50."""
    amount = Decimal(str(value))
    text = number(abs(amount), lang, places=2)
    if language(lang) == "en":
        return f"{'-' if amount < 0 else ''}€{text}"
    return f"€ {'-' if amount < 0 else ''}{text}"


def day(value: date, lang: str, year: bool = False) -> str:
    """ma 23 mrt / Mon 23 Mar; with `year` the date alone: 23 mrt 2026 / 23 Mar 2026."""
    lang = language(lang)
    if year:
        return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"
    return f"{WEEKDAYS[lang][value.weekday()]} {value.day} {MONTHS[lang][value.month - 1]}"


def clock(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%H:%M")


def moment(value: datetime, lang: str) -> str:
    """ma 23 mrt 07:00 / Mon 23 Mar 07:00, Amsterdam time."""
    return f"{day(value.astimezone(AMSTERDAM).date(), lang)} {clock(value)}"


def names(items: list[str], lang: str) -> str:
    """"A", "A en B", "A, B en C" (English "and")."""
    items = list(dict.fromkeys(items))
    if len(items) < 2:
        return "".join(items)
    word = "and" if language(lang) == "en" else "en"
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
