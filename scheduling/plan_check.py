"""The planner's use of the independent rules engine in contracts/worktime.py."""
from __future__ import annotations

from collections import defaultdict

from contracts.worktime import check_solution
from scheduling.instance import Instance, Solution
from scheduling.io import instance_to_dict, solution_to_dict


class PlanInvalidError(RuntimeError):
    """The planner produced a plan that breaks a rule; `violations` lists them."""

    def __init__(self, violations: list):
        self.violations = list(violations)
        lines = "; ".join(v.message for v in self.violations[:10])
        more = f" (+{len(self.violations) - 10} more)" if len(self.violations) > 10 else ""
        super().__init__(f"planner produced an invalid plan: {lines}{more}")


def fixed_violations(inst: Instance) -> dict[str, list[str]]:
    """Rule violations caused by the fixed shifts alone, as {shift id: [messages]}."""
    pairs = [{"shift": s, "worker": w.id} for w in inst.workers for s in w.fixed]
    if not pairs:
        return {}
    solution = {"format": "banenpool-solution/1", "status": "feasible",
                "assignments": pairs, "unfilled": []}
    found: dict[str, list[str]] = defaultdict(list)
    for v in check_solution(instance_dict(inst), solution):
        text = f"fixed shifts break a rule: {v.message}"
        for shift in v.shifts or ("",):
            found[shift].append(text)
    return dict(found)


def verify(inst: Instance, solution: Solution) -> None:
    """Raise PlanInvalidError when contracts/ finds any broken rule in `solution`."""
    violations = check_solution(instance_dict(inst), solution_to_dict(solution))
    if violations:
        raise PlanInvalidError(violations)


_LAST: list = [None, None]


def schedules_valid(inst: Instance, schedules: dict[int, set[int]]) -> bool:
    """True when the rules engine finds nothing in any of these whole schedules (worker index →
    shift indexes): how a local search checks the workers it changed."""
    from contracts.worktime import rulebook_for
    book = rulebook_for(instance_dict(inst))
    return not any(book.check_worker(inst.workers[w].id, [inst.shifts[s].id for s in shifts])
                   for w, shifts in schedules.items())


def instance_dict(inst: Instance) -> dict:
    """The dict form, kept for the last instance so the checker's parse cache is reused."""
    if _LAST[0] is not inst:
        _LAST[0], _LAST[1] = inst, instance_to_dict(inst)
    return _LAST[1]
