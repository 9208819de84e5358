"""Split a (week) instance into regions when it is too large for one model.

Employers are grouped by location (k-means on their coordinates, deterministic start);
each worker goes to one region they can work in, chosen so that regions get staff in
proportion to their demand, and is planned only there. Regions then share no worker and no shift, so they are solved apart. This
gives up placements across a region border: a heuristic for the largest pools only.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace

from scheduling.instance import Instance
from scheduling.model_data import ModelData

ITERATIONS = 12


def employer_regions(inst: Instance, k: int) -> dict[str, int]:
    """Region number per employer id (employers without a location go to region 0)."""
    located = [(e.id, e.location.lat, e.location.lon * math.cos(math.radians(e.location.lat)))
               for e in inst.employers if e.location is not None]
    k = max(1, min(k, len(located)))
    if not located:
        return {e.id: 0 for e in inst.employers}
    ordered = sorted(located, key=lambda p: (p[1], p[2], p[0]))
    centres = [ordered[(2 * i + 1) * len(ordered) // (2 * k)][1:] for i in range(k)]
    region: dict[str, int] = {}
    for _ in range(ITERATIONS):
        region = {ident: min(range(k), key=lambda c: (y - centres[c][0]) ** 2
                             + (x - centres[c][1]) ** 2) for ident, y, x in located}
        for c in range(k):
            members = [(y, x) for ident, y, x in located if region[ident] == c]
            if members:
                centres[c] = (sum(p[0] for p in members) / len(members),
                              sum(p[1] for p in members) / len(members))
    return {e.id: region.get(e.id, 0) for e in inst.employers}


def split_by_region(inst: Instance, data: ModelData, k: int) -> list[tuple[Instance, set[str]]]:
    """Region sub-instances and, for each, the ids of the shifts it plans."""
    region_of = employer_regions(inst, k)
    hours: dict[tuple[int, int], float] = defaultdict(float)
    for w, s in data.pairs():
        hours[w, region_of[inst.shifts[s].employer]] += data.hours[s]
    home = _balanced_homes(inst, data, region_of, hours, k)
    parts = []
    for r in range(k):
        workers = [wk for w, wk in enumerate(inst.workers) if home[w] == r]
        own = {s.id for s in inst.shifts if region_of[s.employer] == r}
        parts.append((_part(inst, workers, own), own))
    return parts


def _balanced_homes(inst: Instance, data: ModelData, region_of, hours, k: int) -> dict:
    """Each worker to a region they can work in, the least staffed (by share) first.

    Workers with the fewest regions to choose from are placed first; a region's unmet
    demand drops by what the worker can give (their eligible hours there, at most
    their weekly limit).
    """
    demand = defaultdict(float)
    for s in inst.shifts:
        demand[region_of[s.employer]] += s.hours * s.headcount
    unmet = dict(demand)
    options = {w: [r for r in range(k) if hours.get((w, r), 0.0) > 0]
               for w in range(len(inst.workers))}
    home = {}
    for w in sorted(options, key=lambda w: (len(options[w]), w)):
        if not options[w]:
            home[w] = 0
            continue
        r = max(options[w], key=lambda r: (unmet.get(r, 0.0) / max(1.0, demand[r]),
                                           hours[w, r], -r))
        home[w] = r
        unmet[r] = unmet.get(r, 0.0) - min(hours[w, r], data.week_cap(w))
    return home


def _part(inst: Instance, workers: list, own: set[str]) -> Instance:
    """Own shifts (headcount less the fixed holders elsewhere) plus the workers' fixed."""
    holders_in: dict[str, int] = defaultdict(int)
    holders_all: dict[str, int] = defaultdict(int)
    for w in inst.workers:
        for sid in w.fixed:
            holders_all[sid] += 1
    for w in workers:
        for sid in w.fixed:
            holders_in[sid] += 1
    shifts = []
    for s in inst.shifts:
        if s.id in own:
            room = s.headcount - (holders_all[s.id] - holders_in[s.id])
            if room > 0:
                shifts.append(replace(s, headcount=room))
        elif holders_in[s.id]:
            shifts.append(replace(s, headcount=holders_in[s.id]))
    return replace(inst, workers=tuple(workers), shifts=tuple(shifts))
