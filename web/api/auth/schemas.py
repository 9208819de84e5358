from marshmallow import Schema, fields, validate

from banenpool.models.auth import ROLES


class TokenRequestSchema(Schema):
    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class TokenSchema(Schema):
    token = fields.String()
    role = fields.String()
    employer_id = fields.Integer(allow_none=True)
    worker_id = fields.Integer(allow_none=True)


class UserCreateSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    employer_id = fields.Integer(load_default=None, allow_none=True)
    worker_id = fields.Integer(load_default=None, allow_none=True)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String()
    employer_id = fields.Integer(allow_none=True)
    worker_id = fields.Integer(allow_none=True)
