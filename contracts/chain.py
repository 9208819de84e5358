"""The chain rule for fixed-term contracts (ketenregeling, art. 7:668a BW; nl-facts §3).

Between the same worker and the same employer at most 3 successive fixed-term contracts within 36
months; an interruption of more than 6 months starts a new chain. The contract that goes beyond
either limit is by law one for an indefinite period: the fourth from its start, the one that runs
past 36 months from the day it does. A CAO may allow up to 6 contracts and 48 months (the limits
are parameters). Only fixed-term contracts count: an open-ended one (or a permanent one ended
later, which the caller leaves out) is no link of a chain.

Periods of months are counted as the civil code counts them: a period of n months from day d ends
the day before the same date n months later, or on the last day of that month when the date does
not exist (36 months from 29 February 2024 end on 28 February 2027) — see `after_months`.

Pure: dates in, positions out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_CONTRACTS, MAX_MONTHS, GAP_MONTHS = 3, 36, 6
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Term:
    id: int
    party: int | None        # the employer, or None for the intermediary
    start: date
    end: date                # the last day


@dataclass(frozen=True)
class ChainPosition:
    number: int              # 1 for the first contract of its chain
    chain_start: date
    indefinite_from: date | None    # by law, when this fixed-term contract went beyond a limit
    reason: str | None       # "count" (more than MAX_CONTRACTS) or "duration" (beyond MAX_MONTHS)


def months_later(day: date, months: int) -> date:
    """`day` + `months` calendar months, on the last day of a shorter month (31 Jan + 1 → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def after_months(start: date, months: int) -> date:
    """The first day after a period of `months` months that begins on `start`: the same date `months`
    later, or the 1st of the next month when that date does not exist (29 Feb 2024 + 36 → 1 Mar 2027)."""
    later = months_later(start, months)
    return later if later.day == start.day else later + DAY


def chain_positions(terms: list[Term], max_contracts: int = MAX_CONTRACTS, max_months: int = MAX_MONTHS,
                    gap_months: int = GAP_MONTHS) -> dict[int, ChainPosition]:
    """Each fixed-term contract's place in its chain with the same party, and whether the law made it
    indefinite."""
    out: dict[int, ChainPosition] = {}
    by_party: dict[int | None, list[Term]] = {}
    for term in terms:
        by_party.setdefault(term.party, []).append(term)
    for party_terms in by_party.values():
        number, chain_start, reach = 0, None, None     # reach: the chain's latest last day
        for term in sorted(party_terms, key=lambda t: (t.start, t.id)):
            # the interruption runs from the day after `reach` to the day before `term.start`
            if chain_start is None or term.start > after_months(reach + DAY, gap_months):
                number, chain_start, reach = 0, term.start, term.end
            reach = max(reach, term.end)
            number += 1
            out[term.id] = _position(term, number, chain_start, max_contracts, max_months)
    return out


def _position(term: Term, number: int, chain_start: date, max_contracts: int, max_months: int) -> ChainPosition:
    if number > max_contracts:
        return ChainPosition(number, chain_start, term.start, "count")
    limit = after_months(chain_start, max_months)      # the chain may run up to the day before this
    if term.end >= limit:
        return ChainPosition(number, chain_start, max(term.start, limit), "duration")
    return ChainPosition(number, chain_start, None, None)
