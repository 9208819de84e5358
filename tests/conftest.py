"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL when BANENPOOL_TEST_DATABASE_URL is set)."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

os.environ.setdefault("BANENPOOL_PASSWORD_HASH", "pbkdf2:sha256:1000")  # fast hashes in tests only
from sqlalchemy import text

from banenpool.db import make_engine, make_sessionmaker
from banenpool.models import Base
from banenpool.principal import SYSTEM
from banenpool.services import auth, registry

PG_URL = os.environ.get("BANENPOOL_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def pg_engine():
    if not PG_URL:
        pytest.skip("BANENPOOL_TEST_DATABASE_URL not set")
    engine = make_engine(PG_URL)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An empty SQLite database with the schema, made once: each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    engine = request.getfixturevalue("pg_engine")
    with engine.begin() as conn:    # DELETE: TRUNCATE of every table takes ~10 times longer
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n "
                          "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = current_schema()"))
    return PG_URL


@pytest.fixture(scope="session")
def shared_app():
    """One app for the whole session, and its configuration as made: building an app (its
    routes and its OpenAPI document) takes ~0.2 s, and ~1500 tests use one."""
    from web import create_app
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BANENPOOL_SECRET_KEY", "test-secret")
        app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    app.extensions["banenpool.engine"].dispose()
    return app, dict(app.config)


@pytest.fixture
def app(db_url, shared_app, monkeypatch):
    """The shared app on this test's fresh database, with its configuration as made."""
    monkeypatch.setenv("BANENPOOL_SECRET_KEY", "test-secret")
    app, config = shared_app
    app.config.clear()
    app.config.update(config, DATABASE_URL=db_url)
    engine = make_engine(db_url)
    app.extensions["banenpool.engine"] = engine
    app.extensions["banenpool.sessionmaker"] = make_sessionmaker(engine)
    yield app
    engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    with app.extensions["banenpool.sessionmaker"]() as s:
        yield s


def employer_data(**overrides) -> dict:
    data = {"name": "Groenwerk Twente BV", "kvk_number": "61234501", "vat_number": "NL612345014B01",
            "cao_code": "hoveniers", "address": {"street": "Hengelosestraat 1", "postcode": "7521 AH",
                                                 "city": "Enschede"},
            "location": {"lat": 52.22, "lon": 6.87}, "tariff_factor": Decimal("1.85"),
            "invoice_email": "facturen@groenwerk.example"}
    return {**data, **overrides}


def worker_data(**overrides) -> dict:
    data = {"name": "Sanne Scholten", "email": "sanne@example.org", "birth_date": date(1998, 4, 2),
            "postcode": "7511 JM", "location": {"lat": 52.22, "lon": 6.89}, "skills": ["groen"],
            "min_hours_per_week": Decimal(12), "target_hours_per_week": Decimal(32),
            "max_hours_per_week": Decimal(40), "max_travel_km": 30.0}
    return {**data, **overrides}


@dataclass
class Pool:
    """Two employers, two workers and a login for each, plus the intermediary."""

    employer_a: int
    employer_b: int
    worker_x: int
    worker_y: int
    tokens: dict[str, str]

    def headers(self, who: str) -> dict:
        return {} if who == "anonymous" else {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def pool(session) -> Pool:
    a = registry.create_employer(session, SYSTEM, employer_data())
    b = registry.create_employer(session, SYSTEM, employer_data(name="Glans Schoonmaak", kvk_number="61234506",
                                                                cao_code="schoonmaak"))
    x = registry.create_worker(session, SYSTEM, worker_data())
    y = registry.create_worker(session, SYSTEM, worker_data(name="Daan Nijhuis", email="daan@example.org"))
    users = {"intermediary": dict(role="intermediary"), "employer_a": dict(role="employer", employer_id=a.id),
             "employer_b": dict(role="employer", employer_id=b.id), "worker_x": dict(role="worker", worker_id=x.id),
             "worker_y": dict(role="worker", worker_id=y.id)}
    tokens = {}
    for name, kwargs in users.items():
        auth.create_user(session, SYSTEM, email=f"{name}@test.example", password=PASSWORD, **kwargs)
        tokens[name] = auth.issue_token(session, f"{name}@test.example", PASSWORD)[0]
    session.commit()
    return Pool(a.id, b.id, x.id, y.id, tokens)
