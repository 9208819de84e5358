"""Review of authorisation and bad input: what an employer may not set, and form posts that must
not be saved half (a line or a day silently left out) or refused without saying why."""
import re

from sqlalchemy import func, select

from banenpool.models import CapacityRequest, Worker
from tests.web.pages_data import csrf_token, login

REQUEST = {"title": "Piek", "skills": ["groen"], "start_date": "2026-04-06", "end_date": "2026-04-12",
           "pattern": [{"weekday": 0, "start": "08:00", "end": "12:00", "headcount": 1}]}


def _requests(session) -> int:
    return session.scalar(select(func.count(CapacityRequest.id)))


def _flashes(html: str) -> str:
    return " | ".join(re.findall(r'class="flash error"[^>]*>(.*?)<', html, re.S))


def _form_errors(html: str) -> str:
    return " | ".join(re.findall(r'class="error"[^>]*>(.*?)<', html, re.S))


# --- API ---------------------------------------------------------------------------------------

def test_an_employer_cannot_raise_its_own_requests_priority_over_other_employers(client, pool, session):
    """priority weighs a request's hours in the planner against every other employer's: only the
    intermediary sets it; an employer's request keeps the default 1.0."""
    body = {**REQUEST, "employer_id": pool.employer_a, "priority": 10}
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json=body)
    assert r.status_code == 422, r.get_json()
    assert "priority" in r.get_json()["errors"]["json"]
    assert _requests(session) == 0
    # the default sent back as it was read is fine, and so is leaving it out
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json={**body, "priority": 1.0})
    assert r.status_code == 201 and r.get_json()["priority"] == 1.0
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"),
                    json={**REQUEST, "employer_id": pool.employer_a})
    assert r.status_code == 201 and r.get_json()["priority"] == 1.0
    # the intermediary still weighs requests
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 201 and r.get_json()["priority"] == 10


# --- employer request form ---------------------------------------------------------------------

def _post_request(client, **lines):
    page = client.get("/employer/requests").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "title": "Snoeiwerk", "skills": "groen", "start_date": "2026-04-06",
            "end_date": "2026-04-19", **lines}
    return client.post("/employer/requests", data=data)


def test_request_form_line_without_its_end_is_refused_not_left_out(client, pool, session):
    login(client, "employer_a")
    r = _post_request(client, **{"lines-0-weekday": "0", "lines-0-start": "08:00", "lines-0-end": "12:00",
                                 "lines-1-weekday": "1", "lines-1-start": "08:00"})
    assert r.status_code == 200, r.headers.get("Location")
    assert "#2 Einde: Dit veld is vereist." in _form_errors(r.get_data(as_text=True))
    assert _requests(session) == 0  # the Monday line is not saved without the Tuesday one
    r = _post_request(client, **{"lines-0-weekday": "0", "lines-0-start": "08:00", "lines-0-end": "12:00",
                                 "lines-1-start": "08:00", "lines-1-end": "12:00"})  # times without a day
    assert r.status_code == 200 and "#2 Dag: Dit veld is vereist." in _form_errors(r.get_data(as_text=True))
    assert _requests(session) == 0


def test_request_form_refuses_skills_the_api_refuses(client, pool, session):
    login(client, "employer_a")
    r = _post_request(client, skills="groen, rijbewijs b, x!y",
                      **{"lines-0-weekday": "0", "lines-0-start": "08:00", "lines-0-end": "12:00"})
    assert r.status_code == 200
    errors = _form_errors(r.get_data(as_text=True))
    assert "Vaardigheden (met komma’s): rijbewijs b, x!y: " in errors and "groen" not in errors and _requests(session) == 0
    r = _post_request(client, skills="Groen, rijbewijs-B",
                      **{"lines-0-weekday": "0", "lines-0-start": "08:00", "lines-0-end": "12:00"})
    assert r.status_code == 302
    assert session.scalar(select(CapacityRequest)).skills == ["groen", "rijbewijs-b"]


# --- worker availability form ------------------------------------------------------------------

def _weekly(session, worker_id):
    session.expire_all()
    return sorted((w.weekday, w.start.strftime("%H:%M"), w.end.strftime("%H:%M"))
                  for w in session.get(Worker, worker_id).weekly)


def test_availability_day_ticked_without_its_times_is_refused_not_dropped(client, pool, session):
    login(client, "worker_x")
    page = client.get("/me/availability").get_data(as_text=True)
    r = client.post("/me/availability", data={"csrf_token": csrf_token(page),
                                              "days-0-available": "y", "days-0-start": "08:00",
                                              "days-1-available": "y", "days-1-start": "08:00", "days-1-end": "17:00"})
    assert r.status_code == 200
    assert _flashes(r.get_data(as_text=True)) == "Niet opgeslagen: maandag Einde: Dit veld is vereist."
    assert _weekly(session, pool.worker_x) == []  # Tuesday is not saved without Monday


def test_availability_with_an_impossible_time_says_why(client, pool, session):
    login(client, "worker_x")
    page = client.get("/me/availability").get_data(as_text=True)
    r = client.post("/me/availability", data={"csrf_token": csrf_token(page),
                                              "days-0-available": "y", "days-0-start": "25:00", "days-0-end": "17:00"})
    assert r.status_code == 200
    assert "maandag Begin: Ongeldige waarde voor tijd." in _flashes(r.get_data(as_text=True))  # before: no message
    assert _weekly(session, pool.worker_x) == []


def _as_rendered(page: str) -> dict:
    """The availability form as the browser posts it untouched: ticked boxes and the shown times."""
    data = {"csrf_token": csrf_token(page)}
    for tag in re.findall(r"<input([^>]*)>", page):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        name = attrs.get("name", "")
        if name.startswith("days-") and attrs.get("type") == "checkbox":
            if re.search(r"\bchecked\b", tag):
                data[name] = "y"
        elif name.startswith("days-"):
            data[name] = attrs.get("value", "")
    return data


def test_saving_the_availability_page_keeps_windows_it_cannot_show(client, pool, session):
    """The page shows one window a day; the API stores several a day and windows past midnight.
    Adding Wednesday on the page must not drop Monday morning, nor be refused for Friday night."""
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("intermediary"), json={
        "weekly": [{"weekday": 0, "start": "08:00", "end": "12:00"}, {"weekday": 0, "start": "13:00", "end": "17:00"},
                   {"weekday": 4, "start": "22:00", "end": "06:00"}]})
    assert r.status_code == 200
    login(client, "worker_x")
    data = _as_rendered(client.get("/me/availability").get_data(as_text=True))
    data.update({"days-2-available": "y", "days-2-start": "09:00", "days-2-end": "10:00"})
    r = client.post("/me/availability", data=data)
    assert r.status_code == 302, _flashes(r.get_data(as_text=True))
    assert _weekly(session, pool.worker_x) == [(0, "08:00", "12:00"), (0, "13:00", "17:00"), (2, "09:00", "10:00"),
                                               (4, "22:00", "06:00")]
    # a day the worker does change replaces that day
    data = _as_rendered(client.get("/me/availability").get_data(as_text=True))
    data.update({"days-0-start": "10:00", "days-0-end": "14:00"})
    assert client.post("/me/availability", data=data).status_code == 302
    assert _weekly(session, pool.worker_x)[0:2] == [(0, "10:00", "14:00"), (2, "09:00", "10:00")]


def test_a_night_window_can_be_set_on_the_page_and_an_empty_one_is_refused(client, pool, session):
    login(client, "worker_x")
    data = _as_rendered(client.get("/me/availability").get_data(as_text=True))
    data.update({"days-6-available": "y", "days-6-start": "22:00", "days-6-end": "06:00"})
    r = client.post("/me/availability", data=data)
    assert r.status_code == 302
    assert "Zondag 22:00–06:00 eindigt op maandag." in client.get(r.headers["Location"]).get_data(as_text=True)
    assert _weekly(session, pool.worker_x) == [(6, "22:00", "06:00")]
    data = _as_rendered(client.get("/me/availability").get_data(as_text=True))
    data.update({"days-6-start": "09:00", "days-6-end": "09:00"})
    r = client.post("/me/availability", data=data)
    assert r.status_code == 200 and "moet anders zijn dan het begin" in _flashes(r.get_data(as_text=True))
    assert _weekly(session, pool.worker_x) == [(6, "22:00", "06:00")]


def test_pay_preview_for_someone_born_after_the_shift_is_422_naming_birth_date(client, pool):
    body = {"cao_code": "abu", "birth_date": "2030-01-01", "start": "2026-03-07T08:00:00+01:00",
            "end": "2026-03-07T12:00:00+01:00"}
    r = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 422, r.get_json()  # before: 200, paid as "age -4"
    assert "birth_date" in r.get_json()["errors"]["json"]
    body["birth_date"] = "2010-03-07"  # sixteen that day
    assert client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json=body).status_code == 200


def test_request_form_error_names_the_line_on_the_page(client, pool, session):
    """Empty lines are skipped, so the pattern's entry 0 may be the page's line 3."""
    login(client, "employer_a")
    r = _post_request(client, **{"lines-2-weekday": "0", "lines-2-start": "08:00", "lines-2-end": "09:00",
                                 "lines-2-break_minutes": "200"})
    assert r.status_code == 200 and _requests(session) == 0
    flashes = _flashes(r.get_data(as_text=True))
    assert "#3 Pauze (min): een pauze van 200 min past niet in de dienst" in flashes, flashes  # before: "pattern.0…"


def test_without_credentials_the_api_says_401_before_it_reads_the_body(client, pool):
    bad = {"employer_id": "x", "pattern": "not a list"}
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        r = client.post("/api/v1/capacity-requests", json=bad, headers=headers)
        assert r.status_code == 401 and "employer_id" not in r.get_data(as_text=True)
        assert client.post("/api/v1/users", json={"role": 7}, headers=headers).status_code == 401
    # the token exchange itself still reads its body first
    assert client.post("/api/v1/auth/token", json={"email": 3}).status_code == 422
    # and with a token, a bad body is the 422 naming the field
    r = client.post("/api/v1/capacity-requests", json=bad, headers=pool.headers("intermediary"))
    assert r.status_code == 422 and "employer_id" in r.get_data(as_text=True)


def test_request_form_title_stays_on_one_line_as_the_api_requires(client, pool, session):
    login(client, "employer_a")
    r = _post_request(client, title="Snoei\nwerk", **{"lines-0-weekday": "0", "lines-0-start": "08:00",
                                                       "lines-0-end": "12:00"})
    assert r.status_code == 200 and "Houd deze tekst op één regel." in r.get_data(as_text=True)
    assert _requests(session) == 0
