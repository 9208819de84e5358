"""Planning jobs on a real huey consumer: progress while it solves, and a consumer killed mid-solve."""
import os
import signal
import subprocess
import sys
import time

import pytest
from huey.storage import SqliteStorage
from sqlalchemy import select

from banenpool import queue
from banenpool.config import REPO_ROOT
from banenpool.models import Assignment, Plan
from banenpool.principal import SYSTEM
from banenpool.services import planning, registry
from tests.conftest import worker_data
from tests.web.test_plans import ALL_WEEK, set_availability

PERIOD = {"start_date": "2026-03-16", "end_date": "2026-04-12"}  # four weeks, DST inside


def busy_pool(client, pool, session, workers=40):
    """Two weeks, three overlapping day patterns: enough work to keep the solver busy a few seconds."""
    ids = [pool.worker_x, pool.worker_y]
    for i in range(workers - 2):
        ids.append(registry.create_worker(session, SYSTEM, worker_data(
            name=f"Werker {i}", email=f"w{i}@example.org", target_hours_per_week=20 + i % 3 * 6)).id)
    session.commit()
    for w in ids:
        set_availability(client, pool, w)
    for start, end, count in (("06:00", "14:30", 3), ("08:00", "16:30", 2), ("11:00", "19:30", 3)):
        body = {"employer_id": pool.employer_a, "title": f"Dienst {start}", "skills": ["groen"], **PERIOD,
                "pattern": [{"weekday": d, "start": start, "end": end, "break_minutes": 30, "headcount": count}
                            for d in range(7)]}
        assert client.post("/api/v1/capacity-requests", headers=pool.headers("intermediary"),
                           json=body).status_code == 201


@pytest.fixture
def queue_file(tmp_path, monkeypatch):
    """The module's huey writes to a fresh SqliteHuey file that a real consumer reads."""
    path = tmp_path / "queue.db"
    monkeypatch.setattr(queue.huey, "storage", SqliteStorage(name="banenpool", filename=str(path)))
    return path


def start_consumer(db_url, queue_path, tmp_path):
    env = {**os.environ, "DATABASE_URL": db_url, "BANENPOOL_QUEUE_URL": f"sqlite:///{queue_path}",
           "BANENPOOL_INSTANCE_DIR": str(tmp_path), "BANENPOOL_SECRET_KEY": "test"}
    log = open(tmp_path / "consumer.log", "w")
    return subprocess.Popen([sys.executable, "-m", "banenpool.cli", "worker"], cwd=REPO_ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def poll(session, plan_id, until, timeout=20.0):
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.expire_all()
        plan = session.get(Plan, plan_id)
        seen.append((plan.status, plan.progress))
        if until(plan):
            return plan, seen
        time.sleep(0.05)
    raise AssertionError(f"plan {plan_id} never got there: last {seen[-3:]}")


def test_consumer_runs_plan_with_moving_progress(client, pool, session, db_url, queue_file, tmp_path):
    busy_pool(client, pool, session)
    started = time.monotonic()
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"), json={**PERIOD, "time_limit_seconds": 8,
                                                                                "include_started": True})
    assert r.status_code == 202 and r.get_json()["status"] == "queued"
    # the request did not solve: with no consumer running yet the plan is still queued, with no result
    queued = session.get(Plan, r.get_json()["id"])
    assert queued.status == "queued" and queued.result is None
    consumer = start_consumer(db_url, queue_file, tmp_path)
    try:
        plan, seen = poll(session, r.get_json()["id"], lambda p: p.status in ("done", "failed"), timeout=30)
    finally:
        consumer.send_signal(signal.SIGINT)
        consumer.wait(10)
    assert plan.status == "done", plan.error
    running = [p for s, p in seen if s == "running"]
    assert running and any(0 < p < 1 for p in running), seen[:: max(1, len(seen) // 20)]
    assert running == sorted(running)  # progress only moves forward
    print(f"POST → done in {time.monotonic() - started:.1f} s; solver {plan.result['solve_seconds']} s")


def test_killed_consumer_leaves_a_failed_plan_and_no_half_plan(client, pool, session, db_url, queue_file,
                                                              tmp_path, monkeypatch):
    busy_pool(client, pool, session)
    r = client.post("/api/v1/plans", headers=pool.headers("intermediary"), json={**PERIOD, "time_limit_seconds": 30,
                                                                                "include_started": True})
    plan_id = r.get_json()["id"]
    consumer = start_consumer(db_url, queue_file, tmp_path)
    try:
        poll(session, plan_id, lambda p: p.status == "running")
        time.sleep(0.3)
    finally:
        consumer.send_signal(signal.SIGKILL)
        consumer.wait(10)
    monkeypatch.setattr(planning, "STALE_SECONDS", 1.5)
    time.sleep(1.6)
    body = client.get(f"/api/v1/plans/{plan_id}", headers=pool.headers("intermediary")).get_json()
    assert body["status"] == "failed" and "worker process stopped" in body["error"]
    session.expire_all()
    assert session.scalars(select(Assignment).where(Assignment.plan_id == plan_id)).all() == []
    r = client.post(f"/api/v1/plans/{plan_id}/publish", headers=pool.headers("intermediary"))
    assert r.status_code == 409
