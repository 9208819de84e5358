"""Calendar subscriptions over HTTP: who may read the URL, rotation, the feed, ETag and 304.

The feed's window runs from 60 days ago to a year ahead of today, so shifts here are placed
relative to today (the DST night is the next spring-forward night, always within a year).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import icalendar
import pytest
from sqlalchemy import select

from banenpool.calendar_nl import local_datetime
from banenpool.models import AuditLog
from tests.banenpool.test_calendar_feed import add_assignment, add_shift

UTC = timezone.utc
CALLERS = ("intermediary", "employer_a", "employer_b", "worker_x", "worker_y", "anonymous")


def calendar_url(client, pool, worker_id, who="intermediary", rotate=False):
    path = f"/api/v1/workers/{worker_id}/calendar" + ("/rotate" if rotate else "")
    r = (client.post if rotate else client.get)(path, headers=pool.headers(who))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def fetch(client, url, **headers):
    return client.get(url.removeprefix("http://localhost"), headers=headers)


def uids(body: bytes) -> set[str]:
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def next_spring_forward(today: date) -> date:
    """The last Sunday of March after today."""
    for year in (today.year, today.year + 1):
        day = date(year, 3, 31)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        if day > today + timedelta(days=2):
            return day
    raise AssertionError


@pytest.mark.parametrize("rotate", [False, True], ids=["get", "rotate"])
def test_who_may_see_the_calendar_url(client, pool, rotate):
    expected = dict(zip(CALLERS, (200, 404, 404, 200, 404, 401)))
    for caller, status in expected.items():
        path = f"/api/v1/workers/{pool.worker_x}/calendar" + ("/rotate" if rotate else "")
        r = (client.post if rotate else client.get)(path, headers=pool.headers(caller))
        assert r.status_code == status, (caller, r.get_json())
        if status != 200:
            assert "cal/" not in r.get_data(as_text=True)
    assert client.get("/api/v1/workers/999/calendar", headers=pool.headers("intermediary")).status_code == 404


def test_url_is_stable_absolute_and_audited(client, pool, session):
    first = calendar_url(client, pool, pool.worker_x, "worker_x")
    assert first == calendar_url(client, pool, pool.worker_x, "intermediary")
    assert first["url"].startswith("http://localhost/cal/") and first["url"].endswith(".ics")
    assert first["webcal_url"] == "webcal://" + first["url"].removeprefix("http://")
    token = first["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43 and token != calendar_url(client, pool, pool.worker_y)["url"].rsplit("/", 1)[1]
    calendar_url(client, pool, pool.worker_x, "worker_x", rotate=True)
    log = session.scalars(select(AuditLog).where(AuditLog.entity == "worker_calendar")
                          .order_by(AuditLog.id)).all()
    assert [(e.action, e.entity_id) for e in log if e.entity_id == pool.worker_x] == [
        ("issue", pool.worker_x), ("read", pool.worker_x), ("rotate", pool.worker_x)]
    assert all(token not in str(e.changes) for e in log)


def test_feed_headers_etag_and_304(client, pool, session):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    add_assignment(session, add_shift(session, pool.employer_a, start, 8), pool.worker_x)
    session.commit()
    url = calendar_url(client, pool, pool.worker_x)["url"]
    r1, r2 = fetch(client, url), fetch(client, url)
    assert r1.status_code == 200 and r1.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert r1.data == r2.data and r1.headers["ETag"] == r2.headers["ETag"]
    assert r1.headers["Last-Modified"] and "private" in r1.headers["Cache-Control"]
    assert r1.data.startswith(b"BEGIN:VCALENDAR\r\n") and "X-WR-CALNAME:Banenpool – Sanne Scholten" in r1.text
    not_modified = fetch(client, url, **{"If-None-Match": r1.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == r1.headers["ETag"]
    assert fetch(client, url, **{"If-None-Match": '"something-else"'}).status_code == 200
    weak = "W/" + r1.headers["ETag"]
    assert fetch(client, url, **{"If-None-Match": f'"other", {weak}'}).status_code == 304
    assert client.head(url.removeprefix("http://localhost")).status_code == 200
    posted = client.post(url.removeprefix("http://localhost"))        # a feed is read, not written to
    assert posted.status_code == 405 and "GET" in posted.headers["Allow"]


def test_rotation_kills_the_old_url(client, pool, session):
    old = calendar_url(client, pool, pool.worker_x, "worker_x")["url"]
    assert fetch(client, old).status_code == 200
    new = calendar_url(client, pool, pool.worker_x, "worker_x", rotate=True)["url"]
    assert new != old
    gone = fetch(client, old)
    assert gone.status_code == 404 and gone.headers["Content-Type"].startswith("text/plain")
    assert "Sanne" not in gone.text
    assert fetch(client, new).status_code == 200
    assert calendar_url(client, pool, pool.worker_x)["url"] == new
    for bad in ("/cal/nope.ics", "/cal/e-nope.ics", "/cal/.ics"):
        assert client.get(bad).status_code == 404


def test_dst_night_and_cancellation_through_the_api(client, pool, session):
    """A manual assignment on the next spring-forward night (22:00–06:00 local is 7 h), then cancelled."""
    night = next_spring_forward(date.today()) - timedelta(days=1)
    start, end = local_datetime(night, time(22)), local_datetime(night + timedelta(days=1), time(6))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=7)
    shift = add_shift(session, pool.employer_a, start.astimezone(UTC), 7)
    session.commit()
    r = client.put(f"/api/v1/workers/{pool.worker_x}/availability", headers=pool.headers("intermediary"),
                   json={"weekly": [{"weekday": night.weekday(), "start": "20:00", "end": "08:00"}], "absences": []})
    assert r.status_code == 200, r.get_json()
    r = client.post("/api/v1/assignments", headers=pool.headers("intermediary"),
                    json={"shift_id": shift.id, "worker_id": pool.worker_x})
    assert r.status_code == 201, r.get_json()
    assignment_id = r.get_json()["id"]
    uid = f"assignment-{assignment_id}@banenpool"
    url = calendar_url(client, pool, pool.worker_x, "worker_x")["url"]

    before = fetch(client, url)
    event = icalendar.Calendar.from_ical(before.data).walk("VEVENT")[0]
    assert str(event["UID"]) == uid and event["STATUS"] == "CONFIRMED"
    assert f"DTSTART;TZID=Europe/Amsterdam:{night:%Y%m%d}T220000" in before.text
    assert event.start.astimezone(UTC) == start.astimezone(UTC)
    assert event.end.astimezone(UTC) - event.start.astimezone(UTC) == timedelta(hours=7)

    r = client.patch(f"/api/v1/assignments/{assignment_id}", headers=pool.headers("intermediary"),
                     json={"status": "cancelled"})
    assert r.status_code == 200, r.get_json()
    after = fetch(client, url, **{"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    cancelled = icalendar.Calendar.from_ical(after.data).walk("VEVENT")[0]
    assert str(cancelled["UID"]) == uid and cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] > event["SEQUENCE"]

    vobject = pytest.importorskip("vobject")
    v = vobject.readOne(after.text, validate=True).vevent
    assert v.uid.value == uid and v.status.value == "CANCELLED"
    assert v.dtend.value.astimezone(UTC) - v.dtstart.value.astimezone(UTC) == timedelta(hours=7)


def test_feeds_do_not_leak_between_workers(client, pool, session):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    shared = add_shift(session, pool.employer_a, soon, 8, headcount=2)
    x = add_assignment(session, shared, pool.worker_x)
    y = add_assignment(session, shared, pool.worker_y)
    x_only = add_assignment(session, add_shift(session, pool.employer_b, soon + timedelta(days=1), 8), pool.worker_x)
    y_proposed = add_assignment(session, add_shift(session, pool.employer_b, soon + timedelta(days=2), 8),
                                pool.worker_y, status="proposed")
    session.commit()
    x_feed = fetch(client, calendar_url(client, pool, pool.worker_x)["url"])
    y_feed = fetch(client, calendar_url(client, pool, pool.worker_y)["url"])
    assert uids(x_feed.data) == {f"assignment-{x.id}@banenpool", f"assignment-{x_only.id}@banenpool"}
    assert uids(y_feed.data) == {f"assignment-{y.id}@banenpool"}
    assert f"assignment-{y_proposed.id}@" not in y_feed.text
    assert "Sanne" not in y_feed.text and "Daan" not in x_feed.text


@pytest.mark.parametrize("rotate", [False, True], ids=["get", "rotate"])
def test_who_may_see_the_employer_calendar_url(client, pool, rotate):
    expected = dict(zip(CALLERS, (200, 200, 404, 404, 404, 401)))
    for caller, status in expected.items():
        path = f"/api/v1/employers/{pool.employer_a}/calendar" + ("/rotate" if rotate else "")
        r = (client.post if rotate else client.get)(path, headers=pool.headers(caller))
        assert r.status_code == status, (caller, r.get_json())


def test_employer_feed_over_http(client, pool, session):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    at_a = add_shift(session, pool.employer_a, soon, 8, headcount=2)
    add_assignment(session, at_a, pool.worker_x)
    at_b = add_shift(session, pool.employer_b, soon, 8)
    add_assignment(session, at_b, pool.worker_y)
    session.commit()
    get_url = f"/api/v1/employers/{pool.employer_a}/calendar"
    old = client.get(get_url, headers=pool.headers("employer_a")).get_json()
    assert "/cal/e-" in old["url"] and old["webcal_url"].startswith("webcal://")
    r = fetch(client, old["url"])
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert uids(r.data) == {f"shift-{at_a.id}@banenpool"} and "1/2 bezet" in r.text and "Sanne Scholten" in r.text
    assert fetch(client, old["url"], **{"If-None-Match": r.headers["ETag"]}).status_code == 304
    b = client.get(f"/api/v1/employers/{pool.employer_b}/calendar", headers=pool.headers("employer_b")).get_json()
    b_feed = fetch(client, b["url"])
    assert uids(b_feed.data) == {f"shift-{at_b.id}@banenpool"} and "Groenwerk" not in b_feed.text
    new = client.post(get_url + "/rotate", headers=pool.headers("employer_a")).get_json()
    assert fetch(client, old["url"]).status_code == 404 and fetch(client, new["url"]).status_code == 200


@pytest.mark.parametrize("path", ["/cal/%00.ics", "/cal/e-%00.ics", "/cal/%FF%FE.ics", "/cal/e-%0A.ics",
                                  "/cal/" + "a" * 500 + ".ics"])
def test_malformed_token_is_a_404_not_a_500(client, pool, path):
    """A token is what `new_token` makes (URL-safe base64, optionally `e-`); anything else is unknown.
    PostgreSQL refuses a NUL byte in a text parameter, so `%00` used to reach the database and fail."""
    r = client.get(path)
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("text/plain")


def test_the_calendar_name_is_escaped_text_and_names_stay_on_one_line(client, pool, session):
    from banenpool.models import Worker
    r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=pool.headers("intermediary"),
                     json={"name": "Piet\nJansen"})
    assert r.status_code == 422 and "line breaks" in str(r.get_json()["errors"]["json"]["name"])
    r = client.post("/api/v1/employers", headers=pool.headers("intermediary"), json={"name": "A\r\nB"})
    assert "name" in r.get_json()["errors"]["json"]
    session.get(Worker, pool.worker_x).name = "Jansen, Piet; PJ\nx"   # as stored before names were one line
    session.commit()
    feed = fetch(client, calendar_url(client, pool, pool.worker_x)["url"])
    assert feed.status_code == 200                                      # was a 500: a raw line break in NAME
    assert "\r\nNAME:Banenpool – Jansen\\, Piet\\; PJ\\nx\r\n" in feed.text
    assert "X-WR-CALNAME:Banenpool – Jansen\\, Piet\\; PJ\\nx" in feed.text
    assert len(uids(feed.data)) == 0                     # the feed parses (no shifts yet)


@pytest.mark.parametrize("path, field, caller", [("/api/v1/workers/{X}", "name", "intermediary"),
                                                 ("/api/v1/employers/{A}", "name", "intermediary")])
def test_a_blank_name_is_refused(client, pool, path, field, caller):
    """A name of only spaces would be the buyer on an invoice or a worker nobody can find."""
    url = path.format(X=pool.worker_x, A=pool.employer_a)
    r = client.patch(url, headers=pool.headers(caller), json={field: "   "})
    assert r.status_code == 422 and r.get_json()["errors"]["json"][field] == ["must not be blank"]
    r = client.post("/api/v1/capacity-requests", headers=pool.headers("employer_a"), json={
        "employer_id": pool.employer_a, "title": " \t", "start_date": "2026-03-09", "end_date": "2026-03-09",
        "pattern": [{"weekday": 0, "start": "08:00", "end": "16:00", "headcount": 1}]})
    assert r.status_code == 422 and "title" in r.get_json()["errors"]["json"]
    r = client.patch(url, headers=pool.headers(caller), json={field: " Jansen BV "})
    assert r.status_code == 200 and r.get_json()[field] == "Jansen BV"       # the spaces around are dropped
