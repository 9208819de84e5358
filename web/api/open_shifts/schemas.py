from marshmallow import Schema, fields

from web.api.fields import Date, DecimalString, Integer
from web.api.shifts.schemas import LocalDateTime


class OpenShiftQueryArgsSchema(Schema):
    from_ = Date(data_key="from", load_default=None, metadata={"description": "first day (Amsterdam); default today"})
    to = Date(load_default=None, metadata={"description": "last day, at most 91 days after from; default from + 27"})


class OpenShiftPayLineSchema(Schema):
    kind = fields.String(metadata={"description": "base, surcharge, overtime or minimum_call (as POST /pay/preview)"})
    description = fields.String()
    hours = DecimalString()
    rate = DecimalString()
    amount = DecimalString()


class OpenShiftPaySchema(Schema):
    cao_code = fields.String(metadata={"description": "the CAO the hours are paid under (the employer's under "
                                                      "inlenersbeloning)"})
    base_rate = DecimalString(metadata={"description": "the hourly wage for these hours"})
    paid_hours = DecimalString()
    lines = fields.List(fields.Nested(OpenShiftPayLineSchema))
    total = DecimalString(metadata={"description": "gross pay for the shift, holiday allowance not included"})
    holiday_allowance = DecimalString()
    notes = fields.List(fields.String())


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
    pay = fields.Nested(OpenShiftPaySchema, allow_none=True, metadata={
        "description": "what the shift would pay the asking worker as planned, under the CAO, scale and wage their "
                       "hours there are paid by, before overtime (their other hours that day or week are not counted); "
                       "lines and notes in Dutch; null when no CAO version is valid on its day"})
