from marshmallow import Schema, fields, validate

from web.api.fields import Date


class CaoQueryArgsSchema(Schema):
    on = Date(load_default=None, metadata={"description": "the version valid on this date (default: today)"})


class DiffQueryArgsSchema(CaoQueryArgsSchema):
    lang = fields.String(load_default="nl", validate=validate.OneOf(["nl", "en"]))


class DifferenceSchema(Schema):
    topic = fields.String()
    a = fields.Raw(allow_none=True)
    b = fields.Raw(allow_none=True)
    message = fields.String()


class CaoDiffSchema(Schema):
    differences = fields.List(fields.Nested(DifferenceSchema))
