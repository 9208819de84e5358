from marshmallow import Schema, fields, validate

from web.api.fields import AwareDateTime, Date, Integer, hours, money


class PayPreviewSchema(Schema):
    """The shift's own checks (end after start, birth date before the shift, …) are the service's,
    shared with `banenpool pay-preview`: banenpool.services.caos.shift_errors."""

    cao_code = fields.String(required=True)
    scale = fields.String(load_default=None, allow_none=True)
    birth_date = Date(required=True)
    contract_kind = fields.String(load_default="on_call", validate=validate.OneOf(["fixed", "min_max", "on_call"]))
    hours_per_week = hours(load_default=None, allow_none=True)
    hourly_wage = money(load_default=None, allow_none=True)
    start = AwareDateTime(required=True)
    end = AwareDateTime(required=True)
    break_minutes = Integer(load_default=0, validate=validate.Range(0, 240))
    worked_before_in_week = hours(load_default=None, allow_none=True,
                                  metadata={"description": "hours already worked this week (week overtime)"})
    worked_before_on_day = hours(load_default=None, allow_none=True,
                                 metadata={"description": "hours already worked that day (day overtime)"})
    fixed_times = fields.Boolean(load_default=True, metadata={
        "description": "the shift lies within the contract's fixed working times; false: the 3 hours "
                       "per call of art. 7:628a BW apply to a contract under 15 h a week"})
    bbl = fields.Boolean(load_default=False, metadata={
        "description": "the worker follows a BBL training: the BBL minimum youth wage applies"})
    lang = fields.String(load_default="nl", validate=validate.OneOf(["nl", "en"]), metadata={
        "description": "the language of the lines' descriptions and the notes: nl (Dutch formats, "
                       "\"€ 9,50\") or en (\"€9.50\")"})


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
