"""The iCalendar body behind a calendar token: read back by icalendar and, independently, by vobject.

Shifts and assignments are made through the ORM; the feed is built with an explicit `now` so the
March 2026 daylight-saving night lies inside its window whatever today's date is.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import icalendar
import pytest

from banenpool.errors import NotFound
from banenpool.models import Assignment, Shift
from banenpool.principal import SYSTEM
from banenpool.services import assignments, calendar, registry

UTC = timezone.utc
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def add_shift(session, employer_id, start, hours, *, skills=("groen",), headcount=1, holiday=None, brk=30):
    shift = Shift(employer_id=employer_id, start=start, end=start + timedelta(hours=hours), break_minutes=brk,
                  paid_hours=Decimal(hours) - Decimal(brk) / 60, skills=list(skills), headcount=headcount,
                  public_holiday=holiday)
    session.add(shift)
    session.flush()
    return shift


def add_assignment(session, shift, worker_id, status="confirmed"):
    assignment = Assignment(shift_id=shift.id, worker_id=worker_id, status=status)
    session.add(assignment)
    session.flush()
    return assignment


def events(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def vobject_events(body: bytes) -> dict:
    vobject = pytest.importorskip("vobject")
    cal = vobject.readOne(body.decode("utf-8"), validate=True)
    return {e.uid.value: e for e in getattr(cal, "vevent_list", [])}


@pytest.fixture
def token_x(session, pool):
    token = calendar.worker_token(session, SYSTEM, pool.worker_x)
    session.commit()
    return token


def test_dst_nights_round_trip_to_the_right_instants(session, pool, token_x):
    spring = add_shift(session, pool.employer_a, datetime(2026, 3, 28, 21, tzinfo=UTC), 7)  # 22:00 CET → 06:00 CEST
    autumn = add_shift(session, pool.employer_b, datetime(2026, 10, 24, 20, tzinfo=UTC), 9)  # 22:00 CEST → 06:00 CET
    a1, a2 = add_assignment(session, spring, pool.worker_x), add_assignment(session, autumn, pool.worker_x)
    session.commit()
    body = calendar.feed_for_token(session, token_x, now=NOW).body
    text = body.decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20260328T220000" in text
    assert "DTEND;TZID=Europe/Amsterdam:20260329T060000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Amsterdam" in text

    cal = icalendar.Calendar.from_ical(body)
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Amsterdam"]
    assert not cal.get_missing_tzids()
    by_uid = events(body)
    for a, shift, hours in ((a1, spring, 7), (a2, autumn, 9)):
        ev = by_uid[f"assignment-{a.id}@banenpool"]
        assert ev.start.astimezone(UTC) == shift.start and ev.end.astimezone(UTC) == shift.end
        assert ev.end.astimezone(UTC) - ev.start.astimezone(UTC) == timedelta(hours=hours)  # not wall-clock

    v = vobject_events(body)  # a second parser, which reads the VTIMEZONE on its own
    for a, shift, hours in ((a1, spring, 7), (a2, autumn, 9)):
        ev = v[f"assignment-{a.id}@banenpool"]
        start, end = ev.dtstart.value, ev.dtend.value
        assert start.astimezone(UTC) == shift.start and end.astimezone(UTC) == shift.end
        assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)
        assert type(start.tzinfo).__module__.startswith("dateutil")  # built from our VTIMEZONE, not zoneinfo


def test_event_content(session, pool, token_x):
    shift = add_shift(session, pool.employer_a, datetime(2026, 4, 6, 6, tzinfo=UTC), 8, skills=("groen", "heftruck"),
                      holiday="Tweede Paasdag")
    a = add_assignment(session, shift, pool.worker_x)
    session.commit()
    feed = calendar.feed_for_token(session, token_x, now=NOW)
    cal = icalendar.Calendar.from_ical(feed.body)
    assert cal["X-WR-CALNAME"] == "Banenpool – Sanne Scholten"
    assert str(cal["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H" and "X-PUBLISHED-TTL:PT1H" in feed.body.decode()
    ev = events(feed.body)[f"assignment-{a.id}@banenpool"]
    assert ev["SUMMARY"] == "Groenwerk Twente BV (groen, heftruck)"
    assert ev["LOCATION"] == "Groenwerk Twente BV, Hengelosestraat 1, 7521 AH Enschede"
    assert (ev["GEO"].latitude, ev["GEO"].longitude) == (52.22, 6.87)
    assert ev["DESCRIPTION"] == "Pauze: 30 min\nBetaalde uren: 7,50\nFeestdag: Tweede Paasdag"
    assert ev["STATUS"] == "CONFIRMED" and ev["SEQUENCE"] == 0
    assert ev.stamp == a.updated_at.replace(microsecond=0) == ev.last_modified
    assert feed.last_modified == ev.stamp
    v = vobject_events(feed.body)[f"assignment-{a.id}@banenpool"]
    assert v.summary.value == "Groenwerk Twente BV (groen, heftruck)" and v.status.value == "CONFIRMED"


def test_cancelled_stays_with_higher_sequence_and_proposed_never_appears(session, pool, token_x):
    kept = add_assignment(session, add_shift(session, pool.employer_a, datetime(2026, 3, 10, 7, tzinfo=UTC), 8),
                          pool.worker_x)
    dropped = add_assignment(session, add_shift(session, pool.employer_b, datetime(2026, 3, 11, 7, tzinfo=UTC), 8),
                             pool.worker_x)
    proposed = add_assignment(session, add_shift(session, pool.employer_a, datetime(2026, 3, 12, 7, tzinfo=UTC), 8),
                              pool.worker_x, status="proposed")
    session.commit()
    before = calendar.feed_for_token(session, token_x, now=NOW)
    assert calendar.feed_for_token(session, token_x, now=NOW) == before  # byte-identical, same ETag
    assignments.update_status(session, SYSTEM, dropped.id, "cancelled")
    session.commit()
    after = calendar.feed_for_token(session, token_x, now=NOW)
    assert after.etag != before.etag

    uids = {f"assignment-{a.id}@banenpool" for a in (kept, dropped)}
    old, new = events(before.body), events(after.body)
    assert set(old) == set(new) == uids  # the proposal is in neither
    uid = f"assignment-{dropped.id}@banenpool"
    assert (old[uid]["STATUS"], new[uid]["STATUS"]) == ("CONFIRMED", "CANCELLED")
    assert new[uid]["SEQUENCE"] > old[uid]["SEQUENCE"]
    assert new[uid]["SUMMARY"].startswith("Geannuleerd: ") and new[uid]["TRANSP"] == "TRANSPARENT"
    assert old[f"assignment-{kept.id}@banenpool"].to_ical() == new[f"assignment-{kept.id}@banenpool"].to_ical()
    assert f"assignment-{proposed.id}@" not in after.body.decode()
    v = vobject_events(after.body)
    assert v[uid].status.value == "CANCELLED" and int(v[uid].sequence.value) == 1


def test_window_and_isolation_between_workers(session, pool, token_x):
    far_past = add_assignment(session, add_shift(session, pool.employer_a, NOW - timedelta(days=61), 8), pool.worker_x)
    recent = add_assignment(session, add_shift(session, pool.employer_a, NOW - timedelta(days=59), 8), pool.worker_x)
    ahead = add_assignment(session, add_shift(session, pool.employer_b, NOW + timedelta(days=360), 8), pool.worker_x)
    too_far = add_assignment(session, add_shift(session, pool.employer_b, NOW + timedelta(days=400), 8), pool.worker_x)
    other = add_assignment(session, add_shift(session, pool.employer_a, NOW + timedelta(days=3), 8), pool.worker_y)
    token_y = calendar.worker_token(session, SYSTEM, pool.worker_y)
    session.commit()
    x = events(calendar.feed_for_token(session, token_x, now=NOW).body)
    assert set(x) == {f"assignment-{a.id}@banenpool" for a in (recent, ahead)}
    assert far_past.id and too_far.id
    y_body = calendar.feed_for_token(session, token_y, now=NOW).body
    assert set(events(y_body)) == {f"assignment-{other.id}@banenpool"}
    assert b"Sanne" not in y_body


def test_empty_feed_is_valid(session, pool, token_x):
    body = calendar.feed_for_token(session, token_x, now=NOW).body
    assert events(body) == {} and b"BEGIN:VTIMEZONE" not in body
    assert vobject_events(body) == {}


def test_tokens(session, pool, token_x):
    assert len(token_x) >= 43
    assert calendar.worker_token(session, SYSTEM, pool.worker_x) == token_x  # stable until rotated
    new = calendar.rotate_worker_token(session, SYSTEM, pool.worker_x)
    session.commit()
    assert new != token_x
    with pytest.raises(NotFound):
        calendar.feed_for_token(session, token_x)
    calendar.feed_for_token(session, new)
    for bad in ("", "e-", "e-" + new, "nonsense"):
        with pytest.raises(NotFound):
            calendar.feed_for_token(session, bad)


def test_employer_feed_of_staffed_shifts(session, pool):
    token_a = calendar.employer_token(session, SYSTEM, pool.employer_a)
    token_b = calendar.employer_token(session, SYSTEM, pool.employer_b)
    assert token_a.startswith("e-") and len(token_a) >= 45
    staffed = add_shift(session, pool.employer_a, datetime(2026, 3, 28, 21, tzinfo=UTC), 7, headcount=3)
    x = add_assignment(session, staffed, pool.worker_x)
    add_assignment(session, staffed, pool.worker_y)
    only_proposed = add_shift(session, pool.employer_a, datetime(2026, 3, 30, 7, tzinfo=UTC), 8)
    add_assignment(session, only_proposed, pool.worker_x, status="proposed")
    unstaffed = add_shift(session, pool.employer_a, datetime(2026, 3, 31, 7, tzinfo=UTC), 8)
    at_b = add_shift(session, pool.employer_b, datetime(2026, 4, 1, 7, tzinfo=UTC), 8)
    add_assignment(session, at_b, pool.worker_x)
    session.commit()

    before = calendar.feed_for_token(session, token_a, now=NOW)
    uid = f"shift-{staffed.id}@banenpool"
    assert set(events(before.body)) == {uid}
    assert f"shift-{only_proposed.id}@" not in before.body.decode() and f"shift-{unstaffed.id}@" not in \
        before.body.decode()
    ev = events(before.body)[uid]
    assert ev["SUMMARY"] == "2/3 bezet (groen)" and ev["STATUS"] == "CONFIRMED"
    assert ev["DESCRIPTION"].startswith("Ingepland: Daan Nijhuis, Sanne Scholten\nPauze: 30 min")
    assert ev.end.astimezone(UTC) - ev.start.astimezone(UTC) == timedelta(hours=7)
    cal = icalendar.Calendar.from_ical(before.body)
    assert cal["X-WR-CALNAME"] == "Banenpool – Groenwerk Twente BV"

    b = calendar.feed_for_token(session, token_b, now=NOW).body
    assert set(events(b)) == {f"shift-{at_b.id}@banenpool"} and b"Groenwerk" not in b

    assignments.update_status(session, SYSTEM, x.id, "cancelled")
    session.commit()
    after = events(calendar.feed_for_token(session, token_a, now=NOW).body)[uid]
    assert after["SUMMARY"] == "1/3 bezet (groen)" and after["DESCRIPTION"].startswith("Ingepland: Daan Nijhuis\n")
    assert after["SEQUENCE"] > ev["SEQUENCE"]
    v = vobject_events(calendar.feed_for_token(session, token_a, now=NOW).body)[uid]
    assert v.summary.value == "1/3 bezet (groen)"
    assert v.dtend.value.astimezone(UTC) - v.dtstart.value.astimezone(UTC) == timedelta(hours=7)


def test_employer_feed_keeps_a_shift_whose_workers_were_all_cancelled_as_open(session, pool):
    token = calendar.employer_token(session, SYSTEM, pool.employer_a)
    shift = add_shift(session, pool.employer_a, datetime(2026, 3, 10, 7, tzinfo=UTC), 8)
    a = add_assignment(session, shift, pool.worker_x)
    session.commit()
    first = events(calendar.feed_for_token(session, token, now=NOW).body)[f"shift-{shift.id}@banenpool"]
    assignments.update_status(session, SYSTEM, a.id, "cancelled")
    session.commit()
    gone = events(calendar.feed_for_token(session, token, now=NOW).body)[f"shift-{shift.id}@banenpool"]
    # the shift still stands, open: tentative, not cancelled (only a shift called off is cancelled)
    assert gone["STATUS"] == "TENTATIVE" and gone["SEQUENCE"] > first["SEQUENCE"]
    assert gone["SUMMARY"] == "0/1 bezet (groen)" and gone["DESCRIPTION"].startswith("Ingepland: niemand")
    new = calendar.rotate_employer_token(session, SYSTEM, pool.employer_a)
    session.commit()
    with pytest.raises(NotFound):
        calendar.feed_for_token(session, token)
    assert calendar.feed_for_token(session, new, now=NOW).etag == calendar.feed_for_token(session, new, now=NOW).etag


def test_a_changed_employer_changes_the_feed(session, pool, token_x):
    """Rendering is memoised on the events' content: an edit elsewhere must still reach the feed."""
    a = add_assignment(session, add_shift(session, pool.employer_a, datetime(2026, 3, 10, 7, tzinfo=UTC), 8),
                       pool.worker_x)
    session.commit()
    before = calendar.feed_for_token(session, token_x, now=NOW)
    registry.update_employer(session, SYSTEM, pool.employer_a, {"name": "Groenwerk Oost BV",
                                                                "address": {"street": "Marktstraat 2",
                                                                            "postcode": "7511 AA", "city": "Enschede"}})
    session.commit()
    after = calendar.feed_for_token(session, token_x, now=NOW)
    ev = events(after.body)[f"assignment-{a.id}@banenpool"]
    assert after.etag != before.etag
    assert ev["SUMMARY"] == "Groenwerk Oost BV (groen)"
    assert ev["LOCATION"] == "Groenwerk Oost BV, Marktstraat 2, 7511 AA Enschede"


def test_two_first_requests_racing_share_one_token(app, pool):
    """Both sessions see no token; the one that writes second gets the first one's token, not its own."""
    sessionmaker = app.extensions["banenpool.sessionmaker"]
    with sessionmaker() as first, sessionmaker() as second:
        registry.get_worker(first, SYSTEM, pool.worker_x)  # loaded while the token is still empty
        token = calendar.worker_token(second, SYSTEM, pool.worker_x)
        second.commit()
        assert calendar.worker_token(first, SYSTEM, pool.worker_x) == token
        first.commit()


def _strict_utc(wall: datetime, onsets: list[tuple[datetime, timedelta]]) -> datetime:
    """A literal RFC 5545 §3.6.5 reading of a VTIMEZONE, ignoring the TZID's name: each observance
    starts at DTSTART/RDATE taken in its TZOFFSETFROM; a local time is valid under an offset when the
    observance in force at that instant has that offset; an ambiguous one is the first, a missing one
    uses the offset before the gap."""
    wall = wall.replace(tzinfo=UTC)  # the wall-clock digits, to subtract offsets from

    def in_force(instant):
        return max((o for o in onsets if o[0] <= instant), key=lambda o: o[0])[1]
    valid = sorted(wall - off for off in {off for _, off in onsets} if in_force(wall - off) == off)
    return valid[0] if valid else wall - in_force(wall - timedelta(hours=3))


def test_vtimezone_onsets_are_local_times_before_the_change(session, pool, token_x):
    """The spring change is at 02:00 local (01:00 UTC): a VTIMEZONE saying 03:00 with TZOFFSETFROM
    +0100 puts it at 02:00 UTC, and a client reading it by the RFC shows a 03:30 start an hour late."""
    early = add_shift(session, pool.employer_a, datetime(2026, 3, 29, 1, 30, tzinfo=UTC), 5)  # 03:30 CEST
    a = add_assignment(session, early, pool.worker_x)
    session.commit()
    body = calendar.feed_for_token(session, token_x, now=NOW).body
    onsets = []
    for observance in icalendar.Calendar.from_ical(body).timezones[0].subcomponents:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        rdates = observance.get("RDATE", [])
        moments = [observance.DTSTART] + [d.dt for r in (rdates if isinstance(rdates, list) else [rdates])
                                          for d in r.dts]
        for moment in moments:
            instant = (moment - before).replace(tzinfo=UTC)
            onsets.append((instant, after))
            if before != after:  # a real change: the offset is `before` just before it and `after` from it
                assert (instant - timedelta(seconds=1)).astimezone(calendar.AMS).utcoffset() == before, moment
                assert instant.astimezone(calendar.AMS).utcoffset() == after, moment
    assert "RDATE:20260329T020000" in body.decode() and "RDATE:20261025T030000" in body.decode()
    ev = events(body)[f"assignment-{a.id}@banenpool"]
    assert ev.start.strftime("%Y%m%dT%H%M") == "20260329T0330"
    assert _strict_utc(ev.start.replace(tzinfo=None), onsets) == early.start
