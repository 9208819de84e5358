from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from banenpool.calendar_nl import AMS
from web.api.fields import AwareDateTime, Date, hours, money


class PayPreviewSchema(Schema):
    cao_code = fields.String(required=True)
    scale = fields.String(load_default=None, allow_none=True)
    birth_date = Date(required=True)
    contract_kind = fields.String(load_default="on_call", validate=validate.OneOf(["fixed", "min_max", "on_call"]))
    hours_per_week = hours(load_default=None, allow_none=True)
    hourly_wage = money(load_default=None, allow_none=True)
    start = AwareDateTime(required=True)
    end = AwareDateTime(required=True)
    break_minutes = fields.Integer(load_default=0, validate=validate.Range(0, 240))
    worked_before_in_week = hours(load_default=None, allow_none=True,
                                  metadata={"description": "hours already worked this week (week overtime)"})
    lang = fields.String(load_default="nl", validate=validate.OneOf(["nl", "en"]))

    @validates_schema
    def check(self, data, **kwargs):
        if data["end"] <= data["start"]:
            raise ValidationError("must be after start", "end")
        if (data["end"] - data["start"]).total_seconds() > 24 * 3600:
            raise ValidationError("a shift lasts at most 24 hours", "end")
        if data["break_minutes"] * 60 >= (data["end"] - data["start"]).total_seconds():
            raise ValidationError("the break is as long as the shift", "break_minutes")
        if data["birth_date"] >= data["start"].astimezone(AMS).date():
            raise ValidationError(f"must be before the shift's day ({data['start'].astimezone(AMS).date()})",
                                  "birth_date")


class PayLineSchema(Schema):
    kind = fields.String()
    description = fields.String()
    hours = fields.String()
    rate = fields.String()
    amount = fields.String()


class PayResultSchema(Schema):
    lines = fields.List(fields.Nested(PayLineSchema))
    total = fields.String()
    minimum_wage_rate = fields.String()
    notes = fields.List(fields.String())
