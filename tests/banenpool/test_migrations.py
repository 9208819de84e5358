"""Migrations from an empty database produce exactly the models' schema, and go down again."""
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


def _drop_everything(url):
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def test_upgrade_from_empty_matches_models_and_downgrades(tmp_path):
    for url in _urls(tmp_path):
        _drop_everything(url)
        try:
            upgrade(url)
            engine = make_engine(url)
            with engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
                assert diff == [], f"{engine.dialect.name}: models and migrations differ: {diff}"
                assert "employers" in inspect(conn).get_table_names()
            downgrade(url, "base")
            with engine.connect() as conn:
                assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
            engine.dispose()
        finally:
            if url == PG_URL:  # leave the schema the rest of the suite expects
                _drop_everything(url)
                engine = make_engine(url)
                Base.metadata.create_all(engine)
                engine.dispose()
