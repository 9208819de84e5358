"""Service-level input fixes seen through the API: duplicate KvK numbers, deleting a capacity
request that has proposed or cancelled assignments, and shifts at the clock changes (DST)."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from banenpool import queue
from banenpool.models import Assignment, CapacityRequest, Employer, Shift, Timesheet
from banenpool.services import planning
from tests.conftest import employer_data

WEEK = {"start_date": "2026-03-23", "end_date": "2026-03-29"}


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


# ---- duplicate KvK numbers ------------------------------------------------------------------

def _employer_json(**overrides) -> dict:
    data = employer_data(**overrides)
    data["tariff_factor"] = str(data["tariff_factor"])
    return data


def test_new_employer_with_a_taken_kvk_number_is_409_naming_field_and_number(client, pool, session):
    r = client.post("/api/v1/employers", headers=pool.headers("intermediary"),
                    json=_employer_json(name="Dubbel BV", kvk_number="61234501"))
    assert r.status_code == 409, r.get_json()
    body = r.get_json()
    assert body["code"] == 409 and body["status"] == "Conflict"
    assert "kvk_number" in body["message"] and "61234501" in body["message"]
    assert f"employer {pool.employer_a}" in body["message"]
    assert _count(session, Employer) == 2  # nothing written


def test_two_registrations_of_one_kvk_number_at_the_same_moment_give_409_not_500(client, pool, session, app):
    """Another request commits the same KvK number after this one checked it was free and before it
    writes (a real second connection, in the gap): the database's unique index answers, as a 409."""
    fired = []

    def other_request_commits_first(flushing, *_):
        if fired or flushing is session:
            return
        fired.append(True)
        with app.extensions["banenpool.sessionmaker"]() as other:
            other.add(Employer(**{k: v for k, v in employer_data(name="Sneller BV", kvk_number="61234577").items()
                                  if k in ("name", "kvk_number", "cao_code", "vat_number", "tariff_factor",
                                           "invoice_email")}))
            other.commit()

    event.listen(Session, "before_flush", other_request_commits_first)
    try:
        r = client.post("/api/v1/employers", headers=pool.headers("intermediary"),
                        json=_employer_json(name="Trager BV", kvk_number="61234577"))
    finally:
        event.remove(Session, "before_flush", other_request_commits_first)
    assert fired and r.status_code == 409, r.get_json()
    assert r.get_json()["rules"] == ["concurrent_change"] and "nothing was saved" in r.get_json()["message"]
    session.expire_all()
    assert session.scalars(select(Employer.name).where(Employer.kvk_number == "61234577")).all() == ["Sneller BV"]


def test_patching_another_employers_kvk_number_is_409_and_changes_nothing(client, pool):
    h = pool.headers("intermediary")
    r = client.patch(f"/api/v1/employers/{pool.employer_b}", headers=h,
                     json={"kvk_number": "61234501", "name": "Andere naam"})
    assert r.status_code == 409, r.get_json()
    assert "kvk_number" in r.get_json()["message"] and "61234501" in r.get_json()["message"]
    b = client.get(f"/api/v1/employers/{pool.employer_b}", headers=h).get_json()
    assert b["kvk_number"] == "61234506" and b["name"] == "Glans Schoonmaak"
    # its own number is no conflict
    r = client.patch(f"/api/v1/employers/{pool.employer_b}", headers=h, json={"kvk_number": "61234506"})
    assert r.status_code == 200, r.get_json()


# ---- deleting a capacity request ------------------------------------------------------------

def _request(client, pool, who="employer_a", **overrides):
    body = {"employer_id": pool.employer_a, "title": "Voorjaar", "skills": ["groen"],
            "start_date": "2026-04-06", "end_date": "2026-04-12",
            "pattern": [{"weekday": 0, "start": "08:00", "end": "16:00", "break_minutes": 30, "headcount": 2}]}
    body.update(overrides)
    return client.post("/api/v1/capacity-requests", headers=pool.headers(who), json=body)


def _first_shift(session, request_id) -> Shift:
    return session.scalars(select(Shift).where(Shift.request_id == request_id)).first()


def _delete(client, pool, request_id, who="employer_a"):
    return client.delete(f"/api/v1/capacity-requests/{request_id}", headers=pool.headers(who))


def _request_with(client, pool, session, status_x: str, status_y: str) -> int:
    """A request whose first shift holds assignments of worker x and y in these states."""
    rid = _request(client, pool).get_json()["id"]
    shift = _first_shift(session, rid)
    session.add_all([Assignment(shift_id=shift.id, worker_id=pool.worker_x, status=status_x),
                     Assignment(shift_id=shift.id, worker_id=pool.worker_y, status=status_y)])
    session.commit()
    return rid


def test_delete_request_takes_its_proposed_and_cancelled_assignments(client, pool, session):
    rid = _request_with(client, pool, session, "cancelled", "proposed")

    r = _delete(client, pool, rid)
    assert r.status_code == 204, r.get_json()
    assert client.get(f"/api/v1/capacity-requests/{rid}", headers=pool.headers("employer_a")).status_code == 404
    assert _count(session, Shift) == 0 and _count(session, Assignment) == 0


def test_delete_request_with_a_confirmed_assignment_stays_409(client, pool, session):
    rid = _request_with(client, pool, session, "confirmed", "proposed")

    r = _delete(client, pool, rid)
    assert r.status_code == 409 and "confirmed" in r.get_json()["message"]
    assert client.get(f"/api/v1/capacity-requests/{rid}", headers=pool.headers("employer_a")).status_code == 200
    assert _count(session, Shift) == 1 and _count(session, Assignment) == 2  # nothing half-deleted


def test_delete_request_with_approved_hours_on_a_cancelled_assignment_is_409(client, pool, session):
    rid = _request(client, pool).get_json()["id"]
    shift = _first_shift(session, rid)
    worked = Assignment(shift_id=shift.id, worker_id=pool.worker_x, status="cancelled")
    session.add_all([worked, Assignment(shift_id=shift.id, worker_id=pool.worker_y, status="proposed")])
    session.flush()
    session.add(Timesheet(assignment_id=worked.id, start=shift.start, end=shift.end, break_minutes=30,
                          status="approved", approved_at=datetime.now(timezone.utc)))
    session.commit()

    r = _delete(client, pool, rid)
    assert r.status_code == 409, r.get_json()
    assert "approved" in r.get_json()["message"] and str(worked.id) in r.get_json()["message"]
    assert client.get(f"/api/v1/capacity-requests/{rid}", headers=pool.headers("employer_a")).status_code == 200
    assert _count(session, Assignment) == 2 and _count(session, Timesheet) == 1


def test_delete_request_with_worked_confirmed_shifts_does_not_say_to_cancel_them(client, pool, session):
    """Worked hours are the lasting reason: the 409 said "cancel them first", and cancelling a
    worked assignment is refused in its turn (its hours are approved)."""
    rid = _request(client, pool).get_json()["id"]
    shift = _first_shift(session, rid)
    worked = Assignment(shift_id=shift.id, worker_id=pool.worker_x, status="confirmed")
    session.add(worked)
    session.flush()
    session.add(Timesheet(assignment_id=worked.id, start=shift.start, end=shift.end, break_minutes=30,
                          status="approved", approved_at=datetime.now(timezone.utc)))
    session.commit()

    r = _delete(client, pool, rid)
    assert r.status_code == 409, r.get_json()
    message = r.get_json()["message"]
    assert "approved" in message and str(worked.id) in message and "cancel them first" not in message
    r = client.patch(f"/api/v1/assignments/{worked.id}", headers=pool.headers("intermediary"),
                     json={"status": "cancelled"})
    assert r.status_code == 409                                        # the advice could not be followed

def _plan_week(client, pool):
    """Both workers available all week and a Mon–Wed request for two: the plan proposes six."""
    all_week = [{"weekday": d, "start": "06:00", "end": "20:00"} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        r = client.put(f"/api/v1/workers/{w}/availability", headers=pool.headers("intermediary"),
                       json={"weekly": all_week, "absences": []})
        assert r.status_code == 200, r.get_json()
    r = _request(client, pool, **WEEK, pattern=[
        {"weekday": d, "start": "07:00", "end": "15:30", "break_minutes": 30, "headcount": 2} for d in (0, 1, 2)])
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def _make_plan(client, pool):
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                    json={**WEEK, "time_limit_seconds": 10, "include_started": True})
    assert r.status_code == 202, r.get_json()
    return r.get_json()["id"]


def test_done_plan_stays_readable_and_refuses_publishing_after_its_request_is_deleted(
        client, pool, session, monkeypatch):
    monkeypatch.setattr(queue.huey, "immediate", True)
    rid = _plan_week(client, pool)
    plan_id = _make_plan(client, pool)
    h = pool.headers("intermediary")
    assert client.get(f"/api/v1/plans/{plan_id}", headers=h).get_json()["status"] == "done"
    assert len(client.get(f"/api/v1/plans/{plan_id}/assignments", headers=h).get_json()) == 6

    assert _delete(client, pool, rid).status_code == 204
    assert _count(session, Assignment) == 0

    assert client.get(f"/api/v1/plans/{plan_id}", headers=h).status_code == 200
    r = client.get(f"/api/v1/plans/{plan_id}/assignments", headers=h)
    assert r.status_code == 200 and r.get_json() == []
    assert client.get(f"/api/v1/plans/{plan_id}/unfilled", headers=h).status_code == 200
    assert client.get(f"/api/v1/plans/{plan_id}/instance", headers=h).status_code == 200
    r = client.post(f"/api/v1/plans/{plan_id}/publish", headers=h)
    assert r.status_code == 409, r.get_json()
    assert r.get_json()["rules"] == ["base_changed"] and "removed" in r.get_json()["message"]
    assert client.get("/api/v1/assignments", headers=h).get_json() == []


def test_queued_plan_fails_with_the_reason_when_its_request_is_deleted(client, pool, session, monkeypatch, app):
    monkeypatch.setattr(queue, "enqueue_plan", lambda plan_id, url: None)  # the job has not run yet
    rid = _plan_week(client, pool)
    plan_id = _make_plan(client, pool)

    assert _delete(client, pool, rid).status_code == 204
    planning.run_plan(app.extensions["banenpool.sessionmaker"], plan_id)  # the consumer picks it up later

    plan = client.get(f"/api/v1/plans/{plan_id}", headers=pool.headers("intermediary")).get_json()
    assert plan["status"] == "failed"
    assert f"capacity request {rid} was deleted" in plan["error"]
    assert _count(session, Assignment) == 0


# ---- clock changes (Europe/Amsterdam) -------------------------------------------------------

SPRING = {"start_date": "2026-03-29", "end_date": "2026-03-29"}  # a Sunday: 02:00 → 03:00
AUTUMN = {"start_date": "2026-10-25", "end_date": "2026-10-25"}  # a Sunday: 03:00 → 02:00


def _line(start, end, break_minutes=0, weekday=6):
    return {"weekday": weekday, "start": start, "end": end, "break_minutes": break_minutes, "headcount": 1}


def _shifts(client, pool):
    return client.get("/api/v1/shifts", headers=pool.headers("intermediary")).get_json()


def test_spring_forward_shift_with_no_time_after_its_break_is_422_naming_line_and_date(client, pool, session):
    r = _request(client, pool, **SPRING, pattern=[_line("08:00", "12:00"), _line("02:00", "03:00", 30)])
    assert r.status_code == 422, r.get_json()
    errors = r.get_json()["errors"]["json"]
    assert list(errors) == ["pattern"] and list(errors["pattern"]) == ["1"]
    assert list(errors["pattern"]["1"]) == ["start"]
    assert "2026-03-29" in errors["pattern"]["1"]["start"][0]
    assert _shifts(client, pool) == [] and _count(session, CapacityRequest) == 0


def test_spring_forward_shift_spanning_the_gap_is_named_by_its_end(client, pool):
    # 01:30–03:00 lasts 30 real minutes that night: no more than its 30 min break
    r = _request(client, pool, **SPRING, pattern=[_line("01:30", "03:00", 30)])
    assert r.status_code == 422, r.get_json()
    assert "2026-03-29" in r.get_json()["errors"]["json"]["pattern"]["0"]["end"][0]
    # the same line with a shorter break has time left and is paid its real half hour minus the break
    r = _request(client, pool, **SPRING, pattern=[_line("01:30", "03:00", 15)])
    assert r.status_code == 201, r.get_json()
    assert [s["paid_hours"] for s in _shifts(client, pool)] == ["0.25"]


def test_fall_back_shift_is_paid_its_real_two_hours(client, pool):
    r = _request(client, pool, **AUTUMN, pattern=[_line("02:00", "03:00", 30)])
    assert r.status_code == 201, r.get_json()
    [shift] = _shifts(client, pool)
    assert shift["start"] == "2026-10-25T02:00:00+02:00" and shift["end"] == "2026-10-25T03:00:00+01:00"
    assert shift["paid_hours"] == "1.50"  # 2 h between them, minus the 30 min break


def test_a_night_that_the_clocks_going_back_make_longer_than_12_hours_is_422_naming_the_date(client, pool):
    saturday = {"start_date": "2026-10-24", "end_date": "2026-10-24"}      # into Sunday 25 October, 03:00 → 02:00
    r = _request(client, pool, **saturday, pattern=[_line("18:00", "06:00", 45, weekday=5)])
    assert r.status_code == 422, r.get_json()
    message = r.get_json()["errors"]["json"]["pattern"]["0"]["end"][0]
    assert "2026-10-24" in message and "13 h" in message and "clocks go back" in message
    assert _shifts(client, pool) == []
    # an hour shorter it lasts 12 h that night: allowed, and paid its real time
    assert _request(client, pool, **saturday, pattern=[_line("19:00", "06:00", 45, weekday=5)]).status_code == 201
    [shift] = _shifts(client, pool)
    assert shift["paid_hours"] == "11.25"


def _contract(client, pool, **overrides):
    body = {"employer_id": pool.employer_a, "kind": "fixed", "hours_per_week": "20", "cao_code": "hoveniers",
            "start_date": "2026-01-01", "base_pattern": [_line("02:00", "03:00", 30)]}
    body["base_pattern"] = [{k: v for k, v in line.items() if k != "headcount"} for line in body["base_pattern"]]
    body.update(overrides)
    return client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"), json=body)


def test_contract_base_hours_over_spring_forward_are_422_naming_base_pattern(client, pool):
    r = _contract(client, pool)  # open-ended: meets 2026-03-29
    assert r.status_code == 422, r.get_json()
    errors = r.get_json()["errors"]["json"]
    assert "2026-03-29" in errors["base_pattern"]["0"]["start"][0]
    listed = client.get(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"))
    assert listed.get_json() == []
    # a contract that ends before the clocks go forward has no such night
    assert _contract(client, pool, end_date="2026-03-28").status_code == 201


@pytest.mark.parametrize("start_date", ["2029-03-26", "2026-10-26"])
def test_open_ended_base_hours_are_checked_up_to_the_next_spring_forward(client, pool, start_date):
    # 2029-03-26 is the day after that year's change; the next one is 2030-03-31, 53 weeks later
    r = _contract(client, pool, start_date=start_date)
    assert r.status_code == 422, r.get_json()
    assert "base_pattern" in r.get_json()["errors"]["json"]
