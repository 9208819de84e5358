"""An invoice as documents: CSV lines, a UBL 2.1 e-invoice (EN 16931 / NLCIUS) and a PDF.

UBL: Invoice (type 380) or CreditNote (381, with a BillingReference to the invoice). A credit
note carries positive amounts: the document type says it is a credit (EN 16931 convention).
Reverse charge: one VAT breakdown in category AE at 0 % with exemption reason "btw verlegd".
The PDF is rendered by WeasyPrint from HTML the caller renders (web/templates/invoice.html),
so this module never imports the web layer.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from lxml import etree

from banenpool.errors import Conflict, Unavailable
from banenpool.models import Invoice
from banenpool.text import NOT_TEXT, csv_text, two_decimals

NLCIUS = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
KVK_SCHEME = "0106"
SEPA_CREDIT_TRANSFER = "58"
REVERSE_CHARGE_TEXT = "btw verlegd"
CSV_COLUMNS = ["invoice_number", "status", "line", "assignment_id", "worker_name", "date", "kind", "description",
               "hours", "rate", "amount", "vat_category", "vat_percent"]




# ---- CSV ----


def to_csv(invoice: Invoice) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in invoice.lines:
        writer.writerow([invoice.number or "", invoice.status, line.position, line.assignment_id or "",
                         csv_text(line.worker_name), line.work_date.isoformat(), line.kind,
                         csv_text(line.description),
                         two_decimals(line.hours), two_decimals(line.rate), two_decimals(line.amount), line.vat_category,
                         two_decimals(invoice.vat_percent)])
    return out.getvalue()


# ---- UBL 2.1 ----

def _el(parent, tag: str, text=None, **attrs):
    ns, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{CAC if ns == 'cac' else CBC}}}{name}", **attrs)
    if text is not None:
        node.text = NOT_TEXT.sub("", str(text))  # stored before the API refused it
    return node


def _money_el(parent, tag: str, value: Decimal, currency: str):
    return _el(parent, tag, two_decimals(value), currencyID=currency)


def _party(parent, tag: str, p: dict) -> None:
    party = _el(_el(parent, tag), "cac:Party")
    _el(party, "cbc:EndpointID", p["kvk_number"], schemeID=KVK_SCHEME)
    _el(_el(party, "cac:PartyName"), "cbc:Name", p["name"])
    address = _el(party, "cac:PostalAddress")
    _el(address, "cbc:StreetName", p["street"])
    _el(address, "cbc:CityName", p["city"])
    _el(address, "cbc:PostalZone", p["postcode"])
    _el(_el(address, "cac:Country"), "cbc:IdentificationCode", p.get("country") or "NL")
    if p.get("vat_number"):
        tax = _el(party, "cac:PartyTaxScheme")
        _el(tax, "cbc:CompanyID", p["vat_number"])
        _el(_el(tax, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = _el(party, "cac:PartyLegalEntity")
    _el(legal, "cbc:RegistrationName", p["name"])
    _el(legal, "cbc:CompanyID", p["kvk_number"], schemeID=KVK_SCHEME)
    if p.get("email"):
        _el(_el(party, "cac:Contact"), "cbc:ElectronicMail", p["email"])


def _tax_category(parent, tag: str, category: str, percent: Decimal, with_reason: bool) -> None:
    cat = _el(parent, tag)
    _el(cat, "cbc:ID", category)
    _el(cat, "cbc:Percent", two_decimals(percent))
    if category == "AE" and with_reason:
        _el(cat, "cbc:TaxExemptionReasonCode", "VATEX-EU-AE")
        _el(cat, "cbc:TaxExemptionReason", REVERSE_CHARGE_TEXT)
    _el(_el(cat, "cac:TaxScheme"), "cbc:ID", "VAT")


def to_ubl(invoice: Invoice) -> bytes:
    """UBL 2.1 Invoice or CreditNote; a draft has no number and cannot be an e-invoice (409)."""
    if invoice.number is None:
        raise Conflict("a draft has no invoice number; finalise it before exporting UBL", ["invoice_draft"])
    credit = invoice.kind == "credit_note"
    sign = Decimal(-1) if credit else Decimal(1)
    cur = invoice.currency
    root = etree.Element(f"{{{NS_CREDIT if credit else NS_INVOICE}}}{'CreditNote' if credit else 'Invoice'}",
                         nsmap={None: NS_CREDIT if credit else NS_INVOICE, "cac": CAC, "cbc": CBC})
    _el(root, "cbc:CustomizationID", NLCIUS)
    _el(root, "cbc:ProfileID", PEPPOL_PROFILE)
    _el(root, "cbc:ID", invoice.number)
    _el(root, "cbc:IssueDate", invoice.issue_date.isoformat())
    if not credit:
        _el(root, "cbc:DueDate", invoice.due_date.isoformat())
    _el(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", "381" if credit else "380")
    notes = [f"{REVERSE_CHARGE_TEXT.capitalize()}: btw-nummer afnemer {invoice.parties['buyer']['vat_number']}"] \
        if invoice.vat_scheme == "reverse_charge" else []
    if invoice.note:
        notes.append(invoice.note)
    if notes:   # one document-level note: Peppol BIS 3 (our ProfileID) allows no more (PEPPOL-EN16931-R002)
        _el(root, "cbc:Note", "\n".join(notes))
    _el(root, "cbc:DocumentCurrencyCode", cur)
    _el(root, "cbc:BuyerReference", invoice.buyer_reference or f"Periode {invoice.period_start} t/m {invoice.period_end}")
    period = _el(root, "cac:InvoicePeriod")
    _el(period, "cbc:StartDate", invoice.period_start.isoformat())
    _el(period, "cbc:EndDate", invoice.period_end.isoformat())
    if credit:
        ref = _el(_el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _el(ref, "cbc:ID", invoice.credit_of.number)
        _el(ref, "cbc:IssueDate", invoice.credit_of.issue_date.isoformat())
    _party(root, "cac:AccountingSupplierParty", invoice.parties["seller"])
    _party(root, "cac:AccountingCustomerParty", invoice.parties["buyer"])
    means = _el(root, "cac:PaymentMeans")
    _el(means, "cbc:PaymentMeansCode", SEPA_CREDIT_TRANSFER)
    _el(means, "cbc:PaymentID", invoice.number)
    _el(_el(means, "cac:PayeeFinancialAccount"), "cbc:ID", invoice.parties["seller"]["iban"])
    if not credit:
        _el(_el(root, "cac:PaymentTerms"), "cbc:Note", f"Betaling uiterlijk {invoice.due_date.isoformat()}")
    _tax_total(root, invoice, sign, cur)
    _monetary_total(root, invoice, sign, cur)
    for line in invoice.lines:
        _line(root, line, sign, credit, cur, invoice.vat_percent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tax_total(root, invoice: Invoice, sign: Decimal, cur: str) -> None:
    total = _el(root, "cac:TaxTotal")
    _money_el(total, "cbc:TaxAmount", invoice.vat * sign, cur)
    sub = _el(total, "cac:TaxSubtotal")
    _money_el(sub, "cbc:TaxableAmount", invoice.subtotal * sign, cur)
    _money_el(sub, "cbc:TaxAmount", invoice.vat * sign, cur)
    category = "AE" if invoice.vat_scheme == "reverse_charge" else "S"
    _tax_category(sub, "cac:TaxCategory", category, invoice.vat_percent, with_reason=True)


def _monetary_total(root, invoice: Invoice, sign: Decimal, cur: str) -> None:
    totals = _el(root, "cac:LegalMonetaryTotal")
    _money_el(totals, "cbc:LineExtensionAmount", invoice.subtotal * sign, cur)
    _money_el(totals, "cbc:TaxExclusiveAmount", invoice.subtotal * sign, cur)
    _money_el(totals, "cbc:TaxInclusiveAmount", invoice.total * sign, cur)
    _money_el(totals, "cbc:PayableAmount", invoice.total * sign, cur)


def _line(root, line, sign: Decimal, credit: bool, cur: str, percent: Decimal) -> None:
    node = _el(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    _el(node, "cbc:ID", line.position)
    _el(node, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", two_decimals(line.hours * sign), unitCode="HUR")
    _money_el(node, "cbc:LineExtensionAmount", line.amount * sign, cur)
    period = _el(node, "cac:InvoicePeriod")
    _el(period, "cbc:StartDate", line.work_date.isoformat())
    _el(period, "cbc:EndDate", line.work_date.isoformat())
    item = _el(node, "cac:Item")
    _el(item, "cbc:Description", f"Inzet {line.assignment_id}" if line.assignment_id else "Inzet")
    _el(item, "cbc:Name", f"{line.description} — {line.worker_name} {line.work_date.isoformat()}"[:200])
    _tax_category(item, "cac:ClassifiedTaxCategory", line.vat_category, percent, with_reason=False)
    price = _el(node, "cac:Price")
    _money_el(price, "cbc:PriceAmount", line.rate, cur)


# ---- PDF ----

class _CreditNoteView:
    """A credit note as the PDF shows it: nothing is due on it, so no due date (as in its UBL),
    also for credit notes stored with one."""

    due_date = None

    def __init__(self, note: Invoice):
        self._note = note

    def __getattr__(self, name):
        return getattr(self._note, name)


def document_context(invoice: Invoice) -> dict:
    """What web/templates/invoice.html shows: every item art. 35a Wet OB asks for (nl-facts §7).
    A credit note shows no due date."""
    credit = invoice.kind == "credit_note"
    return {"invoice": _CreditNoteView(invoice) if credit else invoice,
            "seller": invoice.parties["seller"], "buyer": invoice.parties["buyer"],
            "title": "Creditnota" if credit else "Factuur", "draft": invoice.status == "draft",
            "reverse_charge": invoice.vat_scheme == "reverse_charge", "reverse_charge_text": REVERSE_CHARGE_TEXT,
            "credit_of": invoice.credit_of, "lines": invoice.lines,
            "fmt": lambda value: f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),
            "d": lambda day: day.strftime("%d-%m-%Y") if day else "—",    # Dutch date: 06-01-2027
            "vat_text": lambda line: "verlegd" if line.vat_category == "AE" else f"{_percent(invoice.vat_percent)}%"}


def _percent(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint loads Pango from the system
        raise Unavailable("PDF export needs the Pango library on the server "
                          "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)") from exc
    return HTML(string=html).write_pdf()
