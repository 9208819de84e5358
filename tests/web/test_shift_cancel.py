"""Calling off one shift (rain, a machine down): the employer or the pool cancels it, its workers are
cancelled and told, a call less than 4 days ahead is still paid (art. 7:628a BW) and billed, and the
shift leaves the planning — through the real app, database, planner and calendar parsers."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import icalendar
import pytest
from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Assignment, Contract, OutboxMessage, Shift, Timesheet
from banenpool.services.instance_builder import build_instance
from tests.banenpool.test_billing import make_assignment
from tests.web.pages_data import csrf_token, login
from tests.web.test_calendar import calendar_url, fetch
from tests.web.test_shift_staffing import plan_one_day, request_page


def _shift_with_two(session, pool, days_ahead: int) -> tuple[int, int, int]:
    """A shift at employer A `days_ahead` days from now, 07:00-15:30, with x (no contract there: read as
    on-call) and y (a fixed contract at A) confirmed on it: (shift, x's assignment, y's assignment)."""
    session.add(Contract(worker_id=pool.worker_y, employer_id=pool.employer_a, kind="fixed",
                         hours_per_week=Decimal(24), cao_code="hoveniers", start_date=date(2026, 1, 1)))
    start = (datetime.now(AMS) + timedelta(days=days_ahead)).replace(hour=7, minute=0, second=0, microsecond=0)
    ax = make_assignment(session, pool.employer_a, pool.worker_x, start=start)
    shift_id = session.get(Assignment, ax).shift_id
    session.get(Shift, shift_id).headcount = 2
    ay = Assignment(shift_id=shift_id, worker_id=pool.worker_y, status="confirmed")
    session.add(ay)
    session.commit()
    return shift_id, ax, ay.id


def _statuses(session, shift_id):
    session.expire_all()
    return {a.worker_id: a.status for a in session.scalars(select(Assignment).where(Assignment.shift_id == shift_id))}


def test_an_employer_calls_off_a_shift_and_the_late_call_is_paid(client, pool, session):
    shift_id, ax, ay = _shift_with_two(session, pool, days_ahead=2)
    url = calendar_url(client, pool, pool.worker_x, "worker_x")["url"]
    before = fetch(client, url)
    r = client.post(f"/api/v1/shifts/{shift_id}/cancel", headers=pool.headers("employer_a"), json={"reason": "Regen"})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["cancelled_at"] and body["cancel_reason"] == "Regen" and body["filled"] == 0
    assert {(c["worker_id"], c["wages_owed"]) for c in body["cancelled"]} == {(pool.worker_x, True),
                                                                             (pool.worker_y, False)}
    assert _statuses(session, shift_id) == {pool.worker_x: "cancelled", pool.worker_y: "cancelled"}
    # x (on-call) is paid the 8 planned hours as a cancelled call; y (fixed hours) gets no extra timesheet
    sheets = session.execute(select(Timesheet.assignment_id, Timesheet.kind, Timesheet.status)).all()
    assert sheets == [(ax, "cancelled_call", "approved")]
    # both are told, with the reason
    told = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "schedule_changed")).all()
    assert {m.worker_id for m in told} == {pool.worker_x, pool.worker_y}
    assert all(m.payload["reason"] == "shift cancelled by the employer: Regen" for m in told)
    # the shift is gone from the lists and the demand, unless asked for
    h = pool.headers("employer_a")
    listed = client.get("/api/v1/shifts", headers=h).get_json()
    assert shift_id not in [s["id"] for s in listed]
    listed = client.get("/api/v1/shifts?include_cancelled=true", headers=h).get_json()
    assert [s["cancel_reason"] for s in listed if s["id"] == shift_id] == ["Regen"]
    # x's calendar shows the event cancelled, with the reason (read by icalendar and by vobject)
    after = fetch(client, url, **{"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    event = icalendar.Calendar.from_ical(after.data).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and "Dienst vervallen: Regen" in str(event["DESCRIPTION"])
    vobject = pytest.importorskip("vobject")
    v = vobject.readOne(after.text, validate=True).vevent
    assert v.status.value == "CANCELLED" and "Dienst vervallen: Regen" in v.description.value


def test_calling_off_a_shift_five_days_ahead_owes_nothing(client, pool, session):
    shift_id, _ax, _ay = _shift_with_two(session, pool, days_ahead=5)
    r = client.post(f"/api/v1/shifts/{shift_id}/cancel", headers=pool.headers("intermediary"), json={})
    assert r.status_code == 200, r.get_json()
    assert [c["wages_owed"] for c in r.get_json()["cancelled"]] == [False, False]
    assert r.get_json()["cancel_reason"] is None
    assert session.scalar(select(Timesheet.id)) is None


def test_a_cancelled_shift_takes_no_workers_or_changes_and_others_cannot_cancel(client, pool, session):
    shift_id, _ax, _ay = _shift_with_two(session, pool, days_ahead=3)
    path = f"/api/v1/shifts/{shift_id}/cancel"
    assert client.post(path, headers=pool.headers("employer_b"), json={}).status_code == 404
    assert client.post(path, headers=pool.headers("worker_x"), json={}).status_code == 403
    r = client.post(path, headers=pool.headers("employer_a"), json={"reason": "x" * 201})
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]["json"]
    assert _statuses(session, shift_id) == {pool.worker_x: "confirmed", pool.worker_y: "confirmed"}  # nothing written
    assert client.post(path, headers=pool.headers("employer_a"), json={}).status_code == 200
    h = pool.headers("intermediary")
    r = client.post(path, headers=h, json={})
    assert r.status_code == 409 and r.get_json()["rules"] == ["shift_cancelled"]
    r = client.patch(f"/api/v1/shifts/{shift_id}", headers=h, json={"headcount": 3})
    assert r.status_code == 409 and r.get_json()["rules"] == ["shift_cancelled"]
    r = client.post("/api/v1/assignments", headers=h, json={"shift_id": shift_id, "worker_id": pool.worker_x})
    assert r.status_code == 409 and r.get_json()["rules"] == ["shift_cancelled"]
    begun = make_assignment(session, pool.employer_a, pool.worker_x, start=datetime.now(AMS) - timedelta(hours=1))
    r = client.post(f"/api/v1/shifts/{session.get(Assignment, begun).shift_id}/cancel", headers=h, json={})
    assert r.status_code == 409 and r.get_json()["rules"] == ["shift_begun"]
    assert client.post("/api/v1/shifts/999999/cancel", headers=h, json={}).status_code == 404


def test_a_cancelled_shift_leaves_the_planning_and_a_plan_made_before_is_not_published(client, pool, session,
                                                                                       monkeypatch):
    h = pool.headers("intermediary")
    weekly = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]
    assert client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=h,
                      json={"weekly": weekly, "absences": []}).status_code == 200
    plan, (morning, afternoon) = plan_one_day(client, pool, session, monkeypatch, days_ahead=6,
                                              lines=(("09:00", "13:00"), ("14:00", "18:00")))
    assert plan["changes"]["added"] == 2
    assert client.post(f"/api/v1/shifts/{morning}/cancel", headers=pool.headers("employer_a"),
                       json={"reason": "Opdracht vervallen"}).status_code == 200
    r = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=h)
    assert r.status_code == 409 and r.get_json()["rules"] == ["base_changed"]
    assert f"shift {morning} it fills was called off or removed" in r.get_json()["message"]
    day = session.get(Shift, afternoon).start.astimezone(AMS).date()
    shifts = [s["id"] for s in build_instance(session, day, day).instance["shifts"]]
    assert str(afternoon) in shifts and str(morning) not in shifts


def test_the_employer_cancels_from_its_request_page(client, pool, session):
    shift_id, _ax, _ay = _shift_with_two(session, pool, days_ahead=2)
    request_id, page = request_page(client, session, pool, shift_id)
    assert f"/employer/shifts/{shift_id}/cancel" in page and "minder dan 4 dagen" in page   # in the confirmation
    r = client.post(f"/employer/shifts/{shift_id}/cancel", follow_redirects=True,
                    data={"csrf_token": csrf_token(page), "request_id": str(request_id), "reason": "Storm"})
    page = r.get_data(as_text=True)
    assert "is geannuleerd en de 2 medewerkers zijn ingelicht" in page
    assert "de 8 geplande uren worden aan 1 van hen betaald" in page
    assert "Geannuleerd" in page and "Storm" in page and f"/employer/shifts/{shift_id}/cancel" not in page
    iso = session.get(Shift, shift_id).start.astimezone(AMS).isocalendar()
    week = client.get(f"/employer/shifts?week={iso.year}-W{iso.week:02d}").get_data(as_text=True)
    assert "Geannuleerd" in week and "Storm" in week          # the week page shows it called off, with why
    # again (an old tab): refused in words, nothing changes
    r = client.post(f"/employer/shifts/{shift_id}/cancel", follow_redirects=True,
                    data={"csrf_token": csrf_token(page), "request_id": str(request_id), "reason": ""})
    assert "Dienst niet geannuleerd: deze dienst is geannuleerd" in r.get_data(as_text=True)
    assert session.scalar(select(Shift.cancel_reason).where(Shift.id == shift_id)) == "Storm"


def test_the_pool_cancels_from_the_staffing_page(client, pool, session):
    shift_id, _ax, _ay = _shift_with_two(session, pool, days_ahead=3)
    login(client, "intermediary")
    page = client.get(f"/shifts/{shift_id}/staff").get_data(as_text=True)
    assert "Dienst annuleren" in page and "De geplande uren worden toch betaald aan 1 van de medewerkers" in page
    r = client.post(f"/shifts/{shift_id}/cancel", follow_redirects=True,
                    data={"csrf_token": csrf_token(page), "reason": "Machine kapot"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "is geannuleerd en de 2 medewerkers zijn ingelicht" in page
    assert "Deze dienst is geannuleerd op" in page and "Machine kapot" in page
    assert "Wie kan deze dienst nemen?" not in page and "Dienst annuleren" not in page
    assert _statuses(session, shift_id) == {pool.worker_x: "cancelled", pool.worker_y: "cancelled"}
    # the week schedule no longer lists it
    day = session.get(Shift, shift_id).start.astimezone(AMS).date()
    iso = day.isocalendar()
    week = client.get(f"/schedule?week={iso.year}-W{iso.week:02d}").get_data(as_text=True)
    assert f"/shifts/{shift_id}/staff" not in week


def test_a_reason_with_control_characters_or_too_long_is_refused_on_the_page(client, pool, session):
    shift_id, _ax, _ay = _shift_with_two(session, pool, days_ahead=3)
    login(client, "intermediary")
    page = client.get(f"/shifts/{shift_id}/staff").get_data(as_text=True)
    for reason, said in (("Regen\x00", "mag geen stuurtekens bevatten"), ("x" * 201, "hoogstens 200 tekens")):
        r = client.post(f"/shifts/{shift_id}/cancel", data={"csrf_token": csrf_token(page), "reason": reason},
                        follow_redirects=True)
        assert r.status_code == 200 and "Dienst niet geannuleerd: Reden: " + said in r.get_data(as_text=True)
    assert _statuses(session, shift_id) == {pool.worker_x: "confirmed", pool.worker_y: "confirmed"}
    r = client.post(f"/api/v1/shifts/{shift_id}/cancel", headers=pool.headers("intermediary"),
                    json={"reason": "Regen\x0b"})
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]["json"]


def test_a_cancelled_shift_is_no_longer_an_open_slot_of_a_plan(client, pool, session, monkeypatch):
    plan, (shift_id,) = plan_one_day(client, pool, session, monkeypatch, days_ahead=6, skills=["heftruck"])
    h = pool.headers("intermediary")
    unfilled = client.get(f"/api/v1/plans/{plan['id']}/unfilled", headers=h).get_json()
    assert [u["shift_id"] for u in unfilled] == [shift_id]                 # nobody has the skill
    assert client.post(f"/api/v1/shifts/{shift_id}/cancel", headers=h, json={}).status_code == 200
    assert client.get(f"/api/v1/plans/{plan['id']}/unfilled", headers=h).get_json() == []
