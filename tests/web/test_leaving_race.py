"""A worker's last day in the pool set while another request gives them a later shift (a manual
assignment, a plan's publishing): they take turns on the worker, so the one that comes second sees
the other's work and refuses — never a worker who left with confirmed shifts after their last day.

Each thread is its own request with its own session, as two web processes would be. The request that
sets the last day waits (up to a second) after reading the worker's later shifts, so that the other
one runs in that moment if nothing keeps it out."""
import threading
from datetime import time

from sqlalchemy import select

from banenpool.models import Assignment, Shift, Worker
from banenpool.principal import SYSTEM
from banenpool.services import leaving, planning, registry
from tests.banenpool.test_billing import MONDAY
from tests.web.test_worker_leaving import ALL_WEEK, TUESDAY, _shift

LAST_DAY = MONDAY.date().isoformat()


def race(app, monkeypatch, module, name: str, first, second) -> dict:
    """Run `first(client)` in one thread and `second(client)` in another, in the moment after the first
    has passed `module.name` (which then waits up to a second for the second to finish); both
    responses, {"first"|"second": (status, json)}."""
    read, done, results = threading.Event(), threading.Event(), {}
    checked = getattr(module, name)

    def slow(*args):
        out = checked(*args)
        read.set()
        done.wait(1.0)
        return out

    monkeypatch.setattr(module, name, slow)

    def run(key, request, after=None):
        if after is not None:
            after.wait(5)
        try:
            r = request(app.test_client())
            results[key] = r.status_code, r.get_json()
        finally:
            if after is not None:
                done.set()

    threads = [threading.Thread(target=run, args=("first", first)),
               threading.Thread(target=run, args=("second", second, read))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _race(app, pool, monkeypatch, other):
    """Set worker x's last day to Monday in one thread while `other(client)` runs in another, in the
    moment after the first read the worker's later shifts; both responses."""
    results = race(app, monkeypatch, leaving, "_require_nothing_after", lambda c: c.patch(
        f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"), json={"left_on": LAST_DAY}), other)
    return {"leave": results.get("first"), "other": results.get("second")}


def _left_with_later_shifts(session, pool) -> list[int]:
    session.expire_all()
    worker = session.get(Worker, pool.worker_x)
    if worker.left_on is None:
        return []
    return [a.id for a in session.scalars(select(Assignment).join(Shift, Assignment.shift_id == Shift.id).where(
        Assignment.worker_id == pool.worker_x, Assignment.status == "confirmed",
        Shift.start >= leaving.pool_end(worker.left_on)))]


def test_a_manual_assignment_while_the_last_day_is_set(app, client, pool, session, monkeypatch):
    registry.set_availability(session, SYSTEM, pool.worker_x, ALL_WEEK, [])
    session.commit()
    tuesday = _shift(session, pool.employer_a, TUESDAY)
    results = _race(app, pool, monkeypatch, lambda c: c.post(
        "/api/v1/assignments", headers=pool.headers("intermediary"),
        json={"shift_id": tuesday, "worker_id": pool.worker_x}))
    statuses = sorted(status for status, _ in results.values())
    assert statuses == [200, 409], results
    assert results["other"][0] == 409 and results["other"][1]["rules"] == ["worker_left"], results
    assert _left_with_later_shifts(session, pool) == []


def test_publishing_a_plan_while_the_last_day_is_set(app, client, pool, session, monkeypatch):
    registry.set_availability(session, SYSTEM, pool.worker_x, ALL_WEEK, [])
    tuesday = _shift(session, pool.employer_a, TUESDAY, start=time(9))
    plan = planning.create_plan(session, SYSTEM, TUESDAY, TUESDAY, 5, include_started=True)
    session.commit()
    planning.run_plan(app.extensions["banenpool.sessionmaker"], plan.id)
    session.expire_all()
    proposed = session.scalars(select(Assignment).where(Assignment.plan_id == plan.id)).all()
    assert [(a.shift_id, a.worker_id) for a in proposed] == [(tuesday, pool.worker_x)]
    results = _race(app, pool, monkeypatch, lambda c: c.post(
        f"/api/v1/plans/{plan.id}/publish", headers=pool.headers("intermediary")))
    assert sorted(status for status, _ in results.values()) == [200, 409], results
    assert results["other"][0] == 409 and results["other"][1]["rules"] == ["base_changed"], results
    assert _left_with_later_shifts(session, pool) == []
