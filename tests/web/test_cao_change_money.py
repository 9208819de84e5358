"""Money around a change of the employer's CAO: an invoice's VAT scheme follows the CAO of the hours
it bills, not a change dated after them (also one dated in the future) that its period reaches."""
from datetime import date, timedelta

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
