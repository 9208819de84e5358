"""Repair a plan glued from parts, and fill open slots greedily.

`repair` walks each worker's shifts in time order and drops any that breaks a rule
given the ones kept before it (only week edges can clash when weeks were planned
apart). `fill_open_slots` then offers every open slot, highest value first, to the
eligible worker furthest below their weekly minimum, then below target;
`fill_by_exchanges` fills more of them by exchanges between two workers. `restore_kept`
gives published assignments back to their workers where coverage does not need the move.
`raise_minimum_hours` hands shifts to workers short of their weekly minimum from
co-workers who can spare them.
"""
from __future__ import annotations

import time
from collections import defaultdict

from scheduling.diary import Diaries
from scheduling.instance import Assignment, Instance
from scheduling.model_data import ModelData



def fixed_pairs(inst: Instance) -> set[tuple[str, str]]:
    """(worker id, shift id) of every fixed assignment: these never move."""
    return {(w.id, sid) for w in inst.workers for sid in w.fixed}

def repair(inst: Instance, assignments: list[Assignment]) -> list[Assignment]:
    """The largest time-ordered valid subset of `assignments`; fixed ones always stay."""
    shifts = {s.id: s for s in inst.shifts}
    fixed = {(sid, w) for w, sid in fixed_pairs(inst)}
    workers = {w.id: w for w in inst.workers}
    kept = [Assignment(s, w) for s, w in sorted(fixed)]
    diaries = Diaries(inst, list(kept))
    taken: dict[str, int] = defaultdict(int)
    for s, _ in fixed:
        taken[s] += 1
    for a in sorted(assignments, key=lambda a: (shifts[a.shift].start, a.shift, a.worker)):
        if (a.shift, a.worker) in fixed or taken[a.shift] >= shifts[a.shift].headcount:
            continue
        if diaries.first_block(workers[a.worker], shifts[a.shift]) == "free":
            diaries.add(a.worker, a.shift)
            taken[a.shift] += 1
            kept.append(a)
    return kept


def fill_open_slots(inst: Instance, data: ModelData, assignments: list[Assignment],
                    deadline: float, only: set[int] | None = None) -> list[Assignment]:
    """Add assignments to open slots while rules allow and time remains.

    `only`: shift indexes to consider (default all).
    """
    diaries = Diaries(inst, assignments)
    eligible = data.workers_of_shift()
    order = sorted(range(len(inst.shifts)) if only is None else only,
                   key=lambda s: (-inst.shifts[s].priority * data.hours[s], data.start[s]))
    added = list(assignments)
    for s in order:
        shift = inst.shifts[s]
        if len(diaries.on_shift[shift.id]) >= shift.headcount:
            continue
        if time.monotonic() > deadline:
            return added
        # adding a shift never frees a worker, so one pass over the candidates will do
        for worker in _by_need(inst, data, diaries, s, eligible[s]):
            if diaries.fits(worker, shift):
                diaries.add(worker.id, shift.id)
                added.append(Assignment(shift.id, worker.id))
                if len(diaries.on_shift[shift.id]) >= shift.headcount:
                    break
    return added


PLAN_BLOCKS = frozenset({"overlap", "travel", "conflict", "daily rest", "weekly rest", "weekly maximum"})


def fill_by_exchanges(inst: Instance, data: ModelData, assignments: list[Assignment],
                      deadline: float) -> list[Assignment]:
    """Fill open slots that no worker fits as the plan stands by exchanges: an eligible
    worker blocked only by a shift of their own (overlap, travel, rest, weekly hours) takes
    the open slot and hands that shift, within 48 h of it, to a co-worker it fits. Coverage
    rises by the slot's value at each exchange; fixed shifts never move.

    Meant for a pool that can fill every shift (a normal week): on the 300-worker
    normal weeks the greedy plan leaves 142-568 priority-weighted hours open, which
    exchanges cut to 0-198 in 0.1-0.5 s, so HiGHS starts near the bound. At a peak every
    candidate is at their maximum and exchanges gain ~0.2 % in 3 s: not worth it there.
    """
    diaries = Diaries(inst, assignments)
    eligible = data.workers_of_shift()
    fixed = fixed_pairs(inst)
    order = sorted(range(len(inst.shifts)),
                   key=lambda s: (-inst.shifts[s].priority * data.hours[s], data.start[s]))
    for s in order:
        shift = inst.shifts[s]
        for w in eligible[s]:
            if len(diaries.on_shift[shift.id]) >= shift.headcount or time.monotonic() > deadline:
                break
            worker = inst.workers[w]
            block = diaries.first_block(worker, shift)
            if block == "free":     # freed by an earlier exchange
                diaries.add(worker.id, shift.id)
            if block not in PLAN_BLOCKS:
                continue
            mine = _near(diaries, data, worker, s, lambda sid, w=worker.id: (w, sid) not in fixed)

            def takers(sid: str, w: int = w) -> list:
                return [inst.workers[v] for v in eligible[data.shift_index[sid]] if v != w]

            _swap(inst, data, diaries, worker, shift, mine, takers, lambda sid: True)
    return _assignments(diaries)


def _by_need(inst: Instance, data: ModelData, diaries: Diaries, s: int, workers: list[int]):
    """The workers most in need first: furthest below their minimum, then their target
    (relative), then the nearest."""
    shift = inst.shifts[s]

    def need(w: int):
        worker = inst.workers[w]
        have = diaries.week_hours(worker.id, shift.id)
        return (-max(0.0, worker.min_hours_per_week - have),
                -max(0.0, worker.target_hours_per_week - have) / max(1.0, worker.target_hours_per_week),
                data.home_km.get((w, s), 0.0))

    return [inst.workers[w] for w in sorted(workers, key=need)]


RESTORE_WINDOW = 48 * 3600   # a kept shift can be blocked by shifts this close to it


def restore_kept(inst: Instance, data: ModelData, assignments: list[Assignment],
                 keep: tuple[Assignment, ...], deadline: float) -> list[Assignment]:
    """Give kept (published) assignments back to their workers where coverage allows.

    A plan whose coverage level was solved without the second level (minimum hours and
    changes) may move published shifts to other workers for nothing. For each kept pair
    (w, s) missing from the plan: w takes s if a slot is open; else the holder w' of s
    who was not kept hands it over; if w is blocked by a shift t of their own that was
    not kept, t goes to w' (or another eligible worker) in exchange. Coverage never drops
    and each exchange undoes two changes (a worker's minimum-hours shortfall may move by
    the hours of the shifts exchanged).
    """
    diaries = Diaries(inst, assignments)
    stay = {(a.shift, a.worker) for a in keep} | {(sid, w) for w, sid in fixed_pairs(inst)}

    def movable(shift_id: str, worker_id: str) -> bool:
        return (shift_id, worker_id) not in stay

    shifts, workers = inst.shifts, inst.workers
    eligible = data.workers_of_shift()
    todo = sorted(((data.shift_index[a.shift], data.worker_index[a.worker]) for a in keep
                   if a.shift in data.shift_index and a.worker in data.worker_index),
                  key=lambda sw: (-inst.drop_weight(inst.shifts[sw[0]].id, inst.workers[sw[1]].id), sw))  # costly first
    for s, w in todo:
        if time.monotonic() > deadline:
            break
        shift, worker = shifts[s], workers[w]
        if worker.id in diaries.on_shift[shift.id] or w not in eligible[s]:
            continue
        if len(diaries.on_shift[shift.id]) < shift.headcount:
            if diaries.first_block(worker, shift) == "free":
                diaries.add(worker.id, shift.id)
            continue
        for other in sorted(diaries.on_shift[shift.id]):
            if movable(shift.id, other) and _hand_over(inst, data, diaries, s, w, other,
                                                        eligible, movable):
                break
    return _assignments(diaries)


def _hand_over(inst, data, diaries: Diaries, s: int, w: int, other: str, eligible,
               movable) -> bool:
    """`other` hands shift s to worker w, taking over one of w's blocking shifts if needed
    (or another eligible worker takes it)."""
    shift, worker = inst.shifts[s], inst.workers[w]
    diaries.remove(other, shift.id)
    if diaries.first_block(worker, shift) == "free":
        diaries.add(worker.id, shift.id)
        return True
    o = data.worker_index[other]

    def takers(sid: str) -> list:
        t = data.shift_index[sid]
        order = ([o] if o in eligible[t] else []) + [v for v in eligible[t] if v not in (o, w)]
        return [inst.workers[v] for v in order]

    near = _near(diaries, data, worker, s, lambda sid: movable(sid, worker.id))
    if _swap(inst, data, diaries, worker, shift, near, takers, lambda sid: True):
        return True
    diaries.add(other, shift.id)
    return False


def _near(diaries: Diaries, data: ModelData, worker, s: int, movable) -> list[str]:
    """The worker's shifts starting within RESTORE_WINDOW of shift `s` (those that can block
    it) for which `movable(shift id)` holds."""
    return [sid for start, _, sid in diaries.plan[worker.id]
            if abs(start - data.start[s]) < RESTORE_WINDOW and movable(sid)]


def _swap(inst, data, diaries: Diaries, worker, shift, mine: list[str], takers,
          better) -> bool:
    """`worker` takes `shift` (its slot already open) in exchange for one of `mine`, the
    shifts of theirs that may block it, which goes to the first of `takers(sid)` it fits;
    kept only if `better(sid)`. Returns False with the diaries as they were otherwise."""
    for sid in mine:
        diaries.remove(worker.id, sid)
        if diaries.first_block(worker, shift) == "free":
            diaries.add(worker.id, shift.id)
            back = inst.shifts[data.shift_index[sid]]
            for taker in takers(sid):
                if diaries.first_block(taker, back) == "free":
                    diaries.add(taker.id, sid)
                    if better(sid):
                        return True
                    diaries.remove(taker.id, sid)
            diaries.remove(worker.id, shift.id)
        diaries.add(worker.id, sid)
    return False


HAND_OVER_ROUNDS = 5     # passes over the short worker-weeks (the third adds ~4 %)


def raise_minimum_hours(inst: Instance, data: ModelData, assignments: list[Assignment],
                        deadline: float, keep: tuple[Assignment, ...] = (),
                        change_weight: float = 8.0) -> list[Assignment]:
    """Hand shifts to workers short of their weekly minimum hours from co-workers on the
    same shift, where the shortfall drops by more than the giver's rises (and than
    `change_weight` per extra change of the kept plan `keep`). Coverage stays the same;
    every hand-over is checked like a new assignment, and a fixed shift never moves.

    The coverage level of a large pool is planned in regions of a few seconds each,
    too short for the minimum-hours level: HiGHS keeps any plan that covers the most,
    however it spreads the hours. On the 1000-worker normal pool this takes the first
    plan's minimum-hours shortfall from 14 146 to 12 792 h by hand-overs alone, to
    12 337 h with exchanges (_exchange) as well, in 4 s (the LP bound: 12 103.5 h).
    """
    diaries = Diaries(inst, assignments)
    fixed = fixed_pairs(inst)
    kept = {(a.worker, a.shift) for a in keep}
    if not kept:
        change_weight = 0.0     # no published plan: changes cost nothing
    weeks: dict[tuple[int, int], list[int]] = defaultdict(list)
    for w, s in data.pairs():
        if inst.workers[w].min_hours_per_week > 0:
            weeks[w, data.week[s]].append(s)
    for _ in range(HAND_OVER_ROUNDS):
        moved = 0
        for (w, _week), shifts in weeks.items():
            worker = inst.workers[w]
            for s in sorted(shifts, key=lambda s: (-data.hours[s], s)):
                if time.monotonic() > deadline:
                    return _assignments(diaries)
                shift = inst.shifts[s]
                short = worker.min_hours_per_week - diaries.week_hours(worker.id, shift.id)
                if short <= 1e-9:
                    break
                if worker.id in diaries.on_shift[shift.id]:
                    continue
                # taking a kept pair back undoes its drop (its weight), a new pair is one change
                gain = min(short, data.hours[s]) + change_weight * (
                    inst.drop_weight(shift.id, worker.id) if (worker.id, shift.id) in kept else -1.0)
                giver = _giver(inst, data, diaries, s, gain, fixed, kept, change_weight)
                if giver is None:
                    continue
                if diaries.fits(worker, shift):
                    diaries.remove(giver, shift.id)
                    diaries.add(worker.id, shift.id)
                    moved += 1
                elif not kept and _exchange(inst, data, diaries, s, worker, giver, fixed):
                    moved += 1
        if not moved:
            break
    return _assignments(diaries)


def _giver(inst: Instance, data: ModelData, diaries: Diaries, s: int, gain: float,
           fixed: set, kept: set, change_weight: float) -> str | None:
    """The co-worker on shift `s` whose handing it over gains the most on top of `gain`
    (what the taker gains), if anyone's gains anything."""
    shift, hours = inst.shifts[s], data.hours[s]
    best, chosen = 1e-9, None
    for other in sorted(diaries.on_shift[shift.id]):
        if (other, shift.id) in fixed:
            continue
        minimum = inst.workers[data.worker_index[other]].min_hours_per_week
        have = diaries.week_hours(other, shift.id)
        loss = max(0.0, minimum - (have - hours)) - max(0.0, minimum - have)
        changes = inst.drop_weight(shift.id, other) if (other, shift.id) in kept else -1.0
        net = gain - loss - change_weight * changes
        if net > best:
            best, chosen = net, other
    return chosen


def _exchange(inst: Instance, data: ModelData, diaries: Diaries, s: int, worker, giver: str,
              fixed: set) -> bool:
    """`worker` takes shift `s` from `giver` and gives back a shorter shift of their own
    that blocks it, if that lowers the two workers' minimum-hours shortfall together
    (coverage stays the same). Not with a kept plan: each exchange makes four changes."""
    shift = inst.shifts[s]
    other = inst.workers[data.worker_index[giver]]
    mine = _near(diaries, data, worker, s, lambda sid: (worker.id, sid) not in fixed
                 and data.hours[data.shift_index[sid]] < data.hours[s] - 1e-9)

    def short(sid: str) -> float:
        return _short(diaries, worker, {shift.id, sid}) + _short(diaries, other, {shift.id, sid})

    before = {sid: short(sid) for sid in mine}

    def takers(sid: str) -> list:
        back = inst.shifts[data.shift_index[sid]]
        return [other] if diaries.static_block(other, back) is None else []

    diaries.remove(giver, shift.id)
    if _swap(inst, data, diaries, worker, shift, mine, takers,
             lambda sid: short(sid) < before[sid] - 1e-9):
        return True
    diaries.add(giver, shift.id)
    return False


def _short(diaries: Diaries, worker, shift_ids: set[str]) -> float:
    """The worker's minimum-hours shortfall in the weeks in which `shift_ids` start."""
    weeks = {diaries.week_of(sid): sid for sid in shift_ids}
    return sum(max(0.0, worker.min_hours_per_week - diaries.week_hours(worker.id, sid))
               for sid in weeks.values())


def _assignments(diaries: Diaries) -> list[Assignment]:
    return [Assignment(sid, wid) for sid, holders in diaries.on_shift.items()
            for wid in sorted(holders)]
