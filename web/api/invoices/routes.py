"""Invoices to employers: drafts, finalising (numbering), credit notes and the CSV/UBL/PDF documents."""
from flask import Response, render_template
from flask.views import MethodView

from banenpool.services import billing, invoice_documents
from web.api.blueprint import Blueprint
from web.api.invoices.schemas import ExportArgsSchema, InvoicePatchSchema, InvoiceQueryArgsSchema, InvoiceSchema
from web.api.paging import paged
from web.auth import principal
from web.database import session

blp = Blueprint("invoices", __name__, url_prefix="/invoices", description="Invoices and credit notes")


@blp.route("")
class InvoiceViews(MethodView):
    @blp.arguments(InvoiceQueryArgsSchema, location="query")
    @blp.response(200, InvoiceSchema(many=True))
    @paged(blp)
    def get(self, args):
        """List invoices (employer: own)"""
        return billing.list_invoices(session(), principal(), args["employer_id"], args["status"])

    @blp.arguments(InvoiceSchema)
    @blp.response(201, InvoiceSchema)
    def post(self, data):
        """Draft an invoice for an employer and period from approved, unbilled hours (intermediary)"""
        invoice = billing.create_invoice(session(), principal(), data)
        session().commit()
        return invoice


@blp.route("/<int:invoice_id>")
class InvoiceByIdViews(MethodView):
    @blp.response(200, InvoiceSchema)
    def get(self, invoice_id):
        """Read an invoice (a draft with its `review`: hours left off or changed since)"""
        invoice = billing.get_invoice(session(), principal(), invoice_id)
        invoice.review = billing.draft_review(session(), principal(), invoice)
        return invoice

    @blp.arguments(InvoicePatchSchema)
    @blp.response(200, InvoiceSchema)
    def patch(self, data, invoice_id):
        """Change a draft's reference or note (intermediary); a final invoice → 409"""
        invoice = billing.update_invoice(session(), principal(), invoice_id, data)
        session().commit()
        return invoice

    @blp.response(204)
    def delete(self, invoice_id):
        """Discard a draft (intermediary); a final invoice → 409"""
        billing.delete_invoice(session(), principal(), invoice_id)
        session().commit()


@blp.route("/<int:invoice_id>/finalize")
class InvoiceFinalizeViews(MethodView):
    @blp.response(200, InvoiceSchema)
    def post(self, invoice_id):
        """Make final: assigns the next number of the year; finalising again → 409"""
        invoice = billing.finalize(session(), principal(), invoice_id)
        session().commit()
        return invoice


@blp.route("/<int:invoice_id>/credit")
class InvoiceCreditViews(MethodView):
    @blp.response(201, InvoiceSchema)
    def post(self, invoice_id):
        """Credit a final invoice: a numbered credit note referring to it (intermediary)"""
        note = billing.credit(session(), principal(), invoice_id)
        session().commit()
        return note


MEDIA = {"csv": "text/csv; charset=utf-8", "ubl": "application/xml", "pdf": "application/pdf"}


@blp.route("/<int:invoice_id>/export")
class InvoiceExportViews(MethodView):
    @blp.arguments(ExportArgsSchema, location="query")
    @blp.response(200, content_type="application/octet-stream")
    @blp.alt_response(200, description="csv, ubl or pdf", content_type="application/xml")
    def get(self, args, invoice_id):
        """The invoice as CSV lines, UBL 2.1 e-invoice or PDF"""
        invoice = billing.get_invoice(session(), principal(), invoice_id)
        fmt = args["format"]
        if fmt == "csv":
            body = invoice_documents.to_csv(invoice)
        elif fmt == "ubl":
            body = invoice_documents.to_ubl(invoice)
        else:
            html = render_template("invoice.html", **invoice_documents.document_context(invoice))
            body = invoice_documents.to_pdf(html)
        name = f"{'creditnota' if invoice.kind == 'credit_note' else 'factuur'}-{invoice.number or f'concept-{invoice.id}'}"
        extension = "xml" if fmt == "ubl" else fmt
        return Response(body, content_type=MEDIA[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'})
