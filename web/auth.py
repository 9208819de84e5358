"""Bearer-token authentication for the API."""
from __future__ import annotations

from flask import g, request
from flask_smorest import abort

from banenpool.principal import Principal
from banenpool.services.auth import principal_for_token
from web.database import session


def principal() -> Principal:
    """The authenticated caller, or 401 with the challenge RFC 6750 asks for."""
    if "principal" in g:
        return g.principal
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        abort(401, message="send Authorization: Bearer <token> (POST /api/v1/auth/token)",
              headers={"WWW-Authenticate": 'Bearer realm="banenpool"'})
    who = principal_for_token(session(), token.strip())
    if who is None:
        abort(401, message="the token is unknown, expired or revoked",
              headers={"WWW-Authenticate": 'Bearer realm="banenpool", error="invalid_token"'})
    g.principal = who
    return who
