from marshmallow import Schema, ValidationError, fields, validates_schema

from web.api.fields import Date, DecimalString, Integer


class PayrollQueryArgsSchema(Schema):
    period_start = Date(required=True)
    period_end = Date(required=True)

    @validates_schema(skip_on_field_errors=False)   # named beside the other bad fields
    def _period(self, data, **kwargs):
        if {"period_start", "period_end"} <= data.keys() and data["period_end"] < data["period_start"]:
            raise ValidationError("must not be before period_start", "period_end")


class ClosePeriodSchema(PayrollQueryArgsSchema):
    accept_incomplete = fields.Boolean(load_default=False, metadata={
        "description": "close also when the statement leaves out hours waiting for an earlier approval, "
                       "unpriced hours or guarantee top-ups not final (else 409 payroll_incomplete); they are "
                       "paid as a correction in a later period once final"})


class PayrollPeriodSchema(Schema):
    """A closed payroll period."""
    id = Integer()
    period_start = Date()
    period_end = Date()


class ClosingSchema(PayrollPeriodSchema):
    closed_at = fields.DateTime()
    closed_by = Integer(allow_none=True, metadata={"description": "the user who closed it"})
    closed_by_email = fields.String(allow_none=True)


class TopUpSchema(Schema):
    """A guaranteed hours top-up: the week's guaranteed hours of a fixed or min-max contract less the
    hours paid under it that week, at the contract's wage (services/guarantee.py). `hours` is the
    part of the top-up in the period (a week the period cuts is split by its days in force)."""
    kind = fields.String(metadata={"description": "always guarantee_top_up"})
    contract_id = Integer()
    contract_kind = fields.String()
    week_start = Date()
    description = fields.String()
    cao_code = fields.String()
    scale = fields.String()
    guaranteed_hours = DecimalString()
    paid_hours = DecimalString()
    days_in_force = Integer()
    days_in_period = Integer()
    hours = DecimalString()
    rate = DecimalString()
    amount = DecimalString()
    holiday_allowance_percent = DecimalString()
    not_worked = fields.List(Integer(), metadata={
        "description": "confirmed assignments that week without registered hours, counted as not worked: the "
                       "worker was registered absent, or no hours came in within 7 days after the shift"})


class TotalsSchema(Schema):
    """The sums every level of the statement has (worked hours; gross pay includes the top-up)."""
    hours = DecimalString()
    gross_pay = DecimalString()
    guarantee_top_up = DecimalString()
    holiday_allowance = DecimalString()
    wage_cost = DecimalString()


class PayrollAmountsSchema(TotalsSchema):
    """A part's hours and amounts."""
    paid_hours = DecimalString()
    base = DecimalString()
    surcharges = DecimalString()
    overtime = DecimalString()
    minimum_call = DecimalString()
    guarantee_hours = DecimalString()


class EmployerShareSchema(PayrollAmountsSchema):
    """The worker's part at one employer under one CAO (an employer whose CAO changed in the period,
    or a top-up under a contract's own CAO, has a part per CAO)."""
    employer_id = Integer(allow_none=True, metadata={"description": "null: the intermediary (a pool contract)"})
    employer_name = fields.String()
    cao_code = fields.String()
    holiday_allowance_percent = DecimalString(allow_none=True, metadata={"description": "null on a correction"})
    share = DecimalString(places=4, allow_none=True, metadata={"description": "null on a correction"})
    assignment_ids = fields.List(Integer())
    guarantee_top_ups = fields.List(fields.Nested(TopUpSchema))
    correction_of = fields.Nested(PayrollPeriodSchema, allow_none=True, metadata={
        "description": "a correction (\"correctie periode\"): what the closed period's statement computed now "
                       "differs from it as closed, not carried by a closed period yet; null: this period's own pay"})


class WorkerPayrollSchema(TotalsSchema):
    worker_id = Integer()
    worker_name = fields.String()
    surcharges = DecimalString()
    overtime = DecimalString()
    employers = fields.List(fields.Nested(EmployerShareSchema))


class EmployerTotalSchema(TotalsSchema):
    employer_id = Integer(allow_none=True, metadata={"description": "null: the intermediary (a pool contract)"})
    employer_name = fields.String()
    workers = Integer()


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


class NotWorkedHoursSchema(Schema):
    """Hours paid in the period whose week counts an earlier shift without any registered hours
    as not worked: the worker was registered absent, or no hours came in within 7 days after it."""
    assignment_id = Integer()
    worker_id = Integer()
    worker_name = fields.String()
    employer_id = Integer()
    date = Date()
    not_worked = fields.List(Integer(), metadata={
        "description": "the earlier assignments that week counted as not worked: these hours' overtime "
                       "counts without them; if one was worked after all, register and approve its hours"})


class GuaranteeLeftOutSchema(Schema):
    """A week's guaranteed hours top-up left out because it is not final: `code` is `week_not_over`,
    `waiting` (confirmed assignments that week without approved hours: `waiting_on`),
    `cao_not_in_force` (the contract's CAO has no version on the day) or `contract_overlap` (another
    contract with the same employer governs some of its days); `reason` says it in words."""
    worker_id = Integer()
    worker_name = fields.String()
    contract_id = Integer()
    employer_id = Integer(allow_none=True)
    employer_name = fields.String()
    week_start = Date()
    code = fields.String()
    reason = fields.String()
    waiting_on = fields.List(Integer())


class PayrollDifferenceSchema(Schema):
    """A closed period's worker at one employer and CAO whose statement computed now differs from it
    as closed (`difference`: now less closed), what later closed periods carried of that as a
    correction (`carried`, `carried_in`) and what the next period closed carries (`outstanding`)."""
    worker_id = Integer()
    worker_name = fields.String()
    employer_id = Integer(allow_none=True)
    employer_name = fields.String()
    cao_code = fields.String()
    difference = fields.Nested(PayrollAmountsSchema)
    carried = fields.Nested(PayrollAmountsSchema)
    carried_in = fields.List(fields.Nested(PayrollPeriodSchema))
    outstanding = fields.Nested(PayrollAmountsSchema)
    held = fields.Boolean(metadata={
        "description": "a reclaim held back: the worker's pay of the period is not final now (hours "
                       "registered and not approved, as reopened hours; waiting or unpriced; a top-up left out), "
                       "so nothing is outstanding until it is"})


class ClosedPeriodSchema(Schema):
    closed = fields.Nested(ClosingSchema)
    totals = fields.Nested(TotalsSchema)


class PayrollSchema(Schema):
    period_start = Date()
    period_end = Date()
    workers = fields.List(fields.Nested(WorkerPayrollSchema))
    employers = fields.List(fields.Nested(EmployerTotalSchema))
    totals = fields.Nested(TotalsSchema)
    waiting = fields.List(fields.Nested(WaitingSchema))
    unpriced = fields.List(fields.Nested(UnpricedSchema))
    guarantees_left_out = fields.List(fields.Nested(GuaranteeLeftOutSchema))
    not_worked = fields.List(fields.Nested(NotWorkedHoursSchema))
    closed = fields.Nested(ClosingSchema, allow_none=True, metadata={
        "description": "a closed period: the statement as kept when it was closed, never computed again"})
    differences = fields.List(fields.Nested(PayrollDifferenceSchema), metadata={
        "description": "a closed period: where its statement computed now differs from it as closed"})
    overlapping_closed = fields.List(fields.Nested(PayrollPeriodSchema), metadata={
        "description": "closed periods this (not closed) period overlaps: their hours are in both"})
