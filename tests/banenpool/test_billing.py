"""Billing in the service layer: pay lines per timesheet, gap-free numbers, the VAT scheme per CAO.

`make_assignment` and `work` are the fixture factories the web tests use too.
"""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from banenpool.errors import Conflict, InvalidInput
from banenpool.models import Assignment, Invoice, Shift
from banenpool.principal import SYSTEM
from banenpool.calendar_nl import today_local
from banenpool.services import billing, registry
from tests.conftest import employer_data

AMS = ZoneInfo("Europe/Amsterdam")
SATURDAY = datetime(2026, 3, 7, 8, 0, tzinfo=AMS)
MONDAY = datetime(2026, 3, 9, 8, 0, tzinfo=AMS)


def make_assignment(session, employer_id, worker_id, start=MONDAY, hours=8.5, break_minutes=30, status="confirmed"):
    """A shift at the employer with one worker on it (no planner, no rules engine)."""
    end = start + timedelta(hours=hours)
    paid = Decimal(str(hours)) - Decimal(break_minutes) / 60
    shift = Shift(employer_id=employer_id, start=start, end=end, break_minutes=break_minutes, paid_hours=paid)
    session.add(shift)
    session.flush()
    assignment = Assignment(shift_id=shift.id, worker_id=worker_id, status=status)
    session.add(assignment)
    session.commit()
    return assignment.id


def work(client, pool, employer, worker, start=MONDAY, hours=8.5, break_minutes=30, approve=True, session=None):
    """A confirmed assignment whose hours the worker registers and the employer approves, via the API."""
    employer_id = getattr(pool, employer)
    assignment_id = make_assignment(session, employer_id, getattr(pool, worker), start, hours, break_minutes)
    body = {"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat(),
            "break_minutes": break_minutes}
    r = client.put(f"/api/v1/assignments/{assignment_id}/timesheet", headers=pool.headers(worker), json=body)
    assert r.status_code == 200, r.get_json()
    if approve:
        r = client.post(f"/api/v1/assignments/{assignment_id}/timesheet/approve", headers=pool.headers(employer))
        assert r.status_code == 200, r.get_json()
    return assignment_id


def add_taxi_employer(session, pool):
    taxi = registry.create_employer(session, SYSTEM, employer_data(
        name="Taxi Hengelo", kvk_number="61234507", vat_number="NL612345075B01", cao_code="taxi",
        tariff_factor=Decimal("2.00")))
    session.commit()
    pool.employer_taxi = taxi.id
    return taxi.id


def test_numbers_are_gap_free_per_year(session):
    assert [billing.next_number(session, 2031) for _ in range(3)] == ["2031-000001", "2031-000002", "2031-000003"]
    assert billing.next_number(session, 2032) == "2032-000001"
    session.rollback()  # a rolled-back finalisation gives its number back: no gap
    assert billing.next_number(session, 2031) == "2031-000001"
    session.commit()
    assert billing.next_number(session, 2031) == "2031-000002"


def test_invoice_lines_follow_the_pay_engine_and_tariff_factor(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", start=SATURDAY, session=session)
    invoice = billing.create_invoice(session, SYSTEM, {"employer_id": pool.employer_a,
                                                       "period_start": SATURDAY.date(), "period_end": SATURDAY.date()})
    kinds = [(line.kind, line.hours, line.wage_rate, line.rate, line.amount) for line in invoice.lines]
    # hoveniers scale A: 15.00/h; Saturday +50 % → an extra 7.50/h line; × tariff factor 1.85
    assert kinds == [("base", Decimal("8.00"), Decimal("15.00"), Decimal("27.75"), Decimal("222.00")),
                     ("surcharge", Decimal("8.00"), Decimal("7.50"), Decimal("13.88"), Decimal("111.04"))]
    assert all(line.assignment_id == a for line in invoice.lines)
    assert invoice.vat_scheme == "reverse_charge" and invoice.vat == 0 and invoice.total == Decimal("333.04")


def test_no_hours_and_missing_vat_id_are_refused(client, pool, session):
    period = {"employer_id": pool.employer_b, "period_start": MONDAY.date(), "period_end": MONDAY.date()}
    with pytest.raises(InvalidInput):
        billing.create_invoice(session, SYSTEM, period)
    work(client, pool, "employer_b", "worker_y", session=session)
    registry.update_employer(session, SYSTEM, pool.employer_b, {"vat_number": None})
    with pytest.raises(InvalidInput, match="VAT id"):  # btw verlegd needs the customer's VAT id
        billing.create_invoice(session, SYSTEM, period)


def test_two_drafts_cannot_both_be_final(client, pool, session):
    work(client, pool, "employer_a", "worker_x", session=session)
    period = {"employer_id": pool.employer_a, "period_start": MONDAY.date(), "period_end": MONDAY.date()}
    first = billing.create_invoice(session, SYSTEM, period)
    second = billing.create_invoice(session, SYSTEM, period)
    billing.finalize(session, SYSTEM, first.id)
    with pytest.raises(Conflict, match="already on a final invoice"):
        billing.finalize(session, SYSTEM, second.id)
    assert session.get(Invoice, second.id).number is None


def test_concurrent_finalisations_take_consecutive_numbers(app, client, pool, session):
    """Two requests finalising two drafts at the same moment (first numbers of the year): no duplicate, no gap."""
    import threading
    work(client, pool, "employer_a", "worker_x", session=session)
    work(client, pool, "employer_b", "worker_y", session=session)
    drafts = [billing.create_invoice(session, SYSTEM, {"employer_id": e, "period_start": MONDAY.date(),
                                                       "period_end": MONDAY.date()}).id
              for e in (pool.employer_a, pool.employer_b)]
    session.commit()
    barrier, numbers, errors = threading.Barrier(2), {}, []

    def finalise(invoice_id):
        try:
            with app.extensions["banenpool.sessionmaker"]() as own:
                barrier.wait(timeout=10)
                numbers[invoice_id] = billing.finalize(own, SYSTEM, invoice_id).number
                own.commit()
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=finalise, args=(i,)) for i in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    year = today_local().year
    assert sorted(numbers.values()) == [f"{year}-000001", f"{year}-000002"]
    session.expire_all()
    assert sorted(session.get(Invoice, i).number for i in drafts) == sorted(numbers.values())


def test_concurrent_finalisations_never_bill_hours_twice(app, client, pool, session):
    """Two drafts with the same hours, finalised by two requests at once: the second one sees the first
    one's final invoice once that commits and gets a 409, instead of billing the hours a second time."""
    import threading
    import time
    work(client, pool, "employer_a", "worker_x", session=session)
    period = {"employer_id": pool.employer_a, "period_start": MONDAY.date(), "period_end": MONDAY.date()}
    first, second = (billing.create_invoice(session, SYSTEM, period).id for _ in range(2))
    session.commit()
    results = {}

    def finalise_second():
        with app.extensions["banenpool.sessionmaker"]() as own:
            try:
                results["second"] = billing.finalize(own, SYSTEM, second).number
                own.commit()
            except Conflict as exc:
                results["second"] = exc

    with app.extensions["banenpool.sessionmaker"]() as own:
        billing.finalize(own, SYSTEM, first)  # not committed yet when the second request starts
        racer = threading.Thread(target=finalise_second)
        racer.start()
        time.sleep(1)  # the second request is now waiting for the first one's transaction
        own.commit()
    racer.join(timeout=60)
    assert isinstance(results["second"], Conflict) and "already on a final invoice" in str(results["second"])
    session.expire_all()
    assert [session.get(Invoice, i).status for i in (first, second)] == ["final", "draft"]
    assert session.get(Invoice, second).number is None
