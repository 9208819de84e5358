"""Domain errors become JSON errors in flask-smorest's shape: {code, status, message, errors}."""
from __future__ import annotations

from http import HTTPStatus

from flask import Flask, jsonify

from banenpool.errors import Conflict, DomainError, InvalidInput


def _body(code: int, message: str, **extra) -> dict:
    return {"code": code, "status": HTTPStatus(code).phrase, "message": message, **extra}


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        extra = {}
        if isinstance(exc, InvalidInput):
            extra["errors"] = {"json": exc.errors}
        if isinstance(exc, Conflict) and exc.rules:
            extra["rules"] = exc.rules
        return jsonify(_body(exc.status, str(exc), **extra)), exc.status
