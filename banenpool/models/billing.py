"""Worked hours per assignment (timesheets), invoices with their lines, and the gap-free number counter.

Invoices keep a snapshot of both parties (`parties`) and of every line, so a final invoice
shows exactly what was issued even when an employer, a worker or an assignment changes later.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from banenpool.db import Base, UTCDateTime, utcnow


class Timesheet(Base):
    """The hours actually worked on one assignment; `approved` hours are billable and never change."""

    __tablename__ = "timesheets"
    __table_args__ = (CheckConstraint("status IN ('submitted', 'approved')", name="ck_timesheet_status"),
                      CheckConstraint("break_minutes >= 0", name="ck_timesheet_break"),
                      CheckConstraint("kind IN ('worked', 'cancelled_call')", name="ck_timesheet_kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), unique=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    break_minutes: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10), default="submitted")
    # `cancelled_call`: the planned hours of a call cancelled less than 4 days ahead, paid as worked
    kind: Mapped[str] = mapped_column(String(20), default="worked", server_default="worked")
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment = relationship("Assignment")


class Invoice(Base):
    """An invoice (`kind` invoice) or credit note (`kind` credit_note) to one employer for one period."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'final', 'credited')", name="ck_invoice_status"),
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="ck_invoice_kind"),
        CheckConstraint("vat_scheme IN ('standard', 'reverse_charge')", name="ck_invoice_vat_scheme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="invoice")
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    issue_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    credit_of_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    vat_scheme: Mapped[str] = mapped_column(String(16), default="standard")
    vat_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    subtotal: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    vat: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    buyer_reference: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    parties: Mapped[dict] = mapped_column(JSON)  # {"seller": {...}, "buyer": {...}} as issued
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lines: Mapped[list["InvoiceLine"]] = relationship(back_populates="invoice", cascade="all, delete-orphan",
                                                      order_by="InvoiceLine.position")
    credit_of: Mapped["Invoice | None"] = relationship(remote_side=[id])


class InvoiceLine(Base):
    """One pay element of one approved timesheet × the tariff factor: amount = hours × rate, to the cent."""

    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="SET NULL"),
                                                      index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id", ondelete="SET NULL"))
    worker_name: Mapped[str] = mapped_column(String(200))
    work_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # base | surcharge | overtime | minimum_call
    description: Mapped[str] = mapped_column(String(300))
    hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    rate: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    wage_rate: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # the worker's pay rate before the tariff factor
    vat_category: Mapped[str] = mapped_column(String(2))  # S (21 %) or AE (reverse charge)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class InvoiceCounter(Base):
    """The last invoice number issued per year; incremented in the finalising transaction (gap-free)."""

    __tablename__ = "invoice_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class PayrollPeriod(Base):
    """A closed payroll period ("verloning definitief"): the payroll-sharing statement as it was paid,
    kept as issued (`statement`: amounts as decimal strings, services/payroll.py), with the
    corrections of earlier closed periods it carried. Closed periods do not overlap."""

    __tablename__ = "payroll_periods"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="ck_payroll_period_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, unique=True)
    period_end: Mapped[date] = mapped_column(Date)
    statement: Mapped[dict] = mapped_column(JSON)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_by_email: Mapped[str | None] = mapped_column(String(254))  # as it was when closed
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
