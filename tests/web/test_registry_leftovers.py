"""Registry leftovers: an e-mail address belongs to one person (workers and logins), the CAO
catalogue on a date before a CAO's first version, and the CLI pay preview's input checks."""
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from banenpool.cli import main
from banenpool.models import User, Worker
from contracts.cao import catalogue
from tests.conftest import worker_data
from tests.web.test_registry_api import _json


def _worker(client, pool, worker_id) -> dict:
    return client.get(f"/api/v1/workers/{worker_id}", headers=pool.headers("intermediary")).get_json()


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


# ---- an e-mail address is one person's --------------------------------------------------------

@pytest.mark.parametrize("taken", ["sanne@example.org", "Sanne@EXAMPLE.org"])
def test_patching_a_worker_to_another_workers_address_is_409_naming_email_and_changes_nothing(client, pool, taken):
    r = client.patch(f"/api/v1/workers/{pool.worker_y}", headers=pool.headers("intermediary"),
                     json={"email": taken, "name": "Daan de Tweede"})
    assert r.status_code == 409, r.get_json()
    message = r.get_json()["message"]
    assert message.startswith("email: ") and "sanne@example.org" in message
    assert f"worker {pool.worker_x}" in message
    y = _worker(client, pool, pool.worker_y)
    assert (y["email"], y["name"]) == ("daan@example.org", "Daan Nijhuis")  # nothing written


def test_patching_a_worker_to_someone_elses_login_is_409_but_its_own_login_is_fine(client, pool, session):
    h = pool.headers("intermediary")
    for login in ("employer_a@test.example", "Worker_Y@test.example", "intermediary@test.example"):
        r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"email": login})
        assert r.status_code == 409, (login, r.get_json())
        assert r.get_json()["message"].startswith(("email: a ", "email: an ")) and login.lower() in r.get_json()["message"]
    assert _worker(client, pool, pool.worker_x)["email"] == "sanne@example.org"
    # the worker's own login address, in any case, is theirs: stored as registration stores it
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"email": "Worker_X@Test.Example"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["email"] == "worker_x@test.example"
    # re-sending its own address is no conflict either
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"email": "worker_x@test.example"})
    assert r.status_code == 200, r.get_json()
    assert session.scalar(select(User.email).where(User.worker_id == pool.worker_x)) == "worker_x@test.example"


def test_registering_a_worker_with_a_taken_address_is_409_and_addresses_are_stored_lower_case(client, pool, session):
    h = pool.headers("intermediary")
    for taken in ("SANNE@example.org", "employer_b@test.example"):
        r = client.post("/api/v1/workers", headers=h, json=_json(worker_data(name="Dubbel", email=taken)))
        assert r.status_code == 409, r.get_json()
        assert r.get_json()["message"].startswith("email: ") and taken.lower() in r.get_json()["message"]
    assert _count(session, Worker) == 2  # nothing written
    r = client.post("/api/v1/workers", headers=h, json=_json(worker_data(name="Zeynep", email="Zeynep.Kaya@Example.org")))
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["email"] == "zeynep.kaya@example.org"


def test_addresses_with_outer_spaces_are_refused_by_workers_as_by_registration(client, pool):
    h = pool.headers("intermediary")
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"email": " new@example.org "})
    assert r.status_code == 422 and "email" in r.get_json()["errors"]["json"]
    r = client.post("/api/v1/users", headers=h, json={"email": " new@example.org ", "password": "lang-genoeg",
                                                      "role": "intermediary"})
    assert r.status_code == 422 and "email" in r.get_json()["errors"]["json"]


def test_a_new_login_may_not_take_another_workers_address_but_may_take_its_own(client, pool, session):
    h = pool.headers("intermediary")
    r = client.post("/api/v1/users", headers=h, json={"email": "Sanne@example.org", "password": "lang-genoeg",
                                                      "role": "worker", "worker_id": pool.worker_y})
    assert r.status_code == 409, r.get_json()
    assert r.get_json()["message"].startswith("email: ") and f"worker {pool.worker_x}" in r.get_json()["message"]
    r = client.post("/api/v1/users", headers=h, json={"email": "daan@example.org", "password": "lang-genoeg",
                                                      "role": "intermediary"})
    assert r.status_code == 409, r.get_json()
    assert _count(session, User) == 5  # the fixture's logins only
    r = client.post("/api/v1/users", headers=h, json={"email": "Daan@Example.org", "password": "lang-genoeg",
                                                      "role": "worker", "worker_id": pool.worker_y})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["email"] == "daan@example.org"
    r = client.post("/api/v1/auth/token", json={"email": "daan@example.org", "password": "lang-genoeg"})
    assert r.status_code == 200 and r.get_json()["worker_id"] == pool.worker_y


# ---- the CAO catalogue on a date before a CAO's first version ------------------------------------

def test_the_catalogue_on_a_date_before_every_version_is_an_empty_list(client, pool):
    r = client.get("/api/v1/caos?on=1900-01-01", headers=pool.headers("worker_x"))
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == []


def test_the_catalogue_lists_only_the_caos_in_force_on_the_date(client, pool):
    on = "2023-01-01"
    expected = {code for code in catalogue().codes() if str(catalogue().versions(code)[0].valid_from) <= on}
    assert expected and expected != set(catalogue().codes())  # the date splits the catalogue
    listed = client.get(f"/api/v1/caos?on={on}", headers=pool.headers("employer_a")).get_json()
    assert {c["code"] for c in listed} == expected
    assert all(c["valid_from"] <= on for c in listed)


def test_one_cao_before_its_first_version_is_404_saying_so(client, pool):
    h = pool.headers("employer_a")
    first = str(catalogue().versions("hoveniers")[0].valid_from)
    r = client.get("/api/v1/caos/hoveniers?on=1900-01-01", headers=h)
    assert r.status_code == 404, r.get_json()
    message = r.get_json()["message"]
    assert "no version of CAO 'hoveniers' is in force on 1900-01-01" in message and first in message
    assert client.get(f"/api/v1/caos/hoveniers?on={first}", headers=h).status_code == 200
    unknown = client.get("/api/v1/caos/bestaat-niet?on=2026-01-01", headers=h)
    assert unknown.status_code == 404 and "'bestaat-niet' not found" in unknown.get_json()["message"]
    diff = client.get("/api/v1/caos/hoveniers/diff/taxi?on=1900-01-01", headers=h)
    assert diff.status_code == 404 and "hoveniers" in diff.get_json()["message"]


@pytest.mark.parametrize("path", ["/api/v1/caos", "/api/v1/caos/hoveniers"])
def test_a_date_outside_the_calendar_is_422_on_the_query(client, pool, path):
    r = client.get(f"{path}?on=1899-12-31", headers=pool.headers("worker_x"))
    assert r.status_code == 422, r.get_json()
    assert "between 1900-01-01 and 2199-12-31" in str(r.get_json()["errors"]["query"]["on"])


# ---- the CLI pay preview checks its input as the API does -----------------------------------------

SHIFT = ["--start", "2026-03-07T08:00:00+01:00", "--end", "2026-03-07T12:00:00+01:00"]


@pytest.mark.parametrize("born", ["2030-01-01", "2026-03-07"])
def test_cli_pay_preview_for_someone_born_on_or_after_the_shift_day_is_exit_2_as_the_api_422(client, pool, born):
    result = CliRunner().invoke(main, ["pay-preview", "--cao", "abu", "--birth-date", born, *SHIFT])
    assert result.exit_code == 2, result.output
    assert "--birth-date: must be before the shift's day (2026-03-07)" in result.output
    assert "totaal" not in result.output
    api = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json={
        "cao_code": "abu", "birth_date": born, "start": SHIFT[1], "end": SHIFT[3]})
    assert api.status_code == 422
    assert api.get_json()["errors"]["json"] == {"birth_date": ["must be before the shift's day (2026-03-07)"]}


def test_cli_pay_preview_names_every_bad_option_with_exit_2():
    result = CliRunner().invoke(main, ["pay-preview", "--cao", "abu", "--birth-date", "2030-01-01",
                                       "--start", "2026-03-07T12:00:00+01:00", "--end", "2026-03-07T08:00:00+01:00"])
    assert result.exit_code == 2, result.output
    assert "--end: must be after start" in result.output and "--birth-date:" in result.output
    unknown = CliRunner().invoke(main, ["pay-preview", "--cao", "nope", "--birth-date", "1990-01-01", *SHIFT])
    assert unknown.exit_code == 2 and "--cao: unknown CAO 'nope'" in unknown.output
    ok = CliRunner().invoke(main, ["pay-preview", "--cao", "abu", "--birth-date", "2010-03-06", *SHIFT])
    assert ok.exit_code == 0, ok.output  # sixteen the day before
