"""`banenpool bench`: the planner against greedy and CP-SAT on generated pools.

Every contestant runs in its own child process on the same instance and time limit, so
its peak RSS is its own and one run cannot poison the next. Every solution is re-checked
by contracts.worktime. Results are medians over `repeats`; the ratios compare contestants
of the same run. Writes BENCHMARKS.md (see report.py) and the raw rows next to it as JSON.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from banenpool.bench.child import solve_in_child
from banenpool.bench.cpsat import run_cpsat
from banenpool.bench.min_hours import min_hours_reference
from banenpool.bench.report import write_report
from contracts.worktime import check_solution
from scheduling.generator import generate
from scheduling.greedy import simple_coverage_bound

CONTESTANTS = ("planner", "greedy", "cpsat")
TIME_LIMITS = {"XS": 5, "S": 30, "M": 30, "L": 120, "XL": 600,
               ("M", "peak"): 60}    # benchmarks.md: "a 300-worker peak ≥ 95 % within 60 s"
MIN_HOURS_KEYS = ("min_hours_best", "min_hours_bound", "min_hours_offset", "min_hours_seconds")
NUMBERS = ("wall_seconds", "peak_rss_mb", "covered_hours", "priority_hours", "demand_hours",
           "shortfall_min_hours", "shortfall_target_hours", "travel_km", "violations",
           *MIN_HOURS_KEYS)


def run_bench(sizes=("S", "M", "L", "XL"), regimes=("normal", "peak"), repeats: int = 3,
              out: str | Path = "BENCHMARKS.md", time_limits: dict | None = None, seed: int = 0,
              contestants=CONTESTANTS, progress=None) -> list[dict]:
    """Run every size × regime × contestant `repeats` times; write the report; return rows.

    One row per size, regime and contestant, with medians over the repeats, the bound
    and the ratios to the other contestants of the same run.
    """
    limits = {**TIME_LIMITS, **(time_limits or {})}
    progress = progress or (lambda line: print(line, flush=True))
    rows = []
    for size in sizes:
        for regime in regimes:
            inst = generate(size, regime, seed)
            limit = limits[size] if size in (time_limits or {}) else \
                limits.get((size, regime), limits[size])
            runs = {c: [] for c in contestants}
            for repeat in range(repeats):
                for contestant in contestants:
                    result = run_one(contestant, inst, limit)
                    progress(f"{size} {regime} #{repeat + 1} {contestant}: {result['status']}, "
                             f"{result['covered_hours']} h in {result['wall_seconds']:.1f} s, "
                             f"{result['violations']} violations {result['error'] or ''}")
                    runs[contestant].append(result)
            rows += _summarise(size, regime, limit, inst, runs)
            _write(rows, out, repeats, seed)  # after each pair, so a long run keeps its results
    return rows


def _write(rows: list[dict], out: str | Path, repeats: int, seed: int) -> None:
    write_report(rows, out, repeats=repeats, seed=seed)
    Path(out).with_suffix(".json").write_text(json.dumps(rows, indent=1, default=str))


def run_one(contestant: str, inst: dict, time_limit: float) -> dict:
    """One run of one contestant in a child process, checked by contracts.worktime."""
    if contestant == "cpsat":
        solution = run_cpsat(inst, time_limit)
    else:
        solution = solve_in_child(["banenpool.bench.child", contestant], inst, time_limit)
    if solution.get("assignments") is None:  # the child failed: nothing to measure
        return {"status": "error", "error": solution.get("error"), "strategy": None,
                "wall_seconds": solution["wall_seconds"], "peak_rss_mb": solution["peak_rss_mb"],
                "bound_priority_hours": None, "violation_examples": [], "min_hours_status": None,
                **{k: None for k in NUMBERS if k not in ("wall_seconds", "peak_rss_mb")}}
    violations = check_solution(inst, solution)
    reference = {"min_hours_status": None}
    if contestant == "planner":   # the contestant the target judges
        reference = {"min_hours_status": "not measured: the plan breaks rules"} if violations \
            else _min_hours(inst, solution, time_limit)
    return {
        "status": solution.get("status", "error"),
        "wall_seconds": solution.get("wall_seconds", 0.0),
        "peak_rss_mb": solution.get("peak_rss_mb", 0.0),
        "priority_hours": _priority_hours(inst, solution),
        "bound_priority_hours": (solution.get("bound") or {}).get("priority_hours"),
        "violations": len(violations),
        "violation_examples": [v.message for v in violations[:3]],
        "error": solution.get("error"),
        "strategy": solution.get("strategy") or _observed(solution.get("progress")),
        "levels": solution.get("levels") or [],
        **{k: (solution.get("metrics") or {}).get(k, 0.0) for k in
           ("demand_hours", "covered_hours", "shortfall_min_hours", "shortfall_target_hours", "travel_km")},
        **{k: None for k in MIN_HOURS_KEYS}, **reference,
    }


def _min_hours(inst: dict, solution: dict, time_limit: float) -> dict:
    """The best minimum-hours shortfall at the planner's coverage and its proven lower bound
    (min_hours.py), solved in this process after the planner's child has finished, so its
    time is not the planner's. `min_hours_status`: the solve's status ("LP only (no search)"
    above the pair limit), or the error that stopped it."""
    try:
        found = min_hours_reference(inst, solution["assignments"], time_limit)
    except Exception as error:  # a measurement that fails must not lose the planner's run
        return {"min_hours_status": f"error: {type(error).__name__}: {error}"}
    return {"min_hours_best": found["best"], "min_hours_bound": found["bound"],
            "min_hours_offset": found["offset"], "min_hours_seconds": found["seconds"],
            "min_hours_status": found["status"], "min_hours_bound_from": found["bound_from"]}


def _observed(progress: list | None) -> str | None:
    """The planner's own progress messages, as an account of what it did."""
    steps = [f"{t:.1f} s {m}" for t, m in progress or ()
             if not re.search(r": \d+ s: best|improving neighbourhoods: step", m)]
    if not steps:
        return None
    if len(steps) > 14:
        steps = steps[:6] + ["…"] + steps[-7:]
    return "observed from its progress messages: " + "; ".join(steps)


def _priority_hours(inst: dict, solution: dict) -> float:
    """Σ priority × hours covered: the planner's first objective."""
    weight = {s["id"]: s.get("priority", 1.0) * _hours(s) for s in inst["shifts"]}
    return round(sum(weight[a["shift"]] for a in solution.get("assignments") or ()), 4)


def _hours(shift: dict) -> float:
    length = datetime.fromisoformat(shift["end"]) - datetime.fromisoformat(shift["start"])
    return length.total_seconds() / 3600 - shift.get("break_minutes", 0) / 60


def _summarise(size, regime, time_limit, inst, runs) -> list[dict]:
    rows = []
    bound, rejected = _best_bound(inst, runs)
    for contestant, results in runs.items():
        row = {"size": size, "regime": regime, "contestant": contestant, "time_limit": time_limit,
               "repeats": len(results), "workers": len(inst["workers"]), "shifts": len(inst["shifts"]),
               "status": Counter(r["status"] for r in results).most_common(1)[0][0],
               "bound_priority_hours": bound, "rejected_bounds": rejected,
               "errors": sorted({r["error"] for r in results if r["error"]}),
               "strategy": next((r["strategy"] for r in results if r["strategy"]), None),
               "levels": next((r["levels"] for r in results if r.get("levels")), []),
               "violation_examples": next((r["violation_examples"] for r in results if r["violations"]), []),
               "min_hours_status": Counter(r.get("min_hours_status") for r in results).most_common(1)[0][0],
               "min_hours_bound_from": next((r["min_hours_bound_from"] for r in results
                                             if r.get("min_hours_bound_from")), None)}
        measured = [r for r in results if r["status"] != "error"] or results
        for key in NUMBERS:
            values = [r[key] for r in measured if r[key] is not None]
            row[key] = statistics.median(values) if values else None
        row["violations"] = max((r["violations"] for r in measured if r["violations"] is not None), default=None)
        row["runs_failed"] = len(results) - len([r for r in results if r["status"] != "error"])
        ok = row["priority_hours"] is not None and bound
        row["coverage_ratio"] = row["priority_hours"] / bound if ok else None
        rows.append(row)
    _ratios(rows)
    return rows


def _best_bound(inst: dict, runs: dict) -> tuple[float, list[float]]:
    """The smallest valid upper bound on Σ priority × hours: the planner's reported bounds
    and the simple bound. A reported bound below a valid plan's value is no bound: rejected."""
    best_plan = max((r["priority_hours"] for results in runs.values() for r in results
                     if r["status"] != "error" and r["violations"] == 0), default=0.0)
    reported = [r["bound_priority_hours"] for r in runs.get("planner", []) if r["bound_priority_hours"] is not None]
    valid = [b for b in reported if b >= best_plan - 1e-6]
    rejected = sorted({round(b, 2) for b in reported if b < best_plan - 1e-6})
    return min([*valid, simple_coverage_bound(inst)]), rejected


def _ratios(rows: list[dict]) -> None:
    """Planner / peer ratios of covered (priority) hours within one size × regime."""
    by_name = {r["contestant"]: r for r in rows}
    planner = by_name.get("planner")
    for peer in ("greedy", "cpsat"):
        other = by_name.get(peer)
        if not (planner and other and planner["priority_hours"] is not None
                and planner["violations"] == 0):
            continue
        if other["priority_hours"]:
            planner[f"vs_{peer}"] = planner["priority_hours"] / other["priority_hours"]
        elif other["status"] == "error":   # no plan within the same time and memory
            planner[f"no_plan_{peer}"] = "; ".join(map(str, other["errors"])) or "no plan"


def main(argv: list[str] | None = None) -> int:
    """CLI: banenpool bench [--sizes S,M] [--regimes normal,peak] [--repeats N] [--out PATH]."""
    parser = argparse.ArgumentParser(prog="banenpool bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L,XL", help="comma-separated: XS,S,M,L,XL")
    parser.add_argument("--regimes", default="normal,peak")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default="BENCHMARKS.md")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=None, help="override every size's limit")
    parser.add_argument("--contestants", default=",".join(CONTESTANTS))
    parser.add_argument("--service", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure the calendar feed and invoicing (appended to the report)")
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    limits = {s: args.time_limit for s in sizes} if args.time_limit else None
    run_bench(sizes=sizes, regimes=[r.strip() for r in args.regimes.split(",") if r.strip()],
              repeats=args.repeats, out=args.out, time_limits=limits, seed=args.seed,
              contestants=[c.strip() for c in args.contestants.split(",") if c.strip()])
    if args.service:
        from banenpool.bench.service import report, run_service_bench
        section = report(run_service_bench())
        with open(args.out, "a") as out:
            out.write("\n" + section)
        print(section)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
