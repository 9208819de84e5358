"""Independent checker of planning solutions against the validity rules.

Works on the JSON dict forms `banenpool-instance/1` and `banenpool-solution/1`
(shared/spec/instance-format.md) and shares no code with the planner in `scheduling/`.

    check_solution(instance, solution) -> list[Violation]   every rule, whole solution
    check_worker(instance, worker_id, shift_ids) -> list[Violation]   one worker's shifts
    RuleBook(instance)                                       parse once, check many times
    RULES                                                    (code, name, description)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from contracts.worktime_index import InstanceIndex
from contracts.worktime_rules import RULE_NAMES, RULES, WORKER_RULES, Violation, WorkerPlan

__all__ = ["RULES", "RuleBook", "Violation", "check_solution", "check_worker"]


def _violation(code: str, message: str, worker: str | None, shifts: Iterable[str]) -> Violation:
    return Violation(code, RULE_NAMES[code], f"{code}: {message}", worker, tuple(shifts))


class RuleBook:
    """The rules applied to one instance; parses the instance once.

    The instance dict must not be changed after the RuleBook is made.
    """

    def __init__(self, instance: dict):
        self.index = InstanceIndex(instance)

    def check_worker(self, worker_id: str, shift_ids: Iterable[str], *, add_fixed: bool = True) -> list[Violation]:
        """Every per-worker rule for this worker doing these shifts.

        With `add_fixed` (the default) the worker's fixed shifts are added to `shift_ids`,
        since they stay assigned whatever else happens. Unknown ids give W00 violations.
        """
        worker = self.index.workers.get(worker_id)
        if worker is None:
            return [_violation("W00", f"unknown worker {worker_id}", worker_id, ())]
        wanted = set(shift_ids)
        if add_fixed:
            wanted.update(worker.fixed)
        found, shifts = [], []
        for shift_id in sorted(wanted):
            shift = self.index.shifts.get(shift_id)
            if shift is None:
                found.append(_violation("W00", f"unknown shift {shift_id} for {worker_id}", worker_id, [shift_id]))
            else:
                shifts.append(shift)
        plan = WorkerPlan(self.index, worker, tuple(sorted(shifts, key=lambda s: (s.start, s.end, s.id))))
        for rule in WORKER_RULES:
            found.extend(rule(plan))
        return found

    def check_solution(self, solution: dict) -> list[Violation]:
        """Every rule for a whole solution: its assignments, then each worker's shifts."""
        pairs = [(str(a["shift"]), str(a["worker"])) for a in solution.get("assignments", ())]
        found = self.unknown_ids(pairs) + self.headcount(pairs) + self.once_per_shift(pairs)
        found += self.fixed_kept(pairs)
        by_worker: dict[str, set[str]] = {}
        for shift_id, worker_id in pairs:
            if worker_id in self.index.workers:
                by_worker.setdefault(worker_id, set()).add(shift_id)
        for worker_id in sorted(by_worker):
            known = {s for s in by_worker[worker_id] if s in self.index.shifts}
            found.extend(self.check_worker(worker_id, known, add_fixed=False))
        return found

    # -- rules about the solution as a whole -----------------------------------------------
    def unknown_ids(self, pairs: list[tuple[str, str]]) -> list[Violation]:
        """W00: every assignment names a shift and a worker of the instance."""
        found = []
        for shift_id, worker_id in pairs:
            if shift_id not in self.index.shifts:
                found.append(_violation("W00", f"assignment to unknown shift {shift_id}", worker_id, [shift_id]))
            if worker_id not in self.index.workers:
                found.append(_violation("W00", f"assignment of unknown worker {worker_id}", worker_id, [shift_id]))
        return found

    def headcount(self, pairs: list[tuple[str, str]]) -> list[Violation]:
        """W01: a shift never gets more (distinct) workers than its headcount."""
        workers: dict[str, set[str]] = {}
        for shift_id, worker_id in pairs:
            workers.setdefault(shift_id, set()).add(worker_id)
        found = []
        for shift_id, names in sorted(workers.items()):
            shift = self.index.shifts.get(shift_id)
            if shift is not None and len(names) > shift.headcount:
                text = f"{shift_id} has {len(names)} workers ({', '.join(sorted(names))}) but headcount {shift.headcount}"
                found.append(_violation("W01", text, None, [shift_id]))
        return found

    def once_per_shift(self, pairs: list[tuple[str, str]]) -> list[Violation]:
        """W02: a worker appears at most once per shift."""
        return [
            _violation("W02", f"{worker_id} is assigned to {shift_id} {times} times", worker_id, [shift_id])
            for (shift_id, worker_id), times in sorted(Counter(pairs).items())
            if times > 1
        ]

    def fixed_kept(self, pairs: list[tuple[str, str]]) -> list[Violation]:
        """W09: every fixed shift of a worker is among the assignments."""
        assigned = set(pairs)
        return [
            _violation("W09", f"fixed shift {shift_id} of {worker.id} is missing from the solution",
                       worker.id, [shift_id])
            for worker in self.index.workers.values()
            for shift_id in worker.fixed
            if (shift_id, worker.id) not in assigned
        ]


_CACHE: dict[int, tuple[dict, RuleBook]] = {}
_CACHE_SIZE = 4


def rulebook_for(instance: dict) -> RuleBook:
    """The RuleBook of this instance dict, parsed once and kept while the dict is in use."""
    entry = _CACHE.get(id(instance))
    if entry is not None and entry[0] is instance:  # the kept reference stops id reuse
        return entry[1]
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    book = RuleBook(instance)
    _CACHE[id(instance)] = (instance, book)
    return book


def check_solution(instance: dict, solution: dict) -> list[Violation]:
    """All violations of `solution` (banenpool-solution/1) against `instance`; [] when valid."""
    return rulebook_for(instance).check_solution(solution)


def check_worker(instance: dict, worker_id: str, shift_ids: Iterable[str]) -> list[Violation]:
    """Every per-worker rule for `worker_id` doing `shift_ids` plus their fixed shifts.

    Fast after the first call for an instance: the parsed instance is cached by identity.
    """
    return rulebook_for(instance).check_worker(worker_id, shift_ids)
