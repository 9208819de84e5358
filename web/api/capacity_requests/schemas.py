from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from banenpool.services.capacity import MAX_DAYS, MAX_PATTERN_LINES, MAX_SHIFTS
from web.api.fields import ClockTime, Date, Id, Integer, Name, one_line, skill_list


class PatternSchema(Schema):
    weekday = Integer(required=True, validate=validate.Range(0, 6),
                             metadata={"description": "0 = Monday … 6 = Sunday"})
    start = ClockTime(required=True, metadata={"description": "local time HH:MM"})
    end = ClockTime(required=True, metadata={"description": "local time HH:MM; at or before start = next day"})
    crosses_midnight = fields.Boolean(load_default=None, allow_none=True, metadata={
        "description": "false forbids an end at or before the start, true requires one; left out, either"})
    break_minutes = Integer(load_default=0, validate=validate.Range(0, 240))
    headcount = Integer(required=True, validate=validate.Range(1, 500, error="headcount must be at least 1"))


class CapacityRequestSchema(Schema):
    id = Integer(dump_only=True)
    employer_id = Id(required=True)
    title = Name(required=True, validate=one_line())
    skills = skill_list(load_default=list)
    start_date = Date(required=True)
    end_date = Date(required=True)
    scale = fields.String(load_default=None, allow_none=True,
                          metadata={"description": "default: the CAO's lowest scale"})
    priority = fields.Float(load_default=1.0, validate=validate.Range(0.1, 10), metadata={
        "description": "weight of the request's hours in the planner (default 1.0); set by the intermediary"})
    pattern = fields.List(
        fields.Nested(PatternSchema), required=True,
        validate=validate.Length(1, MAX_PATTERN_LINES, error=f"a pattern has 1 to {MAX_PATTERN_LINES} lines"),
        metadata={"description": f"weekly lines, 1 to {MAX_PATTERN_LINES}; over start_date..end_date (at most "
                                 f"{MAX_DAYS} days) they make at least 1 and at most {MAX_SHIFTS} shifts "
                                 "(five shifts a day for a year is 1 830): more is several requests, "
                                 "none (no day of the range on the lines' weekdays) is 422"})
    shift_count = fields.Method("count_shifts", dump_only=True)

    def count_shifts(self, obj):
        return len(obj.shifts)

    @validates_schema(skip_on_field_errors=False)
    def check_dates(self, data, **kwargs):
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            raise ValidationError(f"must not be before start_date ({data['start_date']})", "end_date")
