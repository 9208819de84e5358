"""A week's guarantee top-up split over the statements that cut it adds up to the whole week's."""
from decimal import ROUND_HALF_UP, Decimal

import pytest

from contracts.guarantee import top_up_amount, top_up_hours


@pytest.mark.parametrize("hours_per_week, paid, rate", [("12", "0", "15.25"), ("24", "5.01", "15.25"),
                                                         ("17", "3.33", "16.05")])
def test_every_split_of_a_week_adds_up_to_the_whole_week_in_hours_and_euros(hours_per_week, paid, rate):
    week = (Decimal(hours_per_week), Decimal(paid), 7)
    whole_hours, whole_amount = top_up_hours(*week, 7, 0), top_up_amount(*week, 7, 0, Decimal(rate))
    assert whole_amount == (whole_hours * Decimal(rate)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    for first in range(1, 7):
        assert top_up_hours(*week, first, 0) + top_up_hours(*week, 7 - first, first) == whole_hours
        assert (top_up_amount(*week, first, 0, Decimal(rate)) + top_up_amount(*week, 7 - first, first, Decimal(rate))
                == whole_amount)
