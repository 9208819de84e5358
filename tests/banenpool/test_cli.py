"""The `banenpool` command line, run as a user would (real database files, real solver)."""
import json

import pytest
from click.testing import CliRunner

from banenpool.cli import main

TINY = {
    "format": "banenpool-instance/1", "timezone": "Europe/Amsterdam",
    "employers": [{"id": "E1", "name": "Groen", "cao": "hoveniers", "location": {"lat": 52.22, "lon": 6.89}}],
    "workers": [{"id": "W1", "skills": ["groen"], "home": {"lat": 52.22, "lon": 6.88}, "max_travel_km": 30,
                 "min_hours_per_week": 0, "target_hours_per_week": 16, "max_hours_per_week": 40,
                 "available": [{"start": "2026-03-02T06:00:00+01:00", "end": "2026-03-03T20:00:00+01:00"}]}],
    "shifts": [{"id": "S1", "employer": "E1", "start": "2026-03-02T07:00:00+01:00",
                "end": "2026-03-02T15:30:00+01:00", "break_minutes": 30, "skills": ["groen"], "headcount": 1},
               {"id": "S2", "employer": "E1", "start": "2026-03-02T16:00:00+01:00",
                "end": "2026-03-02T20:00:00+01:00", "break_minutes": 0, "skills": ["groen"], "headcount": 1}],
}


def _env(tmp_path):
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BANENPOOL_SECRET_KEY": "x",
            "BANENPOOL_INSTANCE_DIR": str(tmp_path)}


def test_init_db_and_create_user(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"], env=_env(tmp_path)).exit_code == 0
    ok = runner.invoke(main, ["create-user", "--role", "intermediary", "--email", "p@x.nl", "--password",
                              "lang-genoeg"], env=_env(tmp_path))
    assert ok.exit_code == 0 and "created intermediary login p@x.nl" in ok.output
    again = runner.invoke(main, ["create-user", "--role", "intermediary", "--email", "p@x.nl", "--password",
                                 "lang-genoeg"], env=_env(tmp_path))
    assert again.exit_code != 0 and "exists already" in again.output
    bad = runner.invoke(main, ["create-user", "--role", "employer", "--email", "e@x.nl", "--password",
                               "lang-genoeg"], env=_env(tmp_path))
    assert bad.exit_code != 0 and "employer_id" in bad.output


def test_demo_prints_logins_that_work(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["demo", "--reset"], env=_env(tmp_path))
    assert result.exit_code == 0, result.output
    assert "planner@banenpool.test" in result.output and "werkgever8@banenpool.test" in result.output
    from web import create_app
    app = create_app({"DATABASE_URL": _env(tmp_path)["DATABASE_URL"]})
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"email": "planner@banenpool.test",
                                                    "password": "banenpool-demo"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert len(client.get("/api/v1/employers", headers=headers).get_json()) == 8
    assert len(client.get("/api/v1/workers", headers=headers).get_json()) == 60
    shifts = client.get("/api/v1/shifts?from=2027-03-15&to=2027-03-21", headers=headers).get_json()
    assert len({s["employer_id"] for s in shifts}) == 8
    assert "gepubliceerd (optimal)" in result.output  # the demo plans its first two weeks and publishes
    confirmed = client.get("/api/v1/assignments?from=2027-03-15&to=2027-03-28", headers=headers).get_json()
    assert len(confirmed) > 100 and {a["status"] for a in confirmed} == {"confirmed"}
    login = client.post("/api/v1/auth/token", json={"email": "medewerker1@banenpool.test",
                                                    "password": "banenpool-demo"}).get_json()
    own = client.get("/api/v1/assignments", headers={"Authorization": f"Bearer {login['token']}"}).get_json()
    assert own and {a["worker_id"] for a in own} == {login["worker_id"]}     # a worker with shifts, own only
    assert len({a["employer_id"] for a in own}) >= 2                         # one schedule across employers
    # the month before today is worked: hours approved or waiting, invoices final and draft
    invoices = client.get("/api/v1/invoices", headers=headers).get_json()
    assert {i["status"] for i in invoices} == {"final", "draft"}
    waiting = client.get("/api/v1/timesheets?status=submitted", headers=headers).get_json()
    assert waiting and all(t["status"] == "submitted" for t in waiting)
    app.extensions["banenpool.engine"].dispose()


def test_solve_then_check(tmp_path):
    runner = CliRunner()
    instance = tmp_path / "tiny.json"
    instance.write_text(json.dumps(TINY))
    solution = tmp_path / "solution.json"
    solved = runner.invoke(main, ["solve", str(instance), "-o", str(solution), "--time-limit", "10"])
    assert solved.exit_code == 0, solved.output
    data = json.loads(solution.read_text())
    assert data["format"] == "banenpool-solution/1" and len(data["assignments"]) == 2
    # what is proven per objective level, on stderr (the status depends on the time left: under
    # the test runner the limit counts from the test process's start, as it would from a command's)
    assert f"levels: coverage {data['levels'][0]['status']}" in solved.stderr
    checked = runner.invoke(main, ["check", str(instance), str(solution)])
    assert checked.exit_code == 0, checked.output
    data["assignments"].append({"shift": "S2", "worker": "W1"})  # the same worker twice on S2
    solution.write_text(json.dumps(data))
    broken = runner.invoke(main, ["check", str(instance), str(solution)])
    assert broken.exit_code == 1 and "W02" in broken.output


def test_solve_reports_broken_file(tmp_path):
    broken = dict(TINY, shifts=[dict(TINY["shifts"][0], end="2026-03-02T06:00:00+01:00")])
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code != 0 and "shifts[0]" in result.output and "end" in result.output


def test_cao_diff_and_pay_preview():
    runner = CliRunner()
    diff = runner.invoke(main, ["cao-diff", "hoveniers", "recreatie"])
    assert diff.exit_code == 0 and "Zondag: +100 % (hoveniers) vs +25 % (recreatie)" in diff.output
    unknown = runner.invoke(main, ["cao-diff", "hoveniers", "nope"])
    assert unknown.exit_code != 0 and "nope" in unknown.output
    pay = runner.invoke(main, ["pay-preview", "--cao", "schoonmaak", "--birth-date", "1990-01-01", "--start",
                               "2026-03-07T08:00:00+01:00", "--end", "2026-03-07T12:00:00+01:00", "--json"])
    assert pay.exit_code == 0, pay.output
    lines = json.loads(pay.output)["lines"]
    assert [line["kind"] for line in lines] == ["base", "surcharge"]
    naive = runner.invoke(main, ["pay-preview", "--cao", "schoonmaak", "--birth-date", "1990-01-01", "--start",
                                 "2026-03-07T08:00:00", "--end", "2026-03-07T12:00:00+01:00"])
    assert naive.exit_code == 2 and "--start" in naive.output and "offset" in naive.output


def test_bench_help_lists_the_benchmark_options():
    result = CliRunner().invoke(main, ["bench", "--help"])
    assert result.exit_code == 0
    assert "--sizes" in result.output and "--contestants" in result.output


def test_serve_with_worker_stops_its_consumer_when_terminated(tmp_path):
    """`banenpool serve --with-worker` stopped with SIGTERM (kill, a service manager) takes its job
    consumer along instead of leaving it running."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, **_env(tmp_path), "BANENPOOL_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}"}
    assert CliRunner().invoke(main, ["init-db"], env=_env(tmp_path)).exit_code == 0   # the consumer reads plans
    server = subprocess.Popen([sys.executable, "-m", "banenpool.cli", "serve", "--with-worker", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    try:
        deadline = time.monotonic() + 30
        consumer = None
        while time.monotonic() < deadline and consumer is None:
            time.sleep(0.2)
            pids = children.read_text().split() if children.exists() else []
            consumer = int(pids[0]) if pids else None
        assert consumer is not None, "no consumer process started"
        time.sleep(5)      # past its start (it loads the planner, then reads the plans table)
        state = Path(f"/proc/{consumer}/stat").read_text().split()[2]
        assert state != "Z", "the consumer did not keep running"
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        gone = time.monotonic() + 20
        while time.monotonic() < gone and Path(f"/proc/{consumer}").exists() and \
                "Z" not in Path(f"/proc/{consumer}/stat").read_text().split()[2]:
            time.sleep(0.2)
        alive = Path(f"/proc/{consumer}").exists() and "Z" not in Path(f"/proc/{consumer}/stat").read_text().split()[2]
        assert not alive, "the consumer outlived the server"
    finally:
        if server.poll() is None:
            server.kill()


def test_check_and_solve_name_the_broken_file(tmp_path):
    """A planning file that is not UTF-8, not an object or lacks a field: an error naming the file and
    the field, exit 1, no traceback."""
    runner = CliRunner()
    instance, solution = tmp_path / "tiny.json", tmp_path / "solution.json"
    instance.write_text(json.dumps(TINY))
    solution.write_text(json.dumps({"assignments": [{"shift": "S1", "worker": "W1"}]}))   # a hand-made list
    assert runner.invoke(main, ["check", str(instance), str(solution)]).exit_code == 0
    listed, latin = tmp_path / "list.json", tmp_path / "latin.json"
    listed.write_text("[]")
    latin.write_bytes(b'\xff\xfe{"format": "caf\xe9"}')
    no_worker = tmp_path / "no_worker.json"
    no_worker.write_text(json.dumps({"format": "banenpool-solution/1", "status": "optimal",
                                     "assignments": [{"shift": "S1"}]}))
    for args, path, why in ((["check", str(listed), str(solution)], listed, "must hold a JSON object"),
                            (["check", str(instance), str(listed)], listed, "must hold a JSON object"),
                            (["check", str(instance), str(no_worker)], no_worker, "assignments[0].worker: missing"),
                            (["check", str(latin), str(solution)], latin, "not UTF-8"),
                            (["solve", str(latin)], latin, "not UTF-8"),
                            (["solve", str(listed)], listed, "must hold a JSON object")):
        result = runner.invoke(main, args)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), (args, result.exception)
        assert f"Error: {path}: " in result.output and why in result.output, result.output
        assert result.output.count(str(path)) == 1, result.output     # named once


def test_worker_needs_at_least_one_thread(monkeypatch):
    """`banenpool worker --workers 0` would run a consumer that never runs a plan: refused."""
    from banenpool import queue
    started = []
    monkeypatch.setattr(queue, "run_consumer", lambda workers: started.append(workers))
    for n in ("0", "-1"):
        result = CliRunner().invoke(main, ["worker", "--workers", n])
        assert result.exit_code == 2 and "--workers" in result.output and "x>=1" in result.output, result.output
    assert CliRunner().invoke(main, ["worker", "--workers", "2"]).exit_code == 0
    assert started == [2]


def test_solve_needs_a_time_limit_above_zero(tmp_path):
    """A limit of 0, below 0, nan or inf is a usage error naming --time-limit, not a plan made in no time."""
    instance = tmp_path / "tiny.json"
    instance.write_text(json.dumps(TINY))
    for limit in ("0", "-5", "nan", "inf"):
        result = CliRunner().invoke(main, ["solve", str(instance), f"--time-limit={limit}"])
        assert result.exit_code == 2 and "--time-limit" in result.output and "above 0" in result.output, result.output


def test_solve_into_a_missing_folder_is_said_before_solving(tmp_path, monkeypatch):
    """-o in a folder that does not exist: an error naming it, before the planner runs; a file that
    cannot be written: an error naming it, not a traceback."""
    import scheduling
    instance = tmp_path / "tiny.json"
    instance.write_text(json.dumps(TINY))
    missing = tmp_path / "nowhere" / "solution.json"
    monkeypatch.setattr(scheduling, "solve", lambda *a, **k: pytest.fail("solved before the output was checked"))
    result = CliRunner().invoke(main, ["solve", str(instance), "-o", str(missing)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert f"Error: {missing}: its folder {missing.parent} does not exist" in result.output
    monkeypatch.undo()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = CliRunner().invoke(main, ["solve", str(instance), "-o", str(locked / "s.json"), "--time-limit", "5"])
    finally:
        locked.chmod(0o700)
    if result.exit_code != 0 or not (locked / "s.json").exists():     # root may write anyway
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
        assert f"Error: {locked / 's.json'}: cannot write the solution" in result.output
