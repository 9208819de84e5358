"""BENCHMARKS.md rendering, including failed runs and targets."""
from banenpool.bench.report import write_report


def _row(contestant, status="feasible", covered=100.0, **extra):
    row = {"size": "M", "regime": "normal", "contestant": contestant, "time_limit": 30, "repeats": 1,
           "workers": 300, "shifts": 1440, "status": status, "bound_priority_hours": 120.0,
           "errors": [], "strategy": None, "violation_examples": [], "runs_failed": 0,
           "wall_seconds": 12.0, "peak_rss_mb": 300.0, "covered_hours": covered, "priority_hours": covered,
           "demand_hours": 130.0, "shortfall_min_hours": 5.0, "shortfall_target_hours": 20.0,
           "travel_km": 900.0, "violations": 0,
           "coverage_ratio": None if covered is None else covered / 120.0}
    row.update(extra)
    return row


def test_a_failed_planner_run_shows_dashes_and_misses_its_targets(tmp_path):
    failed = _row("planner", status="error", covered=None, coverage_ratio=None, violations=None,
                  demand_hours=None, shortfall_min_hours=None, shortfall_target_hours=None,
                  travel_km=None, priority_hours=None, errors=["killed at the wall-clock limit (75 s)"],
                  runs_failed=1, wall_seconds=75.1)
    text = write_report([failed, _row("greedy"), _row("cpsat", covered=110.0)], tmp_path / "B.md",
                        repeats=1, seed=0)
    planner_line = next(line for line in text.splitlines() if line.startswith("| normal | planner"))
    assert "| error |" in planner_line and "| — |" in planner_line
    assert "M normal: ≥ 99.5% of the bound within 30 s | — in 75.1 s (error) | **not met**" in text
    assert "M normal: never worse than greedy | ratio — | **not met**" in text
    assert "killed at the wall-clock limit" in text
    assert "runs that failed, so were not checked: 1" in text


def test_met_targets_and_ratios(tmp_path):
    planner = _row("planner", covered=119.9, vs_greedy=119.9 / 100, vs_cpsat=1.0, strategy="one MILP")
    text = write_report([planner, _row("greedy"), _row("cpsat", covered=119.9)], tmp_path / "B.md",
                        repeats=3, seed=0)
    assert "M normal: ≥ 99.5% of the bound within 30 s | 99.92% in 12.0 s (feasible) | met" in text
    assert "M normal: never worse than greedy | ratio 1.1990 | met" in text
    assert "- **M normal**: one MILP" in text
    assert "medians over 3 run(s)" in text


def test_a_reported_bound_below_a_valid_plan_is_rejected():
    from banenpool.bench.runner import _best_bound
    from scheduling.generator import generate

    inst = generate("XS", "normal", seed=0)
    runs = {"planner": [{"status": "feasible", "violations": 0, "priority_hours": 50.0, "bound_priority_hours": -5.0}],
            "greedy": [{"status": "feasible", "violations": 0, "priority_hours": 60.0, "bound_priority_hours": None}]}
    bound, rejected = _best_bound(inst, runs)
    assert rejected == [-5.0]
    assert bound >= 60.0
    runs["planner"][0]["bound_priority_hours"] = 61.0
    assert _best_bound(inst, runs) == (61.0, [])


def test_the_planner_progress_becomes_its_story_without_the_ticks():
    from banenpool.bench.runner import _observed

    story = _observed([[0.1, "finding eligible worker-shift pairs"], [2.0, "stage 1/3: coverage"],
                       [3.0, "coverage: 1 s: best 10.0, bound 12.0"], [4.0, "done: optimal"]])
    assert story == ("observed from its progress messages: 0.1 s finding eligible worker-shift pairs; "
                     "2.0 s stage 1/3: coverage; 4.0 s done: optimal")


def test_the_minimum_hours_target_is_met_not_met_or_undecided_from_the_bound_and_the_best_found(tmp_path):
    from banenpool.bench.report import min_hours_verdict

    target = "minimum-hours shortfall within 10 % of the best possible at that coverage"
    rows = [_row("planner", size="S", regime="normal", shortfall_min_hours=100.0, min_hours_best=95.0,
                 min_hours_bound=92.0, min_hours_offset=50.0, min_hours_seconds=7.3, min_hours_status="optimal",
                 min_hours_bound_from="MIP dual bound"),
            _row("planner", size="S", regime="peak", shortfall_min_hours=120.0, min_hours_best=100.0,
                 min_hours_bound=90.0, min_hours_offset=50.0, min_hours_seconds=30.5,
                 min_hours_status="time limit"),
            _row("planner", size="M", regime="normal", shortfall_min_hours=105.0, min_hours_best=100.0,
                 min_hours_bound=80.0, min_hours_offset=50.0, min_hours_seconds=40.0,
                 min_hours_status="time limit"),
            _row("planner", size="M", regime="peak", shortfall_min_hours=105.0, min_hours_best=105.0,
                 min_hours_bound=None, min_hours_status="time limit"),
            _row("planner", size="L", regime="normal", shortfall_min_hours=105.0, min_hours_best=105.0,
                 min_hours_bound=99.0, min_hours_offset=50.0, min_hours_seconds=61.0,
                 min_hours_status="LP only (no search)", min_hours_bound_from="LP relaxation"),
            _row("planner", size="L", regime="peak", min_hours_best=None, min_hours_bound=None,
                 min_hours_status="error: MemoryError: ")]
    text = write_report(rows, tmp_path / "B.md", repeats=1, seed=0)
    assert (f"| S normal: {target} | planner 100.00 h; best found 95.00 h; proven lower bound 92.00 h "
            "(bound from the MIP dual bound, 50.0 h of each in worker-weeks with no possible shift, "
                "on the part a plan can change: planner 50.00 h against 42.00 h, +19%, reference optimal after 7.3 s) | met |") in text
    assert f"| S peak: {target} | planner 120.00 h; best found 100.00 h; proven lower bound 90.00 h" in text
    assert next(line for line in text.splitlines() if line.startswith(f"| S peak: {target}")).endswith(
        "| **not met** |")
    assert next(line for line in text.splitlines() if line.startswith(f"| M normal: {target}")).endswith(
        "| undecided (bound too weak) |")
    assert f"| M peak: {target} | planner 105.00 h; best found 105.00 h; proven lower bound none |" in text
    assert (f"| L normal: {target} | planner 105.00 h; best found 105.00 h; proven lower bound 99.00 h "
            "(bound from the LP relaxation, 50.0 h of each in worker-weeks with no possible shift, on the "
            "part a plan can change: planner 55.00 h against 49.00 h, +12%, reference LP only (no search) "
            "after 61.0 s) | met |") in text
    assert f"| L peak: {target} | not measured (error: MemoryError: ) | not measured |" in text
    assert "is not measured: no lexicographic optimum" not in text
    assert "dual bound" in text   # the method is explained
    # the edges: exactly 10 % above the bound is met; no bound and a best found of 0 is not met
    assert min_hours_verdict(110.0, 100.0, 100.0) == "met"
    assert min_hours_verdict(0.0, 0.0, 0.0) == "met"
    assert min_hours_verdict(1.0, 0.0, None) == "**not met**"
    assert min_hours_verdict(110.0, 100.0, None) == "undecided (bound too weak)"


def test_a_peer_without_a_plan_in_the_same_budget_counts_as_beaten(tmp_path):
    from banenpool.bench.runner import _ratios

    killed = "killed above the memory limit (12288 MB); last words: building"
    cpsat = _row("cpsat", status="error", covered=None, priority_hours=None, errors=[killed])
    planner, greedy = _row("planner", covered=119.0), _row("greedy", covered=100.0)
    _ratios([planner, greedy, cpsat])
    assert planner["vs_greedy"] == 1.19 and "vs_cpsat" not in planner
    text = write_report([planner, greedy, cpsat], tmp_path / "B.md", repeats=1, seed=0)
    assert ("M normal: at least as good as CP-SAT | ratio — (CP-SAT found no plan in the same "
            f"time and memory: {killed}) | met") in text
    assert "planner / greedy = 1.1900, planner / CP-SAT = — (CP-SAT found no plan" in text


def test_a_planner_plan_that_breaks_rules_beats_no_peer(tmp_path):
    from banenpool.bench.runner import _ratios

    cpsat = _row("cpsat", status="error", covered=None, priority_hours=None, errors=["exit 1"])
    planner = _row("planner", covered=119.0, violations=2)
    _ratios([planner, cpsat])
    text = write_report([planner, cpsat], tmp_path / "B.md", repeats=1, seed=0)
    assert "M normal: at least as good as CP-SAT | ratio — | **not met**" in text


def test_the_s_target_line_says_which_objective_levels_were_proven(tmp_path):
    levels = [{"level": "coverage", "status": "optimal", "value": 5112.25, "bound": 5112.25, "seconds": 6.1},
              {"level": "minimum_hours", "status": "optimal", "value": 170.0, "bound": 170.0, "seconds": 6.3},
              {"level": "target_hours_and_travel", "status": "feasible", "value": 2000.0, "bound": 1998.0,
               "seconds": 16.2}]
    planner = _row("planner", size="S", wall_seconds=29.3, levels=levels)
    text = write_report([planner, _row("greedy", size="S"), _row("cpsat", size="S")], tmp_path / "B.md",
                        repeats=1, seed=0)
    assert ("S normal: optimal in seconds (≤ 10 s) | feasible in 29.3 s; levels: coverage optimal (6.1 s), "
            "minimum_hours optimal (6.3 s), target_hours_and_travel feasible (gap 0.10% after 16.2 s) "
            "| **not met**") in text


def test_a_level_stopped_with_a_root_bound_far_away_says_the_bound_is_still_loose():
    from scheduling.metrics import levels_text
    text = levels_text([{"level": "target_hours_and_travel", "status": "feasible", "value": 1294.5,
                         "bound": 123.1, "seconds": 1.5}])
    assert text == ("target_hours_and_travel feasible (gap 90.49% after 1.5 s; the bound is still loose: "
                    "a longer time limit usually tightens it)")
    close = levels_text([{"level": "coverage", "status": "feasible", "value": 100.0, "bound": 100.5}])
    assert close == "coverage feasible (gap 0.50%)"
