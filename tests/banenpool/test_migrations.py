"""Migrations from an empty database produce exactly the models' schema, and go down again."""
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from banenpool.db import make_engine
from banenpool.migrate import downgrade, upgrade
from banenpool.models import Base
from tests.conftest import PG_URL


def _urls(tmp_path):
    urls = [f"sqlite:///{tmp_path / 'm.db'}"]
    if PG_URL:
        urls.append(PG_URL)
    return urls


@contextmanager
def _emptied(url):
    """An engine on `url` with nothing in it; afterwards PostgreSQL gets back the schema the rest of the
    suite expects."""
    _drop_everything(url)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        if url == PG_URL:
            _drop_everything(url)
            restored = make_engine(url)
            Base.metadata.create_all(restored)
            restored.dispose()


def _drop_everything(url):
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def test_upgrade_from_empty_matches_models_and_downgrades(tmp_path):
    for url in _urls(tmp_path):
        with _emptied(url) as engine:
            upgrade(url)
            with engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
                assert diff == [], f"{engine.dialect.name}: models and migrations differ: {diff}"
                assert "employers" in inspect(conn).get_table_names()
            downgrade(url, "base")
            with engine.connect() as conn:
                assert set(inspect(conn).get_table_names()) <= {"alembic_version"}


def _add_worker(conn, name, email):
    conn.execute(text("INSERT INTO workers (name, email, birth_date, skills, min_hours_per_week, "
                      "target_hours_per_week, max_hours_per_week) VALUES (:name, :email, '1990-01-01', '[]', 0, 0, 0)"),
                 {"name": name, "email": email})


def test_worker_email_migration_normalises_and_stops_on_shared_addresses(tmp_path):
    """0006 makes workers.email unique: older addresses are trimmed and lower-cased first; two
    workers with one address stop the upgrade at 0005 with the address named."""
    for url in _urls(tmp_path):
        with _emptied(url) as engine:
            upgrade(url, "0005")
            with engine.begin() as conn:
                _add_worker(conn, "Anna", " Anna@Example.org ")
                _add_worker(conn, "Bea", "anna@example.org")
                _add_worker(conn, "Cor", None)
                _add_worker(conn, "Dirk", None)
            with pytest.raises(RuntimeError, match="anna@example.org \\(2 workers\\)"):
                upgrade(url)
            with engine.begin() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
                conn.execute(text("UPDATE workers SET email = 'bea@example.org' WHERE name = 'Bea'"))
            upgrade(url)
            with engine.connect() as conn:
                emails = dict(conn.execute(text("SELECT name, email FROM workers")).all())
                assert emails == {"Anna": "anna@example.org", "Bea": "bea@example.org", "Cor": None, "Dirk": None}
            with pytest.raises(Exception, match="(?i)unique"), engine.begin() as conn:
                _add_worker(conn, "Eva", "bea@example.org")


def test_upgrades_and_downgrades_keep_the_rows_that_point_at_changed_tables(tmp_path):
    """SQLite's batch mode rebuilds a table to add or drop a column: the rows of other tables that point
    at it (ON DELETE CASCADE) must survive, going up to head and down again to before shifts changed."""
    for url in _urls(tmp_path):
        with _emptied(url) as engine:
            upgrade(url, "0007")
            with engine.begin() as conn:
                _add_worker(conn, "Anna", "anna@example.org")
                conn.execute(text("INSERT INTO employers (name, kvk_number, cao_code, tariff_factor) "
                                  "VALUES ('Groen', '12345678', 'hoveniers', 1.8)"))
                conn.execute(text("INSERT INTO shifts (employer_id, start, \"end\", break_minutes, paid_hours, skills, "
                                  "headcount, priority) VALUES (1, '2026-03-02 08:00:00', '2026-03-02 16:00:00', 30, "
                                  "7.5, '[]', 1, 1.0)"))
                conn.execute(text("INSERT INTO assignments (shift_id, worker_id, status, created_at, updated_at) "
                                  "VALUES (1, 1, 'confirmed', '2026-02-01 10:00:00', '2026-02-01 10:00:00')"))
                conn.execute(text("INSERT INTO timesheets (assignment_id, start, \"end\", break_minutes, status, "
                                  "kind, submitted_at) VALUES (1, '2026-03-02 08:00:00', '2026-03-02 16:00:00', 30, "
                                  "'approved', 'worked', '2026-03-02 17:00:00')"))

            def counts():
                with engine.connect() as conn:
                    return [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                            for t in ("workers", "shifts", "assignments", "timesheets")]
            upgrade(url)
            assert counts() == [1, 1, 1, 1]
            with engine.connect() as conn:        # confirmed rows of before take their last change as the call
                assert conn.execute(text("SELECT confirmed_at IS NOT NULL FROM assignments")).scalar()
            downgrade(url, "0007")
            assert counts() == [1, 1, 1, 1]
