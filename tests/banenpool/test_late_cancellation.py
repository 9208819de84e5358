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
