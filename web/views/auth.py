"""Logging in and out of the web interface (Flask-Login sessions; the API uses bearer tokens)."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from banenpool.errors import Conflict, InvalidInput, NotFound, TooManyAttempts
from banenpool.models import User
from banenpool.services import auth
from banenpool.services.auth import authenticate, principal_of, session_fingerprint
from web import password_links
from web.database import session
from web.views import login_manager
from web.views.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from web.views.messages import invalid, refusal

bp = Blueprint("account", __name__)
HOME = {"intermediary": "pool.dashboard", "employer": "employer.requests", "worker": "worker.schedule"}


class LoginUser(UserMixin):
    """What Flask-Login keeps for a logged-in User: its id, e-mail and Principal. The session holds
    the id with the login's session fingerprint: a new password, or blocking the login, ends every
    other page session."""

    def __init__(self, user: User):
        self.id, self.email, self.principal = user.id, user.email, principal_of(user)
        self.session_id = f"{user.id}:{session_fingerprint(user)}"

    def get_id(self) -> str:
        return self.session_id


@login_manager.user_loader
def load_user(session_id: str) -> LoginUser | None:
    user_id, _, fingerprint = session_id.partition(":")
    user = session().get(User, int(user_id)) if user_id.isdigit() and len(user_id) < 10 else None
    if user is None or not user.active or not secrets.compare_digest(fingerprint, session_fingerprint(user)):
        return None
    return LoginUser(user)


def _safe_next(target: str | None) -> str | None:
    """Only local paths: ?next= must not send someone to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    # a browser reads a path starting with two slashes (or a slash and a backslash) as another host
    # (browsers also drop tabs and line breaks from a URL before reading it)
    local = target.startswith("/") and target[1:2] not in ("/", "\\") and not any(c in target for c in "\t\r\n")
    return target if local and not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(session(), form.email.data, form.password.data, request.remote_addr or "")
        except TooManyAttempts as exc:
            flash(_("Too many failed log-ins for this address; try again in %(minutes)s minutes.",
                    minutes=exc.minutes), "error")
            return render_template("login.html", form=form), 429, {"Retry-After": str(exc.retry_after)}
        session().commit()      # a failure counts towards the limit on failed log-ins
        if user is not None:
            login_user(LoginUser(user))
            return redirect(_safe_next(request.args.get("next")) or url_for(HOME[user.role]))
        flash(_("E-mail address or password is wrong."), "error")
    return render_template("login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("account.login"))


@bp.get("/home")
@login_required
def home():
    return redirect(url_for(HOME[current_user.principal.role]))


# -- passwords: set through a link the pool hands out (web.password_links), changed by the user ----
@bp.route("/account/set-password/<token>", methods=["GET", "POST"])
def set_password(token):
    try:
        user_id, fingerprint = password_links.read(token)
    except password_links.SignatureExpired:
        return render_template("account/link_invalid.html", expired=True), 410
    except password_links.BadSignature:
        return render_template("account/link_invalid.html", expired=False), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = auth.set_password(session(), user_id, fingerprint, form.password.data)
        except Conflict as exc:
            session().rollback()
            flash(refusal(exc), "error")
        except NotFound:
            session().rollback()
            flash(_("This login no longer exists or is blocked; ask the pool."), "error")
        except InvalidInput as exc:
            session().rollback()
            flash(invalid(exc), "error")
        else:
            session().commit()
            flash(_("Your password is set. Log in with %(email)s.", email=user.email), "info")
            return redirect(url_for("account.login"))
    return render_template("account/password.html", form=form, title=_("Choose your password"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(session(), current_user.principal, form.current.data, form.password.data)
        except InvalidInput as exc:
            session().rollback()
            flash(invalid(exc), "error")
        else:
            session().commit()
            login_user(LoginUser(session().get(User, current_user.principal.user_id)))   # this session goes on
            flash(_("Your password is changed; other sessions are logged out."), "info")
            return redirect(url_for("account.home"))
    return render_template("account/password.html", form=form, title=_("Change your password"))
