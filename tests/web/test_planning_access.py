"""Role × endpoint matrix for plans and assignments (see tests/web/test_access_matrix.py).

The pool: a published plan (worker X and Y at employer A), a second plan not yet published
(its proposals are nobody's schedule), and worker Y on a shift of employer B by hand.
"""
from dataclasses import dataclass

import pytest

from banenpool import queue
from tests.web.test_access_matrix import CALLERS
from tests.web.test_plans import PLAN_WEEK, WEEK, add_request, get, make_plan, publish, setup_week


@pytest.fixture(autouse=True)
def immediate_queue(monkeypatch):
    monkeypatch.setattr(queue.huey, "immediate", True)


@dataclass
class World:
    published: int  # plan id
    proposed: int  # plan id, not published
    x_at_a: int  # assignment ids
    y_at_a: int
    y_at_b: int
    proposal: int  # a proposed assignment of the unpublished plan
    sunday: int  # a free shift of employer A


def build_world(client, pool) -> World:
    setup_week(client, pool)
    published = make_plan(client, pool)
    assert publish(client, pool, published).status_code == 200
    rows = get(client, pool, "/assignments")
    x_at_a = next(a["id"] for a in rows if a["worker_id"] == pool.worker_x)
    y_at_a = next(a["id"] for a in rows if a["worker_id"] == pool.worker_y)
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json={
        "employer_id": pool.employer_b, "title": "Avond", "start_date": "2026-03-26", "end_date": "2026-03-26",
        "pattern": [{"weekday": 3, "start": "16:00", "end": "19:00", "headcount": 1}]})
    assert r.status_code == 201, r.get_json()
    b_shift = next(s["id"] for s in get(client, pool, "/shifts") if s["employer_id"] == pool.employer_b)
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": b_shift, "worker_id": pool.worker_y})
    assert r.status_code == 201, r.get_json()
    y_at_b = r.get_json()["id"]
    add_request(client, pool, days=(4,), headcount=1)  # Friday: new work for the second plan
    proposed = make_plan(client, pool)
    proposal = get(client, pool, f"/plans/{proposed}/assignments")
    proposal = next(a["id"] for a in proposal if a["change"] == "added")
    add_request(client, pool, days=(6,), headcount=1)  # Sunday: left free for the manual POST
    sunday = next(s["id"] for s in get(client, pool, "/shifts") if s["start"].startswith("2026-03-29"))
    return World(published, proposed, x_at_a, y_at_a, y_at_b, proposal, sunday)


# method, path, body, intermediary, employer_a, employer_b, worker_x, worker_y, anonymous
MATRIX = [
    ("GET", "/plans", None, 200, 403, 403, 403, 403, 401),
    ("GET", "/plans/{P}", None, 200, 403, 403, 403, 403, 401),
    ("GET", "/plans/{P}/assignments", None, 200, 403, 403, 403, 403, 401),
    ("GET", "/plans/{P}/unfilled", None, 200, 403, 403, 403, 403, 401),
    ("GET", "/plans/{P}/instance", None, 200, 403, 403, 403, 403, 401),
    ("GET", "/plans/{Q}/assignments", None, 200, 403, 403, 403, 403, 401),
    ("GET", "/plans/999", None, 404, 403, 403, 403, 403, 401),
    ("POST", "/plans/{P}/publish", None, 409, 403, 403, 403, 403, 401),  # already published
    ("GET", "/assignments", None, 200, 200, 200, 200, 200, 401),
    ("GET", "/assignments/{XA}", None, 200, 200, 404, 200, 404, 401),
    ("GET", "/assignments/{YA}", None, 200, 200, 404, 404, 200, 401),
    ("GET", "/assignments/{YB}", None, 200, 404, 200, 404, 200, 401),
    ("GET", "/assignments/{PROP}", None, 200, 404, 404, 404, 404, 401),  # a proposal is nobody's yet
    ("GET", "/assignments/99999", None, 404, 404, 404, 404, 404, 401),
    # the changing rows last: the intermediary goes first and succeeds, the others may not at all
    ("POST", "/assignments", {"shift_id": "{SUN}", "worker_id": "{X}"}, 201, 403, 403, 403, 403, 401),
    ("PATCH", "/assignments/{YB}", {"status": "cancelled"}, 200, 403, 403, 403, 403, 401),
    ("POST", "/plans/{Q}/publish", None, 409, 403, 403, 403, 403, 401),  # base changed by the rows above
    ("POST", "/plans", PLAN_WEEK, 202, 403, 403, 403, 403, 401),
]


def test_planning_access_matrix(client, pool):
    w = build_world(client, pool)
    ids = {"P": w.published, "Q": w.proposed, "XA": w.x_at_a, "YA": w.y_at_a, "YB": w.y_at_b,
           "PROP": w.proposal, "SUN": w.sunday, "X": pool.worker_x}
    failures = []
    for method, path, body, *expected in MATRIX:
        url = "/api/v1" + path.format(**ids)
        if body is not None:
            body = {k: (int(v.format(**ids)) if isinstance(v, str) and v.startswith("{") else v)
                    for k, v in body.items()}
        for caller, status in zip(CALLERS, expected):
            r = client.open(url, method=method, headers=pool.headers(caller), json=body)
            if r.status_code != status:
                failures.append(f"{caller} {method} {url}: {r.status_code} (expected {status}) {r.get_json()}")
    assert failures == []


def test_assignment_lists_are_scoped(client, pool):
    w = build_world(client, pool)

    def ids(who, query=""):
        return {a["id"]: (a["worker_id"], a["employer_id"]) for a in get(client, pool, f"/assignments{query}", who)}

    everything = ids("intermediary")
    assert w.proposal not in everything  # proposals are not in the list, not even the intermediary's
    assert {w.x_at_a, w.y_at_a, w.y_at_b} <= set(everything)
    assert set(ids("employer_a")) == {i for i, (_, e) in everything.items() if e == pool.employer_a}
    assert set(ids("employer_b")) == {w.y_at_b}
    assert set(ids("worker_x")) == {i for i, (wk, _) in everything.items() if wk == pool.worker_x}
    assert set(ids("worker_y")) == {i for i, (wk, _) in everything.items() if wk == pool.worker_y}
    assert w.y_at_b in ids("worker_y") and w.y_at_a in ids("worker_y")
    # a filter never widens the scope
    assert ids("employer_a", f"?employer_id={pool.employer_b}") == {}
    assert ids("worker_x", f"?worker_id={pool.worker_y}") == {}
    assert set(ids("employer_b", f"?worker_id={pool.worker_y}")) == {w.y_at_b}
