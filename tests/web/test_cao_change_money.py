"""Money after the employer CAO history and the guaranteed hours: an invoice's VAT scheme follows the
CAO of the hours it bills, not a change dated after them (also one dated in the future) that its
period reaches; a week's guarantee top-up split over two statements adds up to its shortfall."""
from datetime import date, timedelta
from decimal import Decimal

from tests.banenpool.test_billing import MONDAY, work

HOVENIERS_TO_ZOETWAREN = "2026-03-20"   # employer A: hoveniers (btw verlegd) → zoetwaren (21 %)
MARCH = {"period_start": "2026-03-01", "period_end": "2026-03-31"}


def _move_a(client, pool, day, code="zoetwaren"):
    r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers("intermediary"),
                     json={"cao_code": code, "cao_valid_from": day})
    assert r.status_code == 200, r.get_json()


def _draft(client, pool, period):
    r = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, **period})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _reverse_charged(invoice):
    return (invoice["vat_scheme"], invoice["vat_note"], invoice["vat"], invoice["total"] == invoice["subtotal"])


def test_hours_before_a_change_in_the_period_keep_their_reverse_charge(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)      # 9 March, hoveniers
    _move_a(client, pool, HOVENIERS_TO_ZOETWAREN)
    invoice = _draft(client, pool, MARCH)      # the period's last day is under zoetwaren, its hours are not
    assert _reverse_charged(invoice) == ("reverse_charge", "btw verlegd", "0.00", True)
    assert {line["vat_category"] for line in invoice["lines"]} == {"AE"}


def test_a_draft_keeps_its_vat_when_a_change_after_its_hours_comes_in_before_it_is_final(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    invoice = _draft(client, pool, MARCH)
    assert invoice["vat_scheme"] == "reverse_charge"
    _move_a(client, pool, HOVENIERS_TO_ZOETWAREN)
    r = client.post(f"/api/v1/invoices/{invoice['id']}/finalize", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    assert _reverse_charged(r.get_json()) == ("reverse_charge", "btw verlegd", "0.00", True)


def test_a_change_dated_in_the_future_does_not_change_the_vat_of_an_invoice_for_hours_until_today(
        client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    coming = date.today() + timedelta(days=10)
    _move_a(client, pool, coming.isoformat())
    invoice = _draft(client, pool, {"period_start": "2026-03-01", "period_end": (coming + timedelta(days=20)).isoformat()})
    assert _reverse_charged(invoice) == ("reverse_charge", "btw verlegd", "0.00", True)
    r = client.post(f"/api/v1/invoices/{invoice['id']}/finalize", headers=pool.headers("intermediary"))
    assert r.status_code == 200 and r.get_json()["vat_scheme"] == "reverse_charge", r.get_json()


def test_a_week_two_statements_cut_is_topped_up_to_its_shortfall_exactly(client, pool, session):
    """A contract from Thursday 12 March: 4 days in force, 24 h a week guarantees 13.72 h; 5.01 h worked
    leave 8.71 h, which the statements through Friday and from Saturday split 4.36 + 4.35 (each
    rounded on its own, both were 4.36: 8.72 h paid)."""
    from tests.banenpool.test_payroll_guarantee import contract, statement, worker_row
    contract(client, pool, "worker_x", "employer_a", "min_max", "24", start="2026-03-12")
    work(client, pool, "employer_a", "worker_x", start=MONDAY + timedelta(days=3), hours=5.51, session=session)

    def top_up(first, last):
        (part,) = worker_row(statement(client, pool, {"period_start": first, "period_end": last}),
                             pool.worker_x)["employers"]
        (line,) = part["guarantee_top_ups"]
        return Decimal(line["paid_hours"]), Decimal(line["hours"])
    whole = top_up("2026-03-09", "2026-03-15")
    first, second = top_up("2026-03-09", "2026-03-13"), top_up("2026-03-14", "2026-03-15")
    assert whole == (Decimal("5.01"), Decimal("8.71"))
    assert first[1] + second[1] == whole[1]


def test_hours_on_both_sides_of_a_change_of_vat_scheme_are_not_on_one_invoice(client, pool, session):
    """hoveniers hours are btw verlegd, zoetwaren hours 21 %: one invoice's single VAT scheme would
    charge one of them wrongly (before, the CAO on the period's last day decided for all of them)."""
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)                       # 9 March
    work(client, pool, "employer_a", "worker_y", start=MONDAY + timedelta(days=14), session=session)  # 23 March
    draft = _draft(client, pool, MARCH)                   # made before the change: all hoveniers
    _move_a(client, pool, HOVENIERS_TO_ZOETWAREN)
    r = client.post("/api/v1/invoices", headers=pool.headers("intermediary"), json={"employer_id": pool.employer_a,
                                                                                    **MARCH})
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["errors"]["json"]["period_end"] == [
        "the employer's CAO changes on 2026-03-20, and with it the VAT (btw verlegd or 21 %); hours before and "
        "from that day go on separate invoices: end the period on 2026-03-19"]
    r = client.post(f"/api/v1/invoices/{draft['id']}/finalize", headers=pool.headers("intermediary"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["vat_scheme_mixed"], r.get_json()
    assert client.get(f"/api/v1/invoices/{draft['id']}",
                      headers=pool.headers("intermediary")).get_json()["status"] == "draft"
    before = _draft(client, pool, {"period_start": "2026-03-01", "period_end": "2026-03-19"})
    after = _draft(client, pool, {"period_start": "2026-03-20", "period_end": "2026-03-31"})
    assert (before["vat_scheme"], after["vat_scheme"]) == ("reverse_charge", "standard")
    # a change between two CAOs of the same scheme splits nothing
    _move_a(client, pool, "2026-03-25", "taxi")
    assert _draft(client, pool, {"period_start": "2026-03-20", "period_end": "2026-03-31"})["vat_scheme"] == "standard"


def test_the_invoices_page_says_why_in_dutch(client, pool, session):
    from tests.web.pages_data import csrf_token, login
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    work(client, pool, "employer_a", "worker_y", start=MONDAY + timedelta(days=14), session=session)
    _move_a(client, pool, HOVENIERS_TO_ZOETWAREN)
    login(client, "intermediary")
    page = client.get("/invoices").get_data(as_text=True)
    r = client.post("/invoices", data={"csrf_token": csrf_token(page), "employer_id": pool.employer_a,
                                       "period_start": "2026-03-01", "period_end": "2026-03-31"})
    text = r.get_data(as_text=True)
    assert "verandert op 20 mrt 2026" in text and "laat de periode eindigen op 19 mrt 2026" in text, text[-3000:]


def test_the_statement_has_a_part_per_cao_when_the_employers_cao_changes_in_the_period(client, pool, session):
    """Before, the worker's one part at the employer named the CAO of its last hours (zoetwaren), also
    for the hoveniers hours: the CSV put every amount under it."""
    import csv
    import io
    from tests.banenpool.test_payroll_guarantee import shares_add_up, statement, worker_row
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)                       # hoveniers
    work(client, pool, "employer_a", "worker_x", start=MONDAY + timedelta(days=1), session=session)   # zoetwaren
    _move_a(client, pool, "2026-03-10")
    data = statement(client, pool, {"period_start": "2026-03-09", "period_end": "2026-03-15"})
    row = worker_row(data, pool.worker_x)
    parts = [(p["employer_id"], p["cao_code"], p["hours"], p["gross_pay"]) for p in row["employers"]]
    assert parts == [(pool.employer_a, "hoveniers", "8.00", "120.00"), (pool.employer_a, "zoetwaren", "8.00", "121.60")]
    shares_add_up(row)
    (employer,) = data["employers"]
    assert (employer["workers"], employer["gross_pay"]) == (1, "241.60")
    r = client.get("/api/v1/payroll/export?period_start=2026-03-09&period_end=2026-03-15",
                   headers=pool.headers("intermediary"))
    lines = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert [(line["cao"], line["gross_pay"], line["share"]) for line in lines] == [
        (p["cao_code"], p["gross_pay"], p["share"]) for p in row["employers"]]


def test_a_top_up_left_out_for_a_cao_without_a_version_is_said_in_dutch(client, pool, monkeypatch):
    import dataclasses

    import contracts.cao
    from contracts.cao import Catalogue, catalogue
    from tests.banenpool.test_payroll_guarantee import contract, statement
    from tests.web.pages_data import login
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")          # hoveniers, from 1 January
    shipped = catalogue()
    *_, last = shipped.versions("hoveniers")     # hoveniers only from 12 March: none on the week's Monday
    versions = [v for code in shipped.codes() for v in shipped.versions(code) if v.code != "hoveniers"]
    patched = Catalogue(versions + [dataclasses.replace(last, valid_from=date(2026, 3, 12), valid_to=None)])
    monkeypatch.setattr(contracts.cao, "catalogue", lambda: patched)
    (left,) = statement(client, pool)["guarantees_left_out"]
    assert left["code"] == "cao_not_in_force"
    login(client, "intermediary")
    page = client.get("/payroll?from=2026-03-09&to=2026-03-15").get_data(as_text=True)
    assert "de cao van het contract heeft op de eerste dag van die week geen geldige versie" in page
    assert left["reason"] not in page


def test_a_change_of_vat_scheme_no_hours_fall_under_splits_nothing(client, pool, session):
    """hoveniers (btw verlegd) to zoetwaren (21 %) on 20 March and on to schoonmaak (btw verlegd) on
    22 March: the hours of 9 and 23 March are both reverse charged, so they share one invoice."""
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)                       # 9 March
    work(client, pool, "employer_a", "worker_y", start=MONDAY + timedelta(days=14), session=session)  # 23 March
    _move_a(client, pool, HOVENIERS_TO_ZOETWAREN)
    _move_a(client, pool, "2026-03-22", "schoonmaak")
    invoice = _draft(client, pool, MARCH)
    assert (invoice["vat_scheme"], len({line["assignment_id"] for line in invoice["lines"]})) == ("reverse_charge", 2)
