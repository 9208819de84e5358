from marshmallow import Schema, ValidationError, fields, validates_schema

from web.api.fields import Date, DecimalString


class PayrollQueryArgsSchema(Schema):
    period_start = Date(required=True)
    period_end = Date(required=True)

    @validates_schema
    def _period(self, data, **kwargs):
        if data["period_end"] < data["period_start"]:
            raise ValidationError("must not be before period_start", "period_end")


class EmployerShareSchema(Schema):
    employer_id = fields.Integer()
    employer_name = fields.String()
    cao_code = fields.String()
    hours = DecimalString()
    paid_hours = DecimalString()
    base = DecimalString()
    surcharges = DecimalString()
    overtime = DecimalString()
    minimum_call = DecimalString()
    gross_pay = DecimalString()
    holiday_allowance_percent = DecimalString()
    holiday_allowance = DecimalString()
    wage_cost = DecimalString()
    share = DecimalString(places=4)
    assignment_ids = fields.List(fields.Integer())


class WorkerPayrollSchema(Schema):
    worker_id = fields.Integer()
    worker_name = fields.String()
    hours = DecimalString()
    gross_pay = DecimalString()
    surcharges = DecimalString()
    overtime = DecimalString()
    holiday_allowance = DecimalString()
    wage_cost = DecimalString()
    employers = fields.List(fields.Nested(EmployerShareSchema))


class EmployerTotalSchema(Schema):
    employer_id = fields.Integer()
    employer_name = fields.String()
    workers = fields.Integer()
    hours = DecimalString()
    gross_pay = DecimalString()
    holiday_allowance = DecimalString()
    wage_cost = DecimalString()


class TotalsSchema(Schema):
    hours = DecimalString()
    gross_pay = DecimalString()
    holiday_allowance = DecimalString()
    wage_cost = DecimalString()


class WaitingSchema(Schema):
    """Approved hours left out: an earlier shift in the same week has no approved hours yet,
    so their overtime is not known (services/timesheets.py)."""
    assignment_id = fields.Integer()
    worker_id = fields.Integer()
    worker_name = fields.String()
    employer_id = fields.Integer()
    date = Date()
    waiting_on = fields.List(fields.Integer())


class PayrollSchema(Schema):
    period_start = Date()
    period_end = Date()
    workers = fields.List(fields.Nested(WorkerPayrollSchema))
    employers = fields.List(fields.Nested(EmployerTotalSchema))
    totals = fields.Nested(TotalsSchema)
    waiting = fields.List(fields.Nested(WaitingSchema))
