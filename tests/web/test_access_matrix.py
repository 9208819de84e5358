"""Role × endpoint matrix: nobody reads or changes what is not theirs.

Rows: (method, path template, body) → expected status per caller. `A`/`B` are employer A's and
B's ids, `X`/`Y` worker X's and Y's. A 404 hides that the object exists; 403 says the role may
not do this at all.
"""
import pytest
from sqlalchemy import select

from banenpool.models import Shift

CALLERS = ("intermediary", "employer_a", "employer_b", "worker_x", "worker_y", "anonymous")

AVAIL = {"weekly": [{"weekday": 1, "start": "08:00", "end": "17:00"}], "absences": []}
SCHOOL = {"school_holidays": [{"first_day": "2026-12-19", "last_day": "2027-01-03"}]}
ABSENCE = {"start": "2026-12-19T00:00:00+01:00", "end": "2026-12-20T00:00:00+01:00", "reason": "sick"}
RELEASE = {"start": "2026-12-19T00:00:00+01:00", "end": "2026-12-20T00:00:00+01:00"}
CONTRACT = {"employer_id": None, "kind": "on_call", "hours_per_week": "8", "cao_code": "abu",
            "start_date": "2026-03-01"}

MATRIX = [
    # method, path, body, intermediary, employer_a, employer_b, worker_x, worker_y, anonymous
    ("GET", "/api/v1/employers/{A}", None, 200, 200, 404, 404, 404, 401),
    ("PATCH", "/api/v1/employers/{A}", {"name": "Nieuw"}, 200, 403, 404, 404, 404, 401),
    ("POST", "/api/v1/employers", "employer", 201, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/workers/{X}", None, 200, 404, 404, 200, 404, 401),
    ("PATCH", "/api/v1/workers/{X}", {"phone": "06-12345678"}, 200, 404, 404, 403, 404, 401),
    ("GET", "/api/v1/workers", None, 200, 403, 403, 200, 200, 401),
    ("POST", "/api/v1/workers", "worker", 201, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/workers/{X}/contracts", None, 200, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/workers/{X}/contracts", CONTRACT, 201, 403, 403, 403, 403, 401),
    ("PATCH", "/api/v1/workers/{X}/contracts/999", {"end_date": None}, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/workers/{X}/availability", None, 200, 404, 404, 200, 404, 401),
    ("PUT", "/api/v1/workers/{X}/availability", AVAIL, 200, 404, 404, 200, 404, 401),
    ("GET", "/api/v1/workers/{X}/school-holidays", None, 200, 404, 404, 200, 404, 401),
    ("PUT", "/api/v1/workers/{X}/school-holidays", SCHOOL, 200, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/workers/{X}/absences/release", RELEASE, 200, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/workers/{X}/absences", ABSENCE, 201, 404, 404, 201, 404, 401),
    ("DELETE", "/api/v1/workers/{X}/absences/999", None, 404, 404, 404, 404, 404, 401),
    ("POST", "/api/v1/workers/{X}/school-holidays", SCHOOL["school_holidays"][0], 201, 403, 403, 403, 403, 401),
    ("DELETE", "/api/v1/workers/{X}/school-holidays/999", None, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/capacity-requests/{R}", None, 200, 200, 404, 404, 404, 401),
    ("DELETE", "/api/v1/capacity-requests/{R}", None, 204, 204, 404, 404, 404, 401),
    ("GET", "/api/v1/shifts", None, 200, 200, 200, 200, 200, 401),
    ("GET", "/api/v1/capacity-requests", None, 200, 200, 200, 403, 403, 401),
    # {S}: an absence of X's, {T}: one of Y's, {H}: a school holiday of X's, {F}: the shift of request {R}
    ("DELETE", "/api/v1/workers/{X}/absences/{S}", None, 204, 404, 404, 204, 404, 401),
    ("DELETE", "/api/v1/workers/{Y}/absences/{S}", None, 404, 404, 404, 404, 404, 401),
    ("DELETE", "/api/v1/workers/{X}/absences/{T}", None, 404, 404, 404, 404, 404, 401),
    ("DELETE", "/api/v1/workers/{X}/school-holidays/{H}", None, 204, 403, 403, 403, 403, 401),
    ("DELETE", "/api/v1/workers/{Y}/school-holidays/{H}", None, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/me/open-shifts", None, 403, 403, 403, 200, 200, 401),
    ("POST", "/api/v1/me/open-shifts/{F}/claim", None, 403, 403, 403, 409, 409, 401),   # it has begun
    ("POST", "/api/v1/me/open-shifts/999/claim", None, 403, 403, 403, 404, 404, 401),
    ("GET", "/api/v1/payroll/periods", None, 200, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/payroll/periods", {"period_start": "2026-03-01", "period_end": "2026-03-31"},
     201, 403, 403, 403, 403, 401),
]


def _body(kind, caller):
    from tests.conftest import employer_data, worker_data
    if kind == "employer":
        data = employer_data(kvk_number=f"7{CALLERS.index(caller):07d}")
    elif kind == "worker":
        data = worker_data(email=f"nieuw{CALLERS.index(caller)}@example.org")  # an address is one person's
    else:
        return kind
    return {k: (str(v) if not isinstance(v, (dict, list, str, float, int)) else v) for k, v in data.items()}


@pytest.mark.parametrize("row", MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_access(client, session, pool, row):
    method, path, body, *expected = row
    for caller, status in zip(CALLERS, expected):
        request_id = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json={
            "employer_id": pool.employer_a, "title": "t", "start_date": "2026-03-23", "end_date": "2026-03-24",
            "pattern": [{"weekday": 0, "start": "07:00", "end": "12:00", "headcount": 1}]}).get_json()["id"]
        url = path.format(A=pool.employer_a, B=pool.employer_b, X=pool.worker_x, Y=pool.worker_y, R=request_id,
                          **_objects(client, session, pool, request_id, CALLERS.index(caller)))
        r = client.open(url, method=method, headers=pool.headers(caller), json=_body(body, caller))
        assert r.status_code == status, f"{caller} {method} {url}: {r.status_code} {r.get_json()}"


def _objects(client, session, pool, request_id, n):
    """Fresh ids for each caller: an absence of X's ({S}) and of Y's ({T}), a school holiday of X's ({H}),
    the shift of request {R} ({F})."""
    headers, days = pool.headers("intermediary"), {"first_day": f"2030-0{n + 1}-01", "last_day": f"2030-0{n + 1}-02"}
    absence = {**ABSENCE, "start": f"2030-0{n + 1}-01T00:00:00+01:00", "end": f"2030-0{n + 1}-02T00:00:00+01:00"}
    ids = {key: client.post(f"/api/v1/workers/{worker}/{kind}", headers=headers, json=body).get_json()["id"]
           for key, worker, kind, body in (("S", pool.worker_x, "absences", absence),
                                           ("T", pool.worker_y, "absences", absence),
                                           ("H", pool.worker_x, "school-holidays", days))}
    return {**ids, "F": session.scalar(select(Shift.id).where(Shift.request_id == request_id))}


def test_lists_are_scoped(client, pool):
    employers = client.get("/api/v1/employers", headers=pool.headers("employer_b")).get_json()
    assert [e["id"] for e in employers] == [pool.employer_b]
    workers = client.get("/api/v1/workers", headers=pool.headers("worker_y")).get_json()
    assert [w["id"] for w in workers] == [pool.worker_y]
    assert len(client.get("/api/v1/workers", headers=pool.headers("intermediary")).get_json()) == 2


FORMS = [  # the page forms added with absences one at a time, open shifts and closing payroll periods
    ("worker_x", "/me/open-shifts/{F}/claim"),
    ("worker_x", "/me/availability/absences"),
    ("worker_x", "/me/availability/absences/{S}/delete"),
    ("intermediary", "/payroll/close?from=2026-03-01&to=2026-03-31"),
    ("intermediary", "/workers/{X}/availability/absences"),
    ("intermediary", "/workers/{X}/availability/absences/{S}/delete"),
    ("intermediary", "/workers/{X}/availability/absences/{S}/release"),
    ("intermediary", "/workers/{X}/availability/school-holidays"),
    ("intermediary", "/workers/{X}/availability/school-holidays/{H}/delete"),
]


@pytest.mark.parametrize("who, path", FORMS, ids=[p for _w, p in FORMS])
def test_a_page_form_without_its_csrf_token_changes_nothing(client, session, pool, who, path):
    from banenpool.models import Absence, Assignment, AuditLog, PayrollPeriod, SchoolHoliday
    from tests.web.pages_data import login
    request_id = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json={
        "employer_id": pool.employer_a, "title": "t", "start_date": "2030-03-25", "end_date": "2030-03-26",
        "pattern": [{"weekday": 0, "start": "07:00", "end": "12:00", "headcount": 1}]}).get_json()["id"]
    url = path.format(X=pool.worker_x, **_objects(client, session, pool, request_id, 0))
    client.application.url_map.bind("localhost").match(url.partition("?")[0], method="POST")   # a page's form
    tables = (Absence, Assignment, AuditLog, PayrollPeriod, SchoolHoliday)
    before = [session.query(t).count() for t in tables]
    login(client, who)
    r = client.post(url, data={"first": "2030-06-01", "last": "2030-06-02", "school-first": "2030-07-01",
                               "school-last": "2030-07-02"})
    assert r.status_code == 400 and r.mimetype == "text/html", (url, r.status_code)
    session.expire_all()
    assert [session.query(t).count() for t in tables] == before
