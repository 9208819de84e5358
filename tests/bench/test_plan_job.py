"""The plan-job service benchmark end to end: a generated pool in SQLite, gunicorn, the queue consumer,
POST /api/v1/plans and polling to done. Size S with a 5 s limit runs in `make test` (about 15 s);
size M with the benchmark's 30 s limit is marked slow."""
import pytest

from banenpool.bench.plan_job import plan_job_bench, report_lines
from banenpool.bench.service import main, report


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return plan_job_bench(tmp_path_factory.mktemp("plan-job"), size="S", time_limit=5, timeout=120)


def test_the_job_reaches_done_and_writes_assignments(small):
    assert small["status"] == "done", small["error"]
    assert small["solver_status"] in ("optimal", "feasible")
    assert small["assignments_written"] > 0
    assert small["assignments_written"] == small["changes"]["added"]
    assert small["metrics"]["covered_hours"] > 0


def test_the_time_is_measured_and_split(small):
    assert small["seconds"] > small["solve_seconds"] > 0
    assert small["solve_seconds"] <= 5 + 2  # the limit, and the solver's closing checks
    parts = ("build_seconds", "pickup_seconds", "solve_seconds", "around_solver_seconds", "poll_seconds")
    assert all(small[k] >= 0 for k in parts)
    assert sum(small[k] for k in parts) == pytest.approx(small["seconds"], abs=0.05)


def test_the_planner_sees_the_generated_pool(small):
    trip = small["round_trip"]
    assert (small["workers"], small["employers"], small["shifts"]) == (60, 8, trip["shifts"])
    assert trip["shift_diffs"] == trip["worker_field_diffs"] == trip["availability_diffs"] == 0
    assert small["confirmed_base"] == trip["generated_fixed"] > 0  # fixed shifts became confirmed ones


def test_the_report_has_the_plan_job_line(small):
    text = report({"plan": small})
    assert text.startswith("## Service")
    assert "Plan job: `POST /plans` → `done` for size S (60 workers, 8 employers, 4 weeks" in text
    assert f"**{small['seconds']:.1f} s** (solver {small['solve_seconds']:.1f} s" in text
    assert "| **total** |" in text
    assert "workers restricted to some employers" in text


def test_a_failed_job_is_reported_as_such():
    line = report_lines({"size": "M", "workers": 300, "employers": 30, "weeks": 4, "shifts": 1410, "slots": 4907,
                         "confirmed_base": 899, "time_limit": 30, "status": "timeout", "seconds": 300.2,
                         "error": "still running"})[0]
    assert line.endswith("**timeout** after 300.2 s (still running).")


def test_the_cli_rejects_an_unknown_part(capsys):
    with pytest.raises(SystemExit):
        main(["--only", "plans"])
    assert "unknown part(s) plans" in capsys.readouterr().err


@pytest.mark.slow
def test_size_m_through_the_api_and_the_queue(tmp_path):
    result = plan_job_bench(tmp_path, size="M", time_limit=30)
    assert result["status"] == "done", result["error"]
    assert (result["workers"], result["employers"], result["shifts"]) == (300, 30, 1410)
    assert result["assignments_written"] > 0
    assert result["seconds"] < 30 * 2


def test_the_report_says_what_the_compliance_check_left_out():
    done = {"size": "M", "workers": 300, "employers": 30, "weeks": 4, "shifts": 1410, "slots": 4907,
            "confirmed_base": 899, "time_limit": 30, "status": "done", "seconds": 30.0, "solve_seconds": 26.8,
            "post_seconds": 1.0, "build_seconds": 1.0, "pickup_seconds": 0.3, "around_solver_seconds": 1.6,
            "assignments_written": 4000, "poll_seconds": 0.4, "polls": 0, "planner_import_seconds": None,
            "solver_status": "feasible", "metrics": {"demand_hours": 100.0, "covered_hours": 92.0},
            "open_slots": 2, "open_shifts": 2, "changes": {"added": 10}, "round_trip": None,
            "left_out": [{"rules": ["ATW-night-rest"]}, {"rules": ["ATW-break", "ATW-night-rest"]}],
            "refilled": [{"shift_id": 7, "worker_id": 3}]}
    text = "\n".join(report_lines(done))
    assert "left 2 proposals out before storing the plan (ATW-night-rest 2, ATW-break 1); 1 of their slots went " \
           "to another worker who passes both rule books, the other 1 are among the open ones" in text
    assert "left no proposal out" in "\n".join(report_lines({**done, "left_out": []}))
