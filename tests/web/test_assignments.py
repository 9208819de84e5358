"""Manual assignments and cancellation through the API; the rules engine decides what is allowed."""
from sqlalchemy import select

from banenpool.models import OutboxMessage
from tests.web.test_plans import add_request, get, set_availability

SICK_MONDAY = {"start": "2026-03-23T00:00:00+01:00", "end": "2026-03-24T00:00:00+01:00", "reason": "sick"}


def shifts(client, pool):
    return get(client, pool, "/shifts")


def assign(client, pool, shift_id, worker_id, who="intermediary"):
    return client.post("/api/v1/assignments", headers=pool.headers(who),
                       json={"shift_id": shift_id, "worker_id": worker_id})


def test_manual_assignment_and_cancellation(client, pool, session):
    set_availability(client, pool, pool.worker_x)
    add_request(client, pool, days=(0,), headcount=1)
    shift = shifts(client, pool)[0]
    r = assign(client, pool, shift["id"], pool.worker_x)
    assert r.status_code == 201, r.get_json()
    a = r.get_json()
    assert a["status"] == "confirmed" and a["employer_id"] == pool.employer_a and a["start"] == shift["start"]
    r = assign(client, pool, shift["id"], pool.worker_x)
    assert r.status_code == 409 and r.get_json()["rules"] == ["W02"]
    set_availability(client, pool, pool.worker_y)
    r = assign(client, pool, shift["id"], pool.worker_y)
    assert r.status_code == 409 and r.get_json()["rules"] == ["W01"]

    path = f"/api/v1/assignments/{a['id']}"
    assert client.patch(path, headers=pool.headers("intermediary"), json={"status": "confirmed"}).status_code == 422
    assert client.patch(path, headers=pool.headers("employer_a"), json={"status": "cancelled"}).status_code == 403
    r = client.patch(path, headers=pool.headers("intermediary"), json={"status": "cancelled"})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert client.patch(path, headers=pool.headers("intermediary"), json={"status": "cancelled"}).status_code == 409
    assert [x["status"] for x in get(client, pool, "/assignments")] == ["cancelled"]  # stays in feeds
    payloads = [m.payload for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert [len(p["added"]) for p in payloads] == [1, 0] and [len(p["cancelled"]) for p in payloads] == [0, 1]


def test_a_broken_rule_is_409_naming_it(client, pool):
    set_availability(client, pool, pool.worker_x, absences=[SICK_MONDAY])
    add_request(client, pool, days=(0,), headcount=1)
    add_request(client, pool, days=(1,), headcount=1, skills=("heftruck",))
    add_request(client, pool, days=(2,), headcount=1, start="10:00", end="20:00")  # 9.5 h worked: inside the ATW limits
    monday, tuesday, wednesday = shifts(client, pool)
    r = assign(client, pool, monday["id"], pool.worker_x)
    assert r.status_code == 409 and r.get_json()["rules"] == ["W06"] and "availability" in r.get_json()["message"]
    r = assign(client, pool, tuesday["id"], pool.worker_x)
    assert r.status_code == 409 and r.get_json()["rules"] == ["W03"]
    r = assign(client, pool, wednesday["id"], pool.worker_x)  # 10:00–20:00 lies inside 06:00–20:00
    assert r.status_code == 201, r.get_json()
    assert client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                       json={"shift_id": 999, "worker_id": pool.worker_x}).status_code == 404
    assert assign(client, pool, monday["id"], pool.worker_y, who="employer_a").status_code == 403
    assert len(get(client, pool, "/assignments")) == 1  # nothing half-written by the refusals


def test_daily_rest_counts_confirmed_shifts(client, pool):
    set_availability(client, pool, pool.worker_x)
    add_request(client, pool, days=(0,), headcount=1, start="09:30", end="20:00")
    add_request(client, pool, days=(1,), headcount=1, start="06:00", end="14:00")
    late, early = shifts(client, pool)
    assert assign(client, pool, late["id"], pool.worker_x).status_code == 201
    r = assign(client, pool, early["id"], pool.worker_x)
    assert r.status_code == 409 and "W12" in r.get_json()["rules"]


def test_list_is_scoped(client, pool):
    for w in (pool.worker_x, pool.worker_y):
        set_availability(client, pool, w)
    add_request(client, pool, days=(0, 1), headcount=2)
    for s in shifts(client, pool):
        for w in (pool.worker_x, pool.worker_y):
            assert assign(client, pool, s["id"], w).status_code == 201
    assert len(get(client, pool, "/assignments")) == 4
    assert len(get(client, pool, f"/assignments?worker_id={pool.worker_y}")) == 2
    assert len(get(client, pool, "/assignments?from=2026-03-24&to=2026-03-24")) == 2
    assert len(get(client, pool, "/assignments", who="employer_a")) == 4
    assert get(client, pool, "/assignments", who="employer_b") == []
    mine = get(client, pool, "/assignments", who="worker_x")
    assert len(mine) == 2 and {a["worker_id"] for a in mine} == {pool.worker_x}
    assert set(mine[0]) >= {"id", "shift_id", "worker_id", "employer_id", "start", "end", "status"}
    other = get(client, pool, f"/assignments?worker_id={pool.worker_y}")[0]["id"]
    assert client.get(f"/api/v1/assignments/{other}", headers=pool.headers("worker_x")).status_code == 404
