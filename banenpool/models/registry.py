"""Employers, pool workers, their contracts, availability and absences."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Numeric, String, Time, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from banenpool.calendar_nl import FIRST_DAY, today_local
from banenpool.db import Base, UTCDateTime


class Employer(Base):
    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kvk_number: Mapped[str] = mapped_column(String(8), unique=True)
    vat_number: Mapped[str | None] = mapped_column(String(14))
    sector: Mapped[str | None] = mapped_column(String(60))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(7))
    city: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    tariff_factor: Mapped[Decimal] = mapped_column(Numeric(6, 4), default=Decimal("1.80"))
    invoice_email: Mapped[str | None] = mapped_column(String(254))
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # "e-…": feed of staffed shifts

    # the employer's CAO through time, oldest first (services/employer_caos.py changes it)
    caos: Mapped[list["EmployerCao"]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                     order_by="EmployerCao.valid_from")

    def cao_on(self, day: date) -> str | None:
        """The code of the employer's CAO on `day` (an Amsterdam day; for hours, the day their shift
        starts): the latest change from that day or before; the first CAO holds for every day before
        it (it is the CAO the employer was registered with)."""
        code = self.caos[0].cao_code if self.caos else None
        for row in self.caos:
            if row.valid_from > day:
                break
            code = row.cao_code
        return code

    @property
    def cao_code(self) -> str | None:
        """The CAO in force today (Amsterdam)."""
        return self.cao_on(today_local())

    @cao_code.setter
    def cao_code(self, code: str) -> None:
        """The CAO of a new employer, from the start; a registered employer's CAO changes on a date
        (services.employer_caos.change_cao)."""
        if self.caos:
            raise AttributeError("an employer's CAO changes on a date: services.employer_caos.change_cao")
        self.caos = [EmployerCao(cao_code=code, valid_from=FIRST_DAY)]


class EmployerCao(Base):
    """From `valid_from` (an Amsterdam day) on, until the employer's next row, the employer's CAO is
    `cao_code`. An employer's first row holds from FIRST_DAY (from the start)."""

    __tablename__ = "employer_caos"
    __table_args__ = (UniqueConstraint("employer_id", "valid_from", name="uq_employer_caos_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"))
    cao_code: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)


class Worker(Base):
    __tablename__ = "workers"
    __table_args__ = (
        CheckConstraint("0 <= min_hours_per_week AND min_hours_per_week <= target_hours_per_week "
                        "AND target_hours_per_week <= max_hours_per_week AND max_hours_per_week <= 60",
                        name="ck_worker_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # stored normalised (services.auth)
    phone: Mapped[str | None] = mapped_column(String(30))
    birth_date: Mapped[date] = mapped_column(Date)
    postcode: Mapped[str | None] = mapped_column(String(7))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    target_hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    max_hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(40))
    max_travel_km: Mapped[float | None]
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # the last day the worker belongs to the pool ("uit dienst per"); null: they do (services/leaving.py)
    left_on: Mapped[date | None] = mapped_column(Date)

    contracts: Mapped[list["Contract"]] = relationship(back_populates="worker", cascade="all, delete-orphan",
                                                      order_by="Contract.id")
    weekly: Mapped[list["WeeklyAvailability"]] = relationship(
        cascade="all, delete-orphan", order_by="(WeeklyAvailability.weekday, WeeklyAvailability.start)")
    absences: Mapped[list["Absence"]] = relationship(cascade="all, delete-orphan", order_by="Absence.start")
    school_holidays: Mapped[list["SchoolHoliday"]] = relationship(cascade="all, delete-orphan",
                                                                  order_by="SchoolHoliday.first_day")

    def school_holiday_days(self) -> tuple[tuple[date, date], ...]:
        """The school holidays as contracts.compliance takes them: (first day, last day), both included."""
        return tuple((h.first_day, h.last_day) for h in self.school_holidays)


class Contract(Base):
    __tablename__ = "contracts"
    __table_args__ = (CheckConstraint("kind IN ('fixed', 'min_max', 'on_call')", name="ck_contract_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    cao_code: Mapped[str] = mapped_column(String(40))
    scale: Mapped[str | None] = mapped_column(String(40))
    hourly_wage: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # made for a fixed term (an end date when it was made); a permanent contract that ends later is not,
    # and is no link of a chain (contracts/chain.py)
    fixed_term: Mapped[bool] = mapped_column(default=False, server_default=false())
    # base hours as fixed weekly shifts at the employer: [{"weekday": 0-6, "start": "HH:MM",
    # "end": "HH:MM", "break_minutes": n}]; null = none (see services/instance_builder.py)
    base_pattern: Mapped[list[dict] | None] = mapped_column(JSON(none_as_null=True))
    # the last offer of fixed hours made to an on-call or min-max worker (art. 7:628a lid 5 BW;
    # services/fixed_hours.py): when, and how many hours per week
    fixed_hours_offered_on: Mapped[date | None] = mapped_column(Date)
    fixed_hours_offered: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    worker: Mapped[Worker] = relationship(back_populates="contracts")
    employer: Mapped[Employer | None] = relationship()


class WeeklyAvailability(Base):
    """A recurring window: weekday 0 = Monday, local Europe/Amsterdam wall-clock times."""

    __tablename__ = "weekly_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)


class Absence(Base):
    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(40), default="leave")


class SchoolHoliday(Base):
    """A school holiday of a young worker (their school's region): first through last day, both
    included, Amsterdam days. At 15 the Working Hours Act allows 8 h a day then, 2 h on a school day."""

    __tablename__ = "school_holidays"
    __table_args__ = (CheckConstraint("first_day <= last_day", name="ck_school_holiday_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
