"""A shift the worker did not come to does not hold the week's later hours back for ever: after 7
days without any registered hours (or at once when the worker is registered absent over it) it
counts as not worked, so the later hours are invoiced and paid; hours registered for it later
cannot change hours already on a final invoice."""
from datetime import datetime, timedelta
from decimal import Decimal

from banenpool.models import Assignment, Shift, Timesheet, Worker
from banenpool.services.timesheets import _hours_before
from tests.banenpool.test_billing import AMS
from tests.banenpool.test_money_fixes import NOVEMBER, approve, invoice_and_finalize, payroll, post, zoetwaren_week
from tests.web.pages_data import login
from tests.web.test_plans import set_availability


def _week_with_a_no_show(client, pool, session):
    """Zoetwaren, Mon 2 – Fri 6 Nov 2026, 9 h a day registered, but Wednesday's hours are not:
    the worker did not come (nobody cancelled the shift)."""
    employer, (mon, tue, wed, thu, fri) = zoetwaren_week(client, pool, session)
    session.delete(session.query(Timesheet).filter_by(assignment_id=wed).one())
    session.commit()
    return employer, (mon, tue, wed, thu, fri)


def test_later_hours_are_invoiced_and_paid_once_the_no_show_is_a_week_old(client, pool, session):
    employer, (mon, tue, wed, thu, fri) = _week_with_a_no_show(client, pool, session)
    for a in (mon, tue, thu, fri):
        approve(client, pool, a)
    draft = post(client, pool, "/invoices", {"employer_id": employer, **NOVEMBER})
    assert draft.status_code == 201, draft.get_json()       # it was 409 hours_waiting for good
    draft = draft.get_json()
    assert {line["assignment_id"] for line in draft["lines"]} == {mon, tue, thu, fri}
    assert draft["review"]["waiting"] == []
    assert not any(line["kind"] == "overtime" for line in draft["lines"])   # 36 h: no overtime
    assert Decimal(draft["subtotal"]) == Decimal(payroll(client, pool)["totals"]["gross_pay"]) * 2
    # the draft says which hours count Wednesday as not worked, in the API and on its page
    assert [(m["assignment_id"], m["not_worked"]) for m in draft["review"]["not_worked"]] == [(thu, [wed]), (fri, [wed])]
    login(client, "intermediary")
    page = client.get(f"/invoices/{draft['id']}").get_data(as_text=True)
    assert "Diensten zonder uren, geteld als niet gewerkt" in page and "1 eerdere dienst zonder uren" in page
    # and so does the payroll statement that pays them, in the API and on its page
    statement = payroll(client, pool)
    assert [(m["assignment_id"], m["worker_id"], m["not_worked"]) for m in statement["not_worked"]] == \
        [(thu, pool.worker_x, [wed]), (fri, pool.worker_x, [wed])]
    page = client.get("/payroll?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    assert "Diensten zonder uren, geteld als niet gewerkt" in page and page.count("1 eerdere dienst zonder uren") == 2


def test_hours_registered_late_for_the_no_show_cannot_change_invoiced_later_hours(client, pool, session):
    employer, (mon, tue, wed, thu, fri) = _week_with_a_no_show(client, pool, session)
    for a in (mon, tue, thu, fri):
        approve(client, pool, a)
    invoice_and_finalize(client, pool, employer)
    start = datetime(2026, 11, 4, 7, tzinfo=AMS)
    body = {"start": start.isoformat(), "end": (start + timedelta(hours=9.5)).isoformat(), "break_minutes": 30}
    assert client.put(f"/api/v1/assignments/{wed}/timesheet", headers=pool.headers("worker_x"),
                      json=body).status_code == 200
    r = post(client, pool, f"/assignments/{wed}/timesheet/approve")
    assert r.status_code == 409 and r.get_json()["rules"] == ["later_hours_billed"]
    assert f"assignment {thu}" in r.get_json()["message"] and f"assignment {fri}" in r.get_json()["message"]


def _friday_waits_on(session, fri, now):
    session.expire_all()
    assignment = session.get(Assignment, fri)
    sheet = session.query(Timesheet).filter_by(assignment_id=fri).one()
    worker = session.get(Worker, assignment.worker_id)
    return _hours_before(session, sheet, assignment, session.get(Shift, assignment.shift_id),
                         worker.absences, now=now)[2]     # (week, day, waiting, not worked)


def test_a_no_show_waits_seven_days_unless_the_worker_is_registered_absent(client, pool, session):
    employer, (mon, tue, wed, thu, fri) = _week_with_a_no_show(client, pool, session)
    for a in (mon, tue, thu):
        approve(client, pool, a)
    wednesday_end = datetime(2026, 11, 4, 16, 30, tzinfo=AMS)
    assert _friday_waits_on(session, fri, wednesday_end + timedelta(days=7) - timedelta(minutes=1)) == [wed]
    assert _friday_waits_on(session, fri, wednesday_end + timedelta(days=7)) == []
    # registered sick that day: not worked at once
    set_availability(client, pool, pool.worker_x, absences=[
        {"start": "2026-11-04T00:00:00+01:00", "end": "2026-11-05T00:00:00+01:00", "reason": "sick"}])
    assert _friday_waits_on(session, fri, wednesday_end + timedelta(hours=1)) == []
    # hours registered but not approved still wait, however old
    start = datetime(2026, 11, 4, 7, tzinfo=AMS)
    body = {"start": start.isoformat(), "end": (start + timedelta(hours=9.5)).isoformat(), "break_minutes": 30}
    assert client.put(f"/api/v1/assignments/{wed}/timesheet", headers=pool.headers("worker_x"),
                      json=body).status_code == 200
    assert _friday_waits_on(session, fri, wednesday_end + timedelta(days=60)) == [wed]
