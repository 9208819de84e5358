"""The pay preview's line descriptions and notes: Dutch by default, English with lang="en".

Each key is a line or a note of contracts/pay.py; placeholders are filled by `say`, numbers
and money already written in the language's format (contracts/formats.py).
"""

from __future__ import annotations

from contracts.formats import language

TEXT: dict[str, tuple[str, str]] = {  # key: (Dutch, English)
    "base": ("Basisuren", "Base hours"),
    "base-at": ("Basisuren à {rate}", "Base hours at {rate}"),
    "example": (" (voorbeeld)", " (example)"),
    "overtime": ("Overwerk na {hours} uur {per} +{percent} %{example}",
                 "Overtime after {hours} h {per} +{percent} %{example}"),
    "day": ("per dag", "per day"),
    "week": ("per week", "per week"),
    "minimum-call": ("Minimaal {hours} uur per oproep betaald, niet gewerkt",
                     "At least {hours} h paid per call, not worked"),
    "hours-unknown": ("Uren per week onbekend: de regel van 3 uur per oproep is niet toegepast.",
                      "Hours per week unknown: the rule of 3 hours per call is not applied."),
    "min-max-small": ("Min-maxcontract onder 15 uur per week: 3 uur per oproep toegepast; "
                      "bronnen verschillen over min-maxcontracten [19][24].",
                      "Min-max contract under 15 hours a week: 3 hours per call applied; "
                      "sources differ on min-max contracts [19][24]."),
    "no-wml": ("Geen minimumloontoets voor {day} (leeftijd {age}): geen minimumloon bekend.",
               "No minimum wage check for {day} (age {age}): no minimum wage known."),
    "below-wml": ("Uurloon {wage} ligt onder het wettelijk minimumloon voor {age} jaar op {day} "
                  "({wml}, bron {source}); verhoogd.",
                  "Hourly wage {wage} is below the statutory minimum wage at age {age} on {day} "
                  "({wml}, source {source}); raised."),
    "example-scale": ("Het uurloon van schaal {scale} is een voorbeeldbedrag.",
                      "The hourly wage of scale {scale} is an example amount."),
    "period-overtime": ("Overwerk boven {hours} uur per {weeks} weken is per dienst niet te bepalen "
                        "en niet berekend.",
                        "Overtime above {hours} h per {weeks} weeks cannot be told per shift and is "
                        "not calculated."),
    "holiday": ("{name} ({day}): de cao geeft {compensation}.", "{name} ({day}): the CAO gives {compensation}."),
    "time_off": ("vervangende vrije tijd", "replacement time off"),
    "paid_and_time_off": ("doorbetaling plus compensatie", "continued pay plus compensation"),
    "too-long": ("Dienst van {hours} uur werk is langer dan de grens van {limit} uur per dienst.",
                 "A shift of {hours} h of work is longer than the limit of {limit} h per shift."),
    "short-break": ("Pauze van {minutes} minuten is korter dan de vereiste {need} minuten bij meer "
                    "dan {hours} uur werk {source}.",
                    "A break of {minutes} minutes is shorter than the required {need} minutes for "
                    "more than {hours} h of work {source}."),
    "no-source": ("(voorbeeld)", "(example)"),
}


def say(lang: str, key: str, **values) -> str:
    dutch, english = TEXT[key]
    return (english if language(lang) == "en" else dutch).format(**values)
