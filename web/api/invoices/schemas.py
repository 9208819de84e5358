from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from web.api.fields import Date, DecimalString, Id, Integer
from web.api.shifts.schemas import LocalDateTime


class InvoiceLineSchema(Schema):
    position = Integer()
    assignment_id = Integer(allow_none=True)
    worker_id = Integer(allow_none=True)
    worker_name = fields.String()
    date = Date(attribute="work_date")
    kind = fields.String()
    description = fields.String()
    hours = DecimalString()
    rate = DecimalString()
    amount = DecimalString()
    vat_category = fields.String()


class WaitingHoursSchema(Schema):
    assignment_id = Integer()
    worker_name = fields.String()
    date = Date()
    waiting_on = fields.List(Integer(), metadata={"description": "earlier assignments that week without "
                                                                 "approved hours: they fix these hours' overtime"})


class NotWorkedSchema(Schema):
    assignment_id = Integer()
    worker_name = fields.String()
    date = Date()
    not_worked = fields.List(Integer(), metadata={
        "description": "earlier assignments that week without any registered hours, counted as not worked "
                       "(7 days after they ended, or the worker registered absent): these hours' overtime "
                       "counts without them"})


class DraftWarningSchema(Schema):
    code = fields.String(metadata={"description": "vat_scheme_mixed: the draft's hours fall on both sides of a "
                                                  "change of the employer's CAO between VAT schemes; finalising "
                                                  "it is refused (409 vat_scheme_mixed). buyer_incomplete: the "
                                                  "employer lacks what the invoice must name of the buyer (its "
                                                  "address; its VAT id under btw verlegd), see missing; "
                                                  "finalising is refused (409 buyer_incomplete)"})
    missing = fields.List(fields.String(), metadata={
        "description": "buyer_incomplete: what the employer lacks, each of address and vat_number"})
    split_on = Date(metadata={"description": "the day to split at: one invoice up to the day before, one from it"})
    first_ends_on = Date(metadata={"description": "the day before split_on: the first invoice's last day"})
    message = fields.String()


class DraftReviewSchema(Schema):
    waiting = fields.List(fields.Nested(WaitingHoursSchema), metadata={
        "description": "approved hours of the period left off the draft: their pay is not final yet"})
    changed = fields.List(Integer(), metadata={
        "description": "the draft's assignments whose hours are no longer billable as drafted (reopened, "
                       "corrected, cancelled): the draft cannot be finalised, make a new one"})
    problem = fields.String(metadata={"description": "why the hours could not be priced now, if so"})
    warnings = fields.List(fields.Nested(DraftWarningSchema), metadata={
        "description": "what refuses finalising the draft as it stands, said before finalising is tried"})
    not_worked = fields.List(fields.Nested(NotWorkedSchema), metadata={
        "description": "the draft's hours whose week counts a shift without any hours as not worked: if it "
                       "was worked after all, register and approve its hours and make a new draft"})


class InvoiceSchema(Schema):
    id = Integer(dump_only=True)
    number = fields.String(dump_only=True, allow_none=True)
    kind = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    employer_id = Id(required=True)
    employer_name = fields.Function(lambda i: i.parties["buyer"]["name"], dump_only=True)
    period_start = Date(required=True)
    period_end = Date(required=True)
    issue_date = Date(dump_only=True, allow_none=True)
    due_date = Date(dump_only=True, allow_none=True)
    credit_of_id = Integer(dump_only=True, allow_none=True)
    credit_of_number = fields.Function(lambda i: i.credit_of.number if i.credit_of else None, dump_only=True)
    vat_scheme = fields.String(dump_only=True)
    vat_note = fields.Function(lambda i: "btw verlegd" if i.vat_scheme == "reverse_charge" else None, dump_only=True)
    buyer_vat_number = fields.Function(lambda i: i.parties["buyer"]["vat_number"], dump_only=True)
    vat_percent = DecimalString(dump_only=True)
    currency = fields.String(dump_only=True)
    buyer_reference = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 100))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    lines = fields.List(fields.Nested(InvoiceLineSchema), dump_only=True)
    subtotal = DecimalString(dump_only=True)
    vat = DecimalString(dump_only=True)
    total = DecimalString(dump_only=True)
    created_at = LocalDateTime(dump_only=True)
    finalized_at = LocalDateTime(dump_only=True, allow_none=True)
    review = fields.Nested(DraftReviewSchema, dump_only=True, allow_none=True, dump_default=None, metadata={
        "description": "a draft's open points, for the intermediary, when a draft is made or read on its own; "
                       "null elsewhere (lists, final invoices, employers)"})

    @validates_schema(skip_on_field_errors=False)   # named beside the other bad fields
    def _period(self, data, **kwargs):
        if {"period_start", "period_end"} <= data.keys() and data["period_end"] < data["period_start"]:
            raise ValidationError("must not be before period_start", "period_end")


class InvoicePatchSchema(Schema):
    buyer_reference = fields.String(allow_none=True, validate=validate.Length(1, 100))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class InvoiceQueryArgsSchema(Schema):
    employer_id = Id(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(["draft", "final", "credited"]))


class ExportArgsSchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf(["csv", "ubl", "pdf"]))
