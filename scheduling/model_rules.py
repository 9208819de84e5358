"""The validity rules of instance-format.md as constraint families, one function per rule.

Each function adds rows to a `PlanModel`; they only look at eligible pairs, so skills,
allowed employers, travel distance, availability and shift length (rule 2 and the
shift-length part of rule 6) are already enforced by which variables exist.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from typing import Iterable, Iterator

from scheduling.model import PlanModel, WorkerTimes, clique_cover
from scheduling.timeline import HOUR

DAY = 24 * HOUR


Row = tuple[list[tuple[int, int]], list[float], float]   # (worker, shift) pairs, coefficients, ≤ rhs


def add_headcount(m: PlanModel) -> None:
    """Rule 1: a shift never gets more workers than its headcount."""
    _add_rows(m, headcount_rows(m.data))


def headcount_rows(data) -> Iterator[Row]:
    by_shift: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for w, s in data.pairs():
        by_shift[s].append((w, s))
    for s, pairs in by_shift.items():
        headcount = data.inst.shifts[s].headcount
        if len(pairs) > headcount:
            yield pairs, [1.0] * len(pairs), float(headcount)


def _add_rows(m: PlanModel, rows: Iterable[Row]) -> None:
    for pairs, coefficients, rhs in rows:
        m.at_most([(m.x[pair], c) for pair, c in zip(pairs, coefficients)], rhs)


def add_no_overlap(m: PlanModel) -> None:
    """Rule 3a: no two shifts of one worker overlap (one row per maximal clique)."""
    for w, shifts in enumerate(m.data.candidates):
        times = m.worker_times(w)
        for clique in _maximal_cliques(times):
            m.at_most_one([m.x[w, shifts[k]] for k in clique])


def _maximal_cliques(times: WorkerTimes) -> list[list[int]]:
    cliques, active, grown = [], [], False
    for k, start in enumerate(times.starts):
        if any(times.ends[a] <= start for a in active):
            if grown and len(active) > 1:
                cliques.append(list(active))
            active = [a for a in active if times.ends[a] > start]
            grown = False
        active.append(k)
        grown = True
    if grown and len(active) > 1:
        cliques.append(active)
    return cliques


def add_travel_time(m: PlanModel) -> None:
    """Rule 3b: between shifts at different employers there is at least the travel time.

    For each shift a, the later shifts that start too soon after it are grouped into
    cliques of mutually overlapping shifts: a plus one clique is at most one shift.
    """
    data = m.data
    reach = data.max_travel_seconds()
    for w, shifts in enumerate(data.candidates):
        times = m.worker_times(w)
        for k, a in enumerate(shifts):
            too_soon = [j for j in times.starting_in(times.ends[k], times.ends[k] + reach)
                        if times.starts[j] - times.ends[k] < data.travel_seconds(a, shifts[j])]
            for group in clique_cover(times, too_soon):
                m.at_most_one([m.x[w, a]] + [m.x[w, shifts[j]] for j in group])


def add_conflicts(m: PlanModel) -> None:
    """Rules 3a, 3b and the pairwise part of rule 4 as clique rows per worker.

    Two shifts conflict when they overlap, when the second starts before the worker can
    travel there from the first, or when doing both leaves no daily rest in the 24 h from
    the first one's start (whatever else the worker does). The conflict graph is covered
    by cliques grown greedily, so three shifts that exclude each other pairwise (an early,
    a late and the night before) give one row "at most one of these", which makes the LP
    relaxation much tighter than pairwise rows or the rest binaries alone.
    """
    _add_rows(m, conflict_rows(m.data))


def conflict_rows(data) -> Iterator[Row]:
    for w, shifts in enumerate(data.candidates):
        yield from worker_conflict_rows(data, w, shifts)


def worker_conflict_rows(data, w: int, shifts: list[int]) -> Iterator[Row]:
    for clique in conflict_cliques(data, shifts):
        yield [(w, shifts[c]) for c in clique], [1.0] * len(clique), 1.0


def conflict_cliques(data, shifts: list[int]) -> list[list[int]]:
    """Cliques (positions in `shifts`, sorted by start) covering every conflicting pair.

    Greedy: each position k, for each later conflict not yet covered, grows a clique
    from it through the conflicts of k that conflict with all members so far. Sets of
    positions are bit masks, so a clique of c shifts costs c operations, not c².
    """
    later = _later_conflicts(data, shifts)
    linked = [0] * len(shifts)
    for k, found in enumerate(later):
        for j in found:
            linked[k] |= 1 << j
            linked[j] |= 1 << k
    covered = [0] * len(shifts)
    cliques = []
    for k, found in enumerate(later):
        for first in found:
            if covered[k] >> first & 1:
                continue
            clique, common = [k, first], linked[k] & linked[first]
            for j in found:
                if common >> j & 1:
                    clique.append(j)
                    common &= linked[j]
            mask = 0
            for c in clique:
                mask |= 1 << c
            for c in clique:
                covered[c] |= mask
            cliques.append(clique)
    return cliques


def _later_conflicts(data, shifts: list[int]) -> list[list[int]]:
    """Per position k, the later positions j whose shift cannot be worked with k's."""
    rest = data.inst.rules.min_daily_rest_hours * HOUR
    far = data.max_travel_seconds()
    reach = max(DAY, far)
    starts = [data.start[s] for s in shifts]
    ends = [data.end[s] for s in shifts]
    employer = [data.inst.shifts[s].employer for s in shifts]
    apart = data.apart()
    position = {s: k for k, s in enumerate(shifts)} if apart else {}
    later = []
    for k, a in enumerate(shifts):
        sk, ek = starts[k], ends[k]
        day_end = sk + DAY
        found = []
        near = bisect_left(starts, sk + reach, k + 1)
        for j in range(k + 1, near):
            gap = starts[j] - ek
            if gap < 0 or (gap < far and employer[j] != employer[k]
                           and gap < data.travel_seconds(a, shifts[j])):
                found.append(j)       # overlap, or no time to travel
            elif starts[j] < day_end and gap < rest and day_end - ends[j] < rest:
                found.append(j)       # no daily rest in the 24 h from k's start
            elif shifts[j] in apart.get(a, ()):
                found.append(j)       # the instance's conflicts
        found += sorted(j for j in (position.get(b) for b in apart.get(a, ()))
                        if j is not None and j >= near)
        later.append(found)
    return later


def add_daily_rest(m: PlanModel) -> None:
    """Rule 4: in the 24 h from each assigned shift's start, an uninterrupted daily rest.

    rest[u] may be 1 only if the worker works u and nothing in the rest period after u;
    a shift s needs such a u that starts at or after s and whose rest ends within 24 h.
    When s itself is the only such u, every shift blocking that rest conflicts with s
    pairwise (it ends after the last moment such a rest could start), so add_conflicts
    already holds the rule and no row is added.
    """
    for w, shifts in enumerate(m.data.candidates):
        worker_daily_rest(m, w, shifts)


def worker_daily_rest(m: PlanModel, w: int, shifts: list[int]) -> None:
    rest_seconds = m.data.inst.rules.min_daily_rest_hours * HOUR
    times = m.worker_times(w)
    rest = _RestAfter(m, w, times, rest_seconds, "dr")
    for k, s in enumerate(shifts):
        if times.has_free_stretch(times.ends[k], times.starts[k] + DAY, rest_seconds):
            continue           # a long enough gap with no candidate shift at all
        window_end = times.starts[k] + DAY - rest_seconds
        options = [u for u in times.starting_in(times.starts[k], window_end)
                   if times.ends[u] <= window_end]
        if options == [k] or (k in options and rest.always(k)):
            continue   # only "rest right after s": implied by the conflict cliques
        terms = [(rest.var(u), 1.0) for u in options]
        m.at_least(terms + [(m.x[w, s], -1.0)], 0)


def add_weekly_rest(m: PlanModel) -> None:
    """Rule 5: in every ISO week an uninterrupted weekly rest (cut at the week's edges)."""
    for w, shifts in enumerate(m.data.candidates):
        worker_weekly_rest(m, w, shifts)


def worker_weekly_rest(m: PlanModel, w: int, shifts: list[int]) -> None:
    rest_seconds = m.data.inst.rules.min_weekly_rest_hours * HOUR
    times = m.worker_times(w)
    rest = _RestAfter(m, w, times, rest_seconds, "wr")
    for week_start, week_end in m.data.weeks:
        if times.has_free_stretch(week_start, week_end, rest_seconds):
            continue           # the worker's candidates leave a long enough gap
        from_start = times.touching(week_start, week_start + rest_seconds)
        if not from_start:
            continue           # nothing can stop the rest at the week's start
        options = [(rest.from_moment(week_start, from_start), 1.0)]
        last_end = week_end - rest_seconds
        for u in times.touching(week_start, last_end):
            if week_start < times.ends[u] <= last_end:
                options.append((rest.var(u), 1.0))
        m.at_least(options, 1)


class _RestAfter:
    """Lazily made binaries: 'the worker rests `length` seconds from this moment'."""

    def __init__(self, m: PlanModel, w: int, times: WorkerTimes, length: float, tag: str):
        self.m, self.w, self.times, self.length, self.tag = m, w, times, length, tag
        self.made: dict[int, object] = {}

    def blockers(self, u: int) -> list[int]:
        end = self.times.ends[u]
        return self.times.touching(end, end + self.length, skip=u)

    def always(self, u: int) -> bool:
        """True when working u always leaves the rest after it (nothing can block it)."""
        return not self.blockers(u)

    def var(self, u: int):
        """1 only if the worker works shift u and rests afterwards."""
        if u not in self.made:
            x_u = self.m.x[self.w, self.times.shifts[u]]
            blockers = self.blockers(u)
            if not blockers:
                self.made[u] = x_u
            else:
                flag = self.m.binary(f"{self.tag}{self.w}")
                self.m.at_most([(flag, 1.0), (x_u, -1.0)], 0)
                self._forbid(flag, blockers, x_u)
                self.made[u] = flag
        return self.made[u]

    def from_moment(self, moment: float, blockers: list[int]):
        """1 only if the worker does none of `blockers` (shifts in the rest from `moment`)."""
        flag = self.m.binary(f"{self.tag}{self.w}")
        self._forbid(flag, blockers)
        return flag

    def _forbid(self, flag, blockers: list[int], after=None) -> None:
        self.m.rest_flags.append(
            (flag, after, [self.m.x[self.w, self.times.shifts[k]] for k in blockers]))
        for group in clique_cover(self.times, blockers):
            self.m.at_most_one([flag] + [self.m.x[self.w, self.times.shifts[k]] for k in group])


def add_week_hours(m: PlanModel) -> None:
    """Rule 6: hours per ISO week (by shift start) ≤ min(max_week_hours, worker maximum),
    with the cap lowered to the most hours the worker's candidate shifts can add up to."""
    _add_rows(m, week_hours_rows(m.data))


def week_hours_rows(data) -> Iterator[Row]:
    for w, shifts in enumerate(data.candidates):
        yield from worker_week_hours_rows(data, w, shifts)


def worker_week_hours_rows(data, w: int, shifts: list[int]) -> Iterator[Row]:
    weeks: dict[int, list[int]] = defaultdict(list)
    for s in shifts:
        weeks[data.week[s]].append(s)
    for week_shifts in weeks.values():
        hours = [data.hours[s] for s in week_shifts]
        if sum(hours) > data.week_cap(w) + 1e-9:
            yield [(w, s) for s in week_shifts], hours, data.reachable_cap(w, week_shifts)


def add_all_rules(m: PlanModel) -> None:
    for family in (add_headcount, add_conflicts, add_daily_rest, add_weekly_rest,
                   add_week_hours):
        family(m)


def add_worker_rules(m, w: int, shifts: list[int]) -> None:
    """Every rule of one worker (all but the headcount, the only one that links workers)
    over `shifts`, that worker's candidates in `m`: what add_all_rules adds for them."""
    _add_rows(m, worker_conflict_rows(m.data, w, shifts))
    worker_daily_rest(m, w, shifts)
    worker_weekly_rest(m, w, shifts)
    _add_rows(m, worker_week_hours_rows(m.data, w, shifts))
