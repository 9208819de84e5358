"""Money that must not move by accident: worked hours cannot be cancelled away, overtime does not
depend on the order of approval, the CAO day is the Amsterdam day, payroll hours are the pay lines'."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from banenpool import queue
from banenpool.models import Assignment, Contract
from banenpool.principal import SYSTEM
from banenpool.services import registry
from tests.banenpool.test_billing import AMS, add_taxi_employer, make_assignment, work
from tests.conftest import employer_data, worker_data
from tests.web.test_plans import get, make_plan, publish, set_availability, setup_week

NOVEMBER = {"period_start": "2026-11-01", "period_end": "2026-11-30"}
PAYROLL = "/api/v1/payroll?period_start=2026-11-01&period_end=2026-11-30"


def post(client, pool, path, body=None):
    return client.post(f"/api/v1{path}", headers=pool.headers("intermediary"), json=body)


def invoice_and_finalize(client, pool, employer_id, period=NOVEMBER):
    r = post(client, pool, "/invoices", {"employer_id": employer_id, **period})
    assert r.status_code == 201, r.get_json()
    r = post(client, pool, f"/invoices/{r.get_json()['id']}/finalize")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def approve(client, pool, assignment_id):
    assert post(client, pool, f"/assignments/{assignment_id}/timesheet/approve").status_code == 200


def payroll(client, pool, query=PAYROLL):
    r = client.get(query, headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


# ---- 1. hours that are approved cannot be cancelled away ----

def test_cancelling_approved_or_invoiced_hours_is_409(client, pool, session):
    taxi = add_taxi_employer(session, pool)
    start = datetime(2026, 11, 3, 8, tzinfo=AMS)
    invoiced, approved, submitted = (work(client, pool, "employer_taxi", "worker_x", start=start + timedelta(days=d),
                                          approve=False, session=session) for d in (0, 7, 14))
    approve(client, pool, invoiced)
    approve(client, pool, approved)
    first = invoice_and_finalize(client, pool, taxi, {"period_start": "2026-11-03", "period_end": "2026-11-03"})
    gross = payroll(client, pool)["totals"]["gross_pay"]

    r = client.patch(f"/api/v1/assignments/{invoiced}", headers=pool.headers("intermediary"),
                     json={"status": "cancelled"})
    assert r.status_code == 409 and r.get_json()["rules"] == ["timesheet_approved"]
    message = r.get_json()["message"]
    assert f"assignment {invoiced}" in message and "approved" in message
    assert f"invoiced on {first['number']}" in message and "credit" in message
    r = client.patch(f"/api/v1/assignments/{approved}", headers=pool.headers("intermediary"),
                     json={"status": "cancelled"})
    assert r.status_code == 409 and r.get_json()["rules"] == ["timesheet_approved"]
    assert "approved" in r.get_json()["message"] and "invoiced" not in r.get_json()["message"]

    assert get(client, pool, f"/assignments/{invoiced}")["status"] == "confirmed"
    assert payroll(client, pool)["totals"]["gross_pay"] == gross != "0.00"  # the worker keeps the pay
    # hours registered but not approved do not hold the assignment
    r = client.patch(f"/api/v1/assignments/{submitted}", headers=pool.headers("intermediary"),
                     json={"status": "cancelled"})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    # the correction route: credit the invoice, then the hours can be invoiced again
    assert post(client, pool, f"/invoices/{first['id']}/credit").status_code == 201
    again = post(client, pool, "/invoices", {"employer_id": taxi, **NOVEMBER})
    assert again.status_code == 201 and {line["assignment_id"] for line in again.get_json()["lines"]} == {
        invoiced, approved}


@pytest.fixture
def immediate_queue(monkeypatch):
    monkeypatch.setattr(queue.huey, "immediate", True)


def test_a_plan_that_drops_approved_hours_is_not_published(client, pool, session, immediate_queue):
    setup_week(client, pool)
    assert publish(client, pool, make_plan(client, pool)).status_code == 200
    tuesday = get(client, pool, f"/assignments?worker_id={pool.worker_x}&from=2026-03-24&to=2026-03-24")[0]
    body = {"start": tuesday["start"], "end": tuesday["end"], "break_minutes": 30}
    assert client.put(f"/api/v1/assignments/{tuesday['id']}/timesheet", headers=pool.headers("worker_x"),
                      json=body).status_code == 200
    assert post(client, pool, f"/assignments/{tuesday['id']}/timesheet/approve").status_code == 200
    z = post(client, pool, "/workers", worker_data(name="Zeynep Kaya", email="z@example.org", min_hours_per_week="0",
                                                   target_hours_per_week="8", birth_date="1990-01-01"))
    set_availability(client, pool, z.get_json()["id"])
    sick = {"start": "2026-03-24T00:00:00+01:00", "end": "2026-03-25T00:00:00+01:00", "reason": "sick"}
    set_availability(client, pool, pool.worker_x, absences=[sick])  # reported afterwards: the plan drops Tuesday

    second = make_plan(client, pool)
    assert get(client, pool, f"/plans/{second}")["changes"]["dropped"] == 1
    r = publish(client, pool, second)
    assert r.status_code == 409 and r.get_json()["rules"] == ["timesheet_approved"]
    assert f"assignment {tuesday['id']}" in r.get_json()["message"] and "approved" in r.get_json()["message"]
    assert get(client, pool, f"/assignments/{tuesday['id']}")["status"] == "confirmed"
    assert get(client, pool, f"/plans/{second}")["published_at"] is None
    assert len(get(client, pool, "/assignments")) == 6  # nothing of the plan was published

    # the plans page says why and what to do: not "reopen the approval" (that would let the plan
    # cancel a worked shift), but plan again after the worked shifts
    from tests.web.pages_data import csrf_token, login
    login(client, "intermediary")
    page = client.get("/plans").get_data(as_text=True)
    client.post(f"/plans/{second}/publish", data={"csrf_token": csrf_token(page)})
    shown = client.get("/plans").get_data(as_text=True)
    assert "Niet gepubliceerd: deze planning zou diensten afzeggen waarvan de uren al zijn goedgekeurd" in shown
    assert "heropen" not in shown.lower()
    assert get(client, pool, f"/plans/{second}")["published_at"] is None


# ---- 2. weekly overtime does not depend on the order of approval ----

def zoetwaren_week(client, pool, session):
    """Mon 2 – Fri 6 Nov 2026, 07:00–16:30 with 30 min break = 9 h worked a day, hours registered.
    Zoetwaren: overtime after 36 h a week at 135 % (nl-facts §6); scale wage 15.20."""
    employer = registry.create_employer(session, SYSTEM, employer_data(
        name="Zoet BV", kvk_number="61234508", vat_number="NL612345087B01", cao_code="zoetwaren",
        tariff_factor=Decimal("2")))
    session.commit()
    ids = []
    for day in range(2, 7):
        start = datetime(2026, 11, day, 7, tzinfo=AMS)
        ids.append(make_assignment(session, employer.id, pool.worker_x, start, hours=9.5, break_minutes=30))
        body = {"start": start.isoformat(), "end": (start + timedelta(hours=9.5)).isoformat(), "break_minutes": 30}
        assert client.put(f"/api/v1/assignments/{ids[-1]}/timesheet", headers=pool.headers("worker_x"),
                          json=body).status_code == 200
    return employer.id, ids


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4), (4, 0, 1, 2, 3), (3, 1, 4, 0, 2)])
def test_invoice_and_payroll_agree_in_every_approval_order(client, pool, session, order):
    employer, ids = zoetwaren_week(client, pool, session)
    invoiced = Decimal(0)
    for n in order:  # the intermediary invoices after every approval
        approve(client, pool, ids[n])
        r = post(client, pool, "/invoices", {"employer_id": employer, **NOVEMBER})
        if r.status_code == 201:
            assert post(client, pool, f"/invoices/{r.get_json()['id']}/finalize").status_code == 200
            invoiced += Decimal(r.get_json()["subtotal"])
        else:
            assert r.status_code == 409 and r.get_json()["rules"] == ["hours_waiting"]
    worker = payroll(client, pool)["workers"][0]
    # 45 h at 15.20 = 684.00, plus 9 h overtime at 35 % (5.32) = 47.88
    assert (worker["gross_pay"], worker["overtime"], worker["hours"]) == ("731.88", "47.88", "45.00")
    assert invoiced == Decimal("1463.76") == Decimal(worker["gross_pay"]) * 2  # tariff factor 2


def test_hours_that_wait_for_earlier_hours_are_named(client, pool, session):
    employer, (mon, tue, wed, thu, fri) = zoetwaren_week(client, pool, session)
    approve(client, pool, fri)
    r = post(client, pool, "/invoices", {"employer_id": employer, **NOVEMBER})
    assert r.status_code == 409 and r.get_json()["rules"] == ["hours_waiting"]
    assert f"assignment {fri}" in r.get_json()["message"]
    assert f"{mon}, {tue}, {wed}, {thu}" in r.get_json()["message"]
    assert payroll(client, pool)["workers"] == []  # Friday's pay is not final either

    for a in (mon, tue):
        approve(client, pool, a)
    draft = post(client, pool, "/invoices", {"employer_id": employer, **NOVEMBER}).get_json()
    assert {line["assignment_id"] for line in draft["lines"]} == {mon, tue}
    assert draft["subtotal"] == "547.20"  # 18 h × 30.40, no overtime yet
    assert [(w["assignment_id"], w["waiting_on"]) for w in draft["review"]["waiting"]] == [(fri, [wed, thu])]
    assert draft["note"] is None     # the note is the buyer's: it goes on the invoice
    assert payroll(client, pool)["totals"]["gross_pay"] == "273.60"  # Mon + Tue, as invoiced / 2

    # a shift that was not worked is cancelled: Friday no longer waits for it
    assert client.patch(f"/api/v1/assignments/{wed}", headers=pool.headers("intermediary"),
                        json={"status": "cancelled"}).status_code == 200
    approve(client, pool, thu)
    draft = post(client, pool, "/invoices", {"employer_id": employer, **NOVEMBER}).get_json()
    assert {line["assignment_id"] for line in draft["lines"]} == {mon, tue, thu, fri}
    assert draft["review"] == {"waiting": [], "changed": [], "warnings": [], "not_worked": []}
    assert not any(line["kind"] == "overtime" for line in draft["lines"])  # 36 h: no overtime
    assert Decimal(draft["subtotal"]) == Decimal(payroll(client, pool)["totals"]["gross_pay"]) * 2


def test_hours_under_a_cao_without_day_or_week_overtime_never_wait(client, pool, session):
    """Taxi counts overtime only per period (not computed per shift): the pay of Tuesday's hours
    cannot depend on Monday's, so they are billed and paid while Monday is not approved yet."""
    taxi = add_taxi_employer(session, pool)
    monday = work(client, pool, "employer_taxi", "worker_x", start=datetime(2026, 11, 2, 8, tzinfo=AMS),
                  approve=False, session=session)
    tuesday = work(client, pool, "employer_taxi", "worker_x", start=datetime(2026, 11, 3, 8, tzinfo=AMS),
                   approve=False, session=session)
    approve(client, pool, tuesday)
    r = post(client, pool, "/invoices", {"employer_id": taxi, **NOVEMBER})
    assert r.status_code == 201, r.get_json()
    assert {line["assignment_id"] for line in r.get_json()["lines"]} == {tuesday}
    assert r.get_json()["review"]["waiting"] == []
    statement = payroll(client, pool)
    assert statement["waiting"] == [] and statement["workers"][0]["employers"][0]["assignment_ids"] == [tuesday]
    assert monday != tuesday


# ---- 4. the CAO version and the contract follow the Amsterdam day ----

def test_pay_preview_takes_the_cao_of_the_amsterdam_day(client, pool):
    body = {"cao_code": "schoonmaak", "scale": "A", "birth_date": "1990-01-01", "contract_kind": "fixed",
            "hours_per_week": "38", "break_minutes": 0}
    local = dict(body, start="2024-07-01T00:10:00+02:00", end="2024-07-01T00:40:00+02:00")
    utc = dict(body, start="2024-06-30T22:10:00+00:00", end="2024-06-30T22:40:00+00:00")  # the same instants
    a, b = (post(client, pool, "/pay/preview", x).get_json() for x in (local, utc))
    assert a == b and a["total"] == "18.75"
    assert "minimum_call" in [line["kind"] for line in b["lines"]]  # CAO 7/2024: at least 1 h per shift


def test_checks_take_the_contract_of_the_amsterdam_day(client, pool, session):
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="fixed",
                         hours_per_week=Decimal(20), cao_code="hoveniers", hourly_wage=Decimal("10.00"),
                         start_date=date(2026, 7, 1)))
    session.commit()
    # 1 July 00:30 in Amsterdam is 30 June 22:30 UTC: the contract from 1 July applies
    aid = make_assignment(session, pool.employer_a, pool.worker_x, datetime(2026, 7, 1, 0, 30, tzinfo=AMS),
                          hours=4, break_minutes=0)
    data = get(client, pool, f"/workers/{pool.worker_x}/checks?from=2026-06-29&to=2026-07-05")
    wml = [v for v in data["violations"] if v["rule"] == "WML"]
    assert len(wml) == 1 and wml[0]["assignment_ids"] == [aid] and "€ 14,71" in wml[0]["message"]


def test_a_contract_wage_below_the_cao_scale_is_paid_at_the_scale(client, pool, session):
    """The scale of the CAO version in force is a floor: a contract's wage (agreed, or the scale's wage
    when the contract was signed, before a raise) pays the scale's wage when it is lower, and only
    stays when it is higher."""
    low, high = Decimal("14.80"), Decimal("16.00")   # hoveniers scale A: 15.00 (WML 2026: 14.71)
    for worker, wage in (("worker_x", low), ("worker_y", high)):
        session.add(Contract(worker_id=getattr(pool, worker), employer_id=pool.employer_a, kind="fixed",
                             hours_per_week=Decimal(20), cao_code="hoveniers", scale="A", hourly_wage=wage,
                             start_date=date(2026, 1, 1)))
        session.commit()
        work(client, pool, "employer_a", worker, start=datetime(2026, 11, 3, 8, tzinfo=AMS), hours=8.5,
             break_minutes=30, session=session)
    # the worked hours' pay (the 20 h contracts' guarantee top-ups come on top, at the same wage)
    gross = {w["worker_id"]: Decimal(w["employers"][0]["base"]) for w in payroll(client, pool)["workers"]}
    scale = Decimal("15.00")
    assert gross[pool.worker_x] == 8 * scale            # 14.80 agreed: the scale's 15.00 is paid
    assert gross[pool.worker_y] == 8 * high             # 16.00 agreed: above the scale, kept


# ---- 5. payroll hours are the pay lines' hours ----

def test_payroll_hours_are_the_rounded_pay_line_hours(client, pool, session):
    taxi = add_taxi_employer(session, pool)
    for day in range(2, 7):  # 7 h 13 min with 17 min break: 6 h 56 min = 6.933… h a day
        approve(client, pool, work(client, pool, "employer_taxi", "worker_x", start=datetime(2026, 11, day, 7, 7, tzinfo=AMS),
                                   hours=7 + 13 / 60, break_minutes=17, approve=False, session=session))
    # 2 h 0 min 18 s = 2.005 h: 2.01 on the pay line (rounded up); on call: paid up to exactly 3 h (0.99 h top-up)
    short = make_assignment(session, taxi, pool.worker_y, datetime(2026, 11, 9, 8, tzinfo=AMS), hours=2,
                            break_minutes=0)
    start = datetime(2026, 11, 9, 8, tzinfo=AMS)
    body = {"start": start.isoformat(), "end": (start + timedelta(hours=2, seconds=18)).isoformat(),
            "break_minutes": 0}
    assert client.put(f"/api/v1/assignments/{short}/timesheet", headers=pool.headers("intermediary"),
                      json=body).status_code == 200
    approve(client, pool, short)

    lines = post(client, pool, "/invoices", {"employer_id": taxi, **NOVEMBER}).get_json()["lines"]
    data = payroll(client, pool)
    for worker in data["workers"]:
        part = worker["employers"][0]
        mine = [line for line in lines if line["assignment_id"] in part["assignment_ids"]]
        base = sum(Decimal(line["hours"]) for line in mine if line["kind"] == "base")
        called = sum(Decimal(line["hours"]) for line in mine if line["kind"] == "minimum_call")
        assert Decimal(part["hours"]) == base and Decimal(part["paid_hours"]) == base + called
    sanne, daan = (w["employers"][0] for w in sorted(data["workers"], key=lambda w: w["worker_id"]))
    # 6.933… h a day is 6.94 on each pay line (rounded up, never less than worked): 5 × 6.94
    assert (sanne["hours"], sanne["paid_hours"], sanne["minimum_call"]) == ("34.70", "34.70", "0.00")
    assert (daan["hours"], daan["paid_hours"]) == ("2.01", "3.00")
