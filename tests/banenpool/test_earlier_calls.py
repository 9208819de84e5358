"""The earlier calls of many timesheets read at once (timesheets.EarlierCalls, used by the payroll
statement and invoices) price every timesheet exactly as the query per timesheet does."""
from datetime import timedelta
from decimal import Decimal

from banenpool.models import Assignment, Shift, Timesheet
from banenpool.principal import SYSTEM
from banenpool.services import registry
from banenpool.services.timesheets import EarlierCalls, approved_in_period, timesheet_pay
from tests.banenpool.test_billing import MONDAY
from tests.conftest import employer_data


def _call(session, employer_id, worker_id, start, hours, sheet_start=None, status="confirmed", sheet="approved",
          kind="worked"):
    """A shift with one worker; its hours (`sheet`: approved, submitted or None) from `sheet_start`."""
    shift = Shift(employer_id=employer_id, start=start, end=start + timedelta(hours=hours), break_minutes=0,
                  paid_hours=Decimal(hours))
    session.add(shift)
    session.flush()
    assignment = Assignment(shift_id=shift.id, worker_id=worker_id, status=status)
    session.add(assignment)
    session.flush()
    if sheet:
        begin = sheet_start or start
        session.add(Timesheet(assignment_id=assignment.id, start=begin, end=begin + timedelta(hours=hours),
                              break_minutes=0, status=sheet, kind=kind))
    session.flush()
    return assignment.id


def _priced(session, rows, earlier):
    out = {}
    for sheet, assignment, shift, worker, employer in rows:
        pay = timesheet_pay(session, sheet, assignment, shift, worker, employer, earlier)
        out[assignment.id] = (pay.cao_code, pay.waiting_on, pay.result.total,
                              [(line.kind, line.hours, line.rate, line.amount) for line in pay.result.lines])
    return out


def test_earlier_calls_read_at_once_price_as_the_query_per_timesheet(pool, session):
    weekly = registry.create_employer(session, SYSTEM, employer_data(
        name="Snoep Hengelo", kvk_number="61234508", cao_code="zoetwaren"))    # overtime over 36 h a week
    session.flush()
    sunday = MONDAY - timedelta(days=1)
    ids = {}
    for employer in (pool.employer_a, weekly.id):      # day overtime (hoveniers) and week overtime
        x, y = pool.worker_x, pool.worker_y
        ids[employer] = [
            _call(session, employer, x, sunday.replace(hour=20), 8),                # 12 h before its Monday
            *(_call(session, employer, x, MONDAY + timedelta(days=d), 10) for d in range(0, 4)),
            # two shifts with the same start: the lower shift id is the earlier one
            _call(session, employer, x, MONDAY + timedelta(days=4), 5),
            _call(session, employer, x, MONDAY + timedelta(days=4), 5, sheet_start=MONDAY + timedelta(days=4, hours=5)),
            # a shift moved back from Saturday 20:00: its hours start 11 h before its planned start
            _call(session, employer, x, MONDAY + timedelta(days=5, hours=12), 6,
                  sheet_start=MONDAY + timedelta(days=5, hours=1)),
            # a call cancelled late and paid
            _call(session, employer, x, MONDAY + timedelta(days=6), 4, status="cancelled", kind="cancelled_call"),
            # worker y: hours registered but not approved yet, so the later ones wait
            _call(session, employer, y, MONDAY, 9, sheet="submitted"),
            _call(session, employer, y, MONDAY + timedelta(days=1), 9),
            _call(session, employer, y, MONDAY + timedelta(days=2), 9, sheet=None),
            _call(session, employer, y, MONDAY + timedelta(days=7), 9),           # the next week: not waiting
        ]
    session.commit()
    rows = approved_in_period(session, sunday.date(), (MONDAY + timedelta(days=7)).date())
    one_by_one = _priced(session, rows, None)
    assert _priced(session, rows, EarlierCalls.for_rows(session, rows)) == one_by_one
    for employer in ids:       # an invoice: one employer, a period from the week's Thursday on
        own = approved_in_period(session, (MONDAY + timedelta(days=3)).date(), (MONDAY + timedelta(days=7)).date(),
                                 employer)
        assert _priced(session, own, EarlierCalls.for_rows(session, own, employer)) == {
            row.Assignment.id: one_by_one[row.Assignment.id] for row in own}
    # the set is realistic: overtime, a cancelled call paid and hours that wait are all in it
    for employer, calls in ids.items():
        assert calls[8] in one_by_one and one_by_one[calls[10]][1] == [calls[9]]
        assert one_by_one[calls[12]][1] == [] and calls[11] not in one_by_one
    assert any(line[0] == "overtime" for line in one_by_one[ids[weekly.id][6]][3])
    assert any(line[0] == "overtime" for line in one_by_one[ids[pool.employer_a][1]][3])
    # calls read for one employer answer nothing about another's timesheets: those read their own
    only_a = EarlierCalls.for_rows(session, rows, pool.employer_a)
    assert _priced(session, rows, only_a) == one_by_one
