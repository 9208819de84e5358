"""A shift's staffing page: who has it, who could take it (and why others cannot), assigning
a worker by hand and cancelling, through the real app and the real rules engines."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Assignment, Contract, Shift, Timesheet
from banenpool.principal import SYSTEM
from banenpool.services import capacity, registry
from tests.banenpool.test_billing import make_assignment, work
from tests.web.pages_data import SUNDAY, csrf_token, login, staff

SATURDAY = date(2026, 3, 28)


@pytest.fixture
def staffed(app, session, pool):
    return staff(app, session, pool)


def _saturday_shift(session, pool, headcount=2) -> int:
    """A Saturday shift at employer A needing 'groen' (both workers have it); worker y is on leave that day."""
    capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_a, "title": "Zaterdag", "skills": ["groen"], "start_date": SATURDAY,
        "end_date": SUNDAY, "pattern": [{"weekday": 5, "start": "07:00", "end": "15:30", "break_minutes": 30,
                                         "headcount": headcount}]})
    weekly = [{"weekday": d, "start": time(6), "end": time(22)} for d in range(7)]
    leave = {"start": datetime(2026, 3, 28, tzinfo=AMS), "end": datetime(2026, 3, 29, tzinfo=AMS), "reason": "leave"}
    registry.set_availability(session, SYSTEM, pool.worker_y, weekly, [leave])
    session.commit()
    return session.scalar(select(Shift.id).where(Shift.start == datetime(2026, 3, 28, 7, tzinfo=AMS)))


def _page(client, shift_id) -> str:
    r = client.get(f"/shifts/{shift_id}/staff")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def _candidates(page: str) -> str:
    return page.split("Wie kan deze dienst nemen?")[1]


def test_the_page_says_who_can_take_a_shift_and_assigning_from_it_confirms(client, pool, staffed, session):
    shift_id = _saturday_shift(session, pool)
    login(client, "intermediary")
    page = _page(client, shift_id)
    assert "0 van 2 plaatsen gevuld" in page and "Nog niemand heeft deze dienst." in page
    rows = _candidates(page)
    # x can take it (a button to assign), y is on leave (the reason, no button); x is listed first
    assert rows.index("Sanne Scholten") < rows.index("Daan Nijhuis")
    assert f'name="worker_id" value="{pool.worker_x}"' in rows
    assert f'name="worker_id" value="{pool.worker_y}"' not in rows
    assert "niet beschikbaar (verlof, afwezig of buiten hun uren)" in rows

    r = client.post(f"/shifts/{shift_id}/assign", data={"csrf_token": csrf_token(page), "worker_id": pool.worker_x})
    assert r.status_code == 302
    page = _page(client, shift_id)
    assert "heeft de dienst" in page and "1 van 2 plaatsen gevuld" in page
    assert session.scalars(select(Assignment.worker_id).where(Assignment.shift_id == shift_id,
                                                              Assignment.status == "confirmed")).all() == [pool.worker_x]
    assert "/assignments/" in page.split("Wie kan deze dienst nemen?")[0]      # a cancel button for x

    # y is refused by the rules, in Dutch, and nothing is written
    r = client.post(f"/shifts/{shift_id}/assign", data={"csrf_token": csrf_token(page), "worker_id": pool.worker_y})
    page = _page(client, shift_id)
    assert "Niet toegewezen: niet beschikbaar (verlof, afwezig of buiten hun uren)" in page
    assert session.scalar(select(Assignment).where(Assignment.shift_id == shift_id,
                                                   Assignment.worker_id == pool.worker_y)) is None


def test_a_shift_nobody_has_the_skills_for_says_so(client, pool, staffed, session):
    heftruck = session.scalar(select(Shift.id).where(Shift.start == datetime(2026, 3, 27, 8, tzinfo=AMS)))
    login(client, "intermediary")
    rows = _candidates(_page(client, heftruck))
    assert "Geen medewerker heeft de vaardigheden die deze dienst vraagt." in rows
    assert "2 andere medewerkers missen een vaardigheid die deze dienst vraagt." in rows


def _late_call(session, pool) -> tuple[int, int]:
    """Worker x, on call at employer A, has a shift two days from now: (assignment id, shift id)."""
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="on_call",
                         hours_per_week=Decimal(12), cao_code="hoveniers", start_date=date(2026, 1, 1)))
    session.commit()
    start = (datetime.now(AMS) + timedelta(days=2)).replace(hour=7, minute=0, second=0, microsecond=0)
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=start)
    return a, session.get(Assignment, a).shift_id


def test_cancelling_a_late_call_says_the_wages_are_owed(client, pool, session):
    a, shift_id = _late_call(session, pool)
    login(client, "intermediary")
    page = _page(client, shift_id)
    assert "binnen 4 dagen: loon verschuldigd" in page
    assert "De dienst begint binnen 4 dagen: de 8 geplande uren zijn als loon verschuldigd" in page   # in the confirmation
    r = client.post(f"/assignments/{a}/cancel", data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302
    page = _page(client, shift_id)
    assert "Minder dan 4 dagen vooraf afgezegd: de 8 geplande uren zijn als loon verschuldigd" in page
    session.expire_all()
    assert session.get(Assignment, a).status == "cancelled"
    assert session.scalar(select(Timesheet.kind).where(Timesheet.assignment_id == a)) == "cancelled_call"


@pytest.mark.parametrize("role", ["employer_a", "worker_x"])
def test_only_the_intermediary_staffs_shifts(client, pool, staffed, session, role):
    shift_id = _saturday_shift(session, pool)
    a = session.scalar(select(Assignment.id).where(Assignment.status == "confirmed"))
    login(client, role)
    page = client.get("/me" if role == "worker_x" else "/employer/requests").get_data(as_text=True)
    token = csrf_token(page)
    assert client.get(f"/shifts/{shift_id}/staff").status_code == 403
    assert client.post(f"/shifts/{shift_id}/assign", data={"csrf_token": token, "worker_id": pool.worker_x}).status_code == 403
    assert client.post(f"/assignments/{a}/cancel", data={"csrf_token": token}).status_code == 403
    session.expire_all()
    assert session.get(Assignment, a).status == "confirmed"
    assert session.scalar(select(Assignment).where(Assignment.shift_id == shift_id)) is None


def test_an_unknown_shift_is_a_404_page(client, pool, staffed):
    login(client, "intermediary")
    r = client.get("/shifts/99999/staff")
    assert r.status_code == 404 and r.mimetype == "text/html"


def test_odd_worker_ids_are_refused_in_words(client, pool, staffed, session):
    shift_id = _saturday_shift(session, pool)
    login(client, "intermediary")
    page = _page(client, shift_id)
    for worker_id, says in (("100000000000000000000", "Kies een medewerker."), ("abc", "Kies een medewerker."),
                            ("999999", "Niet toegewezen: die medewerker of dienst bestaat niet (meer).")):
        r = client.post(f"/shifts/{shift_id}/assign", data={"csrf_token": csrf_token(page), "worker_id": worker_id},
                        follow_redirects=True)
        assert r.status_code == 200 and says in r.get_data(as_text=True), worker_id


def test_a_refused_assignment_says_every_broken_rule_in_dutch(client, pool, staffed, session):
    """Worker x works Monday 07:00-15:30 (the published plan gave one of the two workers each of
    Mon-Wed); a second Monday shift overlapping it breaks the planner's rule and the law's."""
    monday = session.scalar(select(Assignment).join(Shift).where(Shift.start == datetime(2026, 3, 23, 7, tzinfo=AMS),
                                                                 Assignment.status == "confirmed"))
    capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_b, "title": "Dubbel", "skills": [], "start_date": date(2026, 3, 23),
        "end_date": date(2026, 3, 23), "pattern": [{"weekday": 0, "start": "12:00", "end": "16:00", "headcount": 1}]})
    session.commit()
    other = session.scalar(select(Shift.id).where(Shift.start == datetime(2026, 3, 23, 12, tzinfo=AMS)))
    login(client, "intermediary")
    page = _page(client, other)
    r = client.post(f"/shifts/{other}/assign", data={"csrf_token": csrf_token(page), "worker_id": monday.worker_id},
                    follow_redirects=True)
    body = r.get_data(as_text=True)
    assert "Niet toegewezen: heeft op dat moment een andere dienst" in body
    assert "W07:" not in body and "overlaps" not in body


def test_giving_a_late_cancelled_call_back_removes_its_pay(client, pool, session):
    """Cancelled less than 4 days ahead (paid), then given back to the same worker: paid once, as worked."""
    registry.set_availability(session, SYSTEM, pool.worker_x,
                              [{"weekday": d, "start": time(6), "end": time(22)} for d in range(7)], [])
    a, shift_id = _late_call(session, pool)
    login(client, "intermediary")
    page = _page(client, shift_id)
    client.post(f"/assignments/{a}/cancel", data={"csrf_token": csrf_token(page)})
    assert session.scalar(select(Timesheet.kind).where(Timesheet.assignment_id == a)) == "cancelled_call"
    page = _page(client, shift_id)
    r = client.post(f"/shifts/{shift_id}/assign", data={"csrf_token": csrf_token(page), "worker_id": pool.worker_x})
    assert r.status_code == 302
    session.expire_all()
    assert session.scalar(select(Timesheet).where(Timesheet.assignment_id == a)) is None
    assert session.scalars(select(Assignment.status).where(Assignment.shift_id == shift_id)
                           .order_by(Assignment.id)).all() == ["cancelled", "confirmed"]


def test_the_api_says_who_can_take_a_shift(client, pool, staffed, session):
    shift_id = _saturday_shift(session, pool)
    r = client.get(f"/api/v1/shifts/{shift_id}/candidates", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert (body["shift_id"], body["headcount"], body["assignment_ids"]) == (shift_id, 2, [])
    by_worker = {c["worker_id"]: c for c in body["candidates"]}
    assert by_worker[pool.worker_x]["can_take"] is True and by_worker[pool.worker_x]["reasons"] == []
    assert by_worker[pool.worker_y]["can_take"] is False
    assert [reason["rule"] for reason in by_worker[pool.worker_y]["reasons"]] == ["W06"]
    assert [c["worker_id"] for c in body["candidates"]] == [pool.worker_x, pool.worker_y]
    for who in ("employer_a", "worker_x"):
        assert client.get(f"/api/v1/shifts/{shift_id}/candidates", headers=pool.headers(who)).status_code == 403
    assert client.get("/api/v1/shifts/99999/candidates", headers=pool.headers("intermediary")).status_code == 404


def request_page(client, session, pool, shift_id) -> tuple[int, str]:
    """Employer A's shift put on a capacity request of its own; employer A logged in on that request's
    page: (request id, the page)."""
    from banenpool.models import CapacityRequest
    request = CapacityRequest(employer_id=pool.employer_a, title="Extra", skills=[], start_date=date(2026, 12, 1),
                              end_date=date(2026, 12, 31), pattern=[], scale="A")
    session.add(request)
    session.flush()
    session.get(Shift, shift_id).request_id = request.id
    session.commit()
    login(client, "employer_a")
    return request.id, client.get(f"/employer/requests/{request.id}").get_data(as_text=True)


def test_an_employer_changes_how_many_workers_a_coming_shift_needs(client, pool, session):
    """Up or down, not below the workers confirmed on it, only its own shifts, never one that began."""
    a, shift_id = _late_call(session, pool)                         # one worker confirmed, two days ahead
    path, h = f"/api/v1/shifts/{shift_id}", pool.headers("employer_a")
    r = client.patch(path, headers=h, json={"headcount": 3})
    assert r.status_code == 200 and (r.get_json()["headcount"], r.get_json()["filled"]) == (3, 1)
    r = client.patch(path, headers=h, json={"headcount": 0})
    assert r.status_code == 422
    assert client.patch(path, headers=pool.headers("employer_b"), json={"headcount": 2}).status_code == 404
    assert client.patch(path, headers=pool.headers("worker_x"), json={"headcount": 2}).status_code == 403
    # a capacity request page (its own) changes it too, and refuses going below the confirmed worker
    request_id, page = request_page(client, session, pool, shift_id)
    assert f"/employer/shifts/{shift_id}/headcount" in page
    form = {"csrf_token": csrf_token(page), "request_id": str(request_id)}
    r = client.post(f"/employer/shifts/{shift_id}/headcount", data={**form, "headcount": "2"}, follow_redirects=True)
    assert "heeft nu 2 medewerkers nodig" in r.get_data(as_text=True)
    r = client.post(f"/employer/shifts/{shift_id}/headcount", data={**form, "headcount": "0"}, follow_redirects=True)
    assert "Niet gewijzigd" in r.get_data(as_text=True)
    session.add(Assignment(shift_id=shift_id, worker_id=pool.worker_y, status="confirmed"))   # 2 of 2 now
    session.commit()
    h = pool.headers("intermediary")
    r = client.patch(path, headers=h, json={"headcount": 1})
    assert r.status_code == 409 and r.get_json()["rules"] == ["below_assigned"]
    session.expire_all()
    assert session.get(Shift, shift_id).headcount == 2
    begun = make_assignment(session, pool.employer_a, pool.worker_x,
                            start=datetime.now(AMS) - timedelta(hours=1))
    r = client.patch(f"/api/v1/shifts/{session.get(Assignment, begun).shift_id}", headers=h, json={"headcount": 2})
    assert r.status_code == 409 and r.get_json()["rules"] == ["shift_begun"]


def plan_one_day(client, pool, session, monkeypatch, days_ahead: int, skills=(), lines=(("09:00", "13:00"),),
                 headcount: int = 1):
    """A request of employer A for one day `days_ahead` days from now (`lines`: start and end of each
    shift), planned through the API and the job queue (run at once): (the plan, the shift ids by start)."""
    from banenpool import queue
    monkeypatch.setattr(queue.huey, "immediate", True)
    day = (datetime.now(AMS) + timedelta(days=days_ahead)).date()
    h = pool.headers("intermediary")
    body = {"employer_id": pool.employer_a, "title": "Later", "skills": list(skills), "start_date": day.isoformat(),
            "end_date": day.isoformat(), "pattern": [{"weekday": day.weekday(), "start": start, "end": end,
                                                      "headcount": headcount} for start, end in lines]}
    assert client.post("/api/v1/capacity-requests", headers=h, json=body).status_code == 201
    plan = client.post("/api/v1/plans", headers=h, json={"start_date": day.isoformat(), "end_date": day.isoformat(),
                                                          "time_limit_seconds": 5}).get_json()
    plan = client.get(f"/api/v1/plans/{plan['id']}", headers=h).get_json()
    ids = [session.scalar(select(Shift.id).where(Shift.start == datetime.combine(day, time.fromisoformat(start), AMS)))
           for start, _end in lines]
    return plan, ids


def test_a_plan_made_before_a_headcount_change_publishes_when_it_still_holds(client, pool, session, monkeypatch):
    """One more worker asked for since the plan: its one call still keeps every rule, so it is
    published and says what changed; the second place stays open for the next plan. Asked for one
    fewer than the plan fills, it no longer holds (409)."""
    h = pool.headers("intermediary")
    weekly = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        assert client.put(f"/api/v1/workers/{w}/availability", headers=h,
                          json={"weekly": weekly, "absences": []}).status_code == 200
    plan, (shift_id,) = plan_one_day(client, pool, session, monkeypatch, days_ahead=3)
    assert client.patch(f"/api/v1/shifts/{shift_id}", headers=pool.headers("employer_a"),
                        json={"headcount": 2}).status_code == 200
    r = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=h)
    assert r.status_code == 200, r.get_json()
    assert f"shift {shift_id} changed (headcount)" in r.get_json()["changes"]["data_changed"]
    confirmed = [a for a in client.get("/api/v1/assignments", headers=h).get_json() if a["shift_id"] == shift_id]
    assert [a["status"] for a in confirmed] == ["confirmed"]


def test_a_plan_that_fills_more_places_than_the_shift_now_has_is_not_published(client, pool, session, monkeypatch):
    h = pool.headers("intermediary")
    weekly = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        assert client.put(f"/api/v1/workers/{w}/availability", headers=h,
                          json={"weekly": weekly, "absences": []}).status_code == 200
    plan, (shift_id,) = plan_one_day(client, pool, session, monkeypatch, days_ahead=3, headcount=2)
    assert plan["changes"]["added"] == 2
    assert client.patch(f"/api/v1/shifts/{shift_id}", headers=pool.headers("employer_a"),
                        json={"headcount": 1}).status_code == 200
    r = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=h)
    assert r.status_code == 409 and r.get_json()["rules"] == ["base_changed"]
    assert f"{shift_id} has 2 workers" in r.get_json()["message"] and "but headcount 1" in r.get_json()["message"]
    assert [a for a in client.get("/api/v1/assignments", headers=h).get_json() if a["status"] == "confirmed"] == []


def test_the_pool_changes_the_headcount_on_the_staffing_page(client, pool, session):
    a, shift_id = _late_call(session, pool)                         # one worker confirmed, two days ahead
    login(client, "intermediary")
    page = _page(client, shift_id)
    assert f"/shifts/{shift_id}/headcount" in page and "1 van 1 plaatsen gevuld" in page
    r = client.post(f"/shifts/{shift_id}/headcount", data={"csrf_token": csrf_token(page), "headcount": "3"},
                    follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "heeft nu 3 medewerkers nodig" in page and "1 van 3 plaatsen gevuld" in page
    for bad in ("0", "x", "１"):
        r = client.post(f"/shifts/{shift_id}/headcount", data={"csrf_token": csrf_token(page), "headcount": bad},
                        follow_redirects=True)
        assert "Niet gewijzigd" in r.get_data(as_text=True), bad
    session.expire_all()
    assert session.get(Shift, shift_id).headcount == 3


def test_the_plans_page_counts_the_open_shifts_the_open_shifts_page_lists(client, pool, session, monkeypatch):
    """A shift called off after the plan is no longer open: the plans page's count and its link agree."""
    plan, (morning, afternoon) = plan_one_day(client, pool, session, monkeypatch, days_ahead=6, skills=("heftruck",),
                                              lines=(("09:00", "13:00"), ("14:00", "18:00")))
    login(client, "intermediary")
    assert "2 diensten open" in client.get("/plans").get_data(as_text=True)
    assert client.post(f"/api/v1/shifts/{morning}/cancel", headers=pool.headers("employer_a"),
                       json={"reason": "Opdracht vervallen"}).status_code == 200
    listing = client.get("/plans").get_data(as_text=True)
    assert "1 diensten open" in listing and "2 diensten open" not in listing
    page = client.get(f"/open-shifts?plan={plan['id']}").get_data(as_text=True)
    assert f"/shifts/{afternoon}/staff" in page and f"/shifts/{morning}/staff" not in page


def test_open_shifts_of_a_deleted_request_are_no_longer_listed(client, pool, session, monkeypatch):
    """A done plan's open slots on shifts deleted since (with their capacity request) are not listed:
    not in GET /plans/{id}/unfilled, not on the open-shifts page (whose links would be 404s)."""
    plan, (shift_id,) = plan_one_day(client, pool, session, monkeypatch, days_ahead=6, skills=("heftruck",))
    h = pool.headers("intermediary")
    assert [u["shift_id"] for u in client.get(f"/api/v1/plans/{plan['id']}/unfilled", headers=h).get_json()] == \
        [shift_id]
    request_id = session.get(Shift, shift_id).request_id
    assert client.delete(f"/api/v1/capacity-requests/{request_id}", headers=h).status_code == 204
    assert client.get(f"/api/v1/plans/{plan['id']}/unfilled", headers=h).get_json() == []
    login(client, "intermediary")
    assert f"/shifts/{shift_id}/staff" not in client.get(f"/open-shifts?plan={plan['id']}").get_data(as_text=True)
    assert "diensten open" not in client.get("/plans").get_data(as_text=True)


def test_a_worker_whose_hours_are_approved_gets_no_cancel_button(client, pool, session):
    """Cancelling them is refused (409 timesheet_approved: the hours are paid and billed), so the page offers
    no button for them; a worker on the same past shift without approved hours keeps theirs."""
    approved = work(client, pool, "employer_a", "worker_x", session=session)
    shift_id = session.get(Assignment, approved).shift_id
    session.add(Assignment(shift_id=shift_id, worker_id=pool.worker_y, status="confirmed"))
    session.commit()
    login(client, "intermediary")
    page = _page(client, shift_id)
    assert "uren goedgekeurd" in page
    assert f"/assignments/{approved}/cancel" not in page and page.count("/cancel\"") == 1
