from marshmallow import Schema, fields

from web.api.fields import Date, DecimalString, decimal_str, hours


class OfferQueryArgsSchema(Schema):
    on = Date(load_default=None, metadata={"description": "the day to judge on (default: today, Amsterdam)"})


class HoursSplitSchema(Schema):
    worked = DecimalString(metadata={"description": "approved hours worked"})
    cancelled = DecimalString(metadata={"description": "calls cancelled less than 4 days ahead, paid as planned"})
    sick = DecimalString(metadata={"description": "calls the worker had and lost while registered sick (released "
                                                  "for the absence), at the hours called for, less the break"})
    leave = DecimalString(metadata={"description": "the same for leave; an absence of reason other counts nowhere"})


class OfferSchema(Schema):
    worker_id = fields.Function(lambda o: o.worker.id)
    worker_name = fields.Function(lambda o: o.worker.name)
    contract_id = fields.Function(lambda o: o.contract.id)
    employer_id = fields.Function(lambda o: o.employer.id if o.employer else None,
                                  metadata={"description": "null: the pool's own contract"})
    employer_name = fields.Function(lambda o: o.employer.name if o.employer else None)
    kind = fields.Function(lambda o: o.contract.kind)
    guaranteed_hours_per_week = fields.Function(lambda o: decimal_str(o.guaranteed), metadata={
        "type": "string", "format": "decimal", "description": "0 on call; the minimum of a min-max contract"})
    period_start = Date()
    period_end = Date(metadata={"description": "the contract's latest anniversary (exclusive)"})
    hours = DecimalString(metadata={"description": "hours under the contract in the period: the sum of hours_split"})
    hours_split = fields.Nested(HoursSplitSchema, attribute="split")
    average = DecimalString(data_key="average_hours_per_week")
    due_by = Date(metadata={"description": "the last day of the month after the 12 months"})
    status = fields.String(metadata={"description": "due, overdue, too_low (the offer recorded is below the average), "
                                                    "or offered"})
    offered_on = fields.Function(lambda o: o.contract.fixed_hours_offered_on.isoformat()
                                 if o.contract.fixed_hours_offered_on else None, metadata={"format": "date"})
    offered_hours = fields.Function(lambda o: decimal_str(o.contract.fixed_hours_offered)
                                    if o.contract.fixed_hours_offered is not None else None,
                                    metadata={"type": "string", "format": "decimal"})


class RecordOfferSchema(Schema):
    hours = hours(required=True, metadata={"description": "fixed hours per week offered"})
    offered_on = Date(required=True)
