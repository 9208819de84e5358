"""One worker's best schedule over the whole horizon at given prices, by labelling.

The pricing problem of column generation (colgen.py): among the plans of one worker that
keep every rule of theirs (instance-format.md, rules 3-6: no overlap, travel time between
employers, daily rest in the 24 h from each shift's start, weekly rest in every ISO week,
hours per ISO week; skills, employers, distance and availability are in the candidates),
find the one worth most, where a plan is worth

    Σ profit[s] over its shifts − Σ over the worker's weeks k of penalty_k(hours in week k)

with each penalty convex and non-increasing in the week's hours (the minimum-hours
shortfall and the fair target-hours slices, weighted by the master's prices).

The worker's shifts are taken in order of start; a *label* is a partial plan ending with
one shift, summed up by what its future depends on:
  value  what the plan is worth so far, its current week's penalty counted as if the week
         ended now (a convex penalty makes this a valid comparison, see `_dominates`);
  hours  worked in the ISO week its last shift starts in;
  rested whether that week has had its weekly rest already (the length of a shorter rest
         never matters: rests are only ever compared with the minimum);
  due    the earliest end of a 24 h window (from a shift's start) that has not had its daily
         rest yet: the next rest of min_daily_rest_hours must end by then.
A label is dropped when another at the same shift is worth as much with no more hours,
rested as well and no earlier due time: every way to go on from it is open to the other.

Speed (the 60-worker peak pool, 4 weeks, up to 204 candidate shifts per worker): all 60
workers in ~1 s at the master's final prices, exact; with at most 16 labels per shift (a
heuristic pricing used in early rounds) ~0.3 s. Three devices make that possible:
  * a shift that starts at least a weekly rest after the last one ends needs nothing from
    the label but its value and hours: such successors are served from a pool of released
    labels (one Pareto front per week) instead of every label trying every later shift;
  * a successor after a full daily rest needs no `due`: it is tried only from the labels
    that differ in value, hours or rest;
  * with a floor (the worker's current price in the master), a label whose value plus a
    bound on what can still come (each week's hours filled with the most profitable shifts
    per hour, as a fractional knapsack) cannot beat the floor is not kept.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from scheduling.model_data import ModelData
from scheduling.model_objective import FAIRNESS_SLICES, week_shortfalls
from scheduling.timeline import HOUR

TOLERANCE = 1.0          # seconds, as contracts/ allows for rests and travel
DAY = 24 * HOUR
EPSILON = 1e-9


@dataclass(frozen=True)
class WeekPenalty:
    """penalty(h) = short_weight · max(0, minimum − h) + fair_weight · fair_penalty(target, h),
    for each week the worker has a candidate shift in (as model_objective counts them)."""

    short_weight: float = 0.0
    fair_weight: float = 0.0

    def active(self) -> bool:
        return self.short_weight > 0 or self.fair_weight > 0


class WorkerLabeller:
    """The labelling search for one worker of `data`; reusable across prices."""

    def __init__(self, data: ModelData, w: int):
        self.data, self.w = data, w
        worker, rules = data.inst.workers[w], data.inst.rules
        self.worker = worker
        self.candidates = list(data.candidates[w])
        self.fixed = {s for s in self.candidates if (w, s) in data.fixed}
        self.cap = data.week_cap(w) + 1e-6
        self.daily = rules.min_daily_rest_hours * HOUR - TOLERANCE
        self.weekly = rules.min_weekly_rest_hours * HOUR - TOLERANCE
        self.minimum = worker.min_hours_per_week
        self.target = worker.target_hours_per_week
        self.week_starts = [start for start, _ in data.weeks]
        self.own_weeks = sorted({data.week[s] for s in self.candidates})

    # -- the week penalty -----------------------------------------------------------------
    def penalty(self, pen: WeekPenalty, hours: float) -> float:
        short, fair = week_shortfalls(self.worker, hours)
        return pen.short_weight * short + pen.fair_weight * fair

    def slope(self, pen: WeekPenalty, hours: float) -> float:
        """How much the penalty falls per extra hour at most, from `hours` on (convex: it
        falls fastest at the start)."""
        out = 0.0
        if pen.short_weight and hours < self.minimum:
            out += pen.short_weight
        if pen.fair_weight and hours < self.target:
            width = self.target / len(FAIRNESS_SLICES)
            slice_at = min(len(FAIRNESS_SLICES), int((self.target - hours) / width - 1e-9) + 1)
            out += pen.fair_weight * FAIRNESS_SLICES[slice_at - 1]
        return out

    def value_of(self, profit, shifts, pen: WeekPenalty = WeekPenalty()) -> float:
        """What a plan of this worker is worth at these prices (as `best` counts it)."""
        hours = {k: 0.0 for k in self.own_weeks}
        for s in shifts:
            hours[self.data.week[s]] += self.data.hours[s]
        return sum(profit[s] for s in shifts) - sum(self.penalty(pen, h) for h in hours.values())

    # -- the search -----------------------------------------------------------------------
    def best(self, profit, pen: WeekPenalty = WeekPenalty(), *, floor: float | None = None,
             limit: int | None = None, keep: int = 3) -> list[tuple[float, list[int]]]:
        """The plans worth most (up to `keep`, best first) as (value, shift indexes).

        `profit`: indexable by shift index. `floor`: only plans worth more are wanted (the
        search may then return none). `limit`: keep at most that many labels per shift, the
        most valuable (a heuristic: the result is a valid plan but maybe not the best).
        Exact when `limit` is None: no plan of this worker is worth more than the first
        returned (or, with `floor`, than max(first, floor)).
        """
        d = self.data
        base = -sum(self.penalty(pen, 0.0) for _ in self.own_weeks)
        top_slope = self.slope(pen, 0.0)
        nodes = [s for s in self.candidates
                 if s in self.fixed or profit[s] + top_slope * d.hours[s] > EPSILON]
        n = len(nodes)
        start = [d.start[s] for s in nodes]
        end = [d.end[s] for s in nodes]
        hours = [d.hours[s] for s in nodes]
        week = [d.week[s] for s in nodes]                 # the week its hours count in
        gain = [profit[s] for s in nodes]
        begins_in = [bisect_right(self.week_starts, t) - 1 for t in start]
        ends_in = [bisect_right(self.week_starts, t - EPSILON) - 1 for t in end]
        is_fixed = [s in self.fixed for s in nodes]
        next_fixed = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            next_fixed[i] = i if is_fixed[i] else next_fixed[i + 1]
        weeks, daily, weekly, cap = d.weeks, self.daily, self.weekly, self.cap
        penalty_memo: dict[float, float] = {}     # week hours → the week's penalty

        def added(i: int, h: float) -> tuple[float, float]:
            """(value gained, new hours) adding node i to a week with h hours."""
            nh = h + hours[i]
            before, after = penalty_memo.get(h), penalty_memo.get(nh)
            if before is None:
                before = penalty_memo[h] = self.penalty(pen, h)
            if after is None:
                after = penalty_memo[nh] = self.penalty(pen, nh)
            return gain[i] - (after - before), nh

        still = _StillToCome(self, pen, nodes, week, gain, hours, cap, len(weeks))
        bar = -float("inf") if floor is None else floor + 1e-7
        labels: list[list[tuple]] = [[] for _ in range(n)]
        finished: list[tuple] = []

        bound_memo = still.memo

        def add(j: int, label: tuple) -> None:
            value, h, rested, due = label[0], label[1], label[2], label[3]
            most = bound_memo.get((j, h))
            if most is None:
                most = still.at_most(j, h)
            if value + most <= bar:
                return
            # _dominates both ways, written out: this is the labelling's hot loop
            low, high = value - EPSILON, h + EPSILON
            kept = labels[j]
            beats_one = False
            for other in kept:
                ov, oh = other[0], other[1]
                if ov >= low and oh <= high and (other[2] or not rested) and other[3] >= due:
                    return                      # dominated
                if not beats_one and value >= ov - EPSILON and h <= oh + EPSILON and \
                        (rested or not other[2]) and due >= other[3]:
                    beats_one = True
            if beats_one:
                kept[:] = [other for other in kept if not _dominates(label, other)]
            kept.append(label)
            if limit is not None and len(kept) > limit:      # one over: drop the least worth
                worst = 0
                for i in range(1, len(kept)):
                    if kept[i][0] <= kept[worst][0]:
                        worst = i
                del kept[worst]

        def rested_after(j: int, rested: bool) -> bool | None:
            """The rest flag after node j, or None if a week ends inside j unrested."""
            if ends_in[j] != begins_in[j]:
                return False if rested else None
            return rested

        pending: list = []      # labels waiting until a weekly rest after them has passed
        same_week: dict[int, list] = {}     # released, by the week their rest runs in
        other_week: dict[int, tuple] = {}   # released with that week's rest done: best
        order = 0
        for j in range(n):
            sj = start[j]
            while pending and pending[0][0] <= sj:
                _, _, wk, h, label, rested_by_end = heapq.heappop(pending)
                _pareto_insert(same_week.setdefault(wk, []), (label[0], h, label))
                if rested_by_end:
                    held = other_week.get(wk)
                    if held is None or label[0] > held[0]:
                        other_week[wk] = (label[0], label)
            week_j = begins_in[j]
            due = sj + DAY
            fresh = rested_after(j, sj - weeks[week_j][0] >= weekly)
            if fresh is not None and hours[j] <= cap:
                if j <= next_fixed[0]:
                    value, nh = added(j, 0.0)
                    add(j, (base + value, nh, fresh, due, None, j))
                best_before = None
                for wk, held in other_week.items():
                    if wk < week_j and (best_before is None or held[0] > best_before[0]):
                        best_before = held
                if best_before is not None:
                    value, nh = added(j, 0.0)
                    add(j, (best_before[0] + value, nh, fresh, due, best_before[1], j))
            front = same_week.get(week_j)
            if front:
                rested = rested_after(j, True)
                if rested is not None:
                    for value, h, label in front:
                        gained, nh = added(j, h if week[label[5]] == week[j] else 0.0)
                        if nh <= cap:
                            add(j, (value + gained, nh, rested, due, label, j))
            if is_fixed[j]:         # no plan may leave this shift out: nothing before it goes on
                pending.clear()
                same_week.clear()
                other_week.clear()
            here = labels[j]
            if not here:
                continue
            here.sort(key=_by_value)
            ej, week_e = end[j], ends_in[j]
            week_end = weeks[week_e][1] if week_e < len(weeks) else float("inf")
            release = ej + weekly
            after_rest = []     # the labels that may rest a full day next, without `due`
            for label in here:
                if label[3] - ej < daily:
                    continue
                rested_by_end = label[2] or week_end - ej >= weekly
                if rested_by_end:
                    finished.append(label)
                order += 1
                h = label[1] if week[j] == week_e else 0.0
                heapq.heappush(pending, (release, order, week_e, h, label, rested_by_end))
                low, high, rested = label[0] - EPSILON, label[1] + EPSILON, label[2]
                for o in after_rest:
                    if o[0] >= low and o[1] <= high and (o[2] or not rested):
                        break
                else:
                    after_rest.append(label)
            last = min(next_fixed[j + 1], n - 1)
            for k in range(j + 1, bisect_left(start, release, j + 1, last + 1)):
                sk = start[k]
                gap = sk - ej
                if gap < 0 or gap < d.travel_seconds(nodes[j], nodes[k]) - TOLERANCE:
                    continue
                same = begins_in[k] == week_e
                counts_with = week[k] == week[j]
                long_rest = gap >= daily
                for label in (after_rest if long_rest else here):
                    value, h, rested, label_due = label[0], label[1], label[2], label[3]
                    if long_rest:
                        new_due = sk + DAY
                    elif sk >= label_due or label_due - end[k] < daily:
                        continue
                    else:
                        new_due = label_due
                    if same:
                        now_rested = rested or gap >= weekly
                    elif not (rested or week_end - ej >= weekly):
                        continue
                    else:
                        now_rested = sk - weeks[begins_in[k]][0] >= weekly
                    now_rested = rested_after(k, now_rested)
                    if now_rested is None:
                        continue
                    gained, nh = added(k, h if counts_with else 0.0)
                    if nh > cap:
                        continue
                    add(k, (value + gained, nh, now_rested, new_due, label, k))
        last_fixed = max((i for i in range(n) if is_fixed[i]), default=-1)
        return _best_plans(nodes, [label for label in finished if label[5] >= last_fixed],
                           None if self.fixed else base, keep)


class _StillToCome:
    """An upper bound on what a label at node j with h hours in its week can still gain:
    per week a fractional knapsack of the shifts' profit plus the penalty's fall per hour
    (its steepest: the bound holds for a convex penalty), within the week's hours cap; the
    rest of j's week from h on, every later week from 0."""

    def __init__(self, labeller: WorkerLabeller, pen: WeekPenalty, nodes, week, gain, hours,
                 cap: float, weeks: int):
        self.labeller, self.pen, self.cap = labeller, pen, cap
        self.week = week
        per_week: list[list] = [[] for _ in range(weeks)]
        for i in range(len(nodes)):
            if hours[i] > 0:
                per_week[week[i]].append((gain[i] / hours[i], hours[i]))
        zero = labeller.slope(pen, 0.0)
        full = [_knapsack(sorted(items, reverse=True), zero, cap) for items in per_week]
        self.later = [0.0] * (weeks + 1)
        for k in range(weeks - 1, -1, -1):
            self.later[k] = self.later[k + 1] + (full[k + 1] if k + 1 < weeks else 0.0)
        self.rest: list[list] = [[] for _ in nodes]      # per node: its week's later items
        items: list = []
        for i in range(len(nodes) - 1, -1, -1):
            if i + 1 < len(nodes) and week[i + 1] != week[i]:
                items = []
            self.rest[i] = items
            if hours[i] > 0:
                items = sorted(items + [(gain[i] / hours[i], hours[i])], reverse=True)
        self.memo: dict = {}

    def at_most(self, j: int, h: float) -> float:
        key = (j, h)
        got = self.memo.get(key)
        if got is None:
            slope = self.labeller.slope(self.pen, h)
            got = self.memo[key] = self.later[self.week[j]] + _knapsack(self.rest[j], slope,
                                                                         self.cap - h)
        return got


def _knapsack(items, slope: float, room: float) -> float:
    """The most a fractional knapsack of (value per hour, hours) items, each worth `slope`
    more per hour, fits in `room` hours; items sorted best first."""
    total = 0.0
    for density, length in items:
        if room <= 0 or density + slope <= 0:
            break
        take = min(room, length)
        total += (density + slope) * take
        room -= take
    return total


def _dominates(a: tuple, b: tuple) -> bool:
    """Label a leaves every continuation of label b open, worth as much (same shift)."""
    return a[0] >= b[0] - EPSILON and a[1] <= b[1] + EPSILON and (a[2] or not b[2]) and a[3] >= b[3]


def _pareto_insert(front: list, entry: tuple) -> None:
    value, h = entry[0], entry[1]
    low, high, beats_one = value - EPSILON, h + EPSILON, False
    for o in front:
        if o[0] >= low and o[1] <= high:
            return
        if not beats_one and value >= o[0] - EPSILON and h <= o[1] + EPSILON:
            beats_one = True
    if beats_one:
        front[:] = [o for o in front if not (value >= o[0] - EPSILON and h <= o[1] + EPSILON)]
    front.append(entry)


def _by_value(label: tuple) -> float:
    return -label[0]


def _best_plans(nodes: list[int], finished: list[tuple], empty: float | None,
                keep: int) -> list[tuple[float, list[int]]]:
    out = [] if empty is None else [(empty, [])]
    seen = set()
    for label in sorted(finished, key=_by_value):
        plan, cursor = [], label
        while cursor is not None:
            plan.append(nodes[cursor[5]])
            cursor = cursor[4]
        key = tuple(sorted(plan))
        if key in seen:
            continue
        seen.add(key)
        out.append((label[0], list(key)))
        if len(out) > keep:
            break
    out.sort(key=lambda item: -item[0])
    return out[:keep]
