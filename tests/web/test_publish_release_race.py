"""A plan published while the pool releases an absent worker from a call the plan keeps: both lock the
shifts they change in id order (services.shifts.lock_shifts), so the release waits for the publish and
then releases the call the plan kept (and offers the shift) — never a call taken from under a plan
that is publishing.

Each thread is its own request with its own session, as two web processes would be. The publish waits
(up to a second) after it has read the planning data; the release is sent in that moment. On SQLite
the database's write lock makes them take turns; on PostgreSQL the row locks do."""
from datetime import date

from sqlalchemy import select

from banenpool.models import Assignment, AuditLog, Plan
from banenpool.principal import SYSTEM
from banenpool.services import planning
from tests.web.test_availability_items import _absence
from tests.web.test_decline_call import _call
from tests.web.test_leaving_race import race


def test_a_release_during_a_publish_waits_for_it_and_then_releases_the_call_the_plan_kept(
        app, client, pool, session, monkeypatch):
    shift, call = _call(client, pool, session, days_ahead=10)
    day = date.fromisoformat(_absence(10)["start"][:10])
    plan = planning.create_plan(session, SYSTEM, day, day, 5)
    session.commit()
    planning.run_plan(app.extensions["banenpool.sessionmaker"], plan.id)
    session.expire_all()
    assert session.get(Plan, plan.id).kept_ids == [call]

    h = pool.headers("intermediary")
    sick = _absence(10, "sick")

    def sick_and_released(c):
        r = c.post(f"/api/v1/workers/{pool.worker_x}/absences", headers=h, json=sick)
        assert r.status_code == 201, r.get_json()
        return c.post(f"/api/v1/workers/{pool.worker_x}/absences/release", headers=h,
                      json={"start": sick["start"], "end": sick["end"]})

    # the publish waits once it has read the planning data and locked what it changes
    results = race(app, monkeypatch, planning, "_refuse_begun",
                   lambda c: c.post(f"/api/v1/plans/{plan.id}/publish", headers=h), sick_and_released)
    results = {"publish": results.get("first"), "release": results.get("second")}
    assert results["publish"][0] == 200, results
    assert results["release"][0] == 200, results
    assert [(a["id"], a["offered_to"]) for a in results["release"][1]] == [(call, [pool.worker_y])]
    session.expire_all()
    assert session.get(Assignment, call).status == "cancelled"
    published = session.scalar(select(AuditLog.id).where(AuditLog.action == "publish", AuditLog.entity_id == plan.id))
    released = session.scalar(select(AuditLog.id).where(AuditLog.entity == "assignment", AuditLog.entity_id == call,
                                                        AuditLog.action == "update"))
    assert published < released            # the release came after the publish, not under it
