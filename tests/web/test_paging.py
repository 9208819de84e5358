"""Optional paging of the list endpoints: without `page`/`page_size` a list comes whole (the
body api.md fixes); with them, one page of the same order, its total and the links to the rest."""
import re

from banenpool.principal import SYSTEM
from banenpool.services import registry
from tests.conftest import worker_data


def _links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["Link"])}


def _add_workers(session, count: int) -> None:
    for n in range(count):
        registry.create_worker(session, SYSTEM, worker_data(name=f"Werker {n}", email=f"w{n}@example.org"))
    session.commit()


def test_a_list_without_paging_parameters_comes_whole(client, session, pool):
    _add_workers(session, 5)
    r = client.get("/api/v1/workers", headers=pool.headers("intermediary"))
    assert r.status_code == 200
    assert len(r.get_json()) == 7
    assert "Link" not in r.headers and "X-Total-Count" not in r.headers


def test_walking_the_next_links_gives_the_whole_list_once_in_order(client, session, pool):
    _add_workers(session, 5)
    h = pool.headers("intermediary")
    whole = [w["id"] for w in client.get("/api/v1/workers", headers=h).get_json()]
    seen, url, pages = [], "/api/v1/workers?page_size=3", 0
    while url:
        r = client.get(url, headers=h)
        assert r.status_code == 200 and r.headers["X-Total-Count"] == "7"
        seen += [w["id"] for w in r.get_json()]
        pages += 1
        url = _links(r).get("next")
    assert seen == whole and pages == 3
    last = client.get("/api/v1/workers?page=3&page_size=3", headers=h)
    links = _links(last)
    assert [w["id"] for w in last.get_json()] == whole[6:]
    assert "next" not in links and links["prev"].endswith("page=2&page_size=3")
    assert links["first"].endswith("page=1&page_size=3") and links["last"].endswith("page=3&page_size=3")


def test_paging_keeps_the_filters_and_the_caller_scope(client, pool):
    h = pool.headers("employer_a")
    for n in range(3):
        r = client.post("/api/v1/capacity-requests", headers=h, json={
            "employer_id": pool.employer_a, "title": f"Snoeien {n}", "skills": ["groen"],
            "start_date": "2026-04-06", "end_date": "2026-04-10",
            "pattern": [{"weekday": day, "start": "07:00", "end": "15:30", "break_minutes": 30,
                         "headcount": 1} for day in range(1, 6)]})
        assert r.status_code == 201, r.get_json()
    url = f"/api/v1/shifts?from=2026-04-06&to=2026-04-10&employer_id={pool.employer_a}"
    whole = client.get(url, headers=h).get_json()
    assert len(whole) >= 12
    r = client.get(url + "&page_size=2", headers=h)
    assert r.headers["X-Total-Count"] == str(len(whole)) and r.get_json() == whole[:2]
    following = _links(r)["next"]
    assert "from=2026-04-06" in following and f"employer_id={pool.employer_a}" in following
    # employer B pages through its own (empty) scope, not A's shifts
    r = client.get("/api/v1/shifts?from=2026-04-06&to=2026-04-10&page=1",
                   headers=pool.headers("employer_b"))
    assert r.get_json() == [] and r.headers["X-Total-Count"] == "0"
    # and a worker still may not list the capacity requests, paged or not
    r = client.get("/api/v1/capacity-requests?page=1", headers=pool.headers("worker_x"))
    assert r.status_code == 403


def test_a_page_past_the_end_is_empty_and_bad_parameters_are_named(client, pool):
    h = pool.headers("intermediary")
    r = client.get("/api/v1/employers?page=9", headers=h)
    assert r.status_code == 200 and r.get_json() == [] and r.headers["X-Total-Count"] == "2"
    assert _links(r)["prev"].endswith("page=1&page_size=100")
    r = client.get("/api/v1/employers?page=0&page_size=5000", headers=h)
    assert r.status_code == 422
    errors = r.get_json()["errors"]["query"]
    assert set(errors) == {"page", "page_size"}
    r = client.get("/api/v1/employers?page=twee", headers=h)
    assert r.status_code == 422 and "page" in r.get_json()["errors"]["query"]


def test_the_paging_parameters_are_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/workers", "/api/v1/shifts", "/api/v1/plans/{plan_id}/assignments"):
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        assert {"page", "page_size"} <= names, path
    shift_names = {p["name"] for p in spec["paths"]["/api/v1/shifts"]["get"]["parameters"]}
    assert {"from", "to", "employer_id"} <= shift_names
