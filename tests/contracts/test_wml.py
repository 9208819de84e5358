from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from contracts.wml import (
    BBL_PERCENT, WML_ROWS, YOUTH_PERCENT, WmlUnknown, age_on, minimum_hourly_wage,
    minimum_holiday_allowance, wml_rate,
)


def test_adult_on_5_january_2026_earns_at_least_14_71():
    assert minimum_hourly_wage(date(2026, 1, 5), 21) == Decimal("14.71")
    assert minimum_hourly_wage(date(2026, 1, 5), 45) == Decimal("14.71")


def test_twenty_year_old_gets_80_percent():
    assert minimum_hourly_wage(date(2026, 1, 5), 20) == Decimal("11.77")


def test_rate_changes_on_1_july_2025():
    assert minimum_hourly_wage(date(2025, 6, 30), 21) == Decimal("14.06")
    assert minimum_hourly_wage(date(2025, 7, 1), 21) == Decimal("14.40")
    assert minimum_hourly_wage(date(2025, 12, 31), 18) == Decimal("7.20")
    assert minimum_hourly_wage(date(2026, 1, 1), 18) == Decimal("7.36")


def test_published_youth_amounts_match_the_percentages():
    for row in WML_ROWS:
        adult = row.by_age[21]
        for age, percent in YOUTH_PERCENT.items():
            expected = (adult * percent / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert row.by_age[age] == expected, (row.effective, age)


def test_published_bbl_amounts_match_the_bbl_percentages():
    for row in WML_ROWS:
        for age, amount in row.bbl_by_age.items():
            expected = (row.by_age[21] * BBL_PERCENT[age] / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert amount == expected


def test_bbl_uses_published_row_and_computes_later_ones_with_a_note():
    assert minimum_hourly_wage(date(2025, 8, 1), 20, bbl=True) == Decimal("8.86")
    later = wml_rate(date(2026, 2, 1), 19, bbl=True)
    assert later.hourly == Decimal("7.72")  # 52.5 % of 14.71 = 7.72275
    assert any("BBL" in note for note in later.notes)
    assert minimum_hourly_wage(date(2026, 2, 1), 21, bbl=True) == Decimal("14.71")


def test_before_first_known_row_is_an_error():
    with pytest.raises(WmlUnknown, match="2025-01-01"):
        minimum_hourly_wage(date(2024, 12, 31), 21)


def test_under_15_has_no_minimum_wage():
    with pytest.raises(WmlUnknown):
        minimum_hourly_wage(date(2026, 1, 5), 14)
    assert minimum_hourly_wage(date(2026, 1, 5), 15) == Decimal("4.41")


def test_after_last_known_row_uses_it_and_says_so():
    inside = wml_rate(date(2026, 6, 30), 21)
    after = wml_rate(date(2026, 7, 1), 21)
    assert inside.notes == ()
    assert after.hourly == Decimal("14.71")
    assert after.notes and "1 jan 2026" in after.notes[0]
    assert "1 Jan 2026" in wml_rate(date(2026, 7, 1), 21, lang="en").notes[0]


def test_age_changes_on_the_birthday():
    born = date(2005, 3, 15)
    assert age_on(born, date(2026, 3, 14)) == 20
    assert age_on(born, date(2026, 3, 15)) == 21


def test_leap_day_birthday_counts_from_1_march():
    born = date(2008, 2, 29)
    assert age_on(born, date(2026, 2, 28)) == 17
    assert age_on(born, date(2026, 3, 1)) == 18


def test_statutory_holiday_allowance_is_8_percent_rounded_half_up():
    assert minimum_holiday_allowance(Decimal("1000.00")) == Decimal("80.00")
    assert minimum_holiday_allowance(Decimal("100.0625")) == Decimal("8.01")  # 8.005 rounds up
    assert minimum_holiday_allowance(Decimal("100.06")) == Decimal("8.00")    # 8.0048
