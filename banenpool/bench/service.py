"""Service benchmarks (benchmarks.md "Service"): calendar feed under gunicorn, a month of invoices,
and a plan job from POST /plans to done through the API and a real queue consumer.

Every server runs on this machine's loopback; every load loop is bounded in requests and seconds.
"""
from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta, time as clock
from decimal import Decimal
from pathlib import Path

from banenpool.config import REPO_ROOT

LOAD_SECONDS, LOAD_MAX_REQUESTS, CLIENTS = 10.0, 5000, 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp: Path) -> dict:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "BANENPOOL_SECRET_KEY": "bench",
            "BANENPOOL_INSTANCE_DIR": str(tmp), "BANENPOOL_QUEUE_URL": f"sqlite:///{tmp / 'queue.db'}"}


def _session(env: dict):
    from banenpool.db import make_engine, make_sessionmaker
    from banenpool.migrate import upgrade
    upgrade(env["DATABASE_URL"])
    return make_sessionmaker(make_engine(env["DATABASE_URL"]))


# --- calendar feed -----------------------------------------------------------------------------

def _calendar_data(maker) -> str:
    from banenpool.calendar_nl import local_datetime
    from banenpool.models import Assignment, Shift
    from banenpool.principal import SYSTEM
    from banenpool.services import calendar, registry
    with maker() as s:
        employer = registry.create_employer(s, SYSTEM, {
            "name": "Groenwerk Twente", "kvk_number": "61234501", "cao_code": "hoveniers",
            "address": {"street": "Markt 1", "postcode": "7511 AA", "city": "Enschede"},
            "location": {"lat": 52.22, "lon": 6.89}})
        worker = registry.create_worker(s, SYSTEM, {"name": "Sanne", "birth_date": date(1995, 1, 1)})
        first = date.today() - timedelta(days=20)
        for n in range(100):  # a worker with 100 assignments, as benchmarks.md asks
            day = first + timedelta(days=n)
            shift = Shift(employer_id=employer.id, start=local_datetime(day, clock(7)),
                          end=local_datetime(day, clock(15, 30)), break_minutes=30, paid_hours=Decimal(8),
                          skills=["groen"], headcount=1)
            s.add(shift)
            s.flush()
            s.add(Assignment(shift_id=shift.id, worker_id=worker.id, status="confirmed"))
        token = calendar.worker_token(s, SYSTEM, worker.id)
        s.commit()
        return token


def _load(port: int, path: str, etag: str | None) -> tuple[list[float], int, int]:
    """CLIENTS threads on keep-alive connections for LOAD_SECONDS or LOAD_MAX_REQUESTS in all."""
    latencies, statuses, lock = [], {"304": 0, "n": 0}, threading.Lock()
    deadline = time.monotonic() + LOAD_SECONDS

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"If-None-Match": etag} if etag else {}
        while time.monotonic() < deadline:
            with lock:
                if statuses["n"] >= LOAD_MAX_REQUESTS:
                    return
                statuses["n"] += 1
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses["304"] += response.status == 304
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses["304"], time.monotonic() - started


def _serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning", "web:create_app()"], cwd=REPO_ROOT, env=env)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def calendar_bench(tmp: Path) -> dict:
    env = _env(tmp)
    token = _calendar_data(_session(env))
    port = _free_port()
    server = _serve(env, port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/cal/{token}.ics")
        first = conn.getresponse()
        body, etag = first.read(), first.getheader("ETag")
        plain, _, plain_s = _load(port, f"/cal/{token}.ics", None)
        cached, not_modified, cached_s = _load(port, f"/cal/{token}.ics", etag)
    finally:
        server.terminate()
        server.wait(10)
    return {"events": body.count(b"BEGIN:VEVENT"), "bytes": len(body),
            "rps": len(plain) / plain_s, "p95_ms": _p95(plain) * 1000, "median_ms": statistics.median(plain) * 1000,
            "rps_if_none_match": len(cached) / cached_s, "p95_ms_if_none_match": _p95(cached) * 1000,
            "share_304": not_modified / max(1, len(cached)), "requests": len(plain) + len(cached)}


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


# --- invoices ----------------------------------------------------------------------------------

def _billing_data(maker, employers: int = 60, workers: int = 1000, month: date = date(2026, 3, 1)) -> None:
    from banenpool.calendar_nl import local_datetime
    from banenpool.db import utcnow
    from banenpool.models import Assignment, Contract, Employer, Shift, Timesheet, Worker
    caos = ["hoveniers", "taxi", "beroepsgoederenvervoer", "schoonmaak", "recreatie", "zoetwaren"]
    rng = random.Random(7)
    with maker() as s:
        emps = [Employer(name=f"Werkgever {i}", kvk_number=f"7{i:07d}", vat_number=f"NL{i:09d}B01",
                         cao_code=caos[i % len(caos)], street="Markt 1", postcode="7511 AA", city="Enschede",
                         tariff_factor=Decimal("1.80")) for i in range(employers)]
        s.add_all(emps)
        s.flush()
        for n in range(workers):
            employer = emps[n % employers]
            worker = Worker(name=f"Medewerker {n}", birth_date=date(1990, 1, 1), skills=[],
                            min_hours_per_week=Decimal(0), target_hours_per_week=Decimal(16),
                            max_hours_per_week=Decimal(40))
            s.add(worker)
            s.flush()
            s.add(Contract(worker_id=worker.id, employer_id=employer.id, kind="min_max",
                           hours_per_week=Decimal(16), cao_code=employer.cao_code,
                           hourly_wage=Decimal("16.00"), start_date=date(2026, 1, 1)))
            for week in range(4):  # two shifts a week, one of them on Saturday now and then
                for day in (rng.randint(0, 4), rng.choice([3, 4, 5])):
                    d = month + timedelta(days=7 * week + day + 2)  # 2026-03-02 is a Monday
                    start, end = local_datetime(d, clock(8)), local_datetime(d, clock(16, 30))
                    shift = Shift(employer_id=employer.id, start=start, end=end, break_minutes=30,
                                  paid_hours=Decimal(8), skills=[], headcount=1)
                    s.add(shift)
                    s.flush()
                    assignment = Assignment(shift_id=shift.id, worker_id=worker.id, status="confirmed")
                    s.add(assignment)
                    s.flush()
                    s.add(Timesheet(assignment_id=assignment.id, start=start, end=end, break_minutes=30,
                                    status="approved", approved_at=utcnow()))
        s.commit()


def invoice_bench(tmp: Path) -> dict:
    from sqlalchemy import func, select
    from banenpool.models import Employer, InvoiceLine, Timesheet
    from banenpool.principal import SYSTEM
    from banenpool.services import billing
    env = _env(tmp)
    maker = _session(env)
    _billing_data(maker)
    with maker() as s:
        ids = list(s.scalars(select(Employer.id)))
        sheets = s.scalar(select(func.count(Timesheet.id)))
    started = time.perf_counter()
    for employer_id in ids:  # one transaction per employer, as the API does
        with maker() as s:
            invoice = billing.create_invoice(s, SYSTEM, {"employer_id": employer_id, "period_start": date(2026, 3, 1),
                                                         "period_end": date(2026, 3, 31)})
            s.flush()
            billing.finalize(s, SYSTEM, invoice.id)
            s.commit()
    seconds = time.perf_counter() - started
    with maker() as s:
        lines = s.scalar(select(func.count(InvoiceLine.id)))
    return {"employers": len(ids), "workers": 1000, "timesheets": sheets, "invoice_lines": lines,
            "seconds": seconds, "per_invoice_ms": seconds / len(ids) * 1000}


# --- plan job (banenpool/bench/plan_job.py) -----------------------------------------------------

PARTS = ("calendar", "invoices", "plan")


def plan_bench(tmp: Path, size: str | None = None, time_limit: float | None = None) -> dict:
    from banenpool.bench.plan_job import SIZE, TIME_LIMIT, plan_job_bench
    return plan_job_bench(tmp, size=size or SIZE, time_limit=time_limit or TIME_LIMIT)


def run_service_bench(only=PARTS, plan_size: str | None = None, plan_time_limit: float | None = None) -> dict:
    """The parts in `only` (all by default), each in a fresh temporary directory."""
    results = {}
    for part in PARTS:
        if part not in only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"bench-{part}-") as tmp:
            if part == "calendar":
                results[part] = calendar_bench(Path(tmp))
            elif part == "invoices":
                results[part] = invoice_bench(Path(tmp))
            else:
                results[part] = plan_bench(Path(tmp), plan_size, plan_time_limit)
    return results


def report(results: dict) -> str:
    lines = ["## Service", ""]
    if "calendar" in results:
        c = results["calendar"]
        lines += [
            f"Calendar feed `GET /cal/<token>.ics` of a worker with {c['events']} assignments ({c['bytes']} bytes), "
            f"gunicorn with 2 workers on loopback, {CLIENTS} keep-alive clients, {LOAD_SECONDS:g} s per phase "
            f"(bounded to {LOAD_MAX_REQUESTS} requests):", "",
            "| request | requests/s | median ms | p95 ms | answered 304 |", "|---|---|---|---|---|",
            f"| plain | {c['rps']:.0f} | {c['median_ms']:.1f} | {c['p95_ms']:.1f} | – |",
            f"| with `If-None-Match` | {c['rps_if_none_match']:.0f} | – | {c['p95_ms_if_none_match']:.1f} | "
            f"{c['share_304']:.0%} |", ""]
    if "invoices" in results:
        i = results["invoices"]
        lines += [
            f"Invoices: building and finalising one month for {i['employers']} employers / {i['workers']} workers "
            f"({i['timesheets']} approved timesheets → {i['invoice_lines']} invoice lines, every line through the "
            f"pay engine): **{i['seconds']:.1f} s** ({i['per_invoice_ms']:.0f} ms per invoice, SQLite).", ""]
    if "plan" in results:
        from banenpool.bench.plan_job import report_lines
        lines += report_lines(results["plan"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI: python -m banenpool.bench.service [--only calendar,invoices,plan] [--plan-size M] [--plan-time-limit 30]."""
    import argparse
    parser = argparse.ArgumentParser(prog="python -m banenpool.bench.service",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated: " + ",".join(PARTS))
    parser.add_argument("--plan-size", default=None, help="generated pool size of the plan job (default M)")
    parser.add_argument("--plan-time-limit", type=float, default=None, help="planner limit in s (default 30)")
    args = parser.parse_args(argv)
    only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(only) - set(PARTS))
    if unknown:
        parser.error(f"--only: unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    text = report(run_service_bench(only, args.plan_size and args.plan_size.upper(), args.plan_time_limit))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
