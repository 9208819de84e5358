"""The payroll-sharing statement: hours and gross pay per worker per employer, holiday allowance, allocation."""
from decimal import Decimal

from tests.banenpool.test_billing import MONDAY, SATURDAY, work

PERIOD = "period_start=2026-03-01&period_end=2026-03-31"


def test_statement_per_worker_and_employer(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)   # hoveniers, Saturday
    work(client, pool, "employer_b", "worker_x", start=MONDAY, session=session)     # schoonmaak, Monday
    work(client, pool, "employer_a", "worker_y", start=MONDAY, session=session)
    work(client, pool, "employer_b", "worker_y", start=SATURDAY, approve=False, session=session)  # not approved
    r = client.get(f"/api/v1/payroll?{PERIOD}", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    data = r.get_json()
    daan, sanne = data["workers"]  # sorted by name
    assert sanne["worker_name"] == "Sanne Scholten" and sanne["hours"] == "16.00"
    a, b = sanne["employers"]
    assert (a["employer_id"], a["cao_code"], a["hours"], a["base"], a["surcharges"], a["gross_pay"]) == (
        pool.employer_a, "hoveniers", "8.00", "120.00", "60.00", "180.00")
    assert (b["employer_id"], b["cao_code"], b["gross_pay"], b["surcharges"]) == (
        pool.employer_b, "schoonmaak", "120.00", "0.00")
    assert a["holiday_allowance_percent"] == "8.00" and a["holiday_allowance"] == "14.40"
    assert b["holiday_allowance"] == "9.60"
    assert (a["wage_cost"], b["wage_cost"], sanne["wage_cost"]) == ("194.40", "129.60", "324.00")
    assert (a["share"], b["share"]) == ("0.6000", "0.4000")
    assert sanne["gross_pay"] == "300.00" and sanne["surcharges"] == "60.00" and sanne["holiday_allowance"] == "24.00"
    assert [e["share"] for e in daan["employers"]] == ["1.0000"] and daan["hours"] == "8.00"
    employers = {e["employer_id"]: e for e in data["employers"]}
    assert employers[pool.employer_a]["workers"] == 2 and employers[pool.employer_a]["hours"] == "16.00"
    assert Decimal(data["totals"]["wage_cost"]) == sum(Decimal(w["wage_cost"]) for w in data["workers"])
    assert Decimal(data["totals"]["wage_cost"]) == sum(Decimal(e["wage_cost"]) for e in data["employers"])


def test_statement_access_and_validation(client, pool):
    for who, status in (("employer_a", 403), ("worker_x", 403), ("anonymous", 401)):
        assert client.get(f"/api/v1/payroll?{PERIOD}", headers=pool.headers(who)).status_code == status
    r = client.get("/api/v1/payroll?period_start=2026-03-31&period_end=2026-03-01", headers=pool.headers("intermediary"))
    assert r.status_code == 422
    assert client.get("/api/v1/payroll", headers=pool.headers("intermediary")).status_code == 422
    empty = client.get(f"/api/v1/payroll?{PERIOD}", headers=pool.headers("intermediary")).get_json()
    assert empty["workers"] == [] and empty["totals"]["wage_cost"] == "0.00"


def test_the_statement_as_csv_and_as_a_page(client, pool, session):
    import csv
    import io

    from tests.web.pages_data import login
    work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)
    work(client, pool, "employer_b", "worker_x", start=MONDAY, session=session)
    h = pool.headers("intermediary")
    statement = client.get(f"/api/v1/payroll?{PERIOD}", headers=h).get_json()
    r = client.get(f"/api/v1/payroll/export?{PERIOD}", headers=h)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert 'filename="loonverdeling-2026-03-01-2026-03-31.csv"' in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    parts = statement["workers"][0]["employers"]
    assert [(int(row["employer_id"]), row["cao"], row["hours"], row["gross_pay"], row["wage_cost"], row["share"])
            for row in rows] == [(p["employer_id"], p["cao_code"], p["hours"], p["gross_pay"], p["wage_cost"], p["share"])
                                 for p in parts]
    assert {row["worker_name"] for row in rows} == {"Sanne Scholten"}
    for who in ("employer_a", "worker_x"):
        assert client.get(f"/api/v1/payroll/export?{PERIOD}", headers=pool.headers(who)).status_code == 403

    login(client, "intermediary")
    page = client.get("/payroll?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "Loonverdeling" in page and "Sanne Scholten" in page and "Glans Schoonmaak" in page
    assert "€\xa0194,40" in page and "60 %" in page           # employer A's wage cost and share
    csv_page = client.get("/payroll/download?from=2026-03-01&to=2026-03-31")
    assert csv_page.get_data(as_text=True) == r.get_data(as_text=True)
    assert client.get("/payroll?from=2026-03-31&to=2026-03-01").status_code == 422
    login(client, "employer_a")
    assert client.get("/payroll").status_code == 403
