"""The chain rule (art. 7:668a BW): 3 fixed-term contracts in 36 months with one employer; a gap of
more than 6 months starts a new chain; the contract beyond a limit is indefinite by law."""
from datetime import date

from contracts.chain import Term, chain_positions


def _flags(terms):
    return {k: (p.number, p.indefinite_from, p.reason) for k, p in chain_positions(terms).items()}


def test_the_fourth_contract_in_a_row_is_indefinite_from_its_start():
    terms = [Term(1, 7, date(2024, 1, 1), date(2024, 6, 30)), Term(2, 7, date(2024, 7, 1), date(2024, 12, 31)),
             Term(3, 7, date(2025, 1, 1), date(2025, 6, 30)), Term(4, 7, date(2025, 7, 1), date(2025, 12, 31))]
    assert _flags(terms) == {1: (1, None, None), 2: (2, None, None), 3: (3, None, None),
                             4: (4, date(2025, 7, 1), "count")}


def test_a_gap_of_more_than_six_months_starts_a_new_chain_and_six_months_does_not():
    first = Term(1, 7, date(2024, 1, 1), date(2024, 3, 31))
    middle = Term(2, 7, date(2024, 4, 1), date(2024, 6, 30))
    assert _flags([first, middle, Term(3, 7, date(2024, 12, 30), date(2025, 3, 31)),
                   Term(4, 7, date(2025, 4, 1), date(2025, 5, 31))])[4] == (4, date(2025, 4, 1), "count")
    assert _flags([first, middle, Term(3, 7, date(2025, 1, 1), date(2025, 3, 31)),
                   Term(4, 7, date(2025, 4, 1), date(2025, 5, 31))])[4] == (2, None, None)


def test_a_chain_past_36_months_is_indefinite_from_the_day_it_passes():
    terms = [Term(1, 7, date(2023, 1, 1), date(2024, 12, 31)), Term(2, 7, date(2025, 1, 1), date(2025, 12, 31)),
             Term(3, 7, date(2026, 1, 1), date(2026, 6, 30))]
    assert _flags(terms)[2] == (2, None, None)          # 36 months exactly: 1 Jan 2023 – 31 Dec 2025
    assert _flags(terms)[3] == (3, date(2026, 1, 1), "duration")
    long = [Term(1, 7, date(2023, 1, 1), date(2026, 6, 30))]
    assert _flags(long)[1] == (1, date(2026, 1, 1), "duration")


def test_employers_count_apart_and_open_ended_contracts_are_not_flagged():
    terms = [Term(1, 7, date(2024, 1, 1), date(2024, 3, 31)), Term(2, 8, date(2024, 4, 1), date(2024, 6, 30)),
             Term(3, 7, date(2024, 7, 1), date(2024, 9, 30)), Term(4, None, date(2024, 10, 1), None),
             Term(5, 7, date(2024, 10, 1), None)]
    assert _flags(terms) == {1: (1, None, None), 2: (1, None, None), 3: (2, None, None), 4: (1, None, None),
                             5: (3, None, None)}
