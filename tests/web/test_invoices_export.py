"""The documents: CSV lines, a UBL 2.1 e-invoice checked against EN 16931 / NLCIUS rules, and the PDF text."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

from banenpool.services.invoice_documents import NLCIUS, PEPPOL_PROFILE
from tests.banenpool.test_billing import MONDAY, SATURDAY, add_taxi_employer, make_assignment, work

NS = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CENT = Decimal("0.01")


def final_invoice(client, pool, employer_id):
    inv = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                      json={"employer_id": employer_id, "period_start": "2026-03-01", "period_end": "2026-03-31"})
    assert inv.status_code == 201, inv.get_json()
    r = client.post(f"/api/v1/invoices/{inv.get_json()['id']}/finalize", headers=pool.headers("intermediary"))
    assert r.status_code == 200
    return r.get_json()


def export(client, pool, invoice_id, fmt, who="intermediary"):
    r = client.get(f"/api/v1/invoices/{invoice_id}/export?format={fmt}", headers=pool.headers(who))
    assert r.status_code == 200, r.data[:300]
    return r


def one(node, path):
    found = node.findall(path, NS)
    assert len(found) == 1, f"{path}: {len(found)} found"
    return found[0]


def amount(node, path):
    el = one(node, path)
    assert el.get("currencyID") == "EUR" and len(el.text.partition(".")[2]) <= 2, etree.tostring(el)
    return Decimal(el.text)


def check_party(party, expect_vat: bool):
    """BR-06..BR-11 and NL-R: name, street/city/postcode/country, KvK legal id (0106), electronic address."""
    assert one(party, "cac:PartyName/cbc:Name").text
    for path in ("cbc:StreetName", "cbc:CityName", "cbc:PostalZone", "cac:Country/cbc:IdentificationCode"):
        assert one(party, f"cac:PostalAddress/{path}").text
    legal = one(party, "cac:PartyLegalEntity/cbc:CompanyID")
    assert legal.get("schemeID") == "0106" and len(legal.text) == 8
    assert one(party, "cbc:EndpointID").get("schemeID") == "0106"
    vat = party.findall("cac:PartyTaxScheme/cbc:CompanyID", NS)
    assert (len(vat) == 1 and vat[0].text.startswith("NL")) if expect_vat else True


def check_ubl(xml: bytes, expect_category: str, credit=False) -> etree._Element:
    root = etree.fromstring(xml)
    assert root.tag == f"{{{CREDIT_NS if credit else INVOICE_NS}}}{'CreditNote' if credit else 'Invoice'}"
    assert one(root, "cbc:CustomizationID").text == NLCIUS and one(root, "cbc:ProfileID").text == PEPPOL_PROFILE
    assert one(root, "cbc:ID").text and one(root, "cbc:IssueDate").text
    assert len(root.findall("cbc:Note", NS)) <= 1     # PEPPOL-EN16931-R002: one document-level note
    type_code = "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"
    assert one(root, type_code).text == ("381" if credit else "380")
    assert one(root, "cbc:DocumentCurrencyCode").text == "EUR" and one(root, "cbc:BuyerReference").text
    check_party(one(root, "cac:AccountingSupplierParty/cac:Party"), expect_vat=True)
    check_party(one(root, "cac:AccountingCustomerParty/cac:Party"), expect_vat=expect_category == "AE")
    assert one(root, "cac:PaymentMeans/cbc:PaymentMeansCode").text in {"30", "48", "49", "57", "58", "59"}
    lines = root.findall("cac:CreditNoteLine" if credit else "cac:InvoiceLine", NS)
    assert lines, "BR-16: at least one line"
    line_sum = Decimal(0)
    for line in lines:
        qty = Decimal(one(line, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity").text)
        price, net = amount(line, "cac:Price/cbc:PriceAmount"), amount(line, "cbc:LineExtensionAmount")
        assert net == (qty * price).quantize(CENT) and qty > 0 and price > 0
        assert one(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID").text == expect_category
        assert one(line, "cac:Item/cbc:Name").text
        line_sum += net
    totals = one(root, "cac:LegalMonetaryTotal")
    assert amount(totals, "cbc:LineExtensionAmount") == line_sum                              # BR-CO-10
    assert amount(totals, "cbc:TaxExclusiveAmount") == line_sum                               # BR-CO-13
    tax_total = one(root, "cac:TaxTotal")
    subtotals = tax_total.findall("cac:TaxSubtotal", NS)
    assert len(subtotals) == 1 and amount(tax_total, "cbc:TaxAmount") == amount(subtotals[0], "cbc:TaxAmount")
    sub = subtotals[0]
    assert amount(sub, "cbc:TaxableAmount") == line_sum
    category, percent = one(sub, "cac:TaxCategory/cbc:ID").text, Decimal(one(sub, "cac:TaxCategory/cbc:Percent").text)
    assert category == expect_category
    if category == "AE":   # BR-AE-02..10: 0 %, no VAT, an exemption reason
        assert percent == 0 and amount(sub, "cbc:TaxAmount") == 0
        assert one(sub, "cac:TaxCategory/cbc:TaxExemptionReason").text == "btw verlegd"
    else:                  # BR-S-08: VAT = taxable × rate
        assert percent == 21 and amount(sub, "cbc:TaxAmount") == (line_sum * percent / 100).quantize(CENT)
    incl = amount(totals, "cbc:TaxInclusiveAmount")
    assert incl == line_sum + amount(tax_total, "cbc:TaxAmount")                             # BR-CO-15
    assert amount(totals, "cbc:PayableAmount") == incl
    return root


def test_ubl_reverse_charge_and_credit_note(client, pool, session):
    work(client, pool, "employer_b", "worker_x", start=SATURDAY, session=session)
    inv = final_invoice(client, pool, pool.employer_b)
    r = export(client, pool, inv["id"], "ubl", who="employer_b")
    assert r.mimetype == "application/xml" and inv["number"] in r.headers["Content-Disposition"]
    root = check_ubl(r.data, "AE")
    assert one(root, "cbc:ID").text == inv["number"]
    assert amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == Decimal(inv["total"]) == Decimal("333.04")
    buyer_vat = one(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID").text
    assert buyer_vat == inv["buyer_vat_number"] and any("verlegd" in n.text for n in root.findall("cbc:Note", NS))

    note = client.post(f"/api/v1/invoices/{inv['id']}/credit", headers=pool.headers("intermediary")).get_json()
    root = check_ubl(export(client, pool, note["id"], "ubl").data, "AE", credit=True)
    assert one(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID").text == inv["number"]
    assert amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == Decimal("333.04")
    # a reverse-charge credit note has two things to say, in the one note Peppol allows (R002)
    text = one(root, "cbc:Note").text
    assert "verlegd" in text and inv["number"] in text


def test_ubl_standard_vat_and_draft_refused(client, pool, session):
    taxi = add_taxi_employer(session, pool)
    for start in (MONDAY, SATURDAY):
        a = make_assignment(session, taxi, pool.worker_y, start=start)
        body = {"start": start.isoformat(), "end": start.replace(hour=16, minute=30).isoformat(), "break_minutes": 30}
        assert client.put(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers("worker_y"), json=body).status_code == 200
        assert client.post(f"/api/v1/assignments/{a}/timesheet/approve",
                           headers=pool.headers("intermediary")).status_code == 200
    draft = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                        json={"employer_id": taxi, "period_start": "2026-03-01", "period_end": "2026-03-31"}).get_json()
    r = client.get(f"/api/v1/invoices/{draft['id']}/export?format=ubl", headers=pool.headers("intermediary"))
    assert r.status_code == 409  # a draft has no number
    inv = client.post(f"/api/v1/invoices/{draft['id']}/finalize", headers=pool.headers("intermediary")).get_json()
    root = check_ubl(export(client, pool, inv["id"], "ubl").data, "S")
    assert amount(root, "cac:TaxTotal/cbc:TaxAmount") == Decimal(inv["vat"]) > 0
    assert client.get(f"/api/v1/invoices/{inv['id']}/export?format=xls",
                      headers=pool.headers("intermediary")).status_code == 422


def test_csv_lines(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)
    inv = final_invoice(client, pool, pool.employer_a)
    r = export(client, pool, inv["id"], "csv", who="employer_a")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"     # one charset, not two
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert [(row["assignment_id"], row["kind"], row["hours"], row["rate"], row["amount"]) for row in rows] == [
        (str(a), "base", "8.00", "27.75", "222.00"), (str(a), "surcharge", "8.00", "13.88", "111.04")]
    assert {row["invoice_number"] for row in rows} == {inv["number"]} and rows[0]["date"] == "2026-03-07"
    assert sum(Decimal(row["amount"]) for row in rows) == Decimal(inv["subtotal"])


def needs_pango():
    try:
        import weasyprint  # noqa: F401  (loads Pango from the system)
    except OSError as exc:
        pytest.skip(f"WeasyPrint cannot load Pango on this machine: {exc}")


def test_pdf_shows_the_legal_contents(client, pool, session):
    needs_pango()
    work(client, pool, "employer_b", "worker_x", start=SATURDAY, session=session)
    inv = final_invoice(client, pool, pool.employer_b)
    r = export(client, pool, inv["id"], "pdf")
    assert r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages)
    flat = " ".join(text.split())
    for expected in (inv["number"], "Factuur", "333,04", "222,00", "111,04", "btw verlegd", "NL612345014B01",
                     "Glans Schoonmaak", "Hengelosestraat 1", "7521 AH", "Enschede", "KvK-nummer: 61234506",
                     "Banenpool Twente BV", "NL876543219B01", "87654321", "01-03-2026 t/m 31-03-2026",
                     date.fromisoformat(inv["issue_date"]).strftime("%d-%m-%Y"), "Sanne Scholten", "Zaterdag +50 %",
                     "verlegd"):
        assert expected in flat, expected
    assert "CONCEPT" not in flat and " AE " not in flat     # the VAT column says "verlegd", not the UBL code



def test_draft_documents_say_concept(client, pool, session):
    needs_pango()
    work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)
    draft = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                        json={"employer_id": pool.employer_a, "period_start": "2026-03-01",
                              "period_end": "2026-03-31"}).get_json()
    r = export(client, pool, draft["id"], "pdf", who="employer_a")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages).split())
    assert "CONCEPT" in text and "333,04" in text and f"concept-{draft['id']}" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export(client, pool, draft["id"], "csv").data.decode())))
    assert [row["invoice_number"] for row in rows] == ["", ""] and {row["status"] for row in rows} == {"draft"}


def test_csv_names_never_run_as_spreadsheet_formulas(client, pool, session):
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"),
                     json={"name": '=HYPERLINK("http://evil.example","klik")'})
    assert r.status_code == 200, r.get_json()
    work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)
    inv = final_invoice(client, pool, pool.employer_a)
    rows = list(csv.DictReader(io.StringIO(export(client, pool, inv["id"], "csv").data.decode())))
    assert {row["worker_name"] for row in rows} == {'\'=HYPERLINK("http://evil.example","klik")'}
    assert [row["amount"] for row in rows] == ["222.00", "111.04"]  # numbers stay numbers
    credit = client.post(f"/api/v1/invoices/{inv['id']}/credit", headers=pool.headers("intermediary"))
    assert credit.status_code in (200, 201), credit.get_json()
    rows = list(csv.DictReader(io.StringIO(export(client, pool, credit.get_json()["id"], "csv").data.decode())))
    assert [row["amount"] for row in rows] == ["-222.00", "-111.04"]  # a credit note's minus is not escaped
