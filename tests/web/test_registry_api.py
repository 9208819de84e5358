from tests.conftest import employer_data, worker_data


def _json(data: dict) -> dict:
    out = {}
    for k, v in data.items():
        out[k] = str(v) if hasattr(v, "isoformat") or type(v).__name__ == "Decimal" else v
    return out


def test_create_read_patch_employer(client, pool):
    h = pool.headers("intermediary")
    r = client.post("/api/v1/employers", headers=h, json=_json(employer_data(kvk_number="12345678",
                                                                             address={"street": "Markt 1", "postcode": "7511ja", "city": "Enschede"})))
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["address"]["postcode"] == "7511 JA"  # normalised
    assert body["tariff_factor"] == "1.85"
    r = client.patch(f"/api/v1/employers/{body['id']}", headers=h, json={"tariff_factor": "1.9"})
    assert r.status_code == 200 and r.get_json()["tariff_factor"] == "1.90"
    assert r.get_json()["name"] == body["name"]  # PATCH leaves other fields alone


def test_employer_validation_names_every_bad_field(client, pool):
    bad = _json(employer_data(kvk_number="1234", vat_number="NL12B", invoice_email="not-an-email",
                              address={"street": "x", "postcode": "0123 AB", "city": "y"}))
    r = client.post("/api/v1/employers", headers=pool.headers("intermediary"), json=bad)
    assert r.status_code == 422
    errors = r.get_json()["errors"]["json"]
    assert {"kvk_number", "vat_number", "invoice_email", "address"} <= set(errors)
    assert "8 digits" in errors["kvk_number"][0]
    assert "postcode" in errors["address"]


def test_unknown_cao_is_422_naming_the_field(client, pool):
    r = client.post("/api/v1/employers", headers=pool.headers("intermediary"),
                    json=_json(employer_data(kvk_number="87654321", cao_code="bestaat-niet")))
    assert r.status_code == 422
    assert "cao_code" in r.get_json()["errors"]["json"]


def test_worker_hours_must_be_ordered(client, pool):
    h = pool.headers("intermediary")
    r = client.post("/api/v1/workers", headers=h, json=_json(worker_data(
        min_hours_per_week="20", target_hours_per_week="16", max_hours_per_week="70")))
    assert r.status_code == 422
    errors = r.get_json()["errors"]["json"]
    assert "max_hours_per_week" in errors  # > 60
    r = client.post("/api/v1/workers", headers=h, json=_json(worker_data(
        min_hours_per_week="20", target_hours_per_week="16", max_hours_per_week="30")))
    assert "target_hours_per_week" in r.get_json()["errors"]["json"]
    # a PATCH names the field it sent that breaks the order with the stored ones (12 ≤ 32 ≤ 40)
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"max_hours_per_week": "10"})
    assert r.status_code == 422 and set(r.get_json()["errors"]["json"]) == {"max_hours_per_week"}
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"min_hours_per_week": "36"})
    assert r.status_code == 422 and set(r.get_json()["errors"]["json"]) == {"min_hours_per_week"}
    assert "min (36.00) ≤ target (32.00)" in r.get_json()["errors"]["json"]["min_hours_per_week"][0]


def test_worker_skill_format_and_birth_date(client, pool):
    r = client.post("/api/v1/workers", headers=pool.headers("intermediary"),
                    json=_json(worker_data(skills=["Heftruck!"], birth_date="2020-01-01")))
    errors = r.get_json()["errors"]["json"]
    assert r.status_code == 422 and "skills" in errors and "birth_date" in errors


def test_contract_defaults_scale_and_wage_from_cao(client, pool):
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, "kind": "min_max", "hours_per_week": "12",
                          "cao_code": "hoveniers", "start_date": "2026-03-01"})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["scale"] and float(body["hourly_wage"]) >= 14.71
    listed = client.get(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"))
    assert [c["id"] for c in listed.get_json()] == [body["id"]]


def test_contract_validation(client, pool):
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"),
                    json={"employer_id": 9999, "kind": "zero_hours", "hours_per_week": "70",
                          "cao_code": "hoveniers", "start_date": "2026-03-01", "end_date": "2026-02-01"})
    assert r.status_code == 422
    errors = r.get_json()["errors"]["json"]
    assert {"kind", "hours_per_week", "end_date"} <= set(errors)
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"),
                    json={"employer_id": 9999, "kind": "fixed", "hours_per_week": "8",
                          "cao_code": "hoveniers", "start_date": "2026-03-01"})
    assert r.status_code == 422 and "employer_id" in r.get_json()["errors"]["json"]


def test_worker_sets_own_availability(client, pool):
    body = {"weekly": [{"weekday": 0, "start": "07:00", "end": "16:00"},
                       {"weekday": 4, "start": "22:00", "end": "06:00"}],
            "absences": [{"start": "2026-04-06T00:00:00+02:00", "end": "2026-04-13T00:00:00+02:00",
                          "reason": "leave"}]}
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("worker_x"), json=body)
    assert r.status_code == 200, r.get_json()
    got = client.get(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("worker_x")).get_json()
    assert got["weekly"][1] == {"weekday": 4, "start": "22:00", "end": "06:00"}
    assert got["absences"][0]["start"].startswith("2026-04-05T22:00:00")  # stored UTC, returned aware


def test_availability_validation(client, pool):
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("intermediary"),
                   json={"weekly": [{"weekday": 7, "start": "25:00", "end": "16:00"}],
                         "absences": [{"start": "2026-04-06T00:00:00", "end": "2026-04-01T00:00:00+02:00"}]})
    assert r.status_code == 422
    errors = r.get_json()["errors"]["json"]
    assert "weekly" in errors and "absences" in errors


def test_failed_request_writes_nothing(client, pool, session):
    from sqlalchemy import func, select
    from banenpool.models import AuditLog, Employer
    before = (session.scalar(select(func.count(Employer.id))), session.scalar(select(func.count(AuditLog.id))))
    r = client.post("/api/v1/employers", headers=pool.headers("intermediary"),
                    json=_json(employer_data(kvk_number="99999999", cao_code="onbekend")))
    assert r.status_code == 422
    after = (session.scalar(select(func.count(Employer.id))), session.scalar(select(func.count(AuditLog.id))))
    assert after == before


def test_changes_are_audited(client, pool, session):
    from sqlalchemy import select
    from banenpool.models import AuditLog
    client.patch(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"),
                 json={"target_hours_per_week": "36"})
    row = session.scalars(select(AuditLog).where(AuditLog.entity == "worker", AuditLog.action == "update")).one()
    assert row.changes["target_hours_per_week"] == ["32.00", "36.00"]
    assert row.user_id is not None and row.at.tzinfo is not None
