"""A 15-year-old's school days: the pool registers the worker's school holidays (API and the pool's
availability page); outside them every weekday that is no public holiday is a school day, with at
most 2 h of work, 12 h a school week and work only until 19:00 (nl-facts §2, Youth). A manual
assignment, the worker's checks and a plan all keep to it."""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from banenpool import queue
from banenpool.models import Assignment, SchoolHoliday, Worker
from tests.web.pages_data import csrf_token, login
from tests.web.test_assignment_rules import assign, shift, worker
from tests.web.test_plan_compliance import ROUND_THE_CLOCK, _available, _line, _plan

AMS = ZoneInfo("Europe/Amsterdam")
JANUARY = {"school_holidays": [{"first_day": "2027-02-15", "last_day": "2027-02-21"},
                               {"first_day": "2026-12-19", "last_day": "2027-01-03"}]}


def _url(worker_id):
    return f"/api/v1/workers/{worker_id}/school-holidays"


def test_the_pool_registers_school_holidays_and_the_worker_reads_them(client, pool):
    h = pool.headers("intermediary")
    r = client.put(_url(pool.worker_x), headers=h, json=JANUARY)
    assert r.status_code == 200, r.get_json()
    expected = [{"first_day": "2026-12-19", "last_day": "2027-01-03"}, {"first_day": "2027-02-15", "last_day": "2027-02-21"}]
    saved = r.get_json()["school_holidays"]
    assert [{k: h[k] for k in ("first_day", "last_day")} for h in saved] == expected   # in date order
    assert client.get(_url(pool.worker_x), headers=pool.headers("worker_x")).get_json() == {"school_holidays": saved}
    assert client.get(_url(pool.worker_y), headers=h).get_json() == {"school_holidays": []}
    r = client.put(_url(pool.worker_x), headers=h, json={"school_holidays": []})   # PUT replaces the whole list
    assert r.status_code == 200 and r.get_json() == {"school_holidays": []}


def test_bad_school_holidays_are_422_naming_the_field_and_change_nothing(client, pool):
    h = pool.headers("intermediary")
    assert client.put(_url(pool.worker_x), headers=h, json=JANUARY).status_code == 200
    backwards = {"school_holidays": [{"first_day": "2027-01-10", "last_day": "2027-01-09"}]}
    r = client.put(_url(pool.worker_x), headers=h, json=backwards)
    assert r.status_code == 422
    assert r.get_json()["errors"]["json"] == {"school_holidays": {"0": {"last_day": ["must not be before first_day"]}}}
    overlapping = {"school_holidays": [{"first_day": "2027-01-01", "last_day": "2027-01-10"},
                                       {"first_day": "2026-12-20", "last_day": "2027-01-01"}]}
    r = client.put(_url(pool.worker_x), headers=h, json=overlapping)
    assert r.status_code == 422
    assert r.get_json()["errors"]["json"]["school_holidays"] == {
        "0": {"first_day": ["overlaps the school holiday 2026-12-20 through 2027-01-01"]}}
    many = {"school_holidays": [{"first_day": f"{2030 + n}-07-01", "last_day": f"{2030 + n}-08-15"} for n in range(101)]}
    r = client.put(_url(pool.worker_x), headers=h, json=many)
    assert r.status_code == 422 and r.get_json()["errors"]["json"]["school_holidays"] == ["at most 100 school holidays"]
    r = client.put(_url(pool.worker_x), headers=h, json={"school_holidays": [{"first_day": "2027-13-01"}]})
    assert r.status_code == 422 and set(r.get_json()["errors"]["json"]["school_holidays"]["0"]) == {"first_day",
                                                                                                    "last_day"}
    assert client.put(_url(pool.worker_x), headers=h, json={}).status_code == 422
    assert len(client.get(_url(pool.worker_x), headers=h).get_json()["school_holidays"]) == 2   # unchanged


def test_only_the_pool_sets_school_holidays_and_only_the_worker_and_the_pool_read_them(client, pool):
    for caller, read, write in (("employer_a", 404, 403), ("worker_y", 404, 403), ("worker_x", 200, 403),
                                ("anonymous", 401, 401)):
        assert client.get(_url(pool.worker_x), headers=pool.headers(caller)).status_code == read, caller
        assert client.put(_url(pool.worker_x), headers=pool.headers(caller), json=JANUARY).status_code == write, caller
    assert client.get(_url(999999), headers=pool.headers("intermediary")).status_code == 404
    assert client.put(_url(999999), headers=pool.headers("intermediary"), json=JANUARY).status_code == 404


# a worker who is 15 all through January 2027; Tuesday 12 January is a school day
FIFTEEN = date(2011, 6, 1)


def test_a_manual_assignment_of_a_15_year_old_keeps_to_the_school_day(client, pool, session):
    kid = worker(session, name="Kim", email="kim@example.org", birth_date=FIFTEEN)
    long_tuesday = shift(session, pool.employer_a, datetime(2027, 1, 12, 15, tzinfo=AMS), 2.25, 0)
    r = assign(client, pool, long_tuesday, kid)
    assert r.status_code == 409 and r.get_json()["rules"] == ["YOUTH15-schoolday-2h"]
    assert "at most 2 h on a school day" in r.get_json()["message"]
    late = shift(session, pool.employer_a, datetime(2027, 1, 13, 17, 30, tzinfo=AMS), 2, 0)   # until 19:30
    r = assign(client, pool, late, kid)
    assert r.status_code == 409 and r.get_json()["rules"] == ["YOUTH15-hours"]
    tuesday = shift(session, pool.employer_a, datetime(2027, 1, 12, 15, tzinfo=AMS), 2, 0)
    assert assign(client, pool, tuesday, kid).status_code == 201
    checks = client.get(f"/api/v1/workers/{kid}/checks?from=2027-01-01&to=2027-01-31&lang=en",
                        headers=pool.headers("intermediary")).get_json()
    assert checks["violations"] == []
    assert any("no school holidays registered" in n for n in checks["cao_notes"])
    # in a registered school holiday the same Thursday allows 8 h and work until 21:00
    r = client.put(_url(kid), headers=pool.headers("intermediary"),
                   json={"school_holidays": [{"first_day": "2027-01-14", "last_day": "2027-01-17"}]})
    assert r.status_code == 200
    holiday = shift(session, pool.employer_a, datetime(2027, 1, 14, 12, 30, tzinfo=AMS), 8.5, 30)   # until 21:00
    assert assign(client, pool, holiday, kid).status_code == 201
    checks = client.get(f"/api/v1/workers/{kid}/checks?from=2027-01-01&to=2027-01-31&lang=en",
                        headers=pool.headers("intermediary")).get_json()
    assert checks["violations"] == [] and not any("school" in n for n in checks["cao_notes"])
    assert session.query(Assignment).filter_by(worker_id=kid).count() == 2


def _only_a_15_year_old(client, pool, session, monkeypatch):
    """Plans run at once; worker X, 15 in March 2026, is available round the clock, worker Y never."""
    monkeypatch.setattr(queue.huey, "immediate", True)
    session.get(Worker, pool.worker_x).birth_date = date(2010, 6, 1)
    session.commit()
    _available(client, pool, pool.worker_x, ROUND_THE_CLOCK)
    _available(client, pool, pool.worker_y, [])


# week 2026-W13: Monday 3 h (too long for a school day), Tuesday to Friday 2 h each, Saturday 4.5 h (no
# school that day) and Sunday until 20:00 (after 19:00 in a school week)
SCHOOL_WEEK = [_line(0, "15:00", "18:00"), *(_line(d, "16:00", "18:00") for d in (1, 2, 3, 4)),
               _line(5, "10:00", "14:30"), _line(6, "18:00", "20:00")]


def test_a_plan_gives_a_15_year_old_only_what_a_school_week_allows(client, pool, session, monkeypatch):
    _only_a_15_year_old(client, pool, session, monkeypatch)
    plan = _plan(client, pool, SCHOOL_WEEK)
    h = pool.headers("intermediary")
    assert plan["status"] == "done" and plan["compliance"]["left_out"] == [], plan
    instance = client.get(f"/api/v1/plans/{plan['id']}/instance", headers=h).get_json()
    ids = [s["id"] for s in instance["shifts"]]
    (kid,) = [w for w in instance["workers"] if w["id"] == str(pool.worker_x)]
    assert kid["excluded"] == [ids[0], ids[6]]   # 3 h on a school day; after 19:00 in a school week
    assert kid["max_hours_per_week"] == 12.0       # a school week
    proposed = client.get(f"/api/v1/plans/{plan['id']}/assignments", headers=h).get_json()
    # 4 × 2 h and 4.5 h on Saturday would make 12.5 h: four of the five, at most 12 h
    hours = {f"2026-03-{d}T16:00": 2 for d in (24, 25, 26, 27)} | {"2026-03-28T10:00": 4.5}
    starts = [a["start"][:16] for a in proposed]
    assert len(starts) == 4 and set(starts) <= set(hours) and sum(hours[s] for s in starts) <= 12
    unfilled = {u["start"][:10]: u["reasons"] for u in
                client.get(f"/api/v1/plans/{plan['id']}/unfilled", headers=h).get_json()}
    assert len(unfilled) == 3 and {"2026-03-23", "2026-03-29"} <= set(unfilled)
    assert any("YOUTH15-schoolday-2h" in reason for reason in unfilled["2026-03-23"])
    assert any("YOUTH15-hours" in reason for reason in unfilled["2026-03-29"])
    assert client.post(f"/api/v1/plans/{plan['id']}/publish", headers=h).status_code == 200
    checks = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-23&to=2026-03-29", headers=h)
    assert checks.get_json()["violations"] == []


TWO_WEEKS = {"start_date": "2026-03-23", "end_date": "2026-04-05"}


def test_a_plan_over_a_school_week_and_a_holiday_week_keeps_each_week_to_its_limit(client, pool, session,
                                                                                 monkeypatch):
    _only_a_15_year_old(client, pool, session, monkeypatch)
    h = pool.headers("intermediary")
    r = client.put(_url(pool.worker_x), headers=h,   # the week after 2026-W13 is a school holiday
                   json={"school_holidays": [{"first_day": "2026-03-28", "last_day": "2026-04-05"}]})
    assert r.status_code == 200
    # Monday 8 h, Tuesday to Thursday 2 h, Saturday 6.5 h, in both weeks
    pattern = [_line(0, "09:00", "17:30", 30), *(_line(d, "16:00", "18:00") for d in (1, 2, 3)),
               _line(5, "09:00", "16:00", 30)]
    body = {"employer_id": pool.employer_a, "title": "Seizoen", "skills": ["groen"], **TWO_WEEKS, "pattern": pattern}
    assert client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json=body).status_code == 201
    r = client.post("/api/v1/plans", headers=h, json={**TWO_WEEKS, "time_limit_seconds": 10, "include_started": True})
    plan = client.get(f"/api/v1/plans/{r.get_json()['id']}", headers=h).get_json()
    assert plan["status"] == "done", plan
    instance = client.get(f"/api/v1/plans/{plan['id']}/instance", headers=h).get_json()
    (kid,) = [w for w in instance["workers"] if w["id"] == str(pool.worker_x)]
    assert kid["max_hours_per_week"] == 40.0 and len(kid["excluded"]) == 1   # a holiday week; Monday of W13
    proposed = sorted(a["start"][:16] for a in client.get(f"/api/v1/plans/{plan['id']}/assignments",
                                                          headers=h).get_json())
    # 2026-W13: 3 × 2 h and Saturday's 6.5 h make 12.5 h; the screen leaves out the latest, Saturday
    # (the holiday's first day, but the week has school days). 2026-W14: 8 h on Monday, 20.5 h in all
    assert proposed == ["2026-03-24T16:00", "2026-03-25T16:00", "2026-03-26T16:00",
                        "2026-03-30T09:00", "2026-03-31T16:00", "2026-04-01T16:00", "2026-04-02T16:00",
                        "2026-04-04T09:00"]
    unfilled = {u["start"][:10]: u["reasons"] for u in
                client.get(f"/api/v1/plans/{plan['id']}/unfilled", headers=h).get_json()}
    assert set(unfilled) == {"2026-03-23", "2026-03-28"}
    assert any("YOUTH15-schoolday-2h" in reason for reason in unfilled["2026-03-23"])
    assert unfilled["2026-03-28"][0].startswith(f"worker {pool.worker_x} left out: YOUTH15-schoolweek-12h: ")
    assert client.post(f"/api/v1/plans/{plan['id']}/publish", headers=h).status_code == 200
    checks = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-23&to=2026-04-05", headers=h)
    assert checks.get_json()["violations"] == []


def _young(session, worker_id):
    today = date.today()
    session.get(Worker, worker_id).birth_date = date(today.year - 15, 1, 1) - timedelta(days=1)   # 15 today
    session.commit()


def test_the_pool_page_of_a_young_worker_lists_adds_and_removes_school_holidays(client, pool, session):
    _young(session, pool.worker_x)
    login(client, "intermediary")
    page = client.get(f"/workers/{pool.worker_x}/availability").get_data(as_text=True)
    assert "Schoolvakanties" in page and "Geen schoolvakanties geregistreerd." in page
    assert "Schoolvakanties" not in client.get(f"/workers/{pool.worker_y}/availability").get_data(as_text=True)
    url = f"/workers/{pool.worker_x}/availability/school-holidays"
    year = date.today().year + 1
    r = client.post(url, data={"csrf_token": csrf_token(page), "school-first": f"{year}-07-10",
                               "school-last": f"{year}-08-22"})
    assert r.status_code == 302
    shown = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"Schoolvakantie opgeslagen van 10 jul {year} t/m 22 aug {year}." in shown
    assert re.search(rf'<table id="school-holidays">.*t/m \w+ 22 aug {year}', shown, re.S)
    r = client.post(url, data={"csrf_token": csrf_token(page), "school-first": f"{year}-08-20",
                               "school-last": f"{year}-08-30"})
    assert r.status_code == 422
    assert f"Niet opgeslagen: overlapt met de schoolvakantie van 10 jul {year} t/m 22 aug {year}" \
        in r.get_data(as_text=True)                   # without the list's path ("Schoolvakanties 1 Van")
    r = client.post(url, data={"csrf_token": csrf_token(page), "school-first": f"{year}-10-20",
                               "school-last": f"{year}-10-12"})
    assert r.status_code == 422 and "mag niet vóór de eerste dag liggen" in r.get_data(as_text=True)
    (holiday,) = session.query(SchoolHoliday).filter_by(worker_id=pool.worker_x).all()
    holiday_id = holiday.id
    r = client.post(f"{url}/{holiday_id}/delete", data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302
    assert "Schoolvakantie verwijderd." in client.get(r.headers["Location"]).get_data(as_text=True)
    session.expire_all()
    assert session.query(SchoolHoliday).count() == 0
    gone = client.post(f"{url}/{holiday_id}/delete", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert gone.status_code == 200           # a button left on a page open elsewhere: said on the page
    assert "Deze schoolvakantie is intussen verwijderd of gewijzigd" in gone.get_data(as_text=True)
    # the worker sees their school holidays on their own page but cannot change them there, and the
    # pool's addresses are not theirs
    assert client.post(url, data={"csrf_token": csrf_token(page), "school-first": f"{year}-07-10",
                                  "school-last": f"{year}-08-22"}).status_code == 302
    client.get("/logout")
    login(client, "worker_x")
    own = client.get("/me/availability").get_data(as_text=True)
    assert "Schoolvakanties" in own and f"22 aug {year}" in own
    assert "De pool registreert je schoolvakanties" in own and "school-first" not in own and "/delete" not in own
    assert client.post(url, data={"csrf_token": csrf_token(own), "school-first": f"{year}-10-12",
                                  "school-last": f"{year}-10-20"}).status_code == 403
