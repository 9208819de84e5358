from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from banenpool.calendar_nl import AMS
from web.api.fields import ClockTime, Date, DecimalString, Id, Integer, decimal_str


class LocalDateTime(fields.AwareDateTime):
    """Dumps in Europe/Amsterdam local time with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.astimezone(AMS).isoformat()


class ShiftQueryArgsSchema(Schema):
    from_ = Date(data_key="from", load_default=None)
    to = Date(load_default=None)
    employer_id = Id(load_default=None)
    include_cancelled = fields.Boolean(load_default=False, metadata={
        "description": "also shifts that were called off (POST /shifts/{id}/cancel); default: left out"})


class ShiftSchema(Schema):
    id = Integer()
    request_id = Id(allow_none=True)
    employer_id = Id()
    start = LocalDateTime()
    end = LocalDateTime()
    break_minutes = Integer()
    paid_hours = DecimalString()
    skills = fields.List(fields.String())
    headcount = Integer()
    filled = Integer()
    scale = fields.String(allow_none=True)
    public_holiday = fields.String(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "when the shift was called off (UTC), or null"})
    cancel_reason = fields.String(allow_none=True)


class ReasonSchema(Schema):
    rule = fields.String(metadata={"description": "W01-W16 (the planner's rules) or a compliance rule code"})
    message = fields.String()


class CandidateSchema(Schema):
    worker_id = fields.Function(lambda c: c.worker.id)
    name = fields.Function(lambda c: c.worker.name)
    week_hours = fields.Function(lambda c: decimal_str(c.week_hours), metadata={
        "type": "string", "format": "decimal", "description": "paid hours of confirmed shifts in the shift's ISO week"})
    target_hours_per_week = fields.Function(lambda c: decimal_str(c.worker.target_hours_per_week),
                                            metadata={"type": "string", "format": "decimal"})
    can_take = fields.Function(lambda c: not c.refusals)
    reasons = fields.Function(lambda c: [{"rule": rule, "message": message} for rule, message in c.refusals],
                              metadata={"description": "[{rule, message}]: why not; empty when can_take"})


class StaffingSchema(Schema):
    shift_id = fields.Function(lambda s: s.shift.id)
    headcount = fields.Function(lambda s: s.shift.headcount)
    assignment_ids = fields.Function(lambda s: [a.id for a, _ in s.assigned],
                                     metadata={"description": "its confirmed assignments"})
    candidates = fields.List(fields.Nested(CandidateSchema), metadata={
        "description": "workers with the shift's skills, judged as a manual assignment is: those who can take "
                       "it first, furthest below their weekly target first; last those who left the pool before "
                       "its day (rule worker_left); none once the shift is full"})
    lacking_skills = Integer(metadata={"description": "workers left out: they lack a skill the shift lists"})
    not_judged = Integer(metadata={"description": "workers with the skills left out: at most 100 are judged"})


class ShiftPatchSchema(Schema):
    headcount = Integer(validate=validate.Range(1, 500),
                        metadata={"description": "workers the shift needs, at least those confirmed on it"})
    date = Date(metadata={"description": "new day (Amsterdam); with start, end and break_minutes: the shift "
                                         "moves; each left out keeps the shift's own"})
    start = ClockTime(metadata={"description": "new start, HH:MM Amsterdam time"})
    end = ClockTime(metadata={"description": "new end, HH:MM; at or before start runs into the next day"})
    break_minutes = Integer(validate=validate.Range(0, 240))

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ValidationError("give headcount, or new times (date, start, end, break_minutes)", "_schema")


class MovedShiftSchema(ShiftSchema):
    kept = fields.Function(lambda s: [a.id for a in getattr(s, "kept", [])], metadata={
        "description": "confirmed assignments kept at the new times (called anew)"})
    released = fields.Function(
        lambda s: [{"assignment_id": a.id, "worker_id": a.worker_id, "wages_owed": owed}
                   for a, owed in getattr(s, "released", [])],
        metadata={"description": "assignments cancelled by the move: moved less than 4 days ahead (wages owed "
                                 "to on-call and min-max workers), or a rule the new times break for them"})


class CancelShiftSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200), metadata={
        "description": "why (rain, a machine down): told to the workers and shown in their calendars"})


class CancelledCallSchema(Schema):
    assignment_id = fields.Function(lambda c: c[0].id)
    worker_id = fields.Function(lambda c: c[0].worker_id)
    wages_owed = fields.Function(lambda c: c[1], metadata={
        "type": "boolean", "description": "cancelled less than 4 days ahead: the planned hours are paid "
                                          "and invoiced (art. 7:628a BW)"})


class CancelledShiftSchema(ShiftSchema):
    cancelled = fields.List(fields.Nested(CancelledCallSchema), metadata={
        "description": "the confirmed assignments cancelled with it"})
