"""Capacity requests, the concrete shifts they expand into, and assignments of workers."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Numeric, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from banenpool.db import Base, UTCDateTime, utcnow


class CapacityRequest(Base):
    __tablename__ = "capacity_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    scale: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[float] = mapped_column(default=1.0)
    pattern: Mapped[list[dict]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    shifts: Mapped[list["Shift"]] = relationship(back_populates="request", cascade="all, delete-orphan",
                                                 order_by="Shift.start")


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (CheckConstraint("headcount >= 1", name="ck_shift_headcount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("capacity_requests.id", ondelete="CASCADE"),
                                                   index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    break_minutes: Mapped[int] = mapped_column(default=0)
    paid_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    headcount: Mapped[int] = mapped_column(default=1)
    priority: Mapped[float] = mapped_column(default=1.0)
    scale: Mapped[str | None] = mapped_column(String(40))
    public_holiday: Mapped[str | None] = mapped_column(String(60))
    # called off before it began (by the employer or the pool): no longer planned or shown as
    # demand; its assignments are cancelled, and kept, with any wages owed for them
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    # how often its times changed (assignments.move_shift): calendars raise their SEQUENCE with it
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    request: Mapped[CapacityRequest | None] = relationship(back_populates="shifts")
    assignments: Mapped[list["Assignment"]] = relationship(back_populates="shift")


class Assignment(Base):
    """A worker on a shift: `proposed` by a plan, `confirmed` once published, or `cancelled`."""

    __tablename__ = "assignments"
    __table_args__ = (CheckConstraint("status IN ('proposed', 'confirmed', 'cancelled')", name="ck_assignment_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="confirmed")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # the call: when the worker was given the shift (published or assigned by hand); null: made
    # before this was recorded, then created_at stands for it
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the worker refused a call made less than 4 days ahead (art. 7:628a BW); the assignment is cancelled
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the worker took this open shift themselves (services/open_shifts.py): no call, so not one they refuse
    taken_by_worker: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the times the worker was called for, kept when the shift moved and they no longer have it
    # (null: the shift's own times)
    called_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_end: Mapped[datetime | None] = mapped_column(UTCDateTime)

    shift: Mapped[Shift] = relationship(back_populates="assignments")

    @property
    def start(self) -> datetime:
        """The times of this assignment as the worker was given them: the shift's, or those it had
        when it moved away from them (called_start/called_end)."""
        return self.called_start or self.shift.start

    @property
    def end(self) -> datetime:
        return self.called_end or self.shift.end
