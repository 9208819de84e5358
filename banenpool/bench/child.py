"""Run one benchmark contestant in a child process and measure its own peak memory.

    python -m banenpool.bench.child {planner|greedy} INSTANCE.json SOLUTION.json --time-limit S

Each contestant runs in a fresh interpreter: peak RSS belongs to that run alone. It is the
high-water mark VmHWM of the child's own address space (written by the child as it exits, and
polled while it runs, for a child that is killed) or, if larger, the most that the child and
its own children (the planner's bound process) held together at one poll, every 0.1 s.
os.wait4's ru_maxrss is not used: Linux carries the parent's high-water mark across fork and
exec, so a child of a large bench process would report the parent's size. One run cannot
poison the next (the planner solves with highspy, the CP-SAT peer with OR-Tools, which bundles
its own HiGHS).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChildRun:
    returncode: int | None  # None: killed (see `killed`)
    wall_seconds: float
    peak_rss_mb: float
    stderr: str
    killed: str | None = None  # why the child was killed, if it was


def memory_limit_mb() -> float:
    """Kill a child above 60 % of this machine's memory (at most 12 GB): others share it."""
    try:
        with open("/proc/meminfo") as f:
            total_kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal:"))
        return min(0.6 * total_kb / 1024, 12288.0)
    except (OSError, StopIteration):
        return 8192.0


# `python -c _LAUNCH module args...` runs the module as `python -m` would and, as it exits,
# writes its own high-water mark (kB) to the file named by BANENPOOL_PEAK_FILE
_LAUNCH = """
import atexit, os, runpy, sys
def _write_peak():
    with open("/proc/self/status") as f:
        kb = next((line.split()[1] for line in f if line.startswith("VmHWM:")), "0")
    with open(os.environ["BANENPOOL_PEAK_FILE"], "w") as out:
        out.write(kb)
atexit.register(_write_peak)
del sys.argv[0]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def run_child(args: list[str], wall_limit: float, memory_mb: float | None = None) -> ChildRun:
    """Run `python -m <args>`; kill it after `wall_limit` s or above `memory_mb` of RSS;
    report its own peak RSS (VmHWM, see the module docstring)."""
    started, limit = time.monotonic(), memory_mb or memory_limit_mb()
    killed, own_peak = None, 0.0
    with open(os.devnull, "wb") as null, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".peak") as peak_file:
        env = dict(os.environ, BANENPOOL_PEAK_FILE=peak_file.name)
        proc = subprocess.Popen([sys.executable, "-c", _LAUNCH, *args], stdout=null, stderr=err, env=env)
        try:
            while True:
                pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                own_peak = max(own_peak, _status_mb(proc.pid, "VmHWM:"),
                               sum(_status_mb(pid, "VmRSS:") for pid in _tree(proc.pid)))
                if time.monotonic() - started > wall_limit:
                    killed = f"killed at the wall-clock limit ({wall_limit:.0f} s)"
                elif _status_mb(proc.pid, "VmRSS:") > limit:
                    killed = f"killed above the memory limit ({limit:.0f} MB)"
                if killed:
                    proc.kill()
                    pid, status, _ = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.1)
        except BaseException:  # e.g. Ctrl-C: leave no orphan behind
            proc.kill()
            proc.wait()
            raise
        proc.returncode = 0  # reaped by wait4; stop Popen from waiting again
        err.seek(0)
        stderr = err.read().decode(errors="replace")[-4000:]
        written = peak_file.read().strip()   # empty when the child was killed
    code = None if killed else os.waitstatus_to_exitcode(status)
    peak = max(own_peak, int(written) / 1024 if written.isdigit() else 0.0)
    return ChildRun(code, time.monotonic() - started, peak, stderr, killed)


def solve_in_child(module: list[str], inst: dict, time_limit: float) -> dict:
    """`python -m <module> INSTANCE.json SOLUTION.json --time-limit S` on `inst`: the
    solution dict it wrote, or {"status": "error", "assignments": None, "error": why};
    either way with the child's `wall_seconds` and `peak_rss_mb`."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        inst_path, sol_path = Path(tmp, "instance.json"), Path(tmp, "solution.json")
        inst_path.write_text(json.dumps(inst))
        args = [*module, str(inst_path), str(sol_path), "--time-limit", str(time_limit)]
        run = run_child(args, wall_limit=time_limit * 1.5 + 30)
        if run.returncode == 0 and sol_path.exists():
            solution = json.loads(sol_path.read_text())
        else:
            tail = run.stderr.strip().splitlines()[-1:]
            if run.killed:
                error = run.killed + (f"; last words: {tail[0]}" if tail else "")
            else:
                error = tail[0] if tail else f"exit {run.returncode}"
            solution = {"status": "error", "assignments": None, "error": error}
    solution["wall_seconds"] = round(run.wall_seconds, 3)
    solution["peak_rss_mb"] = round(run.peak_rss_mb, 1)
    return solution


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (the planner bounds large weeks in a child of its own)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def _status_mb(pid: int, field: str) -> float:
    """A memory field ("VmRSS:", "VmHWM:") of a running process, in MB; 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(field)) / 1024
    except (OSError, StopIteration):
        return 0.0


def _solve_planner(inst: dict, time_limit: float) -> dict:
    from banenpool.process_clock import process_started
    from scheduling import solver
    from scheduling.io import load_instance, solution_to_dict

    started, log = process_started(), []   # the child's wall time is what is measured

    def progress(fraction: float, message: str) -> None:
        log.append([round(time.monotonic() - started, 2), message])
        print(f"{log[-1][0]:.1f} s {message}", file=sys.stderr, flush=True)

    solution = solution_to_dict(solver.solve(load_instance(inst), time_limit=time_limit,
                                             threads=2, progress=progress,
                                             started=started))
    solution["wall_seconds"] = round(time.monotonic() - started, 3)
    solution["progress"] = log
    return solution


def _solve_greedy(inst: dict, time_limit: float) -> dict:
    from scheduling.greedy import greedy

    return greedy(inst, time_limit=time_limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m banenpool.bench.child")
    parser.add_argument("contestant", choices=("planner", "greedy"))
    parser.add_argument("instance")
    parser.add_argument("solution")
    parser.add_argument("--time-limit", type=float, default=60)
    args = parser.parse_args(argv)
    with open(args.instance) as f:
        inst = json.load(f)
    solve = _solve_planner if args.contestant == "planner" else _solve_greedy
    solution = solve(inst, args.time_limit)
    with open(args.solution, "w") as f:
        json.dump(solution, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
