"""Reopening approved hours to correct them: who may, and never under a final invoice."""
from datetime import datetime, timedelta

from banenpool.models import AuditLog, Timesheet
from tests.banenpool.test_billing import AMS, MONDAY, make_assignment, work
from tests.web.test_invoices import create, post
from tests.web.test_timesheets import approve, body, put


def reopen(client, pool, who, assignment_id):
    return client.post(f"/api/v1/assignments/{assignment_id}/timesheet/reopen", headers=pool.headers(who))


def test_reopen_correct_and_approve_again(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session)
    assert reopen(client, pool, "worker_x", a).status_code == 403      # the worker cannot
    assert reopen(client, pool, "employer_b", a).status_code == 404    # another employer's site stays hidden
    assert reopen(client, pool, "anonymous", a).status_code == 401
    r = reopen(client, pool, "employer_a", a)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "submitted" and r.get_json()["approved_at"] is None
    r = reopen(client, pool, "employer_a", a)
    assert r.status_code == 409 and r.get_json()["rules"] == ["not_approved"]
    # not billable while reopened
    assert create(client, pool, pool.employer_a).status_code == 422
    r = put(client, pool, "worker_x", a, body(hours=7.5))     # the correction: 7 h worked
    assert r.status_code == 200 and r.get_json()["hours"] == "7.00"
    assert approve(client, pool, "employer_a", a).status_code == 200
    inv = create(client, pool, pool.employer_a).get_json()
    assert [(l["assignment_id"], l["hours"]) for l in inv["lines"]] == [(a, "7.00")]
    sheet = session.query(Timesheet).filter_by(assignment_id=a).one()
    logged = session.query(AuditLog).filter_by(entity="timesheet", entity_id=sheet.id, action="reopen").one()
    assert logged.changes["status"] == ["approved", "submitted"]
    # the intermediary may reopen too
    assert reopen(client, pool, "intermediary", a).status_code == 200


def test_hours_on_a_final_invoice_need_a_credit_note_first(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session)
    draft = create(client, pool, pool.employer_a).get_json()
    final = post(client, pool, f"/{draft['id']}/finalize").get_json()
    r = reopen(client, pool, "employer_a", a)
    assert r.status_code == 409 and r.get_json()["rules"] == ["timesheet_billed"]
    assert final["number"] in r.get_json()["message"] and "credit" in r.get_json()["message"]
    session.expire_all()
    assert session.query(Timesheet).filter_by(assignment_id=a).one().status == "approved"   # nothing half-done
    assert post(client, pool, f"/{draft['id']}/credit").status_code == 201
    assert reopen(client, pool, "intermediary", a).status_code == 200
    assert put(client, pool, "intermediary", a, body(hours=6.5)).status_code == 200
    assert approve(client, pool, "employer_a", a).status_code == 200
    again = create(client, pool, pool.employer_a).get_json()
    assert [(l["assignment_id"], l["hours"]) for l in again["lines"]] == [(a, "6.00")]


def test_a_draft_with_reopened_hours_cannot_be_finalised(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session)
    draft = create(client, pool, pool.employer_a).get_json()
    assert reopen(client, pool, "employer_a", a).status_code == 200
    read = client.get(f"/api/v1/invoices/{draft['id']}", headers=pool.headers("intermediary")).get_json()
    assert read["review"]["changed"] == [a]       # the draft says so before anyone tries to finalise it
    assert client.get(f"/api/v1/invoices/{draft['id']}", headers=pool.headers("employer_a")).get_json()["review"] is None
    r = post(client, pool, f"/{draft['id']}/finalize")
    assert r.status_code == 409 and r.get_json()["rules"] == ["hours_changed"]


def test_later_hours_of_the_week_on_a_final_invoice_keep_the_approval(client, pool, session):
    monday = work(client, pool, "employer_a", "worker_x", session=session)
    tuesday = work(client, pool, "employer_a", "worker_x", start=MONDAY + timedelta(days=1), session=session)
    next_week = work(client, pool, "employer_a", "worker_y", start=MONDAY + timedelta(days=7), session=session)
    elsewhere = work(client, pool, "employer_b", "worker_x", start=MONDAY + timedelta(days=2), session=session)
    # Tuesday's overtime counts Monday's hours: while Monday is reopened Tuesday waits
    assert reopen(client, pool, "employer_a", monday).status_code == 200
    draft = create(client, pool, pool.employer_a).get_json()
    assert [l["assignment_id"] for l in draft["lines"]] == [next_week]
    assert [(w["assignment_id"], w["waiting_on"]) for w in draft["review"]["waiting"]] == [(tuesday, [monday])]
    assert approve(client, pool, "employer_a", monday).status_code == 200
    client.delete(f"/api/v1/invoices/{draft['id']}", headers=pool.headers("intermediary"))
    draft = create(client, pool, pool.employer_a).get_json()
    assert sorted({l["assignment_id"] for l in draft["lines"]}) == sorted([monday, tuesday, next_week])
    final = post(client, pool, f"/{draft['id']}/finalize").get_json()
    # with the week billed, neither day can be reopened; the other employer's hours can
    for assignment in (monday, tuesday):
        r = reopen(client, pool, "employer_a", assignment)
        assert r.status_code == 409 and final["number"] in r.get_json()["message"]
    assert reopen(client, pool, "employer_b", elsewhere).status_code == 200
    post(client, pool, f"/{final['id']}/credit")
    # credited: Monday reopens although Tuesday was billed once
    assert reopen(client, pool, "employer_a", monday).status_code == 200


def test_only_the_later_hours_being_billed_is_named(client, pool, session):
    monday = work(client, pool, "employer_a", "worker_x", session=session)
    tuesday = work(client, pool, "employer_a", "worker_x", start=MONDAY + timedelta(days=1), session=session)
    draft = create(client, pool, pool.employer_a).get_json()
    final = post(client, pool, f"/{draft['id']}/finalize").get_json()
    post(client, pool, f"/{final['id']}/credit")
    # bill only Tuesday: a draft for Tuesday's date alone
    tue = (MONDAY + timedelta(days=1)).date().isoformat()
    only = create(client, pool, pool.employer_a, period_start=tue, period_end=tue).get_json()
    assert {l["assignment_id"] for l in only["lines"]} == {tuesday}
    billed = post(client, pool, f"/{only['id']}/finalize").get_json()
    r = reopen(client, pool, "employer_a", monday)
    assert r.status_code == 409 and r.get_json()["rules"] == ["later_hours_billed"]
    assert f"assignment {tuesday} on {billed['number']}" in r.get_json()["message"]
    r = reopen(client, pool, "employer_a", tuesday)
    assert r.get_json()["rules"] == ["timesheet_billed"]


def test_a_draft_made_before_a_correction_is_not_finalised_at_the_new_hours(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session)
    draft = create(client, pool, pool.employer_a).get_json()       # 8 h checked by the intermediary
    assert reopen(client, pool, "employer_a", a).status_code == 200
    assert put(client, pool, "employer_a", a, body(hours=3, break_minutes=0)).status_code == 200
    assert approve(client, pool, "employer_a", a).status_code == 200
    r = post(client, pool, f"/{draft['id']}/finalize")
    assert r.status_code == 409 and r.get_json()["rules"] == ["hours_changed"]
    assert "new draft" in r.get_json()["message"]
    client.delete(f"/api/v1/invoices/{draft['id']}", headers=pool.headers("intermediary"))
    again = create(client, pool, pool.employer_a).get_json()
    assert {l["hours"] for l in again["lines"] if l["assignment_id"] == a} >= {"3.00"}
    assert post(client, pool, f"/{again['id']}/finalize").status_code == 200


def test_hours_once_invoiced_keep_their_request_after_a_reopen(client, pool, session):
    """Credited, reopened and cancelled (the worker did not work after all): the invoice and the
    credit note still name the assignment, so its capacity request cannot be deleted."""
    from banenpool.models import Assignment, CapacityRequest
    request = {"employer_id": pool.employer_a, "title": "Maandag", "start_date": "2026-03-09",
               "end_date": "2026-03-09", "pattern": [{"weekday": 0, "start": "08:00", "end": "16:30",
                                                      "headcount": 1, "break_minutes": 30}]}
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json=request)
    assert r.status_code == 201, r.get_json()
    request_id = r.get_json()["id"]
    (shift,) = client.get("/api/v1/shifts?from=2026-03-09&to=2026-03-09", headers=pool.headers("employer_a")).get_json()
    assignment = Assignment(shift_id=shift["id"], worker_id=pool.worker_x, status="confirmed")
    session.add(assignment)
    session.commit()
    a = assignment.id
    assert put(client, pool, "worker_x", a, body()).status_code == 200
    assert approve(client, pool, "employer_a", a).status_code == 200
    draft = create(client, pool, pool.employer_a).get_json()
    post(client, pool, f"/{draft['id']}/finalize")
    post(client, pool, f"/{draft['id']}/credit")
    assert reopen(client, pool, "employer_a", a).status_code == 200
    r = client.patch(f"/api/v1/assignments/{a}", headers=pool.headers("intermediary"), json={"status": "cancelled"})
    assert r.status_code == 200          # the correction: these hours were not worked
    r = client.delete(f"/api/v1/capacity-requests/{request_id}", headers=pool.headers("employer_a"))
    assert r.status_code == 409 and "invoiced" in r.get_json()["message"]
    session.expire_all()
    assert session.get(CapacityRequest, request_id) is not None
    lines = client.get(f"/api/v1/invoices/{draft['id']}", headers=pool.headers("intermediary")).get_json()["lines"]
    assert {l["assignment_id"] for l in lines} == {a}


def test_hours_of_a_shift_added_before_billed_hours_that_day_wait_for_a_credit_note(client, pool, session):
    """Monday 12:00–20:30 is invoiced (final) without overtime; then a Monday-morning shift of the
    same worker at that employer is added and worked: approving its 4 h would put the afternoon's
    last 2.5 h over the 9.5 h day (hoveniers) in the payroll while the final invoice bills none of
    it. Refused until that invoice is credited; then both bill as the payroll pays them."""
    afternoon = work(client, pool, "employer_a", "worker_x", start=datetime(2026, 3, 9, 12, 0, tzinfo=AMS),
                     hours=8.5, session=session)
    first = post(client, pool, f"/{create(client, pool, pool.employer_a).get_json()['id']}/finalize").get_json()
    morning = make_assignment(session, pool.employer_a, pool.worker_x, start=datetime(2026, 3, 9, 6, 0, tzinfo=AMS),
                              hours=4, break_minutes=0)
    r = client.put(f"/api/v1/assignments/{morning}/timesheet", headers=pool.headers("worker_x"),
                   json={"start": "2026-03-09T06:00:00+01:00", "end": "2026-03-09T10:00:00+01:00"})
    assert r.status_code == 200
    r = client.post(f"/api/v1/assignments/{morning}/timesheet/approve", headers=pool.headers("employer_a"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["later_hours_billed"]
    assert f"assignment {afternoon} on {first['number']}" in r.get_json()["message"]
    assert client.get(f"/api/v1/assignments/{morning}/timesheet",
                      headers=pool.headers("employer_a")).get_json()["status"] == "submitted"
    assert client.post(f"/api/v1/invoices/{first['id']}/credit", headers=pool.headers("intermediary")).status_code == 201
    r = client.post(f"/api/v1/assignments/{morning}/timesheet/approve", headers=pool.headers("employer_a"))
    assert r.status_code == 200
    again = post(client, pool, f"/{create(client, pool, pool.employer_a).get_json()['id']}/finalize").get_json()
    overtime = [line for line in again["lines"] if line["kind"] == "overtime"]
    assert [(line["assignment_id"], line["hours"]) for line in overtime] == [(afternoon, "1.00")]


def test_hours_before_billed_hours_under_a_cao_without_day_or_week_overtime_are_approved(client, pool, session):
    """The taxi CAO counts overtime per period, not per day or week: a Monday shift added after the
    Tuesday was finally invoiced changes nothing of the Tuesday's pay, so its hours are approved (they
    were refused with later_hours_billed, as if the Tuesday's overtime counted them)."""
    from tests.banenpool.test_billing import add_taxi_employer
    taxi = add_taxi_employer(session, pool)
    staff = pool.headers("intermediary")

    def worked(start, hours):
        a = make_assignment(session, taxi, pool.worker_x, start=start, hours=hours, break_minutes=0)
        r = client.put(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers("worker_x"),
                       json={"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat()})
        assert r.status_code == 200, r.get_json()
        return a

    tuesday = worked(datetime(2026, 3, 10, 8, 0, tzinfo=AMS), 8)
    assert client.post(f"/api/v1/assignments/{tuesday}/timesheet/approve", headers=staff).status_code == 200
    draft = client.post("/api/v1/invoices", headers=staff, json={"employer_id": taxi, "period_start": "2026-03-09",
                                                                  "period_end": "2026-03-15"}).get_json()
    assert client.post(f"/api/v1/invoices/{draft['id']}/finalize", headers=staff).status_code == 200
    monday = worked(datetime(2026, 3, 9, 8, 0, tzinfo=AMS), 10)
    r = client.post(f"/api/v1/assignments/{monday}/timesheet/approve", headers=staff)
    assert r.status_code == 200, r.get_json()
