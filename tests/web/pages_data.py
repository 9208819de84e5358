"""A small staffed pool for the page tests: two employers, two workers, a published plan in 2026-W13."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from banenpool.principal import SYSTEM
from banenpool.services import capacity, planning, registry
from tests.conftest import PASSWORD

WEEK = "2026-W13"
MONDAY, SUNDAY = date(2026, 3, 23), date(2026, 3, 29)
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@dataclass
class Staffed:
    plan_id: int
    request_a: int
    request_b: int


def staff(app, session, pool) -> Staffed:
    """Availability for both workers, requests for both employers (one needs a skill nobody has), planned and published."""
    weekly = [{"weekday": d, "start": time(6), "end": time(22)} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        registry.set_availability(session, SYSTEM, w, weekly, [])
    a = capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_a, "title": "Voorjaarspiek", "skills": ["groen"], "start_date": MONDAY,
        "end_date": SUNDAY, "pattern": [{"weekday": d, "start": "07:00", "end": "15:30", "break_minutes": 30,
                                         "headcount": 1} for d in (0, 1, 2)]})
    b = capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_b, "title": "Kantoren", "skills": [], "start_date": MONDAY,
        "end_date": SUNDAY, "pattern": [{"weekday": 3, "start": "16:00", "end": "20:00", "headcount": 1}]})
    capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_a, "title": "Heftruck", "skills": ["heftruck"], "start_date": MONDAY,
        "end_date": SUNDAY, "pattern": [{"weekday": 4, "start": "08:00", "end": "12:00", "headcount": 1}]})
    plan = planning.create_plan(session, SYSTEM, MONDAY, SUNDAY, 10, include_started=True)
    session.commit()
    planning.run_plan(app.extensions["banenpool.sessionmaker"], plan.id)
    session.expire_all()
    planning.publish_plan(session, SYSTEM, plan.id)
    session.commit()
    return Staffed(plan.id, a.id, b.id)


def csrf_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1) or match.group(2)


def login(client, who: str):
    page = client.get("/login")
    r = client.post("/login", data={"email": f"{who}@test.example", "password": PASSWORD,
                                    "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert r.status_code == 302, r.get_data(as_text=True)
    return r
