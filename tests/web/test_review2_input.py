"""Second review of input handling in the JSON API: request bodies that end in a server error
(500) or are silently changed instead of being refused with a 4xx naming what is wrong.

Every test here failed when it was written; each docstring says what happened then.
Server errors are answered as 500 (PROPAGATE_EXCEPTIONS off), as a production server does.
"""
import json

import pytest
from sqlalchemy import func, select

from banenpool.models import CapacityRequest, Shift
from tests.banenpool.test_billing import MONDAY, make_assignment, work

REQUEST = {"title": "Piek", "skills": ["groen"], "start_date": "2026-04-06", "end_date": "2026-04-12",
           "pattern": [{"weekday": 0, "start": "08:00", "end": "12:00", "headcount": 1}]}


@pytest.fixture
def served(app):
    """Unhandled exceptions become the 500 a client sees, not a test-time traceback."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _raw(client, method, url, headers, text):
    return client.open(url, method=method, data=text,
                       headers={**headers, "Content-Type": "application/json"})


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


# --- lone UTF-16 surrogates ("\ud800") in JSON strings ---------------------------------------------
# Valid JSON escapes that are not valid Unicode text: Python's json accepts them, the database
# driver cannot encode them (UnicodeEncodeError) and the request ends in a 500.

def test_token_exchange_with_a_lone_surrogate_in_the_email_is_not_a_server_error(served, client, pool):
    """Anonymous: POST /auth/token {"email": "\\ud800"} was 500 (the lookup of the address fails)."""
    r = _raw(client, "POST", "/api/v1/auth/token", {}, '{"email": "\\ud800@example.org", "password": "x"}')
    assert r.status_code in (401, 422), (r.status_code, r.get_json())


def test_employer_request_title_with_a_lone_surrogate_is_422_naming_title(served, client, pool, session):
    """Employer: a capacity request whose title holds a lone surrogate was 500 at the INSERT."""
    body = json.dumps({**REQUEST, "employer_id": pool.employer_a}).replace('"Piek"', '"Piek \\ud800"')
    r = _raw(client, "POST", "/api/v1/capacity-requests", pool.headers("employer_a"), body)
    assert r.status_code == 422, (r.status_code, r.get_json())
    assert "title" in r.get_json()["errors"]["json"]
    assert _count(session, CapacityRequest) == 0


def test_worker_name_with_a_lone_surrogate_is_422_naming_name(served, client, pool):
    """Intermediary: PATCH /workers/{id} {"name": "\\ud800"} was 500."""
    r = _raw(client, "PATCH", f"/api/v1/workers/{pool.worker_x}", pool.headers("intermediary"),
             '{"name": "Sanne \\ud800"}')
    assert r.status_code == 422, (r.status_code, r.get_json())
    assert "name" in r.get_json()["errors"]["json"]


# --- JSON bodies the parser cannot read: malformed JSON is 400 (api.md), not 500 ----------------------

@pytest.mark.parametrize("text, status", [("[" * 100_000, 400), ('{"a":' * 100_000, 400),
                                          ("[" * 3000 + "]" * 3000, 400), ("[" * 900 + "]" * 900, 422)],
                         ids=["arrays", "objects", "readable-too-deep-to-walk", "deep-but-walkable"])
def test_deeply_nested_json_is_4xx_not_500(served, client, pool, text, status):
    """json.loads raises RecursionError (not a JSONDecodeError), which nothing catches: 500 for an
    anonymous caller on the token exchange and for any logged-in caller on any body. Python's json
    reads 3000 levels, too deep to walk for bad text: 400 as well; 900 levels are walked and are
    then the wrong shape (422)."""
    r = _raw(client, "POST", "/api/v1/auth/token", {}, text)
    assert r.status_code == status, (r.status_code, r.get_json())
    r = _raw(client, "PUT", f"/api/v1/workers/{pool.worker_x}/availability", pool.headers("worker_x"), text)
    assert r.status_code == status, (r.status_code, r.get_json())


def test_json_number_too_long_to_read_is_4xx_not_500(served, client, pool):
    """An integer literal of more than 4300 digits: json.loads raises ValueError (Python's limit on
    int() of long strings), not a JSONDecodeError: 500."""
    text = '{"weekly": [{"weekday": 1%s, "start": "08:00", "end": "09:00"}]}' % ("0" * 5000)
    r = _raw(client, "PUT", f"/api/v1/workers/{pool.worker_x}/availability", pool.headers("worker_x"), text)
    assert r.status_code in (400, 422), (r.status_code, r.get_json())


# --- fractional numbers for whole-number fields are truncated, not refused ------------------------
# marshmallow's Integer (not strict) turns 2.5 into 2: the value stored is not the value sent. The
# API refuses a fractional number for a decimal (web/api/fields.DecimalString) for that very reason.

def test_capacity_request_with_a_fractional_headcount_is_422_not_rounded_down(served, client, pool, session):
    """Employer: headcount 2.5 made shifts of headcount 2 (201)."""
    body = {**REQUEST, "employer_id": pool.employer_a,
            "pattern": [{"weekday": 0, "start": "08:00", "end": "12:00", "headcount": 2.5}]}
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json=body)
    assert r.status_code == 422, (r.status_code, r.get_json())
    assert "headcount" in r.get_json()["errors"]["json"]["pattern"]["0"]
    assert _count(session, Shift) == 0


def test_availability_with_a_fractional_weekday_is_422_not_another_day(served, client, pool):
    """Worker: weekday 1.9 (not a day) was saved as Tuesday (1)."""
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("worker_x"),
                   json={"weekly": [{"weekday": 1.9, "start": "08:00", "end": "12:00"}], "absences": []})
    assert r.status_code == 422, (r.status_code, r.get_json())
    assert "weekday" in r.get_json()["errors"]["json"]["weekly"]["0"]


def test_timesheet_with_a_fractional_break_is_422_not_rounded_down(served, client, pool, session):
    """Worker: break_minutes 29.9 was stored as 29."""
    a = make_assignment(session, pool.employer_a, pool.worker_x)
    r = client.put(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers("worker_x"),
                   json={"start": MONDAY.isoformat(), "end": MONDAY.replace(hour=16).isoformat(),
                         "break_minutes": 29.9})
    assert r.status_code == 422, (r.status_code, r.get_json())
    assert "break_minutes" in r.get_json()["errors"]["json"]


def test_manual_assignment_with_a_fractional_id_is_422_not_another_shift(served, client, pool, session):
    """Intermediary: shift_id 1.5 was read as shift 1 (the answer was about shift 1: 409 W01, it is full)."""
    make_assignment(session, pool.employer_a, pool.worker_y)  # shift 1
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": 1.5, "worker_id": pool.worker_x})
    assert r.status_code == 422, (r.status_code, r.get_json())
    assert "shift_id" in r.get_json()["errors"]["json"]


# --- control characters in stored text break the UBL export ----------------------------------------
# lxml refuses control characters ("All strings must be XML compatible"): a name or note accepted
# by the API makes the e-invoice of a final invoice a 500 for the intermediary and the employer.

def _final_invoice(client, pool, session) -> int:
    work(client, pool, "employer_a", "worker_x", session=session)
    r = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, "period_start": "2026-03-01", "period_end": "2026-03-31"})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def test_a_control_character_in_a_name_or_note_is_422_naming_the_field(client, pool, session):
    """A vertical tab pasted with a name, a STX in a note: valid JSON, but no XML (so no UBL
    e-invoice) may hold them; they were accepted and the final invoice's UBL export was a 500."""
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"),
                     json={"name": "Sanne\u000bScholten"})
    assert r.status_code == 422
    assert r.get_json()["errors"]["json"] == {"name": ["must be text without the control character U+000B"]}
    invoice = _final_invoice(client, pool, session)
    r = client.patch(f"/api/v1/invoices/{invoice}", headers=pool.headers("intermediary"),
                     json={"note": "zie bijlage\u0002"})
    assert r.status_code == 422 and "note" in r.get_json()["errors"]["json"]
    # nested fields are named down to the item; tab, line feed and carriage return stay allowed
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json={
        **REQUEST, "employer_id": pool.employer_a, "title": "Piek\tvoorjaar\r\n", "skills": ["groen", "a\u0007"]})
    assert r.status_code == 422
    assert r.get_json()["errors"]["json"] == {"skills": {"1": ["must be text without the control character U+0007"]}}


def test_a_control_character_already_stored_is_left_out_of_the_ubl_export(served, client, pool, session):
    """A name stored before the API refused control characters (or typed into a page's form)
    must not make the e-invoice a 500: the character is left out of the XML."""
    from lxml import etree

    from banenpool.models import Worker
    session.get(Worker, pool.worker_x).name = "Sanne\u000bScholten"
    session.commit()
    invoice = _final_invoice(client, pool, session)
    assert client.post(f"/api/v1/invoices/{invoice}/finalize", headers=pool.headers("intermediary")).status_code == 200
    r = client.get(f"/api/v1/invoices/{invoice}/export?format=ubl", headers=pool.headers("employer_a"))
    assert r.status_code == 200, r.status_code
    assert "SanneScholten" in etree.fromstring(r.data).xpath("string(.)")


# --- the timesheet list reads `to` before `from` as an empty range --------------------------------

@pytest.mark.parametrize("who", ["intermediary", "employer_a", "worker_x"])
def test_timesheet_list_with_to_before_from_is_422_on_the_query_field_to(client, pool, session, who):
    """GET /timesheets?from=…&to=<earlier> was 200 [] (hiding the hours), where /shifts,
    /assignments and /workers/{id}/checks answer 422 errors.query.to (services.shifts.check_day_range)."""
    work(client, pool, "employer_a", "worker_x", approve=False, session=session)
    r = client.get("/api/v1/timesheets?from=2026-03-10&to=2026-03-08", headers=pool.headers(who))
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["errors"] == {"query": {"to": ["must not be before from"]}}
    assert len(client.get("/api/v1/timesheets?from=2026-03-09&to=2026-03-09", headers=pool.headers(who)).get_json()) == 1
