"""Tokens and logins."""
from flask_smorest import abort

from banenpool.services import auth as service
from web.api.auth.schemas import TokenRequestSchema, TokenSchema, UserCreateSchema, UserSchema
from web.api.blueprint import Blueprint
from web.auth import principal
from web.database import session

blp = Blueprint("auth", __name__, description="Logins and bearer tokens")


@blp.post("/auth/token")
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
@blp.doc(security=[])
def token(data):
    """Exchange e-mail and password for a bearer token"""
    issued = service.issue_token(session(), data["email"], data["password"])
    if issued is None:
        abort(401, message="wrong e-mail or password")
    token, user = issued
    session().commit()
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
