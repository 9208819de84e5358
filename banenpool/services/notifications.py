"""Messages about workers' schedules (`schedule_changed`), open shifts offered to workers
(`shifts_offered`), and, for a shift a worker took themselves, to the pool and the employer
(`shift_taken`): written to an outbox in the same transaction as the change, delivered later by a
pluggable sender (the log sender by default; no e-mail here).

Delivery runs every minute in the queue consumer (banenpool.queue.deliver_outbox_task) and on
demand with `banenpool deliver-outbox`. `BANENPOOL_OUTBOX_SENDER=package.module:function` names
another sender: a callable taking one OutboxMessage that raises when it could not deliver.
"""
from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS
from banenpool.db import utcnow
from banenpool.models import Assignment, OutboxMessage, Shift

log = logging.getLogger("banenpool.notifications")
MAX_ATTEMPTS = 5
Sender = Callable[[OutboxMessage], None]


def _line(a: Assignment) -> dict:
    return {"assignment_id": a.id, "shift_id": a.shift_id, "employer_id": a.shift.employer_id,
            "start": a.start.astimezone(AMS).isoformat(), "end": a.end.astimezone(AMS).isoformat()}


def _shift_line(s: Shift) -> dict:
    return {"shift_id": s.id, "employer_id": s.employer_id, "start": s.start.astimezone(AMS).isoformat(),
            "end": s.end.astimezone(AMS).isoformat()}


def schedule_changed(session: Session, reason: str, added: Iterable[Assignment] = (),
                     cancelled: Iterable[Assignment] = ()) -> list[OutboxMessage]:
    """One outbox row per worker whose schedule changed, listing what was added and cancelled."""
    per_worker: dict[int, dict[str, list[dict]]] = {}
    for kind, rows in (("added", added), ("cancelled", cancelled)):
        for a in rows:
            per_worker.setdefault(a.worker_id, {"added": [], "cancelled": []})[kind].append(_line(a))
    messages = []
    for worker_id in sorted(per_worker):
        change = per_worker[worker_id]
        for lines in change.values():
            lines.sort(key=lambda line: line["start"])
        messages.append(OutboxMessage(worker_id=worker_id, kind="schedule_changed", attempts=0,
                                      payload={"reason": reason, **change}, created_at=utcnow()))
    session.add_all(messages)
    return messages


def shifts_offered(session: Session, reason: str, offers: dict[int, list[Shift]]) -> list[OutboxMessage]:
    """One outbox row per worker (by id, ascending) telling them of open shifts they could take:
    `{"reason", "offered": [{"shift_id", "employer_id", "start", "end"}]}`; whoever answers first
    takes it (the worker on their open-shifts page, or the pool)."""
    messages = [OutboxMessage(worker_id=worker_id, kind="shifts_offered", attempts=0, created_at=utcnow(),
                              payload={"reason": reason, "offered": [_shift_line(s) for s in
                                                                     sorted(shifts, key=lambda s: (s.start, s.id))]})
                for worker_id, shifts in sorted(offers.items())]
    session.add_all(messages)
    return messages


def shift_taken(session: Session, assignment: Assignment) -> list[OutboxMessage]:
    """The pool and the shift's employer told that a worker took an open shift themselves (one
    outbox row each, `recipient` "intermediary" and "employer"; the worker's own notice is
    schedule_changed)."""
    payload = {"reason": "taken by the worker", "worker_id": assignment.worker_id, **_line(assignment)}
    messages = [OutboxMessage(worker_id=assignment.worker_id, recipient=recipient, kind="shift_taken",
                              attempts=0, payload=payload, created_at=utcnow())
                for recipient in ("intermediary", "employer")]
    session.add_all(messages)
    return messages


def log_sender(message: OutboxMessage) -> None:
    p = message.payload
    if message.kind == "shifts_offered":
        log.info("to worker %s: %s — %d open shift(s) offered", message.worker_id, p.get("reason"),
                 len(p.get("offered", [])))
        return
    if message.recipient != "worker":
        log.info("to the %s (employer %s): worker %s, %s: shift %s", message.recipient, p.get("employer_id"),
                 message.worker_id, p.get("reason"), p.get("shift_id"))
        return
    log.info("to worker %s: %s — %d added, %d cancelled", message.worker_id, p.get("reason"),
             len(p.get("added", [])), len(p.get("cancelled", [])))


def load_sender(spec: str | None) -> Sender:
    """`package.module:function` → that callable; empty or None → the log sender."""
    if not spec:
        return log_sender
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"outbox sender {spec!r}: write it as package.module:function")
    sender = getattr(importlib.import_module(module_name), attr, None)
    if not callable(sender):
        raise ValueError(f"outbox sender {spec!r}: {attr} is not a callable in {module_name}")
    return sender


def configured_sender() -> Sender:
    return load_sender(os.environ.get("BANENPOOL_OUTBOX_SENDER"))


def deliver_outbox(session: Session, sender: Sender = log_sender, limit: int = 100) -> int:
    """Send pending messages (oldest first); a failing one is retried up to MAX_ATTEMPTS times.

    Returns how many were sent. The caller commits. On PostgreSQL the rows are locked with SKIP
    LOCKED, so two deliverers running at once (the periodic task and the CLI) never send one twice.
    """
    pending = session.scalars(select(OutboxMessage)
                              .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
                              .order_by(OutboxMessage.id).limit(limit)
                              .with_for_update(skip_locked=True)).all()
    sent = 0
    for message in pending:
        message.attempts += 1
        try:
            sender(message)
        except Exception as exc:  # the sender is pluggable: any failure just leaves it pending
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            continue
        message.sent_at, message.last_error = utcnow(), None
        sent += 1
    return sent
