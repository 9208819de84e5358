"""Links to choose a login's password: signed with the app's secret, valid LINK_DAYS days, and once
(each carries the current password's fingerprint, which changes as the password is set). The
pool hands them on; the page behind them is web.views.auth.set_password."""
from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from banenpool.models import User
from banenpool.services.auth import password_fingerprint

LINK_DAYS = 7
__all__ = ["LINK_DAYS", "BadSignature", "SignatureExpired", "link", "read"]


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="banenpool-set-password")


def link(user: User) -> str:
    token = _signer().dumps({"u": user.id, "f": password_fingerprint(user)})
    return url_for("account.set_password", token=token, _external=True)


def read(token: str) -> tuple[int, str]:
    """(user id, password fingerprint) of a link's token; SignatureExpired / BadSignature else."""
    claim = _signer().loads(token, max_age=LINK_DAYS * 24 * 3600)
    return claim["u"], claim["f"]
