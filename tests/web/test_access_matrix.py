"""Role × endpoint matrix: nobody reads or changes what is not theirs.

Rows: (method, path template, body) → expected status per caller. `A`/`B` are employer A's and
B's ids, `X`/`Y` worker X's and Y's. A 404 hides that the object exists; 403 says the role may
not do this at all.
"""
import pytest

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
def test_access(client, pool, row):
    method, path, body, *expected = row
    for caller, status in zip(CALLERS, expected):
        request_id = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json={
            "employer_id": pool.employer_a, "title": "t", "start_date": "2026-03-23", "end_date": "2026-03-24",
            "pattern": [{"weekday": 0, "start": "07:00", "end": "12:00", "headcount": 1}]}).get_json()["id"]
        url = path.format(A=pool.employer_a, B=pool.employer_b, X=pool.worker_x, Y=pool.worker_y, R=request_id)
        r = client.open(url, method=method, headers=pool.headers(caller), json=_body(body, caller))
        assert r.status_code == status, f"{caller} {method} {url}: {r.status_code} {r.get_json()}"


def test_lists_are_scoped(client, pool):
    employers = client.get("/api/v1/employers", headers=pool.headers("employer_b")).get_json()
    assert [e["id"] for e in employers] == [pool.employer_b]
    workers = client.get("/api/v1/workers", headers=pool.headers("worker_y")).get_json()
    assert [w["id"] for w in workers] == [pool.worker_y]
    assert len(client.get("/api/v1/workers", headers=pool.headers("intermediary")).get_json()) == 2
