from marshmallow import Schema, fields, validate

from banenpool.services.timesheets import worked_hours
from web.api.fields import Date, Id, Integer, decimal_str
from web.api.shifts.schemas import LocalDateTime


class TimesheetSchema(Schema):
    assignment_id = Integer(dump_only=True)
    worker_id = fields.Function(lambda t: t.assignment.worker_id, dump_only=True)
    employer_id = fields.Function(lambda t: t.assignment.shift.employer_id, dump_only=True)
    start = LocalDateTime(required=True)
    end = LocalDateTime(required=True)
    break_minutes = Integer(load_default=0, validate=validate.Range(0, 24 * 60))
    hours = fields.Function(lambda t: decimal_str(worked_hours(t)), dump_only=True,
                            metadata={"type": "string", "format": "decimal"})
    status = fields.String(dump_only=True)
    kind = fields.String(dump_only=True, metadata={
        "description": "`worked`, or `cancelled_call`: the planned hours of an on-call or min-max shift "
                       "cancelled less than 4 days ahead, owed as wages (art. 7:628a BW)"})
    assignment_status = fields.Function(lambda t: t.assignment.status, dump_only=True, metadata={
        "description": "`confirmed`, or `cancelled`: hours registered for a shift cancelled since; they "
                       "can no longer be approved (a `cancelled_call` is approved when it is made)"})
    submitted_at = LocalDateTime(dump_only=True)
    approved_at = LocalDateTime(dump_only=True, allow_none=True)


class TimesheetQueryArgsSchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(["submitted", "approved"]))
    employer_id = Id(load_default=None)
    from_ = Date(data_key="from", load_default=None)
    to = Date(load_default=None)




class BulkApproveSchema(Schema):
    assignment_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=500),
                                 metadata={"description": "the assignments whose hours to approve, at most 500"})
