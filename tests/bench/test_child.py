"""Child processes of the benchmark: own peak memory, killed at their limits."""
from banenpool.bench.child import run_child


def test_a_child_reports_its_own_peak_memory():
    run = run_child(["timeit", "-n", "1", "-r", "1", "x = bytearray(200 * 2**20)"], wall_limit=30)
    assert run.returncode == 0 and run.killed is None
    assert run.peak_rss_mb > 200


def test_a_small_child_of_a_large_process_is_not_reported_at_the_parents_size():
    # Linux carries a parent's high-water mark across fork and exec into ru_maxrss; after
    # the bench process has built a large model, a small child must still read small
    ballast = bytearray(600 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])   # touch every page
    run = run_child(["timeit", "-n", "1", "-r", "1", "import time; time.sleep(0.6)"], wall_limit=30)
    assert run.returncode == 0
    assert run.peak_rss_mb < 200
    del ballast


def test_memory_of_the_childs_own_child_counts():
    # the planner bounds large weeks in a process of its own: its memory is the run's too
    grandchild = "import time; x = b'x' * (250 * 2**20); time.sleep(1.5)"
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    run = run_child(["timeit", "-n", "1", "-r", "1", code], wall_limit=30)
    assert run.returncode == 0
    assert run.peak_rss_mb > 250


def test_a_slow_child_is_killed_at_the_wall_clock_limit():
    run = run_child(["timeit", "-n", "1", "-r", "1", "import time; time.sleep(20)"], wall_limit=0.5)
    assert run.returncode is None
    assert "wall-clock" in run.killed
    assert run.wall_seconds < 5


def test_a_child_using_too_much_memory_is_killed():
    run = run_child(["timeit", "-n", "1", "-r", "1", "import time; x = bytearray(300 * 2**20); time.sleep(5)"],
                    wall_limit=30, memory_mb=150)
    assert run.returncode is None
    assert "memory" in run.killed


def test_a_failing_child_returns_its_exit_code_and_stderr():
    run = run_child(["no_such_module_here"], wall_limit=30)
    assert run.returncode == 1
    assert "No module named" in run.stderr


def test_a_solver_child_that_fails_gives_an_error_solution_with_its_last_words():
    from banenpool.bench.child import solve_in_child

    solution = solve_in_child(["no_such_module_here"], {"workers": []}, time_limit=5)
    assert solution["status"] == "error" and solution["assignments"] is None
    assert "no_such_module_here" in solution["error"]
    assert solution["wall_seconds"] > 0
