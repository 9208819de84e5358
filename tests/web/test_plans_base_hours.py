"""Contracts' base hours (`base_pattern`) as fixed shifts of the employer in every plan."""
import pytest

from banenpool import queue
from tests.web.test_plans import WEEK, add_request, get, make_plan, publish, set_availability
from tests.web.test_assignments import assign, shifts

BASE = [{"weekday": 0, "start": "08:00", "end": "12:00"}, {"weekday": 2, "start": "08:00", "end": "12:00"}]


@pytest.fixture(autouse=True)
def immediate_queue(monkeypatch):
    monkeypatch.setattr(queue.huey, "immediate", True)


def contract(client, pool, worker_id, employer_id, base_pattern, **extra):
    body = {"employer_id": employer_id, "kind": "min_max", "hours_per_week": "8", "cao_code": "hoveniers",
            "start_date": "2026-01-01", "base_pattern": base_pattern, **extra}
    return client.post(f"/api/v1/workers/{worker_id}/contracts", headers=pool.headers("intermediary"), json=body)


def hours(client, pool, worker_id, lo, target, hi):
    r = client.patch(f"/api/v1/workers/{worker_id}", headers=pool.headers("intermediary"),
                     json={"min_hours_per_week": lo, "target_hours_per_week": target, "max_hours_per_week": hi})
    assert r.status_code == 200, r.get_json()


def test_base_hours_are_fixed_shifts_that_count_for_rules_and_hours(client, pool):
    r = contract(client, pool, pool.worker_x, pool.employer_a, BASE)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["base_pattern"] == [{**line, "break_minutes": 0} for line in BASE]
    hours(client, pool, pool.worker_x, "11.5", "16", "40")
    hours(client, pool, pool.worker_y, "0", "0", "40")  # Y has no availability and no hours to make
    set_availability(client, pool, pool.worker_x)
    add_request(client, pool, days=(0,), headcount=1, start="07:00", end="15:30")  # overlaps Monday's base
    add_request(client, pool, days=(1,), headcount=1, start="08:00", end="12:00")

    plan_id = make_plan(client, pool)
    instance = get(client, pool, f"/plans/{plan_id}/instance")
    base = [s for s in instance["shifts"] if s["id"].startswith("base-")]
    assert [(s["start"], s["end"], s["employer"], s["headcount"]) for s in base] == [
        ("2026-03-23T08:00:00+01:00", "2026-03-23T12:00:00+01:00", str(pool.employer_a), 1),
        ("2026-03-25T08:00:00+01:00", "2026-03-25T12:00:00+01:00", str(pool.employer_a), 1)]
    x = next(w for w in instance["workers"] if w["id"] == str(pool.worker_x))
    assert x["fixed"] == [s["id"] for s in base]
    assert next(w for w in instance["workers"] if w["id"] == str(pool.worker_y))["fixed"] == []

    plan = get(client, pool, f"/plans/{plan_id}")
    assert plan["status"] == "done", plan["error"]
    # 8 h base + the Tuesday shift (3.5 h paid): min 11.5 is met (8 h short without the base);
    # target 16 misses 4.5
    assert plan["metrics"]["shortfall_min_hours"] == 0.0
    assert plan["metrics"]["shortfall_target_hours"] == 4.5
    proposed = get(client, pool, f"/plans/{plan_id}/assignments")
    assert [(a["worker_id"], a["start"]) for a in proposed] == [(pool.worker_x, "2026-03-24T08:00:00+01:00")]
    unfilled = get(client, pool, f"/plans/{plan_id}/unfilled")
    assert [u["start"] for u in unfilled] == ["2026-03-23T07:00:00+01:00"]  # X is at the base shift then
    assert plan["changes"] == {"kept": 0, "dropped": 0, "added": 1}  # base shifts are not assignments
    assert publish(client, pool, plan_id).status_code == 200  # the base rebuilds to the same fingerprint


def test_base_hours_count_toward_max_hours_and_manual_assignments(client, pool):
    assert contract(client, pool, pool.worker_x, pool.employer_a, BASE).status_code == 201
    hours(client, pool, pool.worker_x, "0", "8", "10")  # 8 h of base leaves room for 2 h only
    set_availability(client, pool, pool.worker_x)
    add_request(client, pool, days=(1,), headcount=1, start="08:00", end="12:00")
    plan = get(client, pool, f"/plans/{make_plan(client, pool)}")
    assert plan["status"] == "done" and plan["changes"]["added"] == 0  # 8 + 4 > 10

    add_request(client, pool, days=(2,), headcount=1, start="11:00", end="13:00")
    wednesday = next(s for s in shifts(client, pool) if s["start"].startswith("2026-03-25"))
    r = assign(client, pool, wednesday["id"], pool.worker_x)  # overlaps Wednesday's base 08:00–12:00
    assert r.status_code == 409 and "overlap" in r.get_json()["message"]


def test_contract_dates_and_the_intermediary(client, pool):
    assert contract(client, pool, pool.worker_x, pool.employer_a, BASE, end_date="2026-03-24").status_code == 201
    assert contract(client, pool, pool.worker_y, pool.employer_b, [{"weekday": 6, "start": "22:00", "end": "06:00",
                                                                   "break_minutes": 30}],
                    start_date="2026-03-29", cao_code="schoonmaak").status_code == 201
    plan_id = make_plan(client, pool)
    base = {s["id"]: s for s in get(client, pool, f"/plans/{plan_id}/instance")["shifts"]}
    starts = sorted((s["start"], s["end"], s["employer"]) for s in base.values())
    assert starts == [  # Monday only (the contract ended Tuesday); Y's Sunday night runs into Monday
        ("2026-03-23T08:00:00+01:00", "2026-03-23T12:00:00+01:00", str(pool.employer_a)),
        ("2026-03-29T22:00:00+02:00", "2026-03-30T06:00:00+02:00", str(pool.employer_b))]
    # with the intermediary there is no site: base hours are refused rather than ignored
    r = contract(client, pool, pool.worker_x, None, BASE, cao_code="abu")
    assert r.status_code == 422 and "base_pattern" in r.get_json()["errors"]["json"]


@pytest.mark.parametrize("line, field", [
    ({"weekday": 7, "start": "08:00", "end": "12:00"}, "weekday"),
    ({"weekday": 0, "start": "08:00", "end": "08:00"}, "end"),
    ({"weekday": 0, "start": "06:00", "end": "20:00"}, "end"),  # 14 h: longer than 12
    ({"weekday": 0, "start": "08:00", "end": "12:00", "break_minutes": 240}, "break_minutes"),
    ({"weekday": 0, "start": "8 uur", "end": "12:00"}, "start"),
])
def test_invalid_base_lines_are_422(client, pool, line, field):
    r = contract(client, pool, pool.worker_x, pool.employer_a, [line])
    assert r.status_code == 422
    assert field in r.get_json()["errors"]["json"]["base_pattern"]["0"], r.get_json()


def test_overlapping_base_lines_are_422(client, pool):
    r = contract(client, pool, pool.worker_x, pool.employer_a,
                 [{"weekday": 6, "start": "22:00", "end": "07:00"}, {"weekday": 0, "start": "06:00", "end": "10:00"}])
    assert r.status_code == 422 and r.get_json()["errors"]["json"]["base_pattern"] == ["lines 0 and 1 overlap"]
