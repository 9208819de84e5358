"""The HTML side: logins (Flask-Login), CSRF (Flask-WTF), Dutch/English (Flask-Babel) and the role pages.

`init_app` is the one hook create_app calls. /api keeps its JSON errors and bearer tokens;
every other path gets HTML error pages and session logins.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, render_template, request, session as http_session
from flask_babel import Babel, get_locale
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from banenpool.errors import DomainError
from web.errors import concurrent_change

LANGUAGES = ("nl", "en")
csrf = CSRFProtect()
login_manager = LoginManager()


def select_locale() -> str:
    return http_session.get("lang") if http_session.get("lang") in LANGUAGES else "nl"


def _before_html_request() -> None:
    """Outside /api: CSRF on every POST (the API uses bearer tokens, not cookies) and ?lang= remembered.
    Calendar feeds (/cal/<token>.ics) have neither: the token is the credential, a POST there is 405."""
    if is_api(request.path) or request.path.startswith("/cal/"):
        return
    csrf.protect()
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        http_session["lang"] = lang


def lang_url(code: str) -> str:
    """This page in another language: the same path and query with lang=<code>."""
    args = request.args.to_dict()
    args["lang"] = code
    return f"{request.path}?{urlencode(args)}"


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _html_errors(app: Flask) -> None:
    """flask-smorest answers every HTTP error as JSON; keep that for /api, render HTML elsewhere."""
    spec = app.error_handler_spec[None][None]
    json_http, json_domain = spec[HTTPException], spec.get(DomainError)

    def http_error(exc: HTTPException):
        if is_api(request.path):
            return json_http(exc)
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]   # a 405's Allow
        return render_template("error.html", code=exc.code, name=exc.name, message=exc.description), exc.code, headers

    def domain_error(exc: DomainError):
        if is_api(request.path) and json_domain is not None:
            return json_domain(exc)
        return render_template("error.html", code=exc.status, name="", message=str(exc)), exc.status

    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(DomainError, domain_error)
    app.register_error_handler(IntegrityError, lambda exc: domain_error(concurrent_change(exc)))


def init_app(app: Flask) -> None:
    from web.views import (
        auth, billing, employer, filters, fixed_hours_pages, open_shifts_pages, payroll, pool, pool_admin, registry,
        staffing, worker,
    )

    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # only the HTML blueprints check CSRF
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "nl")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam")
    csrf.init_app(app)
    Babel(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    login_manager.login_message = None
    app.before_request(_before_html_request)
    app.jinja_env.globals.update(current_lang=lambda: str(get_locale() or "nl"), lang_url=lang_url)
    app.jinja_env.filters.update(filters.FILTERS)
    for module in (auth, pool, pool_admin, registry, staffing, employer, worker, billing, payroll, fixed_hours_pages,
                   open_shifts_pages):
        app.register_blueprint(module.bp)
    _html_errors(app)
