"""Logins, password checks and bearer tokens."""
from __future__ import annotations

import hashlib
import os
import secrets
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from banenpool.db import utcnow
from banenpool.errors import Conflict, InvalidInput, NotFound, TooManyAttempts
from banenpool.models import ApiToken, Employer, LoginFailure, User, Worker
from banenpool.principal import Principal
from banenpool.services import audit

TOKEN_LIFETIME = timedelta(days=30)
MAX_FAILURES = 10                      # failed log-ins for one address from one client...
FAILURE_WINDOW = timedelta(minutes=15)  # ...within this time: the next attempts wait (429)
FAILURES_KEPT = timedelta(days=1)
MIN_PASSWORD = 8
# werkzeug's default (scrypt); the test suite lowers the cost with BANENPOOL_PASSWORD_HASH
PASSWORD_METHOD = os.environ.get("BANENPOOL_PASSWORD_HASH", "scrypt")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


MAX_EMAIL = 254   # the column's length, and what the API's schemas accept


def normalise_email(email: str) -> str:
    """An e-mail address as logins and workers store and compare it: outer spaces off, lower case."""
    return email.strip().lower()


def storable_email(email: str) -> str:
    """normalise_email, refused (422 on `email`) when lower case made it longer than the column
    holds: "İ" is one character, "i̇" two (PostgreSQL refused the write with a 500)."""
    email = normalise_email(email)
    if len(email) > MAX_EMAIL:
        raise InvalidInput({"email": [f"longer than {MAX_EMAIL} characters in lower case"]})
    return email


def require_free_email(session: Session, email: str, worker_id: int | None = None, *, new_login: bool = False) -> None:
    """An address (normalised) belongs to one person: a worker record and that worker's own login may
    share it, nothing else may. Taken by another worker, or by a login other than worker `worker_id`'s
    own (any login at all for a `new_login`), is a conflict (409) naming the field."""
    user = session.scalar(select(User).where(User.email == email))
    if user is not None and (new_login or worker_id is None or user.worker_id != worker_id):
        article = "a" if user.role == "worker" else "an"      # an employer, an intermediary
        raise Conflict(f"email: {article} {user.role} login for {email} exists already", ["email_taken"])
    others = select(Worker).where(Worker.email == email)  # stored normalised (migration 0006: unique)
    if worker_id is not None:
        others = others.where(Worker.id != worker_id)
    other = session.scalars(others).first()
    if other is not None:
        raise Conflict(f"email: {email} is already the e-mail address of worker {other.id} ({other.name})",
                       ["email_taken"])


def create_user(session: Session, who: Principal, *, email: str, password: str, role: str,
                employer_id: int | None = None, worker_id: int | None = None) -> User:
    email = storable_email(email)
    errors: dict[str, list[str]] = {}
    if role == "employer" and (employer_id is None or session.get(Employer, employer_id) is None):
        errors["employer_id"] = ["an employer login needs an existing employer_id"]
    if role == "worker" and (worker_id is None or session.get(Worker, worker_id) is None):
        errors["worker_id"] = ["a worker login needs an existing worker_id"]
    if role != "employer" and employer_id is not None:
        errors["employer_id"] = [f"only employer logins have an employer_id, not {role}"]
    if role != "worker" and worker_id is not None:
        errors["worker_id"] = [f"only worker logins have a worker_id, not {role}"]
    if len(password) < MIN_PASSWORD:
        errors["password"] = [f"must be at least {MIN_PASSWORD} characters"]
    if errors:
        raise InvalidInput(errors)
    require_free_email(session, email, worker_id, new_login=True)
    user = User(email=email, password_hash=generate_password_hash(password, method=PASSWORD_METHOD), role=role,
                employer_id=employer_id, worker_id=worker_id)
    session.add(user)
    session.flush()
    audit.record(session, who, "create", "user", user.id, {"email": email, "role": role})
    return user


def invite(session: Session, who: Principal, *, email: str, role: str, employer_id: int | None = None,
           worker_id: int | None = None) -> User:
    """A login for a worker or an employer that cannot be used until its owner sets a password
    (through a link the web layer signs with password_fingerprint; see web.views.auth)."""
    who.require("intermediary")
    if role not in ("worker", "employer"):
        raise InvalidInput({"role": ["the pool invites workers and employers"]})
    if worker_id is not None and session.scalar(select(User).where(User.worker_id == worker_id)) is not None:
        raise Conflict(f"worker {worker_id} has a login already; make a new link to choose its password",
                       ["login_exists"])
    return create_user(session, who, email=email, password=secrets.token_urlsafe(32), role=role,
                       employer_id=employer_id, worker_id=worker_id)


def logins(session: Session, who: Principal, *, worker_id: int | None = None,
           employer_id: int | None = None) -> list[User]:
    """The logins of a worker, of an employer, or (neither given) all (intermediary only)."""
    who.require("intermediary")
    query = select(User).order_by(User.id)
    if worker_id is not None:
        query = query.where(User.worker_id == worker_id)
    if employer_id is not None:
        query = query.where(User.employer_id == employer_id)
    return list(session.scalars(query))


def get_login(session: Session, who: Principal, user_id: int) -> User:
    """A worker's or employer's login (intermediary only; the pool's own logins are not shown)."""
    who.require("intermediary")
    user = session.get(User, user_id)
    if user is None or user.role == "intermediary":
        raise NotFound(f"login {user_id} does not exist")
    return user


def login_for_link(session: Session, who: Principal, user_id: int) -> User:
    """The login a set-password link is made for; refused (409 `login_blocked`) while it is blocked:
    the link would fail when used."""
    user = get_login(session, who, user_id)
    if not user.active:
        raise Conflict(f"login {user_id} is blocked; allow it again before making a password link",
                       ["login_blocked"])
    return user


def set_active(session: Session, who: Principal, user_id: int, active: bool) -> User:
    """Block a worker's or employer's login (they leave the pool; a shared password) or allow it
    again. A blocked login cannot log in, its page session ends at its next request and its API
    tokens stop for good; a page session from before the block stays ended when it is allowed again.
    Blocking an employer's login also gives the employer's shift calendar a new address (the feed
    names the workers who come; whoever was blocked may have kept the old one): its other logins
    find the new one on their shifts page."""
    user = get_login(session, who, user_id)
    if user.active and not active:
        user.session_epoch += 1       # its page sessions end now and stay ended once allowed again
        employer = session.get(Employer, user.employer_id) if user.employer_id is not None else None
        if employer is not None and employer.calendar_token is not None:
            from banenpool.services.calendar import rotate_employer_token
            rotate_employer_token(session, who, employer.id)
    user.active = active
    if not active:
        _revoke_tokens(session, user)
    session.flush()
    audit.record(session, who, "update", "user", user.id, {"active": active})
    return user


def _revoke_tokens(session: Session, user: User) -> None:
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))):
        token.revoked = True


def password_fingerprint(user: User) -> str:
    """Changes whenever the password does: a set-password link that carries it works once."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def session_fingerprint(user: User) -> str:
    """What a page session holds of its login: changes with the password and when the login is
    blocked, ending every session from before either."""
    return hashlib.sha256(f"{user.password_hash}:{user.session_epoch or 0}".encode()).hexdigest()[:20]


def set_password(session: Session, user_id: int, fingerprint: str, password: str) -> User:
    """The password of the login a set-password link names, while the link is unused (409
    `link_used` once the password changed since it was made). Every API token of the login stops."""
    user = session.get(User, user_id, with_for_update=True)
    if user is None or not user.active:
        raise NotFound("this login does not exist (any more)")
    if not secrets.compare_digest(fingerprint, password_fingerprint(user)):
        raise Conflict("this link was used already: the password was set with it; ask the pool for a new one",
                       ["link_used"])
    _store_password(session, user, password)
    return user


def change_password(session: Session, who: Principal, current: str, password: str) -> User:
    """A logged-in user's own new password, after the current one (422 on `current` when wrong)."""
    user = session.get(User, who.user_id, with_for_update=True)
    if user is None or not check_password_hash(user.password_hash, current):
        raise InvalidInput({"current": ["is not your current password"]})
    _store_password(session, user, password)
    return user


def _store_password(session: Session, user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput({"password": [f"must be at least {MIN_PASSWORD} characters"]})
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    _revoke_tokens(session, user)
    session.flush()
    audit.record(session, principal_of(user), "update", "user", user.id, {"password": "changed"})


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """A hash to check a password against when no login has the address: a log-in then takes as
    long as a wrong password does, so the time of the answer does not tell which addresses exist."""
    return generate_password_hash(secrets.token_urlsafe(16), method=PASSWORD_METHOD)


def authenticate(session: Session, email: str, password: str, client: str = "") -> User | None:
    """The active User with this e-mail address (any case, outer spaces ignored) and password, else None.
    One password hash is checked in every case (unknown address, blocked login, wrong password).

    Password guessing is slowed down: after MAX_FAILURES failed log-ins for one address from one
    `client` (its network address) within FAILURE_WINDOW, attempts are refused unheard (TooManyAttempts,
    429, the right password too) until the oldest of them is FAILURE_WINDOW old. A failure is written to
    the session: the caller commits it also when it answers 401. A log-in that succeeds clears them."""
    key = hashlib.sha256(f"{normalise_email(email)}|{client}".encode()).hexdigest()
    now = utcnow()
    failed, oldest = session.execute(
        select(func.count(LoginFailure.id), func.min(LoginFailure.at))
        .where(LoginFailure.key == key, LoginFailure.at > now - FAILURE_WINDOW)).one()
    if failed >= MAX_FAILURES:
        wait = max(1, int((oldest + FAILURE_WINDOW - now).total_seconds()) + 1)
        raise TooManyAttempts(retry_after=wait)
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    right = check_password_hash(user.password_hash if user is not None else _stand_in_hash(), password)
    if user is None or not user.active or not right:
        session.execute(delete(LoginFailure).where(LoginFailure.at < now - FAILURES_KEPT))
        session.add(LoginFailure(key=key, at=now))
        session.flush()
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.key == key))
    return user


def issue_token(session: Session, email: str, password: str, client: str = "") -> tuple[str, User] | None:
    """A new bearer token for these credentials, else None (authenticate: the caller commits either way)."""
    user = authenticate(session, email, password, client)
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_hash(token), user_id=user.id, expires_at=utcnow() + TOKEN_LIFETIME))
    return token, user


def principal_for_token(session: Session, token: str) -> Principal | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if row is None or row.revoked or row.expires_at <= utcnow() or not row.user.active:
        return None
    return principal_of(row.user)


def principal_of(user: User) -> Principal:
    return Principal(user_id=user.id, role=user.role, employer_id=user.employer_id, worker_id=user.worker_id)
