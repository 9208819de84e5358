"""Flask application factory."""
from __future__ import annotations

from flask import Flask, render_template
from werkzeug.routing import IntegerConverter
from flask_swagger_ui import get_swaggerui_blueprint

from banenpool.config import Settings
from banenpool.db import make_engine, make_sessionmaker
from web import database, errors, views
from web.api import register_api
from web.api.calendar.routes import feeds as calendar_feeds
from web.api.fields import MAX_ID, DecimalString


MAX_BODY = 1024 * 1024   # bytes: far above any request the API or a page takes (500 absences are ~50 kB)


class IdConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    settings = Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.instance_dir))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        QUEUE_URL=settings.queue_url,
        API_TITLE="Banenpool API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=MAX_BODY,   # a larger body is 413 before it is read (also anonymous ones)
    )
    if test_config:
        app.config.update(test_config)
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["banenpool.engine"] = engine
    app.extensions["banenpool.sessionmaker"] = make_sessionmaker(engine)
    database.init_app(app)

    app.url_map.converters["int"] = IdConverter  # <int:…> ids beyond 32 bits are 404, not a crash
    api = errors.BanenpoolApi(app, spec_kwargs={"components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"}}}, "security": [{"bearer": []}]})
    api.register_field(DecimalString, "string", "decimal")
    register_api(app, api)
    app.register_blueprint(calendar_feeds)  # /cal/<token>.ics: outside /api/v1, the token is the credential
    errors.init_app(app)
    views.init_app(app)  # HTML pages: logins, CSRF, Dutch/English, HTML error pages outside /api
    app.register_blueprint(get_swaggerui_blueprint("/api/v1/docs", "/api/v1/openapi.json",
                                                   config={"app_name": "Banenpool API"}))

    @app.get("/")
    def start_page():
        return render_template("start.html")

    return app
