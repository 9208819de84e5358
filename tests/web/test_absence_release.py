"""A worker reports sick: the pool sees the shifts the absence covers and releases the worker from
them, so the shifts are open again for a replacement — no wages owed, the worker told."""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Absence, Assignment, OutboxMessage, Timesheet
from tests.web.pages_data import csrf_token, login
from tests.web.test_decline_call import _call

WEEKLY = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]


def _sick(client, pool, days_ahead: int) -> dict:
    """worker_x sick for the whole day `days_ahead` days from today (registered by the pool)."""
    day = datetime.now(AMS).date() + timedelta(days=days_ahead)
    absence = {"start": datetime.combine(day, time(0), AMS).isoformat(),
               "end": datetime.combine(day + timedelta(days=1), time(0), AMS).isoformat(), "reason": "sick"}
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("intermediary"),
                   json={"weekly": WEEKLY, "absences": [absence]})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_the_pool_releases_a_sick_worker_from_the_shifts_the_absence_covers(client, pool, session):
    _sick_shift, sick_call = _call(client, pool, session, days_ahead=2)
    _, next_call = _call(client, pool, session, days_ahead=3)
    availability = _sick(client, pool, days_ahead=2)
    assert availability["absent_calls"] == [sick_call]          # the pool sees who cannot come
    mine = client.get(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("worker_x"))
    assert mine.get_json()["absent_calls"] == [sick_call]
    absence = availability["absences"][0]
    body = {"start": absence["start"], "end": absence["end"]}
    url = f"/api/v1/workers/{pool.worker_x}/absences/release"
    for who in ("worker_x", "employer_a"):
        assert client.post(url, headers=pool.headers(who), json=body).status_code == 403
    r = client.post(url, headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 200, r.get_json()
    assert [(a["id"], a["status"]) for a in r.get_json()] == [(sick_call, "cancelled")]
    assert session.get(Assignment, next_call).status == "confirmed"     # the day after: still theirs
    # within 4 days, but the worker cannot come: no wages owed for the call
    assert session.scalar(select(Timesheet.id)) is None
    told = session.scalars(select(OutboxMessage).where(OutboxMessage.worker_id == pool.worker_x)).all()
    assert any(m.payload["reason"] == "released: registered absent" and len(m.payload["cancelled"]) == 1
               for m in told)
    open_again = session.scalars(select(Assignment).where(Assignment.shift_id == _sick_shift,
                                                          Assignment.status == "confirmed")).all()
    assert open_again == []                                             # open for a replacement
    again = client.post(url, headers=pool.headers("intermediary"), json=body)
    assert again.status_code == 200 and again.get_json() == []          # nothing left to release
    assert client.get(f"/api/v1/workers/{pool.worker_x}/availability",
                      headers=pool.headers("intermediary")).get_json()["absent_calls"] == []


def test_a_release_names_a_bad_range_and_an_unknown_worker(client, pool):
    h = pool.headers("intermediary")
    r = client.post(f"/api/v1/workers/{pool.worker_x}/absences/release", headers=h,
                    json={"start": "2026-12-10T00:00:00+01:00", "end": "2026-12-09T00:00:00+01:00"})
    assert r.status_code == 422 and "end" in r.get_json()["errors"]["json"]
    r = client.post(f"/api/v1/workers/{pool.worker_x}/absences/release", headers=h, json={"start": "2026-12-10"})
    assert r.status_code == 422 and {"start", "end"} <= r.get_json()["errors"]["json"].keys()
    r = client.post("/api/v1/workers/999999/absences/release", headers=h,
                    json={"start": "2026-12-10T00:00:00+01:00", "end": "2026-12-11T00:00:00+01:00"})
    assert r.status_code == 404


def test_the_pool_page_offers_the_release_and_the_worker_page_says_the_pool_acts(client, pool, session):
    _, sick_call = _call(client, pool, session, days_ahead=2)
    _sick(client, pool, days_ahead=2)
    login(client, "worker_x")
    own = client.get("/me/availability").get_data(as_text=True)
    assert "ingepland op 1 dienst daarin" in own and "de pool zoekt vervanging" in own
    assert "/release" not in own
    client.get("/logout")
    login(client, "intermediary")
    page = client.get(f"/workers/{pool.worker_x}/availability").get_data(as_text=True)
    assert "ingepland op 1 dienst daarin" in page
    absence_id = session.scalar(select(Absence.id))
    r = client.post(f"/workers/{pool.worker_x}/availability/absences/{absence_id}/release",
                    data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302
    shown = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "is vrijgegeven van 1 dienst;" in shown and "ingepland op" not in shown
    assert session.get(Assignment, sick_call).status == "cancelled"
    gone = client.post(f"/workers/{pool.worker_x}/availability/absences/999999/release",
                       data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert gone.status_code == 200 and "Deze afwezigheid is intussen verwijderd of gewijzigd" in gone.get_data(as_text=True)
