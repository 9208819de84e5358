"""What a payroll clerk checks of guaranteed hours and closed periods: a week is paid its guarantee
once, whatever is waiting, left out or closed; corrections are carried once."""
from datetime import date, datetime, timedelta

from tests.banenpool.test_billing import AMS, MONDAY, make_assignment, work
from tests.banenpool.test_payroll_guarantee import WEEK, contract, statement, worker_row

TUESDAY = MONDAY + timedelta(days=1)


def test_hours_waiting_behind_a_shift_counted_as_not_worked_do_not_lower_the_top_up(client, pool, session):
    """The worker did not come on Monday (no hours, long ago: not worked) and worked 5 h on Tuesday;
    Tuesday's pay waits for Monday's hours under the day's overtime rule, so it is not on the
    statement: the guarantee is paid in full, not less the hours nobody pays."""
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    no_show = make_assignment(session, pool.employer_a, pool.worker_x, MONDAY, hours=4.5)
    tuesday = work(client, pool, "employer_a", "worker_x", start=TUESDAY, hours=5.5, session=session)
    data = statement(client, pool, WEEK)
    assert [(w["assignment_id"], w["waiting_on"]) for w in data["waiting"]] == [(tuesday, [no_show])]
    (part,) = worker_row(data, pool.worker_x)["employers"]
    (line,) = part["guarantee_top_ups"]
    assert (line["paid_hours"], line["hours"], line["not_worked"]) == ("0.00", "12.00", [no_show])
    assert (part["hours"], part["paid_hours"], part["gross_pay"]) == ("0.00", "12.00", "180.00")


def test_hours_that_cannot_be_priced_yet_do_not_lower_the_top_up(client, pool, session):
    """Hours at an employer whose CAO has no version in force that day are left out (unpriced): the
    contract's own CAO still prices the guarantee, and it is paid in full until those hours are paid."""
    from banenpool.principal import SYSTEM
    from banenpool.services import registry
    from tests.banenpool.test_invoice_pay_review import approved_work
    from tests.conftest import employer_data
    zoet = registry.create_employer(session, SYSTEM, employer_data(
        name="Zoet BV", kvk_number="61234508", vat_number="NL612345087B01", cao_code="zoetwaren"))
    session.commit()
    pool.employer_zoet = zoet.id
    contract(client, pool, "worker_x", "employer_zoet", "min_max", "12", start="2024-11-01")
    day = date(2024, 12, 2)         # a Monday; zoetwaren's first version starts 1 January 2025
    approved_work(client, pool, session, zoet.id, datetime(2024, 12, 2, 8, tzinfo=AMS))
    week = {"period_start": day.isoformat(), "period_end": (day + timedelta(days=6)).isoformat()}
    data = statement(client, pool, week)
    assert [u["date"] for u in data["unpriced"]] == [day.isoformat()]
    (part,) = worker_row(data, pool.worker_x)["employers"]
    assert (part["guarantee_top_ups"][0]["paid_hours"], part["guarantee_hours"]) == ("0.00", "12.00")
