"""A manual assignment is refused (409 naming the rule) when the compliance check would flag it:
youth and night work rules (nl-facts §2), not only the planner's W-rules."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from banenpool.models import Assignment, Shift
from banenpool.principal import SYSTEM
from banenpool.services import registry
from tests.conftest import worker_data

AMS = ZoneInfo("Europe/Amsterdam")
ALL_DAY = [{"weekday": d, "start": time(0), "end": time(0)} for d in range(7)]  # available all week


def worker(session, **data):
    w = registry.create_worker(session, SYSTEM, worker_data(**data))
    registry.set_availability(session, SYSTEM, w.id, ALL_DAY, [])
    session.commit()
    return w.id


def shift(session, employer_id, start, hours, break_minutes):
    s = Shift(employer_id=employer_id, start=start, end=start + timedelta(hours=hours), break_minutes=break_minutes,
              paid_hours=Decimal(str(hours)) - Decimal(break_minutes) / 60, skills=["groen"], headcount=1)
    session.add(s)
    session.commit()
    return s.id


def assign(client, pool, shift_id, worker_id):
    return client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                       json={"shift_id": shift_id, "worker_id": worker_id})


def test_youth_night_work_and_long_shifts_are_409_with_the_rule(client, pool, session):
    teen = worker(session, name="Teun", email="teun@example.org", birth_date=date(2009, 6, 1))  # 17 in 2027
    night = shift(session, pool.employer_a, datetime(2027, 1, 12, 22, tzinfo=AMS), 8, 30)  # Tue 22:00–06:00
    long_day = shift(session, pool.employer_a, datetime(2027, 1, 14, 7, tzinfo=AMS), 10, 30)  # 9.5 h work
    day = shift(session, pool.employer_a, datetime(2027, 1, 15, 7, tzinfo=AMS), 8.5, 30)  # 8 h work

    r = assign(client, pool, night, teen)
    # W06 too: the planner's availability of a minor leaves out 23:00-06:00 (instance_builder)
    assert r.status_code == 409 and r.get_json()["rules"] == ["W06", "YOUTH-night"]
    assert "night" in r.get_json()["message"] and "Tue 12 Jan 22:00–06:00 (+1) at " in r.get_json()["message"]
    r = assign(client, pool, long_day, teen)
    assert r.status_code == 409 and r.get_json()["rules"] == ["YOUTH-shift-9h"]
    assert "9.5 h" in r.get_json()["message"] and "at most 9 h" in r.get_json()["message"]
    assert assign(client, pool, day, teen).status_code == 201  # a legal shift for a 17-year-old
    assert session.query(Assignment).filter_by(worker_id=teen).count() == 1  # nothing written by the refusals
    # the checker agrees: nothing to flag in what was accepted
    r = client.get(f"/api/v1/workers/{teen}/checks?from=2027-01-01&to=2027-01-31", headers=pool.headers("intermediary"))
    assert r.get_json()["violations"] == []


def test_adult_night_shift_over_10_hours_without_12_hours_rest_after_it_is_409(client, pool, session):
    adult = worker(session, name="Bram", email="bram@example.org", max_hours_per_week=Decimal(60))
    # Tue 14:00–01:30 with 60 min break: 10.5 h work, 1.5 h of it after midnight; Wed 12:30: 11 h rest
    too_long = shift(session, pool.employer_a, datetime(2027, 1, 19, 14, tzinfo=AMS), 11.5, 60)
    after = shift(session, pool.employer_a, datetime(2027, 1, 20, 12, 30, tzinfo=AMS), 4, 0)
    ok = shift(session, pool.employer_a, datetime(2027, 1, 21, 20, tzinfo=AMS), 11.5, 60)  # 10.5 h work, then free
    assert assign(client, pool, after, adult).status_code == 201
    r = assign(client, pool, too_long, adult)
    assert r.status_code == 409 and r.get_json()["rules"] == ["ATW-night-length"]
    assert "at least 12 h rest after a night shift over 10 h" in r.get_json()["message"]
    assert assign(client, pool, ok, adult).status_code == 201  # over 10 h up to 12 h: 5 times per 14×24 h


def test_only_violations_of_the_new_shift_count(client, pool, session):
    teen = worker(session, name="Teun", email="teun@example.org", birth_date=date(2009, 6, 1))
    night = shift(session, pool.employer_a, datetime(2027, 1, 12, 22, tzinfo=AMS), 8, 30)
    session.add(Assignment(shift_id=night, worker_id=teen, status="confirmed"))  # an old mistake, not the new shift's
    session.commit()
    later = shift(session, pool.employer_a, datetime(2027, 1, 20, 7, tzinfo=AMS), 8.5, 30)
    assert assign(client, pool, later, teen).status_code == 201
