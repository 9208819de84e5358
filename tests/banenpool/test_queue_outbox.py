"""Outbox delivery: `banenpool deliver-outbox` and the consumer's periodic task, on the real database."""
import logging

from click.testing import CliRunner
from sqlalchemy import select

from banenpool import queue
from banenpool.cli import main
from banenpool.models import OutboxMessage

SENT = []


def recording_sender(message):
    SENT.append((message.worker_id, message.payload["reason"]))


def refusing_sender(message):
    raise ConnectionError("smtp down")


def _outbox(session, pool, n=2):
    session.add_all([OutboxMessage(worker_id=w, kind="schedule_changed", payload={"reason": f"r{i}", "added": [],
                                                                                   "cancelled": []})
                     for i, w in enumerate([pool.worker_x, pool.worker_y][:n])])
    session.commit()


def _env(db_url, tmp_path, **extra):
    return {"DATABASE_URL": db_url, "BANENPOOL_SECRET_KEY": "x", "BANENPOOL_INSTANCE_DIR": str(tmp_path),
            "BANENPOOL_OUTBOX_SENDER": None, **extra}


def _pending(session):
    session.expire_all()
    return session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
                           .order_by(OutboxMessage.id)).all()


def test_cli_delivers_with_the_log_sender(session, pool, db_url, tmp_path, caplog):
    _outbox(session, pool)
    with caplog.at_level(logging.INFO, logger="banenpool.notifications"):
        r = CliRunner().invoke(main, ["deliver-outbox"], env=_env(db_url, tmp_path))
    assert r.exit_code == 0, r.output
    assert "sent 2 message(s); 0 still pending" in r.output
    assert _pending(session) == []
    assert [rec.getMessage() for rec in caplog.records] == [
        f"to worker {pool.worker_x}: r0 — 0 added, 0 cancelled", f"to worker {pool.worker_y}: r1 — 0 added, 0 cancelled"]
    again = CliRunner().invoke(main, ["deliver-outbox"], env=_env(db_url, tmp_path))
    assert "sent 0 message(s); 0 still pending" in again.output  # nothing is sent twice


def test_cli_pluggable_sender_limit_and_failures(session, pool, db_url, tmp_path):
    _outbox(session, pool)
    SENT.clear()
    here = __name__
    r = CliRunner().invoke(main, ["deliver-outbox", "--limit", "1", "--sender", f"{here}:recording_sender"],
                           env=_env(db_url, tmp_path))
    assert r.exit_code == 0 and "sent 1 message(s); 1 still pending" in r.output and SENT == [(pool.worker_x, "r0")]
    r = CliRunner().invoke(main, ["deliver-outbox"], env=_env(db_url, tmp_path,
                                                              BANENPOOL_OUTBOX_SENDER=f"{here}:refusing_sender"))
    assert r.exit_code == 0 and "sent 0 message(s); 1 still pending" in r.output
    [left] = _pending(session)
    assert left.worker_id == pool.worker_y and left.attempts == 1 and left.last_error == "ConnectionError: smtp down"
    for spec in ("no-colon", f"{here}:nothing_here", "banenpool.no_such_module:send"):
        bad = CliRunner().invoke(main, ["deliver-outbox", "--sender", spec], env=_env(db_url, tmp_path))
        assert bad.exit_code != 0 and "Error" in bad.output, spec
    assert len(_pending(session)) == 1  # a bad sender setting touches nothing


def test_periodic_task_runs_every_minute_and_delivers(session, pool, db_url, monkeypatch):
    from datetime import datetime
    for h, m in ((0, 0), (9, 17), (23, 59)):  # what the consumer's scheduler enqueues at that minute
        due = queue.huey.read_periodic(datetime(2026, 3, 23, h, m))
        assert [t.name for t in due] == ["deliver_outbox_task"]
    _outbox(session, pool)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("BANENPOOL_OUTBOX_SENDER", f"{__name__}:recording_sender")
    SENT.clear()
    assert queue.deliver_outbox_task.call_local() == 2  # what the consumer runs each minute
    assert SENT == [(pool.worker_x, "r0"), (pool.worker_y, "r1")] and _pending(session) == []
