"""The chain rule (art. 7:668a BW): 3 fixed-term contracts in 36 months with one employer; an
interruption of more than 6 months starts a new chain; the contract beyond a limit is indefinite by law."""
from datetime import date

from contracts.chain import Term, after_months, chain_positions


def _flags(terms):
    return {k: (p.number, p.indefinite_from, p.reason) for k, p in chain_positions(terms).items()}


def test_the_fourth_contract_in_a_row_is_indefinite_from_its_start():
    terms = [Term(1, 7, date(2024, 1, 1), date(2024, 6, 30)), Term(2, 7, date(2024, 7, 1), date(2024, 12, 31)),
             Term(3, 7, date(2025, 1, 1), date(2025, 6, 30)), Term(4, 7, date(2025, 7, 1), date(2025, 12, 31))]
    assert _flags(terms) == {1: (1, None, None), 2: (2, None, None), 3: (3, None, None),
                             4: (4, date(2025, 7, 1), "count")}


def test_an_interruption_of_exactly_six_months_continues_the_chain_one_day_more_starts_anew():
    first = Term(1, 7, date(2024, 1, 1), date(2024, 3, 31))
    middle = Term(2, 7, date(2024, 4, 1), date(2024, 6, 30))       # ends 30 June

    def fourth_after(third_start):
        return _flags([first, middle, Term(3, 7, third_start, date(2025, 3, 31)),
                       Term(4, 7, date(2025, 4, 1), date(2025, 5, 31))])[4]
    assert fourth_after(date(2024, 12, 31)) == (4, date(2025, 4, 1), "count")   # 1 Jul - 30 Dec: under 6 months
    assert fourth_after(date(2025, 1, 1)) == (4, date(2025, 4, 1), "count")     # 1 Jul - 31 Dec: exactly 6
    assert fourth_after(date(2025, 1, 2)) == (2, None, None)                    # 1 Jul - 1 Jan: more than 6


def test_a_chain_past_36_months_is_indefinite_from_the_day_it_passes():
    terms = [Term(1, 7, date(2023, 1, 1), date(2024, 12, 31)), Term(2, 7, date(2025, 1, 1), date(2025, 12, 31)),
             Term(3, 7, date(2026, 1, 1), date(2026, 6, 30))]
    assert _flags(terms)[2] == (2, None, None)          # 36 months exactly: 1 Jan 2023 – 31 Dec 2025
    assert _flags(terms)[3] == (3, date(2026, 1, 1), "duration")
    assert _flags([Term(1, 7, date(2023, 1, 1), date(2026, 6, 30))])[1] == (1, date(2026, 1, 1), "duration")


def test_36_months_from_29_february_end_on_28_february():
    assert after_months(date(2024, 2, 29), 36) == date(2027, 3, 1)
    assert after_months(date(2024, 1, 31), 1) == date(2024, 3, 1)
    assert after_months(date(2024, 1, 15), 1) == date(2024, 2, 15)
    assert _flags([Term(1, 7, date(2024, 2, 29), date(2027, 2, 28))])[1] == (1, None, None)
    assert _flags([Term(1, 7, date(2024, 2, 29), date(2027, 3, 1))])[1] == (1, date(2027, 3, 1), "duration")


def test_employers_count_apart():
    terms = [Term(1, 7, date(2024, 1, 1), date(2024, 3, 31)), Term(2, 8, date(2024, 4, 1), date(2024, 6, 30)),
             Term(3, 7, date(2024, 7, 1), date(2024, 9, 30)), Term(4, None, date(2024, 10, 1), date(2024, 12, 31))]
    assert _flags(terms) == {1: (1, None, None), 2: (1, None, None), 3: (2, None, None), 4: (1, None, None)}


def test_another_partys_contracts_do_not_bridge_an_interruption():
    """No rule joins successive employers here (nl-facts §3 names none): work for B, or with the pool
    (party None), in the months between two contracts with A does not fill A's interruption."""
    terms = [Term(1, 7, date(2024, 1, 1), date(2024, 3, 31)), Term(2, 8, date(2024, 4, 1), date(2024, 12, 31)),
             Term(3, None, date(2024, 4, 1), date(2024, 12, 31)), Term(4, 7, date(2025, 1, 1), date(2025, 3, 31))]
    assert _flags(terms) == {1: (1, None, None), 2: (1, None, None), 3: (1, None, None), 4: (1, None, None)}
    assert chain_positions(terms)[4].chain_start == date(2025, 1, 1)
