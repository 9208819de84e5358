"""The job queue (huey): where planning jobs wait for `banenpool worker`.

`BANENPOOL_QUEUE_URL` chooses the storage:
  sqlite:///PATH   SqliteHuey in that file (default: instance/queue.db; no extra server)
  redis://...      RedisHuey (needs the `redis` package)
  memory://        MemoryHuey in immediate mode: jobs run inside the caller (tests, one-off scripts)
PostgreSQL storage is not offered: huey's SQL storage needs peewee, which the project does not use.
"""
from __future__ import annotations

import logging
import os

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from banenpool.config import default_database_url, instance_dir

log = logging.getLogger(__name__)


def queue_url() -> str:
    return os.environ.get("BANENPOOL_QUEUE_URL") or f"sqlite:///{instance_dir() / 'queue.db'}"


def make_huey(url: str) -> Huey:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return SqliteHuey("banenpool", filename=path)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("banenpool", url=url)
    if url.startswith("memory://"):
        return MemoryHuey("banenpool", immediate=True)
    raise ValueError(f"BANENPOOL_QUEUE_URL: unsupported queue {url.split(':', 1)[0]!r} "
                     "(use sqlite:///PATH, redis://HOST or memory://)")


huey = make_huey(queue_url())


def _env_database_url() -> str:
    return os.environ.get("DATABASE_URL") or default_database_url(instance_dir())


@huey.task()
def run_plan_task(plan_id: int, database_url: str | None = None) -> None:
    """Solve plan `plan_id`; the URL travels only when it is not the consumer's own DATABASE_URL."""
    from banenpool.services.planning import run_plan
    run_plan(_sessionmaker(database_url or _env_database_url()), plan_id)


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
    with _sessionmaker(_env_database_url())() as session:
        failed = fail_stale_plans(session)
        session.commit()
    if failed:
        log.warning("marked %d stale running plan(s) failed", len(failed))
    huey.create_consumer(workers=workers, worker_type="thread").run()
