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


def _finalise(a, invoice):
    return lambda s: billing.finalize(s, SYSTEM, invoice).number


def _reopen(a, invoice):
    return lambda s: timesheets.reopen(s, SYSTEM, a).status


@pytest.mark.parametrize("first, second, rule, invoice_status, sheet_status", [
    (_finalise, _reopen, "timesheet_billed", "final", "approved"),     # the reopen waits, then is refused
    (_reopen, _finalise, "hours_changed", "draft", "submitted"),       # the finalisation waits, then is refused
])
def test_the_second_of_a_reopen_and_a_finalisation_waits_and_is_refused(app, client, pool, session, first, second,
                                                                        rule, invoice_status, sheet_status):
    a, invoice = _draft(client, pool, session)
    with app.extensions["banenpool.sessionmaker"]() as own:
        first(a, invoice)(own)                   # not committed yet when the second request starts
        thread, result = _in_thread(app, second(a, invoice))
        time.sleep(1)
        own.commit()
    thread.join(timeout=60)
    assert isinstance(result["value"], Conflict) and result["value"].rules == [rule]
    session.expire_all()
    assert session.get(Invoice, invoice).status == invoice_status
    assert session.query(Timesheet).filter_by(assignment_id=a).one().status == sheet_status
