"""A worker who left the pool gets no contract past their last day (leaving.require_contract_in_pool):
neither a new one nor an ended one reopened or moved on, through the API or the worker's page — it
would pay guaranteed hours for weeks they are no longer in the pool."""
from datetime import date

from sqlalchemy import func, select

from banenpool.models import Contract
from tests.banenpool.test_payroll_guarantee import contract, statement
from tests.web.pages_data import csrf_token, login
from tests.web.test_registry_pages import _post


def _leave(client, pool, left_on):
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"),
                     json={"left_on": left_on})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _add(client, pool, **body):
    body = {"employer_id": pool.employer_b, "kind": "fixed", "hours_per_week": "20", "cao_code": "schoonmaak",
            **body}
    return client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"), json=body)


def test_no_contract_is_added_or_reopened_past_the_last_day_and_no_top_up_is_paid_after_it(client, pool, session):
    ended = contract(client, pool, "worker_x", "employer_a", "min_max", "12", scale="B")
    assert _leave(client, pool, "2026-02-28")["ended_contracts"] == [ended]
    r = _add(client, pool, start_date="2026-03-02")
    assert r.status_code == 422 and r.get_json()["errors"]["json"] == {
        "start_date": ["must not be after the worker's last day in the pool (2026-02-28)"]}, r.get_json()
    for end in (None, "2026-03-31"):                # open-ended, or ending after the day
        r = _add(client, pool, start_date="2026-02-01", end_date=end)
        assert r.status_code == 422 and list(r.get_json()["errors"]["json"]) == ["end_date"], r.get_json()
        assert "last day in the pool is 2026-02-28" in r.get_json()["errors"]["json"]["end_date"][0]
        r = client.patch(f"/api/v1/workers/{pool.worker_x}/contracts/{ended}", headers=pool.headers("intermediary"),
                         json={"end_date": end})
        assert r.status_code == 422 and list(r.get_json()["errors"]["json"]) == ["end_date"], r.get_json()
    assert session.scalar(select(func.count(Contract.id))) == 1
    session.expire_all()
    assert session.get(Contract, ended).end_date == date(2026, 2, 28)
    paid = statement(client, pool)                                      # the week of 9 March: nothing
    assert [w for w in paid["workers"] if w["worker_id"] == pool.worker_x] == [] and paid["guarantees_left_out"] == []
    # up to the last day is fine; a later last day (or none) allows a longer contract again
    assert _add(client, pool, start_date="2026-02-01", end_date="2026-02-28").status_code == 201
    _leave(client, pool, None)
    r = client.patch(f"/api/v1/workers/{pool.worker_x}/contracts/{ended}", headers=pool.headers("intermediary"),
                     json={"end_date": None})
    assert r.status_code == 200, r.get_json()


def test_the_worker_page_names_the_field_in_dutch(client, pool, session):
    ended = contract(client, pool, "worker_x", "employer_a", "on_call", "0")
    _leave(client, pool, "2026-02-28")
    login(client, "intermediary")
    data = {"employer_id": str(pool.employer_b), "kind": "on_call", "hours_per_week": "0", "cao_code": "schoonmaak",
            "scale": "", "hourly_wage": "", "start_date": "2026-03-02", "end_date": ""}
    page = _post(client, f"/workers/{pool.worker_x}/contracts/new", data).get_data(as_text=True)
    assert "mag niet na de laatste dag van de medewerker in de pool liggen (28 feb 2026)" in page
    page = _post(client, f"/workers/{pool.worker_x}/contracts/new", {**data, "start_date": "2026-02-01"})
    assert "de laatste dag van de medewerker in de pool is 28 feb 2026" in page.get_data(as_text=True)
    worker_page = client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    r = client.post(f"/workers/{pool.worker_x}/contracts/{ended}/end",
                    data={"csrf_token": csrf_token(worker_page), "end_date": ""})
    shown = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Niet opgeslagen" in shown and "het contract eindigt uiterlijk op die dag" in shown
    session.expire_all()
    assert session.scalar(select(func.count(Contract.id))) == 1
    assert session.get(Contract, ended).end_date == date(2026, 2, 28)
