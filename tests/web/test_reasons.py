"""The planner's reasons for an open slot (English in the solution file and the API) on a Dutch
page: every phrase scheduling/explain.py writes is translated; unknown text stays as written."""
from types import SimpleNamespace

import pytest

from scheduling.explain import _TEXT
from web.views.reasons import reason_text


@pytest.fixture
def dutch(app):
    with app.test_request_context("/open-shifts"):
        from flask import session
        session["lang"] = "nl"
        yield


@pytest.mark.parametrize("key", sorted(_TEXT))
def test_every_reason_the_planner_writes_is_translated(dutch, key):
    text = "3 of 19 workers with groen: " + _TEXT[key].format(employer="7", daily=11, weekly=36)
    translated = reason_text(text, {7: SimpleNamespace(name="Taxi Centrale Hengelo")})
    assert translated != text and translated.startswith("3 van 19 medewerkers met groen: ")


def test_numbers_names_and_counts_are_kept(dutch):
    assert reason_text("all 4 workers with heftruck: would get less than 11 h daily rest") == \
        "alle 4 medewerkers met heftruck: zouden minder dan 11 uur dagelijkse rust krijgen"
    assert reason_text("the only worker with taxi: may not work for 7",
                       {7: SimpleNamespace(name="Taxi Centrale Hengelo")}) == \
        "de enige medewerker met taxi: mogen niet werken voor Taxi Centrale Hengelo"
    assert reason_text("the shift lasts 12.5 h, more than the 12 h allowed") == \
        "de dienst duurt 12,5 uur, langer dan de toegestane 12 uur"


def test_text_it_does_not_know_is_shown_as_written(dutch):
    for text in ("3 of 19 workers with x: something new", "a reason from a later version"):
        assert reason_text(text) == text


def test_the_compliance_screens_reasons_keep_the_rule_and_name_the_worker(dutch):
    """ "worker 12 left out: RULE: message" (the screen's English, as the API gives it) on a Dutch page:
    the worker's name, the rule code, the rule's message as the Dutch check says it."""
    message = ("ATW-break: Break: 9.0 h of work in duty Mon 23 Mar 06:00–15:00 at Groenwerk with 0 min break; "
               "at least 30 min")
    dutch_message = ("ATW-break: Pauze: 9,0 uur werk in dienst ma 23 mrt 06:00–15:00 bij Groenwerk met 0 min "
                     "pauze; minimaal 30 min")
    assert reason_text(f"worker 12 left out: {message}", {}, {12: SimpleNamespace(name="Sanne Scholten")}) == \
        f"Sanne Scholten weggelaten: {dutch_message}"
    assert reason_text(f"worker 12 left out: {message}; {message}") == \
        f"medewerker 12 weggelaten: {dutch_message}; {dutch_message}"
    assert reason_text(f"barred for 2 workers: {message}") == f"uitgesloten voor 2 medewerkers: {dutch_message}"
    assert reason_text("worker 12 left out: ATW-night-series: something new") == \
        "medewerker 12 weggelaten: ATW-night-series: something new"


def test_a_shift_asking_no_skill_is_said_in_dutch(dutch):
    """explain.py names the skills of a shift that asks none "any skill"; the page says it in Dutch."""
    assert reason_text("all 5 workers with any skill: at their weekly maximum") == \
        "alle 5 medewerkers met welke vaardigheid dan ook: zitten op hun weekmaximum"
    assert reason_text("2 of 5 workers with any skill: already on this shift").startswith(
        "2 van 5 medewerkers met welke vaardigheid dan ook: ")
    assert reason_text("the only worker with any skill: at their weekly maximum").startswith(
        "de enige medewerker met welke vaardigheid dan ook: ")
