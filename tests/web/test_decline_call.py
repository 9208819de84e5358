"""A worker refuses a late call: an on-call or min-max worker need not come when called less than 4
days before the shift (art. 7:628a BW, nl-facts §3). The moment of the call is when the shift was
published or assigned to them — through the real app, database and planner."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import icalendar
from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Assignment, Contract, Shift, Timesheet
from banenpool.services.instance_builder import build_instance
from tests.web.pages_data import csrf_token, login
from tests.web.test_calendar import calendar_url, fetch


def _call(client, pool, session, days_ahead: int, worker="worker_x") -> tuple[int, int]:
    """A shift at employer A at 09:00-13:00 `days_ahead` days after today, assigned by hand (the call is
    now): (shift, assignment). Both workers are available every day 06:00-22:00."""
    h = pool.headers("intermediary")
    weekly = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        r = client.put(f"/api/v1/workers/{w}/availability", headers=h, json={"weekly": weekly, "absences": []})
        assert r.status_code == 200, r.get_json()
    start = datetime.combine(datetime.now(AMS).date() + timedelta(days=days_ahead), time(9), AMS)
    shift = Shift(employer_id=pool.employer_a, start=start, end=start + timedelta(hours=4), break_minutes=0,
                  paid_hours=Decimal(4), headcount=1)
    session.add(shift)
    session.commit()
    r = client.post("/api/v1/assignments", headers=h, json={"shift_id": shift.id, "worker_id": getattr(pool, worker)})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["confirmed_at"]
    return shift.id, r.get_json()["id"]


def test_an_on_call_worker_refuses_a_call_made_three_days_ahead(client, pool, session):
    shift_id, a = _call(client, pool, session, days_ahead=3)
    url = calendar_url(client, pool, pool.worker_x, "worker_x")["url"]
    # only the worker themselves: another worker sees no such assignment, nor do the employer or pool act for them
    assert client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_y")).status_code == 404
    assert client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("employer_a")).status_code == 403
    r = client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_x"))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "cancelled" and r.get_json()["declined_at"]
    assert session.scalar(select(Timesheet.id)) is None            # refused by the worker: no wages owed
    # the shift is open again; the pool's staffing page says who refused
    listed = client.get("/api/v1/shifts", headers=pool.headers("intermediary")).get_json()
    assert [s["filled"] for s in listed if s["id"] == shift_id] == [0]
    login(client, "intermediary")
    page = client.get(f"/shifts/{shift_id}/staff").get_data(as_text=True)
    assert "Weigerde de oproep" in page and "Sanne Scholten" in page.split("Weigerde de oproep")[1]
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Geweigerde oproepen" in dashboard
    assert f"/shifts/{shift_id}/staff" in dashboard.split("Geweigerde oproepen")[1].split("</ul>")[0]
    # once somebody else takes the place, the dashboard no longer asks the pool to fill it
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": shift_id, "worker_id": pool.worker_y})
    assert r.status_code == 201, r.get_json()
    assert "Geweigerde oproepen" not in client.get("/dashboard").get_data(as_text=True)
    # the worker's calendar says refused
    event = icalendar.Calendar.from_ical(fetch(client, url).data).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and str(event["SUMMARY"]).startswith("Geweigerd: ")
    # once is enough
    r = client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_x"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["not_confirmed"]


def test_a_call_made_four_days_ahead_stands(client, pool, session):
    _shift, a = _call(client, pool, session, days_ahead=5)      # at least 4 days and 9 hours ahead
    r = client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_x"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["call_in_time"]
    # the call is when the shift was given: exactly 4 days before it is in time, a minute later is not
    assignment = session.get(Assignment, a)
    assignment.confirmed_at = assignment.shift.start - timedelta(days=4)
    session.commit()
    r = client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_x"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["call_in_time"]
    session.expire_all()
    assert session.get(Assignment, a).status == "confirmed"
    assignment = session.get(Assignment, a)
    assignment.confirmed_at = assignment.shift.start - timedelta(days=4) + timedelta(minutes=1)
    session.commit()
    assert client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_x")).status_code == 200


def test_a_worker_with_fixed_hours_cannot_refuse(client, pool, session):
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="fixed",
                         hours_per_week=Decimal(24), cao_code="hoveniers", start_date=date(2026, 1, 1)))
    session.commit()
    _shift, a = _call(client, pool, session, days_ahead=2)
    r = client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_x"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["fixed_hours"]


def test_a_refused_shift_is_not_planned_for_that_worker_again(client, pool, session):
    shift_id, a = _call(client, pool, session, days_ahead=2)
    assert client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_x")).status_code == 200
    day = session.get(Shift, shift_id).start.astimezone(AMS).date()
    workers = {w["id"]: w for w in build_instance(session, day, day).instance["workers"]}
    assert str(shift_id) in workers[str(pool.worker_x)].get("excluded", [])
    assert str(shift_id) not in workers[str(pool.worker_y)].get("excluded", [])
    # given back by hand (the worker agreed on the phone after all), the bar is lifted
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": shift_id, "worker_id": pool.worker_x})
    assert r.status_code == 201, r.get_json()
    workers = {w["id"]: w for w in build_instance(session, day, day).instance["workers"]}
    assert str(shift_id) not in workers[str(pool.worker_x)].get("excluded", [])


def test_the_worker_refuses_from_the_schedule_page(client, pool, session):
    _late, a = _call(client, pool, session, days_ahead=2)
    start = datetime.combine((datetime.now(AMS) + timedelta(days=9)).date(), time(9), AMS)
    later = Shift(employer_id=pool.employer_a, start=start, end=start + timedelta(hours=4), paid_hours=Decimal(4))
    session.add(later)
    session.commit()
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": later.id, "worker_id": pool.worker_x})
    in_time = r.get_json()["id"]
    login(client, "worker_x")
    page = client.get("/me?from=" + datetime.now(AMS).date().isoformat()).get_data(as_text=True)
    assert f"/me/assignments/{a}/decline" in page and f"/me/assignments/{in_time}/decline" not in page
    r = client.post(f"/me/assignments/{a}/decline", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Je hebt de dienst van" in page and "geweigerd" in page
    assert f"/me/assignments/{a}/decline" not in page
    r = client.post(f"/me/assignments/{in_time}/decline", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Niet geweigerd: je bent minstens 4 dagen voor de dienst opgeroepen" in r.get_data(as_text=True)


def test_publishing_a_plan_is_the_call(app, client, pool, session):
    """A plan's assignments are made when it runs and called when it is published: confirmed_at is the
    publication, so the 4 days count from there."""
    from banenpool.models import Plan
    from tests.web.pages_data import staff
    staffed = staff(app, session, pool)
    published = session.get(Plan, staffed.plan_id).published_at
    made = session.scalars(select(Assignment).where(Assignment.plan_id == staffed.plan_id)).all()
    assert made and {a.confirmed_at for a in made} == {published}
    assert all(a.created_at < published for a in made)


def test_a_late_cancelled_call_given_back_cannot_be_refused_so_its_wages_are_not_lost(client, pool, session):
    """Called 10 days ahead, cancelled by the pool 2 days ahead (wages owed), given back: the shift keeps
    the first call, so it is not a new late call to refuse (refusing would drop the owed wages). If the
    worker cannot come, the pool cancels again, and the wages are owed again."""
    shift_id, a = _call(client, pool, session, days_ahead=2)
    session.get(Assignment, a).confirmed_at = session.get(Shift, shift_id).start - timedelta(days=10)
    session.commit()
    h = pool.headers("intermediary")
    assert client.patch(f"/api/v1/assignments/{a}", headers=h, json={"status": "cancelled"}).status_code == 200
    assert session.scalar(select(Timesheet.kind).where(Timesheet.assignment_id == a)) == "cancelled_call"
    r = client.post("/api/v1/assignments", headers=h, json={"shift_id": shift_id, "worker_id": pool.worker_x})
    assert r.status_code == 201
    again = r.get_json()["id"]
    session.expire_all()
    assert session.scalar(select(Timesheet.id)) is None                    # worked now: the pay is undone
    r = client.post(f"/api/v1/assignments/{again}/decline", headers=pool.headers("worker_x"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["call_in_time"]
    assert client.patch(f"/api/v1/assignments/{again}", headers=h, json={"status": "cancelled"}).status_code == 200
    assert session.scalar(select(Timesheet.kind).where(Timesheet.assignment_id == again)) == "cancelled_call"


def test_a_proposal_is_not_the_workers_to_refuse(client, pool, session):
    shift_id, a = _call(client, pool, session, days_ahead=2)
    proposal = Assignment(shift_id=shift_id, worker_id=pool.worker_y, status="proposed")
    session.add(proposal)
    session.commit()
    r = client.post(f"/api/v1/assignments/{proposal.id}/decline", headers=pool.headers("worker_y"))
    assert r.status_code == 404          # as GET /assignments/{id}: an unpublished plan is not shown
    assert client.get(f"/api/v1/assignments/{proposal.id}", headers=pool.headers("worker_y")).status_code == 404


def test_the_staffing_page_names_each_refusal_once_and_not_who_took_it_back(client, pool, session):
    shift_id, a = _call(client, pool, session, days_ahead=2)
    assert client.post(f"/api/v1/assignments/{a}/decline", headers=pool.headers("worker_x")).status_code == 200
    login(client, "intermediary")
    page = client.get(f"/shifts/{shift_id}/staff").get_data(as_text=True)
    assert page.split("Weigerde de oproep")[1].split("</p>")[0].count("Sanne Scholten") == 1
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": shift_id, "worker_id": pool.worker_x})
    assert r.status_code == 201
    assert "Weigerde de oproep" not in client.get(f"/shifts/{shift_id}/staff").get_data(as_text=True)
