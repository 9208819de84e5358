"""Planning jobs and the outbox of messages to workers about their schedule."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from banenpool.db import Base, UTCDateTime, utcnow


class Plan(Base):
    """One run of the planner over a period: the exact instance it solved and what came out.

    Proposed assignments (`Assignment.plan_id`) are written only in the job's final transaction,
    so a plan is either done with all of them or has none.
    """

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="ck_plan_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    time_limit_seconds: Mapped[float] = mapped_column(Float)
    keep_published: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    instance: Mapped[dict] = mapped_column(JSON)
    base_assignments: Mapped[list] = mapped_column(JSON, default=list)  # confirmed in the period: [[id, shift, worker]]
    fingerprint: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict | None] = mapped_column(JSON)  # solver status, metrics, bound, unfilled, seconds
    changes: Mapped[dict | None] = mapped_column(JSON)  # {"kept", "dropped", "added"} counts
    kept_ids: Mapped[list] = mapped_column(JSON, default=list)  # confirmed assignments the plan keeps
    dropped_ids: Mapped[list] = mapped_column(JSON, default=list)  # confirmed ones it would cancel
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # shifts of the period that began before this moment are kept as they were (confirmed workers
    # fixed, nobody added or dropped); null: the plan may change begun shifts too (include_started)
    frozen_before: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxMessage(Base):
    """A message about a change in one worker's schedule, delivered by a pluggable sender: to the worker
    (`recipient` "worker"), or about them to the pool ("intermediary") or to the employer whose shift it
    is ("employer", the payload's `employer_id`)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(20), default="worker", server_default="worker")
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
