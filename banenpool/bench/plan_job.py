"""Plan job (benchmarks.md "Service"): from `POST /api/v1/plans` to `done` through the API and the queue.

A generated pool (scheduling.generator, size M by default) is written into a fresh SQLite database
through the ORM models; gunicorn serves the API and `banenpool worker` (the consumer `banenpool serve
--with-worker` starts) takes the job off the huey queue, both as subprocesses on loopback. A planner
login asks for a plan of the pool's whole horizon and polls it until it is done or failed.

What the database cannot say of a generated instance (see load_pool):
- `workers[].employers` (a worker restricted to some employers): the instance builder writes null
  (any employer), so those workers are open to every employer within their travel distance.
- `workers[].fixed` (shifts of a small base contract, hard in the instance): the database has no
  fixed assignment on a stored shift; they become confirmed assignments, which the planner gets as
  `keep` (a soft preference; it may drop one). `Contract.base_pattern` would not do: it makes extra
  base-hours shifts every week, while the generator's fixed shifts take slots of its own shifts on
  a few days of a week.
- `rules`: the builder derives them from the employers' CAOs (max_shift_hours may go below 12 h).
"""
from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from banenpool.config import REPO_ROOT

SIZE, REGIME, SEED, TIME_LIMIT = "M", "normal", 0, 30.0
TIMEOUT_SECONDS = 300.0   # from the POST; a job still not done by then is reported as such
POLL_SECONDS = 0.2
EMAIL, PASSWORD = "planner@bench.banenpool.test", "bench-planner-password"


# --- the pool in the database ------------------------------------------------------------------

@dataclass
class LoadedPool:
    start_date: date
    end_date: date
    employers: dict[str, int] = field(default_factory=dict)  # generated id → database id
    workers: dict[str, int] = field(default_factory=dict)
    shifts: dict[str, int] = field(default_factory=dict)
    confirmed: int = 0  # the generator's fixed shifts, stored as confirmed assignments
    seconds: float = 0.0


def horizon(inst: dict) -> tuple[date, date]:
    """First Monday and last Sunday of the ISO weeks in which the instance's shifts start."""
    from banenpool.calendar_nl import AMS
    days = [datetime.fromisoformat(s["start"]).astimezone(AMS).date() for s in inst["shifts"]]
    first, last = min(days), max(days)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def _hours(start: datetime, end: datetime, break_minutes: int) -> Decimal:
    """Paid hours as the capacity requests compute them: real elapsed time minus the break."""
    elapsed = end.astimezone(timezone.utc) - start.astimezone(timezone.utc)
    return (Decimal(elapsed.total_seconds() - break_minutes * 60) / Decimal(3600)).quantize(
        Decimal("0.01"), ROUND_HALF_UP)


def _holiday(start: datetime, end: datetime) -> str | None:
    """The Dutch holiday the shift works on, as capacity requests set it (a night may run into one)."""
    from banenpool.calendar_nl import AMS, holiday_name
    local_end = end.astimezone(AMS)
    last_day = local_end.date() if local_end.time() != clock(0) else start.astimezone(AMS).date()
    return holiday_name(start.astimezone(AMS).date()) or holiday_name(last_day)


def _day_windows(intervals: list[tuple[datetime, datetime]]) -> set[tuple[int, clock, clock]]:
    """Weekly rows (weekday, start, end; an end at or before the start is the next day) covering the
    intervals: each interval is cut at the same wall-clock time a day later (merged 24-hour windows)."""
    from banenpool.calendar_nl import AMS, local_datetime
    rows = set()
    for start, end in intervals:
        cursor = start.astimezone(AMS)
        end = end.astimezone(AMS)
        while cursor < end:
            piece_end = min(end, local_datetime(cursor.date() + timedelta(days=1), cursor.time()))
            rows.add((cursor.weekday(), cursor.time(), piece_end.time()))
            cursor = piece_end
    return rows


def load_pool(maker, inst: dict) -> LoadedPool:
    """Write the instance's employers, workers (with availability, leave and a contract), shifts and
    fixed shifts (as confirmed assignments) with the ORM models, in one transaction; plus a planner login.

    Availability: the generator gives each worker one daily window on some weekdays, minus a leave
    week. The weekly rows are read off its intervals; whatever the rows give (over the days the
    instance builder expands: the period and the day before) that the instance does not is written
    as an absence, so the builder gives back exactly the generated intervals.
    """
    from banenpool.models import (Absence, Assignment, Contract, Employer, Shift, WeeklyAvailability,
                                  Worker)
    from banenpool.principal import SYSTEM
    from banenpool.services import auth
    from banenpool.services.instance_builder import availability, subtract_intervals

    started = time.perf_counter()
    first, last = horizon(inst)
    pool = LoadedPool(first, last)
    with maker() as s:
        auth.create_user(s, SYSTEM, email=EMAIL, password=PASSWORD, role="intermediary")
        employers = {}
        for n, e in enumerate(inst["employers"]):
            loc = e.get("location") or {}
            employers[e["id"]] = Employer(name=e["name"], kvk_number=f"9{n:07d}", cao_code=e["cao"],
                                          lat=loc.get("lat"), lon=loc.get("lon"))
        s.add_all(employers.values())
        s.flush()
        pool.employers = {k: e.id for k, e in employers.items()}

        shifts = {}
        for sh in inst["shifts"]:
            start, end = datetime.fromisoformat(sh["start"]), datetime.fromisoformat(sh["end"])
            brk = int(sh.get("break_minutes", 0))
            shifts[sh["id"]] = Shift(employer_id=pool.employers[sh["employer"]], start=start, end=end,
                                     break_minutes=brk, paid_hours=_hours(start, end, brk),
                                     skills=list(sh.get("skills", [])), headcount=int(sh["headcount"]),
                                     priority=float(sh.get("priority", 1.0)),
                                     public_holiday=_holiday(start, end))
        s.add_all(shifts.values())
        s.flush()
        pool.shifts = {k: sh.id for k, sh in shifts.items()}
        employer_of_shift = {sh["id"]: sh["employer"] for sh in inst["shifts"]}
        cao_of = {e["id"]: e["cao"] for e in inst["employers"]}

        workers = {}
        for w in inst["workers"]:
            home = w.get("home") or {}
            worker = Worker(name=f"Poolmedewerker {w['id']}", birth_date=date(1990, 1, 1),
                            lat=home.get("lat"), lon=home.get("lon"), skills=list(w.get("skills", [])),
                            max_travel_km=w.get("max_travel_km"),
                            min_hours_per_week=Decimal(str(w["min_hours_per_week"])),
                            target_hours_per_week=Decimal(str(w["target_hours_per_week"])),
                            max_hours_per_week=Decimal(str(w["max_hours_per_week"])))
            wanted = [(datetime.fromisoformat(a["start"]), datetime.fromisoformat(a["end"]))
                      for a in w.get("available", [])]
            worker.weekly = [WeeklyAvailability(weekday=d, start=a, end=b)
                             for d, a, b in sorted(_day_windows(wanted))]
            worker.absences = [Absence(start=a, end=b, reason="leave")
                               for a, b in subtract_intervals(availability(worker, first, last), wanted)]
            # a contract as the pool has them: a small one with the employer of the base shifts,
            # else a min-max contract with the intermediary itself (no base hours either way)
            base_employer = employer_of_shift[w["fixed"][0]] if w.get("fixed") else None
            worker.contracts = [Contract(
                employer_id=pool.employers[base_employer] if base_employer else None, kind="min_max",
                hours_per_week=Decimal(str(w["min_hours_per_week"])),
                cao_code=cao_of[base_employer] if base_employer else "abu", start_date=first - timedelta(days=90))]
            workers[w["id"]] = worker
        s.add_all(workers.values())
        s.flush()
        pool.workers = {k: w.id for k, w in workers.items()}
        for w in inst["workers"]:
            for shift_id in w.get("fixed", []):
                s.add(Assignment(shift_id=pool.shifts[shift_id], worker_id=pool.workers[w["id"]],
                                 status="confirmed"))
                pool.confirmed += 1
        s.commit()
    pool.seconds = time.perf_counter() - started
    return pool


# --- the round trip: what the planner got against what was generated ---------------------------

def round_trip(inst: dict, solved: dict, pool: LoadedPool) -> dict:
    """Differences between the generated instance and the one the plan solved (GET …/instance)."""
    shift_back = {str(v): k for k, v in pool.shifts.items()}
    worker_back = {str(v): k for k, v in pool.workers.items()}
    employer_back = {str(v): k for k, v in pool.employers.items()}
    gen_shifts, gen_workers = {s["id"]: s for s in inst["shifts"]}, {w["id"]: w for w in inst["workers"]}

    def instants(items):
        return [(datetime.fromisoformat(a["start"]), datetime.fromisoformat(a["end"])) for a in items]

    shift_diffs = 0
    for s in solved["shifts"]:
        g = gen_shifts.get(shift_back.get(s["id"]))
        same = g is not None and employer_back.get(s["employer"]) == g["employer"] and all(
            datetime.fromisoformat(s[k]) == datetime.fromisoformat(g[k]) for k in ("start", "end")) and \
            s["break_minutes"] == g.get("break_minutes", 0) and sorted(s["skills"]) == sorted(g["skills"]) and \
            s["headcount"] == g["headcount"] and s["priority"] == g.get("priority", 1.0)
        shift_diffs += not same
    worker_fields, availability_diffs = 0, 0
    for w in solved["workers"]:
        g = gen_workers[worker_back[w["id"]]]
        worker_fields += sum(w[k] != g.get(k) for k in ("skills", "home", "max_travel_km", "min_hours_per_week",
                                                        "target_hours_per_week", "max_hours_per_week"))
        availability_diffs += instants(w["available"]) != instants(g["available"])
    rules = {k: (inst["rules"].get(k), v) for k, v in solved.get("rules", {}).items() if inst["rules"].get(k) != v}
    return {"shifts": len(solved["shifts"]), "generated_shifts": len(inst["shifts"]), "shift_diffs": shift_diffs,
            "workers": len(solved["workers"]), "worker_field_diffs": worker_fields,
            "availability_diffs": availability_diffs,
            "restricted_workers": sum(w.get("employers") is not None for w in inst["workers"]),
            "generated_fixed": sum(len(w.get("fixed", [])) for w in inst["workers"]),
            "solved_fixed": sum(len(w.get("fixed", [])) for w in solved["workers"]),
            "rules": rules}


# --- the API ------------------------------------------------------------------------------------

def _call(port: int, method: str, path: str, body: dict | None = None, token: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=None if body is None else json.dumps(body, default=str), headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None
    finally:
        conn.close()


def _consumer(env: dict, log: Path) -> subprocess.Popen:
    """`banenpool worker`, as `banenpool serve --with-worker` (make demo) starts it; up once huey says so."""
    with log.open("wb") as out:
        consumer = subprocess.Popen([sys.executable, "-m", "banenpool.cli", "worker"], cwd=REPO_ROOT, env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if "consumer started" in log.read_text(errors="replace"):
            return consumer
        if consumer.poll() is not None:
            break
        time.sleep(0.05)
    _stop(consumer)
    raise RuntimeError(f"the queue consumer did not start: {_tail(log)}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def _tail(log: Path, lines: int = 5) -> str:
    return " | ".join(log.read_text(errors="replace").strip().splitlines()[-lines:]) if log.exists() else ""


def _planner_import_seconds(env: dict) -> float | None:
    """What the consumer's first job pays for `from scheduling import …` (run_plan imports the planner
    lazily, after marking the plan running), measured apart in a fresh interpreter."""
    code = ("import time, banenpool.queue, banenpool.services.planning; t = time.perf_counter(); "
            "from scheduling import Assignment, load_instance, solve, solution_to_dict; "
            "print(time.perf_counter() - t)")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    return float(run.stdout.split()[-1]) if run.returncode == 0 and run.stdout.split() else None


def _instant(text: str | None) -> float | None:
    return datetime.fromisoformat(text).timestamp() if text else None


def plan_job_bench(tmp: Path, size: str = SIZE, time_limit: float = TIME_LIMIT, seed: int = SEED,
                   timeout: float = TIMEOUT_SECONDS) -> dict:
    """Load a generated pool, start gunicorn and the consumer, POST a plan of the whole horizon and
    poll it to `done`. Times on one machine: the client's clock and the plan's timestamps agree."""
    from sqlalchemy import func, select
    from banenpool.bench.service import _env, _free_port, _serve, _session
    from banenpool.models import Assignment
    from scheduling.generator import generate

    inst = generate(size, REGIME, seed)
    env = _env(tmp)
    maker = _session(env)
    pool = load_pool(maker, inst)
    log = tmp / "consumer.log"
    port = _free_port()
    server = _serve(env, port)
    try:
        consumer = _consumer(env, log)
        try:
            status, login = _call(port, "POST", "/api/v1/auth/token", {"email": EMAIL, "password": PASSWORD})
            if status != 200:
                raise RuntimeError(f"POST /api/v1/auth/token: {status} {login}")
            token = login["token"]
            # the generated pool's weeks (March 2026) may lie in the past: plan them whole all the same
            body = {"start_date": pool.start_date.isoformat(), "end_date": pool.end_date.isoformat(),
                    "time_limit_seconds": time_limit, "include_started": True}
            posted_at, started = time.time(), time.perf_counter()
            status, plan = _call(port, "POST", "/api/v1/plans", body, token)
            post_seconds = time.perf_counter() - started
            if status != 202:
                raise RuntimeError(f"POST /api/v1/plans: {status} {plan}")
            plan_id, polls = plan["id"], []
            while plan["status"] in ("queued", "running") and time.perf_counter() - started < timeout:
                time.sleep(POLL_SECONDS)
                asked = time.perf_counter()
                status, plan = _call(port, "GET", f"/api/v1/plans/{plan_id}", token=token)
                polls.append(time.perf_counter() - asked)
                if status != 200:
                    raise RuntimeError(f"GET /api/v1/plans/{plan_id}: {status} {plan}")
            seen_at, seconds = time.time(), time.perf_counter() - started
            unfilled = solved = None
            if plan["status"] == "done":
                _, unfilled = _call(port, "GET", f"/api/v1/plans/{plan_id}/unfilled", token=token)
                _, solved = _call(port, "GET", f"/api/v1/plans/{plan_id}/instance", token=token)
        finally:
            _stop(consumer)
    finally:
        _stop(server)
    import_seconds = _planner_import_seconds(env)
    with maker() as s:
        written = s.scalar(select(func.count(Assignment.id)).where(Assignment.plan_id == plan_id))
    created, begun, finished = (_instant(plan.get(k)) for k in ("created_at", "started_at", "finished_at"))
    solve = plan.get("solve_seconds")
    done = plan["status"] == "done"
    metrics = plan.get("metrics") or {}
    return {
        "size": size, "regime": REGIME, "seed": seed, "time_limit": time_limit,
        "workers": len(inst["workers"]), "employers": len(inst["employers"]), "shifts": len(inst["shifts"]),
        "slots": sum(s["headcount"] for s in inst["shifts"]),
        "weeks": (pool.end_date - pool.start_date).days // 7 + 1, "confirmed_base": pool.confirmed,
        "load_seconds": pool.seconds,
        "plan_id": plan_id, "status": "timeout" if plan["status"] in ("queued", "running") else plan["status"],
        "error": plan.get("error") or (None if done else _tail(log)), "polls": len(polls),
        "poll_median_ms": statistics.median(polls) * 1000 if polls else None,
        "seconds": seconds, "post_seconds": post_seconds,
        # one timeline: POST sent → plan row made (instance built) → consumer took it → result ready
        # (finished_at, stamped before the final commit that inserts the assignments) → poll saw done
        "build_seconds": created - posted_at if created else None,
        "pickup_seconds": begun - created if begun and created else None,
        "job_seconds": finished - begun if finished and begun else None,
        "solve_seconds": solve,
        "around_solver_seconds": finished - begun - solve if finished and begun and solve is not None else None,
        "poll_seconds": seen_at - finished if finished else None,
        "planner_import_seconds": import_seconds,
        "solver_status": plan.get("solver_status"), "metrics": metrics, "bound": plan.get("bound"),
        "changes": plan.get("changes") or {}, "assignments_written": written,
        "left_out": (plan.get("compliance") or {}).get("left_out") or [],
        "refilled": (plan.get("compliance") or {}).get("refilled") or [],
        "open_shifts": len(unfilled or []), "open_slots": sum(u["open"] for u in unfilled or []),
        "round_trip": round_trip(inst, solved, pool) if solved else None,
    }


# --- report -------------------------------------------------------------------------------------

def _poll_note(p: dict) -> str:
    ms = p.get("poll_median_ms")
    return f"; `GET /plans/{{id}}` took {ms:.0f} ms (median of {p['polls']})" if ms is not None else ""


def _import_note(p: dict) -> str:
    seconds = p.get("planner_import_seconds")
    return f"; {seconds:.2f} s in a fresh interpreter" if seconds is not None else ""


def _left_out_note(p: dict) -> str:
    left = p.get("left_out") or []
    if not left:
        return " The compliance check left no proposal out."
    rules = Counter(rule for item in left for rule in item["rules"])
    again = len(p.get("refilled") or [])
    return (f" The compliance check (Working Hours Act, CAOs) left {len(left)} proposals out before storing the "
            f"plan ({', '.join(f'{rule} {n}' for rule, n in rules.most_common())}); {again} of their slots went to "
            f"another worker who passes both rule books, the other {len(left) - again} are among the open ones.")


def report_lines(p: dict) -> list[str]:
    """The plan-job paragraph and table of the "## Service" section."""
    head = (f"Plan job: `POST /plans` → `done` for size {p['size']} ({p['workers']} workers, {p['employers']} "
            f"employers, {p['weeks']} weeks, {p['shifts']} shifts, {p['slots']} slots, of which "
            f"{p['confirmed_base']} confirmed beforehand), {p['time_limit']:g} s planner limit, SQLite, "
            f"gunicorn with 2 workers + `banenpool worker` (huey, SQLite queue) on loopback: ")
    if p["status"] != "done":
        return [head + f"**{p['status']}** after {p['seconds']:.1f} s ({p['error'] or 'no error given'}).", ""]
    outside = p["seconds"] - p["solve_seconds"]
    m, c = p["metrics"], p["changes"]
    demand, covered = m.get("demand_hours") or 0.0, m.get("covered_hours") or 0.0
    lines = [head + f"**{p['seconds']:.1f} s** (solver {p['solve_seconds']:.1f} s, the rest {outside:.1f} s: "
             f"building the instance from the database in the request, the queue, importing the planner, "
             f"writing the result, polling).",
             "", "| step | seconds |", "|---|---|",
             f"| `POST /plans`: the request, building the instance from the database, storing the plan "
             f"(response after {p['post_seconds']:.2f} s) | {p['build_seconds']:.2f} |",
             f"| commit, queueing and pickup by the consumer | {p['pickup_seconds']:.2f} |",
             f"| solver (the plan's `solve_seconds`) | {p['solve_seconds']:.2f} |",
             f"| in the job around the solver: importing the planner (the consumer's first job"
             f"{_import_note(p)}), reading the instance, the compliance check of every worker's schedule, "
             f"preparing the result | {p['around_solver_seconds']:.2f} |",
             f"| the job's final transaction, inserting the {p['assignments_written']} proposed assignments "
             f"(`finished_at` is stamped before its commit), until a poll saw `done` ({POLL_SECONDS:g} s between "
             f"polls{_poll_note(p)}) | {p['poll_seconds']:.2f} |",
             f"| **total** | **{p['seconds']:.2f}** |", "",
             f"Result ({p['solver_status']}): {covered:g} of {demand:g} h covered "
             f"({covered / demand:.1%}), {demand - covered:g} h open in {p['open_slots']} slots of "
             f"{p['open_shifts']} shifts; {c.get('added', 0)} proposed assignments written, "
             f"{c.get('kept', 0)} confirmed ones kept, {c.get('dropped', 0)} dropped." + _left_out_note(p)
             if demand else f"Result ({p['solver_status']}): no demand."]
    r = p["round_trip"]
    if r:
        rules = "; ".join(f"{k} {a} → {b}" for k, (a, b) in r["rules"].items())
        lines += ["", f"The database round trip (the instance the plan solved, `GET /plans/{{id}}/instance`, "
                      f"against the generated one): {r['shifts']} of {r['generated_shifts']} shifts, "
                      f"{r['shift_diffs']} differing; {r['workers']} workers, {r['worker_field_diffs']} differing "
                      f"skills/home/travel/hours fields, {r['availability_diffs']} differing availability. "
                      f"Not expressible in the database: {r['restricted_workers']} workers restricted to some "
                      f"employers are open to all; the generator's {r['generated_fixed']} fixed base-contract "
                      f"shifts are confirmed assignments, which the planner keeps as a soft preference "
                      f"({r['solved_fixed']} fixed in the solved instance)"
                      + (f"; rules from the CAOs: {rules}." if rules else ".")]
    return lines + [""]
