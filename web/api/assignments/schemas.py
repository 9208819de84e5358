from marshmallow import Schema, fields, validate

from web.api.fields import Date, Id, Integer
from web.api.shifts.schemas import LocalDateTime


class AssignmentSchema(Schema):
    id = Integer(dump_only=True)
    shift_id = Id(required=True)
    worker_id = Id(required=True)
    employer_id = fields.Function(lambda a: a.shift.employer_id, dump_only=True)
    start = LocalDateTime(dump_only=True, metadata={
        "description": "the shift's start, or for a worker released when it moved, the start they were called for"})
    end = LocalDateTime(dump_only=True)
    status = fields.String(dump_only=True)
    plan_id = Integer(dump_only=True, allow_none=True)
    confirmed_at = fields.AwareDateTime(dump_only=True, allow_none=True, metadata={
        "description": "when the worker was called (the shift published or assigned to them), UTC"})
    declined_at = fields.AwareDateTime(dump_only=True, allow_none=True, metadata={
        "description": "when the worker refused this call (POST /assignments/{id}/decline), or null"})


class AssignmentPatchSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["cancelled"]))


class AssignmentQueryArgsSchema(Schema):
    worker_id = Id(load_default=None)
    employer_id = Id(load_default=None)
    from_ = Date(data_key="from", load_default=None)
    to = Date(load_default=None)
