"""What a payroll clerk checks of guaranteed hours and closed periods: a week is paid its guarantee
once, whatever is waiting, left out or closed; corrections are carried once."""
from datetime import date, datetime, timedelta

from tests.banenpool.test_billing import AMS, MONDAY, make_assignment, work
from tests.banenpool.test_payroll_guarantee import WEEK, contract, statement, worker_row

TUESDAY = MONDAY + timedelta(days=1)


def test_hours_after_a_shift_counted_as_not_worked_are_paid_and_the_top_up_is_the_rest(client, pool, session):
    """The worker did not come on Monday (no hours, long ago: not worked) and worked 5 h on Tuesday.
    Tuesday's pay no longer waits for Monday's hours (before, it waited for good and the statement
    paid the whole guarantee as top-up): 5 h worked are paid, the guarantee tops up the other 7 h."""
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    no_show = make_assignment(session, pool.employer_a, pool.worker_x, MONDAY, hours=4.5)
    tuesday = work(client, pool, "employer_a", "worker_x", start=TUESDAY, hours=5.5, session=session)
    data = statement(client, pool, WEEK)
    assert data["waiting"] == []
    (part,) = worker_row(data, pool.worker_x)["employers"]
    assert part["assignment_ids"] == [tuesday]
    (line,) = part["guarantee_top_ups"]
    assert (line["paid_hours"], line["hours"], line["not_worked"]) == ("5.00", "7.00", [no_show])
    assert (part["hours"], part["paid_hours"], part["gross_pay"]) == ("5.00", "12.00", "180.00")


def test_hours_that_cannot_be_priced_yet_do_not_lower_the_top_up(client, pool, session):
    """Hours at an employer whose CAO has no version in force that day are left out (unpriced): the
    contract's own CAO still prices the guarantee, and it is paid in full until those hours are paid."""
    from banenpool.principal import SYSTEM
    from banenpool.services import registry
    from tests.banenpool.test_invoice_pay_review import approved_work
    from tests.conftest import employer_data
    zoet = registry.create_employer(session, SYSTEM, employer_data(
        name="Zoet BV", kvk_number="61234508", vat_number="NL612345087B01", cao_code="zoetwaren"))
    session.commit()
    pool.employer_zoet = zoet.id
    contract(client, pool, "worker_x", "employer_zoet", "min_max", "12", start="2024-11-01")
    day = date(2024, 12, 2)         # a Monday; zoetwaren's first version starts 1 January 2025
    approved_work(client, pool, session, zoet.id, datetime(2024, 12, 2, 8, tzinfo=AMS))
    week = {"period_start": day.isoformat(), "period_end": (day + timedelta(days=6)).isoformat()}
    data = statement(client, pool, week)
    assert [u["date"] for u in data["unpriced"]] == [day.isoformat()]
    (part,) = worker_row(data, pool.worker_x)["employers"]
    assert (part["guarantee_top_ups"][0]["paid_hours"], part["guarantee_hours"]) == ("0.00", "12.00")


def _close(client, pool, period, **extra):
    r = client.post("/api/v1/payroll/periods", headers=pool.headers("intermediary"), json={**period, **extra})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _top_ups(data):
    """(hours, amount, correction of) of every top-up in the statement: its own lines and corrections."""
    out = []
    for row in data["workers"]:
        for part in row["employers"]:
            if part["correction_of"]:
                out.append((part["guarantee_hours"], part["guarantee_top_up"], part["correction_of"]["period_start"]))
            out += [(line["hours"], line["amount"], None) for line in part["guarantee_top_ups"]]
    return out


def test_a_top_up_that_becomes_final_after_closing_is_carried_once_and_the_week_pays_its_guarantee_once(
        client, pool, session, monkeypatch):
    """11 h a week, 5 h worked on Monday 9 March, nobody came on Wednesday 11 March (no hours). The
    period up to that Wednesday is closed on Monday 16 March, while the shift may still get its
    hours: its part of the week's top-up is left out, and paid as a correction once the shift counts
    as not worked (7 days after it); the rest of the week is the next period's own."""
    from datetime import datetime

    from banenpool.services import guarantee
    now = {"at": datetime(2026, 3, 16, 10, tzinfo=AMS)}
    monkeypatch.setattr(guarantee, "utcnow", lambda: now["at"])
    first = {"period_start": "2026-03-01", "period_end": "2026-03-11"}
    second = {"period_start": "2026-03-12", "period_end": "2026-03-31"}
    april = {"period_start": "2026-04-01", "period_end": "2026-04-30"}
    contract(client, pool, "worker_x", "employer_a", "min_max", "11", start="2026-03-09",
             end_date="2026-03-15")   # hoveniers A: 15.00
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    no_show = make_assignment(session, pool.employer_a, pool.worker_x, MONDAY + timedelta(days=2), hours=4.5)
    kept = _close(client, pool, first, accept_incomplete=True)
    assert [(g["code"], g["waiting_on"]) for g in kept["guarantees_left_out"]] == [("waiting", [no_show])]
    assert _top_ups(kept) == []

    now["at"] = datetime(2026, 3, 19, 10, tzinfo=AMS)          # the shift ended more than 7 days ago
    assert statement(client, pool, first)["workers"] == kept["workers"]         # as closed
    # 6 h short: 3 of the week's 7 days in the first period (2.57 h), the rest in the second
    assert sorted(_top_ups(statement(client, pool, second))) == [("2.57", "38.55", "2026-03-01"),
                                                                  ("3.43", "51.45", None)]
    closed = _close(client, pool, second)
    assert closed["totals"]["guarantee_top_up"] == "90.00"                      # 6 h × 15.00, once
    assert _top_ups(statement(client, pool, april)) == []
    (difference,) = statement(client, pool, first)["differences"]
    assert difference["outstanding"]["wage_cost"] == "0.00" and difference["carried"]["guarantee_top_up"] == "38.55"

    # the shift's hours come in late after all (4 h): the week paid 6 h top-up, now owes 2 h
    late = client.put(f"/api/v1/assignments/{no_show}/timesheet", headers=pool.headers("worker_x"), json={
        "start": (MONDAY + timedelta(days=2)).isoformat(), "end": (MONDAY + timedelta(days=2, hours=4.5)).isoformat(),
        "break_minutes": 30})
    assert late.status_code == 200, late.get_json()
    assert client.post(f"/api/v1/assignments/{no_show}/timesheet/approve",
                       headers=pool.headers("employer_a")).status_code == 200
    data = statement(client, pool, april)
    assert sorted(_top_ups(data)) == [("-1.71", "-25.65", "2026-03-01"), ("-2.29", "-34.35", "2026-03-12")]
    assert data["totals"]["hours"] == "4.00" and data["totals"]["gross_pay"] == "0.00"   # 4 h paid, 4 h less top-up
    _close(client, pool, april)
    may = statement(client, pool, {"period_start": "2026-05-01", "period_end": "2026-05-31"})
    assert may["workers"] == [] and may["totals"]["wage_cost"] == "0.00"


def test_hours_corrected_down_after_a_credit_note_are_reclaimed_once_and_the_closed_period_reads_as_closed(
        client, pool, session):
    from tests.web.test_payroll_periods import APRIL, MARCH, MAY
    sheet = work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)     # 8 h, 129.60
    api = pool.headers("intermediary")
    invoice = client.post("/api/v1/invoices", headers=api, json={"employer_id": pool.employer_a, **MARCH}).get_json()
    assert client.post(f"/api/v1/invoices/{invoice['id']}/finalize", headers=api).status_code == 200
    closed = _close(client, pool, MARCH)
    csv_closed = client.get("/api/v1/payroll/export?period_start=2026-03-01&period_end=2026-03-31", headers=api).data
    reopen = f"/api/v1/assignments/{sheet}/timesheet/reopen"
    assert client.post(reopen, headers=api).get_json()["rules"] == ["timesheet_billed"]
    assert client.post(f"/api/v1/invoices/{invoice['id']}/credit", headers=api).status_code in (200, 201)
    assert client.post(reopen, headers=api).status_code == 200
    assert client.put(f"/api/v1/assignments/{sheet}/timesheet", headers=api, json={
        "start": MONDAY.isoformat(), "end": (MONDAY + timedelta(hours=6.5)).isoformat(),
        "break_minutes": 30}).status_code == 200
    assert client.post(f"/api/v1/assignments/{sheet}/timesheet/approve", headers=api).status_code == 200

    march = statement(client, pool, MARCH)
    assert {**march, "differences": []} == closed and march["differences"] != []     # read as it was closed
    assert client.get("/api/v1/payroll/export?period_start=2026-03-01&period_end=2026-03-31",
                      headers=api).data == csv_closed
    (correction,) = [part for row in statement(client, pool, APRIL)["workers"] for part in row["employers"]]
    assert (correction["hours"], correction["gross_pay"], correction["wage_cost"]) == ("-2.00", "-30.00", "-32.40")
    assert _close(client, pool, APRIL)["totals"]["wage_cost"] == "-32.40"
    assert _close(client, pool, MAY)["totals"]["wage_cost"] == "0.00"
    (difference,) = statement(client, pool, MARCH)["differences"]
    assert [p["period_start"] for p in difference["carried_in"]] == ["2026-04-01"]
    assert difference["outstanding"]["wage_cost"] == "0.00" and difference["carried"]["hours"] == "-2.00"


def _corrections(data):
    return [(part["hours"], part["guarantee_hours"], part["gross_pay"]) for row in data["workers"]
            for part in row["employers"] if part["correction_of"]]


def test_pay_of_a_closed_period_that_is_not_final_again_is_not_reclaimed_until_it_is(client, pool, session):
    """Hours reopened, or hours registered late for a shift whose top-up was paid as not worked, make
    the closed period's statement leave them out until they are approved: that is no difference to
    reclaim from the worker yet; once approved, what changed is carried."""
    from tests.web.test_payroll_periods import APRIL, MARCH
    contract(client, pool, "worker_x", "employer_a", "min_max", "12", start="2026-03-09", end_date="2026-03-15")
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)         # 5 h
    no_show = make_assignment(session, pool.employer_a, pool.worker_x, MONDAY + timedelta(days=2), hours=4.5)
    tuesday = work(client, pool, "employer_b", "worker_y", start=TUESDAY, session=session)        # 8 h
    closed = _close(client, pool, MARCH)
    assert closed["totals"]["guarantee_top_up"] == "105.00"        # 7 h: Wednesday counted as not worked
    api = pool.headers("intermediary")
    wednesday = {"start": (MONDAY + timedelta(days=2)).isoformat(),
                 "end": (MONDAY + timedelta(days=2, hours=4.5)).isoformat(), "break_minutes": 30}
    assert client.put(f"/api/v1/assignments/{no_show}/timesheet", headers=api, json=wednesday).status_code == 200
    assert client.post(f"/api/v1/assignments/{tuesday}/timesheet/reopen", headers=api).status_code == 200

    assert _corrections(statement(client, pool, APRIL)) == []
    differences = statement(client, pool, MARCH)["differences"]
    assert [(d["worker_name"], d["held"], d["outstanding"]["wage_cost"]) for d in differences] == [
        ("Daan Nijhuis", True, "0.00"), ("Sanne Scholten", True, "0.00")]

    assert client.post(f"/api/v1/assignments/{no_show}/timesheet/approve", headers=api).status_code == 200
    assert client.put(f"/api/v1/assignments/{tuesday}/timesheet", headers=api, json={
        "start": TUESDAY.isoformat(), "end": (TUESDAY + timedelta(hours=6.5)).isoformat(),
        "break_minutes": 30}).status_code == 200
    assert client.post(f"/api/v1/assignments/{tuesday}/timesheet/approve", headers=api).status_code == 200
    assert sorted(_corrections(statement(client, pool, APRIL))) == [("-2.00", "0.00", "-30.00"),
                                                                    ("4.00", "-4.00", "0.00")]
    from tests.web.pages_data import login
    login(client, "intermediary")
    assert client.post(f"/api/v1/assignments/{tuesday}/timesheet/reopen", headers=api).status_code == 200
    page = client.get("/payroll?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "niet teruggevorderd zolang uren of een aanvulling van de werknemer in deze periode niet definitief zijn" in page
