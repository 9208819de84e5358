"""Review of access control and bad input across the API and the pages: who learns what from the
answers, and what a refusal says.

Every test here failed when it was written; each docstring says what happened then.
"""
import pytest
from sqlalchemy import select

from banenpool.models import User
from banenpool.principal import SYSTEM
from banenpool.services import auth
from tests.conftest import PASSWORD


@pytest.fixture
def hash_checks(monkeypatch):
    """The password hashes checked (the slow part of a log-in: scrypt in production)."""
    calls = []
    check = auth.check_password_hash

    def counted(stored, password):
        calls.append(stored)
        return check(stored, password)
    monkeypatch.setattr(auth, "check_password_hash", counted)
    return calls


def test_a_log_in_costs_one_hash_check_whether_or_not_the_login_exists(client, pool, session, hash_checks):
    """An unknown address (and a blocked login) answered 401 without checking a password hash: ~2 ms
    against ~100 ms for a known one under scrypt, so anyone could tell which addresses have a login
    by timing POST /api/v1/auth/token or the log-in page."""
    blocked = session.scalar(select(User.id).where(User.email == "worker_y@test.example"))
    auth.set_active(session, SYSTEM, blocked, False)
    session.commit()
    for email, password in (("worker_x@test.example", "wrong password"), ("nobody@test.example", "wrong password"),
                            ("worker_y@test.example", "wrong password"), ("worker_y@test.example", PASSWORD)):
        hash_checks.clear()
        r = client.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert r.status_code == 401 and r.get_json()["message"] == "wrong e-mail or password"
        assert len(hash_checks) == 1, email


MIB = 1024 * 1024


def test_a_body_too_large_to_be_a_request_is_refused_unread(client, pool):
    """Every request body was read whole, of any size, also by the token exchange that anyone may
    call: an anonymous 50 MB POST /api/v1/auth/token was buffered, parsed and answered 401, so a few
    large posts could exhaust the server's memory. Now a body over 1 MiB is 413 (JSON on /api)."""
    body = '{"email": "' + "a" * (2 * MIB) + '", "password": "x"}'
    r = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert r.status_code == 413
    assert r.get_json()["code"] == 413 and r.get_json()["message"]
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("worker_x"),
                   data=body, content_type="application/json")
    assert r.status_code == 413 and r.get_json()["code"] == 413
    assert client.post("/login", data={"email": "a" * (2 * MIB), "password": "x"}).status_code == 413
    # what the API takes at most (500 absences, 50 weekly windows) stays far below the limit
    absences = [{"start": f"2027-01-{d:02d}T00:00:00+01:00", "end": f"2027-01-{d:02d}T23:00:00+01:00",
                 "reason": "leave"} for d in range(1, 29)] * 17
    weekly = [{"weekday": d % 7, "start": "06:00", "end": "07:00"} for d in range(50)]
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("worker_x"),
                   json={"weekly": weekly, "absences": absences[:500]})
    assert r.status_code == 200, r.get_json()


@pytest.fixture
def served(app):
    """Unhandled exceptions become the 500 a client sees, not a test-time traceback."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_the_pools_hours_page_with_an_employer_id_no_employer_can_have_is_404(served, client, pool):
    """/hours?employer=99999999999999999999 was a 500 (the number was handed to the database, which
    holds ids of at most 64 bits); an id outside 1 … 2³¹-1 can never be an employer's."""
    from tests.web.pages_data import csrf_token, login
    login(client, "intermediary")
    page = client.get("/hours")
    assert page.status_code == 200
    for bad in ("99999999999999999999", "0", "-5", "2147483648"):
        assert client.get(f"/hours?employer={bad}").status_code == 404, bad
        r = client.post(f"/employer/timesheets/1/hours?employer={bad}",
                        data={"csrf_token": csrf_token(page.get_data(as_text=True))})
        assert r.status_code == 404, bad
    assert client.get(f"/hours?employer={pool.employer_b}").status_code == 200
    assert client.get("/hours?employer=").status_code == 200        # "all employers" in the page's choice


def test_a_headcount_or_wage_scale_refused_on_a_page_says_why_in_the_pages_language(client, pool):
    """The employer's request page answered a headcount of 999 with "Aantal medewerkers nodig: must be
    from 1 to 500", and an unknown wage scale with "scale: ..." (the service's English and its field
    name) on a Dutch page."""
    import re
    from tests.web.pages_data import csrf_token, login
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json={
        "employer_id": pool.employer_a, "title": "t", "start_date": "2027-03-29", "end_date": "2027-03-29",
        "pattern": [{"weekday": 0, "start": "08:00", "end": "12:00", "headcount": 1}]})
    request_id = r.get_json()["id"]
    shift_id = client.get("/api/v1/shifts?from=2027-03-29&to=2027-03-29",
                          headers=pool.headers("employer_a")).get_json()[0]["id"]
    login(client, "employer_a")
    token = csrf_token(client.get(f"/employer/requests/{request_id}").get_data(as_text=True))
    page = client.post(f"/employer/shifts/{shift_id}/headcount", follow_redirects=True,
                       data={"csrf_token": token, "headcount": "999", "request_id": str(request_id)})
    assert "Niet gewijzigd: Aantal medewerkers nodig: moet tussen 1 en 500 liggen" in page.get_data(as_text=True)
    page = client.post("/employer/requests", data={
        "csrf_token": token, "title": "Piek", "start_date": "2027-05-03", "end_date": "2027-05-03", "scale": "ZZZ",
        "lines-0-weekday": "0", "lines-0-start": "08:00", "lines-0-end": "12:00", "lines-0-headcount": "1"})
    flashes = " ".join(re.findall(r'class="flash[^"]*"[^>]*>(.*?)</', page.get_data(as_text=True), re.S))
    assert "Loonschaal: cao hoveniers heeft geen schaal ZZZ" in flashes, flashes


def test_a_number_too_large_for_a_decimal_field_is_not_answered_with_advice_to_send_inf(client, pool):
    """1e400 is a JSON number (too large for a float: it reads as infinity); a decimal field answered
    'send a decimal string such as "inf", not a number', advice that is refused in turn."""
    body = ('{"cao_code": "hoveniers", "birth_date": "1990-01-01", "start": "2027-03-01T08:00:00+01:00", '
            '"end": "2027-03-01T12:00:00+01:00", "hourly_wage": 1e400, "hours_per_week": -1e400}')
    r = client.post("/api/v1/pay/preview", headers={**pool.headers("worker_x"), "Content-Type": "application/json"},
                    data=body)
    errors = r.get_json()["errors"]["json"]
    assert r.status_code == 422 and set(errors) == {"hourly_wage", "hours_per_week"}
    for field in ("hourly_wage", "hours_per_week"):
        assert errors[field] == ["Special numeric values (nan or infinity) are not permitted."], errors
