"""Absences and school holidays one at a time: saving keeps the ids of what did not change, so a page
left open in another tab still finds its entries; per-item POST and DELETE with the PUT's role rules;
a button of an entry that is gone says so. The availability page reads the calls of all its absences
at once. A shift released for an absent worker is offered to those who can take it."""
import logging
import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import event, select

from banenpool.calendar_nl import AMS
from banenpool.models import Absence, Assignment, OutboxMessage, SchoolHoliday, Shift
from banenpool.principal import SYSTEM
from banenpool.services import registry
from banenpool.services.notifications import deliver_outbox
from tests.conftest import worker_data
from tests.web.pages_data import csrf_token, login
from tests.web.test_decline_call import _call

WEEKLY = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]


def _day(days_ahead: int) -> date:
    return datetime.now(AMS).date() + timedelta(days=days_ahead)


def _absence(days_ahead: int, reason: str = "leave") -> dict:
    day = _day(days_ahead)
    return {"start": datetime.combine(day, time(0), AMS).isoformat(),
            "end": datetime.combine(day + timedelta(days=1), time(0), AMS).isoformat(), "reason": reason}


def _url(pool, what="availability", worker="worker_x"):
    return f"/api/v1/workers/{getattr(pool, worker)}/{what}"


def _put(client, pool, absences, weekly=WEEKLY, who="intermediary"):
    r = client.put(_url(pool), headers=pool.headers(who), json={"weekly": weekly, "absences": absences})
    assert r.status_code == 200, r.get_json()
    return {datetime.fromisoformat(a["start"]): a["id"] for a in r.get_json()["absences"]}


# --- ids kept ---------------------------------------------------------------------------------------

def test_a_put_keeps_the_ids_of_the_absences_it_does_not_change(client, pool):
    first, second = _absence(10), _absence(20, "sick")
    ids = _put(client, pool, [first, second])
    assert len(set(ids.values())) == 2
    # the weekly pattern changed, the absences sent as they are: the same ids
    assert _put(client, pool, [second, first], weekly=WEEKLY[:5]) == ids
    # one absence changed (its reason): the other keeps its id, the changed one is new
    again = _put(client, pool, [first, {**second, "reason": "other"}])
    first_on, second_on = datetime.fromisoformat(first["start"]), datetime.fromisoformat(second["start"])
    assert again[first_on] == ids[first_on]
    assert again[second_on] not in ids.values()


def test_saving_the_weekly_hours_in_one_tab_leaves_the_absence_buttons_of_another_working(client, pool, session):
    _put(client, pool, [_absence(10), _absence(20)], who="worker_x")
    login(client, "worker_x")
    other_tab = client.get("/me/availability").get_data(as_text=True)
    ids = re.findall(r'/me/availability/absences/(\d+)/delete', other_tab)
    assert len(ids) == 2
    data = {"csrf_token": csrf_token(other_tab)}
    for i in range(7):
        data[f"days-{i}-start"], data[f"days-{i}-end"] = "08:00", "17:00"
    data["days-0-available"] = "y"
    assert client.post("/me/availability", data=data).status_code == 302     # saved in this tab
    r = client.post(f"/me/availability/absences/{ids[0]}/delete", data={"csrf_token": csrf_token(other_tab)},
                    follow_redirects=True)
    assert "Afwezigheid verwijderd." in r.get_data(as_text=True)
    session.expire_all()
    assert [a.id for a in session.scalars(select(Absence))] == [int(ids[1])]
    # that button again, its absence gone: said on the page, not a bare 404
    r = client.post(f"/me/availability/absences/{ids[0]}/delete", data={"csrf_token": csrf_token(other_tab)},
                    follow_redirects=True)
    assert r.status_code == 200
    assert "Deze afwezigheid is intussen verwijderd of gewijzigd" in r.get_data(as_text=True)
    assert [a.id for a in session.scalars(select(Absence))] == [int(ids[1])]


# --- per item through the API -----------------------------------------------------------------------

def test_absences_are_added_and_removed_one_at_a_time_by_the_pool_and_the_worker_themselves(client, pool, session):
    kept = _put(client, pool, [_absence(10)])
    r = client.post(_url(pool, "absences"), headers=pool.headers("worker_x"), json=_absence(20, "sick"))
    assert r.status_code == 201, r.get_json()
    own = r.get_json()
    assert own["reason"] == "sick" and own["id"] not in kept.values()
    r = client.post(_url(pool, "absences"), headers=pool.headers("intermediary"), json=_absence(30))
    assert r.status_code == 201
    listed = client.get(_url(pool), headers=pool.headers("worker_x")).get_json()["absences"]
    assert [a["id"] for a in listed] == [*kept.values(), own["id"], r.get_json()["id"]]
    # another worker does not see worker x (404), an employer never changes absences
    for who, status in (("worker_y", 404), ("employer_a", 404)):
        assert client.post(_url(pool, "absences"), headers=pool.headers(who), json=_absence(40)).status_code == status
        assert client.delete(f"{_url(pool, 'absences')}/{own['id']}", headers=pool.headers(who)).status_code == status
    r = client.post(_url(pool, "absences"), headers=pool.headers("worker_x"),
                    json={"start": _absence(40)["end"], "end": _absence(40)["start"]})
    assert r.status_code == 422 and "end" in r.get_json()["errors"]["json"]
    assert client.delete(f"{_url(pool, 'absences')}/{own['id']}", headers=pool.headers("worker_x")).status_code == 204
    r = client.delete(f"{_url(pool, 'absences')}/{own['id']}", headers=pool.headers("worker_x"))
    assert r.status_code == 404 and "does not exist (any more)" in r.get_json()["message"]
    # worker y cannot remove x's absence through their own address either
    assert client.delete(f"{_url(pool, 'absences', 'worker_y')}/{listed[0]['id']}",
                         headers=pool.headers("worker_y")).status_code == 404
    session.expire_all()
    assert sorted(a.id for a in session.scalars(select(Absence))) == sorted([listed[0]["id"], listed[2]['id']])


def test_school_holidays_are_added_and_removed_one_at_a_time_by_the_pool_only(client, pool, session):
    h = pool.headers("intermediary")
    r = client.put(_url(pool, "school-holidays"), headers=h,
                   json={"school_holidays": [{"first_day": "2027-02-15", "last_day": "2027-02-21"}]})
    spring = r.get_json()["school_holidays"][0]["id"]
    r = client.post(_url(pool, "school-holidays"), headers=h, json={"first_day": "2026-12-19", "last_day": "2027-01-03"})
    assert r.status_code == 201, r.get_json()
    christmas = r.get_json()["id"]
    assert r.get_json() == {"id": christmas, "first_day": "2026-12-19", "last_day": "2027-01-03"}
    listed = client.get(_url(pool, "school-holidays"), headers=h).get_json()["school_holidays"]
    assert [x["id"] for x in listed] == [christmas, spring]            # in date order, the spring one kept
    r = client.post(_url(pool, "school-holidays"), headers=h, json={"first_day": "2027-02-20", "last_day": "2027-02-28"})
    assert r.status_code == 422
    assert r.get_json()["errors"]["json"] == {"first_day": ["overlaps the school holiday 2027-02-15 through 2027-02-21"]}
    for who, status in (("worker_x", 403), ("worker_y", 403), ("employer_a", 403)):
        body = {"first_day": "2027-05-01", "last_day": "2027-05-05"}
        assert client.post(_url(pool, "school-holidays"), headers=pool.headers(who), json=body).status_code == status
        assert client.delete(f"{_url(pool, 'school-holidays')}/{spring}", headers=pool.headers(who)).status_code == status
    assert client.delete(f"{_url(pool, 'school-holidays')}/{christmas}", headers=h).status_code == 204
    r = client.delete(f"{_url(pool, 'school-holidays')}/{christmas}", headers=h)
    assert r.status_code == 404 and "does not exist (any more)" in r.get_json()["message"]
    session.expire_all()
    assert [x.id for x in session.scalars(select(SchoolHoliday))] == [spring]


# --- the availability page --------------------------------------------------------------------------

def _queries_of_calls(app, client, url: str) -> tuple[int, str]:
    """How many statements reading assignments the page `url` runs, and the page."""
    seen = []

    def count(_conn, _cursor, statement, *_):
        if re.search(r"\bFROM assignments\b", statement):
            seen.append(statement)

    engine = app.extensions["banenpool.engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get(url).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen), page


def test_the_availability_page_reads_the_calls_of_all_absences_at_once(app, client, pool, session):
    _call(client, pool, session, days_ahead=10)
    login(client, "intermediary")
    url = f"/workers/{pool.worker_x}/availability"
    _put(client, pool, [_absence(10, "sick")])
    one, page = _queries_of_calls(app, client, url)
    assert page.count("ingepland op 1 dienst daarin") == 1
    for days in (11, 12):                                      # two more calls, each in an absence of its own
        _call(client, pool, session, days_ahead=days)
    _put(client, pool, [_absence(10, "sick"), _absence(11, "sick"), _absence(12, "sick"), _absence(13)])
    three, page = _queries_of_calls(app, client, url)
    assert page.count("ingepland op 1 dienst daarin") == 3  # each absence still lists its own call
    assert three == one


# --- a released shift is offered ------------------------------------------------------------------

def _worker(session, name, email, weekly=WEEKLY, absences=()):
    worker = registry.create_worker(session, SYSTEM, worker_data(name=name, email=email))
    weekly = [{"weekday": w["weekday"], "start": time.fromisoformat(w["start"]), "end": time.fromisoformat(w["end"])}
              for w in weekly]
    registry.set_availability(session, SYSTEM, worker.id, weekly, [
        {**a, "start": datetime.fromisoformat(a["start"]), "end": datetime.fromisoformat(a["end"])} for a in absences])
    session.commit()
    return worker.id


def test_a_released_shift_is_offered_to_the_workers_who_can_take_it_and_to_no_one_else(client, pool, session,
                                                                                      caplog):
    shift, call = _call(client, pool, session, days_ahead=10)
    sick = _absence(10, "sick")
    absent = _worker(session, "Fleur Absent", "fleur@example.org", absences=[_absence(10)])
    unavailable = _worker(session, "Bram Nooit", "bram@example.org", weekly=[])
    left = _worker(session, "Lotte Weg", "lotte@example.org")
    assert client.patch(f"/api/v1/workers/{left}", headers=pool.headers("intermediary"),
                        json={"left_on": _day(5).isoformat()}).status_code == 200
    _put(client, pool, [sick])
    r = client.post(_url(pool, "absences/release"), headers=pool.headers("intermediary"),
                    json={"start": sick["start"], "end": sick["end"]})
    assert r.status_code == 200, r.get_json()
    assert [(a["id"], a["status"], a["offered_to"]) for a in r.get_json()] == [(call, "cancelled", [pool.worker_y])]
    offers = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "shifts_offered")).all()
    assert [m.worker_id for m in offers] == [pool.worker_y]           # not the absent, unavailable or gone ones
    (line,) = offers[0].payload["offered"]
    assert line["shift_id"] == shift and line["employer_id"] == pool.employer_a
    assert line["start"] == session.get(Shift, shift).start.astimezone(AMS).isoformat()
    assert {absent, unavailable, left, pool.worker_x}.isdisjoint(m.worker_id for m in offers)
    # nothing is assigned by the offer itself: the pool assigns whoever answers
    assert session.scalars(select(Assignment).where(Assignment.shift_id == shift,
                                                    Assignment.status == "confirmed")).all() == []
    with caplog.at_level(logging.INFO, logger="banenpool.notifications"):
        deliver_outbox(session)
    assert (f"to worker {pool.worker_y}: open shift: its worker is absent — 1 open shift(s) offered"
            in [rec.getMessage() for rec in caplog.records])


def test_the_pool_page_says_how_many_were_told_of_the_released_shifts(client, pool, session):
    _call(client, pool, session, days_ahead=10)
    _put(client, pool, [_absence(10, "sick")])
    login(client, "intermediary")
    page = client.get(f"/workers/{pool.worker_x}/availability").get_data(as_text=True)
    absence_id = session.scalar(select(Absence.id))
    r = client.post(f"/workers/{pool.worker_x}/availability/absences/{absence_id}/release",
                    data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "1 medewerker die ze zonder een regel te breken kan nemen, is ingelicht." in r.get_data(as_text=True)


def test_a_shift_a_release_opened_is_on_the_open_shifts_of_who_was_offered_it_and_they_take_it(client, pool, session):
    shift, call = _call(client, pool, session, days_ahead=10)
    sick = _absence(10, "sick")
    _put(client, pool, [sick])
    r = client.post(_url(pool, "absences/release"), headers=pool.headers("intermediary"),
                    json={"start": sick["start"], "end": sick["end"]})
    assert r.get_json()[0]["offered_to"] == [pool.worker_y]
    day = {"from": _day(10).isoformat(), "to": _day(10).isoformat()}

    def listed(who):
        r = client.get("/api/v1/me/open-shifts", headers=pool.headers(who), query_string=day)
        assert r.status_code == 200, r.get_json()
        return [s["shift_id"] for s in r.get_json()]

    assert listed("worker_y") == [shift] and listed("worker_x") == []      # not to the absent worker
    r = client.post(f"/api/v1/me/open-shifts/{shift}/claim", headers=pool.headers("worker_x"))
    assert r.status_code == 409 and "W06" in r.get_json()["rules"]
    r = client.post(f"/api/v1/me/open-shifts/{shift}/claim", headers=pool.headers("worker_y"))
    assert r.status_code == 201 and r.get_json()["worker_id"] == pool.worker_y
    assert listed("worker_y") == []
    assert session.scalars(select(Assignment.worker_id).where(Assignment.shift_id == shift,
                                                              Assignment.status == "confirmed")).all() == [pool.worker_y]
