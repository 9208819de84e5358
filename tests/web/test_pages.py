"""The HTML pages through the real app: who may see what, HTML (not JSON) errors, CSRF, forms and language."""
import re
from datetime import datetime, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from banenpool.calendar_nl import AMS
from banenpool.models import Assignment, CapacityRequest, Plan
from tests.web.pages_data import WEEK, csrf_token, login, staff

INTERMEDIARY = ["/dashboard", f"/schedule?week={WEEK}", "/coverage?from=2026-03-23&to=2026-03-29", "/open-shifts",
                "/plans", "/workers", "/workers/{worker_x}", "/employers", "/employers/{employer_a}",
                "/caos?a=hoveniers&b=taxi", "/payroll"]
EMPLOYER = ["/employer/requests", f"/employer/shifts?week={WEEK}", "/employer/requests/{request_a}", "/employer/details"]
WORKER = ["/me", "/me/availability", "/me/checks", f"/me/open-shifts?week={WEEK}"]
DAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
ROLE_PAGES = {"intermediary": INTERMEDIARY, "employer_a": EMPLOYER, "worker_x": WORKER}


@pytest.fixture
def staffed(app, session, pool):
    return staff(app, session, pool)


def fill(path, pool, staffed):
    return path.format(worker_x=pool.worker_x, employer_a=pool.employer_a, request_a=staffed.request_a)


def html(r) -> str:
    assert r.mimetype == "text/html", (r.status_code, r.mimetype, r.get_data(as_text=True)[:200])
    return r.get_data(as_text=True)


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_every_page_of_a_role_renders_for_it_and_only_for_it(client, pool, staffed, role):
    login(client, role)
    for owner, paths in ROLE_PAGES.items():
        for path in paths:
            r = client.get(fill(path, pool, staffed))
            body = html(r)
            if owner == role:
                assert r.status_code == 200, (path, body[:500])
                assert "<nav>" in body and "Uitloggen" in body
            else:
                assert r.status_code == 403, (role, path, r.status_code)
                assert "Geen toegang" in body


def test_anonymous_is_sent_to_the_login_page(client, pool, staffed):
    for path in [p for paths in ROLE_PAGES.values() for p in paths]:
        r = client.get(fill(path, pool, staffed))
        assert r.status_code == 302 and "/login?next=" in r.headers["Location"], path
    assert "Inloggen" in html(client.get("/login"))
    assert "Inloggen" in html(client.get("/"))


def test_html_errors_are_html_and_api_errors_stay_json(client, pool, staffed):
    login(client, "intermediary")
    for path in ("/no-such-page", "/workers/999", "/employers/999", "/workers/99999999999"):
        r = client.get(path)
        assert r.status_code == 404 and "Niet gevonden" in html(r)
    r = client.get("/api/v1/workers/999", headers=pool.headers("intermediary"))
    assert r.status_code == 404 and r.is_json and r.get_json()["message"]
    assert client.get("/api/v1/nope").is_json
    r = client.post("/dashboard")
    assert r.status_code in (400, 405) and r.mimetype == "text/html"


def test_an_employer_never_sees_another_employers_request(client, pool, staffed):
    login(client, "employer_b")
    r = client.get(f"/employer/requests/{staffed.request_a}")
    assert r.status_code == 404 and "Niet gevonden" in html(r)
    own = html(client.get("/employer/requests"))
    assert "Kantoren" in own and "Voorjaarspiek" not in own and "Heftruck" not in own
    shifts = html(client.get(f"/employer/shifts?week={WEEK}"))
    assert "do 26 mrt 16:00" in shifts and "ma 23 mrt" not in shifts


def test_week_schedule_shows_assignments_with_employer_colours(client, pool, staffed, session):
    login(client, "intermediary")
    body = html(client.get(f"/schedule?week={WEEK}"))
    assert "Weekrooster · week 13, 2026" in body and "Sanne Scholten" in body and "Daan Nijhuis" in body
    assert "07:00–15:30" in body and "16:00–20:00" in body
    assert "Groenwerk Twente BV" in body and "Glans Schoonmaak" in body
    assert body.count('class="shift" style="background: #8ecae6"') == 3  # employer_a's three Mon–Wed shifts
    assert body.count('class="shift" style="background: #ffb703"') == 1  # employer_b's Thursday evening
    assert body.count('/staff"') == 4     # each shift opens its staffing page
    assert "week=2026-W12" in body and "week=2026-W14" in body
    assert "07:00" not in html(client.get("/schedule?week=2026-W14"))
    assert client.get("/schedule?week=rubbish").status_code == 404


def test_dashboard_coverage_and_open_shifts(client, pool, staffed):
    login(client, "intermediary")
    dash = html(client.get(f"/dashboard?week={WEEK}"))
    assert f"open plaatsen in week {WEEK}" in dash and "vr 27 mrt 08:00" in dash  # the heftruck shift nobody can do
    assert "plaatsen deze week" not in dash and "open plaatsen deze week" in html(client.get("/dashboard"))
    assert 'rel="next"' in dash and "week=2026-W14" in dash          # the dashboard pages by week
    assert re.search(r"<b>0</b>diensten met uren die wachten op goedkeuring", dash)
    mine = client.get(f"/api/v1/assignments?worker_id={pool.worker_x}", headers=pool.headers("worker_x")).get_json()[0]
    r = client.put(f"/api/v1/assignments/{mine['id']}/timesheet", headers=pool.headers("worker_x"),
                   json={"start": mine["start"], "end": mine["end"], "break_minutes": 30})
    assert r.status_code == 200, r.get_json()
    assert re.search(r"<b>1</b>diensten met uren die wachten op goedkeuring", html(client.get("/dashboard")))
    long = html(client.get("/coverage?from=2026-03-23&to=2027-03-29"))
    assert "De grafiek toont hoogstens 93 dagen" in long and "tot 23 jun 2026" in long    # the most it shows
    backwards = html(client.get("/coverage?from=2026-03-23&to=2026-03-01"))
    assert "De grafiek toont hoogstens 93 dagen" in backwards and "tot 5 apr 2026" in backwards  # two weeks
    cov = html(client.get("/coverage?from=2026-03-23&to=2026-03-29"))
    assert "<svg" in cov and "<rect" in cov
    assert "8 / 8" in cov and "4 / 4" in cov and "0 / 4" in cov  # Mon covered; Thu employer_b; Fri heftruck open
    open_page = html(client.get("/open-shifts"))
    assert "heftruck" in open_page and "vr 27 mrt 08:00" in open_page and f"planning {staffed.plan_id}" in open_page
    assert "geen medewerker heeft vaardigheid heftruck" in open_page   # the planner's reason, in Dutch
    assert "no worker has skill heftruck" in html(client.get("/open-shifts?lang=en"))


def test_worker_detail_and_cao_comparison(client, pool, staffed):
    login(client, "intermediary")
    detail = html(client.get(f"/workers/{pool.worker_x}"))
    assert "Sanne Scholten" in detail and "Beschikbaarheid" in detail and "maandag" in detail
    cmp_ = html(client.get("/caos?a=hoveniers&b=taxi"))
    assert "Cao-vergelijking" in cmp_ and '<option selected value="taxi">' in cmp_
    assert '<span class="badge example">voorbeeld</span>' in cmp_


def test_cao_comparison_offers_only_the_caos_in_force_on_the_date(client, pool):
    login(client, "intermediary")
    before_all = client.get("/caos?on=1900-01-01")
    assert before_all.status_code == 200
    page = html(before_all)
    assert "Op 1 januari 1900 gelden minder dan twee cao's uit de catalogus." in page
    assert "Vanaf 1 januari 2022 gelden er twee of meer." in page   # schoonmaak and taxi
    early = html(client.get("/caos?a=hoveniers&b=taxi&on=2022-06-01"))  # hoveniers starts 2023-07-01
    assert 'value="hoveniers"' not in early
    assert '<option selected value="schoonmaak">' in early and '<option selected value="taxi">' in early


def test_worker_sees_own_schedule_and_saves_availability(app, client, pool, staffed, session):
    login(client, "worker_x")
    page = html(client.get("/me/availability"))
    data = {"csrf_token": csrf_token(page)}
    for i in range(7):
        data[f"days-{i}-start"], data[f"days-{i}-end"] = "08:00", "17:00"
    data["days-0-available"] = data["days-2-available"] = "y"
    r = client.post("/me/availability", data=data)
    assert r.status_code == 302
    saved = html(client.get("/me/availability"))
    assert "Beschikbaarheid opgeslagen." in saved
    assert saved.count('checked') == 2
    march = html(client.get("/me?from=2026-03-23"))
    mine: dict[bool, set] = {True: set(), False: set()}
    for a in session.scalars(select(Assignment).where(Assignment.status == "confirmed")):
        mine[a.worker_id == pool.worker_x].add(f"<h3>{DAYS_NL[a.shift.start.weekday()]}")
    assert mine[True] and all(day in march for day in mine[True])
    assert not any(day in march for day in mine[False] - mine[True])  # worker_y's days are not on her page
    # four weeks at a time, with the four before and after a click away
    assert 'href="/me?from=2026-02-23" rel="prev"' in march and 'href="/me?from=2026-04-20" rel="next"' in march
    schedule = html(client.get("/me"))
    if "calendar_feeds.feed" in app.view_functions:
        assert "/cal/" in schedule  # the calendar subscription URL
    assert "Controles" in html(client.get("/me/checks"))


def test_csrf_rejects_a_form_post_without_token(client, pool, session):
    r = client.post("/login", data={"email": "intermediary@test.example", "password": "x"})
    assert r.status_code == 400 and "Ongeldig verzoek" in html(r)
    login(client, "employer_a")
    r = client.post("/employer/requests", data={"title": "Zonder token", "start_date": "2026-03-23",
                                               "end_date": "2026-03-29", "lines-0-weekday": "0",
                                               "lines-0-start": "08:00", "lines-0-end": "12:00"})
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert session.scalar(select(CapacityRequest).where(CapacityRequest.title == "Zonder token")) is None
    r = client.post("/api/v1/auth/token", json={"email": "intermediary@test.example", "password": "wrong!"})
    assert r.is_json  # the API is not CSRF-checked: bearer tokens, no cookies


def test_wrong_password_and_logout(client, pool):
    page = html(client.get("/login"))
    r = client.post("/login", data={"email": "intermediary@test.example", "password": "nope",
                                    "csrf_token": csrf_token(page)})
    assert r.status_code == 200 and "E-mailadres of wachtwoord klopt niet." in html(r)
    login(client, "intermediary")
    dash = html(client.get("/dashboard"))
    r = client.post("/logout", data={"csrf_token": csrf_token(dash)})
    assert r.status_code == 302 and client.get("/dashboard").status_code == 302
    r = client.get("/login?next=https://evil.example/")
    login_page = r.get_data(as_text=True)
    r = client.post("/login?next=https://evil.example/", data={
        "email": "intermediary@test.example", "password": "correct horse battery", "csrf_token": csrf_token(login_page)})
    assert r.headers["Location"] == "/dashboard"


def test_language_switch_shows_english(client, pool, staffed):
    login(client, "intermediary")
    assert "Weekrooster" in html(client.get(f"/schedule?week={WEEK}"))
    body = html(client.get(f"/schedule?week={WEEK}&lang=en"))
    assert "Week schedule" in body and "Mon 23 Mar" in body and '<html lang="en">' in body
    assert "CAO comparison" in html(client.get("/caos"))  # remembered in the session
    assert "Weekrooster" in html(client.get(f"/schedule?week={WEEK}&lang=nl"))


def test_employer_creates_a_request_through_the_form(client, pool, session):
    login(client, "employer_a")
    page = html(client.get("/employer/requests"))
    assert 'name="lines-6-weekday"' in page        # a line for every day of the week
    assert '<option value="B">B (€\xa015,60)</option>' in page   # the scales of the employer's CAO (hoveniers)
    r = client.post("/employer/requests", data={
        "csrf_token": csrf_token(page), "title": "Snoeiwerk", "skills": "groen, Snoeien", "scale": "B",
        "start_date": "2026-04-06",
        "end_date": "2026-04-19", "lines-0-weekday": "1", "lines-0-start": "08:00", "lines-0-end": "16:30",
        "lines-0-break_minutes": "30", "lines-0-headcount": "2", "lines-1-weekday": ""})
    assert r.status_code == 302, html(r)
    detail = html(client.get(r.headers["Location"]))
    assert "Snoeiwerk" in detail and "di 7 apr 08:00" in detail and "di 14 apr 08:00" in detail
    assert "0 / 2" in detail and "Diensten (2)" in detail
    request = session.scalar(select(CapacityRequest).where(CapacityRequest.title == "Snoeiwerk"))
    assert request.employer_id == pool.employer_a and request.skills == ["groen", "snoeien"]
    assert request.scale == "B" and {s.scale for s in request.shifts} == {"B"}
    bad = client.post("/employer/requests", data={
        "csrf_token": csrf_token(page), "title": "Te lang", "start_date": "2026-04-06", "end_date": "2026-04-07",
        "lines-0-weekday": "0", "lines-0-start": "06:00", "lines-0-end": "20:00"})
    assert bad.status_code == 200 and "#1 Einde: een dienst van 14 uur is langer dan 12 uur" in html(bad)


def test_intermediary_makes_and_publishes_a_plan_via_forms(client, pool, staffed, session, monkeypatch):
    from banenpool import queue
    monkeypatch.setattr(queue.huey, "immediate", True)
    login(client, "intermediary")
    page = html(client.get("/plans"))
    r = client.post("/plans", data={"csrf_token": csrf_token(page), "start_date": "2026-03-23",
                                    "end_date": "2026-03-29", "time_limit_seconds": "5", "include_started": "y"})
    assert r.status_code == 302
    listing = html(client.get("/plans"))
    assert "Planning 2 staat in de wachtrij." in listing and "klaar" in listing and "Publiceren" in listing
    assert "ma 23 mrt 2026 – zo 29 mrt 2026" in listing and " nieuw · " in listing
    plan2 = session.get(Plan, 2).result["levels"]   # what the planner proved, level by level
    shown = "bezetting: best mogelijk" if plan2[0]["status"] == "optimal" else "% van de bovengrens"
    assert plan2[0]["level"] == "coverage" and shown in listing
    r = client.post(f"/plans/{staffed.plan_id}/publish", data={"csrf_token": csrf_token(listing)})
    assert r.status_code == 302
    again = html(client.get("/plans"))
    assert "Niet gepubliceerd: deze planning is al gepubliceerd" in again  # the 409's reason as a flash
    r = client.post("/plans/2/publish", data={"csrf_token": csrf_token(again)})
    assert "Planning 2 is gepubliceerd." in html(client.get("/plans"))
    assert session.get(Plan, 2).published_at is not None
    assert session.scalar(select(Assignment).where(Assignment.status == "proposed")) is None


def test_the_dutch_catalogue_is_complete_and_compiled():
    """Every text in the templates and views has a Dutch translation, and the committed .mo matches the .po."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po
    repo = Path(__file__).parents[2]
    root = repo / "web" / "translations"
    with open(root / "babel.cfg") as f:
        methods, options = parse_mapping_cfg(f)
    wanted = {msg[2] for msg in extract_from_dir(str(repo), methods, options, keywords={
        "_l": None, "_": None, "gettext": None, "ngettext": (1, 2)})}
    wanted = {m if isinstance(m, str) else m[0] for m in wanted}

    def entries(messages):      # a plural entry by its singular, with every form
        return {(m.id if isinstance(m.id, str) else m.id[0]):
                (m.string if isinstance(m.string, str) else tuple(m.string)) for m in messages if m.id}
    with open(root / "nl" / "LC_MESSAGES" / "messages.po", "rb") as f:
        po = entries(read_po(f))
    with open(root / "nl" / "LC_MESSAGES" / "messages.mo", "rb") as f:
        mo = entries(read_mo(f))
    assert not wanted - po.keys(), "run pybabel update (see web/translations/babel.cfg)"
    assert all(v if isinstance(v, str) else all(v) for v in po.values()), [k for k, v in po.items() if not v]
    assert mo == po, "run pybabel compile -d web/translations"


@pytest.mark.parametrize("role, path, link", [
    ("intermediary", "/dashboard?week=2026-W10", "/dashboard?week=2026-W13"),
    ("intermediary", "/schedule?week=2026-W10", "/schedule?week=2026-W13"),
    ("intermediary", "/coverage?from=2026-03-02&to=2026-03-08", "/coverage?from=2026-03-23"),
    ("employer_a", "/employer/shifts?week=2026-W10", "/employer/shifts?week=2026-W13"),
    ("worker_x", "/me?from=2026-02-02", "/me?from=2026-03-23"),
])
def test_an_empty_week_points_to_the_next_shifts(client, pool, staffed, role, path, link):
    login(client, role)
    page = html(client.get(path))
    assert "de eerstvolgende diensten beginnen op maandag 23 maart 2026 (week 13, 2026)" in page, page[:3000]
    assert f'href="{link}"' in page
    later = html(client.get(link))
    assert "eerstvolgende diensten" not in later        # the week it points to has them


def test_no_pointer_when_nothing_follows(client, pool, staffed):
    login(client, "intermediary")
    assert "eerstvolgende" not in html(client.get("/schedule?week=2026-W20"))


def test_open_shifts_of_a_chosen_plan_linked_from_the_plans_page(client, pool, staffed):
    login(client, "intermediary")
    plans = html(client.get("/plans"))
    assert f'href="/open-shifts?plan={staffed.plan_id}"' in plans
    page = html(client.get(f"/open-shifts?plan={staffed.plan_id}"))
    assert f"Uit planning {staffed.plan_id} " in page and "geen medewerker heeft vaardigheid heftruck" in page
    assert client.get(f"/open-shifts?plan={staffed.plan_id + 99}").status_code == 404


def test_refusals_are_shown_in_dutch_with_the_forms_labels(client, pool):
    login(client, "intermediary")
    page = html(client.get("/plans"))
    r = client.post("/plans", data={"csrf_token": csrf_token(page), "start_date": "2026-03-29",
                                    "end_date": "2026-03-23", "time_limit_seconds": "5"})
    shown = html(r) if r.status_code == 200 else html(client.get(r.headers["Location"]))
    assert "Tot en met: moet op of na Van liggen" in shown and "on or after" not in shown
    page = html(client.get("/invoices"))
    r = client.post("/invoices", data={"csrf_token": csrf_token(page), "employer_id": pool.employer_a,
                                       "period_start": "2026-03-01", "period_end": "2026-03-31"})
    assert "geen goedgekeurde, nog niet gefactureerde uren van 1 mrt 2026 tot en met 31 mrt 2026" in html(r)


def test_worker_enters_and_removes_leave_on_the_availability_page(client, pool, session):
    from datetime import date, timedelta

    from banenpool.models import Absence, Worker
    from tests.banenpool.test_billing import make_assignment
    monday = date.today() + timedelta(days=14 - date.today().weekday())        # in two weeks or so
    make_assignment(session, pool.employer_a, pool.worker_x, start=datetime.combine(monday, datetime.min.time(),
                                                                                    AMS).replace(hour=8))
    login(client, "worker_x")
    page = html(client.get("/me/availability"))
    weekly_before = len(session.get(Worker, pool.worker_x).weekly)
    friday = monday + timedelta(days=4)
    r = client.post("/me/availability/absences", data={"csrf_token": csrf_token(page), "first": friday.isoformat(),
                                                        "last": monday.isoformat(), "reason": "leave"})
    assert r.status_code == 422 and "Tot en met: mag niet vóór de eerste dag liggen" in html(r)
    assert session.scalars(select(Absence)).all() == []
    r = client.post("/me/availability/absences", data={"csrf_token": csrf_token(page), "first": monday.isoformat(),
                                                        "last": friday.isoformat(), "reason": "leave"})
    shown = html(client.get(r.headers["Location"]))
    assert f"Afwezigheid opgeslagen van {format_date(monday, 'd MMM y', locale='nl')} tot en met " \
           f"{format_date(friday, 'd MMM y', locale='nl')}." in shown
    assert "t/m vr " in shown and "verlof" in shown
    assert "1 dienst ingepland: meld het bij de pool" in shown     # she has a shift that Monday
    session.expire_all()
    worker = session.get(Worker, pool.worker_x)
    (absence,) = worker.absences
    assert len(worker.weekly) == weekly_before                        # her weekly pattern is kept
    assert absence.start == datetime.combine(monday, datetime.min.time(), AMS)
    assert absence.end == datetime.combine(friday + timedelta(days=1), datetime.min.time(), AMS)
    login(client, "worker_y")
    other = html(client.get("/me/availability"))
    r = client.post(f"/me/availability/absences/{absence.id}/delete", data={"csrf_token": csrf_token(other)})
    assert r.status_code == 404                                       # not hers
    login(client, "worker_x")
    r = client.post(f"/me/availability/absences/{absence.id}/delete", data={"csrf_token": csrf_token(shown)})
    assert "Afwezigheid verwijderd." in html(client.get(r.headers["Location"]))
    session.expire_all()
    assert session.get(Worker, pool.worker_x).absences == []


def test_public_holidays_are_marked_on_the_schedules(client, pool, session):
    from tests.banenpool.test_billing import make_assignment
    make_assignment(session, pool.employer_a, pool.worker_x, start=datetime(2026, 4, 6, 22, 0, tzinfo=AMS), hours=8)
    login(client, "intermediary")
    assert "Tweede paasdag" in html(client.get("/schedule?week=2026-W15"))
    assert "Tweede paasdag" not in html(client.get("/schedule?week=2026-W16"))
    login(client, "worker_x")
    mine = html(client.get("/me?from=2026-04-06"))
    assert "Tweede paasdag" in mine and "22:00–06:00 (+1)" in mine      # a night into Tuesday
    english = html(client.get("/me?from=2026-04-06&lang=en"))
    assert "Easter Monday" in english and "Tweede paasdag" not in english


def test_worker_renews_the_calendar_address_on_the_schedule_page(app, client, pool):
    if "calendar_feeds.feed" not in app.view_functions:
        pytest.skip("no calendar feed route in this app")
    import re
    login(client, "worker_x")
    page = html(client.get("/me"))
    old = re.search(r'value="([^"]+/cal/[^"]+\.ics)"', page)[1]
    path = old.split("/cal/", 1)[1]
    assert client.get(f"/cal/{path}").status_code == 200
    r = client.post("/me/calendar/renew", data={"csrf_token": csrf_token(page)})
    after = html(client.get(r.headers["Location"]))
    new = re.search(r'value="([^"]+/cal/[^"]+\.ics)"', after)[1]
    assert "Je agenda heeft een nieuw adres" in after and new != old
    assert client.get(f"/cal/{path}").status_code == 404                  # the old address stops working
    assert client.get("/cal/" + new.split("/cal/", 1)[1]).status_code == 200


def test_employer_subscribes_to_and_renews_its_shift_calendar_on_the_shifts_page(app, client, pool, session):
    """The employer's feed of its staffed shifts was reachable through the API only."""
    if "calendar_feeds.feed" not in app.view_functions:
        pytest.skip("no calendar feed route in this app")
    import re
    from tests.banenpool.test_billing import make_assignment
    soon = (datetime.now(AMS) + timedelta(days=10)).replace(hour=8, minute=0, second=0, microsecond=0)
    make_assignment(session, pool.employer_a, pool.worker_x, start=soon, hours=8)     # the feed shows what comes
    login(client, "employer_a")
    page = html(client.get("/employer/shifts"))
    old = re.search(r'value="([^"]+/cal/[^"]+\.ics)"', page)[1]
    feed = client.get("/cal/" + old.split("/cal/", 1)[1])
    assert feed.status_code == 200 and "1/1 bezet" in feed.get_data(as_text=True)   # its shift, staffed
    r = client.post("/employer/calendar/renew", data={"csrf_token": csrf_token(page)})
    after = html(client.get(r.headers["Location"]))
    new = re.search(r'value="([^"]+/cal/[^"]+\.ics)"', after)[1]
    assert "De dienstenagenda heeft een nieuw adres" in after and new != old
    assert client.get("/cal/" + old.split("/cal/", 1)[1]).status_code == 404
    client.get("/logout")
    login(client, "employer_b")                    # another employer's address is its own
    other = re.search(r'value="([^"]+/cal/[^"]+\.ics)"', html(client.get("/employer/shifts")))[1]
    assert other != new and "1/1 bezet" not in client.get("/cal/" + other.split("/cal/", 1)[1]).get_data(as_text=True)
    client.get("/logout")
    login(client, "worker_x")                      # an employer's page, not a worker's
    assert client.post("/employer/calendar/renew", data={"csrf_token": csrf_token(page)}).status_code in (302, 403)
