"""A plan leaves shifts that have begun as they are: their workers are at work or have been.

Dates here are relative to today (Europe/Amsterdam): yesterday's shifts have begun, the shifts two
days ahead have not. `include_started` plans begun shifts as well (recording a period worked
without a plan)."""
from datetime import datetime, time, timedelta

from banenpool.calendar_nl import AMS
from banenpool.services import planning
from tests.web.pages_data import csrf_token, login
from tests.web.test_plans import get, immediate_queue, publish, set_availability  # noqa: F401 (fixture)

TODAY = datetime.now(AMS).date()
YESTERDAY, AHEAD = TODAY - timedelta(days=1), TODAY + timedelta(days=2)


def _request(client, pool, day, start, end):
    body = {"employer_id": pool.employer_a, "title": "Groen", "skills": ["groen"], "start_date": day.isoformat(),
            "end_date": day.isoformat(),
            "pattern": [{"weekday": day.weekday(), "start": start, "end": end, "headcount": 1}]}
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 201, r.get_json()


def _plan(client, pool, **extra):
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                    json={"start_date": YESTERDAY.isoformat(), "end_date": AHEAD.isoformat(),
                          "time_limit_seconds": 5, **extra})
    assert r.status_code == 202, r.get_json()
    plan = get(client, pool, f"/plans/{r.get_json()['id']}")
    assert plan["status"] == "done", plan
    return plan


def _shift_id(client, pool, day, start):
    shifts = get(client, pool, f"/shifts?from={day.isoformat()}&to={day.isoformat()}")
    return next(s["id"] for s in shifts if datetime.fromisoformat(s["start"]).astimezone(AMS).time() == start)


def _on(client, pool, shift_id):
    return [a for a in get(client, pool, "/assignments") if a["shift_id"] == shift_id and a["status"] == "confirmed"]


def test_a_plan_keeps_a_begun_shift_and_sends_no_one_to_it(client, pool):
    for w in (pool.worker_x, pool.worker_y):
        set_availability(client, pool, w)
    _request(client, pool, YESTERDAY, "08:00", "12:00")
    _request(client, pool, AHEAD, "08:00", "12:00")
    first = _plan(client, pool, include_started=True)       # yesterday recorded as worked
    assert first["frozen_before"] is None
    assert publish(client, pool, first["id"]).status_code == 200
    begun = _shift_id(client, pool, YESTERDAY, time(8))
    [worked] = _on(client, pool, begun)
    _request(client, pool, YESTERDAY, "13:00", "17:00")       # an open shift that has begun
    open_begun = _shift_id(client, pool, YESTERDAY, time(13))

    plan = _plan(client, pool, keep_published=False)
    assert plan["frozen_before"] is not None
    instance = get(client, pool, f"/plans/{plan['id']}/instance")
    shifts = {s["id"]: s for s in instance["shifts"]}
    assert str(open_begun) not in shifts                      # nobody can still be sent
    holder = next(w for w in instance["workers"] if w["id"] == str(worked["worker_id"]))
    assert str(begun) in holder["fixed"] and shifts[str(begun)]["headcount"] == 1
    proposed = get(client, pool, f"/plans/{plan['id']}/assignments")
    assert not [a for a in proposed if a["shift_id"] in (begun, open_begun) and a["change"] == "added"]
    assert open_begun not in [u["shift_id"] for u in get(client, pool, f"/plans/{plan['id']}/unfilled")]
    assert publish(client, pool, plan["id"]).status_code == 200
    assert [a["id"] for a in _on(client, pool, begun)] == [worked["id"]]
    assert _on(client, pool, open_begun) == []

    again = _plan(client, pool, include_started=True)         # asked for: the begun open shift is planned
    proposed = get(client, pool, f"/plans/{again['id']}/assignments")
    assert [a["change"] for a in proposed if a["shift_id"] == open_begun] == ["added"]


def test_publishing_refuses_a_plan_that_changes_a_shift_begun_since(client, pool, monkeypatch):
    for w in (pool.worker_x, pool.worker_y):
        set_availability(client, pool, w)
    _request(client, pool, AHEAD, "08:00", "12:00")
    plan = _plan(client, pool)
    [added] = [a for a in get(client, pool, f"/plans/{plan['id']}/assignments") if a["change"] == "added"]
    # published an hour after the shift began
    later = datetime.combine(AHEAD, time(9), AMS)
    monkeypatch.setattr(planning, "utcnow", lambda: later)
    r = publish(client, pool, plan["id"])
    assert r.status_code == 409 and r.get_json()["rules"] == ["shifts_begun"]
    assert f"shift {added['shift_id']} ({AHEAD:%Y-%m-%d} 08:00)" in r.get_json()["message"]
    assert get(client, pool, f"/plans/{plan['id']}")["published_at"] is None
    assert _on(client, pool, added["shift_id"]) == []        # nothing half-written
    monkeypatch.undo()                                      # before the shift: it publishes
    assert publish(client, pool, plan["id"]).status_code == 200


def test_a_period_that_is_over_needs_include_started(client, pool):
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                    json={"start_date": "2026-03-23", "end_date": "2026-03-29"})
    assert r.status_code == 422
    assert "include_started" in r.get_json()["errors"]["json"]["end_date"][0]
    login(client, "intermediary")
    page = client.get("/plans").get_data(as_text=True)
    assert "Ook diensten plannen die al begonnen zijn" in page
    r = client.post("/plans", data={"csrf_token": csrf_token(page), "start_date": "2026-03-23",
                                    "end_date": "2026-03-29", "time_limit_seconds": "5"})
    shown = r.get_data(as_text=True)
    assert "de periode is voorbij" in shown and "Ook diensten plannen die al begonnen zijn" in shown


def test_a_worker_recorded_on_a_begun_shift_is_named_as_such_when_publishing(client, pool):
    """A begun shift is the plan's context like a confirmed shift next to the period, but it lies in
    the period: what changed on it is said of a shift that had begun, not of one next to the period."""
    for w in (pool.worker_x, pool.worker_y):
        set_availability(client, pool, w)
    _request(client, pool, YESTERDAY, "08:00", "12:00")
    _request(client, pool, AHEAD, "08:00", "12:00")
    begun = _shift_id(client, pool, YESTERDAY, time(8))
    plan = _plan(client, pool)                       # nobody on it: left out
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": begun, "worker_id": pool.worker_y})
    assert r.status_code == 201, r.get_json()        # recorded afterwards: worker y did that shift
    r = publish(client, pool, plan["id"])
    assert r.status_code == 200, r.get_json()
    changed = r.get_json()["changes"]["data_changed"]
    assert f"shift {begun} (begun when the plan was made) was confirmed for worker {pool.worker_y} since" in changed
    assert not [c for c in changed if "next to the period" in c], changed
