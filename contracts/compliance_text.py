"""Readable texts for the compliance rules: Dutch by default, English with lang="en".

Each key is a rule code (or a note name); placeholders are filled by `say`.
"""

from __future__ import annotations

import re

TEXTS: dict[str, tuple[str, str]] = {  # key: (Dutch, English)
    # {a}, {b}: a shift as "ma 23 mrt 07:00–15:00 bij Bakkerij" (label); {span}: its times alone;
    # {where}: "bij Bakkerij en Garage"; {week}, {first}, {last}: "week 13 van 2026"
    "OVERLAP": (
        "Dubbel ingepland: {a} overlapt met {b}",
        "Double-booked: {a} overlaps {b}",
    ),
    "ATW-shift-length": (
        "Dienstduur: {hours} uur werk in dienst {span} {where}; maximaal 12 uur",
        "Shift length: {hours} h of work in duty {span} {where}; at most 12 h",
    ),
    "ATW-week-60": (
        "Weekuren: {hours} uur in {week} bij alle werkgevers samen ({per}); maximaal 60 uur",
        "Weekly hours: {hours} h in {week} across all employers ({per}); at most 60 h",
    ),
    "ATW-avg-55-4wk": (
        "Gemiddelde 4 weken: gemiddeld {avg} uur per week in {first} t/m {last}; maximaal 55 uur",
        "4-week average: {avg} h per week on average in {first} to {last}; at most 55 h",
    ),
    "ATW-avg-48-16wk": (
        "Gemiddelde 16 weken: gemiddeld {avg} uur per week in {first} t/m {last}; maximaal 48 uur",
        "16-week average: {avg} h per week on average in {first} to {last}; at most 48 h",
    ),
    "rest-pair": (
        "Rusttijd: slechts {hours} uur rust tussen {a} en {b}; minimaal {limit} uur",
        "Rest: only {hours} h rest between {a} and {b}; at least {limit} h",
    ),
    "rest-window": (
        "Rusttijd: in de 24 uur vanaf het begin van {a} slechts {hours} uur aaneengesloten rust; "
        "minimaal {limit} uur",
        "Rest: only {hours} h of unbroken rest in the 24 h from the start of {a}; at least {limit} h",
    ),
    "ATW-weekly-rest": (
        "Wekelijkse rust: in de 7×24 uur vanaf het begin van {a} is de langste rust "
        "{hours} uur; minimaal 36 uur (of 72 uur per 14×24 uur)",
        "Weekly rest: in the 7×24 h from the start of {a} the longest rest is "
        "{hours} h; at least 36 h (or 72 h per 14×24 h)",
    ),
    "ATW-break": (
        "Pauze: {hours} uur werk in dienst {span} {where} met {pause} min pauze; minimaal {need} min",
        "Break: {hours} h of work in duty {span} {where} with {pause} min break; at least {need} min",
    ),
    "ATW-night-length": (
        "Nachtdienst: {hours} uur werk in nachtdienst {span} {where}; maximaal 10 uur, "
        "tot 12 uur hooguit 5 keer per 14×24 uur en 22 keer per 52 weken",
        "Night shift: {hours} h of work in night shift {span} {where}; at most 10 h, "
        "12 h at most 5 times per 14×24 h and 22 times per 52 weeks",
    ),
    "night-long-14-days": (
        "Nachtdienst: {hours} uur werk in nachtdienst {span} {where} is de {n}e nachtdienst van meer "
        "dan 10 uur in 14×24 uur; langer dan 10 uur (tot 12 uur) hooguit 5 keer per 14×24 uur",
        "Night shift: {hours} h of work in night shift {span} {where} is night shift number {n} "
        "over 10 h in 14×24 h; over 10 h (up to 12 h) at most 5 times per 14×24 h",
    ),
    "night-long-52-weeks": (
        "Nachtdienst: {hours} uur werk in nachtdienst {span} {where} is de {n}e nachtdienst van meer "
        "dan 10 uur in 52 weken; langer dan 10 uur (tot 12 uur) hooguit 22 keer per 52 weken",
        "Night shift: {hours} h of work in night shift {span} {where} is night shift number {n} "
        "over 10 h in 52 weeks; over 10 h (up to 12 h) at most 22 times per 52 weeks",
    ),
    "night-long-rest": (
        "Nachtdienst: {hours} uur werk in nachtdienst {span} {where} en daarna slechts {rest} uur rust "
        "tot {b}; na een nachtdienst van meer dan 10 uur minimaal 12 uur rust",
        "Night shift: {hours} h of work in night shift {span} {where} and then only {rest} h rest "
        "until {b}; at least 12 h rest after a night shift over 10 h",
    ),
    "night-rest-14": (
        "Rust na nachtdienst: slechts {hours} uur rust tussen {a} en {b}; na een nachtdienst die "
        "na 02:00 eindigt minimaal 14 uur",
        "Rest after night shift: only {hours} h rest between {a} and {b}; at least 14 h after a "
        "night shift ending after 02:00",
    ),
    "night-rest-11": (
        "Rust na nachtdienst: slechts {hours} uur rust tussen {a} en {b}; na een nachtdienst die "
        "uiterlijk 02:00 eindigt minimaal 11 uur",
        "Rest after night shift: only {hours} h rest between {a} and {b}; at least 11 h after a "
        "night shift ending by 02:00",
    ),
    "night-rest-46": (
        "Rust na nachtdiensten: slechts {hours} uur rust na {n} nachtdiensten op rij vanaf {a} "
        "tot {b}; minimaal 46 uur",
        "Rest after night shifts: only {hours} h rest after {n} night shifts in a row from {a} "
        "until {b}; at least 46 h",
    ),
    "ATW-night-count": (
        "Nachtdiensten: {n} nachtdiensten in 16 weken vanaf {a}; maximaal 36",
        "Night shifts: {n} night shifts in 16 weeks from {a}; at most 36",
    ),
    "ATW-night-series": (
        "Reeks diensten: {n} diensten achter elkaar met een nachtdienst erin, vanaf {a}; "
        "maximaal 7 (8 met een collectieve regeling)",
        "Series of shifts: {n} shifts in a row with a night shift among them, from {a}; "
        "at most 7 (8 by collective agreement)",
    ),
    "ATW-night-avg-40": (
        "Nachtdiensten en weekuren: {nights} nachtdiensten in 16 weken vanaf {a} en gemiddeld "
        "{avg} uur per week; met 16 of meer nachtdiensten in 16 weken maximaal 40 uur gemiddeld",
        "Night shifts and weekly hours: {nights} night shifts in 16 weeks from {a} and "
        "{avg} h per week on average; with 16 or more night shifts in 16 weeks at most 40 h on average",
    ),
    "ATW-sundays": (
        "Zondagen: op {n} zondagen gewerkt in de 52 weken vanaf {first}; minstens 13 zondagen per "
        "52 weken vrij (minder alleen met een collectieve regeling en instemming van de werknemer)",
        "Sundays: worked on {n} Sundays in the 52 weeks from {first}; at least 13 Sundays per 52 weeks "
        "free (fewer only by collective agreement and with the worker's consent)",
    ),
    "YOUTH-shift-9h": (
        "Jongere ({age} jaar): {hours} uur werk in dienst {span} {where}; maximaal 9 uur",
        "Young worker (age {age}): {hours} h of work in duty {span} {where}; at most 9 h",
    ),
    "YOUTH-week-45h": (
        "Jongere: {hours} uur in {week} bij alle werkgevers samen ({per}); maximaal 45 uur",
        "Young worker: {hours} h in {week} across all employers ({per}); at most 45 h",
    ),
    "YOUTH-4wk-160h": (
        "Jongere: {hours} uur in {first} t/m {last}; maximaal 160 uur per 4 weken",
        "Young worker: {hours} h in {first} to {last}; at most 160 h per 4 weeks",
    ),
    "YOUTH-night": (
        "Jongere ({age} jaar): {a} valt deels tussen 23:00 en 06:00; geen nachtwerk onder 18 jaar",
        "Young worker (age {age}): {a} falls partly between 23:00 and 06:00; no night work under 18",
    ),
    "YOUTH15-day-8h": (
        "Jongere van 15: {hours} uur werk op {day} {where}; maximaal 8 uur op een dag zonder school",
        "Worker aged 15: {hours} h of work on {day} {where}; at most 8 h on a day without school",
    ),
    "YOUTH15-week-40h": (
        "Jongere van 15: {hours} uur in {week}; maximaal 40 uur in een week zonder school",
        "Worker aged 15: {hours} h in {week}; at most 40 h in a week without school",
    ),
    "YOUTH15-hours": (
        "Jongere van 15: {a} valt buiten 07:00–21:00",
        "Worker aged 15: {a} falls outside 07:00–21:00",
    ),
    "YOUTH-under-15": (
        "Kind van {age} jaar: {a}; werk onder 15 jaar is niet toegestaan",
        "Child aged {age}: {a}; work under 15 is not allowed",
    ),
    "WML": (
        "Minimumloon: {a} betaalt {wage} per uur op {day}; het wettelijk minimum voor {age} jaar "
        "is {wml}",
        "Minimum wage: {a} pays {wage} per hour on {day}; the statutory minimum at age {age} "
        "is {wml}",
    ),
    "CAO-max-shift": (
        "{cao}: {a} heeft {hours} uur werk; maximaal {limit} uur per dienst",
        "{cao}: {a} has {hours} h of work; at most {limit} h per shift",
    ),
    "CAO-max-day": (
        "{cao}: {hours} uur werk op {day} onder deze cao {where}; maximaal {limit} uur per dag",
        "{cao}: {hours} h of work on {day} under this CAO {where}; at most {limit} h per day",
    ),
    "ONCALL-3h": (
        "Oproep {a}: {hours} uur gewerkt maar {paid} uur betaald; minimaal 3 uur loon "
        "verschuldigd (art. 7:628a BW)",
        "Call {a}: worked {hours} h but paid {paid} h; at least 3 h pay due "
        "(art. 7:628a BW)",
    ),
    # -- the parts of a message ---------------------------------------------------------------
    "where": ("bij {names}", "at {names}"),
    "week": ("week {week} van {year}", "week {week} of {year}"),
    # -- notes ------------------------------------------------------------------------------
    "note-oncall": (
        "{a}: {hours} uur oproep, 3 uur loon verschuldigd (art. 7:628a BW)",
        "{a}: {hours} h call, 3 h pay due (art. 7:628a BW)",
    ),
    "note-cao": (
        "{employer}: {name} ({code}); inlenersbeloning: de beloning volgt de cao van de inlener",
        "{employer}: {name} ({code}); inlenersbeloning: pay follows the hirer's CAO",
    ),
    "note-agency-cao": (
        "{employer}: {name} ({code}) is een uitzend-cao; door de inlenersbeloning volgt het loon "
        "de cao van de inlener, die hier niet is opgegeven",
        "{employer}: {name} ({code}) is an agency CAO; under inlenersbeloning pay follows the "
        "hirer's CAO, which is not given here",
    ),
    "note-no-cao": ("{employer}: geen cao opgegeven", "{employer}: no CAO given"),
    "note-unknown-cao": (
        "{employer}: cao {code} niet gevonden in de catalogus op {day}; cao-grenzen niet getoetst",
        "{employer}: CAO {code} not found in the catalogue on {day}; CAO limits not checked",
    ),
    "note-cao-binds": (
        "Cao-grenzen (dienst- en dagduur) binden de werkgever onder die cao; alleen uren onder "
        "dezelfde cao tellen daarvoor mee",
        "CAO limits (shift and day length) bind the employer under that CAO; only hours under "
        "the same CAO count towards them",
    ),
    "note-cao-example": (
        "Cao-gegevens zijn voorbeeldgegevens uit secundaire bronnen; controleer ze tegen de "
        "officiële cao-tekst",
        "CAO data are example data from secondary sources; check them against the official text",
    ),
    "note-partial-window": (
        "{what}: de gegevens beslaan maar {weeks} ({first} t/m {last}); ontbrekende weken "
        "tellen als 0 uur, dus alleen een overschrijding binnen de gegevens is zeker",
        "{what}: the data cover only {weeks} ({first} to {last}); missing weeks count "
        "as 0 h, so only an excess within the data is certain",
    ),
    "title-ATW-avg-55-4wk": ("Gemiddelde over 4 weken (max. 55 uur per week)", "4-week average (max 55 h/week)"),
    "title-ATW-avg-48-16wk": ("Gemiddelde over 16 weken (max. 48 uur per week)", "16-week average (max 48 h/week)"),
    "title-YOUTH-4wk-160h": ("Jongere, 4 weken (max. 160 uur)", "Young worker, 4 weeks (max 160 h)"),
    "note-rest-reduction": (
        "Dagelijkse rust: de wet staat eenmaal per 7×24 uur 8 uur toe als de aard van het werk "
        "dat vereist; die uitzondering is hier niet toegepast",
        "Daily rest: the law allows 8 h once per 7×24 h when the work requires it; that "
        "exception is not applied here",
    ),
    "note-night-series": (
        "Een collectieve regeling kan een reeks van 8 diensten met een nachtdienst toestaan; de controle "
        "houdt 7 aan.",
        "A collective agreement may allow a series of 8 shifts with a night shift; the check uses 7.",
    ),
    "note-night-rest-reduction": (
        "Rust na nachtdienst: de wet staat eenmaal per week 8 uur toe; die uitzondering is hier "
        "niet toegepast",
        "Rest after a night shift: the law allows 8 h once a week; that exception is not "
        "applied here",
    ),
    "note-wml-not-yet-known": (
        "Minimumloon na {until} nog niet bekend; het bedrag per {since} is gebruikt.",
        "Minimum wage after {until} not yet known; the amount from {since} is used.",
    ),
    "note-nawerking": (
        "{name} liep tot {until}; geen nieuwere tekst gevonden, de laatste bekende versie blijft "
        "gelden (nawerking).",
        "{name} ran until {until}; no newer text found, the last known version keeps applying "
        "(nawerking).",
    ),
    "note-no-wml": (
        "{a}: geen minimumloon bekend voor {day} (leeftijd {age}); niet getoetst",
        "{a}: no minimum wage known for {day} (age {age}); not checked",
    ),
    "note-bbl": (
        "BBL-minimum berekend als {percent} % van het volwassen minimumloon [4].",
        "BBL minimum computed as {percent} % of the adult minimum wage [4].",
    ),
    # -- age 15: school days and school weeks (compliance_youth) ------------------------------
    "YOUTH15-schoolday-2h": (
        "Jongere van 15: {hours} uur werk op schooldag {day} {where}; maximaal 2 uur op een schooldag",
        "Worker aged 15: {hours} h of work on school day {day} {where}; at most 2 h on a school day",
    ),
    "YOUTH15-schoolweek-12h": (
        "Jongere van 15: {hours} uur in {week}, een schoolweek; maximaal 12 uur in een schoolweek",
        "Worker aged 15: {hours} h in {week}, a school week; at most 12 h in a school week",
    ),
    "YOUTH15-hours-school": (
        "Jongere van 15: {a} valt buiten 07:00–19:00; tot 21:00 alleen in de schoolvakantie",
        "Worker aged 15: {a} falls outside 07:00–19:00; until 21:00 only in school holidays",
    ),
    "note-age-15-no-holidays": (
        "Jongere van 15: geen schoolvakanties geregistreerd; elke werkdag die geen feestdag is, is "
        "getoetst als schooldag (2 uur per dag, 12 uur per schoolweek, 07:00–19:00)",
        "Worker aged 15: no school holidays registered; every weekday that is not a public holiday "
        "was checked as a school day (2 h per day, 12 h per school week, 07:00–19:00)",
    ),
}


def say(lang: str, key: str, **values) -> str:
    dutch, english = TEXTS[key]
    return (english if lang == "en" else dutch).format(**values)


def weeks_text(lang: str, n: int) -> str:
    """"1 week", "3 weeks" / "3 weken"."""
    return f"{n} week" if n == 1 else f"{n} weeks" if lang == "en" else f"{n} weken"


# -- an English message, as stored (plans keep the API's English), in Dutch ------------------------
NUMBER_KEYS = {"hours", "avg", "rest", "limit", "paid"}
MONEY_KEYS = {"wage", "wml"}
WHEN_KEYS = {"a", "b", "span", "day", "first", "last", "week", "where"}
EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NL_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
NL_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
EN_DATE = re.compile(rf"\b(?:(?P<wd>{'|'.join(EN_DAYS)}) )?(?P<d>\d{{1,2}}) (?P<m>{'|'.join(EN_MONTHS)})\b")
EN_WEEK = re.compile(r"\bweek (?P<w>\d+) of (?P<y>\d{4})\b")
EN_NUMBER = re.compile(r"(?<![\d:])(?P<int>\d{1,3}(?:,\d{3})*|\d+)\.(?P<dec>\d+)\b")
EN_MONEY = re.compile(r"(?P<sign>-?)€(?P<amount>[\d,]+\.\d\d)")


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    group = {"where": "(?P<where>(?:at .+?)?)"}     # the employers follow the times: "… 19:00 at Bakker"
    return re.compile("".join(re.escape(p) if n % 2 == 0 else group.get(p, f"(?P<{p}>.+?)")
                              for n, p in enumerate(parts)))


RULE_KEYS = {key for key in TEXTS if not key.startswith(("note-", "title-")) and key not in ("where", "week")}
ENGLISH = {key: _pattern(english) for key, (_, english) in TEXTS.items() if key in RULE_KEYS}


def to_dutch(message: str) -> str | None:
    """A rule message that check_schedule(lang="en") wrote, in Dutch with Dutch numbers and dates (as
    lang="nl" writes it); None for a text it does not know."""
    for key, pattern in ENGLISH.items():
        if found := pattern.fullmatch(message):
            return TEXTS[key][0].format(**{k: _dutch(k, v) for k, v in found.groupdict().items()})
    return None


def _dutch(key: str, value: str) -> str:
    if key in MONEY_KEYS:
        return EN_MONEY.sub(lambda m: f"€ {m['sign']}{_dutch_number(m['amount'])}", value)
    if key in NUMBER_KEYS or key == "per":
        return EN_NUMBER.sub(lambda m: _dutch_number(m[0]), value)
    if key not in WHEN_KEYS:
        return value
    value = EN_DATE.sub(lambda m: " ".join(
        ([NL_DAYS[EN_DAYS.index(m["wd"])]] if m["wd"] else []) + [m["d"], NL_MONTHS[EN_MONTHS.index(m["m"])]]), value)
    value = EN_WEEK.sub(lambda m: f"week {m['w']} van {m['y']}", value)
    head, at, names = value.partition("at ")
    if at and (not head or head.endswith(" ")):     # "… at Bakkerij and Garage": the employers
        first, sep, last = names.rpartition(" and ")
        value = f"{head}bij {first} en {last}" if sep else f"{head}bij {names}"
    return value


def _dutch_number(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
