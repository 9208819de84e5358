"""The whole benchmark pipeline on a tiny instance: child processes, checks, report."""
import json
import os

import pytest

from banenpool.bench.cpsat import run_cpsat
from banenpool.bench.runner import main, run_bench
from contracts.worktime import check_solution
from scheduling.generator import generate


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "BENCHMARKS.md"
    rows = run_bench(sizes=("XS",), regimes=("normal", "peak"), repeats=1, out=out,
                     time_limits={"XS": 5}, progress=lambda line: None)
    return rows, out.read_text()


def test_every_contestant_reports_a_valid_plan(bench):
    rows, _ = bench
    assert {(r["regime"], r["contestant"]) for r in rows} == {
        (regime, c) for regime in ("normal", "peak") for c in ("planner", "greedy", "cpsat")}
    for r in rows:
        assert r["violations"] == 0, r["violation_examples"]
        assert r["status"] in ("optimal", "feasible"), r["errors"]
        assert r["covered_hours"] > 0
        assert 0 < r["coverage_ratio"] <= 1 + 1e-6
        assert r["peak_rss_mb"] > 10
        if r["contestant"] == "planner":   # the minimum-hours reference on the planner's plan
            assert r["min_hours_status"] == "optimal"
            assert r["min_hours_bound"] <= r["min_hours_best"] + 1e-6 <= r["shortfall_min_hours"] + 2e-6
        else:
            assert r["min_hours_status"] is None and r["min_hours_best"] is None


def test_the_report_has_a_row_per_contestant_and_the_targets(bench):
    _, text = bench
    assert "os.cpu_count()" in text and "PuLP" in text and "OR-Tools" in text
    table = [line for line in text.splitlines() if line.startswith("| normal |") or line.startswith("| peak |")]
    assert len(table) == 6
    assert all(line.rstrip().endswith("| 0 |") for line in table)  # violations column
    assert "## Targets" in text and "## What the planner does at each size" in text
    assert "planner / greedy" in text and "planner / CP-SAT" in text
    assert "| XS normal: minimum-hours shortfall within 10 % of the best possible at that coverage | planner" in text


def test_cpsat_plans_within_the_rules_on_a_small_peak():
    inst = generate("XS", "peak", seed=1)
    solution = run_cpsat(inst, time_limit=5)
    assert solution["process"] != os.getpid()  # solved in a child process
    assert solution["status"] in ("optimal", "feasible")
    assert check_solution(inst, solution) == []
    fixed = {(s, w["id"]) for w in inst["workers"] for s in w["fixed"]}
    assert fixed <= {(a["shift"], a["worker"]) for a in solution["assignments"]}


def test_cli_writes_the_report(tmp_path):
    out = tmp_path / "B.md"
    assert main(["--sizes", "XS", "--regimes", "normal", "--repeats", "1", "--out", str(out),
                 "--contestants", "greedy", "--no-service"]) == 0
    assert "| normal | greedy" in out.read_text()
    assert json.loads(out.with_suffix(".json").read_text())[0]["contestant"] == "greedy"
