import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
import pytest
from sqlalchemy import select
from banenpool.models import Assignment, Shift, Timesheet, Worker
from tests.web.pages_data import csrf_token, login, staff

def test_probe(app, client, pool, session):
    staffed = staff(app, session, pool)
    for bd in ["2027-01-01", "2026-03-25", "1900-01-01"]:
        r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"), json={"birth_date": bd})
        print("patch", bd, r.status_code, r.get_json().get("message") if r.status_code >= 400 else "")
        login(client, "worker_x")
        for p in ["/me/checks", "/me?from=2026-03-23"]:
            print(p, client.get(p).status_code)
        login(client, "intermediary")
        for p in [f"/workers/{pool.worker_x}", "/schedule?week=2026-W13"]:
            print(p, client.get(p).status_code)
    assert 0
