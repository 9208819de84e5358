"""Tokens and logins."""
from flask import request
from flask_smorest import abort

from banenpool.services import auth as service
from web.api.auth.schemas import (PasswordLinkSchema, TokenRequestSchema, TokenSchema, UserCreateSchema,
                                  UserPatchSchema, UserQueryArgsSchema, UserSchema)
from web.api.paging import paged
from web import password_links
from web.api.blueprint import Blueprint
from web.auth import principal
from web.database import session

blp = Blueprint("auth", __name__, description="Logins and bearer tokens")


@blp.post("/auth/token")
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
@blp.doc(security=[])
def token(data):
    """Exchange e-mail and password for a bearer token

    After 10 failed log-ins for one address from one client within 15 minutes, attempts are refused
    (429, `Retry-After` in seconds) until the oldest is 15 minutes old."""
    issued = service.issue_token(session(), data["email"], data["password"], request.remote_addr or "")
    session().commit()          # a failure counts towards the limit on failed log-ins
    if issued is None:
        abort(401, message="wrong e-mail or password")
    token, user = issued
    return {"token": token, "role": user.role, "employer_id": user.employer_id, "worker_id": user.worker_id}


@blp.post("/users")
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(data):
    """Create an employer or worker login (intermediary)"""
    who = principal()
    who.require("intermediary")
    user = service.create_user(session(), who, **data)
    session().commit()
    return user


@blp.get("/users")
@blp.arguments(UserQueryArgsSchema, location="query")
@blp.response(200, UserSchema(many=True))
@paged(blp)
def list_users(args):
    """Logins, of one worker or employer if asked (intermediary)"""
    return service.logins(session(), principal(), **args)


@blp.patch("/users/<int:user_id>")
@blp.arguments(UserPatchSchema)
@blp.response(200, UserSchema)
def block_user(data, user_id):
    """Block a worker's or employer's login (`active: false`: no log-in, its API tokens stop for good)
    or allow it again (intermediary)

    Blocking an employer's login also gives the employer's shift calendar a new address
    (`GET /employers/{id}/calendar`); the old one answers 404."""
    user = service.set_active(session(), principal(), user_id, data["active"])
    session().commit()
    return user


@blp.post("/users/<int:user_id>/password-link")
@blp.response(200, PasswordLinkSchema)
def password_link(user_id):
    """A link for a worker's or employer's login to choose its password: valid 7 days, once; Banenpool
    sends no e-mail, the pool hands it on (intermediary); 409 `login_blocked` for a blocked login"""
    user = service.login_for_link(session(), principal(), user_id)
    return {"url": password_links.link(user), "valid_days": password_links.LINK_DAYS}
