"""CAO catalogue, CAO comparison, pay preview and the combined-schedule checks through the API."""
from decimal import Decimal

from banenpool.models import Assignment, Shift
from banenpool.services.capacity import shift_times


def test_cao_catalogue_lists_codes_with_sources(client, pool):
    caos = client.get("/api/v1/caos", headers=pool.headers("worker_x")).get_json()
    codes = {c["code"] for c in caos}
    assert {"hoveniers", "taxi", "beroepsgoederenvervoer", "schoonmaak", "recreatie", "zoetwaren"} <= codes
    one = client.get("/api/v1/caos/hoveniers", headers=pool.headers("employer_a")).get_json()
    assert one["code"] == "hoveniers" and one["valid_from"]
    assert client.get("/api/v1/caos/bestaat-niet", headers=pool.headers("employer_a")).status_code == 404
    assert client.get("/api/v1/caos").status_code == 401


def test_cao_diff_in_dutch_and_english(client, pool):
    r = client.get("/api/v1/caos/hoveniers/diff/recreatie", headers=pool.headers("employer_a"))
    messages = [d["message"] for d in r.get_json()["differences"]]
    assert "Zondag: +100 % (hoveniers) vs +25 % (recreatie)" in messages
    en = client.get("/api/v1/caos/hoveniers/diff/recreatie?lang=en", headers=pool.headers("employer_a")).get_json()
    assert any(m["message"].startswith("Sunday") for m in en["differences"])
    assert all({"topic", "a", "b", "message"} <= set(d) for d in en["differences"])


def test_pay_preview_saturday_under_schoonmaak(client, pool):
    r = client.post("/api/v1/pay/preview", headers=pool.headers("worker_x"), json={
        "cao_code": "schoonmaak", "birth_date": "1990-05-01", "contract_kind": "fixed", "hours_per_week": "24",
        "start": "2026-03-07T08:00:00+01:00", "end": "2026-03-07T12:00:00+01:00", "break_minutes": 0})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    base = next(line for line in body["lines"] if line["kind"] == "base")
    saturday = next(line for line in body["lines"] if line["kind"] == "surcharge")
    assert base["hours"] == "4.00" and saturday["hours"] == "4.00"
    assert Decimal(saturday["rate"]) == (Decimal(base["rate"]) / 2).quantize(Decimal("0.01"))
    assert Decimal(body["total"]) == sum(Decimal(line["amount"]) for line in body["lines"])


def test_pay_preview_on_call_two_hours_paid_as_three_and_wml(client, pool):
    body = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json={
        "cao_code": "recreatie", "birth_date": "2005-06-01", "contract_kind": "on_call", "hours_per_week": "0",
        "start": "2026-01-05T10:00:00+01:00", "end": "2026-01-05T12:00:00+01:00"}).get_json()
    kinds = {line["kind"]: line for line in body["lines"]}
    assert kinds["minimum_call"]["hours"] == "1.00"
    assert body["minimum_wage_rate"] == "11.77"  # 20 years old on 2026-01-05: 80 %


def test_pay_preview_rejects_bad_input_naming_fields(client, pool):
    r = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json={
        "cao_code": "schoonmaak", "birth_date": "1990-05-01", "start": "2026-03-07T12:00:00+01:00",
        "end": "2026-03-07T08:00:00+01:00"})
    assert r.status_code == 422 and "end" in r.get_json()["errors"]["json"]
    r = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json={
        "cao_code": "onbekend", "birth_date": "1990-05-01", "start": "2026-03-07T08:00:00+01:00",
        "end": "2026-03-07T12:00:00+01:00"})
    assert r.status_code == 422 and "cao_code" in r.get_json()["errors"]["json"]


def _confirmed(session, worker_id, employer_id, day, start, end, brk=30):
    from datetime import time
    s, e = shift_times(day, time.fromisoformat(start), time.fromisoformat(end))
    shift = Shift(employer_id=employer_id, start=s, end=e, break_minutes=brk, paid_hours=Decimal(8),
                  skills=[], headcount=1)
    session.add(shift)
    session.flush()
    session.add(Assignment(shift_id=shift.id, worker_id=worker_id, status="confirmed"))
    session.commit()
    return shift


def test_checks_sum_hours_over_employers(client, pool, session):
    from datetime import date, timedelta
    monday = date(2026, 3, 2)
    # 5 × 11 h at employer A and 1 × 6 h at employer B in one week: 61 h in the week, no employer alone > 55
    for i in range(5):
        _confirmed(session, pool.worker_x, pool.employer_a, monday + timedelta(days=i), "06:00", "17:45", brk=45)
    saturday = _confirmed(session, pool.worker_x, pool.employer_b, monday + timedelta(days=5), "08:00", "14:30", brk=30)
    r = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-02&to=2026-03-08",
                   headers=pool.headers("worker_x"))
    assert r.status_code == 200, r.get_json()
    week = [v for v in r.get_json()["violations"] if v["rule"] == "ATW-week-60"]
    assert len(week) == 1 and len(week[0]["assignment_ids"]) == 6
    assert r.get_json()["cao_notes"]
    # asked for Monday to Friday: the Saturday still makes that week 61 h
    r = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-02&to=2026-03-06",
                   headers=pool.headers("intermediary"))
    assert [len(v["assignment_ids"]) for v in r.get_json()["violations"] if v["rule"] == "ATW-week-60"] == [6]
    # without the Saturday at employer B the week is legal
    session.query(Assignment).filter(Assignment.shift_id == saturday.id).update({"status": "cancelled"})
    session.commit()
    r = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-02&to=2026-03-08",
                   headers=pool.headers("intermediary"))
    assert not [v for v in r.get_json()["violations"] if v["rule"] == "ATW-week-60"]


def test_checks_count_the_shifts_just_before_the_range(client, pool, session):
    """A check from Monday missed that Sunday's night shift leaves too little rest around Monday's
    shift: only shifts starting in the range were looked at. A violation wholly before the range
    (the week before's rest) is not listed."""
    from datetime import date
    sunday, monday = date(2026, 3, 8), date(2026, 3, 9)
    night = _confirmed(session, pool.worker_x, pool.employer_a, sunday, "22:00", "06:00")
    day = _confirmed(session, pool.worker_x, pool.employer_b, monday, "10:00", "14:00", brk=0)
    url = f"/api/v1/workers/{pool.worker_x}/checks"
    mine = pool.headers("worker_x")
    rest = [v for v in client.get(f"{url}?from=2026-03-09&to=2026-03-15", headers=mine).get_json()["violations"]
            if {night.id, day.id} <= {_shift_of(session, a) for a in v["assignment_ids"]}]
    assert [v["rule"] for v in rest] == ["ATW-daily-rest"], rest
    earlier = client.get(f"{url}?from=2026-03-16&to=2026-03-22", headers=mine).get_json()
    assert earlier["violations"] == [] and earlier["cao_notes"] == []      # nothing of its own that week


def _shift_of(session, assignment_id: int) -> int:
    return session.get(Assignment, assignment_id).shift_id


def test_checks_are_private(client, pool):
    url = f"/api/v1/workers/{pool.worker_x}/checks"
    assert client.get(url, headers=pool.headers("worker_y")).status_code == 404
    assert client.get(url, headers=pool.headers("employer_a")).status_code == 404
    assert client.get(url).status_code == 401


def test_cao_move_tells_worker_what_changes(client, pool):
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, "kind": "min_max", "hours_per_week": "12",
                          "cao_code": "hoveniers", "start_date": "2026-01-01"})
    assert r.status_code == 201
    move = client.get(f"/api/v1/workers/{pool.worker_x}/cao-move?employer_id={pool.employer_b}&on=2026-03-01",
                      headers=pool.headers("worker_x")).get_json()
    assert move["from_cao"] == "hoveniers" and move["to_cao"] == "schoonmaak" and move["changes"]


def test_checks_judge_the_hours_registered_not_the_plan(client, pool, session):
    """A shift planned 08:00-16:30 that ran until 21:30 (registered, 13 h of work) broke the 12 h
    maximum; the check read the planned times and found nothing."""
    from datetime import date
    shift = _confirmed(session, pool.worker_x, pool.employer_a, date(2026, 3, 10), "08:00", "16:30")
    assignment = session.query(Assignment).filter_by(shift_id=shift.id).one()
    r = client.put(f"/api/v1/assignments/{assignment.id}/timesheet", headers=pool.headers("worker_x"),
                   json={"start": "2026-03-10T08:00:00+01:00", "end": "2026-03-10T21:30:00+01:00", "break_minutes": 30})
    assert r.status_code == 200, r.get_json()
    checks = client.get(f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-09&to=2026-03-15",
                        headers=pool.headers("intermediary")).get_json()
    assert [v["assignment_ids"] for v in checks["violations"] if v["rule"] == "ATW-shift-length"] == [[assignment.id]]


def _checks(client, pool, first=None, last=None) -> dict:
    query = "&".join(f"{k}={v}" for k, v in (("from", first), ("to", last)) if v)
    r = client.get(f"/api/v1/workers/{pool.worker_x}/checks?{query}", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _checked_twice(session, worker_id, first, last) -> dict:
    """The checks as they were made before each rule ran once: every rule over the range and the shifts
    around it for the violations, then every rule again over the range's shifts for the notes."""
    from banenpool.calendar_nl import AMS
    from banenpool.models import Worker
    from banenpool.services.checks import COMPLIANCE_CONTEXT, check_worker_schedule, work_items
    worker = session.get(Worker, worker_id)
    items = work_items(session, worker, first and first - COMPLIANCE_CONTEXT, last and last + COMPLIANCE_CONTEXT)
    inside = {i.id for i in items if (first is None or i.start.astimezone(AMS).date() >= first)
              and (last is None or i.start.astimezone(AMS).date() <= last)}
    violations, _ = check_worker_schedule(worker, items, lang="nl")
    _, notes = check_worker_schedule(worker, [i for i in items if i.id in inside], lang="nl")
    return {"violations": [{"rule": v.rule, "message": v.message,
                            "assignment_ids": [int(a.removeprefix("A")) for a in v.assignment_ids]}
                           for v in violations if inside.intersection(v.assignment_ids)], "cao_notes": notes}


def test_checks_run_each_rule_once_and_say_what_checking_twice_said(client, pool, session):
    """The working-time rules over the range and the shifts around it, the pay and CAO rules over the
    range's shifts: the violations and CAO notes are those of the two full runs made before — a week
    over 60 h at two employers, a wage below the minimum at A, the CAO of each employer."""
    from datetime import date, timedelta

    from banenpool.models import Contract
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="on_call", hours_per_week=0,
                         cao_code="hoveniers", start_date=date(2026, 1, 1), hourly_wage=Decimal("5.00")))
    monday = date(2026, 3, 2)
    for i in range(5):
        _confirmed(session, pool.worker_x, pool.employer_a, monday + timedelta(days=i), "06:00", "17:45", brk=45)
    _confirmed(session, pool.worker_x, pool.employer_b, monday + timedelta(days=5), "06:00", "20:30", brk=30)
    for first, last in ((monday, monday + timedelta(days=4)), (monday, monday + timedelta(days=6)),
                        (monday + timedelta(days=5), monday + timedelta(days=5)), (None, None)):
        now = _checks(client, pool, first, last)
        assert now == _checked_twice(session, pool.worker_x, first, last), (first, last)
    week = _checks(client, pool, monday, monday + timedelta(days=6))
    assert {v["rule"] for v in week["violations"]} >= {"ATW-week-60", "WML"}
    assert any("Glans Schoonmaak" in n for n in week["cao_notes"])
    monday_to_friday = _checks(client, pool, monday, monday + timedelta(days=4))
    assert not any("Glans Schoonmaak" in n for n in monday_to_friday["cao_notes"])   # B's shift is Saturday's


def test_the_notes_of_the_working_time_rules_speak_of_the_check_made(client, pool, session):
    """The working-time rules look at the shifts around the range too; their notes now say so: the rest
    rule's note comes with a rest violation across the range's first day, and an average's note counts
    the weeks the check had, not only the range's. A range with no shifts of its own has no notes."""
    from datetime import date, timedelta
    tuesday = date(2026, 3, 10)
    _confirmed(session, pool.worker_x, pool.employer_a, tuesday, "22:00", "06:00")
    _confirmed(session, pool.worker_x, pool.employer_b, tuesday + timedelta(days=1), "10:00", "14:00", brk=0)
    for k in (1, 2, 3):                                                   # the three weeks before
        _confirmed(session, pool.worker_x, pool.employer_a, tuesday - timedelta(weeks=k), "08:00", "12:00", brk=0)
    checks = _checks(client, pool, tuesday + timedelta(days=1), tuesday + timedelta(days=5))
    assert [v["rule"] for v in checks["violations"]] == ["ATW-daily-rest"]
    assert any(n.startswith("Dagelijkse rust: de wet staat eenmaal per 7×24 uur 8 uur toe") for n in checks["cao_notes"])
    partial = [n for n in checks["cao_notes"] if "de gegevens beslaan maar" in n]
    assert len(partial) == 1 and "maar 4 weken (" in partial[0] and partial[0].startswith("Gemiddelde over 16 weken")
    assert _checks(client, pool, tuesday + timedelta(days=2), tuesday + timedelta(days=5)) == {
        "violations": [], "cao_notes": []}
