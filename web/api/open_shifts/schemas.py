from marshmallow import Schema, fields

from web.api.fields import Date, DecimalString, Integer
from web.api.shifts.schemas import LocalDateTime


class OpenShiftQueryArgsSchema(Schema):
    from_ = Date(data_key="from", load_default=None, metadata={"description": "first day (Amsterdam); default today"})
    to = Date(load_default=None, metadata={"description": "last day, at most 91 days after from; default from + 27"})


class OpenShiftSchema(Schema):
    shift_id = fields.Function(lambda o: o.shift.id)
    employer_id = fields.Function(lambda o: o.employer.id)
    employer_name = fields.Function(lambda o: o.employer.name)
    place = fields.Function(lambda o: {"street": o.employer.street, "postcode": o.employer.postcode,
                                       "city": o.employer.city}, metadata={
        "type": "object", "description": "where the work is: the employer's {street, postcode, city}"})
    start = LocalDateTime(attribute="shift.start")
    end = LocalDateTime(attribute="shift.end")
    break_minutes = Integer(attribute="shift.break_minutes")
    paid_hours = DecimalString(attribute="shift.paid_hours")
    skills = fields.List(fields.String(), attribute="shift.skills")
    headcount = Integer(attribute="shift.headcount")
    filled = Integer(attribute="confirmed", metadata={"description": "confirmed workers; fewer than headcount"})
