"""The offer of fixed hours after 12 months on call (art. 7:628a lid 5 BW): which contracts owe one,
the 12-month average, when it is due, and recording the offer — through the API and the pool's page."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Absence, Assignment, Contract, Timesheet
from banenpool.services.fixed_hours import after_months, latest_anniversary, months_later  # noqa: F401 (re-exported)
from tests.banenpool.test_billing import make_assignment
from tests.web.pages_data import csrf_token, login

START = date(2025, 10, 1)        # the contract's start: its first anniversary is 1 October 2026


def _contract(session, worker_id, employer_id, kind="on_call", hours=0, start=START) -> int:
    c = Contract(worker_id=worker_id, employer_id=employer_id, kind=kind, hours_per_week=Decimal(hours),
                 cao_code="hoveniers", start_date=start)
    session.add(c)
    session.commit()
    return c.id


def _worked(session, employer_id, worker_id, day: date, hours=8.5, kind="worked"):
    """An approved timesheet of `hours` with a 30-minute break (so hours − 0.5 worked) on `day` at 08:00."""
    start = datetime.combine(day, time(8), AMS)
    a = make_assignment(session, employer_id, worker_id, start=start, hours=hours)
    session.add(Timesheet(assignment_id=a, start=start, end=start + timedelta(hours=hours), break_minutes=30,
                          status="approved", kind=kind))
    session.commit()
    return a


def _offers(client, pool, on=None):
    r = client.get("/api/v1/fixed-hours-offers" + (f"?on={on}" if on else ""), headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_an_on_call_worker_after_12_months_is_owed_the_average(client, pool, session):
    contract = _contract(session, pool.worker_x, pool.employer_a)
    for k in range(9):                                  # 9 × 8 h in the year, one of them a late-cancelled call
        _worked(session, pool.employer_a, pool.worker_x, date(2025, 11, 3) + timedelta(weeks=k * 4),
                kind="cancelled_call" if k == 4 else "worked")
    _worked(session, pool.employer_b, pool.worker_x, date(2026, 3, 2))     # B: no contract there, none with the pool
    _worked(session, pool.employer_a, pool.worker_x, date(2026, 10, 5))    # after the anniversary: next year's
    submitted = _worked(session, pool.employer_a, pool.worker_x, date(2026, 5, 4))
    session.scalar(select(Timesheet).where(Timesheet.assignment_id == submitted)).status = "submitted"
    session.commit()

    assert _offers(client, pool, "2026-09-30") == []                       # not 12 months yet
    [due] = _offers(client, pool, "2026-10-01")
    assert (due["contract_id"], due["worker_id"], due["employer_id"], due["kind"]) == (
        contract, pool.worker_x, pool.employer_a, "on_call")
    assert (due["period_start"], due["period_end"], due["due_by"]) == ("2025-10-01", "2026-10-01", "2026-10-31")
    # 72 approved hours under the contract over 365 days = 52 1/7 weeks
    assert due["hours"] == "72.00" and due["average_hours_per_week"] == "1.38" and due["status"] == "due"
    assert _offers(client, pool, "2026-10-31")[0]["status"] == "due"
    [late] = _offers(client, pool, "2026-11-01")
    assert late["status"] == "overdue" and late["average_hours_per_week"] == "1.38"
    # today (December 2026) it is overdue too
    assert [o["status"] for o in _offers(client, pool)] == ["overdue"]


def test_min_max_and_fixed_contracts(client, pool, session):
    _contract(session, pool.worker_x, pool.employer_a, kind="min_max", hours=2)
    _contract(session, pool.worker_y, pool.employer_a, kind="fixed", hours=24)
    for k in range(6):                                                    # 48 h: 0.92 per week, below the minimum
        _worked(session, pool.employer_a, pool.worker_x, date(2026, 1, 5) + timedelta(weeks=k))
        _worked(session, pool.employer_a, pool.worker_y, date(2026, 1, 5) + timedelta(weeks=k))
    assert _offers(client, pool, "2026-10-10") == []
    for k in range(10):                                                   # 128 h: 2.45 per week, above it
        _worked(session, pool.employer_a, pool.worker_x, date(2026, 3, 2) + timedelta(weeks=k))
    [due] = _offers(client, pool, "2026-10-10")
    assert (due["worker_id"], due["guaranteed_hours_per_week"], due["average_hours_per_week"]) == (
        pool.worker_x, "2.00", "2.45")


def test_the_pool_records_the_offer(client, pool, session):
    contract = _contract(session, pool.worker_x, pool.employer_a)
    fixed = _contract(session, pool.worker_y, pool.employer_a, kind="fixed", hours=24)
    _worked(session, pool.employer_a, pool.worker_x, date(2026, 2, 2))
    path = f"/api/v1/workers/{pool.worker_x}/contracts/{contract}/fixed-hours-offer"
    h = pool.headers("intermediary")
    for who in ("employer_a", "worker_x"):
        assert client.post(path, headers=pool.headers(who), json={"hours": "2", "offered_on": "2026-10-20"}
                           ).status_code == 403
    r = client.post(path, headers=h, json={"hours": "2", "offered_on": "2099-01-01"})
    assert r.status_code == 422 and "offered_on" in r.get_json()["errors"]["json"]
    r = client.post(path, headers=h, json={"hours": "0", "offered_on": "2026-10-20"})
    assert r.status_code == 422 and "hours" in r.get_json()["errors"]["json"]
    r = client.post(f"/api/v1/workers/{pool.worker_y}/contracts/{fixed}/fixed-hours-offer", headers=h,
                    json={"hours": "2", "offered_on": "2026-10-20"})
    assert r.status_code == 409 and r.get_json()["rules"] == ["not_on_call"]
    r = client.post(f"/api/v1/workers/{pool.worker_y}/contracts/{contract}/fixed-hours-offer", headers=h,
                    json={"hours": "2", "offered_on": "2026-10-20"})
    assert r.status_code == 404                                           # x's contract under y's id
    # an offer made well before the anniversary does not count for it; one in the month before does
    r = client.post(path, headers=h, json={"hours": "1.5", "offered_on": "2026-08-20"})
    assert r.status_code == 200 and r.get_json()["fixed_hours_offered"] == "1.50"
    assert [o["status"] for o in _offers(client, pool, "2026-10-20")] == ["due"]
    r = client.post(path, headers=h, json={"hours": "1.5", "offered_on": "2026-09-01"})
    assert r.status_code == 200 and r.get_json()["chain"] is None and r.get_json()["fixed_term"] is False
    [offered] = _offers(client, pool, "2026-10-20")
    assert (offered["status"], offered["offered_on"], offered["offered_hours"]) == ("offered", "2026-09-01", "1.50")
    # less than the average (0.15 h) is not the offer owed
    assert client.post(path, headers=h, json={"hours": "0.1", "offered_on": "2026-09-01"}).status_code == 200
    assert [o["status"] for o in _offers(client, pool, "2026-10-20")] == ["too_low"]
    assert client.post(path, headers=h, json={"hours": "1.5", "offered_on": "2026-09-01"}).status_code == 200
    # the next year it is due again
    _worked(session, pool.employer_a, pool.worker_x, date(2027, 2, 1))
    assert [o["status"] for o in _offers(client, pool, "2027-10-05")] == ["due"]


def test_the_page_lists_offers_and_records_one(client, pool, session):
    _contract(session, pool.worker_x, pool.employer_a)
    _worked(session, pool.employer_a, pool.worker_x, date(2026, 2, 2))
    login(client, "intermediary")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "aanbiedingen vaste uren open" in dashboard and "/fixed-hours" in dashboard
    page = client.get("/fixed-hours").get_data(as_text=True)
    assert "Sanne Scholten" in page and "achterstallig: uiterlijk 31 okt 2026" in page and "0,15" in page
    r = client.post(f"/fixed-hours/{pool.worker_x}/{session.scalar(select(Contract.id))}", follow_redirects=True,
                    data={"csrf_token": csrf_token(page), "hours": "0,5", "offered_on": "2026-11-20"})
    page = r.get_data(as_text=True)
    assert "Vastgelegd: Sanne Scholten kreeg 0,5 vaste uren per week aangeboden" in page
    assert "aangeboden: 0,5 uur op 20 nov 2026" in page
    for bad, said in (("veel", "moet een aantal uren zijn"), ("NaN", "moet een aantal uren zijn"),
                      ("sNaN", "moet een aantal uren zijn"), ("1.234", "hoogstens 2 decimalen"),
                      ("61", "moet meer dan 0 en hoogstens 60 zijn")):
        r = client.post(f"/fixed-hours/{pool.worker_x}/{session.scalar(select(Contract.id))}", follow_redirects=True,
                        data={"csrf_token": csrf_token(page), "hours": bad, "offered_on": "2026-11-20"})
        assert r.status_code == 200 and "Niet vastgelegd: Uren: " + said in r.get_data(as_text=True), bad
    assert session.scalar(select(Contract.fixed_hours_offered)) == Decimal("0.5")


def test_calendar_months():
    assert months_later(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert months_later(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert months_later(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert latest_anniversary(date(2024, 2, 29), date(2026, 3, 1)) == (date(2025, 3, 1), date(2026, 3, 1))
    assert latest_anniversary(date(2025, 10, 1), date(2026, 9, 30)) is None
    assert latest_anniversary(date(2020, 10, 1), date(2026, 9, 30)) == (date(2024, 10, 1), date(2025, 10, 1))


def test_an_ended_contract_stays_listed_while_its_offer_is_missing(client, pool, session):
    contract = _contract(session, pool.worker_x, pool.employer_a)
    _worked(session, pool.employer_a, pool.worker_x, date(2026, 2, 2))
    session.get(Contract, contract).end_date = date(2026, 12, 15)
    session.commit()
    [still] = _offers(client, pool, "2026-12-20")
    assert (still["contract_id"], still["status"]) == (contract, "overdue")
    session.get(Contract, contract).end_date = date(2026, 9, 29)         # ended before its 12 months were full
    session.commit()
    assert _offers(client, pool, "2026-12-20") == []


def test_a_contract_from_29_february_completes_its_year_on_28_february(client, pool, session):
    _contract(session, pool.worker_x, pool.employer_a, start=date(2024, 2, 29))
    _worked(session, pool.employer_a, pool.worker_x, date(2024, 6, 3))
    assert _offers(client, pool, "2025-02-28") == []
    [due] = _offers(client, pool, "2025-03-01")
    assert (due["period_start"], due["period_end"], due["due_by"]) == ("2024-02-29", "2025-03-01", "2025-03-31")


# ---- sick and leave hours (nl-facts §3: the average includes worked, cancelled, sick and leave hours) ----

def _absent(client, pool, *absences):
    """Register worker_x's absences as whole Amsterdam days: (first day, days, reason) each."""
    body = [{"start": datetime.combine(first, time(0), AMS).isoformat(),
             "end": datetime.combine(first + timedelta(days=days), time(0), AMS).isoformat(), "reason": reason}
            for first, days, reason in absences]
    weekly = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(7)]
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("intermediary"),
                   json={"weekly": weekly, "absences": body})
    assert r.status_code == 200, r.get_json()


def test_calls_released_for_sickness_or_leave_count_in_the_average(client, pool, session):
    """The pool releases a worker who reported sick, or took leave, from their calls: those hours count
    in the 12-month average as sick and leave hours; released for another reason they do not; a call
    cancelled late and paid counts once, as cancelled, when the worker is registered sick for it later."""
    from tests.web.test_decline_call import _call
    today = datetime.now(AMS).date()
    contract = _contract(session, pool.worker_x, pool.employer_a, start=today - timedelta(days=350))
    anniversary = after_months(today - timedelta(days=350), 12)
    _worked(session, pool.employer_a, pool.worker_x, today - timedelta(days=30))          # 8 h worked
    calls = {days: _call(client, pool, session, days_ahead=days)[1] for days in (1, 2, 3, 5)}   # 4 h each
    h = pool.headers("intermediary")
    r = client.patch(f"/api/v1/assignments/{calls[1]}", headers=h, json={"status": "cancelled"})
    assert r.status_code == 200, r.get_json()                       # a day ahead: paid as planned
    _absent(client, pool, (today + timedelta(days=1), 2, "sick"), (today + timedelta(days=3), 1, "leave"),
            (today + timedelta(days=5), 1, "other"))

    def offer():
        [o] = _offers(client, pool, anniversary.isoformat())
        assert o["contract_id"] == contract
        return o

    before = offer()
    assert before["hours_split"] == {"worked": "8.00", "cancelled": "4.00", "sick": "0.00", "leave": "0.00"}
    assert before["hours"] == "12.00"
    r = client.post(f"/api/v1/workers/{pool.worker_x}/absences/release", headers=h,
                    json={"start": datetime.combine(today, time(0), AMS).isoformat(),
                          "end": datetime.combine(today + timedelta(days=7), time(0), AMS).isoformat()})
    assert sorted(a["id"] for a in r.get_json()) == [calls[2], calls[3], calls[5]]
    after = offer()
    # the sick call on day 2 and the leave on day 3 count; the "other" absence on day 5 does not, and the
    # paid call on day 1, in the sick days too, stays 4 cancelled hours (not 4 sick ones as well)
    assert after["hours_split"] == {"worked": "8.00", "cancelled": "4.00", "sick": "4.00", "leave": "4.00"}
    assert after["hours"] == "20.00"
    weeks = Decimal((anniversary - (today - timedelta(days=350))).days) / 7
    assert Decimal(after["average_hours_per_week"]) == (Decimal(20) / weeks).quantize(Decimal("0.01"))
    assert Decimal(after["average_hours_per_week"]) > Decimal(before["average_hours_per_week"])

    login(client, "intermediary")
    page = client.get(f"/fixed-hours?on={anniversary.isoformat()}").get_data(as_text=True)
    assert "gewerkt 8 · afgezegd, betaald 4 · ziek 4 · verlof 4" in page
    page = client.get(f"/fixed-hours?on={anniversary.isoformat()}&lang=en").get_data(as_text=True)
    assert "worked 8 · cancelled, paid 4 · sick 4 · leave 4" in page


def _cancelled_call(session, employer_id, worker_id, day: date, **shift):
    """A call of 4 h (09:00-13:00, no break) on `day` that was cancelled; its assignment id."""
    a = make_assignment(session, employer_id, worker_id, start=datetime.combine(day, time(9), AMS), hours=4,
                        break_minutes=0, status="cancelled")
    for k, v in shift.items():
        setattr(session.get(Assignment, a).shift, k, v)
    session.commit()
    return a


def test_which_lost_calls_count_as_sick_or_leave_and_only_once(client, pool, session):
    _contract(session, pool.worker_x, pool.employer_a)
    monday = date(2026, 3, 2)
    session.add_all([Absence(worker_id=pool.worker_x, start=datetime.combine(monday, time(0), AMS),
                             end=datetime.combine(monday + timedelta(days=7), time(0), AMS), reason="sick"),
                     Absence(worker_id=pool.worker_x, start=datetime.combine(monday + timedelta(days=3), time(12), AMS),
                             end=datetime.combine(monday + timedelta(days=14), time(0), AMS), reason="leave"),
                     Absence(worker_id=pool.worker_x, start=datetime.combine(monday + timedelta(days=14), time(0), AMS),
                             end=datetime.combine(monday + timedelta(days=21), time(0), AMS), reason="other")])
    session.commit()
    _cancelled_call(session, pool.employer_a, pool.worker_x, monday)                         # sick: 4
    _cancelled_call(session, pool.employer_a, pool.worker_x, monday + timedelta(days=3))      # sick and leave: sick
    _cancelled_call(session, pool.employer_a, pool.worker_x, monday + timedelta(days=8))      # leave: 4
    _cancelled_call(session, pool.employer_a, pool.worker_x, monday + timedelta(days=15))     # other: nothing
    _cancelled_call(session, pool.employer_a, pool.worker_x, monday + timedelta(days=22))     # no absence
    refused = _cancelled_call(session, pool.employer_a, pool.worker_x, monday + timedelta(days=2))
    session.get(Assignment, refused).declined_at = datetime.now(AMS)                         # refused by the worker
    _cancelled_call(session, pool.employer_a, pool.worker_x, monday + timedelta(days=4),      # shift called off
                    cancelled_at=datetime.now(AMS))
    # released, then given back and worked: the worked hours count, not sick ones as well
    again = _cancelled_call(session, pool.employer_a, pool.worker_x, monday + timedelta(days=5))
    shift = session.get(Assignment, again).shift
    back = Assignment(shift_id=shift.id, worker_id=pool.worker_x, status="confirmed")
    session.add(back)
    session.flush()
    session.add(Timesheet(assignment_id=back.id, start=shift.start, end=shift.end, break_minutes=0,
                          status="approved"))
    # released twice from one shift (given back in between, released again): once
    twice = _cancelled_call(session, pool.employer_a, pool.worker_x, monday + timedelta(days=6))
    session.add(Assignment(shift_id=session.get(Assignment, twice).shift_id, worker_id=pool.worker_x,
                           status="cancelled"))
    session.commit()
    [o] = _offers(client, pool, "2026-10-01")
    assert o["hours_split"] == {"worked": "4.00", "cancelled": "0.00", "sick": "12.00", "leave": "4.00"}
    assert o["hours"] == "20.00"


def test_contracts_at_two_employers_and_with_the_pool_each_get_their_own_offer(client, pool, session):
    """On call at employer A, at employer B (from December) and with the pool: each contract's average
    counts the hours pay reads under it — B's hours before B's contract fall to the pool's — each is due
    on its own anniversary, and an offer recorded for one leaves the others owed."""
    at_a = _contract(session, pool.worker_x, pool.employer_a)
    with_pool = _contract(session, pool.worker_x, None)
    at_b = _contract(session, pool.worker_x, pool.employer_b, start=date(2025, 12, 1))
    for k in range(3):                                                           # A: 3 × 8 h
        _worked(session, pool.employer_a, pool.worker_x, date(2026, 1, 5) + timedelta(weeks=k))
    _worked(session, pool.employer_b, pool.worker_x, date(2025, 11, 3))          # at B before its contract: the pool's
    for k in range(2):                                                           # B under its contract: 2 × 8 h
        _worked(session, pool.employer_b, pool.worker_x, date(2026, 2, 2) + timedelta(weeks=k))
    a_call = _cancelled_call(session, pool.employer_b, pool.worker_x, date(2026, 3, 2))   # lost at B while sick
    session.add(Absence(worker_id=pool.worker_x, start=datetime.combine(date(2026, 3, 2), time(0), AMS),
                        end=datetime.combine(date(2026, 3, 3), time(0), AMS), reason="sick"))
    session.commit()
    assert session.get(Assignment, a_call).status == "cancelled"

    def by_contract(on):
        return {o["contract_id"]: (o["employer_id"], o["hours"], o["hours_split"]["sick"], o["period_end"], o["status"])
                for o in _offers(client, pool, on)}

    assert by_contract("2026-12-15") == {
        at_a: (pool.employer_a, "24.00", "0.00", "2026-10-01", "overdue"),
        with_pool: (None, "8.00", "0.00", "2026-10-01", "overdue"),
        at_b: (pool.employer_b, "20.00", "4.00", "2026-12-01", "due")}
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts/{at_a}/fixed-hours-offer",
                    headers=pool.headers("intermediary"), json={"hours": "1", "offered_on": "2026-12-01"})
    assert r.status_code == 200, r.get_json()
    assert {k: v[-1] for k, v in by_contract("2026-12-15").items()} == {at_a: "offered", with_pool: "overdue",
                                                                        at_b: "due"}
