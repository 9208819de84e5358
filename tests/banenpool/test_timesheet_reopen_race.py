"""Reopening approved hours while the intermediary finalises the invoice that holds them: the two
take turns, so a final invoice never holds hours whose approval was taken back."""
import threading
import time

import pytest

from banenpool.errors import Conflict
from banenpool.models import Invoice, Timesheet
from banenpool.principal import SYSTEM
from banenpool.services import billing, timesheets
from tests.banenpool.test_billing import MONDAY, work


def _draft(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session)
    invoice = billing.create_invoice(session, SYSTEM, {"employer_id": pool.employer_a, "period_start": MONDAY.date(),
                                                       "period_end": MONDAY.date()}).id
    session.commit()
    return a, invoice


def _in_thread(app, action):
    """Run action(own_session) in another request's transaction; its result or Conflict."""
    result = {}

    def run():
        with app.extensions["banenpool.sessionmaker"]() as own:
            try:
                result["value"] = action(own)
                own.commit()
            except Conflict as exc:
                result["value"] = exc
    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_reopen_waits_for_a_finalisation_and_is_then_refused(app, client, pool, session):
    a, invoice = _draft(client, pool, session)
    with app.extensions["banenpool.sessionmaker"]() as own:
        billing.finalize(own, SYSTEM, invoice)     # not committed yet when the reopen starts
        thread, result = _in_thread(app, lambda s: timesheets.reopen(s, SYSTEM, a).status)
        time.sleep(1)
        own.commit()
    thread.join(timeout=60)
    assert isinstance(result["value"], Conflict) and result["value"].rules == ["timesheet_billed"]
    session.expire_all()
    assert session.get(Invoice, invoice).status == "final"
    assert session.query(Timesheet).filter_by(assignment_id=a).one().status == "approved"


def test_finalisation_waits_for_a_reopen_and_is_then_refused(app, client, pool, session):
    a, invoice = _draft(client, pool, session)
    with app.extensions["banenpool.sessionmaker"]() as own:
        timesheets.reopen(own, SYSTEM, a)           # not committed yet when the finalisation starts
        thread, result = _in_thread(app, lambda s: billing.finalize(s, SYSTEM, invoice).number)
        time.sleep(1)
        own.commit()
    thread.join(timeout=60)
    assert isinstance(result["value"], Conflict) and result["value"].rules == ["hours_changed"]
    session.expire_all()
    assert session.get(Invoice, invoice).status == "draft"
    assert session.query(Timesheet).filter_by(assignment_id=a).one().status == "submitted"
