"""Plans through the API: queue (huey, immediate mode) → solve → read → publish, re-plan and the 409s."""
import pytest
from sqlalchemy import select

from banenpool import queue
from banenpool.models import OutboxMessage
from scheduling.io import load_instance
from tests.conftest import worker_data

WEEK = {"start_date": "2026-03-23", "end_date": "2026-03-29"}
# a plan of that week (in the past now): its shifts have begun, so it plans them explicitly
PLAN_WEEK = {**WEEK, "include_started": True}
ALL_WEEK = [{"weekday": d, "start": "06:00", "end": "20:00"} for d in range(7)]


@pytest.fixture(autouse=True)
def immediate_queue(monkeypatch):
    monkeypatch.setattr(queue.huey, "immediate", True)


def set_availability(client, pool, worker_id, absences=()):
    r = client.put(f"/api/v1/workers/{worker_id}/availability", headers=pool.headers("intermediary"),
                   json={"weekly": ALL_WEEK, "absences": list(absences)})
    assert r.status_code == 200, r.get_json()


def add_request(client, pool, days=(0, 1, 2), headcount=2, skills=("groen",), start="07:00", end="15:30"):
    body = {"employer_id": pool.employer_a, "title": "Piek", "skills": list(skills),
            "start_date": WEEK["start_date"], "end_date": WEEK["end_date"],
            "pattern": [{"weekday": d, "start": start, "end": end, "break_minutes": 30, "headcount": headcount}
                        for d in days]}
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 201, r.get_json()


def setup_week(client, pool):
    """Mon–Wed 07:00–15:30 for two 'groen' workers, plus a Thursday 'heftruck' shift nobody can do."""
    for w in (pool.worker_x, pool.worker_y):
        set_availability(client, pool, w)
    add_request(client, pool)
    add_request(client, pool, days=(3,), headcount=1, skills=("heftruck",))


def make_plan(client, pool, **extra):
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                    json={**PLAN_WEEK, "time_limit_seconds": 10, **extra})
    assert r.status_code == 202, r.get_json()
    assert r.get_json()["status"] == "queued"
    return r.get_json()["id"]


def get(client, pool, path, who="intermediary"):
    r = client.get(f"/api/v1{path}", headers=pool.headers(who))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def publish(client, pool, plan_id):
    return client.post(f"/api/v1/plans/{plan_id}/publish", headers=pool.headers("intermediary"))


def test_whole_flow_plan_read_publish_twice(client, pool, session):
    setup_week(client, pool)
    plan_id = make_plan(client, pool)
    plan = get(client, pool, f"/plans/{plan_id}")
    assert plan["status"] == "done" and plan["progress"] == 1.0 and plan["error"] is None
    assert plan["solver_status"] == "optimal" and plan["metrics"]["covered_hours"] == 6 * 8.0
    assert plan["bound"] is not None and plan["changes"] == {"kept": 0, "dropped": 0, "added": 6}
    coverage = plan["levels"][0]   # each objective level and what is proven of it
    assert coverage["level"] == "coverage" and coverage["status"] == "optimal"
    assert coverage["value"] == coverage["bound"] == plan["bound"]["priority_hours"]
    assert {level["status"] for level in plan["levels"]} == {"optimal"}

    proposed = get(client, pool, f"/plans/{plan_id}/assignments")
    assert len(proposed) == 6 and {a["status"] for a in proposed} == {"proposed"}
    assert {a["worker_id"] for a in proposed} == {pool.worker_x, pool.worker_y}
    assert all(a["employer_id"] == pool.employer_a and a["start"].endswith("+01:00") for a in proposed)
    assert get(client, pool, "/assignments") == []  # proposals are not anyone's schedule yet

    unfilled = get(client, pool, f"/plans/{plan_id}/unfilled")
    assert len(unfilled) == 1 and unfilled[0]["open"] == 1
    assert "heftruck" in " ".join(unfilled[0]["reasons"])

    instance = get(client, pool, f"/plans/{plan_id}/instance")
    assert instance["format"] == "banenpool-instance/1"
    assert {w["id"] for w in instance["workers"]} == {str(pool.worker_x), str(pool.worker_y)}
    assert all(s["employer"] == str(pool.employer_a) for s in instance["shifts"])
    loaded = load_instance(instance)  # replayable as a file
    assert len(loaded.shifts) == 4 and loaded.workers[0].employers is None

    r = publish(client, pool, plan_id)
    assert r.status_code == 200 and r.get_json()["published_at"]
    assert {a["status"] for a in get(client, pool, "/assignments")} == {"confirmed"}
    assert len(get(client, pool, "/assignments")) == 6
    r = publish(client, pool, plan_id)
    assert r.status_code == 409 and "already published" in r.get_json()["message"]
    outbox = session.scalars(select(OutboxMessage).order_by(OutboxMessage.worker_id)).all()
    assert [m.worker_id for m in outbox] == [pool.worker_x, pool.worker_y]
    assert all(len(m.payload["added"]) == 3 and m.payload["cancelled"] == [] for m in outbox)


def test_replan_after_sick_report_changes_as_little_as_possible(client, pool, session):
    setup_week(client, pool)
    first = make_plan(client, pool)
    assert publish(client, pool, first).status_code == 200
    z = client.post("/api/v1/workers", headers=pool.headers("intermediary"),
                    json=worker_data(name="Zeynep Kaya", email="z@example.org", min_hours_per_week="0",
                                     target_hours_per_week="8", birth_date="1990-01-01")).get_json()["id"]
    set_availability(client, pool, z)
    sick = {"start": "2026-03-24T00:00:00+01:00", "end": "2026-03-25T00:00:00+01:00", "reason": "sick"}
    set_availability(client, pool, pool.worker_x, absences=[sick])

    second = make_plan(client, pool)
    plan = get(client, pool, f"/plans/{second}")
    assert plan["changes"] == {"kept": 5, "dropped": 1, "added": 1}
    rows = get(client, pool, f"/plans/{second}/assignments")
    assert sorted(a["change"] for a in rows) == ["added"] + ["kept"] * 5
    assert next(a for a in rows if a["change"] == "added")["worker_id"] == z
    # the instance it solved holds the published assignments to keep: replayed, it plans the same
    from scheduling import solve
    instance = get(client, pool, f"/plans/{second}/instance")
    published = {(str(a["shift_id"]), str(a["worker_id"])) for a in get(client, pool, "/assignments")}
    assert {(k["shift"], k["worker"]) for k in instance["keep"]} == published
    replay = solve(load_instance(instance), time_limit=10)
    assert {(a.shift, a.worker) for a in replay.assignments} == \
        {(str(a["shift_id"]), str(a["worker_id"])) for a in rows}

    assert publish(client, pool, second).status_code == 200
    mine = get(client, pool, "/assignments?worker_id=%d" % pool.worker_x)
    assert sorted(a["status"] for a in mine) == ["cancelled", "confirmed", "confirmed"]
    session.expire_all()
    last = {m.worker_id: m.payload for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))}
    assert len(last[pool.worker_x]["cancelled"]) == 1 and len(last[z]["added"]) == 1


def test_replan_without_keep_may_replace_everything(client, pool):
    setup_week(client, pool)
    assert publish(client, pool, make_plan(client, pool)).status_code == 200
    plan_id = make_plan(client, pool, keep_published=False)
    plan = get(client, pool, f"/plans/{plan_id}")
    assert plan["keep_published"] is False and plan["status"] == "done"
    changes = plan["changes"]
    assert changes["kept"] + changes["dropped"] == 6 and changes["kept"] + changes["added"] == 6
    assert publish(client, pool, plan_id).status_code == 200  # a later plan may replace the published one
    assert len([a for a in get(client, pool, "/assignments") if a["status"] == "confirmed"]) == 6


def test_publishing_on_a_changed_base_is_409_with_the_reason(client, pool):
    setup_week(client, pool)
    plan_id = make_plan(client, pool)
    sick = {"start": "2026-03-23T00:00:00+01:00", "end": "2026-03-24T00:00:00+01:00", "reason": "sick"}
    set_availability(client, pool, pool.worker_y, absences=[sick])
    r = publish(client, pool, plan_id)
    assert r.status_code == 409
    body = r.get_json()
    assert body["rules"] == ["base_changed"] and f"worker {pool.worker_y} changed (available)" in body["message"]
    assert get(client, pool, "/assignments") == []  # nothing half-written


def test_the_plans_page_says_a_plan_no_longer_holds_on_changed_data(client, pool):
    """Data that changed alone does not refuse a plan (it may still hold): the page says it no longer does."""
    from tests.web.pages_data import csrf_token, login
    setup_week(client, pool)
    plan_id = make_plan(client, pool)
    sick = {"start": "2026-03-23T00:00:00+01:00", "end": "2026-03-24T00:00:00+01:00", "reason": "sick"}
    set_availability(client, pool, pool.worker_y, absences=[sick])
    login(client, "intermediary")
    page = client.get("/plans?lang=nl").get_data(as_text=True)
    r = client.post(f"/plans/{plan_id}/publish", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    shown = r.get_data(as_text=True)
    assert "Niet gepubliceerd: de planningsgegevens zijn veranderd sinds deze planning is gemaakt en de planning " \
           "klopt daarmee niet meer" in shown
    assert "een werker die ze oproept is afwezig" in shown


def test_a_plan_is_published_over_a_change_it_does_not_depend_on(client, pool):
    """A worker registered after the plan was made: the plan still keeps every rule, so it is
    published, and says what changed (the page says it too)."""
    setup_week(client, pool)
    plan_id = make_plan(client, pool)
    r = client.post("/api/v1/workers", headers=pool.headers("intermediary"),
                    json=worker_data(name="Nieuw", email="nieuw@example.org", birth_date="1990-01-01"))
    assert r.status_code == 201, r.get_json()
    added = r.get_json()["id"]
    r = publish(client, pool, plan_id)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["changes"]["data_changed"] == [f"worker {added} was added"]
    assert len([a for a in get(client, pool, "/assignments") if a["status"] == "confirmed"]) == 6


def test_two_plans_for_overlapping_periods_cannot_both_be_published(client, pool):
    setup_week(client, pool)
    a = make_plan(client, pool)
    b = make_plan(client, pool, start_date="2026-03-25", end_date="2026-04-02")
    assert publish(client, pool, a).status_code == 200
    r = publish(client, pool, b)
    assert r.status_code == 409
    assert r.get_json()["rules"] in (["overlapping_plan_published"], ["base_changed"])


def test_plans_are_for_the_intermediary_only(client, pool):
    setup_week(client, pool)
    plan_id = make_plan(client, pool)
    for who in ("employer_a", "worker_x"):
        assert client.post("/api/v1/plans", headers=pool.headers(who), json=WEEK).status_code == 403
        for path in ("", "/assignments", "/unfilled", "/instance"):
            assert client.get(f"/api/v1/plans/{plan_id}{path}", headers=pool.headers(who)).status_code == 403
        assert client.post(f"/api/v1/plans/{plan_id}/publish", headers=pool.headers(who)).status_code == 403
    assert client.post("/api/v1/plans", json=WEEK).status_code == 401
    assert client.get("/api/v1/plans/999", headers=pool.headers("intermediary")).status_code == 404


def test_invalid_plan_requests_are_422(client, pool):
    def errors(**body):
        r = client.post("/api/v1/plans", headers=pool.headers("intermediary"), json=body)
        assert r.status_code == 422
        return r.get_json()["errors"]["json"]

    assert "end_date" in errors(start_date="2026-03-29", end_date="2026-03-23")
    assert "time_limit_seconds" in errors(**WEEK, time_limit_seconds=-1)
    assert "end_date" in errors(start_date="2026-03-01", end_date="2026-06-01")


def test_cancelling_a_confirmed_shift_next_to_the_period_names_it_as_such(client, pool):
    for w in (pool.worker_x, pool.worker_y):
        set_availability(client, pool, w)
    body = {"employer_id": pool.employer_a, "title": "Piek", "skills": ["groen"], "start_date": "2026-03-23",
            "end_date": "2026-04-05", "pattern": [{"weekday": d, "start": "07:00", "end": "15:30",
                                                   "break_minutes": 30, "headcount": 1} for d in range(5)]}
    assert client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json=body).status_code == 201
    later = {"start_date": "2026-03-30", "end_date": "2026-04-05"}
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                    json={**later, "time_limit_seconds": 10, "include_started": True})
    assert publish(client, pool, r.get_json()["id"]).status_code == 200
    monday = next(a for a in get(client, pool, "/assignments") if a["start"].startswith("2026-03-30"))
    first = make_plan(client, pool)                        # the week before: Monday 30 March is its context
    assert client.patch(f"/api/v1/assignments/{monday['id']}", headers=pool.headers("intermediary"),
                        json={"status": "cancelled"}).status_code == 200
    r = publish(client, pool, first)   # one call fewer next to the period: the plan still holds
    assert r.status_code == 200, r.get_json()
    message = "; ".join(r.get_json()["changes"]["data_changed"])
    assert f"shift {monday['shift_id']} is no longer confirmed for worker {monday['worker_id']}" in message
    assert f"shift {monday['shift_id']} was removed" not in message


def test_a_shift_confirmed_next_to_the_period_since_is_named_as_such(client, pool):
    """Planning week by week: publishing the week before confirms its Sunday, which the next week's plan
    had as context. Publishing the next week's plan says that shift was confirmed for that worker, not
    that a shift 'was added' or that its headcount changed (it did not)."""
    for w in (pool.worker_x, pool.worker_y):
        set_availability(client, pool, w)
    body = {"employer_id": pool.employer_a, "title": "Piek", "skills": ["groen"], "start_date": "2026-03-23",
            "end_date": "2026-04-05", "pattern": [{"weekday": d, "start": "07:00", "end": "15:30",
                                                   "break_minutes": 30, "headcount": 1} for d in (0, 6)]}
    assert client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json=body).status_code == 201
    later = client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                        json={"start_date": "2026-03-30", "end_date": "2026-04-05", "time_limit_seconds": 10,
                              "include_started": True})
    assert publish(client, pool, make_plan(client, pool)).status_code == 200     # 23-29 March, Sunday 29 included
    sunday = next(a for a in get(client, pool, "/assignments") if a["start"].startswith("2026-03-29"))
    r = publish(client, pool, later.get_json()["id"])   # a Sunday day shift leaves Monday's rest whole
    assert r.status_code == 200, r.get_json()
    message = "; ".join(r.get_json()["changes"]["data_changed"])
    assert (f"shift {sunday['shift_id']} next to the period was confirmed for worker {sunday['worker_id']} since"
            in message), message
    assert f"shift {sunday['shift_id']} was added" not in message


def test_other_workers_on_a_shift_next_to_the_period_are_named_as_such():
    from banenpool.services.instance_builder import describe_changes
    shift = {"id": "7", "employer": "1", "start": "2026-03-29T07:00:00+02:00", "end": "2026-03-29T15:30:00+02:00",
             "break_minutes": 30, "skills": [], "headcount": 1, "priority": 1.0}
    old = {"shifts": [shift], "workers": [{"id": "3", "fixed": ["7"]}, {"id": "4", "fixed": []}]}
    new = {"shifts": [{**shift, "headcount": 2}], "workers": [{"id": "3", "fixed": ["7"]}, {"id": "4", "fixed": ["7"]}]}
    reasons = describe_changes(old, [], new, [])
    assert "shift 7 next to the period has other confirmed workers (3 → 3, 4)" in reasons
    assert "shift 7 changed (headcount)" not in reasons and "worker 4 changed (fixed)" in reasons


def test_the_plans_page_says_a_plan_was_published_over_changed_data(client, pool):
    from tests.web.pages_data import csrf_token, login
    setup_week(client, pool)
    plan_id = make_plan(client, pool)
    assert client.post("/api/v1/workers", headers=pool.headers("intermediary"),
                       json=worker_data(name="Nieuw", email="nieuw@example.org",
                                        birth_date="1990-01-01")).status_code == 201
    login(client, "intermediary")
    page = client.get("/plans").get_data(as_text=True)
    r = client.post(f"/plans/{plan_id}/publish", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    shown = r.get_data(as_text=True)
    assert f"Planning {plan_id} is gepubliceerd." in shown
    assert "De planningsgegevens zijn veranderd sinds de planning is gemaakt (1 wijziging)" in shown
