from marshmallow import Schema, fields

from banenpool.calendar_nl import AMS
from web.api.fields import Date, DecimalString, Id, Integer


class LocalDateTime(fields.AwareDateTime):
    """Dumps in Europe/Amsterdam local time with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.astimezone(AMS).isoformat()


class ShiftQueryArgsSchema(Schema):
    from_ = Date(data_key="from", load_default=None)
    to = Date(load_default=None)
    employer_id = Id(load_default=None)


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
