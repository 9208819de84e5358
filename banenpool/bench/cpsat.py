"""The CP-SAT benchmark peer: the same rules and objective, solved by OR-Tools CP-SAT.

    python -m banenpool.bench.cpsat INSTANCE.json SOLUTION.json --time-limit S

`run_cpsat(inst_dict, time_limit)` spawns that command, so CP-SAT never solves in the
process that runs highspy (OR-Tools bundles its own HiGHS), and its time and peak memory
are its own. (Note: `import pulp` itself imports ortools.sat when OR-Tools is installed.)
The model is in cpsat_model.py.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

from banenpool.bench.child import solve_in_child
from banenpool.bench.cpsat_model import CpSatModel
from scheduling.io import load_instance
from scheduling.metrics import compute_metrics


def run_cpsat(inst_dict: dict, time_limit: float) -> dict:
    """Solve in a child process; the solution dict gains `wall_seconds` and `peak_rss_mb`."""
    return solve_in_child(["banenpool.bench.cpsat"], inst_dict, time_limit)


def solve_instance(inst_dict: dict, time_limit: float) -> dict:
    """Build and solve within `time_limit` seconds in total; a solution dict."""
    started = time.monotonic()
    inst = load_instance(inst_dict)
    print("building the CP-SAT model", file=sys.stderr, flush=True)
    model = CpSatModel(inst)
    model.build()
    built = time.monotonic() - started
    print(f"model built in {built:.1f} s: {len(model.x)} pairs; solving", file=sys.stderr, flush=True)
    status, chosen, stats = model.solve(time_limit - built)
    chosen.sort(key=lambda a: (a.shift, a.worker))
    taken = defaultdict(int)
    for a in chosen:
        taken[a.shift] += 1
    return {"format": "banenpool-solution/1", "status": status,
            "assignments": [{"shift": a.shift, "worker": a.worker} for a in chosen],
            "unfilled": [{"shift": s.id, "open": s.headcount - taken[s.id], "reasons": ["not covered by CP-SAT"]}
                         for s in inst.shifts if taken[s.id] < s.headcount],
            "metrics": compute_metrics(inst, chosen), "bound": stats,
            "model": {"pairs": len(model.x), "rest_windows": sum(v is not None for v in model.free.values()),
                      "build_seconds": round(built, 3)},
            "solve_seconds": round(time.monotonic() - started, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m banenpool.bench.cpsat")
    parser.add_argument("instance")
    parser.add_argument("solution")
    parser.add_argument("--time-limit", type=float, default=60)
    args = parser.parse_args(argv)
    inst = json.loads(Path(args.instance).read_text())
    solution = solve_instance(inst, args.time_limit)
    solution["process"] = os.getpid()
    Path(args.solution).write_text(json.dumps(solution))
    return 0


if __name__ == "__main__":
    sys.exit(main())
