from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from web.api.fields import AwareDateTime, Date, Integer

from web.api.assignments.schemas import AssignmentSchema


class PlanCreateSchema(Schema):
    start_date = Date(required=True)
    end_date = Date(required=True)
    time_limit_seconds = fields.Float(load_default=30.0, validate=validate.Range(0.5, 3600))
    keep_published = fields.Boolean(load_default=True)
    # plan shifts that have begun as well (e.g. record a period worked without a plan); by default
    # they stay as they are
    include_started = fields.Boolean(load_default=False)

    @validates_schema(skip_on_field_errors=False)   # named beside the other bad fields
    def _period(self, data, **kwargs):
        if {"start_date", "end_date"} <= data.keys() and data["end_date"] < data["start_date"]:
            raise ValidationError("must be on or after start_date", "end_date")


def _result(key):
    return fields.Function(lambda p: (p.result or {}).get(key), dump_only=True)


class PlanSchema(Schema):
    id = Integer()
    status = fields.String()
    progress = fields.Float()
    message = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    start_date = Date()
    end_date = Date()
    time_limit_seconds = fields.Float()
    keep_published = fields.Boolean()
    solver_status = _result("status")
    metrics = _result("metrics")
    bound = _result("bound")
    solve_seconds = _result("solve_seconds")
    compliance = _result("compliance")
    levels = _result("levels")
    changes = fields.Dict(allow_none=True)
    # calls it cancels less than 4 days ahead, owed as wages if published now (null: none)
    late_cancellations = fields.Dict(dump_default=None)
    created_at = AwareDateTime()
    started_at = AwareDateTime(allow_none=True)
    finished_at = AwareDateTime(allow_none=True)
    published_at = AwareDateTime(allow_none=True)
    # shifts of the period that began before this moment were kept as they were (null: planned too)
    frozen_before = AwareDateTime(allow_none=True)


class PlanAssignmentSchema(AssignmentSchema):
    change = fields.String(dump_only=True)


class UnfilledSchema(Schema):
    shift_id = Integer()
    employer_id = Integer()
    start = fields.String()
    end = fields.String()
    open = Integer()
    reasons = fields.List(fields.String())
