"""A call cancelled less than 4 days ahead is paid as planned (art. 7:628a BW, nl-facts §3)."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from banenpool.calendar_nl import AMS
from banenpool.models import Contract, Timesheet
from tests.banenpool.test_billing import make_assignment


def _contract(session, pool, kind):
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind=kind,
                         hours_per_week=Decimal(12), cao_code="hoveniers",
                         start_date=date(2026, 1, 1)))
    session.commit()


def _ahead(days: float) -> datetime:
    """A shift start `days` from now, on a whole quarter hour (Amsterdam)."""
    moment = (datetime.now(timezone.utc) + timedelta(days=days)).astimezone(AMS)
    return moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)


def _cancel(client, pool, assignment_id):
    return client.patch(f"/api/v1/assignments/{assignment_id}", headers=pool.headers("intermediary"),
                        json={"status": "cancelled"})


def _payroll(client, pool, start):
    day = start.date().isoformat()
    r = client.get(f"/api/v1/payroll?period_start={day}&period_end={day}", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


@pytest.mark.parametrize("kind", ["on_call", "min_max"])
def test_a_call_cancelled_two_days_ahead_is_paid_and_billed(client, pool, session, kind):
    _contract(session, pool, kind)
    start = _ahead(2)
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=start, hours=8.5, break_minutes=30)
    assert _cancel(client, pool, a).status_code == 200
    sheet = client.get(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers("worker_x")).get_json()
    assert sheet["kind"] == "cancelled_call" and sheet["status"] == "approved" and sheet["hours"] == "8.00"
    (worker,) = _payroll(client, pool, start)["workers"]
    assert worker["worker_id"] == pool.worker_x and Decimal(worker["hours"]) == Decimal("8.00")
    day = start.date().isoformat()
    draft = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                        json={"employer_id": pool.employer_a, "period_start": day, "period_end": day}).get_json()
    assert draft["lines"] and all(l["assignment_id"] == a for l in draft["lines"])
    assert draft["lines"][0]["description"].startswith("Afgezegd binnen 4 dagen, loon verschuldigd: Basisuren")
    from tests.web.pages_data import login
    login(client, "employer_a")
    page = client.get("/employer/timesheets").get_data(as_text=True)
    assert "laat afgezegd, betaald" in page
    assert f"/employer/timesheets/{a}/reopen" not in page     # owed by law: nothing to reopen
    login(client, "worker_x")
    schedule = client.get(f"/me?from={start.date().isoformat()}").get_data(as_text=True)
    assert "afgezegd" in schedule and "je krijgt er loon voor" in schedule


@pytest.mark.parametrize("kind, days", [("on_call", 5), ("fixed", 2)])
def test_cancelled_in_time_or_under_a_fixed_contract_nothing_is_owed(client, pool, session, kind, days):
    _contract(session, pool, kind)
    start = _ahead(days)
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=start)
    assert _cancel(client, pool, a).status_code == 200
    assert session.query(Timesheet).filter_by(assignment_id=a).first() is None
    assert _payroll(client, pool, start)["workers"] == []


def test_a_shift_that_has_begun_is_not_paid_when_cancelled(client, pool, session):
    """Cancelling a shift that started (or is over) corrects the schedule: it was not worked."""
    _contract(session, pool, "on_call")
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=_ahead(-0.1))
    assert _cancel(client, pool, a).status_code == 200
    assert session.query(Timesheet).filter_by(assignment_id=a).first() is None


def test_the_pay_for_a_late_cancelled_call_is_not_reopened(client, pool, session):
    _contract(session, pool, "on_call")
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=_ahead(1))
    assert _cancel(client, pool, a).status_code == 200
    r = client.post(f"/api/v1/assignments/{a}/timesheet/reopen", headers=pool.headers("intermediary"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["cancelled_call"]


def test_a_worker_without_a_contract_is_paid_as_on_call(client, pool, session):
    """The pay engine reads a missing contract as an on-call contract; so does the notice rule."""
    start = _ahead(3)
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=start)
    assert _cancel(client, pool, a).status_code == 200
    assert session.query(Timesheet).filter_by(assignment_id=a).one().kind == "cancelled_call"


def _availability(client, pool, absences=()):
    """Worker x available 06:00-20:00 every day, with these absences."""
    body = {"weekly": [{"weekday": d, "start": "06:00", "end": "20:00"} for d in range(7)], "absences": list(absences)}
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 200, r.get_json()


def _absent(client, pool, day_start, reason):
    _availability(client, pool, [{"start": day_start.isoformat(), "end": (day_start + timedelta(hours=24)).isoformat(),
                                  "reason": reason}])


@pytest.mark.parametrize("reason", ["sick", "leave"])
def test_a_call_cancelled_because_the_worker_is_absent_is_not_owed(client, pool, session, reason):
    """The worker reported sick (or took leave): the employer did not cancel, 7:628a does not apply."""
    _contract(session, pool, "on_call")
    start = _ahead(2)
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=start)
    _absent(client, pool, start.replace(hour=0, minute=0), reason)
    assert _cancel(client, pool, a).status_code == 200
    assert session.query(Timesheet).filter_by(assignment_id=a).first() is None
    assert _payroll(client, pool, start)["workers"] == []


def _warned_on_the_plans_page(client, pool, plan):
    from tests.web.pages_data import login
    login(client, "intermediary")
    page = client.get("/plans").get_data(as_text=True)
    assert "1 van de afgezegde oproepen begint binnen 4 dagen: 8 uur loon verschuldigd" in page
    assert "1 afgezegde oproepen beginnen binnen 4 dagen" in page     # in the publish confirmation


def _plan_and_publish(client, pool, before_publishing=None):
    from tests.web.test_plans import get, publish
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                    json={"start_date": _ahead(1).date().isoformat(), "end_date": _ahead(3).date().isoformat(),
                          "time_limit_seconds": 10})
    assert r.status_code == 202, r.get_json()
    plan = get(client, pool, f"/plans/{r.get_json()['id']}")
    assert plan["status"] == "done", plan
    if before_publishing:
        before_publishing(client, pool, plan)
    assert publish(client, pool, plan["id"]).status_code == 200
    assert get(client, pool, f"/plans/{plan['id']}")["late_cancellations"] is None   # published: nothing to warn of
    return plan


@pytest.fixture
def published_call(client, pool, session, monkeypatch):
    """Worker x (on call at employer A, the only one available) confirmed by a published plan
    for a shift two days from now; returns (assignment id, its start)."""
    from banenpool import queue
    monkeypatch.setattr(queue.huey, "immediate", True)
    _contract(session, pool, "on_call")
    day = _ahead(2).date()
    _availability(client, pool)
    body = {"employer_id": pool.employer_a, "title": "Piek", "skills": ["groen"], "start_date": day.isoformat(),
            "end_date": day.isoformat(),
            "pattern": [{"weekday": day.weekday(), "start": "07:00", "end": "15:30", "break_minutes": 30,
                         "headcount": 1}]}
    assert client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"), json=body).status_code == 201
    assert _plan_and_publish(client, pool)["changes"]["added"] == 1
    (call,) = client.get(f"/api/v1/assignments?worker_id={pool.worker_x}",
                         headers=pool.headers("intermediary")).get_json()
    return call["id"], datetime.fromisoformat(call["start"])


def test_a_plan_that_drops_a_late_call_pays_it(client, pool, session, published_call):
    """The worker stood ready; the re-plan drops the call (here: the pool no longer lists the skill)."""
    a, start = published_call
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"),
                     json={"skills": ["heftruck"]})
    assert r.status_code == 200, r.get_json()
    plan = _plan_and_publish(client, pool, before_publishing=_warned_on_the_plans_page)
    assert plan["changes"]["dropped"] == 1
    # read before publishing: what publishing will owe
    assert plan["late_cancellations"] == {"count": 1, "hours": "8.00", "assignment_ids": [a]}
    sheet = session.query(Timesheet).filter_by(assignment_id=a).one()
    assert (sheet.kind, sheet.status) == ("cancelled_call", "approved")
    (worker,) = _payroll(client, pool, start)["workers"]
    assert Decimal(worker["hours"]) == Decimal("8.00")


def test_a_plan_that_drops_the_call_of_a_sick_worker_owes_nothing(client, pool, session, published_call):
    a, start = published_call
    _absent(client, pool, start.replace(hour=0, minute=0), "sick")
    plan = _plan_and_publish(client, pool)
    assert plan["changes"]["dropped"] == 1 and plan["late_cancellations"] is None
    assert session.query(Timesheet).filter_by(assignment_id=a).first() is None
    assert _payroll(client, pool, start)["workers"] == []


def test_a_call_cancelled_exactly_4_days_ahead_is_in_time(session, pool):
    """Art. 7:628a: wages are owed when cancelled less than 4 days ahead; 4 days is in time."""
    from banenpool.models import Assignment
    from banenpool.services.timesheets import owed_if_cancelled
    _contract(session, pool, "on_call")
    start = _ahead(6)
    assignment = session.get(Assignment, make_assignment(session, pool.employer_a, pool.worker_x, start=start))
    four_days = timedelta(days=4)
    assert not owed_if_cancelled(session, assignment, now=start - four_days)
    assert owed_if_cancelled(session, assignment, now=start - four_days + timedelta(seconds=1))
    assert not owed_if_cancelled(session, assignment, now=start)            # begun: a correction, not a cancellation


def test_a_plan_that_gives_the_call_back_drops_its_pay(client, pool, session, published_call):
    """Dropped late (paid), then planned again for the same worker: the pay goes, the call is worked."""
    a, start = published_call
    h = pool.headers("intermediary")
    assert client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"skills": ["heftruck"]}).status_code == 200
    _plan_and_publish(client, pool)
    assert session.query(Timesheet).filter_by(assignment_id=a, kind="cancelled_call").count() == 1
    assert client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"skills": ["groen"]}).status_code == 200
    assert _plan_and_publish(client, pool)["changes"]["added"] == 1
    session.expire_all()
    assert session.query(Timesheet).filter_by(assignment_id=a).count() == 0
    assert _payroll(client, pool, start)["workers"] == []       # nothing paid before it is worked


def test_a_replan_weighs_dropping_a_late_call_by_its_wages(client, pool, session, published_call):
    """The instance of a re-plan marks the published call two days ahead: dropping it counts as one
    change plus its 8 paid hours (one change = 8 h), so the planner drops it last."""
    a, start = published_call
    from tests.web.test_plans import get
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"),
                    json={"start_date": _ahead(1).date().isoformat(), "end_date": _ahead(3).date().isoformat(),
                          "time_limit_seconds": 10})
    instance = get(client, pool, f"/plans/{r.get_json()['id']}/instance")
    (kept,) = instance["keep"]
    assert kept["worker"] == str(pool.worker_x) and kept["weight"] == 2.0
    assert get(client, pool, f"/plans/{r.get_json()['id']}")["changes"] == {"kept": 1, "dropped": 0, "added": 0}
