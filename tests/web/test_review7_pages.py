"""A new user's first hour: the pages' wording, formats and address forms in Dutch and English."""
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Plan, Shift
from banenpool.principal import SYSTEM
from banenpool.services import billing, capacity, planning, registry
from tests.banenpool.test_billing import work
from tests.web.pages_data import MONDAY, csrf_token, login, staff
from tests.web.test_pages_billing import MARCH


def test_the_workers_schedule_names_the_year_of_both_ends_when_it_spans_new_year(client, pool):
    login(client, "worker_x")
    body = client.get("/me?from=2026-12-28").get_data(as_text=True)
    assert "28 dec 2026 – 24 jan 2027" in body
    body = client.get("/me?from=2026-03-02").get_data(as_text=True)
    assert "2 mrt – 29 mrt 2026" in body


def test_a_candidates_reasons_on_the_staffing_page_are_each_said_once(app, client, pool, session):
    """Between two of their shifts, a worker breaks the daily rest on both sides: one line says so."""
    staff(app, session, pool)
    capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_a, "title": "Avond", "skills": ["groen"], "start_date": MONDAY,
        "end_date": MONDAY, "pattern": [{"weekday": 0, "start": "19:00", "end": "23:00", "headcount": 1}]})
    session.commit()
    shift_id = session.scalar(select(Shift.id).where(Shift.start == datetime(2026, 3, 23, 19, tzinfo=AMS)))
    login(client, "intermediary")
    page = client.get(f"/shifts/{shift_id}/staff").get_data(as_text=True)
    lists = re.findall(r'<ul class="reasons">(.*?)</ul>', page, re.S)
    assert any("te weinig dagelijkse rust" in reasons for reasons in lists)
    for reasons in lists:
        items = re.findall(r"<li>(.*?)</li>", reasons)
        assert len(items) == len(set(items)), items


def test_a_draft_invoices_page_title_names_the_draft_like_its_heading(client, pool, session):
    work(client, pool, "employer_a", "worker_x", session=session)
    draft = billing.create_invoice(session, SYSTEM, {"employer_id": pool.employer_a, **MARCH})
    session.commit()
    login(client, "intermediary")
    body = client.get(f"/invoices/{draft.id}").get_data(as_text=True)
    assert f"<title>Factuur concept {draft.id} · Banenpool</title>" in body
    assert f"<h1>Factuur concept {draft.id}</h1>" in body


def test_a_worker_is_never_addressed_with_u_and_the_pool_is_never_addressed_with_je(app, pool, session):
    """Workers read "je", employers and the pool "u"; the pages every role shares use neither."""
    work(app.test_client(), pool, "employer_a", "worker_x", session=session)
    client = app.test_client()
    login(client, "worker_x")
    pages = [client.get(path) for path in ("/me", "/me/availability", "/me/checks", "/me/hours",
                                           "/account/password", "/dashboard")]
    page = client.get("/account/password").get_data(as_text=True)
    pages.append(client.post("/account/password", data={"csrf_token": csrf_token(page), "current": "not it at all",
                                                         "password": "a new password", "password2": "a new password"}))
    assert pages[-2].status_code == 403
    assert "Wachtwoord wijzigen" in pages[0].get_data(as_text=True)
    for r in pages:
        words = re.findall(r"\b[Uu]w?\b", re.sub(r"<[^>]+>", " ", r.get_data(as_text=True)))
        assert not words, (r.request.path, words)
    client = app.test_client()
    login(client, "intermediary")
    body = client.get("/hours").get_data(as_text=True)
    assert "Voor gefactureerde uren maakt u eerst een creditnota." in body


def test_the_registry_pages_use_the_dutch_words_for_hours_and_the_tariff(client, pool):
    login(client, "intermediary")
    form = client.get(f"/workers/{pool.worker_x}/edit").get_data(as_text=True)
    for label in ("Minimumuren per week", "Streefuren per week", "Maximumuren per week"):
        assert label in form
    assert "Doel uren" not in form and "Minimum uren" not in form
    assert "(min / streef / max)" in client.get("/workers").get_data(as_text=True)
    employers = client.get("/employers").get_data(as_text=True)
    assert "Tarieffactor" in employers and "Tariefsfactor" not in employers


@pytest.mark.parametrize("lang, words", [
    ("nl", ["Ongeldig verzoek", "Het formulier is niet aangenomen", "Dit adres opent niet rechtstreeks",
            "Te veel gegevens", "groter dan 1 MiB"]),
    ("en", ["Bad request", "The form was not accepted", "This address is not opened directly", "Too much data",
            "larger than 1 MiB"]),
])
def test_the_error_pages_of_a_stale_form_a_wrong_method_and_a_too_large_post_speak_the_pages_language(
        client, pool, lang, words):
    client.get(f"/?lang={lang}")
    login(client, "intermediary")
    stale = client.post("/plans", data={"csrf_token": "from a page left open overnight"})
    method = client.get("/logout")
    large = client.post("/plans", data={"x": "a" * (2 * 1024 * 1024)})
    assert (stale.status_code, method.status_code, large.status_code) == (400, 405, 413)
    body = "".join(r.get_data(as_text=True) for r in (stale, method, large))
    for word in words:
        assert word in body
    for english in ("CSRF", "Method Not Allowed", "Request Entity Too Large", "The method is not allowed",
                    "capacity limit"):
        assert english not in body


def test_the_plans_page_gives_a_coverage_short_of_its_bound_in_the_pages_number_format(app, client, pool, session):
    plan = session.get(Plan, staff(app, session, pool).plan_id)
    plan.result = {**plan.result, "levels": [{"level": "coverage", "status": "feasible", "value": 927.3,
                                              "bound": 1000.0, "seconds": 3.0}]}
    session.commit()
    login(client, "intermediary")
    assert "92,7 % van de bovengrens" in client.get("/plans").get_data(as_text=True)
    assert "92.7 % of the bound" in client.get("/plans?lang=en").get_data(as_text=True)


def test_the_open_shifts_page_names_the_year_of_the_plans_it_offers(app, client, pool, session):
    """The demo has a plan for last month and one for next spring: without a year they read as one year."""
    plan_id = staff(app, session, pool).plan_id
    other = planning.create_plan(session, SYSTEM, date(2027, 3, 15), date(2027, 3, 21), 10)
    session.commit()
    planning.run_plan(app.extensions["banenpool.sessionmaker"], other.id)
    login(client, "intermediary")
    body = client.get(f"/open-shifts?plan={plan_id}").get_data(as_text=True)
    assert f"Uit planning {plan_id} (23 mrt 2026 – 29 mrt 2026)." in body
    assert f"{other.id} (15 mrt 2027 – 21 mrt 2027)" in body


def test_dutch_pages_write_cao_in_lower_case_as_the_rest_of_the_dutch_text_does(client, pool):
    login(client, "intermediary")
    for path in ("/employers", f"/employers/{pool.employer_a}", f"/employers/{pool.employer_a}/edit",
                 f"/workers/{pool.worker_x}", f"/workers/{pool.worker_x}/contracts/new", "/caos", "/payroll"):
        body = client.get(path).get_data(as_text=True)
        visible = re.sub(r"<[^>]+>", " ", body.split("<main>")[1])
        assert "CAO" not in visible, (path, visible[visible.find("CAO") - 60:visible.find("CAO") + 60])
    assert ">CAO<" in client.get("/employers?lang=en").get_data(as_text=True)


def test_the_registry_forms_examples_use_the_pages_decimal_sign(client, pool):
    login(client, "intermediary")
    for path in ("/workers/new", "/employers/new"):
        dutch = client.get(path).get_data(as_text=True)
        english = client.get(f"{path}?lang=en").get_data(as_text=True)
        client.get(f"{path}?lang=nl")
        assert "bijv. 52,2215" in dutch and "bijv. 6,8937" in dutch
        assert "e.g. 52.2215" in english and "e.g. 6.8937" in english and "52,2215" not in english
    assert "e.g. 1.85" in client.get("/employers/new?lang=en").get_data(as_text=True)


def test_every_field_of_the_availability_page_has_a_name_for_screen_readers(client, pool):
    login(client, "worker_x")
    body = client.get("/me/availability").get_data(as_text=True)
    for name in re.findall(r'<input[^>]*name="(days-\d-(?:start|end))"', body):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)
        assert "aria-label=" in tag, tag
    assert 'aria-label="maandag: Begin"' in body and 'aria-label="zondag: Einde"' in body


def test_the_workers_page_gives_leave_in_whole_days_with_the_year(client, pool, session):
    """Leave Monday to Sunday is stored up to the next Monday 00:00; the page said it ran to that Monday."""
    leave = {"start": datetime(2027, 4, 12, tzinfo=AMS), "end": datetime(2027, 4, 19, tzinfo=AMS), "reason": "leave"}
    registry.set_availability(session, SYSTEM, pool.worker_x, [], [leave])
    session.commit()
    login(client, "intermediary")
    body = client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    assert "ma 12 apr 2027 t/m zo 18 apr 2027 (verlof)" in body
    assert "19 apr" not in body


def test_english_date_ranges_say_through_where_the_last_day_is_included(client, pool):
    """Dutch says "tot en met"; English "Until" read as the day before the end."""
    login(client, "intermediary")
    for path in ("/coverage", "/payroll", "/plans", "/invoices", f"/workers/{pool.worker_x}/contracts/new"):
        body = client.get(f"{path}?lang=en").get_data(as_text=True)
        assert "Through" in body and "Until" not in body, path
    assert "Tot en met" in client.get("/coverage?lang=nl").get_data(as_text=True)


def _request_errors(client, lang, **fields):
    page = client.get(f"/employer/requests?lang={lang}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "title": "Snoeiwerk", "start_date": "2026-04-06", "end_date": "2026-04-19",
            "lines-0-weekday": "0", "lines-0-start": "08:00", "lines-0-end": "12:00", **fields}
    r = client.post("/employer/requests", data=data)
    assert r.status_code == 200
    return re.findall(r'class="(?:flash )?error"[^>]*>(.*?)<', r.get_data(as_text=True), re.S)


def test_the_request_forms_errors_name_the_field_by_its_label_in_the_pages_language(client, pool):
    """They named the field by its code ("title: ...", "end_date: ...") and a line's number or time
    was refused in English on the Dutch page ("#1 Medewerkers: Not a valid integer value.")."""
    login(client, "employer_a")
    errors = _request_errors(client, "nl", title="", **{"lines-0-headcount": "x", "lines-0-start": "25:00"})
    text = " ".join(errors)
    assert any(e.startswith("Titel: ") for e in errors), errors
    assert "#1 Begin: " in text and "#1 Medewerkers: " in text, errors
    for english in ("title:", "lines:", "Not a valid", "Number must be"):
        assert english not in text, errors
    errors = _request_errors(client, "en", end_date="")
    assert "Through: This field is required." in errors, errors


def test_a_bad_skill_on_the_request_form_is_explained_in_the_pages_language(client, pool):
    login(client, "employer_a")
    errors = _request_errors(client, "nl", skills="Groen!, heftruck")
    assert any("groen!: vaardigheden zijn woorden in kleine letters" in e for e in errors), errors
    assert not any("e.g." in e for e in errors), errors
    errors = _request_errors(client, "en", skills="Groen!")
    assert any("groen!: skills are lower-case words" in e for e in errors), errors


def test_the_plan_and_invoice_forms_name_the_field_they_refuse(client, pool):
    login(client, "intermediary")
    page = client.get("/plans").get_data(as_text=True)
    r = client.post("/plans", data={"csrf_token": csrf_token(page), "start_date": "2026-03-23",
                                    "end_date": "2026-03-29", "time_limit_seconds": "0"})
    errors = re.findall(r'class="error"[^>]*>(.*?)<', r.get_data(as_text=True), re.S)
    assert errors and all(e.startswith("Tijdslimiet (seconden): ") for e in errors), errors
    page = client.get("/invoices").get_data(as_text=True)
    r = client.post("/invoices", data={"csrf_token": csrf_token(page), "employer_id": str(pool.employer_a),
                                       "period_start": "2026-03-01", "period_end": ""})
    errors = re.findall(r'class="error"[^>]*>(.*?)<', r.get_data(as_text=True), re.S)
    assert errors and all(e.startswith("Tot en met: ") for e in errors), errors


@pytest.mark.parametrize("lang, saved", [("nl", "Afwezigheid opgeslagen van 15 mrt 2027 tot en met 16 mrt 2027."),
                                         ("en", "Absence saved from 15 Mar 2027 through 16 Mar 2027.")])
def test_the_messages_after_a_change_give_dates_as_the_pages_do(client, pool, lang, saved):
    """They wrote 15-03-2027 (on the English pages too), where every page writes 15 mrt 2027."""
    client.get(f"/?lang={lang}")
    login(client, "worker_x")
    page = client.get("/me/availability").get_data(as_text=True)
    r = client.post("/me/availability/absences", follow_redirects=True,
                    data={"csrf_token": csrf_token(page), "first": "2027-03-15", "last": "2027-03-16", "reason": "sick"})
    assert saved in r.get_data(as_text=True)


def test_the_open_shifts_page_opens_on_the_plan_whose_period_is_still_to_come(app, client, pool, session):
    """As in the demo: next spring's plan was made before the plan of a month already worked; the page
    opens on the spring (its open slots are still work to find someone for), the past one is offered."""
    coming = planning.create_plan(session, SYSTEM, date(2027, 3, 15), date(2027, 3, 21), 10)
    session.commit()
    planning.run_plan(app.extensions["banenpool.sessionmaker"], coming.id)
    past_id = staff(app, session, pool).plan_id        # made later, for March 2026
    assert past_id > coming.id
    login(client, "intermediary")
    body = client.get("/open-shifts").get_data(as_text=True)
    assert f"Uit planning {coming.id} (15 mrt 2027 – 21 mrt 2027)." in body
    assert f"{past_id} (23 mrt 2026 – 29 mrt 2026)" in body
    body = client.get(f"/open-shifts?plan={past_id}").get_data(as_text=True)
    assert f"Uit planning {past_id} (23 mrt 2026 – 29 mrt 2026)." in body
