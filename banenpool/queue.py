"""The job queue (huey): where planning jobs wait for `banenpool worker`.

`BANENPOOL_QUEUE_URL` chooses the storage:
  sqlite:///PATH       SqliteHuey in that file (default: instance/queue.db; no extra server)
  redis://...          RedisHuey (needs the `redis` package)
  postgresql://...     huey's SQL storage (huey.contrib.sql_huey, needs `peewee`); also accepted as
                       postgres:// and SQLAlchemy's postgresql+psycopg://. Its four tables are
                       named huey_kv, huey_schedule, huey_task and huey_counter and are created on
                       first use; they may live in the application's database (Alembic does not
                       manage them) or in a database of their own.
  memory://            MemoryHuey in immediate mode: jobs run inside the caller (tests, one-off scripts)
`BANENPOOL_QUEUE_NAME` (default "banenpool") separates several pools sharing one Redis or database.

Besides the planning jobs the consumer runs one periodic task: every minute it delivers the
pending outbox messages (see banenpool.services.notifications).
"""
from __future__ import annotations

import logging
import os

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from banenpool.config import default_database_url, instance_dir

log = logging.getLogger(__name__)
PG_PREFIXES = ("postgresql+psycopg://", "postgresql+psycopg2://", "postgresql://", "postgres://")


def queue_url() -> str:
    return os.environ.get("BANENPOOL_QUEUE_URL") or f"sqlite:///{instance_dir() / 'queue.db'}"


def queue_name() -> str:
    return os.environ.get("BANENPOOL_QUEUE_NAME") or "banenpool"


def _sql_storage_class():
    """huey's SqlStorage with table names that say whose they are (its defaults are kv, task, …)."""
    try:
        from huey.contrib.sql_huey import SqlStorage
    except ImportError as exc:  # peewee is optional: only this storage needs it
        raise ImportError(f"BANENPOOL_QUEUE_URL=postgresql://… needs the peewee package ({exc})") from exc

    class PrefixedSqlStorage(SqlStorage):
        def create_models(self):
            models = super().create_models()
            for model in models:
                model._meta.set_table_name(f"huey_{model._meta.table_name}")
            task = models[2]
            task._meta.indexes = []  # built for the old name: add it again for huey_task
            task.add_index(task.priority.desc(), task.id)
            return models

    return PrefixedSqlStorage


def postgres_peewee_url(url: str) -> str:
    """A SQLAlchemy-style PostgreSQL URL as peewee's db_url wants it (plain postgresql://)."""
    for prefix in PG_PREFIXES:
        if url.startswith(prefix):
            return "postgresql://" + url.removeprefix(prefix)
    raise ValueError(f"not a PostgreSQL URL: {url.split(':', 1)[0]!r}")


def make_huey(url: str, name: str | None = None) -> Huey:
    name = name or queue_name()
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return SqliteHuey(name, filename=path)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url)
    if url.startswith(PG_PREFIXES):
        return Huey(name, storage_class=_sql_storage_class(), database=postgres_peewee_url(url))
    if url.startswith("memory://"):
        return MemoryHuey(name, immediate=True)
    raise ValueError(f"BANENPOOL_QUEUE_URL: unsupported queue {url.split(':', 1)[0]!r} "
                     "(use sqlite:///PATH, redis://HOST, postgresql://HOST/DB or memory://)")


huey = make_huey(queue_url())


def _env_database_url() -> str:
    return os.environ.get("DATABASE_URL") or default_database_url(instance_dir())


@huey.task()
def run_plan_task(plan_id: int, database_url: str | None = None) -> None:
    """Solve plan `plan_id`; the URL travels only when it is not the consumer's own DATABASE_URL."""
    from banenpool.services.planning import run_plan
    run_plan(_sessionmaker(database_url or _env_database_url()), plan_id)


@huey.periodic_task(crontab(minute="*"))
def deliver_outbox_task() -> int:
    """Every minute, in the consumer: deliver pending outbox messages with the configured sender."""
    from banenpool.services.notifications import configured_sender, deliver_outbox
    with _sessionmaker(_env_database_url())() as session:
        sent = deliver_outbox(session, configured_sender())
        session.commit()
    if sent:
        log.info("delivered %d outbox message(s)", sent)
    return sent


_makers: dict = {}


def _sessionmaker(url: str):
    from banenpool.db import make_engine, make_sessionmaker
    if url not in _makers:
        _makers[url] = make_sessionmaker(make_engine(url))
    return _makers[url]


def enqueue_plan(plan_id: int, database_url: str) -> None:
    """Queue the job for a committed plan (the web request never waits for it unless immediate)."""
    run_plan_task(plan_id, None if database_url == _env_database_url() else database_url)


def run_consumer(workers: int = 1) -> None:
    """Run the consumer (`banenpool worker`); first fail plans whose worker process died."""
    from banenpool.services.planning import fail_stale_plans
    import scheduling  # noqa: F401  (the planner and PuLP load now, not inside the first job)
    with _sessionmaker(_env_database_url())() as session:
        failed = fail_stale_plans(session)
        session.commit()
    if failed:
        log.warning("marked %d stale running plan(s) failed", len(failed))
    huey.create_consumer(workers=workers, worker_type="thread").run()
