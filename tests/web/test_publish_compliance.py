"""Publishing re-checks the Working Hours Act over the weeks around the plan: two plans built
side by side are each lawful alone, but a 4-week average over both is not."""
import pytest

from banenpool import queue

P1 = {"start_date": "2026-03-23", "end_date": "2026-04-05"}
P2 = {"start_date": "2026-04-07", "end_date": "2026-04-19"}


@pytest.fixture(autouse=True)
def immediate_queue(monkeypatch):
    monkeypatch.setattr(queue.huey, "immediate", True)


def _ok(r, status=200):
    assert r.status_code == status, r.get_json()
    return r.get_json()


def _request(client, pool, days, start, end, brk, period):
    _ok(client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json={
        "employer_id": pool.employer_a, "title": "Piek", "skills": ["groen"], **period,
        "pattern": [{"weekday": d, "start": start, "end": end, "break_minutes": brk, "headcount": 1}
                    for d in days]}), 201)


def _plan(client, pool, period):
    return _ok(client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                           json={**period, "time_limit_seconds": 5, "include_started": True}), 202)["id"]


def _publish(client, pool, plan_id):
    return client.post(f"/api/v1/plans/{plan_id}/publish", headers=pool.headers("intermediary"))


def _setup(client, pool):
    h = pool.headers("intermediary")
    _ok(client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h,
                     json={"min_hours_per_week": 0, "target_hours_per_week": 60, "max_hours_per_week": 60}))
    _ok(client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=h, json={
        "weekly": [{"weekday": d, "start": "05:00", "end": "23:00"} for d in range(7)], "absences": []}))
    _ok(client.put(f"/api/v1/workers/{pool.worker_y}/availability", headers=h, json={"weekly": [], "absences": []}))
    # 56.25 h a week: 5 × 11.25 h (06:00-18:00, 45 min break) and a Saturday morning
    _request(client, pool, (0, 1, 2, 3, 4), "06:00", "18:00", 45, P1)
    _request(client, pool, (5,), "06:00", "09:45", 0, P1)
    _request(client, pool, (1, 2, 3, 4), "06:00", "18:00", 45, {"start_date": "2026-04-07", "end_date": "2026-04-12"})
    _request(client, pool, (5,), "06:00", "12:30", 30, {"start_date": "2026-04-07", "end_date": "2026-04-12"})
    last_week = {"start_date": "2026-04-13", "end_date": "2026-04-19"}
    _request(client, pool, (0, 1, 2, 3, 4), "06:00", "18:00", 45, last_week)
    _request(client, pool, (5,), "06:00", "09:45", 0, last_week)


def test_a_plan_whose_shifts_break_a_longer_rule_with_shifts_confirmed_since_is_not_published(client, pool):
    h = pool.headers("intermediary")
    _setup(client, pool)
    first, second = _plan(client, pool, P1), _plan(client, pool, P2)      # built side by side
    _ok(_publish(client, pool, first))
    refused = _publish(client, pool, second)
    body = _ok(refused, 409)
    assert "compliance" in body["rules"] and "ATW-avg-55-4wk" in body["rules"], body
    assert f"worker {pool.worker_x}: ATW-avg-55-4wk" in body["message"]
    assert _ok(client.get(f"/api/v1/plans/{second}", headers=h))["published_at"] is None   # nothing half-written
    checks = _ok(client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-01&to=2026-05-01", headers=h))
    assert not [v for v in checks["violations"] if v["rule"] == "ATW-avg-55-4wk"]
    # planned again now that the first plan is confirmed, the screen leaves shifts out and it publishes
    again = _plan(client, pool, P2)
    assert _ok(client.get(f"/api/v1/plans/{again}", headers=h))["compliance"]["left_out"]
    _ok(_publish(client, pool, again))
    checks = _ok(client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-01&to=2026-05-01", headers=h))
    assert not [v for v in checks["violations"] if v["rule"] == "ATW-avg-55-4wk"]


def test_open_slots_are_explained_for_the_plan_after_the_compliance_screen(client, pool):
    """The screen leaves some of worker x's shifts out; the other open slots' reasons are those of
    the plan that is stored, not of the planner's plan before the screen."""
    from scheduling import Assignment, explain_unfilled, load_instance
    h = pool.headers("intermediary")
    _setup(client, pool)
    _request(client, pool, (4,), "10:00", "14:00", 0, {"start_date": "2026-04-13", "end_date": "2026-04-19"})
    _ok(_publish(client, pool, _plan(client, pool, P1)))
    second = _plan(client, pool, P2)
    plan = _ok(client.get(f"/api/v1/plans/{second}", headers=h))
    assert plan["compliance"]["left_out"]                          # the 4-week average: shifts left out
    instance = _ok(client.get(f"/api/v1/plans/{second}/instance", headers=h))
    proposed = _ok(client.get(f"/api/v1/plans/{second}/assignments", headers=h))
    pairs = [Assignment(str(a["shift_id"]), str(a["worker_id"])) for a in proposed]
    fresh = {u.shift: list(u.reasons) for u in explain_unfilled(load_instance(instance), pairs)}
    stored = {str(u["shift_id"]): u["reasons"] for u in _ok(client.get(f"/api/v1/plans/{second}/unfilled", headers=h))}
    assert stored.keys() == fresh.keys()
    left = {str(lo["shift_id"]) for lo in plan["compliance"]["left_out"]}
    for shift, reasons in stored.items():
        if shift in left:      # the rule first; the worker left out counts as barred, not as free
            assert reasons[0].startswith(f"worker {pool.worker_x} left out: ATW-avg-55-4wk")
            assert not any("free, but the planner did not place them" in r for r in reasons)
        else:
            assert reasons == fresh[shift]
