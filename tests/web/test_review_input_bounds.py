"""Review of input bounds in the JSON API: day ranges the wrong way round, requests and availability
without an upper size, a request that asks for no shift, and where errors about query parameters
are filed (`errors.query`, as flask-smorest files its own query errors)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from banenpool.models import Absence, CapacityRequest, Shift, WeeklyAvailability
from banenpool.services.capacity import expand

MAX_PATTERN_LINES = 50  # the bounds chosen (banenpool.services.capacity); literal, so a change is seen
MAX_SHIFTS = 2000

REQUEST = {"title": "Piek", "skills": ["groen"], "start_date": "2026-04-06", "end_date": "2026-04-12",
           "pattern": [{"weekday": 0, "start": "08:00", "end": "12:00", "headcount": 1}]}


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _post_request(client, pool, **changes):
    body = {**REQUEST, "employer_id": pool.employer_a, **changes}
    return client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json=body)


# --- 1 and 4: `to` before `from` on the lists, filed under `query` ----------------------------------

@pytest.mark.parametrize("path", ["/api/v1/shifts", "/api/v1/assignments"])
@pytest.mark.parametrize("who", ["intermediary", "employer_a", "worker_x"])
def test_list_with_to_before_from_is_422_on_the_query_field_to(client, pool, path, who):
    assert _post_request(client, pool).status_code == 201
    r = client.get(f"{path}?from=2026-04-12&to=2026-04-06", headers=pool.headers(who))
    assert r.status_code == 422, r.get_json()  # before: 200 with []
    body = r.get_json()
    assert body["errors"] == {"query": {"to": ["must not be before from"]}}
    assert (body["code"], body["status"], body["message"]) == (422, "Unprocessable Entity",
                                                               "to: must not be before from")
    # one day (from = to) and an open end are still lists
    r = client.get(f"{path}?from=2026-04-06&to=2026-04-06", headers=pool.headers(who))
    assert r.status_code == 200
    assert client.get(f"{path}?from=2026-04-12", headers=pool.headers(who)).status_code == 200


def test_shift_list_one_day_still_finds_its_shift(client, pool):
    assert _post_request(client, pool).status_code == 201
    r = client.get("/api/v1/shifts?from=2026-04-06&to=2026-04-06", headers=pool.headers("intermediary"))
    assert r.status_code == 200 and len(r.get_json()) == 1


def test_worker_checks_files_to_before_from_under_query_like_a_schema_error(client, pool):
    r = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-04-12&to=2026-04-06",
                   headers=pool.headers("worker_x"))
    assert r.status_code == 422
    assert r.get_json()["errors"] == {"query": {"to": ["must not be before from"]}}  # before: under "json"
    assert r.get_json()["message"] == "to: must not be before from"
    # the same place as marshmallow's own query errors
    r = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-04-12&to=x", headers=pool.headers("worker_x"))
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["query"]
    # another worker's checks stay hidden (404) whatever the range
    r = client.get(f"/api/v1/workers/{pool.worker_y}/checks?from=2026-04-12&to=2026-04-06",
                   headers=pool.headers("worker_x"))
    assert r.status_code == 404


def test_body_errors_from_a_service_stay_under_json(client, pool, session):
    r = _post_request(client, pool, employer_id=999999)
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["json"]
    assert "employer_id" in r.get_json()["errors"]["json"]


# --- 2: upper bounds on a request's pattern and its shifts -----------------------------------------

def _lines(n: int, headcount: int = 1) -> list[dict]:
    return [{"weekday": i % 7, "start": f"{(i // 7) % 24:02d}:00", "end": f"{(i // 7) % 24:02d}:30",
             "headcount": headcount} for i in range(n)]


def test_capacity_request_pattern_of_more_than_50_lines_is_422(client, pool, session):
    r = _post_request(client, pool, pattern=_lines(MAX_PATTERN_LINES + 1))
    assert r.status_code == 422, r.get_json()  # before: 201 (1 000 lines made 52 000 shifts)
    assert r.get_json()["errors"]["json"]["pattern"] == [f"a pattern has 1 to {MAX_PATTERN_LINES} lines"]
    assert _count(session, CapacityRequest) == 0 and _count(session, Shift) == 0
    r = _post_request(client, pool, pattern=_lines(MAX_PATTERN_LINES))
    assert r.status_code == 201 and r.get_json()["shift_count"] == MAX_PATTERN_LINES


def test_capacity_request_of_more_than_the_maximum_of_shifts_is_422_and_writes_nothing(client, pool, session):
    year = {"start_date": "2026-01-05", "end_date": "2027-01-03"}  # 52 whole weeks
    r = _post_request(client, pool, pattern=_lines(MAX_PATTERN_LINES), **year)
    assert r.status_code == 422, r.get_json()  # before: 201 with 2 600 shifts
    reasons = r.get_json()["errors"]["json"]["pattern"]
    assert reasons == [f"makes {52 * MAX_PATTERN_LINES} shifts; a request makes at most {MAX_SHIFTS}: "
                       "split it into several requests or shorten the date range"]
    assert _count(session, CapacityRequest) == 0 and _count(session, Shift) == 0
    lines = MAX_SHIFTS // 52
    r = _post_request(client, pool, pattern=_lines(lines), **year)
    assert r.status_code == 201 and r.get_json()["shift_count"] == 52 * lines


def test_shift_count_agrees_with_expand():
    from banenpool.services.capacity import shift_count
    start = date(2026, 3, 25)
    for days in range(0, 20):
        for pattern in (_lines(1), _lines(3), _lines(9), [{**line, "weekday": 6} for line in _lines(2)]):
            end = start + timedelta(days=days)
            assert shift_count(pattern, start, end) == len(expand(pattern, start, end)), (days, pattern)


# --- 2: upper bounds on availability ----------------------------------------------------------------

def _put_availability(client, pool, weekly, absences):
    return client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("worker_x"),
                      json={"weekly": weekly, "absences": absences})


def _weekly(n):
    return [{"weekday": i % 7, "start": f"{i // 7:02d}:00", "end": f"{i // 7:02d}:30"} for i in range(n)]


def _absences(n):
    first = date(2026, 1, 1)
    return [{"start": f"{first + timedelta(days=i)}T08:00:00+01:00", "end": f"{first + timedelta(days=i)}T17:00:00+01:00"}
            for i in range(n)]


def test_availability_of_more_than_50_weekly_windows_is_422(client, pool, session):
    r = _put_availability(client, pool, _weekly(51), [])
    assert r.status_code == 422, r.get_json()  # before: 200
    assert r.get_json()["errors"]["json"] == {"weekly": ["at most 50 weekly windows"]}
    assert _count(session, WeeklyAvailability) == 0
    assert _put_availability(client, pool, _weekly(50), []).status_code == 200
    assert _count(session, WeeklyAvailability) == 50


def test_availability_of_more_than_500_absences_is_422(client, pool, session):
    r = _put_availability(client, pool, [], _absences(501))
    assert r.status_code == 422, r.get_json()  # before: 200
    assert r.get_json()["errors"]["json"] == {"absences": ["at most 500 absences"]}
    assert _count(session, Absence) == 0
    assert _put_availability(client, pool, [], _absences(500)).status_code == 200
    assert _count(session, Absence) == 500


# --- 3: a request that makes no shift --------------------------------------------------------------

def test_capacity_request_whose_range_misses_its_weekdays_is_422_on_pattern(client, pool, session):
    # Tuesday 7 to Thursday 9 April 2026; the pattern is Monday and Sunday only
    pattern = [{"weekday": 0, "start": "08:00", "end": "12:00", "headcount": 2},
               {"weekday": 6, "start": "08:00", "end": "12:00", "headcount": 1}]
    r = _post_request(client, pool, start_date="2026-04-07", end_date="2026-04-09", pattern=pattern)
    assert r.status_code == 422, r.get_json()  # before: 201 with shift_count 0
    (reason,) = r.get_json()["errors"]["json"]["pattern"]
    assert reason.startswith("no day between start_date and end_date falls on its weekdays (Monday, Sunday;")
    assert _count(session, CapacityRequest) == 0 and _count(session, Shift) == 0
    # one matching day is enough
    r = _post_request(client, pool, start_date="2026-04-07", end_date="2026-04-12", pattern=pattern)
    assert r.status_code == 201 and r.get_json()["shift_count"] == 1


def test_request_page_refuses_a_range_without_its_weekdays_too(client, pool, session):
    """The check is in the service, so the employer's page says it as well instead of saving 0 shifts."""
    import re

    from tests.web.pages_data import csrf_token, login
    login(client, "employer_a")
    page = client.get("/employer/requests").get_data(as_text=True)
    r = client.post("/employer/requests", data={
        "csrf_token": csrf_token(page), "title": "Snoeiwerk", "skills": "groen",
        "start_date": "2026-04-07", "end_date": "2026-04-09",  # Tuesday to Thursday
        "lines-0-weekday": "0", "lines-0-start": "08:00", "lines-0-end": "12:00"})
    assert r.status_code == 200, r.headers.get("Location")  # before: 302 to a request with no shifts
    flashes = " | ".join(re.findall(r'class="flash error"[^>]*>(.*?)<', r.get_data(as_text=True), re.S))
    assert "Regels: geen dag in de periode valt op de gekozen weekdagen" in flashes
    assert _count(session, CapacityRequest) == 0
