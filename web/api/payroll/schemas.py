from marshmallow import Schema, ValidationError, fields, validates_schema

from web.api.fields import Date, DecimalString, Integer


class PayrollQueryArgsSchema(Schema):
    period_start = Date(required=True)
    period_end = Date(required=True)

    @validates_schema(skip_on_field_errors=False)   # named beside the other bad fields
    def _period(self, data, **kwargs):
        if {"period_start", "period_end"} <= data.keys() and data["period_end"] < data["period_start"]:
            raise ValidationError("must not be before period_start", "period_end")


class EmployerShareSchema(Schema):
    employer_id = Integer()
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
    assignment_ids = fields.List(Integer())


class WorkerPayrollSchema(Schema):
    worker_id = Integer()
    worker_name = fields.String()
    hours = DecimalString()
    gross_pay = DecimalString()
    surcharges = DecimalString()
    overtime = DecimalString()
    holiday_allowance = DecimalString()
    wage_cost = DecimalString()
    employers = fields.List(fields.Nested(EmployerShareSchema))


class EmployerTotalSchema(Schema):
    employer_id = Integer()
    employer_name = fields.String()
    workers = Integer()
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
    assignment_id = Integer()
    worker_id = Integer()
    worker_name = fields.String()
    employer_id = Integer()
    date = Date()
    waiting_on = fields.List(Integer())


class UnpricedSchema(Schema):
    """Approved hours left out because they cannot be priced: the CAO that applies has no version
    in force on the day (`reason` says which)."""
    assignment_id = Integer()
    worker_id = Integer()
    worker_name = fields.String()
    employer_id = Integer()
    date = Date()
    reason = fields.String()


class PayrollSchema(Schema):
    period_start = Date()
    period_end = Date()
    workers = fields.List(fields.Nested(WorkerPayrollSchema))
    employers = fields.List(fields.Nested(EmployerTotalSchema))
    totals = fields.Nested(TotalsSchema)
    waiting = fields.List(fields.Nested(WaitingSchema))
    unpriced = fields.List(fields.Nested(UnpricedSchema))
