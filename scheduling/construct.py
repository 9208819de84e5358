"""Repair a plan glued from parts, and fill open slots greedily.

`repair` walks each worker's shifts in time order and drops any that breaks a rule
given the ones kept before it (only week edges can clash when weeks were planned
apart). `fill_open_slots` then offers every open slot, highest value first, to the
eligible worker furthest below their weekly minimum, then below target.
"""
from __future__ import annotations

import time
from collections import defaultdict

from scheduling.diary import Diaries
from scheduling.instance import Assignment, Instance
from scheduling.model_data import ModelData

MAX_TRIES_PER_SLOT = 15


def repair(inst: Instance, assignments: list[Assignment]) -> list[Assignment]:
    """The largest time-ordered valid subset of `assignments`; fixed ones always stay."""
    shifts = {s.id: s for s in inst.shifts}
    fixed = {(sid, w.id) for w in inst.workers for sid in w.fixed}
    workers = {w.id: w for w in inst.workers}
    diaries = Diaries(inst, [Assignment(s, w) for s, w in sorted(fixed)])
    kept = [Assignment(s, w) for s, w in sorted(fixed)]
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
    eligible: dict[int, list[int]] = defaultdict(list)
    for w, s in data.pairs():
        eligible[s].append(w)
    order = sorted(range(len(inst.shifts)) if only is None else only,
                   key=lambda s: (-inst.shifts[s].priority * data.hours[s], data.start[s]))
    added = list(assignments)
    for s in order:
        shift = inst.shifts[s]
        while len(diaries.on_shift[shift.id]) < shift.headcount:
            if time.monotonic() > deadline:
                return added
            worker = _best_taker(inst, data, diaries, s, eligible[s])
            if worker is None:
                break
            diaries.add(worker.id, shift.id)
            added.append(Assignment(shift.id, worker.id))
    return added


def _best_taker(inst: Instance, data: ModelData, diaries: Diaries, s: int, workers: list[int]):
    shift = inst.shifts[s]

    def need(w: int):
        worker = inst.workers[w]
        have = diaries.week_hours(worker.id, shift.id)
        return (-max(0.0, worker.min_hours_per_week - have),
                -max(0.0, worker.target_hours_per_week - have) / max(1.0, worker.target_hours_per_week),
                data.home_km.get((w, s), 0.0))

    for w in sorted(workers, key=need)[:MAX_TRIES_PER_SLOT]:
        worker = inst.workers[w]
        if diaries.first_block(worker, shift) == "free":
            return worker
    return None
