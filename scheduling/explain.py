"""Why a slot stayed open: reasons from the data and the final plan.

Every worker is classified by the first rule that stops them from taking the open slot,
in this order: skills, allowed employer, travel distance, shift length, availability,
then (given the plan) already on the shift, overlap, travel time, a conflicting shift
(the instance's `conflicts`), daily rest, weekly rest, weekly maximum. The reasons summarise the classes, e.g.
"no worker has skills heftruck+groen" or "all 4 candidates at their weekly maximum".
"""
from __future__ import annotations

import time
from collections import Counter
from typing import Iterable

from scheduling.diary import Diaries
from scheduling.instance import Assignment, Instance, Shift, Unfilled, Worker
from scheduling.timeline import haversine_km


def explain_unfilled(inst: Instance, assignments: Iterable[Assignment],
                     deadline: float | None = None) -> tuple[Unfilled, ...]:
    """One `Unfilled` per shift with fewer workers than its headcount, with reasons.

    Past `deadline` (time.monotonic()), workers who pass the rules that ignore the plan
    are no longer checked against it one by one; the reason then says so.
    """
    ctx = _Context(inst, assignments)
    out = []
    for s in inst.shifts:
        open_slots = s.headcount - len(ctx.on_shift[s.id])
        if open_slots > 0:
            detailed = deadline is None or time.monotonic() < deadline
            out.append(Unfilled(s.id, open_slots, tuple(ctx.reasons(s, detailed))))
    return tuple(out)


class _Context(Diaries):
    def __init__(self, inst: Instance, assignments: Iterable[Assignment]):
        super().__init__(inst, assignments)
        self._pools: dict = {}

    def reasons(self, shift: Shift, detailed: bool = True) -> list[str]:
        if shift.length_hours > self.rules.max_shift_hours:
            return [f"the shift lasts {shift.length_hours:g} h, more than the "
                    f"{self.rules.max_shift_hours:g} h allowed"]
        skilled, blocks, pool = self._static_pool(shift.employer, shift.skills)
        if not skilled:
            return [f"no worker has skill{'s' if len(shift.skills) > 1 else ''} "
                    f"{'+'.join(sorted(shift.skills))}"]
        barred = sum(shift.id in w.excluded for w in pool)
        if barred:
            blocks = blocks + Counter({"excluded": barred})
            pool = [w for w in pool if shift.id not in w.excluded]
        if detailed:
            blocks = blocks + Counter(self.first_block(w, shift) for w in pool)
        elif pool:
            blocks = blocks + Counter({"unchecked": len(pool)})
        return _summarise(blocks, shift, skilled, self.rules)

    def _static_pool(self, employer: str, skills: frozenset):
        """Workers with the skills, counts blocked by employer/distance, and the rest."""
        key = (employer, skills)
        if key not in self._pools:
            blocks, pool, skilled = Counter(), [], 0
            for w in self.inst.workers:
                if not skills <= w.skills:
                    continue
                skilled += 1
                block = self._static_block(w, employer)
                if block:
                    blocks[block] += 1
                else:
                    pool.append(w)
            self._pools[key] = (skilled, blocks, pool)
        return self._pools[key]

    def _static_block(self, worker: Worker, employer: str) -> str | None:
        if worker.employers is not None and employer not in worker.employers:
            return "employer"
        if worker.max_travel_km is not None and worker.max_travel_km < haversine_km(
                worker.home, self.locations[employer]):
            return "distance"
        return None


_TEXT = {
    "employer": "may not work for {employer}",
    "distance": "beyond their maximum travel distance",
    "excluded": "barred from this shift by a law or CAO rule for them (youth, night work, breaks)",
    "availability": "not available (leave, absence or outside their hours)",
    "assigned": "already on this shift",
    "overlap": "already on an overlapping shift",
    "travel": "no travel time from or to another shift",
    "conflict": "their shift next to it would break a law or CAO rule with this one "
                "(a break over both, a night duty over 12 h, rest after a night shift)",
    "daily rest": "would get less than {daily:g} h daily rest",
    "weekly rest": "would get less than {weekly:g} h weekly rest",
    "weekly maximum": "at their weekly maximum",
    "free": "free, but the planner did not place them (time limit, or planned in another region)",
    "unchecked": "within reach but busy or at a limit (not analysed one by one: time limit)",
}


def _summarise(blocks: Counter, shift: Shift, skilled: int, rules) -> list[str]:
    skill_text = "+".join(sorted(shift.skills)) or "any skill"
    values = {"employer": shift.employer, "daily": rules.min_daily_rest_hours,
              "weekly": rules.min_weekly_rest_hours}
    reasons = []
    for key in _TEXT:
        n = blocks.get(key, 0)
        if not n:
            continue
        text = _TEXT[key].format(**values)
        if n == skilled == 1:
            who = f"the only worker with {skill_text}"
        elif n == skilled:
            who = f"all {n} workers with {skill_text}"
        else:
            who = f"{n} of {skilled} workers with {skill_text}"
        reasons.append(f"{who}: {text}")
    return reasons
