"""ORM models. Every datetime column is UTC in the database and aware in Python."""
from banenpool.db import Base
from banenpool.models.audit import AuditLog
from banenpool.models.auth import ApiToken, LoginFailure, User
from banenpool.models.billing import Invoice, InvoiceCounter, InvoiceLine, PayrollPeriod, Timesheet
from banenpool.models.planning import Assignment, CapacityRequest, Shift
from banenpool.models.plans import OutboxMessage, Plan
from banenpool.models.registry import (Absence, Contract, Employer, EmployerCao, SchoolHoliday,
                                       WeeklyAvailability, Worker)

__all__ = [
    "Base", "AuditLog", "ApiToken", "LoginFailure", "User", "Assignment", "CapacityRequest", "Shift",
    "Absence", "Contract", "Employer", "EmployerCao", "SchoolHoliday", "WeeklyAvailability", "Worker",
    "OutboxMessage", "Plan",
    "Invoice", "InvoiceCounter", "InvoiceLine", "PayrollPeriod", "Timesheet",
]
