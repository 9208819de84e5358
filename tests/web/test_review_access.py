"""Review of access control across the API and the pages: who learns what from the answers.

Every test here failed when it was written; each docstring says what happened then.
"""
import pytest
from sqlalchemy import select

from banenpool.models import User
from banenpool.principal import SYSTEM
from banenpool.services import auth
from tests.conftest import PASSWORD


@pytest.fixture
def hash_checks(monkeypatch):
    """The password hashes checked (the slow part of a log-in: scrypt in production)."""
    calls = []
    check = auth.check_password_hash

    def counted(stored, password):
        calls.append(stored)
        return check(stored, password)
    monkeypatch.setattr(auth, "check_password_hash", counted)
    return calls


def test_a_log_in_costs_one_hash_check_whether_or_not_the_login_exists(client, pool, session, hash_checks):
    """An unknown address (and a blocked login) answered 401 without checking a password hash: ~2 ms
    against ~100 ms for a known one under scrypt, so anyone could tell which addresses have a login
    by timing POST /api/v1/auth/token or the log-in page."""
    blocked = session.scalar(select(User.id).where(User.email == "worker_y@test.example"))
    auth.set_active(session, SYSTEM, blocked, False)
    session.commit()
    for email, password in (("worker_x@test.example", "wrong password"), ("nobody@test.example", "wrong password"),
                            ("worker_y@test.example", "wrong password"), ("worker_y@test.example", PASSWORD)):
        hash_checks.clear()
        r = client.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert r.status_code == 401 and r.get_json()["message"] == "wrong e-mail or password"
        assert len(hash_checks) == 1, email
