"""Week-by-week decomposition for instances too large to solve whole.

Each ISO week is solved on its own (its shifts plus every originally fixed shift, which
is in any plan anyway). Weekly hours, weekly rest and the weekly shortfalls are per ISO
week, so only the week edges couple the parts (daily rest, overlap and travel between a
Sunday and a Monday). The glued plan is repaired at the edges (a shift that clashes with
an earlier one of the same worker is dropped) and open slots are then filled greedily.

Dropping the couplings makes every week a relaxation, so the sum of the weeks' dual
bounds (minus the fixed shifts of other weeks, counted in each week) is a proven bound.
Weeks split into regions are bounded by an LP only, computed in a second process while
the weeks are planned (scheduling/bound_process.py). A peak week planned whole over its
LP's pairs is planned again over those and the pairs the second process sends with its
Lagrangian bound, once they arrive (_plan_again); a large region of a 3000-worker peak
week is planned again at once, with a Lagrangian of its own (_plan_again_here).
"""
from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable

from scheduling.construct import fill_open_slots, repair
from scheduling.instance import Assignment, Instance
from scheduling.model_data import ModelData, build_model_data
from scheduling.regions import split_by_region
from scheduling.stages import Outcome, StagedSolve, closing_reserve
from scheduling.timeline import HOUR, week_start

CONTEXT_HOURS = 48
REGION_PAIRS = 20_000      # a week with more eligible pairs is split into regions...
SUPPORT_PAIRS = 200_000    # ...unless, up to this many, its LP with the conflict cliques
                           # says not every shift can be filled and uses few enough pairs
SUPPORT_SHARE = 0.4        # of such a week's time at most for that LP
LP_BOUND_PAIRS = 1_000_000  # above this many pairs only the transport LP bounds a week
BOUND_SHARE = 0.25         # share of a week's time for the relaxed bound
GLUE_SHARE_REGIONS = 0.15  # the same when weeks are split into regions (refill across them)
WEEK_COVERAGE_SHARE = 0.8  # of a week's time for coverage; the search polishes the rest
GLUE_SHARE = 0.03          # share of the time kept for repairing and filling the glued plan
BOUNDS_BESIDE = True       # bound the weeks in a second process as well
FIRST_PASS_SHARE = 0.5     # of a week planned over its LP's pairs, when it is planned
                           # again over the Lagrangian bound's pairs later (_refine)
REFINE_MIN_SECONDS = 4.0   # the least time worth planning a week again
LAGRANGIAN_SHARE = 0.4     # of a large region's time left for its Lagrangian weeks


def weeks_of(inst: Instance) -> list[datetime]:
    return sorted({week_start(s.start, inst.timezone) for s in inst.shifts})


def week_instance(inst: Instance, week: datetime, planned: list[Assignment]) -> Instance:
    """The sub-instance for `week`, with `planned` assignments near its start as fixed."""
    by_id = {s.id: s for s in inst.shifts}
    edge = week.timestamp() - CONTEXT_HOURS * HOUR
    own = [s for s in inst.shifts if week_start(s.start, inst.timezone) == week]
    own_ids = {s.id for s in own}
    extra: dict[str, list[str]] = defaultdict(list)
    for a in planned:
        if a.shift not in own_ids and by_id[a.shift].end.timestamp() > edge:
            extra[a.worker].append(a.shift)
    workers = tuple(replace(w, fixed=tuple(dict.fromkeys(w.fixed + tuple(extra[w.id]))))
                    for w in inst.workers)
    holders: dict[str, int] = defaultdict(int)
    for w in workers:
        for sid in w.fixed:
            holders[sid] += 1
    context = tuple(replace(by_id[sid], headcount=n) for sid, n in sorted(holders.items())
                    if sid not in own_ids)
    return replace(inst, workers=workers, shifts=tuple(own) + context)


def own_assignments(sub: Instance, week: datetime, found: list[Assignment],
                    timezone: str) -> list[Assignment]:
    """The assignments of `found` to shifts that start in `week`."""
    starts = {s.id: s.start for s in sub.shifts}
    return [a for a in found if week_start(starts[a.shift], timezone) == week]


def solve_by_weeks(inst: Instance, data: ModelData, *, deadline: float, gap_rel: float,
                   threads: int, report: Callable[[float, str], None],
                   keep: tuple[Assignment, ...], change_weight: float,
                   bound_deadline: float | None = None) -> Outcome:
    """Plan week by week. Weeks split into regions are bounded in a second process that
    may run until `bound_deadline` (default: the end of the first plan); the outcome's
    `pending` then collects their bounds. Weeks planned whole over their LP's pairs are
    planned again with the pairs that process sends, until shortly before `bound_deadline`
    (past `deadline`: the search after the first plan gains less than that)."""
    weeks = weeks_of(inst)
    fixed = [Assignment(s, w.id) for w in inst.workers for s in w.fixed]
    glue_share = GLUE_SHARE_REGIONS if data.pair_count() > 4 * REGION_PAIRS else GLUE_SHARE
    glue = glue_share * max(0.0, deadline - time.monotonic()) + closing_reserve(inst, deadline)
    subs = [week_instance(inst, week, fixed) for week in weeks]
    # the weeks go to the second process before the weeks' own data are built (at 3000
    # workers that takes ~20 s, and the bound process needs every second): the large ones
    # for their only bound, all of them for the Lagrangian bound of a week that cannot fill
    # every shift (see relaxed_bound); the small ones get a quick LP bound here as well
    pairs_in = Counter(data.weeks[data.week[s]][0] for _, s in data.pairs())
    large = [i for i, week in enumerate(weeks) if pairs_in[week.timestamp()] > REGION_PAIRS]
    beside = _bounds_beside(subs, list(range(len(weeks))), bound_deadline or deadline - glue)
    try:
        sub_data = [build_model_data(sub) for sub in subs]
        report(0.03, "bounding each week (LP relaxations"
                     + ("; all weeks in a second process as well)" if beside else ")"))
        relaxed: list[float | None] = [None] * len(weeks)
        for i, data_i in enumerate(sub_data):
            if beside and i in large:
                continue
            weeks_left = len(weeks) - i - (len(large) if beside else 0)
            left = BOUND_SHARE * (deadline - glue - time.monotonic()) / max(1, weeks_left)
            relaxed[i] = relaxed_bound(data_i, left, threads, note=lambda text, i=i: report(
                0.03 + 0.02 * (i + 1) / len(weeks), f"week {i + 1}/{len(weeks)}: bound {text}"))
        planned, mip_bounds, split_any = _plan_weeks(
            inst, weeks, subs, sub_data, relaxed, deadline - glue, report, gap_rel=gap_rel,
            threads=threads, keep=keep, change_weight=change_weight, again=bool(beside))
        if beside:
            last = bound_deadline or deadline
            _plan_again(inst, weeks, subs, sub_data, planned, beside,
                        last - max(4.0, GLUE_SHARE * (last - time.monotonic())), report,
                        gap_rel=gap_rel, threads=threads, keep=keep,
                        change_weight=change_weight)
        found = [a for week in planned for a in week.found]

        def total(late: list[float | None]) -> dict:
            """The plan's bound: the weeks' bounds summed, once the second process's have
            arrived (each week's lowest counts)."""
            for i, value in enumerate(late):
                if value is not None and (relaxed[i] is None or value < relaxed[i]):
                    relaxed[i] = value
                    report(0.96, f"week {i + 1}/{len(weeks)}: bound {beside.notes[i]}")
            bound = 0.0
            for i, week in enumerate(weeks):
                # a week planned by regions has no MIP bound (regions restrict it)
                week_bounds = [b for b in (mip_bounds[i], relaxed[i]) if b is not None]
                if not week_bounds:
                    return {}
                bound += min(week_bounds) - _value(subs[i], week, inst.timezone)
            return {"priority_hours": round(bound, 4)}

        report(0.92, "repairing week edges and filling open slots")
        plan = repair(inst, found + fixed)
        edges = [w.timestamp() for w in weeks[1:]]
        near_edge = {i for i, start in enumerate(data.start)
                     if any(0 <= start - edge < CONTEXT_HOURS * HOUR for edge in edges)}
        finish = max(deadline - closing_reserve(inst, deadline),
                     min(time.monotonic() + 2.0, bound_deadline or deadline))
        plan = fill_open_slots(inst, data, plan, finish, only=near_edge)
        if split_any:       # workers left over in one region may fill slots in another
            plan = fill_open_slots(inst, data, plan, finish)
        if beside:
            return Outcome("feasible", plan, {}, pending=PendingBound(beside, total))
        return Outcome("feasible", plan, total([]))
    except BaseException:      # leave no bound process behind
        if beside:
            beside.close()
        raise


@dataclass
class PendingBound:
    """A bound still being computed beside the plan: `result(until)` waits for it until
    `until` (time.monotonic) and gives what it has; `close()` abandons it."""
    beside: object          # scheduling.bound_process.BackgroundBounds
    total: Callable[[list], dict]

    def result(self, until: float) -> dict:
        return self.total(self.beside.collect(until=until))

    def close(self) -> None:
        self.beside.close()


def _bounds_beside(subs: list[Instance], chosen: list[int], deadline: float):
    """Bound the `chosen` weeks in a second process (scheduling.bound_process), or None."""
    if not chosen or not BOUNDS_BESIDE:
        return None
    from scheduling.bound_process import BackgroundBounds
    try:
        return BackgroundBounds([subs[i] for i in chosen], deadline)
    except OSError:     # no process can be started here: bound them in-line
        return None


@dataclass
class PlannedWeek:
    """A planned week: `found`, the assignments of its own shifts; when it was planned
    whole over its LP's pairs (so it can be planned again, _refine), `focus`, those pairs,
    and `plan`, its whole plan (context included)."""
    found: list[Assignment]
    focus: set | None = None
    plan: list[Assignment] = field(default_factory=list)


def _plan_weeks(inst: Instance, weeks: list[datetime], subs, sub_data, relaxed, end: float,
                report, again: bool = False, **solve):
    """Plan the weeks one by one: (each PlannedWeek, each week's MIP bound or None, whether
    any week was split into regions). With `again`, a week planned over its LP's pairs
    takes only FIRST_PASS_SHARE of its time: it is planned again later.

    A week's solve runs past its time by what HiGHS and PuLP do after the limit (a 300-
    worker normal week: 0.4-1.7 s over ~5 s); unchecked, the last week paid for all of it
    and sometimes had no time left for its coverage (98 % covered instead of 99.9 %)."""
    planned: list[PlannedWeek] = []
    mip_bounds: list[float | None] = []
    split_any = False
    overrun = 0.0   # the most a week ran past its time so far: the next ones ask that less
    for i, week in enumerate(weeks):
        began = time.monotonic()
        share = (end - began) / (len(weeks) - i)
        asked = max(share / 2, share - overrun)
        split_any |= sub_data[i].pair_count() > REGION_PAIRS
        done, mip_bound = _solve_week(
            subs[i], sub_data[i], relaxed[i], asked, _week_progress(report, i, len(weeks)),
            first_pass=FIRST_PASS_SHARE if again else 1.0, **solve)
        overrun = max(overrun, time.monotonic() - began - asked)
        done.found = own_assignments(subs[i], week, done.found, inst.timezone)
        planned.append(done)
        mip_bounds.append(mip_bound)
    return planned, mip_bounds, split_any


def _plan_again(inst: Instance, weeks: list[datetime], subs, sub_data,
                planned: list[PlannedWeek], beside, end: float, report, **solve) -> None:
    """Plan each week that was planned over its LP's pairs again, over those and the pairs
    the second process found for it (_refine), as they arrive, until `end`.

    Not the large regions of a 3000-worker peak week: their week's pairs come from the
    Lagrangian bound at zero prices only and added few to a region's LP's pairs (+49 to
    4 607, +2 086 to 9 382); such a region is planned again at once instead, with the
    Lagrangian weeks at its own LP's prices (_plan_again_here)."""
    todo = [i for i, week in enumerate(planned) if week.focus is not None]
    for n, i in enumerate(todo):
        support = beside.wait_for(i, until=end - REFINE_MIN_SECONDS * (len(todo) - n))
        seconds = (end - time.monotonic()) / (len(todo) - n)
        if not support or seconds < REFINE_MIN_SECONDS:
            continue
        better = _refine(subs[i], sub_data[i], planned[i], support, time.monotonic() + seconds,
                         _week_progress(report, i, len(weeks)), **solve)
        if better is not None:
            planned[i] = PlannedWeek(own_assignments(subs[i], weeks[i], better, inst.timezone),
                                     planned[i].focus, better)


def _refine(sub: Instance, data: ModelData, first: PlannedWeek, support, end: float, report,
            *, gap_rel: float, threads: int, keep, change_weight: float
            ) -> list[Assignment] | None:
    """The week planned again over its LP's pairs and `support`
    ((worker id, shift id): the second process's LP pairs and each worker's best week in
    the Lagrangian bound), from its first plan, until `end`; None unless that covers more
    (Σ priority × hours).

    A week's LP fills each worker's week with fractions of shifts that no whole week of
    theirs can hold together (daily and weekly rest); a worker's best week in the
    Lagrangian bound is such a whole week. On a 1000-worker peak week: over the LP's 7511
    pairs the optimum is 36 799 priority-weighted hours, over 10 575 with the workers' best
    weeks 37 116 (in 5 s, proven optimal there), the week's bound 37 175.
    """
    pairs = {(data.worker_index[w], data.shift_index[s]) for w, s in support
             if w in data.worker_index and s in data.shift_index}
    eligible = {(w, s) for w, s in pairs if s in data.candidates[w]}
    wider = first.focus | eligible
    if len(wider) == len(first.focus):
        return None
    report(0.0, f"planning again over {len(wider)} pairs: its LP's and each worker's best "
                "week in the Lagrangian bound")
    staged = StagedSolve(sub, deadline=end, gap_rel=gap_rel, threads=threads, reserve=0.0,
                         report=report)
    staged.coverage_share = WEEK_COVERAGE_SHARE
    staged.lp_start = False         # the first plan is a far better start
    staged.presolve = True
    outcome = staged.run(keep=keep, change_weight=change_weight,
                         data=data.restricted_to(wider), start=first.plan)

    def covered(plan: list[Assignment]) -> float:
        shifts = {s.id: s for s in sub.shifts}
        return sum(shifts[a.shift].priority * shifts[a.shift].hours for a in plan)

    if covered(outcome.assignments) <= covered(first.plan) + 1e-6:
        return None
    return outcome.assignments


def _week_progress(report, i: int, weeks: int):
    base, span = 0.05 + 0.85 * i / weeks, 0.85 / weeks
    return lambda f, m: report(base + span * f, f"week {i + 1}/{weeks}: {m}")


def _solve_week(sub: Instance, data: ModelData, target: float | None, seconds: float,
                report, *, gap_rel: float, threads: int, keep, change_weight: float,
                large_regions: bool = True, first_pass: float = 1.0):
    """Plan one week, split into regions if it is too large; (a PlannedWeek of its plan,
    its MIP bound or None). `first_pass`: the share of the time a plan over the LP's pairs
    takes (see _plan_weeks). Not `large_regions`: `sub` is a large region itself, planned
    again at once when it is planned over its LP's pairs (see _plan_over_lp_support)."""
    end = time.monotonic() + seconds
    pairs = sum(len(c) for c in data.candidates)
    if pairs <= REGION_PAIRS:
        staged = StagedSolve(sub, deadline=end, gap_rel=gap_rel, threads=threads,
                             reserve=0.0, report=report)
        staged.coverage_share = WEEK_COVERAGE_SHARE
        staged.coverage_target = target
        outcome = staged.run(keep=keep, change_weight=change_weight, data=data)
        return PlannedWeek(outcome.assignments), outcome.bound.get("priority_hours")
    supported = _plan_over_lp_support(sub, data, end, report, gap_rel=gap_rel,
                                      threads=threads, keep=keep, change_weight=change_weight,
                                      first_pass=first_pass, again=not large_regions)
    if supported is not None:
        return supported
    if large_regions and pairs > SUPPORT_PAIRS and _overbooked(data):
        return _plan_large_regions(sub, data, end, report, gap_rel=gap_rel, threads=threads,
                                   keep=keep, change_weight=change_weight)
    parts = split_by_region(sub, data, math.ceil(pairs / REGION_PAIRS))
    found: list[Assignment] = []
    for j, (part, own) in enumerate(parts):
        part_end = time.monotonic() + (end - time.monotonic()) / (len(parts) - j)
        part_data = build_model_data(part)
        staged = StagedSolve(part, deadline=part_end, gap_rel=gap_rel, threads=threads,
                             reserve=0.0, report=lambda f, m, j=j: report(
                                 (j + f) / len(parts), f"region {j + 1}/{len(parts)}: {m}"))
        staged.coverage_share = WEEK_COVERAGE_SHARE
        staged.coverage_target = relaxed_bound(
            part_data, BOUND_SHARE * (part_end - time.monotonic()), threads)
        outcome = staged.run(keep=keep, change_weight=change_weight, data=part_data)
        found += [a for a in outcome.assignments if a.shift in own]
    return PlannedWeek(found), None     # regions restrict the week: their bounds bound nothing


def _overbooked(data: ModelData) -> bool:
    """True when the week asks more hours than its workers may work at all (a peak)."""
    demand = sum(s.hours * s.headcount for s in data.inst.shifts)
    return demand > sum(data.week_cap(w) for w, shifts in enumerate(data.candidates) if shifts)


def _plan_large_regions(sub: Instance, data: ModelData, end: float, report, **solve):
    """A peak week too large for its LP (a 3000-worker pool: ~700 000 pairs): split into
    a few large regions (one per SUPPORT_PAIRS pairs), each planned over its own LP's pairs
    when that works (else in small regions), instead of ~35 small regions at once.

    A 3000-worker peak week in 110 s: four large regions 78 603 priority-weighted hours of
    its own shifts (eight: 77 831), 36 small regions 72 604. Each region gets a share of
    the time by its pairs (the largest one's LP alone can take ~50 s)."""
    pairs = data.pair_count()
    parts = split_by_region(sub, data, math.ceil(pairs / SUPPORT_PAIRS))
    part_data = [build_model_data(part) for part, _ in parts]
    sizes = [d.pair_count() for d in part_data]
    found: list[Assignment] = []
    for j, (part, own) in enumerate(parts):
        # by pairs: the largest region's LP alone takes ~50 s of a week's ~120 s
        seconds = (end - time.monotonic()) * sizes[j] / max(1, sum(sizes[j:]))
        part_done, _ = _solve_week(
            part, part_data[j], None, seconds,
            lambda f, m, j=j: report((j + f) / len(parts), f"large region {j + 1}/{len(parts)}: {m}"),
            large_regions=False, **solve)
        found += [a for a in part_done.found if a.shift in own]
    return PlannedWeek(found), None     # regions restrict the week: their bounds bound nothing


def _plan_over_lp_support(sub: Instance, data: ModelData, end: float, report, *,
                          gap_rel: float, threads: int, keep, change_weight: float,
                          first_pass: float = 1.0, again: bool = False):
    """Plan a large peak week whole, over only the pairs its LP with the conflict cliques
    uses: (its PlannedWeek, that LP's optimum as the week's bound), taking
    `first_pass` of the time left after the LP, or None when the week is
    too large for that LP, every shift can be filled (the regions do well there) or the
    LP does not finish in its share of the time or uses too many pairs.

    On the 1000-worker peak pool a week has ~100 000 pairs; the LP takes 4 s and uses
    7511 of them, and the plan over those reached 25 551 priority-weighted hours of the
    week's own shifts in 10 s, where its six regions reached 23 790 in 25 s (workers of
    one region cannot help another).
    """
    from scheduling.lp_bound import lp_bound, lp_solution

    if data.pair_count() > SUPPORT_PAIRS:
        return None
    lp_end = time.monotonic() + SUPPORT_SHARE * (end - time.monotonic())
    transport = lp_bound(data, lp_end - time.monotonic(), threads, conflicts=False)
    if transport is None or transport >= data.demand_value() - 1e-6:
        return None
    solved = lp_solution(data, lp_end - time.monotonic(), threads)
    if solved is None or len(solved.used | data.fixed) > REGION_PAIRS:
        return None
    optimum, used = solved.optimum, solved.used
    focus = used | data.fixed
    report(0.0, f"planning over the {len(focus)} of {data.pair_count()} pairs its LP uses "
                f"(LP {optimum:.1f})")
    if again:
        first_pass = min(first_pass, FIRST_PASS_SHARE)
    staged = StagedSolve(sub, deadline=time.monotonic() + first_pass * (end - time.monotonic()),
                         gap_rel=gap_rel, threads=threads, reserve=0.0, report=report)
    staged.coverage_share = WEEK_COVERAGE_SHARE
    staged.coverage_target = optimum
    outcome = staged.run(keep=keep, change_weight=change_weight,
                         data=data.restricted_to(focus))
    planned = PlannedWeek(outcome.assignments, focus, outcome.assignments)
    if again:
        planned = _plan_again_here(sub, data, planned, solved.prices, end, report,
                                   gap_rel=gap_rel, threads=threads, keep=keep,
                                   change_weight=change_weight)
    return planned, optimum


def _plan_again_here(sub: Instance, data: ModelData, first: PlannedWeek, prices, end: float,
                     report, **solve) -> PlannedWeek:
    """`first` planned again (_refine) over its LP's pairs and each worker's best week in
    the Lagrangian bound at the LP's prices, computed here: for the large regions of a
    3000-worker peak week, which the second process (busy with the four weeks' bounds)
    does not bound. The Lagrangian takes at most LAGRANGIAN_SHARE of the time left."""
    from scheduling.lagrangian import lagrangian_bound

    if end - time.monotonic() < 2 * REFINE_MIN_SECONDS:
        return first
    support: set[tuple[int, int]] = set()
    lagrangian_bound(data, prices, time.monotonic() + LAGRANGIAN_SHARE * (end - time.monotonic()),
                     support)
    ids = [(data.inst.workers[w].id, data.inst.shifts[s].id) for w, s in support]
    if end - time.monotonic() < REFINE_MIN_SECONDS:
        return first
    better = _refine(sub, data, first, ids, end, report, **solve)
    return first if better is None else PlannedWeek(better, first.focus, better)


def _value(sub: Instance, week: datetime, timezone: str) -> float:
    """Σ priority × hours of the fixed shifts in `sub` that start outside `week`."""
    holders: dict[str, int] = defaultdict(int)
    for w in sub.workers:
        for sid in w.fixed:
            holders[sid] += 1
    return sum(s.priority * s.hours * holders[s.id] for s in sub.shifts
               if s.id in holders and week_start(s.start, timezone) != week)


def relaxed_bound(data: ModelData, time_limit: float, threads: int = 2,
                  note: Callable[[str], None] | None = None,
                  provisional: Callable[[float], None] | None = None,
                  lagrangian: bool = False,
                  support: set[tuple[int, int]] | None = None) -> float | None:
    """A proven bound on Σ priority × hours from a smaller relaxation, or None.

    First the transport LP (headcount and weekly hours only: about a second even for a
    3000-worker week). When it says every shift can be filled, that bound is kept: the
    conflicts could still lower it, but on the normal pools they do not (a 1000-worker
    week: 29658.6 both) and the time is better spent planning. Otherwise the LP with the
    conflict cliques as well (overlap, travel, pairs that leave no daily rest), if it
    finishes in time: on a 300-worker peak week 11704, against 11683 for the LP of the
    whole model and 13705 for the transport LP. `provisional` gets each proven value
    before a tighter one is tried (the transport LP's, then the LP's).

    With `lagrangian` (the bound process, which has a core of its own) the LP's headcount
    duals then price the Lagrangian bound of scheduling.lagrangian, each worker an integer
    problem with every rule of their own: on a 1000-worker peak week 37 174 against 37 826
    for the LP, in 13 s. A week too large for that LP in time (over SUPPORT_PAIRS: a
    3000-worker week's takes ~127 s) gets the Lagrangian bound at zero prices instead
    (on the 1000-worker week 37 239). `support`, if given, collects the pairs the LP uses
    and the workers' best weeks of the Lagrangian bound at its prices (the pairs a plan of
    such a week is best searched over: see _refine).
    """
    from scheduling.lagrangian import lagrangian_bound
    from scheduling.lp_bound import lp_bound, lp_solution

    note = note or (lambda text: None)
    started = time.monotonic()
    end = started + time_limit
    transport = lp_bound(data, time_limit, threads, conflicts=False)
    if transport is not None and transport >= data.demand_value() - 1e-6:
        note(f"{transport:.1f} (transport LP: every shift can be filled)")
        return transport
    if provisional is not None and transport is not None:
        provisional(transport)
    if lagrangian and transport is not None and data.pair_count() > SUPPORT_PAIRS:
        priced = lagrangian_bound(data, {}, end)    # such a week is not planned again
        if priced is not None and priced < transport:
            note(f"{priced:.1f} (Lagrangian bound, each worker's own best week; transport "
                 f"LP {transport:.1f}) in {time.monotonic() - started:.1f} s")
            return priced
    if data.pair_count() <= LP_BOUND_PAIRS:
        solved = lp_solution(data, end - time.monotonic(), threads)
        if solved is not None:
            tight = solved.optimum
            text = f"{tight:.1f} (LP with conflict cliques; transport LP {transport:.1f})"
            if lagrangian:
                if provisional is not None:
                    provisional(tight)
                if support is not None:
                    support.update(solved.used)
                priced = lagrangian_bound(data, solved.prices, end, support)
                if priced is not None and priced < tight:
                    text = (f"{priced:.1f} (Lagrangian bound at the LP's prices; LP with "
                            f"conflict cliques {tight:.1f}, transport LP {transport:.1f})")
                    tight = priced
            note(f"{text} in {time.monotonic() - started:.1f} s")
            return tight
    note(f"{transport:.1f} (transport LP; the LP with conflict cliques "
         f"{'did not finish in time' if data.pair_count() <= LP_BOUND_PAIRS else 'too large'})"
         if transport is not None else "none: no LP finished in time")
    return transport
