from marshmallow import Schema, fields, validate

from banenpool.models.auth import ROLES
from web.api.fields import Id, Integer


class TokenRequestSchema(Schema):
    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class TokenSchema(Schema):
    token = fields.String()
    role = fields.String()
    employer_id = Id(allow_none=True)
    worker_id = Id(allow_none=True)


class UserCreateSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    employer_id = Id(load_default=None, allow_none=True)
    worker_id = Id(load_default=None, allow_none=True)


class UserSchema(Schema):
    id = Integer()
    email = fields.String()
    role = fields.String()
    employer_id = Id(allow_none=True)
    worker_id = Id(allow_none=True)
    active = fields.Boolean(metadata={"description": "false: blocked (no log-in, no API tokens)"})


class UserQueryArgsSchema(Schema):
    worker_id = Id(load_default=None)
    employer_id = Id(load_default=None)


class UserPatchSchema(Schema):
    active = fields.Boolean(required=True)


class PasswordLinkSchema(Schema):
    url = fields.String(metadata={"description": "where the login's owner chooses a password; works once"})
    valid_days = Integer()
