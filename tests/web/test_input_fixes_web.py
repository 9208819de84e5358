"""Bad input at the edge of the API and the pages: a clear 4xx naming the field, never a 500,
and nothing silently rounded or wiped."""
import pytest

from tests.conftest import employer_data
from tests.web.pages_data import login
from tests.web.test_plans import WEEK
from tests.web.test_registry_api import _json

PREVIEW = {"cao_code": "schoonmaak", "birth_date": "1990-05-01",
           "start": "2026-03-07T08:00:00+01:00", "end": "2026-03-07T12:00:00+01:00"}


def _errors(r) -> dict:
    assert r.status_code == 422, r.get_json()
    return r.get_json()["errors"]


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01"])
def test_a_date_far_outside_the_calendar_is_422_not_500(client, pool, query):
    errors = _errors(client.get(f"/api/v1/shifts?{query}", headers=pool.headers("intermediary")))
    assert "between 1900-01-01 and 2199-12-31" in str(errors["query"])


def test_a_moment_in_year_9999_is_422_naming_the_field(client, pool):
    body = {**PREVIEW, "start": "9999-12-31T22:00:00+01:00", "end": "9999-12-31T23:00:00+01:00"}
    r = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json=body)
    assert {"start", "end"} <= set(_errors(r)["json"])
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("intermediary"),
                   json={"weekly": [], "absences": [{"start": "0001-01-01T00:10:00+01:00",
                                                     "end": "0001-01-02T00:10:00+01:00"}]})
    assert "absences" in _errors(r)["json"]


def test_pages_answer_404_for_a_week_or_day_out_of_range(client, pool):
    login(client, "intermediary")
    assert client.get("/schedule?week=9999-W52").status_code == 404
    assert client.get("/coverage?from=0001-01-01&to=0001-01-07").status_code == 404


def test_a_pattern_time_with_a_utc_offset_or_seconds_is_422(client, pool):
    for start in ("08:00:00+05:00", "08:00:30"):
        body = {"employer_id": pool.employer_a, "title": "Piek", "skills": ["groen"], **WEEK,
                "pattern": [{"weekday": 0, "start": start, "end": "12:00", "headcount": 1}]}
        r = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json=body)
        assert "local time HH:MM" in str(_errors(r)["json"]["pattern"])


def test_patching_part_of_an_address_or_location_is_422_and_keeps_the_stored_one(client, pool):
    h = pool.headers("intermediary")
    before = client.get(f"/api/v1/employers/{pool.employer_a}", headers=h).get_json()
    r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=h, json={"address": {"city": "Hengelo"}})
    assert {"street", "postcode"} <= set(_errors(r)["json"]["address"])
    assert client.get(f"/api/v1/employers/{pool.employer_a}", headers=h).get_json()["address"] == before["address"]
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"location": {"lat": 52.3}})
    assert "lon" in _errors(r)["json"]["location"]


def test_decimals_are_kept_as_sent_or_refused_never_rounded(client, pool):
    h = pool.headers("intermediary")
    url = f"/api/v1/employers/{pool.employer_a}"
    assert "at most 4 decimals" in str(_errors(client.patch(url, headers=h, json={"tariff_factor": "4.99999"})))
    assert "decimal string" in str(_errors(client.patch(url, headers=h, json={"tariff_factor": 1.85})))
    r = client.patch(url, headers=h, json={"tariff_factor": "1.8555"})
    assert r.status_code == 200 and client.get(url, headers=h).get_json()["tariff_factor"] == "1.8555"
    assert client.patch(url, headers=h, json={"tariff_factor": "1.900"}).get_json()["tariff_factor"] == "1.90"
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"max_hours_per_week": "38.125"})
    assert "at most 2 decimals" in str(_errors(r)["json"]["max_hours_per_week"])
    r = client.post("/api/v1/pay/preview", headers=h, json={**PREVIEW, "hourly_wage": "15.123456"})
    assert "hourly_wage" in _errors(r)["json"]


def test_text_and_money_beyond_what_the_database_holds_are_422(client, pool):
    h = pool.headers("intermediary")
    r = client.post("/api/v1/employers", headers=h, json=_json(employer_data(kvk_number="55555555", sector="x" * 61)))
    assert "sector" in _errors(r)["json"]
    long_email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".nl"
    r = client.post("/api/v1/users", headers=h, json={"email": long_email, "password": "lang-genoeg", "role": "intermediary"})
    assert "email" in _errors(r)["json"]
    r = client.post("/api/v1/pay/preview", headers=h, json={**PREVIEW, "hourly_wage": "123456789.12"})
    assert "hourly_wage" in _errors(r)["json"]


def test_a_domain_422_reads_like_the_schema_ones(client, pool):
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json={
        "employer_id": 999999, "title": "Piek", "skills": ["groen"], **WEEK,
        "pattern": [{"weekday": 0, "start": "08:00", "end": "12:00", "headcount": 1}]})
    body = r.get_json()
    assert r.status_code in (404, 422), body
    if r.status_code == 422:
        assert body["status"] == "Unprocessable Entity"
        assert "['" not in body["message"]
