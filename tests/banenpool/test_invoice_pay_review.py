"""Review of invoicing and pay: a credit note has no due date, the buyer is as on the invoice date,
a work date before the CAO starts is a conflict, and pay and the compliance check agree on the
three hours per call (art. 7:628a BW, nl-facts §3)."""
import io
from datetime import datetime, timedelta
from decimal import Decimal

from pypdf import PdfReader

from banenpool.models import Invoice
from banenpool.principal import SYSTEM
from banenpool.services import registry
from contracts.cao import catalogue
from contracts.compliance_model import WorkItem
from contracts.compliance_pay import is_call_contract
from contracts.pay import minimum_paid_hours
from tests.banenpool.test_billing import AMS, MONDAY, SATURDAY, add_taxi_employer, work
from tests.conftest import employer_data
from tests.web.test_invoices_export import export, final_invoice, needs_pango
from tests.web.pages_data import login

MARCH = {"period_start": "2026-03-01", "period_end": "2026-03-31"}


def post(client, pool, path, body=None):
    return client.post(f"/api/v1{path}", headers=pool.headers("intermediary"), json=body)


def approved_work(client, pool, session, employer_id, start, **kwargs):
    """Hours of worker X at an employer without a login of its own: the intermediary approves."""
    pool.employer_other = employer_id
    a = work(client, pool, "employer_other", "worker_x", start=start, approve=False, session=session, **kwargs)
    r = post(client, pool, f"/assignments/{a}/timesheet/approve")
    assert r.status_code == 200, r.get_json()
    return a


def pdf_text(client, pool, invoice_id) -> str:
    data = export(client, pool, invoice_id, "pdf").data
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


# ---- 1. a credit note has no payment due ----

def test_credit_note_pdf_has_no_due_date(client, pool, session):
    needs_pango()
    work(client, pool, "employer_b", "worker_x", start=SATURDAY, session=session)
    inv = final_invoice(client, pool, pool.employer_b)
    assert inv["due_date"] and "Vervaldatum" in pdf_text(client, pool, inv["id"])

    r = post(client, pool, f"/invoices/{inv['id']}/credit")
    assert r.status_code == 201, r.get_json()
    note = r.get_json()
    text = pdf_text(client, pool, note["id"])
    assert "Creditnota" in text and inv["number"] in text and "333,04" in text
    assert "Vervaldatum" not in text and inv["due_date"] not in text
    assert note["due_date"] is None  # nor in the API: nothing is due on a credit note

    # a credit note stored with a due date (before this fix) still prints without one
    stored = session.get(Invoice, note["id"])
    stored.due_date = stored.issue_date + timedelta(days=30)
    session.commit()
    text = pdf_text(client, pool, note["id"])
    assert "Vervaldatum" not in text and stored.due_date.isoformat() not in text


# ---- 2. the buyer as on the invoice date ----

def test_finalising_takes_the_buyer_and_vat_scheme_as_they_are_then(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)  # hoveniers: btw verlegd
    draft = post(client, pool, "/invoices", {"employer_id": pool.employer_a, **MARCH}).get_json()
    assert draft["vat_scheme"] == "reverse_charge" and draft["vat"] == "0.00"
    moved = {"name": "Groenwerk Oost BV", "vat_number": "NL612345014B02", "cao_code": "taxi",
             "cao_valid_from": SATURDAY.date().isoformat(),       # the CAO of those hours' day changes
             "address": {"street": "Marktstraat 9", "postcode": "7551 DS", "city": "Hengelo"}}
    r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers("intermediary"), json=moved)
    assert r.status_code == 200, r.get_json()

    r = post(client, pool, f"/invoices/{draft['id']}/finalize")
    assert r.status_code == 200, r.get_json()
    inv = r.get_json()
    assert (inv["employer_name"], inv["buyer_vat_number"]) == ("Groenwerk Oost BV", "NL612345014B02")
    assert (inv["vat_scheme"], inv["vat_percent"], inv["vat_note"]) == ("standard", "21.00", None)
    assert {line["vat_category"] for line in inv["lines"]} == {"S"}
    # the lines are priced again under the employer's CAO of their day as it is now
    assert all(line["description"].endswith("(cao taxi)") for line in inv["lines"])
    assert inv["subtotal"] != draft["subtotal"]
    assert Decimal(inv["vat"]) == (Decimal(inv["subtotal"]) * Decimal("0.21")).quantize(Decimal("0.01")) > 0
    assert Decimal(inv["total"]) == Decimal(inv["subtotal"]) + Decimal(inv["vat"])
    ubl = export(client, pool, inv["id"], "ubl").data.decode()
    assert "Marktstraat 9" in ubl and "Hengelo" in ubl and "Hengelosestraat" not in ubl


def test_finalising_refuses_btw_verlegd_once_the_buyer_has_no_vat_id(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)
    draft = post(client, pool, "/invoices", {"employer_id": pool.employer_a, **MARCH}).get_json()
    r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers("intermediary"),
                     json={"vat_number": None})
    assert r.status_code == 200, r.get_json()
    r = post(client, pool, f"/invoices/{draft['id']}/finalize")
    assert r.status_code == 409 and "VAT id" in r.get_json()["message"]
    again = client.get(f"/api/v1/invoices/{draft['id']}", headers=pool.headers("intermediary")).get_json()
    assert (again["status"], again["number"]) == ("draft", None)


# ---- 3. a work date before the CAO starts ----

def work_before_the_cao_starts(client, pool, session):
    """(employer, work day, first day of its CAO): approved hours of worker X at an employer under
    zoetwaren, 30 days before that CAO's first version."""
    zoet = registry.create_employer(session, SYSTEM, employer_data(
        name="Zoet BV", kvk_number="61234508", vat_number="NL612345087B01", cao_code="zoetwaren"))
    session.commit()
    first = catalogue().versions("zoetwaren")[0].valid_from
    day = first - timedelta(days=30)
    approved_work(client, pool, session, zoet.id, datetime(day.year, day.month, day.day, 8, tzinfo=AMS))
    return zoet, day, first


def test_hours_before_the_cao_starts_are_a_conflict_naming_cao_and_date(client, pool, session):
    zoet, day, first = work_before_the_cao_starts(client, pool, session)
    start = datetime(day.year, day.month, day.day, 8, tzinfo=AMS)
    period = {"period_start": day.isoformat(), "period_end": day.isoformat()}

    r = post(client, pool, "/invoices", {"employer_id": zoet.id, **period})
    assert r.status_code == 409, r.get_json()
    message = r.get_json()["message"]
    assert "zoetwaren" in message and day.isoformat() in message and first.isoformat() in message
    assert r.get_json()["rules"] == ["cao_not_in_force"]

    # the payroll statement leaves those hours out and says why; the other hours of the day still stand
    work(client, pool, "employer_a", "worker_y", start=start, session=session)
    r = client.get(f"/api/v1/payroll?period_start={day}&period_end={day}", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    statement = r.get_json()
    assert [w["worker_id"] for w in statement["workers"]] == [pool.worker_y]
    [unpriced] = statement["unpriced"]
    assert unpriced["employer_id"] == zoet.id and unpriced["date"] == day.isoformat()
    assert "zoetwaren" in unpriced["reason"] and first.isoformat() in unpriced["reason"]
    login(client, "intermediary")
    page = client.get(f"/payroll?from={day}&to={day}").get_data(as_text=True)
    assert "niet berekend kan worden" in page and "zoetwaren" in page


# ---- 4. three hours per call: from the contract, the same in pay and in the check ----

def small_fixed_contract(client, pool, employer_id, **extra):
    body = {"employer_id": employer_id, "kind": "fixed", "hours_per_week": "10", "cao_code": "taxi",
            "start_date": "2026-01-01", **extra}
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"), json=body)
    assert r.status_code == 201, r.get_json()


def test_small_fixed_contract_without_fixed_times_pays_three_hours(client, pool, session):
    taxi = add_taxi_employer(session, pool)
    small_fixed_contract(client, pool, taxi)  # 10 h a week, no base pattern: working times not fixed
    a = approved_work(client, pool, session, taxi, MONDAY, hours=2, break_minutes=0)
    inv = post(client, pool, "/invoices", {"employer_id": taxi, **MARCH}).get_json()
    assert [(line["kind"], line["hours"]) for line in inv["lines"] if line["assignment_id"] == a] == [
        ("base", "2.00"), ("minimum_call", "1.00")]
    r = client.get("/api/v1/payroll?period_start=2026-03-01&period_end=2026-03-31",
                   headers=pool.headers("intermediary"))
    part = r.get_json()["workers"][0]["employers"][0]
    # paid hours: the 3 of the call, and the top-up of the contract's 10 h a week over March
    # (7 + 4 × 10 + 2 days of the weeks March cuts: 1.43 + 37 + 2.86)
    assert (part["hours"], part["paid_hours"], part["guarantee_hours"]) == ("2.00", "44.29", "41.29")


def test_small_fixed_contract_with_fixed_times_pays_the_hours_worked(client, pool, session):
    taxi = add_taxi_employer(session, pool)
    small_fixed_contract(client, pool, taxi, base_pattern=[{"weekday": 0, "start": "08:00", "end": "10:00"}])
    approved_work(client, pool, session, taxi, MONDAY, hours=2, break_minutes=0)
    inv = post(client, pool, "/invoices", {"employer_id": taxi, **MARCH}).get_json()
    assert [(line["kind"], line["hours"]) for line in inv["lines"]] == [("base", "2.00")]


def test_pay_and_check_use_one_three_hour_rule():
    """Without knowing fixed times (the check's work items do not carry them) both read a contract
    under 15 h as a call contract; the CAO minimum (taxi: none) does not blur the comparison."""
    cao = catalogue().get("taxi", MONDAY.date())
    for kind in ("fixed", "min_max", "on_call"):
        for weekly in (None, Decimal(10), Decimal(15), Decimal(32)):
            item = WorkItem(id="A1", employer_id="1", employer_name="Taxi", cao_code="taxi", start=MONDAY,
                            end=MONDAY + timedelta(hours=2), break_minutes=0, contract_kind=kind,
                            contract_hours_per_week=weekly, hourly_wage=None)
            paid, _ = minimum_paid_hours(cao, kind, weekly, fixed_times=False)
            assert is_call_contract(item) == (paid == 3), (kind, weekly)
