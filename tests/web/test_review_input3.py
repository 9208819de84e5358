"""Input found at the API's edge in review: a line break or a non-ASCII digit after a valid KvK,
VAT id, phone number or skill; an address that grows in lower case; a CAO move on a day with no
known minimum wage; every bad field of a plan or invoice named at once."""
import pytest

from tests.conftest import employer_data
from tests.web.test_registry_api import _json


def _errors(r) -> dict:
    assert r.status_code == 422, (r.status_code, r.get_json())
    return r.get_json()["errors"]["json"]


@pytest.mark.parametrize("field, value", [
    ("kvk_number", "61234599\n"), ("kvk_number", "٦١٢٣٤٥٩٩"), ("vat_number", "NL612345993B01\n")])
def test_employer_numbers_with_a_line_break_or_foreign_digits_are_refused(client, pool, field, value):
    body = _json(employer_data(name="Nieuw BV", kvk_number="61234599", vat_number="NL612345993B01"))
    r = client.post("/api/v1/employers", headers=pool.headers("intermediary"), json={**body, field: value})
    assert field in _errors(r)
    assert client.post("/api/v1/employers", headers=pool.headers("intermediary"), json=body).status_code == 201


def test_a_skill_or_phone_with_a_line_break_is_refused(client, pool):
    url = f"/api/v1/workers/{pool.worker_x}"
    errors = _errors(client.patch(url, headers=pool.headers("intermediary"),
                                  json={"skills": ["groen\n"], "phone": "0612345678\n"}))
    assert {"skills", "phone"} <= errors.keys()
    assert client.get(url, headers=pool.headers("intermediary")).get_json()["skills"] == ["groen"]


def test_an_address_longer_than_the_column_in_lower_case_is_422(client, pool):
    email = "İ" * 60 + "a" * (252 - 60 - len("@x.nl")) + "@x.nl"        # 252 characters, 312 in lower case
    assert len(email) == 252 and len(email.lower()) > 254
    r = client.post("/api/v1/users", headers=pool.headers("intermediary"),
                    json={"email": email, "password": "long-enough-pw", "role": "intermediary"})
    assert "email" in _errors(r)
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"), json={"email": email})
    assert "email" in _errors(r)


def test_cao_move_on_a_day_without_a_known_minimum_wage_says_so(client, pool):
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, "kind": "min_max", "hours_per_week": "12",
                          "cao_code": "hoveniers", "start_date": "2024-01-01"})
    assert r.status_code == 201, r.get_json()
    r = client.get(f"/api/v1/workers/{pool.worker_x}/cao-move?employer_id={pool.employer_b}&on=2024-07-01&lang=en",
                   headers=pool.headers("worker_x"))
    assert r.status_code == 200, r.get_json()
    assert any("not known" in line and "1 Jul 2024" in line for line in r.get_json()["changes"])


def test_a_plan_and_an_invoice_name_every_bad_field(client, pool):
    errors = _errors(client.post("/api/v1/plans", headers=pool.headers("intermediary"), json={
        "start_date": "2026-03-29", "end_date": "2026-03-23", "time_limit_seconds": 0}))
    assert {"end_date", "time_limit_seconds"} <= errors.keys()
    errors = _errors(client.post("/api/v1/invoices", headers=pool.headers("intermediary"), json={
        "employer_id": 0, "period_start": "2026-03-31", "period_end": "2026-03-01"}))
    assert {"employer_id", "period_end"} <= errors.keys()
