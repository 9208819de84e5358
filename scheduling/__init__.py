"""The planner: plain dataclasses in, plain dataclasses out (PuLP + HiGHS)."""
from scheduling.instance import (
    Assignment, Employer, Instance, Interval, Location, Rules, Shift, Solution, Unfilled,
    Worker,
)
from scheduling.io import (
    InstanceFormatError, instance_to_dict, load_instance, load_solution, solution_to_dict,
)
from scheduling.explain import explain_unfilled
from scheduling.metrics import compute_metrics
from scheduling.plan_check import PlanInvalidError
from scheduling.solver import DEFAULT_CHANGE_WEIGHT, solve

__all__ = [
    "Assignment", "Employer", "Instance", "Interval", "Location", "Rules", "Shift", "Solution",
    "Unfilled", "Worker", "InstanceFormatError", "instance_to_dict", "load_instance",
    "load_solution", "solution_to_dict", "compute_metrics", "explain_unfilled", "PlanInvalidError", "solve",
    "DEFAULT_CHANGE_WEIGHT",
]
