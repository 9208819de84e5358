"""Planning jobs through huey's Redis and PostgreSQL storage, run by a real `banenpool worker`.

Each test talks to the machine's own server (Redis at 127.0.0.1:6379, PostgreSQL at
127.0.0.1:5432, or the URLs in BANENPOOL_TEST_REDIS_URL / BANENPOOL_TEST_QUEUE_PG_URL) and is
skipped with the reason when that server does not answer. The web app posts a plan (not in
immediate mode), the job waits in that storage, a consumer process dequeues and solves it.
"""
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import select

from banenpool import queue
from banenpool.config import REPO_ROOT
from banenpool.models import Assignment, Plan
from tests.web.test_plans import PLAN_WEEK, setup_week

PG_QUEUE_URL = (os.environ.get("BANENPOOL_TEST_QUEUE_PG_URL") or os.environ.get("BANENPOOL_TEST_DATABASE_URL")
                or "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BANENPOOL_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"


def _redis_or_skip() -> str:
    redis = pytest.importorskip("redis", reason="the redis client package is not installed")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL}: {exc}")
    return REDIS_URL


def _postgres_or_skip() -> str:
    pytest.importorskip("peewee", reason="peewee (huey's SQL storage) is not installed")
    import psycopg
    try:
        psycopg.connect(queue.postgres_peewee_url(PG_QUEUE_URL), connect_timeout=2).close()
    except Exception as exc:
        pytest.skip(f"no PostgreSQL answers at {PG_QUEUE_URL.split('@')[-1]}: {exc}")
    return PG_QUEUE_URL


@pytest.fixture(params=["redis", "postgresql"])
def queue_backend(request, monkeypatch):
    """The module's huey switched to a fresh queue (its own name) on Redis or PostgreSQL."""
    url = _redis_or_skip() if request.param == "redis" else _postgres_or_skip()
    name = f"banenpool-test-{uuid.uuid4().hex[:10]}"
    other = queue.make_huey(url, name)
    monkeypatch.setattr(queue.huey, "storage", other.storage)
    monkeypatch.setattr(queue.huey, "name", name)
    monkeypatch.setattr(queue.huey, "immediate", False)
    yield url, name
    other.storage.flush_queue()
    other.storage.flush_schedule()
    other.storage.flush_results()
    if request.param == "postgresql":
        other.storage.close()


def start_worker(db_url, queue_url, queue_name, tmp_path):
    env = {**os.environ, "DATABASE_URL": db_url, "BANENPOOL_QUEUE_URL": queue_url, "BANENPOOL_QUEUE_NAME": queue_name,
           "BANENPOOL_INSTANCE_DIR": str(tmp_path), "BANENPOOL_SECRET_KEY": "test"}
    log = open(tmp_path / "consumer.log", "w")
    return subprocess.Popen([sys.executable, "-m", "banenpool.cli", "worker"], cwd=REPO_ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def wait_for(session, plan_id, timeout=25.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.expire_all()
        plan = session.get(Plan, plan_id)
        if plan.status in ("done", "failed"):
            return plan
        time.sleep(0.1)
    raise AssertionError(f"plan {plan_id} still {plan.status} after {timeout} s")


def test_plan_job_runs_through_the_queue(client, pool, session, db_url, queue_backend, tmp_path):
    url, name = queue_backend
    setup_week(client, pool)
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"), json={**PLAN_WEEK, "time_limit_seconds": 10})
    assert r.status_code == 202 and r.get_json()["status"] == "queued"
    plan_id = r.get_json()["id"]
    assert queue.huey.pending_count() == 1  # waiting in Redis / PostgreSQL, not run in the request
    assert session.get(Plan, plan_id).status == "queued"

    worker = start_worker(db_url, url, name, tmp_path)
    try:
        plan = wait_for(session, plan_id)
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(15)
    log = (tmp_path / "consumer.log").read_text()
    assert plan.status == "done", f"{plan.error}\n{log}"
    assert plan.result["status"] == "optimal" and plan.changes == {"kept": 0, "dropped": 0, "added": 6}
    proposed = session.scalars(select(Assignment).where(Assignment.plan_id == plan_id)).all()
    assert len(proposed) == 6 and {a.status for a in proposed} == {"proposed"}
    assert queue.huey.pending_count() == 0  # the consumer took the job off the queue
    assert "run_plan_task" in log
    assert client.post(f"/api/v1/plans/{plan_id}/publish", headers=pool.headers("intermediary")).status_code == 200


def test_sql_storage_tables_are_prefixed():
    url = _postgres_or_skip()
    h = queue.make_huey(url, f"banenpool-test-{uuid.uuid4().hex[:10]}")
    try:
        assert sorted(m._meta.table_name for m in (h.storage.KV, h.storage.Schedule, h.storage.Task,
                                                   h.storage.Counter)) == [
            "huey_counter", "huey_kv", "huey_schedule", "huey_task"]
    finally:
        h.storage.close()


def test_queue_urls():
    assert queue.postgres_peewee_url("postgresql+psycopg://u@h:5432/db") == "postgresql://u@h:5432/db"
    assert queue.postgres_peewee_url("postgres://u@h/db") == "postgresql://u@h/db"
    with pytest.raises(ValueError, match="unsupported queue 'mysql'"):
        queue.make_huey("mysql://h/db")
