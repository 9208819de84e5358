"""Review 4: the compliance check's minimum wage (WML) test takes the rate of the day a shift
STARTS only. The WML changes at midnight (every 1 January and 1 July, nl-facts §1: "The WML is
indexed every 1 January and 1 July [8]"), and a worker's age can change at midnight too
("Use the worker's age on the day of work", nl-facts §1). Hours worked after midnight on the new
day must pay at least the new minimum; the pay engine (contracts/pay.py `_rates_by_day`) already
raises them, but the rules engine (contracts/compliance_pay.py `minimum_wage`) does not report the
contract wage as too low for them.
"""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from contracts.cao import catalogue
from contracts.compliance import WorkItem, check_schedule
from contracts.pay import preview_pay

AMS = ZoneInfo("Europe/Amsterdam")
ADULT = date(1990, 1, 1)


def night(item_id, start, end, wage):
    return WorkItem(id=item_id, employer_id="e", employer_name="E", cao_code=None, start=start, end=end,
                    break_minutes=30, contract_kind="fixed", contract_hours_per_week=Decimal(38),
                    hourly_wage=wage)


def wml_violations(birth, item):
    violations, _ = check_schedule(birth, [item], catalogue=catalogue())
    return [v for v in violations if v.rule == "WML"]


def test_wml_check_sees_the_1_july_rise_inside_a_night_shift():
    # 30-6-2025 22:00 → 1-7-2025 06:00 at 14.20/h: above the WML of 30 June (14.06), below the one
    # of 1 July (14.40, nl-facts §1 table). Six of the eight hours are worked on 1 July.
    item = night("N1", datetime(2025, 6, 30, 22, 0, tzinfo=AMS), datetime(2025, 7, 1, 6, 0, tzinfo=AMS),
                 Decimal("14.20"))
    # the pay engine agrees these hours must be raised to 14.40 …
    pay = preview_pay("hoveniers", None, ADULT, "fixed", Decimal(38), item.start, item.end, 30,
                      hourly_wage=Decimal("14.20"))
    assert any(line.rate == Decimal("14.40") for line in pay.lines if line.kind == "base")
    # … but the compliance check does not flag the wage as below the WML
    assert wml_violations(ADULT, item), "14.20/h on 1-7-2025 is below the WML of 14.40"


def test_wml_check_sees_a_birthday_at_midnight_inside_a_night_shift():
    # Born 10-3-2005: 20 on 9-3-2026, 21 from 10-3-2026. 12.00/h clears the 20-year WML (11.77)
    # but not the 21+ WML (14.71) that applies to the hours worked on 10 March.
    birth = date(2005, 3, 10)
    item = night("N2", datetime(2026, 3, 9, 22, 0, tzinfo=AMS), datetime(2026, 3, 10, 6, 0, tzinfo=AMS),
                 Decimal("12.00"))
    assert wml_violations(birth, item), "12.00/h at age 21 on 10-3-2026 is below the WML of 14.71"
