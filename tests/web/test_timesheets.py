"""Timesheets through the API: who may register and approve hours, and approved hours never change."""
from datetime import timedelta

from banenpool.models import Assignment
from tests.banenpool.test_billing import MONDAY, make_assignment


def body(start=MONDAY, hours=8.5, break_minutes=30):
    return {"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat(),
            "break_minutes": break_minutes}


def put(client, pool, who, assignment_id, data):
    return client.put(f"/api/v1/assignments/{assignment_id}/timesheet", headers=pool.headers(who), json=data)


def approve(client, pool, who, assignment_id):
    return client.post(f"/api/v1/assignments/{assignment_id}/timesheet/approve", headers=pool.headers(who))


def test_register_correct_and_approve(client, pool, session):
    a = make_assignment(session, pool.employer_a, pool.worker_x)
    assert approve(client, pool, "employer_a", a).status_code == 409  # nothing registered yet
    r = put(client, pool, "worker_x", a, body())
    assert r.status_code == 200, r.get_json()
    sheet = r.get_json()
    assert sheet["status"] == "submitted" and sheet["hours"] == "8.00" and sheet["employer_id"] == pool.employer_a
    assert sheet["start"] == "2026-03-09T08:00:00+01:00"
    r = put(client, pool, "employer_a", a, body(hours=9.5))  # the employer corrects: 9 h worked
    assert r.status_code == 200 and r.get_json()["hours"] == "9.00"
    assert approve(client, pool, "worker_x", a).status_code == 403
    assert approve(client, pool, "employer_b", a).status_code == 404  # another employer's site stays hidden
    r = approve(client, pool, "employer_a", a)
    assert r.status_code == 200 and r.get_json()["status"] == "approved" and r.get_json()["approved_at"]
    for who in ("worker_x", "employer_a", "intermediary"):
        r = put(client, pool, who, a, body(hours=4))
        assert r.status_code == 409 and "approved" in r.get_json()["message"]
    assert approve(client, pool, "intermediary", a).status_code == 409
    r = client.get(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers("worker_x"))
    assert r.status_code == 200 and r.get_json()["hours"] == "9.00"


def test_scoping_of_registration(client, pool, session):
    a = make_assignment(session, pool.employer_a, pool.worker_x)
    assert put(client, pool, "worker_y", a, body()).status_code == 404      # not their assignment
    assert put(client, pool, "employer_b", a, body()).status_code == 404    # not their site
    assert put(client, pool, "anonymous", a, body()).status_code == 401
    assert put(client, pool, "worker_x", 999999, body()).status_code == 404
    assert client.get(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers("worker_x")).status_code == 404
    assert put(client, pool, "intermediary", a, body()).status_code == 200
    lists = {who: client.get("/api/v1/timesheets", headers=pool.headers(who)).get_json()
             for who in ("intermediary", "employer_a", "employer_b", "worker_x", "worker_y")}
    assert [len(lists[w]) for w in ("intermediary", "employer_a", "employer_b", "worker_x", "worker_y")] == [1, 1, 0, 1, 0]
    r = client.get("/api/v1/timesheets?status=approved", headers=pool.headers("intermediary"))
    assert r.get_json() == []


def test_only_confirmed_assignments_and_sane_times(client, pool, session):
    cancelled = make_assignment(session, pool.employer_a, pool.worker_x, status="cancelled")
    proposed = make_assignment(session, pool.employer_a, pool.worker_y, status="proposed")
    assert put(client, pool, "worker_x", cancelled, body()).status_code == 409
    assert put(client, pool, "employer_a", proposed, body()).status_code == 404  # proposals are not visible yet
    a = make_assignment(session, pool.employer_a, pool.worker_y)
    bad = [body(hours=-1), body(hours=1, break_minutes=60), body(start=MONDAY + timedelta(days=2)),
           body(hours=30)]
    for data in bad:
        r = put(client, pool, "worker_y", a, data)
        assert r.status_code == 422, (data, r.get_json())
    naive = {"start": "2026-03-09T08:00:00", "end": "2026-03-09T16:00:00", "break_minutes": 0}
    assert put(client, pool, "worker_y", a, naive).status_code == 422
    assert put(client, pool, "worker_y", a, {"start": MONDAY.isoformat()}).status_code == 422
    assert session.get(Assignment, a).status == "confirmed"
    assert client.get(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers("worker_y")).status_code == 404


def test_hours_in_the_future_are_refused(client, pool, session):
    from datetime import datetime, timezone
    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=soon)
    r = put(client, pool, "worker_x", a, body(start=soon))
    assert r.status_code == 422 and "future" in r.get_json()["errors"]["json"]["end"][0]


def test_timesheet_hours_round_like_the_pay_lines(client, pool, session):
    """7 h 7 min 30 s worked = 7.125 h: the timesheet shows what the invoice and the payroll pay (7.13, rounded up)."""
    a = make_assignment(session, pool.employer_a, pool.worker_x)
    r = put(client, pool, "worker_x", a, body(hours=7 + 37.5 / 60))
    assert r.status_code == 200 and r.get_json()["hours"] == "7.13"
    assert approve(client, pool, "employer_a", a).status_code == 200
    draft = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                        json={"employer_id": pool.employer_a, "period_start": "2026-03-09",
                              "period_end": "2026-03-09"}).get_json()
    assert [line["hours"] for line in draft["lines"] if line["kind"] == "base"] == ["7.13"]
    statement = client.get("/api/v1/payroll?period_start=2026-03-09&period_end=2026-03-09",
                           headers=pool.headers("intermediary")).get_json()
    assert statement["workers"][0]["hours"] == "7.13"


def test_timesheet_hours_round_up_like_the_pay_lines(client, pool, session):
    """7 h 20 min worked = 7.333… h: the pay lines round the hours up (never less than worked), so
    the timesheet the employer approves says 7.34, as the invoice and the payroll do (not 7.33)."""
    a = make_assignment(session, pool.employer_a, pool.worker_x)
    r = put(client, pool, "worker_x", a, body(hours=7 + 50 / 60))
    assert r.status_code == 200 and r.get_json()["hours"] == "7.34"
    assert approve(client, pool, "employer_a", a).status_code == 200
    draft = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                        json={"employer_id": pool.employer_a, "period_start": "2026-03-09",
                              "period_end": "2026-03-09"}).get_json()
    assert [line["hours"] for line in draft["lines"] if line["kind"] == "base"] == ["7.34"]
    statement = client.get("/api/v1/payroll?period_start=2026-03-09&period_end=2026-03-09",
                           headers=pool.headers("intermediary")).get_json()
    assert statement["workers"][0]["hours"] == "7.34"
    listed = client.get("/api/v1/timesheets", headers=pool.headers("employer_a")).get_json()
    assert [t["hours"] for t in listed] == ["7.34"]


def test_hours_of_a_shift_cancelled_since_say_so_in_the_list(client, pool, session):
    """Registered, then the shift was cancelled: the hours stay listed (nothing is dropped without a
    word), marked by the assignment's status, and they cannot be approved."""
    a = make_assignment(session, pool.employer_a, pool.worker_x)
    assert put(client, pool, "worker_x", a, body()).status_code == 200
    listed = client.get("/api/v1/timesheets?status=submitted", headers=pool.headers("employer_a")).get_json()
    assert [(t["assignment_id"], t["assignment_status"]) for t in listed] == [(a, "confirmed")]
    r = client.patch(f"/api/v1/assignments/{a}", headers=pool.headers("intermediary"), json={"status": "cancelled"})
    assert r.status_code == 200
    listed = client.get("/api/v1/timesheets?status=submitted", headers=pool.headers("employer_a")).get_json()
    assert [(t["assignment_id"], t["assignment_status"]) for t in listed] == [(a, "cancelled")]
    assert approve(client, pool, "employer_a", a).get_json()["rules"] == ["not_confirmed"]


def test_hours_are_approved_in_bulk_all_or_none(client, pool, session):
    first = make_assignment(session, pool.employer_a, pool.worker_x)
    second = make_assignment(session, pool.employer_a, pool.worker_y, start=MONDAY + timedelta(days=1))
    unregistered = make_assignment(session, pool.employer_a, pool.worker_x, start=MONDAY + timedelta(days=2))
    for a, who, start in ((first, "worker_x", MONDAY), (second, "worker_y", MONDAY + timedelta(days=1))):
        assert put(client, pool, who, a, body(start=start)).status_code == 200
    bulk = "/api/v1/timesheets/approve"
    r = client.post(bulk, headers=pool.headers("employer_a"), json={"assignment_ids": [first, second, unregistered]})
    assert r.status_code == 409 and r.get_json()["rules"] == ["no_timesheet"]
    assert r.get_json()["assignment_id"] == unregistered
    assert {client.get(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers("employer_a")).get_json()["status"]
            for a in (first, second)} == {"submitted"}                          # none approved
    assert client.post(bulk, headers=pool.headers("employer_b"), json={"assignment_ids": [first]}).status_code == 404
    assert client.post(bulk, headers=pool.headers("worker_x"), json={"assignment_ids": [first]}).status_code == 403
    assert client.post(bulk, headers=pool.headers("employer_a"), json={"assignment_ids": []}).status_code == 422
    r = client.post(bulk, headers=pool.headers("employer_a"), json={"assignment_ids": [second, first]})
    assert r.status_code == 200
    assert [(t["assignment_id"], t["status"]) for t in r.get_json()] == [(first, "approved"), (second, "approved")]


def test_the_hours_page_approves_everything_waiting_at_once(client, pool, session):
    from tests.web.pages_data import csrf_token, login
    ids = [make_assignment(session, pool.employer_a, w, start=MONDAY + timedelta(days=i))
           for i, w in enumerate((pool.worker_x, pool.worker_y))]
    for a, who, i in zip(ids, ("worker_x", "worker_y"), range(2)):
        assert put(client, pool, who, a, body(start=MONDAY + timedelta(days=i))).status_code == 200
    login(client, "employer_a")
    page = client.get("/employer/timesheets").get_data(as_text=True)
    assert "Alle 2 goedkeuren" in page
    for odd in ("²", "abc", "1" * 12):          # not an id: nothing approved, no error page
        r = client.post("/employer/timesheets/approve-all", follow_redirects=True,
                        data={"csrf_token": csrf_token(page), "assignment_id": [str(ids[0]), odd]})
        assert r.status_code == 200 and "Geen uren gekozen." in r.get_data(as_text=True), odd
    unregistered = make_assignment(session, pool.employer_a, pool.worker_x, start=MONDAY + timedelta(days=3))
    r = client.post("/employer/timesheets/approve-all", follow_redirects=True,
                    data={"csrf_token": csrf_token(page), "assignment_id": [str(i) for i in ids + [unregistered]]})
    assert "Niets goedgekeurd: de uren van Sanne Scholten op 12 mrt 2026: er zijn nog geen uren geregistreerd" \
        in r.get_data(as_text=True)
    r = client.post("/employer/timesheets/approve-all", follow_redirects=True,
                    data={"csrf_token": csrf_token(page), "assignment_id": [str(i) for i in ids]})
    assert "Uren van 2 diensten goedgekeurd." in r.get_data(as_text=True)
    from banenpool.models import Timesheet
    session.expire_all()
    assert {session.query(Timesheet).filter_by(assignment_id=i).one().status for i in ids} == {"approved"}
