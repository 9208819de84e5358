"""One database session per request; nothing is committed unless the view commits."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session


def session() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["banenpool.sessionmaker"]()
    return g.db_session


def _close(exc: BaseException | None) -> None:
    db = g.pop("db_session", None)
    if db is not None:
        db.rollback()  # anything not committed by the view is discarded: no half-written requests
        db.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
