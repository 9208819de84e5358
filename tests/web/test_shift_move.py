"""Moving a shift to other times: workers keep it where the rules allow; moved less than 4 days ahead
they are released and their call is paid (art. 7:628a BW) — through the real app, rules engines,
database and calendar feed."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import icalendar
from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Assignment, Contract, OutboxMessage, Shift, Timesheet
from banenpool.services.instance_builder import build_instance
from tests.web.pages_data import csrf_token, login
from tests.web.test_calendar import calendar_url, fetch


def _staffed(client, pool, session, days_ahead: int, at=time(9), hours=4.0, break_minutes=0) -> tuple[int, int, int]:
    """A shift at employer A, by default 09:00-13:00, `days_ahead` days after today, headcount 2, with x (no
    contract: read as on-call) and y (fixed hours at A) assigned by hand; both available every day 06:00-22:00."""
    h = pool.headers("intermediary")
    weekly = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        assert client.put(f"/api/v1/workers/{w}/availability", headers=h,
                          json={"weekly": weekly, "absences": []}).status_code == 200
    session.add(Contract(worker_id=pool.worker_y, employer_id=pool.employer_a, kind="fixed",
                         hours_per_week=Decimal(24), cao_code="hoveniers", start_date=date(2026, 1, 1)))
    start = datetime.combine(datetime.now(AMS).date() + timedelta(days=days_ahead), at, AMS)
    shift = Shift(employer_id=pool.employer_a, start=start, end=start + timedelta(hours=hours),
                  break_minutes=break_minutes, paid_hours=Decimal(str(hours)) - Decimal(break_minutes) / 60, headcount=2)
    session.add(shift)
    session.commit()
    ids = []
    for w in (pool.worker_x, pool.worker_y):
        r = client.post("/api/v1/assignments", headers=h, json={"shift_id": shift.id, "worker_id": w})
        assert r.status_code == 201, r.get_json()
        ids.append(r.get_json()["id"])
    return shift.id, ids[0], ids[1]


def _move(client, pool, shift_id, who="employer_a", **times):
    return client.patch(f"/api/v1/shifts/{shift_id}", headers=pool.headers(who), json=times)


def test_moved_a_week_ahead_the_workers_keep_it_where_the_rules_allow(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=7)
    url = calendar_url(client, pool, pool.worker_x, "worker_x")["url"]
    r = _move(client, pool, shift_id, start="14:00", end="18:30", break_minutes=30)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    local = [datetime.fromisoformat(body[k]).astimezone(AMS).time() for k in ("start", "end")]
    assert local == [time(14), time(18, 30)]
    assert (body["paid_hours"], body["filled"], sorted(body["kept"]), body["released"]) == ("4.00", 2, [ax, ay], [])
    told = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "schedule_changed")
                           .order_by(OutboxMessage.id.desc()).limit(2)).all()
    assert {m.payload["reason"] for m in told} == {"shift moved by the employer"}
    event = icalendar.Calendar.from_ical(fetch(client, url).data).walk("VEVENT")[0]
    assert event["STATUS"] == "CONFIRMED" and event.start.astimezone(AMS).time() == time(14)
    assert event["SEQUENCE"] == 1                                        # its times changed (RFC 5545)
    day = datetime.fromisoformat(body["start"]).date()
    [entry] = [s for s in build_instance(session, day, day).instance["shifts"] if s["id"] == str(shift_id)]
    assert datetime.fromisoformat(entry["start"]).astimezone(AMS).time() == time(14)
    # into the night, outside both workers' availability: both released, nothing owed (a week ahead)
    r = _move(client, pool, shift_id, start="22:00", end="02:00", break_minutes=0)
    assert r.status_code == 200, r.get_json()
    assert sorted(x["assignment_id"] for x in r.get_json()["released"]) == [ax, ay]
    assert [x["wages_owed"] for x in r.get_json()["released"]] == [False, False]
    assert r.get_json()["filled"] == 0 and session.scalar(select(Timesheet.id)) is None


def test_moved_less_than_four_days_ahead_the_call_is_paid_and_the_shift_is_open(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=2)
    r = _move(client, pool, shift_id, who="intermediary", start="10:00", end="14:00")
    assert r.status_code == 200, r.get_json()
    released = {x["worker_id"]: x["wages_owed"] for x in r.get_json()["released"]}
    assert released == {pool.worker_x: True, pool.worker_y: False} and r.get_json()["filled"] == 0
    sheet = session.scalar(select(Timesheet).where(Timesheet.assignment_id == ax))
    assert sheet.kind == "cancelled_call" and sheet.start.astimezone(AMS).time() == time(9)   # the call as planned
    # the released worker is told, and their schedule shows, the times they were called for
    told = session.scalar(select(OutboxMessage).where(OutboxMessage.worker_id == pool.worker_x)
                          .order_by(OutboxMessage.id.desc()).limit(1))
    assert datetime.fromisoformat(told.payload["cancelled"][0]["start"]).time() == time(9)
    a = client.get(f"/api/v1/assignments/{ax}", headers=pool.headers("worker_x")).get_json()
    assert datetime.fromisoformat(a["start"]).astimezone(AMS).time() == time(9) and a["status"] == "cancelled"
    # x is called again at the new times: a new call (less than 4 days ahead, so x may refuse it), and
    # the wages of the call that moved stay owed either way
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": shift_id, "worker_id": pool.worker_x})
    assert r.status_code == 201, r.get_json()
    session.expire_all()
    assert session.scalar(select(Timesheet.kind).where(Timesheet.assignment_id == ax)) == "cancelled_call"
    again = r.get_json()["id"]
    assert client.post(f"/api/v1/assignments/{again}/decline", headers=pool.headers("worker_x")).status_code == 200
    assert session.scalar(select(Timesheet.kind).where(Timesheet.assignment_id == ax)) == "cancelled_call"


def test_a_break_changed_within_four_days_keeps_the_workers(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=2)
    r = _move(client, pool, shift_id, break_minutes=15)
    assert r.status_code == 200, r.get_json()
    assert (sorted(r.get_json()["kept"]), r.get_json()["released"], r.get_json()["paid_hours"]) == (
        [ax, ay], [], "3.75")
    assert session.scalar(select(Timesheet.id)) is None


def test_the_nights_the_clocks_change_are_judged_as_capacity_requests_judge_them(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=7)
    today = datetime.now(AMS).date()
    spring = next(d for d in (date(y, 3, 31) - timedelta(days=(date(y, 3, 31).weekday() + 1) % 7)
                              for y in (today.year, today.year + 1)) if d > today + timedelta(days=1))
    autumn = next(d for d in (date(y, 10, 31) - timedelta(days=(date(y, 10, 31).weekday() + 1) % 7)
                              for y in (today.year, today.year + 1)) if d > today + timedelta(days=1))
    for day, start, end, field in ((spring, "02:30", "03:00", "start"), (spring, "02:00", "03:00", "start"),
                                   (autumn - timedelta(days=1), "18:00", "06:00", "end")):
        r = _move(client, pool, shift_id, date=day.isoformat(), start=start, end=end, break_minutes=0)
        assert r.status_code == 422 and field in r.get_json()["errors"]["json"], (day, start, end, r.get_json())
    session.expire_all()
    assert session.get(Shift, shift_id).paid_hours == Decimal(4)


def test_bad_times_and_who_may_move(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=6)
    yesterday = (datetime.now(AMS).date() - timedelta(days=1)).isoformat()
    for times, field in (({"date": yesterday}, "start"), ({"start": "09:00", "end": "09:00"}, "end"),
                         ({"start": "09:00", "end": "23:30"}, "end"), ({"break_minutes": 300}, "break_minutes"),
                         ({"start": "25:00"}, "start"), ({"start": "09:00:30"}, "start")):
        r = _move(client, pool, shift_id, **times)
        assert r.status_code == 422, (times, r.get_json())
        assert field in str(r.get_json()["errors"]), (times, r.get_json())
    assert _move(client, pool, shift_id).status_code == 422                   # nothing to change
    for times in ({"start": "10:00"}, {"start": "13:00"}, {"date": yesterday}):      # nothing said of its times
        assert _move(client, pool, shift_id, who="employer_b", **times).status_code == 404
    assert _move(client, pool, shift_id, who="worker_x", start="10:00").status_code == 403
    session.expire_all()
    assert session.get(Shift, shift_id).start.astimezone(AMS).time() == time(9)    # nothing written
    # the same times: nothing changes, nobody is called anew
    before = session.get(Assignment, ax).confirmed_at
    r = _move(client, pool, shift_id, start="09:00", end="13:00", break_minutes=0)
    assert r.status_code == 200 and (r.get_json()["kept"], r.get_json()["released"]) == ([], [])
    session.expire_all()
    assert session.get(Assignment, ax).confirmed_at == before
    assert client.post(f"/api/v1/shifts/{shift_id}/cancel", headers=pool.headers("employer_a"), json={}).status_code == 200
    r = _move(client, pool, shift_id, start="10:00")
    assert r.status_code == 409 and r.get_json()["rules"] == ["shift_cancelled"]


def test_the_employer_and_the_pool_move_from_their_pages(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=7)
    login(client, "employer_b")
    assert client.get(f"/shifts/{shift_id}/move").status_code == 404         # not theirs
    client.get("/logout")
    login(client, "employer_a")
    page = client.get(f"/shifts/{shift_id}/move").get_data(as_text=True)
    assert "De 2 medewerkers houden de dienst op de nieuwe tijden" in page and 'value="09:00"' in page
    day = (datetime.now(AMS).date() + timedelta(days=7)).isoformat()
    r = client.post(f"/shifts/{shift_id}/move", follow_redirects=True, data={
        "csrf_token": csrf_token(page), "day": day, "start": "13:00", "end": "17:00", "break_minutes": "0"})
    page = r.get_data(as_text=True)
    assert "De dienst begint nu op" in page and "2 medewerkers houden de dienst op de nieuwe tijden" in page
    r = client.post(f"/shifts/{shift_id}/move", follow_redirects=True, data={
        "csrf_token": csrf_token(page), "day": day, "start": "13:00", "end": "13:00", "break_minutes": "0"})
    assert "Niet verplaatst" in r.get_data(as_text=True)
    yesterday = (datetime.now(AMS).date() - timedelta(days=1)).isoformat()
    r = client.post(f"/shifts/{shift_id}/move", follow_redirects=True, data={
        "csrf_token": csrf_token(page), "day": yesterday, "start": "13:00", "end": "17:00", "break_minutes": "0"})
    assert "Niet verplaatst: Begin: moet in de toekomst liggen" in r.get_data(as_text=True)
    client.get("/logout")
    login(client, "intermediary")
    staff = client.get(f"/shifts/{shift_id}/staff").get_data(as_text=True)
    assert f"/shifts/{shift_id}/move" in staff
    login(client, "worker_x")
    assert client.get(f"/shifts/{shift_id}/move").status_code == 403


def test_a_call_cancelled_before_the_move_keeps_its_times(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=2)
    h = pool.headers("intermediary")
    assert client.patch(f"/api/v1/assignments/{ax}", headers=h, json={"status": "cancelled"}).status_code == 200
    assert client.post(f"/api/v1/assignments/{ay}/decline", headers=pool.headers("worker_y")).status_code == 409
    assert _move(client, pool, shift_id, who="intermediary", start="15:00", end="19:00").status_code == 200
    for who, a in (("worker_x", ax), ("worker_y", ay)):
        body = client.get(f"/api/v1/assignments/{a}", headers=pool.headers(who)).get_json()
        assert datetime.fromisoformat(body["start"]).astimezone(AMS).time() == time(9), body
    assert session.scalar(select(Timesheet.start).where(Timesheet.assignment_id == ax)).astimezone(AMS).time() == \
        time(9)


def test_a_break_change_keeps_the_call_and_a_worker_it_releases_within_four_days_is_paid(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=2, at=time(7), hours=10.5, break_minutes=45)
    session.get(Assignment, ax).confirmed_at = session.get(Shift, shift_id).start - timedelta(days=10)
    session.commit()
    assert _move(client, pool, shift_id, break_minutes=50).status_code == 200
    r = client.post(f"/api/v1/assignments/{ax}/decline", headers=pool.headers("worker_x"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["call_in_time"]   # still the call of 10 days ago
    # without its break the long day breaks the Working Hours Act for both; x (on call) is paid the call
    r = _move(client, pool, shift_id, break_minutes=0)
    assert r.status_code == 200, r.get_json()
    assert {x["worker_id"]: x["wages_owed"] for x in r.get_json()["released"]} == {pool.worker_x: True,
                                                                                 pool.worker_y: False}
    sheet = session.scalar(select(Timesheet).where(Timesheet.assignment_id == ax))
    assert (sheet.kind, sheet.break_minutes) == ("cancelled_call", 50)       # the call as it was planned


def test_a_worker_released_by_a_far_move_finds_the_call_on_its_own_day(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=7)
    far = datetime.now(AMS).date() + timedelta(days=40)
    r = _move(client, pool, shift_id, date=far.isoformat(), start="23:00", end="03:00")
    assert r.status_code == 200 and len(r.get_json()["released"]) == 2
    day = (datetime.now(AMS).date() + timedelta(days=7)).isoformat()
    listed = client.get(f"/api/v1/assignments?from={day}&to={day}", headers=pool.headers("worker_x")).get_json()
    assert [a["id"] for a in listed] == [ax]
    login(client, "worker_x")
    page = client.get("/me?from=" + datetime.now(AMS).date().isoformat()).get_data(as_text=True)
    assert "09:00–13:00" in page and "geannuleerd" in page


def test_a_shift_with_approved_hours_does_not_move(client, pool, session):
    shift_id, ax, ay = _staffed(client, pool, session, days_ahead=3)
    start = session.get(Shift, shift_id).start
    session.add(Timesheet(assignment_id=ax, start=start, end=start + timedelta(hours=4), status="approved"))
    session.commit()
    r = _move(client, pool, shift_id, start="10:00", end="14:00")
    assert r.status_code == 409 and r.get_json()["rules"] == ["timesheet_approved"]
    session.expire_all()
    assert session.get(Assignment, ax).status == "confirmed"


def test_the_request_page_shows_who_comes_to_a_shift_moved_past_the_requests_last_day(client, pool, session):
    h = pool.headers("intermediary")
    weekly = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        assert client.put(f"/api/v1/workers/{w}/availability", headers=h,
                          json={"weekly": weekly, "absences": []}).status_code == 200
    day = datetime.now(AMS).date() + timedelta(days=10)
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json={
        "employer_id": pool.employer_a, "title": "Snoeien", "start_date": day.isoformat(), "end_date": day.isoformat(),
        "pattern": [{"weekday": day.weekday(), "start": "09:00", "end": "13:00", "headcount": 3}]})
    assert r.status_code == 201, r.get_json()
    request_id = r.get_json()["id"]
    [shift_id] = session.scalars(select(Shift.id).where(Shift.request_id == request_id)).all()
    for w in (pool.worker_x, pool.worker_y):
        r = client.post("/api/v1/assignments", headers=h, json={"shift_id": shift_id, "worker_id": w})
        assert r.status_code == 201, r.get_json()
    r = _move(client, pool, shift_id, date=(day + timedelta(days=3)).isoformat())
    assert r.status_code == 200 and r.get_json()["filled"] == 2, r.get_json()
    login(client, "employer_a")
    page = client.get(f"/employer/requests/{request_id}").get_data(as_text=True)
    assert "Sanne Scholten" in page and "Daan Nijhuis" in page and 'name="headcount" value="3" min="2"' in page
