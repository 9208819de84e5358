"""Alembic environment: the URL comes from the caller (banenpool init-db) or DATABASE_URL."""
from alembic import context
from sqlalchemy import pool

from banenpool.config import Settings
from banenpool.db import make_engine
from banenpool.models import Base

config = context.config
target_metadata = Base.metadata


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    """The job queue's own tables (huey_*, when the queue shares the database) are not ours to migrate."""
    return not (type_ == "table" and name.startswith("huey_"))


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, include_object=_include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_object=_include_object)
    keys_off = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if keys_off:    # SQLite's batch mode copies a table and drops the old one: with foreign keys on, that
        _raw_pragma(connection, "OFF")   # drop would delete the rows that point at it (ON DELETE CASCADE)
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if keys_off:
            _raw_pragma(connection, "ON")


def _raw_pragma(connection, value: str) -> None:
    """PRAGMA foreign_keys only takes effect outside a transaction: set it on the driver's connection."""
    cursor = connection.connection.dbapi_connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={value}")
    cursor.close()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
