"""Gaps in timesheets, billing and pay: overlapping hours are refused, finalising prices the hours
again under the CAO in force, week overtime splits a night shift at Monday 00:00, and pay and the
compliance check read a contract's fixed times alike (art. 7:628a BW, nl-facts §3)."""
import dataclasses
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

import contracts.cao
from banenpool.errors import Conflict
from banenpool.models import Assignment, Timesheet, Worker
from banenpool.principal import SYSTEM
from banenpool.services import registry, timesheets
from banenpool.services.checks import work_item
from contracts.cao import Catalogue, catalogue
from contracts.compliance_pay import is_call_contract
from contracts.pay import FixedTime, within_fixed_times
from tests.banenpool.test_billing import AMS, MONDAY, SATURDAY, make_assignment, work
from tests.banenpool.test_invoice_pay_review import MARCH, approved_work, small_fixed_contract
from tests.banenpool.test_money_fixes import NOVEMBER, approve, post
from tests.conftest import employer_data


def put_hours(client, pool, who, assignment_id, start, hours, break_minutes=0):
    body = {"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat(),
            "break_minutes": break_minutes}
    return client.put(f"/api/v1/assignments/{assignment_id}/timesheet", headers=pool.headers(who), json=body)


def get_invoice(client, pool, invoice_id):
    return client.get(f"/api/v1/invoices/{invoice_id}", headers=pool.headers("intermediary")).get_json()


# ---- 1. a worker's registered hours never overlap ----

def test_overlapping_hours_at_another_employer_are_409_naming_the_other_hours(client, pool, session):
    first = work(client, pool, "employer_a", "worker_x", session=session)  # Mon 9 March 08:00–16:30, approved
    other = make_assignment(session, pool.employer_b, pool.worker_x, MONDAY + timedelta(hours=4), hours=6)

    r = put_hours(client, pool, "worker_x", other, MONDAY + timedelta(hours=4), 6)  # 12:00–18:00
    assert r.status_code == 409, r.get_json()
    body = r.get_json()
    assert (body["code"], body["status"], body["rules"]) == (409, "Conflict", ["timesheet_overlap"])
    sheet = session.query(Timesheet).filter_by(assignment_id=first).one()
    message = body["message"]
    assert f"assignment {first} at Groenwerk Twente BV (timesheet {sheet.id}" in message  # the worker's own work
    assert "approved" in message and "during 2026-03-09 12:00–16:30" in message
    assert client.get(f"/api/v1/assignments/{other}/timesheet",
                      headers=pool.headers("worker_x")).status_code == 404  # nothing was saved

    r = put_hours(client, pool, "employer_b", other, MONDAY + timedelta(hours=4), 6)
    message = r.get_json()["message"]
    assert r.status_code == 409 and "during 2026-03-09 12:00–16:30" in message  # when, so B can correct its hours
    # not whose: another employer's name, its assignment and timesheet, their status and span stay hidden
    assert "hours the worker registered for another employer" in message
    for hidden in ("Groenwerk", f"assignment {first}", f"timesheet {sheet.id}", "approved", "08:00"):
        assert hidden not in message

    r = put_hours(client, pool, "worker_x", other, MONDAY + timedelta(hours=8.5), 3)  # from 16:30: touching is fine
    assert r.status_code == 200, r.get_json()


def test_a_cancelled_assignments_hours_do_not_count(client, pool, session):
    gone = work(client, pool, "employer_a", "worker_x", approve=False, session=session)
    assert client.patch(f"/api/v1/assignments/{gone}", headers=pool.headers("intermediary"),
                        json={"status": "cancelled"}).status_code == 200
    again = make_assignment(session, pool.employer_b, pool.worker_x, MONDAY)
    assert put_hours(client, pool, "worker_x", again, MONDAY, 8.5, 30).status_code == 200


def test_approving_hours_that_overlap_others_is_409(client, pool, session):
    """Hours registered before overlaps were refused: the approval refuses them."""
    a = work(client, pool, "employer_a", "worker_x", approve=False, session=session)
    b = make_assignment(session, pool.employer_b, pool.worker_x, MONDAY + timedelta(hours=1))
    session.add(Timesheet(assignment_id=b, start=MONDAY + timedelta(hours=1), end=MONDAY + timedelta(hours=5),
                          break_minutes=0, status="submitted"))
    session.commit()
    r = post(client, pool, f"/assignments/{b}/timesheet/approve")
    assert r.status_code == 409 and r.get_json()["rules"] == ["timesheet_overlap"]
    assert f"submitted hours of assignment {a}" in r.get_json()["message"]
    assert client.get(f"/api/v1/assignments/{b}/timesheet",
                      headers=pool.headers("intermediary")).get_json()["status"] == "submitted"


def at_once(app, action, args) -> list:
    """Run `action(session, arg)` for every arg in its own thread and session, all starting together
    behind a barrier, each committing its own work; what each returned or raised, in order of args."""
    barrier, outcomes = threading.Barrier(len(args)), {}

    def run(index, arg):
        with app.extensions["banenpool.sessionmaker"]() as own:
            try:
                barrier.wait(timeout=10)
                outcomes[index] = action(own, arg)
                own.commit()
            except Exception as exc:  # a thread cannot fail the test itself: the caller looks
                outcomes[index] = exc

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(args)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return [outcomes.get(i) for i in range(len(args))]


def test_two_overlapping_registrations_at_once_save_one(app, pool, session):
    """Checked in the registering transaction: the second sees the first once that commits."""
    ids = [make_assignment(session, employer, pool.worker_x, MONDAY) for employer in (pool.employer_a, pool.employer_b)]
    hours = {"start": MONDAY, "end": MONDAY + timedelta(hours=8)}
    outcomes = at_once(app, lambda own, a: timesheets.submit(own, SYSTEM, a, hours).assignment_id, ids)
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(refused) == 1 and refused[0].rules == ["timesheet_overlap"], outcomes
    saved = [o for o in outcomes if o in ids]
    assert len(saved) == 1 and f"submitted hours of assignment {saved[0]} " in str(refused[0])
    assert session.query(Timesheet).count() == 1


# ---- 2. finalising prices the hours under the CAO in force on each work date ----

@pytest.fixture
def new_hoveniers_version(monkeypatch):
    """Returns a function that adds a hoveniers version (from 1 October 2024, the day after the last
    one ends, so also in force on the work date) paying 1.00 more an hour in every scale: A 16.00."""
    def add():
        shipped = catalogue()
        last = shipped.latest("hoveniers")
        new = dataclasses.replace(last, valid_from=date(2024, 10, 1), valid_to=None,
                                  wage_scales={scale: wage + 1 for scale, wage in last.wage_scales.items()})
        patched = Catalogue([v for code in shipped.codes() for v in shipped.versions(code)] + [new])
        monkeypatch.setattr(contracts.cao, "catalogue", lambda: patched)
    return add


def test_finalising_prices_again_under_a_cao_version_that_came_in_after_the_draft(
        client, pool, session, new_hoveniers_version):
    work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)
    draft = post(client, pool, "/invoices", {"employer_id": pool.employer_a, **MARCH}).get_json()
    assert draft["subtotal"] == "333.04"  # 8 h × 15.00 × 1.85 = 222.00, Saturday +50 %: 111.04
    new_hoveniers_version()

    r = post(client, pool, f"/invoices/{draft['id']}/finalize")
    assert r.status_code == 200, r.get_json()
    inv = r.get_json()
    # 8 h × 16.00 × 1.85 = 8 × 29.60 = 236.80; Saturday +50 %: 8 × 14.80 = 118.40
    assert [(line["kind"], line["hours"], line["rate"], line["amount"]) for line in inv["lines"]] == [
        ("base", "8.00", "29.60", "236.80"), ("surcharge", "8.00", "14.80", "118.40")]
    assert (inv["subtotal"], inv["vat"], inv["total"]) == ("355.20", "0.00", "355.20")
    assert get_invoice(client, pool, inv["id"]) == inv  # stored so


def test_a_cao_change_dated_before_that_cao_starts_is_refused(client, pool, session):
    """Hours take the employer's CAO of their day (services/employer_caos.py): a change to a CAO from a
    day before its first version would leave hours it cannot price, so it is refused (422); a change
    from today leaves the draft's older hours under the CAO they were worked under."""
    first = catalogue().versions("zoetwaren")[0].valid_from
    day = datetime.combine(first - timedelta(days=30), MONDAY.time(), tzinfo=AMS)  # hoveniers (nawerking) then
    work(client, pool, "employer_a", "worker_x", start=day, session=session)
    period = {"period_start": day.date().isoformat(), "period_end": day.date().isoformat()}
    draft = post(client, pool, "/invoices", {"employer_id": pool.employer_a, **period}).get_json()
    assert draft["lines"]
    r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers("intermediary"),
                     json={"cao_code": "zoetwaren", "cao_valid_from": day.date().isoformat()})
    assert r.status_code == 422, r.get_json()
    assert "no version valid on " + day.date().isoformat() in r.get_json()["errors"]["json"]["cao_valid_from"][0]
    r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers("intermediary"),
                     json={"cao_code": "zoetwaren"})
    assert r.status_code == 200, r.get_json()

    r = post(client, pool, f"/invoices/{draft['id']}/finalize")
    assert r.status_code == 200, r.get_json()
    assert all(line["description"].endswith("(cao hoveniers)") for line in r.get_json()["lines"])
    assert r.get_json()["subtotal"] == draft["subtotal"]


# ---- 3. week overtime: a night shift's Monday hours count in the next week ----

def registered(client, pool, session, employer_id, start, hours, break_minutes=30):
    assignment_id = make_assignment(session, employer_id, pool.worker_x, start, hours=hours,
                                    break_minutes=break_minutes)
    assert put_hours(client, pool, "intermediary", assignment_id, start, hours, break_minutes).status_code == 200
    approve(client, pool, assignment_id)
    return assignment_id


def test_a_night_shift_over_the_week_edge_counts_each_part_in_its_own_week(client, pool, session):
    """Zoetwaren: overtime after 36 h per calendar week at +35 % (nl-facts §6), Monday 00:00 to Monday 00:00.
    Week 45: Mon–Thu 9 h = 36 h, then Sunday 22:00 → Monday 06:00 with 30 min break (01:45–02:15, the
    middle): 2 h on Sunday (week 45, all overtime) and 5.5 h on Monday (week 46). Week 46: Tue–Fri 9 h;
    with the 5.5 h of Monday, Friday passes 36 h after 3.5 h: 5.5 h overtime."""
    zoet = registry.create_employer(session, SYSTEM, employer_data(
        name="Zoet BV", kvk_number="61234508", vat_number="NL612345087B01", cao_code="zoetwaren",
        tariff_factor=Decimal("2")))
    session.commit()
    for day in (2, 3, 4, 5):
        registered(client, pool, session, zoet.id, datetime(2026, 11, day, 7, tzinfo=AMS), 9.5)
    night = registered(client, pool, session, zoet.id, datetime(2026, 11, 8, 22, tzinfo=AMS), 8)
    week46 = [registered(client, pool, session, zoet.id, datetime(2026, 11, day, 7, tzinfo=AMS), 9.5)
              for day in (10, 11, 12, 13)]

    r = post(client, pool, "/invoices", {"employer_id": zoet.id, **NOVEMBER})
    assert r.status_code == 201, r.get_json()
    lines = r.get_json()["lines"]

    def hours(assignment_id, kind):
        return [line["hours"] for line in lines if line["assignment_id"] == assignment_id and line["kind"] == kind]

    assert hours(night, "base") == ["7.50"] and hours(night, "overtime") == ["2.00"]  # Sunday's part only
    assert [hours(a, "overtime") for a in week46] == [[], [], [], ["5.50"]]  # Monday's 5.5 h count in week 46
    # and pay agrees: 36 + 7.5 + 36 = 79.5 h at 15.20, 7.5 h overtime at +35 % (5.32)
    data = client.get("/api/v1/payroll?period_start=2026-11-01&period_end=2026-11-30",
                      headers=pool.headers("intermediary")).get_json()
    assert (data["workers"][0]["hours"], data["workers"][0]["overtime"]) == ("79.50", "39.90")


def test_worked_hours_in_a_week_place_the_break_in_the_middle(session, pool):
    sheet = Timesheet(start=datetime(2026, 11, 8, 22, tzinfo=AMS), end=datetime(2026, 11, 9, 6, tzinfo=AMS),
                      break_minutes=30)
    monday = datetime(2026, 11, 9, tzinfo=AMS)
    before = timesheets.worked_hours_between(sheet, monday - timedelta(days=7), monday)
    after = timesheets.worked_hours_between(sheet, monday, monday + timedelta(days=7))
    assert (before, after) == (Decimal("2.00"), Decimal("5.50"))
    assert before + after == timesheets.worked_hours(sheet)
    whole = timesheets.worked_hours_between(sheet, monday - timedelta(days=1), monday + timedelta(days=1))
    assert whole == Decimal("7.50")


# ---- 4. three hours per call: pay and the check read the contract's fixed times alike ----

def test_pay_and_check_agree_on_calls_outside_the_fixed_times(client, pool, session):
    """10 h a week with fixed times Monday 08:00–10:00: Monday 08:00–10:00 is work at those times
    (2 h paid); Tuesday 08:00–10:00 is a call (3 h paid), in pay and in the compliance check alike."""
    taxi = registry.create_employer(session, SYSTEM, employer_data(
        name="Taxi Hengelo", kvk_number="61234507", vat_number="NL612345075B01", cao_code="taxi"))
    session.commit()
    small_fixed_contract(client, pool, taxi.id, base_pattern=[{"weekday": 0, "start": "08:00", "end": "10:00"}])
    tuesday = MONDAY + timedelta(days=1)
    fixed, called = (approved_work(client, pool, session, taxi.id, day, hours=2, break_minutes=0)
                     for day in (MONDAY, tuesday))
    inv = post(client, pool, "/invoices", {"employer_id": taxi.id, **MARCH}).get_json()
    paid = {a: [(line["kind"], line["hours"]) for line in inv["lines"] if line["assignment_id"] == a]
            for a in (fixed, called)}
    assert paid == {fixed: [("base", "2.00")], called: [("base", "2.00"), ("minimum_call", "1.00")]}

    worker = session.get(Worker, pool.worker_x)
    session.refresh(worker)
    items = {a: work_item(f"A{a}", s.start, s.end, 0, taxi, worker)
             for a, s in ((a, session.get(Assignment, a).shift) for a in (fixed, called))}
    assert items[fixed].fixed_times == (FixedTime(0, MONDAY.time(), (MONDAY + timedelta(hours=2)).time()),)
    assert (is_call_contract(items[fixed]), is_call_contract(items[called])) == (False, True)
    checks = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-09&to=2026-03-10&lang=en",
                        headers=pool.headers("intermediary")).get_json()
    call_notes = [n for n in checks["cao_notes"] if "h call" in n]   # named by day, time and employer
    assert len(call_notes) == 1 and call_notes[0].startswith("Tue 10 Mar 08:00–10:00 at Taxi Hengelo:")


def test_fixed_times_cover_night_windows_and_shifts_that_run_over():
    night = (FixedTime(6, datetime(2026, 1, 1, 22).time(), datetime(2026, 1, 1, 6).time()),)  # Sun 22:00–06:00
    sunday = datetime(2026, 11, 8, 22, tzinfo=AMS)
    assert within_fixed_times(night, sunday, sunday + timedelta(hours=8))
    assert within_fixed_times(night, sunday + timedelta(hours=7), sunday + timedelta(hours=9))  # Monday, runs over
    assert not within_fixed_times(night, sunday + timedelta(hours=8), sunday + timedelta(hours=10))  # from 06:00
    assert not within_fixed_times(night, sunday - timedelta(days=1), sunday - timedelta(hours=20))  # Saturday
    assert not within_fixed_times((), sunday, sunday + timedelta(hours=2))


def test_an_employer_cannot_stretch_its_hours_over_the_workers_shift_elsewhere(client, pool, session):
    """Registered hours block overlapping hours elsewhere, so an employer registering 20 h on its own
    8.5 h shift would keep the worker's real hours at another employer from being registered."""
    mine = make_assignment(session, pool.employer_a, pool.worker_x, MONDAY)              # 08:00–16:30
    theirs = make_assignment(session, pool.employer_b, pool.worker_x, MONDAY + timedelta(hours=10), hours=4)
    r = put_hours(client, pool, "employer_a", mine, MONDAY, 20)                             # 08:00–04:00
    assert r.status_code == 409 and r.get_json()["rules"] == ["planned_elsewhere"]
    message = r.get_json()["message"]
    assert "during 2026-03-09 18:00–22:00" in message and "Glans" not in message
    assert session.query(Timesheet).count() == 0
    assert put_hours(client, pool, "employer_a", mine, MONDAY, 8.5, 30).status_code == 200   # its own hours
    assert put_hours(client, pool, "worker_x", theirs, MONDAY + timedelta(hours=10), 4).status_code == 200
    # the worker (or the intermediary) may register hours over the planned shift: they know where they were
    other = make_assignment(session, pool.employer_b, pool.worker_x, MONDAY + timedelta(days=1, hours=10), hours=4)
    late = make_assignment(session, pool.employer_a, pool.worker_x, MONDAY + timedelta(days=1))
    assert put_hours(client, pool, "worker_x", late, MONDAY + timedelta(days=1), 11).status_code == 200
    assert put_hours(client, pool, "worker_x", other, MONDAY + timedelta(days=1, hours=10), 4).status_code == 409


def _available_all_week(session, pool):
    """Both workers available 06:00-22:00 every day."""
    from datetime import time
    for worker in (pool.worker_x, pool.worker_y):
        registry.set_availability(session, SYSTEM, worker, [{"weekday": d, "start": time(6), "end": time(22)}
                                                            for d in range(7)], [])
    session.commit()


def test_two_manual_assignments_at_once_never_overfill_a_shift(app, pool, session):
    """SQLite ignores FOR UPDATE: the assignment takes the write lock before it counts."""
    from banenpool.services import assignments
    _available_all_week(session, pool)
    shift_id = session.get(Assignment, make_assignment(session, pool.employer_a, pool.worker_x, MONDAY,
                                                        status="cancelled")).shift_id
    for _ in range(3):
        outcomes = at_once(app, lambda own, w: assignments.assign(own, SYSTEM, shift_id, w).id,
                           [pool.worker_x, pool.worker_y])
        refused = [o for o in outcomes if isinstance(o, Conflict)]
        assert len(refused) == 1 and refused[0].rules == ["W01"], outcomes
        session.expire_all()
        confirmed = session.query(Assignment).filter_by(shift_id=shift_id, status="confirmed").all()
        assert len(confirmed) == 1
        for a in confirmed:
            a.status = "cancelled"
        session.commit()


def test_a_manual_assignment_and_a_publish_at_once_never_overfill_a_shift(app, pool, session):
    """The publish locks the shifts its proposals fill (PostgreSQL; SQLite: the write lock),
    so either the assignment waits and finds the shift full, or the publish sees it and refuses."""
    from banenpool.services import assignments, capacity, planning
    _available_all_week(session, pool)
    for n in range(3):
        day = date(2026, 4, 6) + timedelta(weeks=n)
        capacity.create_request(session, SYSTEM, {
            "employer_id": pool.employer_a, "title": "Eén plek", "skills": ["groen"], "start_date": day,
            "end_date": day, "pattern": [{"weekday": 0, "start": "08:00", "end": "12:00", "headcount": 1}]})
        plan = planning.create_plan(session, SYSTEM, day, day, 5, include_started=True)
        session.commit()
        planning.run_plan(app.extensions["banenpool.sessionmaker"], plan.id)
        session.expire_all()
        (proposal,) = session.query(Assignment).filter_by(plan_id=plan.id, status="proposed").all()
        other = pool.worker_y if proposal.worker_id == pool.worker_x else pool.worker_x

        def act(own, what):
            if what == "publish":
                return planning.publish_plan(own, SYSTEM, plan.id).id
            return assignments.assign(own, SYSTEM, proposal.shift_id, other).id
        outcomes = at_once(app, act, ["publish", "assign"])
        assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
        session.expire_all()
        assert session.query(Assignment).filter_by(shift_id=proposal.shift_id, status="confirmed").count() == 1
