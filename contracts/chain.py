"""The chain rule for fixed-term contracts (ketenregeling, art. 7:668a BW; nl-facts §3).

Between the same worker and the same employer at most 3 successive fixed-term contracts within 36
months; a gap of more than 6 months starts a new chain. The contract that goes beyond either limit
is by law one for an indefinite period: the fourth from its start, the one that runs past 36 months
from the day it does. A CAO may allow up to 6 contracts and 48 months (the limits are parameters).

Pure: dates in, positions out. Contracts that are open-ended are already indefinite; they count
in a chain but are never flagged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MAX_CONTRACTS, MAX_MONTHS, GAP_MONTHS = 3, 36, 6


@dataclass(frozen=True)
class Term:
    id: int
    party: int | None        # the employer, or None for the intermediary
    start: date
    end: date | None         # None: open-ended


@dataclass(frozen=True)
class ChainPosition:
    number: int              # 1 for the first contract of its chain
    chain_start: date
    indefinite_from: date | None    # by law, when this fixed-term contract went beyond a limit
    reason: str | None       # "count" (more than MAX_CONTRACTS) or "duration" (beyond MAX_MONTHS)


def months_later(day: date, months: int) -> date:
    """`day` + `months` calendar months, on the last day of a shorter month."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def chain_positions(terms: list[Term], max_contracts: int = MAX_CONTRACTS, max_months: int = MAX_MONTHS,
                    gap_months: int = GAP_MONTHS) -> dict[int, ChainPosition]:
    """Each contract's place in its chain with the same party, and whether the law made it indefinite."""
    out: dict[int, ChainPosition] = {}
    by_party: dict[int | None, list[Term]] = {}
    for term in terms:
        by_party.setdefault(term.party, []).append(term)
    for party_terms in by_party.values():
        number, chain_start, reach = 0, None, None     # reach: the chain's latest end (None: open-ended)
        for term in sorted(party_terms, key=lambda t: (t.start, t.id)):
            if chain_start is None or (reach is not None and term.start > months_later(reach, gap_months)):
                number, chain_start, reach = 0, term.start, term.end
            elif reach is not None:
                reach = None if term.end is None else max(reach, term.end)
            number += 1
            out[term.id] = _position(term, number, chain_start, max_contracts, max_months)
    return out


def _position(term: Term, number: int, chain_start: date, max_contracts: int, max_months: int) -> ChainPosition:
    if term.end is None:
        return ChainPosition(number, chain_start, None, None)
    if number > max_contracts:
        return ChainPosition(number, chain_start, term.start, "count")
    limit = months_later(chain_start, max_months)      # the chain may run up to the day before this
    if term.end >= limit:
        return ChainPosition(number, chain_start, max(term.start, limit), "duration")
    return ChainPosition(number, chain_start, None, None)
