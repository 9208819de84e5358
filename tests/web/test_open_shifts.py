"""Open shifts a worker takes themselves: the list shows only the coming shifts with a free place that
the worker may take (judged as the pool's manual assignment), and taking one confirms it through the
manual assignment's path — the last place goes to one worker only, the pool and the employer are told,
and the worker's schedule and calendar show it at once."""
import threading
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Assignment, AuditLog, OutboxMessage, Shift, User, Worker
from banenpool.principal import SYSTEM, Principal
from banenpool.services import assignments, capacity, open_shifts, registry
from tests.web.pages_data import csrf_token, login

TODAY = datetime.now(AMS).date()
MONDAY = TODAY - timedelta(days=TODAY.weekday()) + timedelta(days=14)   # a week that lies ahead


def _day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def _shift(session, employer_id, weekday, start, end, skills=("groen",), headcount=1) -> int:
    req = capacity.create_request(session, SYSTEM, {
        "employer_id": employer_id, "title": f"Dienst {weekday} {start}", "skills": list(skills),
        "start_date": MONDAY, "end_date": _day(6),
        "pattern": [{"weekday": weekday, "start": start, "end": end, "break_minutes": 30, "headcount": headcount}]})
    session.flush()
    return session.scalar(select(Shift.id).where(Shift.request_id == req.id))


@pytest.fixture
def week(session, pool):
    """Both workers available 06:00-23:00 every day. Open: Tuesday (groen), Wednesday (heftruck, a skill
    nobody has), Thursday 06:00 (worker x works Wednesday until 22:00: too little rest for x, not for y),
    Friday (full: y has it)."""
    weekly = [{"weekday": d, "start": time(6), "end": time(23)} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        registry.set_availability(session, SYSTEM, w, weekly, [])
    shifts = {"tuesday": _shift(session, pool.employer_a, 1, "07:00", "15:30"),
              "heftruck": _shift(session, pool.employer_a, 2, "08:00", "12:00", skills=("heftruck",)),
              "late": _shift(session, pool.employer_b, 2, "14:00", "22:00", skills=()),
              "early": _shift(session, pool.employer_a, 3, "06:00", "14:00"),
              "full": _shift(session, pool.employer_a, 4, "07:00", "15:30")}
    assignments.assign(session, SYSTEM, shifts["late"], pool.worker_x)
    assignments.assign(session, SYSTEM, shifts["full"], pool.worker_y)
    session.commit()
    return shifts


def _listed(client, pool, who, **query) -> list[dict]:
    r = client.get("/api/v1/me/open-shifts", headers=pool.headers(who),
                   query_string={"from": MONDAY.isoformat(), "to": _day(6).isoformat(), **query})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _claim(client, pool, who, shift_id, **kwargs):
    return client.post(f"/api/v1/me/open-shifts/{shift_id}/claim", headers=pool.headers(who), **kwargs)


def test_the_list_shows_only_the_shifts_the_worker_may_take(client, pool, week):
    mine = _listed(client, pool, "worker_x")
    assert [s["shift_id"] for s in mine] == [week["tuesday"]]
    tuesday = mine[0]
    assert tuesday["employer_name"] == "Groenwerk Twente BV" and tuesday["place"]["city"] == "Enschede"
    assert tuesday["start"] == datetime.combine(_day(1), time(7), AMS).isoformat()    # Amsterdam time, offset
    assert tuesday["paid_hours"] == "8.00" and tuesday["headcount"] == 1 and tuesday["filled"] == 0
    # y: not the heftruck shift (skill), not Friday's (their own, and full), but Thursday's early one
    assert [s["shift_id"] for s in _listed(client, pool, "worker_y")] == [week["tuesday"], week["early"]]


def test_a_refused_shift_is_refused_when_claimed_with_the_rules(client, pool, week, session):
    for shift, rule in (("heftruck", "W03"), ("early", "W12"), ("full", "W01")):
        r = _claim(client, pool, "worker_x", week[shift])
        assert r.status_code == 409 and rule in r.get_json()["rules"], (shift, r.get_json())
    assert _claim(client, pool, "worker_x", 99999).status_code == 404
    assert session.scalars(select(Assignment.shift_id).where(Assignment.worker_id == pool.worker_x)).all() == [
        week["late"]]


def test_claiming_confirms_the_shift_tells_the_pool_and_the_employer_and_it_leaves_other_lists(
        client, pool, week, session):
    r = _claim(client, pool, "worker_x", week["tuesday"])
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["worker_id"] == pool.worker_x and body["status"] == "confirmed"
    assert body["shift_id"] == week["tuesday"]
    # full now: no longer in y's list, and y cannot take it
    assert [s["shift_id"] for s in _listed(client, pool, "worker_y")] == [week["early"]]
    r = _claim(client, pool, "worker_y", week["tuesday"])
    assert r.status_code == 409 and r.get_json()["rules"] == ["W01"]
    # the pool and the employer are told, the worker gets the notice of their schedule
    told = session.scalars(select(OutboxMessage).where(OutboxMessage.worker_id == pool.worker_x)
                           .order_by(OutboxMessage.id)).all()
    taken = [(m.recipient, m.kind) for m in told if m.kind == "shift_taken"]
    assert taken == [("intermediary", "shift_taken"), ("employer", "shift_taken")]
    assert told[-1].payload["employer_id"] == pool.employer_a and told[-1].payload["shift_id"] == week["tuesday"]
    assert any(m.recipient == "worker" and m.payload["reason"] == "taken by the worker" for m in told)
    # audited as made by the worker's own login
    x_user = session.scalar(select(User.id).where(User.worker_id == pool.worker_x))
    made = session.scalar(select(AuditLog).where(AuditLog.entity == "assignment", AuditLog.action == "create",
                                                 AuditLog.entity_id == body["id"]))
    assert made.user_id == x_user


def test_the_claimed_shift_is_in_the_schedule_and_the_calendar_at_once(client, pool, week):
    assert _claim(client, pool, "worker_x", week["tuesday"]).status_code == 201
    own = client.get("/api/v1/assignments", headers=pool.headers("worker_x")).get_json()
    assert week["tuesday"] in [a["shift_id"] for a in own]
    url = client.get(f"/api/v1/workers/{pool.worker_x}/calendar", headers=pool.headers("worker_x")).get_json()["url"]
    feed = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert f"{_day(1):%Y%m%d}T070000" in feed and "Groenwerk Twente BV" in feed


def test_a_worker_claims_only_for_themselves(client, pool, week, session):
    r = _claim(client, pool, "worker_x", week["tuesday"], json={"worker_id": pool.worker_y},
               query_string={"worker_id": pool.worker_y})
    assert r.status_code == 201 and r.get_json()["worker_id"] == pool.worker_x
    # y's list says nothing of x's shifts, and x's list nothing of y's
    assert week["late"] not in [s["shift_id"] for s in _listed(client, pool, "worker_y")]
    assert week["full"] not in [s["shift_id"] for s in _listed(client, pool, "worker_x")]


@pytest.mark.parametrize("who, status", [("intermediary", 403), ("employer_a", 403), ("anonymous", 401)])
def test_only_workers_see_and_take_open_shifts(client, pool, week, who, status):
    assert client.get("/api/v1/me/open-shifts", headers=pool.headers(who)).status_code == status
    assert _claim(client, pool, who, week["tuesday"]).status_code == status


def test_the_period_is_checked(client, pool, week):
    r = client.get("/api/v1/me/open-shifts", headers=pool.headers("worker_x"),
                   query_string={"from": _day(3).isoformat(), "to": _day(1).isoformat()})
    assert r.status_code == 422 and "to" in r.get_json()["errors"]["query"]
    r = client.get("/api/v1/me/open-shifts", headers=pool.headers("worker_x"),
                   query_string={"from": MONDAY.isoformat(), "to": (MONDAY + timedelta(days=92)).isoformat()})
    assert r.status_code == 422 and "to" in r.get_json()["errors"]["query"]
    # the default: today and the 27 days after, which holds the coming week
    default = client.get("/api/v1/me/open-shifts", headers=pool.headers("worker_x")).get_json()
    assert [s["shift_id"] for s in default] == [week["tuesday"]]


def test_a_cancelled_shift_is_not_listed_and_not_taken(client, pool, week, session):
    assignments.cancel_shift(session, SYSTEM, week["tuesday"], "regen")
    session.commit()
    assert _listed(client, pool, "worker_x") == []
    r = _claim(client, pool, "worker_x", week["tuesday"])
    assert r.status_code == 409 and r.get_json()["rules"] == ["shift_cancelled"]


def test_two_workers_claiming_the_last_place_at_once_one_gets_it(app, pool, week, monkeypatch, session):
    """x's claim waits (up to a second) after counting the free place; y claims in that moment. They take
    turns on the shift: y's claim sees x's and is refused, and the shift has one worker."""
    counted, done, results = threading.Event(), threading.Event(), {}
    judge = assignments._refusals

    def slow(*args, **kwargs):
        if threading.current_thread().name == "x":
            counted.set()
            done.wait(1.0)
        return judge(*args, **kwargs)

    monkeypatch.setattr(assignments, "_refusals", slow)

    def claim(who):
        try:
            r = _claim(app.test_client(), pool, who, week["tuesday"])
            results[who] = r.status_code, r.get_json()
        finally:
            done.set()

    def second():
        counted.wait(5)
        claim("worker_y")

    threads = [threading.Thread(target=claim, args=("worker_x",), name="x"), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results["worker_x"][0] == 201, results
    assert results["worker_y"][0] == 409 and results["worker_y"][1]["rules"] == ["W01"], results
    session.expire_all()
    assert session.scalars(select(Assignment.worker_id).where(Assignment.shift_id == week["tuesday"],
                                                              Assignment.status == "confirmed")).all() == [
        pool.worker_x]


def _week_page(client, week_arg=None) -> str:
    r = client.get("/me/open-shifts", query_string={"week": week_arg} if week_arg else {})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


ISO_WEEK = "{}-W{:02d}".format(*MONDAY.isocalendar()[:2])
WEEK_SAID = "{1}, {0}".format(*MONDAY.isocalendar()[:2])       # "13, 2026": the week as the page says it


def test_the_worker_takes_a_shift_from_the_page_in_dutch(client, pool, week, session):
    login(client, "worker_x")
    assert 'href="/me/open-shifts"' in client.get("/me").get_data(as_text=True)     # in the menu
    page = _week_page(client, ISO_WEEK)
    assert "Open diensten" in page and "Neem deze dienst" in page
    assert page.count("Neem deze dienst") == 1                      # Tuesday's only: the others are refused
    assert f"/me/open-shifts/{week['tuesday']}/claim" in page and "07:00–15:30" in page
    assert "Groenwerk Twente BV, Hengelosestraat 1, Enschede" in page and "1 vrije plek" in page
    assert "<b>Dienst 1 07:00</b>" in page and "vaardigheden: groen" in page    # what the work is
    r = client.post(f"/me/open-shifts/{week['tuesday']}/claim?week={ISO_WEEK}",
                    data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/me/open-shifts?week={ISO_WEEK}")
    page = _week_page(client, ISO_WEEK)
    assert "bij Groenwerk Twente BV is van jou; hij staat in je rooster en je agenda." in page
    assert "Deze week zijn er geen open diensten voor je." in page
    assert "07:00–15:30" in client.get("/me", query_string={"from": MONDAY.isoformat()}).get_data(as_text=True)


def test_a_refused_claim_on_the_page_says_why_to_the_worker(client, pool, week, session):
    login(client, "worker_x")
    token = csrf_token(_week_page(client, ISO_WEEK))
    for shift, reason in (("heftruck", "je mist een vaardigheid die de dienst vraagt"),
                          ("early", "te weinig dagelijkse rust (11 uur per 24 uur)"),
                          ("full", "de dienst heeft al zijn medewerkers")):
        client.post(f"/me/open-shifts/{week[shift]}/claim", data={"csrf_token": token})
        assert f"Niet genomen: {reason}" in _week_page(client), shift
    r = client.post(f"/me/open-shifts/{week['tuesday']}/claim", data={})     # no CSRF token: nothing taken
    assert r.status_code == 400
    assert session.scalar(select(Assignment).where(Assignment.shift_id == week["tuesday"])) is None


def test_an_empty_week_points_to_the_next_shifts_with_a_free_place(client, pool, week):
    login(client, "worker_x")
    page = _week_page(client)            # this week: the shifts lie two weeks ahead
    assert "Deze week zijn er geen open diensten voor je." in page
    assert f"(week {WEEK_SAID})" in page and f'href="/me/open-shifts?week={ISO_WEEK}"' in page


def test_the_pointer_skips_weeks_whose_free_places_the_worker_may_not_take(client, pool, week, session):
    """Next week has a free place only on a heftruck shift, a skill x lacks: the page points past it to the
    week with the Tuesday shift x may take."""
    earlier = MONDAY - timedelta(days=7)
    capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_a, "title": "Heftruck", "skills": ["heftruck"], "start_date": earlier,
        "end_date": earlier + timedelta(days=6),
        "pattern": [{"weekday": 1, "start": "08:00", "end": "12:00", "break_minutes": 0, "headcount": 1}]})
    session.commit()
    login(client, "worker_x")
    page = _week_page(client)
    assert f"(week {WEEK_SAID})" in page and f'href="/me/open-shifts?week={ISO_WEEK}"' in page


@pytest.mark.parametrize("who", ["intermediary", "employer_a"])
def test_other_roles_do_not_get_the_page(client, pool, week, who):
    login(client, who)
    assert client.get("/me/open-shifts").status_code == 403


def _judged_one_by_one(session, worker_id) -> list[int]:
    """The week's shifts with a free place that assign would give the worker, each judged on its own."""
    worker = session.get(Worker, worker_id)
    rows = open_shifts._not_full(session, worker, MONDAY, _day(6))
    return [shift.id for shift, _count in rows if not assignments._refusals(session, worker, shift)]


def _listed_ids(session, pool, worker_id) -> list[int]:
    user = session.scalar(select(User.id).where(User.worker_id == worker_id))
    listed = open_shifts.open_shifts(session, Principal(user, "worker", worker_id=worker_id), MONDAY, _day(6))
    return [row.shift.id for row in listed]


def test_the_list_is_what_judging_each_shift_as_assign_does_gives(pool, week, session):
    assert _listed_ids(session, pool, pool.worker_x) == _judged_one_by_one(session, pool.worker_x) == [week["tuesday"]]
    # a minor (17 on the Monday, 18 on the Wednesday): judged one by one, their limits follow the period
    registry.update_worker(session, SYSTEM, pool.worker_y, {"birth_date": date(MONDAY.year - 18, _day(2).month,
                                                                               _day(2).day)})
    session.commit()
    assert _listed_ids(session, pool, pool.worker_y) == _judged_one_by_one(session, pool.worker_y)
    # x's own shifts break a rule (two at once, as an old plan left them): assign refuses every shift near
    # them for it, and so does the list
    other = _shift(session, pool.employer_a, 2, "15:00", "19:00", skills=())
    session.add(Assignment(shift_id=other, worker_id=pool.worker_x, status="confirmed"))
    session.commit()
    assert _listed_ids(session, pool, pool.worker_x) == _judged_one_by_one(session, pool.worker_x) == []


def test_shifts_the_planners_rules_refuse_get_no_full_rules_run_each(pool, week, session, monkeypatch):
    """One instance for the worker judges the week's shifts by the planner's rules; only the shift those
    allow (Tuesday) gets the compliance check: not one full rules run per shift."""
    built, checked = [], []
    build, check = open_shifts.build_worker_instance, open_shifts._compliance_violations
    monkeypatch.setattr(open_shifts, "build_worker_instance", lambda *args: built.append(args) or build(*args))
    monkeypatch.setattr(open_shifts, "_compliance_violations",
                        lambda session, worker, shift, **kw: checked.append(shift.id) or check(session, worker, shift, **kw))
    assert _listed_ids(session, pool, pool.worker_x) == [week["tuesday"]]
    assert len(built) == 1 and checked == [week["tuesday"]]


def test_a_shift_that_has_begun_is_not_listed_and_not_taken(client, pool, week, session):
    shift = session.get(Shift, week["tuesday"])
    shift.start, shift.end = datetime.now(AMS) - timedelta(hours=1), datetime.now(AMS) + timedelta(hours=7)
    session.commit()
    assert week["tuesday"] not in [s["shift_id"] for s in _listed(client, pool, "worker_x",
                                                                   **{"from": TODAY.isoformat()})]
    r = _claim(client, pool, "worker_x", week["tuesday"])
    assert r.status_code == 409 and r.get_json()["rules"] == ["shift_begun"]
    login(client, "worker_x")                  # the page was left open until the shift began
    client.post(f"/me/open-shifts/{week['tuesday']}/claim", data={"csrf_token": csrf_token(_week_page(client))})
    assert "Niet genomen: deze dienst is al begonnen; je kunt hem niet meer nemen<" in _week_page(client)


def test_the_log_sender_says_whom_a_message_is_for(client, pool, week, session, caplog):
    from banenpool.services.notifications import deliver_outbox
    assert _claim(client, pool, "worker_x", week["tuesday"]).status_code == 201
    with caplog.at_level("INFO", logger="banenpool.notifications"):
        deliver_outbox(session)
    said = [r.getMessage() for r in caplog.records]
    assert f"to the intermediary (employer {pool.employer_a}): worker {pool.worker_x}, taken by the worker: " \
           f"shift {week['tuesday']}" in said
    assert any(line.startswith("to the employer (employer") for line in said)
    assert any(line.startswith(f"to worker {pool.worker_x}: taken by the worker") for line in said)


def test_a_worker_who_left_the_pool_is_told_so_as_you_and_not_pointed_to_shifts_after_it(client, pool, week, session):
    login(client, "worker_x")
    token = csrf_token(_week_page(client, ISO_WEEK))       # the page was open while the pool set the last day
    late = session.scalar(select(Assignment.id).where(Assignment.shift_id == week["late"]))
    assignments.update_status(session, SYSTEM, late, "cancelled")
    registry.update_worker(session, SYSTEM, pool.worker_x, {"left_on": MONDAY})
    session.commit()
    assert _claim(client, pool, "worker_x", week["tuesday"]).get_json()["rules"] == ["worker_left"]
    client.post(f"/me/open-shifts/{week['tuesday']}/claim?week={ISO_WEEK}", data={"csrf_token": token})
    page = _week_page(client, ISO_WEEK)
    assert "Niet genomen: je gaat uit de pool vóór de dag van deze dienst" in page
    assert "de medewerker" not in page
    # this week has none, and the coming shifts with a free place all lie after the last day: no pointer
    page = _week_page(client)
    assert "Deze week zijn er geen open diensten voor je." in page
    assert "De volgende diensten met een vrije plek" not in page
    login(client, "worker_y")                             # who stays is still pointed to them
    assert f"(week {WEEK_SAID})" in _week_page(client)


def test_the_page_asks_before_a_shift_is_taken(client, pool, week):
    """Taking is binding at once (a call made 4 days or more ahead stands): one tap on a phone must not do it."""
    login(client, "worker_x")
    page = _week_page(client, ISO_WEEK)
    form = page[page.index(f'action="/me/open-shifts/{week["tuesday"]}/claim'):]
    form = form[:form.index(">")]
    assert 'data-confirm="De dienst van di ' in form
    assert "07:00 bij Groenwerk Twente BV nemen? Hij is meteen van jou: de pool en de werkgever rekenen op je." in form


def test_a_shift_over_the_night_the_clocks_go_forward_is_listed_in_amsterdam_time(client, pool, session):
    year = TODAY.year + 1
    sunday = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 6)   # 02:00 → 03:00
    registry.set_availability(session, SYSTEM, pool.worker_x, [{"weekday": 6, "start": time(0), "end": time(23)}], [])
    req = capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_a, "title": "Nacht", "skills": [], "start_date": sunday, "end_date": sunday,
        "pattern": [{"weekday": 6, "start": "01:00", "end": "07:00", "break_minutes": 30, "headcount": 1}]})
    session.commit()
    (listed,) = client.get("/api/v1/me/open-shifts", headers=pool.headers("worker_x"), query_string={
        "from": sunday.isoformat(), "to": sunday.isoformat()}).get_json()
    assert listed["shift_id"] == req.shifts[0].id
    assert (listed["start"], listed["end"]) == (f"{sunday}T01:00:00+01:00", f"{sunday}T07:00:00+02:00")
    assert listed["paid_hours"] == "4.50"                   # 5 hours on the clock, less the break
    login(client, "worker_x")
    page = _week_page(client, "{}-W{:02d}".format(*sunday.isocalendar()[:2]))
    assert f"zondag {sunday.day} maart" in page and "01:00–07:00 · <b>Nacht</b>" in page
    assert "4,5 uur" in page


def test_a_15_year_old_sees_no_school_day_shift_and_is_told_why_in_dutch(client, pool, week, session):
    from contracts.compliance_youth import school_day
    if not school_day(_day(1), ()):
        pytest.skip("that Tuesday is a public holiday: a 15-year-old may work 8 hours on it")
    registry.update_worker(session, SYSTEM, pool.worker_x, {"birth_date": date(MONDAY.year - 15, 1, 1)})
    session.commit()
    assert _listed(client, pool, "worker_x") == []
    login(client, "worker_x")
    page = _week_page(client, ISO_WEEK)
    assert "Neem deze dienst" not in page
    client.post(f"/me/open-shifts/{week['tuesday']}/claim?week={ISO_WEEK}", data={"csrf_token": csrf_token(page)})
    page = _week_page(client, ISO_WEEK)
    assert "Niet genomen: " in page and "Jongere van 15: " in page, page[page.index("<main"):][:1500]
    assert session.scalar(select(Assignment).where(Assignment.shift_id == week["tuesday"])) is None


def test_a_shift_the_worker_took_is_no_call_they_may_refuse(client, pool, session):
    """Refusing a call made less than 4 days ahead (art. 7:628a BW) is about calls the pool makes; a
    shift the worker took themselves is their own choice: declining it is refused (before, they could
    take and drop it again at will, the employer hearing nothing). The same shift called by the pool
    may still be refused."""
    day = TODAY + timedelta(days=2)
    weekly = [{"weekday": d, "start": time(6), "end": time(23)} for d in range(7)]
    for w in (pool.worker_x, pool.worker_y):
        registry.set_availability(session, SYSTEM, w, weekly, [])
    req = capacity.create_request(session, SYSTEM, {
        "employer_id": pool.employer_a, "title": "Snoeien", "skills": ["groen"], "start_date": day, "end_date": day,
        "pattern": [{"weekday": day.weekday(), "start": "08:00", "end": "12:00", "break_minutes": 0,
                     "headcount": 2}]})
    session.commit()
    shift_id = session.scalar(select(Shift.id).where(Shift.request_id == req.id))
    r = _claim(client, pool, "worker_x", shift_id)
    assert r.status_code == 201, r.get_json()
    taken = r.get_json()["id"]
    r = client.post(f"/api/v1/assignments/{taken}/decline", headers=pool.headers("worker_x"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["taken_by_worker"], r.get_json()
    called = assignments.assign(session, SYSTEM, shift_id, pool.worker_y).id    # the pool calls y
    session.commit()
    login(client, "worker_y")
    assert f"/me/assignments/{called}/decline" in client.get("/me").get_data(as_text=True)
    r = client.post(f"/api/v1/assignments/{called}/decline", headers=pool.headers("worker_y"))
    assert r.status_code == 200, r.get_json()
    login(client, "worker_x")
    page = client.get("/me").get_data(as_text=True)
    assert "08:00" in page and f"/me/assignments/{taken}/decline" not in page   # no refuse button on it


def test_each_open_shift_says_what_it_would_pay_the_worker(client, pool, week, session):
    """Priced as the worker's approved hours there would be: under their contract's CAO, scale and agreed
    wage (x: 2 € above the scale), or the hirer's CAO and lowest scale without a contract (y); as the pay
    preview prices the same shift."""
    from banenpool.services.caos import get_cao
    hoveniers = get_cao("hoveniers", _day(1))
    scale_wage = hoveniers.scale_wage(hoveniers.lowest_scale())
    registry.add_contract(session, SYSTEM, pool.worker_x, {
        "employer_id": pool.employer_a, "kind": "min_max", "hours_per_week": 12, "cao_code": "hoveniers",
        "hourly_wage": scale_wage + 2, "start_date": TODAY})
    session.commit()
    x_pay = _listed(client, pool, "worker_x")[0]["pay"]
    y_pay = next(s for s in _listed(client, pool, "worker_y") if s["shift_id"] == week["tuesday"])["pay"]
    assert x_pay["cao_code"] == y_pay["cao_code"] == "hoveniers"
    assert x_pay["base_rate"] == f"{scale_wage + 2:.2f}" and y_pay["base_rate"] == f"{scale_wage:.2f}"
    for pay in (x_pay, y_pay):
        base = [line for line in pay["lines"] if line["kind"] == "base"]
        assert sum(Decimal(line["hours"]) for line in base) == Decimal("8.00")     # 07:00-15:30, 30 min break
        assert Decimal(pay["total"]) == sum(Decimal(line["amount"]) for line in pay["lines"]) > 0
    preview = client.post("/api/v1/pay/preview", headers=pool.headers("worker_x"), json={
        "cao_code": "hoveniers", "birth_date": "1998-04-02", "contract_kind": "min_max", "hours_per_week": "12",
        "hourly_wage": f"{scale_wage + 2:.2f}", "start": datetime.combine(_day(1), time(7), AMS).isoformat(),
        "end": datetime.combine(_day(1), time(15, 30), AMS).isoformat(), "break_minutes": 30,
        "fixed_times": False}).get_json()
    assert preview["total"] == x_pay["total"]
    login(client, "worker_x")
    page = _week_page(client, ISO_WEEK)
    euro = lambda value: format_currency(Decimal(value), "EUR", locale="nl_NL")   # noqa: E731
    assert f"{euro(x_pay['total'])} bruto ({euro(scale_wage + 2)} per uur" in page
    assert "cao hoveniers" in page


def test_an_open_shifts_pay_is_what_its_hours_pay_once_worked_and_approved(client, pool, week, session):
    """x on an ABU on-call contract with the pool, y a minor of 16 without a contract: the open shift's pay is
    what timesheet_pay (the payroll statement's and the invoice's pricing) gives its hours, worked as planned."""
    from banenpool.models import Employer, Timesheet
    from banenpool.services import timesheets
    registry.add_contract(session, SYSTEM, pool.worker_x, {"employer_id": None, "kind": "on_call", "hours_per_week": 8,
                                                           "cao_code": "abu", "start_date": TODAY})
    registry.update_worker(session, SYSTEM, pool.worker_y, {"birth_date": _day(1).replace(year=_day(1).year - 16)})
    session.commit()
    shift, employer = session.get(Shift, week["tuesday"]), session.get(Employer, pool.employer_a)
    for who, worker_id in (("worker_x", pool.worker_x), ("worker_y", pool.worker_y)):
        listed = next(s for s in _listed(client, pool, who) if s["shift_id"] == shift.id)["pay"]
        worker = session.get(Worker, worker_id)
        sheet = Timesheet(start=shift.start, end=shift.end, break_minutes=shift.break_minutes, kind="worked")
        paid = timesheets.timesheet_pay(session, sheet, Assignment(id=0, worker_id=worker_id, shift_id=shift.id),
                                        shift, worker, employer).result
        assert (listed["cao_code"], listed["total"], listed["base_rate"]) == \
            (paid.cao_code, f"{paid.total:.2f}", f"{paid.base_rate:.2f}"), who
        assert [(line["kind"], line["amount"]) for line in listed["lines"]] == \
            [(line.kind, f"{line.amount:.2f}") for line in paid.lines], who
