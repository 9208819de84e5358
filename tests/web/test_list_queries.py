"""The scoped lists read their rows in a fixed number of queries, however long they are: each row's
shift (and a timesheet's assignment) comes with it, not one query per row."""
from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.banenpool.test_billing import MONDAY, make_assignment, work


def _queries(client, path, headers) -> int:
    count = [0]

    def seen(*_args, **_kwargs):
        count[0] += 1
    event.listen(Engine, "before_cursor_execute", seen)
    try:
        r = client.get(path, headers=headers)
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert r.status_code == 200, r.get_json()
    return count[0]


def test_assignments_and_timesheets_take_as_many_queries_for_many_rows_as_for_few(client, pool, session):
    h = pool.headers("intermediary")
    for day in range(2):
        work(client, pool, "employer_a", "worker_x", start=MONDAY + timedelta(days=day), session=session)
    few = [_queries(client, p, h) for p in ("/api/v1/assignments", "/api/v1/timesheets")]
    for day in range(2, 14):
        work(client, pool, "employer_a" if day % 2 else "employer_b", "worker_x",
             start=MONDAY + timedelta(days=day), session=session)
        make_assignment(session, pool.employer_b, pool.worker_y, start=MONDAY + timedelta(days=day))
    many = [_queries(client, p, h) for p in ("/api/v1/assignments", "/api/v1/timesheets")]
    assert many == few
    assert len(client.get("/api/v1/assignments", headers=h).get_json()) == 26
