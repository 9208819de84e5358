"""Invoices through the API: drafts from approved hours, numbering, immutability, credit notes, access."""
from datetime import date, datetime
from decimal import Decimal

from banenpool.calendar_nl import today_local
from tests.banenpool.test_billing import MONDAY, SATURDAY, AMS, add_taxi_employer, work

MARCH = {"period_start": "2026-03-01", "period_end": "2026-03-31"}


def create(client, pool, employer_id, who="intermediary", **period):
    return client.post("/api/v1/invoices", headers=pool.headers(who),
                       json={"employer_id": employer_id, **(period or MARCH)})


def post(client, pool, path, who="intermediary"):
    return client.post(f"/api/v1/invoices{path}", headers=pool.headers(who))


def assert_adds_up(inv):
    lines = inv["lines"]
    for line in lines:
        assert Decimal(line["amount"]) == (Decimal(line["hours"]) * Decimal(line["rate"])).quantize(Decimal("0.01"))
    assert Decimal(inv["subtotal"]) == sum(Decimal(line["amount"]) for line in lines)
    assert Decimal(inv["total"]) == Decimal(inv["subtotal"]) + Decimal(inv["vat"])


def test_saturday_surcharge_and_reverse_charge_for_schoonmaak(client, pool, session):
    a = work(client, pool, "employer_b", "worker_x", start=SATURDAY, session=session)
    work(client, pool, "employer_b", "worker_y", start=MONDAY, approve=False, session=session)  # not approved
    r = create(client, pool, pool.employer_b)
    assert r.status_code == 201, r.get_json()
    inv = r.get_json()
    assert inv["status"] == "draft" and inv["number"] is None and inv["kind"] == "invoice"
    assert [(l["assignment_id"], l["date"], l["worker_name"]) for l in inv["lines"]] == [
        (a, "2026-03-07", "Sanne Scholten")] * 2
    base, saturday = inv["lines"]
    # schoonmaak scale A 15.00/h × 1.85 = 27.75; Saturday 150 % → +7.50 × 1.85 = 13.875 → 13.88 (half up)
    assert (base["hours"], base["rate"], base["amount"]) == ("8.00", "27.75", "222.00")
    assert "Zaterdag +50 %" in saturday["description"] and saturday["rate"] == "13.88" and saturday["amount"] == "111.04"
    assert inv["vat_scheme"] == "reverse_charge" and inv["vat_note"] == "btw verlegd"
    assert inv["vat_percent"] == "0.00" and inv["vat"] == "0.00" and inv["total"] == "333.04"
    assert inv["buyer_vat_number"] == "NL612345014B01" and all(l["vat_category"] == "AE" for l in inv["lines"])
    assert_adds_up(inv)


def test_taxi_pays_21_percent_vat(client, pool, session):
    taxi = add_taxi_employer(session, pool)
    a = work(client, pool, "employer_a", "worker_x", session=session)  # another employer's hours stay out
    sheet_start = datetime(2026, 3, 10, 7, 0, tzinfo=AMS)
    from tests.banenpool.test_billing import make_assignment
    b = make_assignment(session, taxi, pool.worker_y, start=sheet_start, hours=7.75, break_minutes=15)
    r = client.put(f"/api/v1/assignments/{b}/timesheet", headers=pool.headers("intermediary"),
                   json={"start": sheet_start.isoformat(), "end": "2026-03-10T14:45:00+01:00", "break_minutes": 15})
    assert r.status_code == 200
    assert client.post(f"/api/v1/assignments/{b}/timesheet/approve",
                       headers=pool.headers("intermediary")).status_code == 200
    inv = create(client, pool, taxi).get_json()
    assert [l["assignment_id"] for l in inv["lines"]] == [b] and a != b
    (line,) = inv["lines"]
    assert (line["hours"], line["rate"], line["amount"]) == ("7.50", "29.70", "222.75")  # 14.85 × 2.00
    assert inv["vat_scheme"] == "standard" and inv["vat_percent"] == "21.00" and inv["vat_note"] is None
    assert inv["vat"] == "46.78" and inv["total"] == "269.53"  # 222.75 × 21 % = 46.7775 → 46.78
    assert line["vat_category"] == "S"
    assert_adds_up(inv)


def test_numbering_finality_and_credit_note(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    work(client, pool, "employer_b", "worker_y", start=MONDAY, session=session)
    first, second = (create(client, pool, e).get_json() for e in (pool.employer_a, pool.employer_b))
    assert post(client, pool, f"/{first['id']}/finalize", who="employer_a").status_code == 403
    r1 = post(client, pool, f"/{first['id']}/finalize")
    r2 = post(client, pool, f"/{second['id']}/finalize")
    assert r1.status_code == r2.status_code == 200
    year = today_local().year
    n1, n2 = r1.get_json()["number"], r2.get_json()["number"]
    assert n1.startswith(f"{year}-") and int(n2.split("-")[1]) == int(n1.split("-")[1]) + 1
    final = r1.get_json()
    assert final["status"] == "final" and final["issue_date"] == today_local().isoformat()

    r = post(client, pool, f"/{first['id']}/finalize")
    assert r.status_code == 409 and "never changes" in r.get_json()["message"]
    r = client.patch(f"/api/v1/invoices/{first['id']}", headers=pool.headers("intermediary"), json={"note": "x"})
    assert r.status_code == 409
    assert client.delete(f"/api/v1/invoices/{first['id']}", headers=pool.headers("intermediary")).status_code == 409
    assert client.get(f"/api/v1/invoices/{first['id']}", headers=pool.headers("intermediary")).get_json() == final
    r = create(client, pool, pool.employer_a)  # the hours are billed now
    assert r.status_code == 422

    r = post(client, pool, f"/{first['id']}/credit")
    assert r.status_code == 201, r.get_json()
    note = r.get_json()
    assert note["kind"] == "credit_note" and note["status"] == "final" and note["credit_of_id"] == first["id"]
    assert note["credit_of_number"] == n1 and int(note["number"].split("-")[1]) == int(n2.split("-")[1]) + 1
    assert [Decimal(l["amount"]) for l in note["lines"]] == [-Decimal(l["amount"]) for l in final["lines"]]
    assert Decimal(note["total"]) == -Decimal(final["total"]) and Decimal(note["total"]) < 0
    assert_adds_up(note)
    original = client.get(f"/api/v1/invoices/{first['id']}", headers=pool.headers("intermediary")).get_json()
    assert original["status"] == "credited" and original["number"] == n1 and original["lines"] == final["lines"]
    assert post(client, pool, f"/{first['id']}/credit").status_code == 409       # credited already
    assert post(client, pool, f"/{note['id']}/credit").status_code == 409        # a credit note is not credited
    assert post(client, pool, f"/{note['id']}/finalize").status_code == 409
    # after the credit note the hours can be invoiced again, correctly
    again = create(client, pool, pool.employer_a)
    assert again.status_code == 201 and again.get_json()["total"] == final["total"]


def test_draft_changes_and_validation(client, pool, session):
    work(client, pool, "employer_a", "worker_x", session=session)
    inv = create(client, pool, pool.employer_a).get_json()
    r = client.patch(f"/api/v1/invoices/{inv['id']}", headers=pool.headers("intermediary"),
                     json={"buyer_reference": "PO-4711"})
    assert r.status_code == 200 and r.get_json()["buyer_reference"] == "PO-4711"
    assert client.delete(f"/api/v1/invoices/{inv['id']}", headers=pool.headers("intermediary")).status_code == 204
    assert client.get(f"/api/v1/invoices/{inv['id']}", headers=pool.headers("intermediary")).status_code == 404
    assert create(client, pool, pool.employer_a, period_start="2026-03-31", period_end="2026-03-01").status_code == 422
    assert create(client, pool, pool.employer_a, period_start="2026-04-01", period_end="2026-04-30").status_code == 422
    assert create(client, pool, 999999).status_code == 422
    assert client.post("/api/v1/invoices", headers=pool.headers("intermediary"), json={}).status_code == 422
    assert client.get("/api/v1/invoices", headers=pool.headers("intermediary")).get_json() == []  # nothing half-written


def test_access(client, pool, session):
    work(client, pool, "employer_a", "worker_x", session=session)
    work(client, pool, "employer_b", "worker_y", session=session)
    a = create(client, pool, pool.employer_a).get_json()
    b = create(client, pool, pool.employer_b).get_json()
    assert create(client, pool, pool.employer_a, who="employer_a").status_code == 403
    for who, own, other in (("employer_a", a, b), ("employer_b", b, a)):
        listed = client.get("/api/v1/invoices", headers=pool.headers(who)).get_json()
        assert [i["id"] for i in listed] == [own["id"]]
        assert client.get(f"/api/v1/invoices/{own['id']}", headers=pool.headers(who)).status_code == 200
        for path in ("", "/export?format=csv", "/export?format=pdf"):
            assert client.get(f"/api/v1/invoices/{other['id']}{path}", headers=pool.headers(who)).status_code == 404
        assert client.patch(f"/api/v1/invoices/{own['id']}", headers=pool.headers(who), json={}).status_code == 403
    for path in ("", f"/{a['id']}", f"/{a['id']}/export?format=csv"):
        assert client.get(f"/api/v1/invoices{path}", headers=pool.headers("worker_x")).status_code == 403
    assert client.get("/api/v1/invoices", headers=pool.headers("anonymous")).status_code == 401
    listed = client.get(f"/api/v1/invoices?employer_id={pool.employer_b}", headers=pool.headers("intermediary"))
    assert [i["id"] for i in listed.get_json()] == [b["id"]]
    assert date.fromisoformat(a["period_start"]) == date(2026, 3, 1)
