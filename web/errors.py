"""Domain errors become JSON errors in flask-smorest's shape: {code, status, message, errors}."""
from __future__ import annotations

from flask import Flask, jsonify
from flask_smorest import Api
from sqlalchemy.exc import IntegrityError
from werkzeug.http import HTTP_STATUS_CODES

from banenpool.errors import Conflict, DomainError, InvalidInput, TooManyAttempts


def _body(code: int, message: str, **extra) -> dict:
    return {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": message, **extra}


def concurrent_change(exc: IntegrityError) -> Conflict:
    """A constraint the service checked before writing, broken by a request that committed in
    between (two registrations of one KvK number at once): 409, and the request wrote nothing."""
    return Conflict("the change conflicts with data saved at the same moment by another request "
                    "(a unique value such as a KvK number or an e-mail address is now taken, or a record it "
                    "refers to is gone); nothing was saved: reload and try again", ["concurrent_change"])


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        extra = {}
        if isinstance(exc, InvalidInput):
            extra["errors"] = {exc.location: exc.errors}  # json (body) or query
        if isinstance(exc, Conflict) and exc.rules:
            extra["rules"] = exc.rules
        if getattr(exc, "assignment_id", None) is not None:    # which of several (bulk approval)
            extra["assignment_id"] = exc.assignment_id
        if getattr(exc, "assignment_ids", None):    # the ones in the way (a worker leaving the pool)
            extra["assignment_ids"] = exc.assignment_ids
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
        return jsonify(_body(exc.status, str(exc), **extra)), exc.status, headers

    @app.errorhandler(IntegrityError)
    def integrity_error(exc: IntegrityError):
        return domain_error(concurrent_change(exc))


def _fields(errors: dict) -> list[str]:
    """Names of the bad fields, location first: json.end, query.from, ..."""
    names = []
    for location, fields in errors.items():
        if isinstance(fields, dict):
            names += [f"{location}.{name}" for name in fields]
        else:
            names.append(location)
    return names


class BanenpoolApi(Api):
    """flask-smorest's error handler, plus a `message` on every error (api.md's error shape)."""

    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        if "message" not in payload:
            if isinstance(payload.get("errors"), dict) and payload["errors"]:
                payload["message"] = "invalid input: " + ", ".join(_fields(payload["errors"]))
            else:
                payload["message"] = error.description or error.name
        return payload, code, headers
