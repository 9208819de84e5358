"""Two overlapping plans published at the same moment from two threads: exactly one wins.

Runs on every backend of `db_url` (PostgreSQL when BANENPOOL_TEST_DATABASE_URL is set, SQLite
always). Each thread is its own request with its own session and connection, as two gunicorn
workers would be.
"""
import threading

import pytest

from banenpool import queue
from tests.web.test_plans import get, make_plan, setup_week


@pytest.fixture(autouse=True)
def immediate_queue(monkeypatch):
    monkeypatch.setattr(queue.huey, "immediate", True)


def publish_at_once(app, pool, plan_ids):
    barrier = threading.Barrier(len(plan_ids))
    results = {}

    def run(plan_id):
        client = app.test_client()
        barrier.wait()
        r = client.post(f"/api/v1/plans/{plan_id}/publish", headers=pool.headers("intermediary"))
        results[plan_id] = (r.status_code, r.get_json())

    threads = [threading.Thread(target=run, args=(p,)) for p in plan_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_two_overlapping_publishes_racing(app, client, pool, round_):
    setup_week(client, pool)
    a = make_plan(client, pool)
    b = make_plan(client, pool, start_date="2026-03-25", end_date="2026-04-02")
    results = publish_at_once(app, pool, [a, b])
    statuses = sorted(status for status, _ in results.values())
    assert statuses == [200, 409], results
    loser = next(body for status, body in results.values() if status == 409)
    assert loser["rules"] in (["overlapping_plan_published"], ["base_changed"]), loser
    winner = next(p for p, (status, _) in results.items() if status == 200)
    confirmed = [x for x in get(client, pool, "/assignments") if x["status"] == "confirmed"]
    assert confirmed and {x["plan_id"] for x in confirmed} == {winner}  # nothing of the loser was written
    assert sum(1 for p in get(client, pool, "/plans") if p["published_at"]) == 1


def test_the_same_plan_published_twice_at_once(app, client, pool):
    setup_week(client, pool)
    a = make_plan(client, pool)
    results = publish_at_once(app, pool, [a, a])
    # both threads write results[a]: check the plan and its assignments instead
    plans = get(client, pool, "/plans")
    assert [p["published_at"] is not None for p in plans] == [True]
    assert len([x for x in get(client, pool, "/assignments") if x["status"] == "confirmed"]) == 6
    assert results[a][0] in (200, 409)
