"""A worker leaves the pool (Worker.left_on, services/leaving.py): set and undone through the API and the
worker's page, refused while work lies after the day, contracts running past it ended on it, and from the
next day on no plan, manual assignment or staffing list takes the worker."""
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from banenpool.models import Assignment, AuditLog, Contract, Shift
from banenpool.principal import SYSTEM
from banenpool.services import planning, registry
from banenpool.services.instance_builder import build_instance, describe_changes
from tests.banenpool.test_billing import MONDAY, make_assignment, work
from tests.web.pages_data import csrf_token, login

AMS = ZoneInfo("Europe/Amsterdam")
SUNDAY_BEFORE, TUESDAY = date(2026, 3, 8), date(2026, 3, 10)   # around MONDAY (2026-03-09)
ALL_WEEK = [{"weekday": d, "start": time(6), "end": time(22)} for d in range(7)]


def _patch(client, pool, worker_id, left_on, who="intermediary"):
    return client.patch(f"/api/v1/workers/{worker_id}", headers=pool.headers(who), json={"left_on": left_on})


def _contract(client, pool, worker_id, start, end=None, employer="employer_a"):
    body = {"employer_id": getattr(pool, employer), "kind": "on_call", "hours_per_week": "0",
            "cao_code": "hoveniers" if employer == "employer_a" else "schoonmaak", "start_date": start, "end_date": end}
    r = client.post(f"/api/v1/workers/{worker_id}/contracts", headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def _shift(session, employer_id, day, start=time(8), end=time(16), headcount=1):
    shift = Shift(employer_id=employer_id, start=datetime.combine(day, start, AMS),
                  end=datetime.combine(day, end, AMS), break_minutes=30, paid_hours=7.5, skills=["groen"],
                  headcount=headcount)
    session.add(shift)
    session.commit()
    return shift.id


# --- the API ------------------------------------------------------------------------------------------

def test_left_on_is_set_read_by_the_worker_and_undone(client, pool):
    r = _patch(client, pool, pool.worker_x, "2026-03-31")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["left_on"] == "2026-03-31" and r.get_json()["ended_contracts"] == []
    own = client.get(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("worker_x")).get_json()
    assert own["left_on"] == "2026-03-31" and "ended_contracts" not in own
    r = _patch(client, pool, pool.worker_x, None)
    assert r.status_code == 200 and r.get_json()["left_on"] is None


def test_the_list_shows_current_or_left_workers(client, pool):
    assert _patch(client, pool, pool.worker_y, "2026-03-08").status_code == 200
    headers = pool.headers("intermediary")
    ids = {status: [w["id"] for w in client.get(f"/api/v1/workers?status={status}", headers=headers).get_json()]
           for status in ("current", "left", "all")}
    assert ids == {"current": [pool.worker_x], "left": [pool.worker_y], "all": [pool.worker_x, pool.worker_y]}
    assert [w["id"] for w in client.get("/api/v1/workers", headers=headers).get_json()] == ids["all"]
    r = client.get("/api/v1/workers?status=gone", headers=headers)
    assert r.status_code == 422 and "status" in r.get_json()["errors"]["query"]


def test_contracts_running_past_the_day_end_on_it_and_stay_ended_on_undo(client, pool, session):
    open_ended = _contract(client, pool, pool.worker_x, "2026-01-01")
    fixed_term = _contract(client, pool, pool.worker_x, "2026-02-01", "2026-12-31", employer="employer_b")
    r = _patch(client, pool, pool.worker_x, "2026-03-31")
    assert r.status_code == 200, r.get_json()
    assert sorted(r.get_json()["ended_contracts"]) == sorted([open_ended, fixed_term])
    session.expire_all()
    assert {c.end_date for c in session.scalars(select(Contract))} == {date(2026, 3, 31)}
    logged = session.scalars(select(AuditLog).where(AuditLog.entity == "contract", AuditLog.action == "update")).all()
    assert {(e.entity_id, e.changes["end_date"][1], e.changes["reason"]) for e in logged} == {
        (open_ended, "2026-03-31", "the worker left the pool"), (fixed_term, "2026-03-31", "the worker left the pool")}
    worker_log = session.scalars(select(AuditLog).where(AuditLog.entity == "worker", AuditLog.action == "update")).all()
    assert worker_log[-1].changes == {"left_on": [None, "2026-03-31"]}
    assert _patch(client, pool, pool.worker_x, None).get_json()["ended_contracts"] == []
    session.expire_all()
    assert {c.end_date for c in session.scalars(select(Contract))} == {date(2026, 3, 31)}   # not reopened


def test_a_day_before_the_first_contract_or_no_date_is_422_on_left_on(client, pool, session):
    _contract(client, pool, pool.worker_x, "2026-02-01")
    r = _patch(client, pool, pool.worker_x, "2026-01-31")
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["errors"]["json"]["left_on"] == [
        "must not be before the start of the worker's first contract (2026-02-01)"]
    for bad in ("2026-02-30", "soon", "1800-01-01"):
        r = _patch(client, pool, pool.worker_x, bad)
        assert r.status_code == 422 and "left_on" in r.get_json()["errors"]["json"], bad
    session.expire_all()
    assert registry.get_worker(session, SYSTEM, pool.worker_x).left_on is None


def test_confirmed_shifts_after_the_day_are_409_listing_them(client, pool, session):
    later = make_assignment(session, pool.employer_a, pool.worker_x, start=MONDAY)
    cancelled = make_assignment(session, pool.employer_a, pool.worker_x, start=MONDAY + timedelta(days=1),
                                status="cancelled")
    r = _patch(client, pool, pool.worker_x, "2026-03-08")
    assert r.status_code == 409, r.get_json()
    body = r.get_json()
    assert body["rules"] == ["assignments_after_leaving"] and body["assignment_ids"] == [later]
    assert f"assignment {later} " in body["message"] and "cancel them" in body["message"]
    assert f"assignment {cancelled} " not in body["message"]
    # the shift on the last day itself is theirs to work
    assert _patch(client, pool, pool.worker_x, "2026-03-09").status_code == 200


def test_approved_hours_after_the_day_are_409(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    r = _patch(client, pool, pool.worker_x, "2026-03-08")
    assert r.status_code == 409 and r.get_json()["rules"] == ["hours_after_leaving"], r.get_json()
    assert "2026-03-09 at the earliest" in r.get_json()["message"]


def test_a_contract_starting_after_the_day_is_409_and_nothing_is_ended(client, pool, session):
    first = _contract(client, pool, pool.worker_x, "2026-01-01")
    _contract(client, pool, pool.worker_x, "2026-05-01", employer="employer_b")
    r = _patch(client, pool, pool.worker_x, "2026-04-30")
    assert r.status_code == 409 and r.get_json()["rules"] == ["contracts_after_leaving"], r.get_json()
    session.expire_all()
    assert session.get(Contract, first).end_date is None
    assert registry.get_worker(session, SYSTEM, pool.worker_x).left_on is None


def test_only_the_pool_sets_the_day(client, pool, session):
    assert _patch(client, pool, pool.worker_x, "2026-03-31", who="worker_x").status_code == 403
    for who in ("worker_y", "employer_a"):
        assert _patch(client, pool, pool.worker_x, "2026-03-31", who=who).status_code in (403, 404), who
    assert _patch(client, pool, pool.worker_x, "2026-03-31", who="anonymous").status_code == 401
    session.expire_all()
    assert registry.get_worker(session, SYSTEM, pool.worker_x).left_on is None


# --- planning -----------------------------------------------------------------------------------------

def test_the_instance_leaves_out_who_left_before_the_period_and_their_context(client, pool, session):
    before = make_assignment(session, pool.employer_a, pool.worker_y, start=MONDAY)      # Monday: their last day
    assert _patch(client, pool, pool.worker_y, "2026-03-09").status_code == 200
    inst = build_instance(session, TUESDAY, TUESDAY + timedelta(days=5)).instance
    assert [w["id"] for w in inst["workers"]] == [str(pool.worker_x)]
    # Monday's shift was context for worker y's rest and hours only: no open shift for others either
    shift_id = session.get(Assignment, before).shift_id
    assert str(shift_id) not in {s["id"] for s in inst["shifts"]}
    monday = build_instance(session, MONDAY.date(), TUESDAY).instance
    assert [w["id"] for w in monday["workers"]] == [str(pool.worker_x), str(pool.worker_y)]


def _night(session, employer_id, day, start=time(22), hours=8):
    begin = datetime.combine(day, start, AMS)
    shift = Shift(employer_id=employer_id, start=begin, end=begin + timedelta(hours=hours), break_minutes=30,
                  paid_hours=hours - 0.5, skills=["groen"], headcount=1)
    session.add(shift)
    session.commit()
    return shift.id


def test_availability_of_a_worker_leaving_in_the_period_ends_with_a_night_begun_on_the_day(client, pool, session):
    night = [{"weekday": d, "start": "20:00", "end": "08:00"} for d in range(7)]
    client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("intermediary"),
               json={"weekly": night, "absences": []})
    monday_night = _night(session, pool.employer_a, MONDAY.date())
    after = _night(session, pool.employer_a, TUESDAY, start=time(1), hours=6)    # after midnight: Tuesday's
    assert _patch(client, pool, pool.worker_x, "2026-03-09").status_code == 200
    entry = build_instance(session, MONDAY.date(), TUESDAY + timedelta(days=1)).instance["workers"][0]
    assert entry["left_on"] == "2026-03-09"
    # a night shift that starts on the last day ends the next morning; later shifts are barred
    assert [(a["start"], a["end"]) for a in entry["available"]] == [
        ("2026-03-08T20:00:00+01:00", "2026-03-09T08:00:00+01:00"),
        ("2026-03-09T20:00:00+01:00", "2026-03-10T08:00:00+01:00")]
    assert entry["excluded"] == [str(after)] and str(monday_night) not in entry["excluded"]
    # a day after the period's last: nothing changes in that period's instance
    assert _patch(client, pool, pool.worker_x, None).status_code == 200
    plain = build_instance(session, MONDAY.date(), TUESDAY)
    assert _patch(client, pool, pool.worker_x, "2026-03-11").status_code == 200
    assert build_instance(session, MONDAY.date(), TUESDAY).fingerprint == plain.fingerprint


def test_the_plan_changes_say_who_left_the_pool(client, pool, session):
    built = build_instance(session, MONDAY.date(), TUESDAY)
    assert _patch(client, pool, pool.worker_x, "2026-03-09").status_code == 200
    assert _patch(client, pool, pool.worker_y, "2026-03-01").status_code == 200
    now = build_instance(session, MONDAY.date(), TUESDAY)
    reasons = describe_changes(built.instance, built.base, now.instance, now.base)
    assert reasons == [f"worker {pool.worker_x} left the pool on 2026-03-09",
                       f"worker {pool.worker_y} left the pool before the period"]
    assert _patch(client, pool, pool.worker_x, None).status_code == 200
    again = build_instance(session, MONDAY.date(), TUESDAY)
    assert describe_changes(now.instance, now.base, again.instance, again.base)[0] == \
        f"worker {pool.worker_x} no longer leaves the pool in the period (was: on 2026-03-09)"


def _plan_monday_tuesday(app, session):
    """A plan of Monday and Tuesday, solved: the plan and its proposals as (shift, worker)."""
    session.expire_all()
    plan = planning.create_plan(session, SYSTEM, MONDAY.date(), TUESDAY, 5, include_started=True)
    session.commit()
    planning.run_plan(app.extensions["banenpool.sessionmaker"], plan.id)
    session.expire_all()
    return plan, {(a.shift_id, a.worker_id) for a in session.scalars(
        select(Assignment).where(Assignment.plan_id == plan.id))}


def test_a_plan_does_not_propose_a_worker_after_their_last_day(app, client, pool, session):
    for w in (pool.worker_x, pool.worker_y):
        registry.set_availability(session, SYSTEM, w, ALL_WEEK, [])
    shifts = [_shift(session, pool.employer_a, day, headcount=2) for day in (MONDAY.date(), TUESDAY)]
    stale = planning.create_plan(session, SYSTEM, MONDAY.date(), TUESDAY, 5, include_started=True)
    session.commit()
    assert _patch(client, pool, pool.worker_y, "2026-03-09").status_code == 200
    _, proposed = _plan_monday_tuesday(app, session)
    assert proposed == {(shifts[0], pool.worker_x), (shifts[0], pool.worker_y), (shifts[1], pool.worker_x)}
    # a plan made before they left no longer publishes, and says why
    planning.run_plan(app.extensions["banenpool.sessionmaker"], stale.id)
    r = client.post(f"/api/v1/plans/{stale.id}/publish", headers=pool.headers("intermediary"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["base_changed"]
    assert f"worker {pool.worker_y} left the pool on 2026-03-09" in r.get_json()["message"]


def test_a_plan_keeps_the_night_shift_of_a_last_day_and_it_can_be_assigned(app, client, pool, session):
    night = [{"weekday": d, "start": time(20), "end": time(8)} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        registry.set_availability(session, SYSTEM, w, night, [])
    session.commit()
    kept, taken = _night(session, pool.employer_a, MONDAY.date()), _night(session, pool.employer_a, TUESDAY)
    headers = pool.headers("intermediary")
    r = client.post("/api/v1/assignments", headers=headers, json={"shift_id": kept, "worker_id": pool.worker_x})
    assert r.status_code == 201, r.get_json()
    assert _patch(client, pool, pool.worker_x, "2026-03-10").status_code == 200
    # their last day's night shift is still theirs to take by hand (it starts on that day)
    r = client.post("/api/v1/assignments", headers=headers, json={"shift_id": taken, "worker_id": pool.worker_x})
    assert r.status_code == 201, r.get_json()
    assert _patch(client, pool, pool.worker_x, "2026-03-09").status_code == 409    # Tuesday's night is theirs
    client.patch(f"/api/v1/assignments/{r.get_json()['id']}", headers=headers, json={"status": "cancelled"})
    assert _patch(client, pool, pool.worker_x, "2026-03-09").status_code == 200
    plan, proposed = _plan_monday_tuesday(app, session)
    # the plan keeps the call of their last night (it would cancel it when availability ended at midnight)
    assert plan.changes == {"kept": 1, "dropped": 0, "added": 1}
    assert proposed == {(taken, pool.worker_y)}


# --- manual assignment and staffing -------------------------------------------------------------------

def test_a_manual_assignment_after_the_last_day_is_409_and_candidates_show_why(client, pool, session):
    for w in (pool.worker_x, pool.worker_y):
        registry.set_availability(session, SYSTEM, w, ALL_WEEK, [])
    session.commit()
    monday, tuesday = _shift(session, pool.employer_a, MONDAY.date()), _shift(session, pool.employer_a, TUESDAY)
    assert _patch(client, pool, pool.worker_y, "2026-03-09").status_code == 200
    headers = pool.headers("intermediary")
    r = client.post("/api/v1/assignments", headers=headers, json={"shift_id": tuesday, "worker_id": pool.worker_y})
    assert r.status_code == 409 and r.get_json()["rules"] == ["worker_left"], r.get_json()
    assert "left the pool on 2026-03-09" in r.get_json()["message"]
    staffing = client.get(f"/api/v1/shifts/{tuesday}/candidates", headers=headers).get_json()
    assert [(c["worker_id"], c["can_take"]) for c in staffing["candidates"]] == [(pool.worker_x, True),
                                                                                (pool.worker_y, False)]
    assert [r["rule"] for r in staffing["candidates"][1]["reasons"]] == ["worker_left"]
    assert staffing["lacking_skills"] == 0
    on_monday = client.get(f"/api/v1/shifts/{monday}/candidates", headers=headers).get_json()
    assert {c["worker_id"] for c in on_monday["candidates"]} == {pool.worker_x, pool.worker_y}
    r = client.post("/api/v1/assignments", headers=headers, json={"shift_id": monday, "worker_id": pool.worker_y})
    assert r.status_code == 201, r.get_json()
    login(client, "intermediary")       # the staffing page offers only who can still come
    page = client.get(f"/shifts/{tuesday}/staff?lang=nl").get_data(as_text=True)
    assert "Sanne Scholten" in page
    # who left is listed as not eligible, with the day they left, and without an assign button
    row = re.search(r"<tr><td><a [^>]*>Daan Nijhuis</a>.*?</tr>", page, re.S).group(0)
    assert "uit dienst per 9 mrt 2026" in row and "Toewijzen" not in row
    english = client.get(f"/shifts/{tuesday}/staff?lang=en").get_data(as_text=True)
    assert "left the pool on 9 Mar 2026" in english


# --- pages --------------------------------------------------------------------------------------------

def _set_on_page(client, worker_id, left_on, lang="nl"):
    page = client.get(f"/workers/{worker_id}?lang={lang}").get_data(as_text=True)
    r = client.post(f"/workers/{worker_id}/left-on", data={"csrf_token": csrf_token(page), "left_on": left_on})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return client.get(r.headers["Location"]).get_data(as_text=True)


def test_the_worker_page_shows_sets_and_undoes_the_last_day(client, pool, session):
    login(client, "intermediary")
    _contract(client, pool, pool.worker_x, "2026-01-01")
    page = client.get(f"/workers/{pool.worker_x}?lang=nl").get_data(as_text=True)
    assert "Uit dienst per" in page and "geen laatste dag" in page
    page = _set_on_page(client, pool.worker_x, "2026-03-31")
    assert "uit dienst per 31 mrt 2026" in page.lower() and "1 contract dat langer liep, eindigt nu op 31 mrt 2026." in page
    session.expire_all()
    assert registry.get_worker(session, SYSTEM, pool.worker_x).left_on == date(2026, 3, 31)
    english = client.get(f"/workers/{pool.worker_x}?lang=en").get_data(as_text=True)
    assert "Left the pool on 31 Mar 2026" in english
    page = _set_on_page(client, pool.worker_x, "", lang="en")
    assert "belongs to the pool again" in page
    session.expire_all()
    assert registry.get_worker(session, SYSTEM, pool.worker_x).left_on is None


def test_the_worker_page_says_why_a_day_is_refused(client, pool, session):
    login(client, "intermediary")
    make_assignment(session, pool.employer_a, pool.worker_x, start=MONDAY)
    page = _set_on_page(client, pool.worker_x, "2026-03-08")
    assert "Niet opgeslagen" in page and "bevestigde diensten na deze dag" in page
    _contract(client, pool, pool.worker_y, "2026-02-01")
    page = _set_on_page(client, pool.worker_y, "2026-01-31")
    assert "eerste contract liggen (1 feb 2026)" in page


def test_the_workers_list_shows_current_workers_first_and_marks_who_left(client, pool, session):
    login(client, "intermediary")
    assert _patch(client, pool, pool.worker_y, "2026-03-08").status_code == 200
    assert _patch(client, pool, pool.worker_x, "2199-12-31").status_code == 200
    current = client.get("/workers?lang=nl").get_data(as_text=True)
    assert "Sanne Scholten" in current and "Daan Nijhuis" not in current
    assert "gaat uit dienst per 31 dec 2199" in current
    left = client.get("/workers?show=left").get_data(as_text=True)
    assert "Daan Nijhuis" in left and "Sanne Scholten" not in left and "uit dienst per 8 mrt 2026" in left
    everyone = client.get("/workers?show=all&lang=en").get_data(as_text=True)
    assert "Daan Nijhuis" in everyone and "Sanne Scholten" in everyone and "left the pool on 8 Mar 2026" in everyone
    # the week schedule has a row for each worker in the pool on a day of that week
    assert "Daan Nijhuis" in client.get("/schedule?week=2026-W10").get_data(as_text=True)     # Mar 2–8
    assert "Daan Nijhuis" not in client.get("/schedule?week=2026-W11").get_data(as_text=True)


def test_a_worker_cannot_post_the_page_form(client, pool, session):
    login(client, "worker_x")
    page = client.get("/me/availability").get_data(as_text=True)
    r = client.post(f"/workers/{pool.worker_x}/left-on", data={"csrf_token": csrf_token(page),
                                                                "left_on": "2026-03-31"})
    assert r.status_code == 403
    session.expire_all()
    assert registry.get_worker(session, SYSTEM, pool.worker_x).left_on is None


def test_the_worker_sees_their_last_day_on_their_schedule(client, pool):
    login(client, "worker_x")
    assert "laatste dag in de pool" not in client.get("/me").get_data(as_text=True)
    assert _patch(client, pool, pool.worker_x, "2027-06-30").status_code == 200
    assert "Je laatste dag in de pool: woensdag 30 juni 2027." in client.get("/me").get_data(as_text=True)
