"""Guaranteed hours in the payroll statement: fixed and min-max contracts pay their weekly hours, the
shortfall as a "guaranteed hours top-up" at the contract's wage (nl-facts §3); holiday allowance per
timesheet's CAO version."""
import csv
import dataclasses
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

import contracts.cao
from contracts.cao import Catalogue, catalogue
from tests.banenpool.test_billing import AMS, MONDAY, work
from tests.web.pages_data import login

WEEK = {"period_start": "2026-03-09", "period_end": "2026-03-15"}   # Monday 9 to Sunday 15 March 2026
TUESDAY, WEDNESDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)


def contract(client, pool, worker, employer, kind, hours, start="2026-01-01", **extra):
    body = {"employer_id": employer and getattr(pool, employer), "kind": kind, "hours_per_week": hours,
            "cao_code": extra.pop("cao_code", "hoveniers"), "start_date": start, **extra}
    r = client.post(f"/api/v1/workers/{getattr(pool, worker)}/contracts", headers=pool.headers("intermediary"),
                    json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def statement(client, pool, period=None):
    period = period or WEEK
    r = client.get(f"/api/v1/payroll?period_start={period['period_start']}&period_end={period['period_end']}",
                   headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def worker_row(data, worker_id):
    return next(w for w in data["workers"] if w["worker_id"] == worker_id)


def shares_add_up(row):
    assert sum(Decimal(p["share"]) for p in row["employers"]) == 1
    assert Decimal(row["wage_cost"]) == sum(Decimal(p["wage_cost"]) for p in row["employers"])


def test_min_max_12_hours_worked_5_tops_up_7_hours_at_the_scale_wage(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12", scale="B")   # hoveniers B: 15.60
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)   # 5 h worked
    data = statement(client, pool)
    (part,) = worker_row(data, pool.worker_x)["employers"]
    assert (part["hours"], part["paid_hours"], part["guarantee_hours"]) == ("5.00", "12.00", "7.00")
    assert (part["base"], part["guarantee_top_up"], part["gross_pay"]) == ("78.00", "109.20", "187.20")
    assert (part["holiday_allowance_percent"], part["holiday_allowance"], part["wage_cost"]) == (
        "8.00", "14.98", "202.18")
    (line,) = part["guarantee_top_ups"]
    assert line == {**line, "kind": "guarantee_top_up", "contract_kind": "min_max", "week_start": "2026-03-09",
                    "guaranteed_hours": "12.00", "paid_hours": "5.00", "hours": "7.00", "rate": "15.60",
                    "amount": "109.20", "cao_code": "hoveniers", "scale": "B",
                    "description": "Aanvulling garantie-uren week 11 2026"}
    assert data["totals"]["guarantee_top_up"] == "109.20" and data["totals"]["gross_pay"] == "187.20"
    assert data["employers"][0]["guarantee_top_up"] == "109.20" and data["guarantees_left_out"] == []
    # not invoiced: the employer's invoice carries the 5 hours worked only (5 × 15.60 × 1.85)
    r = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, **WEEK})
    assert r.status_code == 201 and r.get_json()["subtotal"] == "144.30"


def test_min_max_worked_14_hours_has_no_top_up(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    for start in (MONDAY, TUESDAY):
        work(client, pool, "employer_a", "worker_x", start=start, hours=7.5, session=session)
    (part,) = worker_row(statement(client, pool), pool.worker_x)["employers"]
    assert (part["hours"], part["guarantee_hours"], part["guarantee_top_ups"]) == ("14.00", "0.00", [])
    assert part["gross_pay"] == "210.00"


def test_fixed_contract_tops_up_at_its_agreed_wage(client, pool, session):
    contract(client, pool, "worker_y", "employer_b", "fixed", "20", cao_code="schoonmaak", hourly_wage="16.00")
    work(client, pool, "employer_b", "worker_y", start=MONDAY, hours=8.5, session=session)
    (part,) = worker_row(statement(client, pool), pool.worker_y)["employers"]
    assert (part["hours"], part["guarantee_hours"], part["base"], part["guarantee_top_up"]) == (
        "8.00", "12.00", "128.00", "192.00")
    assert part["guarantee_top_ups"][0]["rate"] == "16.00"


def test_a_week_the_contract_starts_or_ends_in_is_prorated_by_its_days(client, pool):
    contract(client, pool, "worker_y", "employer_a", "min_max", "14", start="2026-03-11")    # Wed–Sun: 5 days
    contract(client, pool, "worker_x", "employer_a", "min_max", "14", end_date="2026-03-10")  # Mon–Tue: 2 days
    data = statement(client, pool)
    starts = worker_row(data, pool.worker_y)["employers"][0]["guarantee_top_ups"][0]
    ends = worker_row(data, pool.worker_x)["employers"][0]["guarantee_top_ups"][0]
    assert (starts["days_in_force"], starts["guaranteed_hours"], starts["hours"], starts["amount"]) == (
        5, "10.00", "10.00", "150.00")
    assert (ends["days_in_force"], ends["guaranteed_hours"], ends["amount"]) == (2, "4.00", "60.00")
    assert worker_row(data, pool.worker_y)["hours"] == "0.00"


def test_a_week_the_period_cuts_is_topped_up_once_over_both_statements(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12", start="2026-03-02")
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)    # 5 h on 9 March

    def top_ups(first, last):
        rows = statement(client, pool, {"period_start": first, "period_end": last})["workers"]
        return [(t["week_start"], t["days_in_period"], t["hours"])
                for t in rows[0]["employers"][0]["guarantee_top_ups"]] if rows else []
    # the week of 9 March falls short 7 h over the whole week; 2 of its 7 days lie in the first period
    assert top_ups("2026-03-02", "2026-03-10") == [("2026-03-02", 7, "12.00"), ("2026-03-09", 2, "2.00")]
    assert top_ups("2026-03-11", "2026-03-15") == [("2026-03-09", 5, "5.00")]   # the Monday's 5 h still count
    assert top_ups("2026-03-02", "2026-03-15") == [("2026-03-02", 7, "12.00"), ("2026-03-09", 7, "7.00")]


def test_on_call_contracts_have_no_guarantee(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "on_call", "12")
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    data = statement(client, pool)
    (part,) = worker_row(data, pool.worker_x)["employers"]
    assert (part["guarantee_hours"], part["guarantee_top_ups"], part["gross_pay"]) == ("0.00", [], "75.00")
    assert data["totals"]["guarantee_top_up"] == "0.00" and data["guarantees_left_out"] == []


def test_a_pool_contract_counts_the_hours_no_employer_contract_covers_and_falls_to_the_intermediary(
        client, pool, session):
    contract(client, pool, "worker_x", None, "min_max", "12")
    contract(client, pool, "worker_x", "employer_b", "on_call", "0", cao_code="schoonmaak")
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)    # under the pool's
    work(client, pool, "employer_b", "worker_x", start=TUESDAY, hours=3.5, session=session)   # under b's own
    data = statement(client, pool)
    row = worker_row(data, pool.worker_x)
    a, b, intermediary = row["employers"]
    assert (a["employer_id"], b["employer_id"], intermediary["employer_id"]) == (pool.employer_a, pool.employer_b, None)
    assert intermediary["employer_name"] == "Banenpool Twente BV" and intermediary["hours"] == "0.00"
    assert (intermediary["guarantee_hours"], intermediary["guarantee_top_up"]) == ("7.00", "105.00")
    assert a["guarantee_top_ups"] == b["guarantee_top_ups"] == []
    shares_add_up(row)
    assert data["employers"][-1]["employer_id"] is None and data["employers"][-1]["guarantee_top_up"] == "105.00"


@pytest.fixture
def holiday_percents(monkeypatch):
    """Schoonmaak pays 10 % holiday allowance, and hoveniers has a version from 12 March 2026 with 9 %."""
    shipped = catalogue()
    versions = [v for code in shipped.codes() for v in shipped.versions(code) if v.code != "hoveniers"]
    versions = [dataclasses.replace(v, holiday_allowance_percent=Decimal(10)) if v.code == "schoonmaak" else v
                for v in versions]
    *older, last = shipped.versions("hoveniers")
    new_from = date(2026, 3, 12)
    hoveniers = [*older, dataclasses.replace(last, valid_to=new_from - timedelta(days=1)),
                 dataclasses.replace(last, valid_from=new_from, valid_to=None, holiday_allowance_percent=Decimal(9))]
    patched = Catalogue(versions + hoveniers)
    monkeypatch.setattr(contracts.cao, "catalogue", lambda: patched)


def test_holiday_allowance_follows_each_timesheets_cao_version(client, pool, session, holiday_percents):
    work(client, pool, "employer_a", "worker_y", start=TUESDAY, hours=8.5, session=session)        # 8 %
    work(client, pool, "employer_a", "worker_y", start=MONDAY + timedelta(days=3), hours=8.5, session=session)  # 9 %
    (part,) = worker_row(statement(client, pool), pool.worker_y)["employers"]
    # 120.00 × 8 % + 120.00 × 9 % (the last timesheet's 9 % for both would be 21.60)
    assert (part["gross_pay"], part["holiday_allowance"], part["holiday_allowance_percent"]) == (
        "240.00", "20.40", "8.50")


def test_a_worker_of_two_employers_with_different_caos_and_holiday_allowances(client, pool, session, holiday_percents):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")                       # hoveniers
    contract(client, pool, "worker_x", "employer_b", "fixed", "10", cao_code="schoonmaak")  # 10 %
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    work(client, pool, "employer_b", "worker_x", start=TUESDAY, hours=4.5, session=session)
    row = worker_row(statement(client, pool), pool.worker_x)
    a, b = row["employers"]
    # a: 5 h + 7 h top-up at 15.00, the top-up's week starts on 9 March: hoveniers 8 %
    assert (a["gross_pay"], a["guarantee_top_up"], a["holiday_allowance"]) == ("180.00", "105.00", "14.40")
    # b: 4 h + 6 h top-up at schoonmaak A 15.00, 10 %
    assert (b["gross_pay"], b["guarantee_top_up"], b["holiday_allowance_percent"], b["holiday_allowance"]) == (
        "150.00", "90.00", "10.00", "15.00")
    assert (a["wage_cost"], b["wage_cost"], a["share"], b["share"]) == ("194.40", "165.00", "0.5409", "0.4591")
    shares_add_up(row)


def test_a_top_up_waits_for_registered_unapproved_hours_and_for_the_end_of_the_week(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    later = work(client, pool, "employer_a", "worker_x", start=WEDNESDAY, hours=4.5, approve=False,
                 session=session)   # registered, not approved yet: they were worked and will count
    data = statement(client, pool)
    assert worker_row(data, pool.worker_x)["employers"][0]["guarantee_top_ups"] == []
    (left,) = data["guarantees_left_out"]
    assert (left["code"], left["waiting_on"], left["week_start"]) == ("waiting", [later], "2026-03-09")
    next_monday = date.today() + timedelta(days=7 - date.today().weekday())
    future = {"period_start": next_monday.isoformat(), "period_end": (next_monday + timedelta(days=6)).isoformat()}
    data = statement(client, pool, future)
    assert data["workers"] == [] and [g["code"] for g in data["guarantees_left_out"]] == ["week_not_over"]


def test_the_csv_and_the_page_show_the_top_up(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    r = client.get("/api/v1/payroll/export?period_start=2026-03-09&period_end=2026-03-15",
                   headers=pool.headers("intermediary"))
    (row,) = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert (row["hours"], row["paid_hours"], row["guarantee_hours"], row["guarantee_top_up"], row["gross_pay"]) == (
        "5.00", "12.00", "7.00", "105.00", "180.00")
    login(client, "intermediary")
    page = client.get("/payroll?from=2026-03-09&to=2026-03-15").get_data(as_text=True)
    assert "Aanvulling garantie-uren" in page and "waarvan aanvulling garantie-uren" in page
    assert "€ 105,00" in page or "€\xa0105,00" in page
    assert "week van 9 mrt 2026" in page


def test_the_page_names_a_week_left_out(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    work(client, pool, "employer_a", "worker_x", start=datetime(2026, 3, 10, 8, tzinfo=AMS), hours=4.5,
         approve=False, session=session)
    login(client, "intermediary")
    page = client.get("/payroll?from=2026-03-09&to=2026-03-15").get_data(as_text=True)
    assert "Garantie-uren nog niet aangevuld" in page
    assert "diensten in die week hebben nog geen goedgekeurde uren" in page
