"""The chain rule on the pool's contracts (art. 7:668a BW): the API says each contract's place in its
chain and when the law made it indefinite; the worker page and the new-contract form warn."""
from tests.web.pages_data import login
from tests.web.test_registry_pages import _post


def _add(client, pool, start, end, employer="employer_a", cao="hoveniers"):
    body = {"employer_id": getattr(pool, employer) if employer else None, "kind": "on_call", "hours_per_week": "8",
            "cao_code": cao, "start_date": start, "end_date": end}
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_the_api_counts_the_chain_and_says_when_the_law_made_a_contract_indefinite(client, pool):
    first = _add(client, pool, "2024-01-01", "2024-06-30")
    assert first["chain"] == {"number": 1, "chain_start": "2024-01-01", "indefinite_from": None, "reason": None}
    _add(client, pool, "2024-07-01", "2024-12-31")
    _add(client, pool, "2025-01-01", "2025-06-30", employer="employer_b", cao="schoonmaak")   # another employer
    third = _add(client, pool, "2025-01-01", "2025-06-30")
    assert third["chain"]["number"] == 3 and third["chain"]["indefinite_from"] is None
    fourth = _add(client, pool, "2025-07-01", "2025-12-31")
    assert fourth["chain"] == {"number": 4, "chain_start": "2024-01-01", "indefinite_from": "2025-07-01",
                               "reason": "count"}
    agency = _add(client, pool, "2024-01-01", "2024-03-31", employer=None, cao="abu")
    assert agency["chain"] is None            # the ABU CAO's phases apply to agency work instead
    listed = client.get(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary")).get_json()
    assert [c["chain"]["number"] if c["chain"] else None for c in listed] == [1, 2, 1, 3, 4, None]
    # ending the fourth before it starts is not possible; moving the third's end does not change the count
    r = client.patch(f"/api/v1/workers/{pool.worker_x}/contracts/{third['id']}", headers=pool.headers("intermediary"),
                     json={"end_date": "2025-05-31"})
    assert r.status_code == 200 and r.get_json()["chain"]["number"] == 3


def test_the_form_and_the_worker_page_warn(client, pool):
    for start, end in (("2024-01-01", "2024-06-30"), ("2024-07-01", "2024-12-31"), ("2025-01-01", "2025-06-30")):
        _add(client, pool, start, end)
    login(client, "intermediary")
    data = {"employer_id": str(pool.employer_a), "kind": "on_call", "hours_per_week": "8", "cao_code": "hoveniers",
            "scale": "", "hourly_wage": "", "start_date": "2025-07-01", "end_date": "2025-12-31"}
    r = _post(client, f"/workers/{pool.worker_x}/contracts/new", data)
    assert r.status_code == 302
    page = client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    assert "Volgens de ketenregeling (art. 7:668a BW) is dit contract voor onbepaalde tijd vanaf 1 jul 2025" in page
    assert "contract voor bepaalde tijd 4 op rij, waar er 3 mogen" in page
    r = _post(client, f"/workers/{pool.worker_x}/contracts/new", {**data, "start_date": "2026-01-01",
                                                                  "end_date": "2026-06-30"})
    assert r.status_code == 302                                    # a fifth is not "the fourth"
    assert "contract voor bepaalde tijd 5 op rij, waar er 3 mogen" in client.get(
        f"/workers/{pool.worker_x}").get_data(as_text=True)
    assert "Ketenregeling: van rechtswege voor onbepaalde tijd vanaf 1 jul 2025" in page
    assert "Ketenregeling: contract voor bepaalde tijd 2 van hoogstens 3 in 36 maanden" in page


def test_a_permanent_contract_is_no_link_even_when_it_ends_later(client, pool):
    permanent = _add(client, pool, "2023-07-01", None)
    assert permanent["chain"] is None and permanent["fixed_term"] is False
    r = client.patch(f"/api/v1/workers/{pool.worker_x}/contracts/{permanent['id']}",
                     headers=pool.headers("intermediary"), json={"end_date": "2023-12-31"})
    assert r.status_code == 200 and r.get_json()["chain"] is None          # ended, but made open-ended
    for start, end in (("2024-01-01", "2024-06-30"), ("2024-07-01", "2024-12-31")):
        _add(client, pool, start, end)
    third = _add(client, pool, "2025-01-01", "2025-06-30")
    assert third["chain"]["number"] == 3 and third["chain"]["indefinite_from"] is None


def test_a_contract_entered_by_mistake_is_removed_unless_hours_were_paid_under_it(client, pool, session):
    """A contract with the wrong employer blocked the right one (one contract per party at a time) and
    could only be ended, never removed."""
    import re

    from tests.banenpool.test_billing import MONDAY, work
    from tests.web.pages_data import csrf_token
    h = pool.headers("intermediary")
    wrong = _add(client, pool, "2026-01-01", None, employer="employer_b", cao="schoonmaak")
    path = f"/api/v1/workers/{pool.worker_x}/contracts/{wrong['id']}"
    assert client.delete(path, headers=pool.headers("worker_x")).status_code == 403
    assert client.delete(path, headers=h).status_code == 204
    assert client.delete(path, headers=h).status_code == 404
    assert [c["id"] for c in client.get(f"/api/v1/workers/{pool.worker_x}/contracts", headers=h).get_json()] == []
    right = _add(client, pool, "2026-01-01", None)                    # with employer A: hours approved under it
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    r = client.delete(f"/api/v1/workers/{pool.worker_x}/contracts/{right['id']}", headers=h)
    assert r.status_code == 409 and r.get_json()["rules"] == ["hours_under_contract"]
    login(client, "intermediary")                                     # the worker page's button says the same
    page = client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    action = f"/workers/{pool.worker_x}/contracts/{right['id']}/delete"
    assert action in page
    r = client.post(action, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Niet verwijderd: er zijn goedgekeurde uren onder dit contract betaald" in r.get_data(as_text=True)
    other = _add(client, pool, "2027-01-01", None, employer="employer_b", cao="schoonmaak")
    page = client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    r = client.post(f"/workers/{pool.worker_x}/contracts/{other['id']}/delete", data={"csrf_token": csrf_token(page)},
                    follow_redirects=True)
    assert "Het contract is verwijderd" in r.get_data(as_text=True)
    assert not re.search(rf"contracts/{other['id']}/", r.get_data(as_text=True))


def test_two_employers_and_the_pool_each_have_their_own_chain(client, pool):
    """A worker with fixed-term contracts at employer A, at employer B and with the pool itself (party
    None, under a CAO that is not an agency CAO) at the same time: each chain counts its own contracts,
    and only A's fourth is indefinite by law."""
    for start, end in (("2024-01-01", "2024-06-30"), ("2024-07-01", "2024-12-31")):
        _add(client, pool, start, end, employer=None)                                      # the pool: 1, 2
        _add(client, pool, start, end, employer="employer_b", cao="schoonmaak")           # B: 1, 2
    a = [_add(client, pool, start, end) for start, end in (("2024-01-01", "2024-03-31"), ("2024-04-01", "2024-06-30"),
                                                           ("2024-07-01", "2024-09-30"), ("2024-10-01", "2024-12-31"))]
    assert [c["chain"]["number"] for c in a] == [1, 2, 3, 4]
    assert a[3]["chain"]["indefinite_from"] == "2024-10-01" and a[2]["chain"]["indefinite_from"] is None
    listed = client.get(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary")).get_json()
    chains = {(c["employer_id"], c["start_date"]): (c["chain"]["number"], c["chain"]["indefinite_from"]) for c in listed}
    assert chains[(None, "2024-07-01")] == (2, None) and chains[(pool.employer_b, "2024-07-01")] == (2, None)
    # the pool's third, after A's fourth: still its own third, within the limits
    third = _add(client, pool, "2025-01-01", "2025-06-30", employer=None)
    assert third["chain"] == {"number": 3, "chain_start": "2024-01-01", "indefinite_from": None, "reason": None}
