"""The instance builder (availability, absences, context, CAO limits) and the outbox sender."""
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from banenpool.models import Absence, OutboxMessage, Shift, WeeklyAvailability
from banenpool.principal import SYSTEM
from banenpool.services import registry
from banenpool.services.instance_builder import availability, build_instance
from banenpool.services.notifications import deliver_outbox
from tests.conftest import employer_data

AMS = ZoneInfo("Europe/Amsterdam")


def test_overnight_windows_merge_and_absences_are_cut(session, pool):
    worker = registry.get_worker(session, SYSTEM, pool.worker_x)
    worker.weekly = [WeeklyAvailability(weekday=5, start=time(22), end=time(6)),  # Sat night, over DST
                     WeeklyAvailability(weekday=6, start=time(6), end=time(12))]
    worker.absences = [Absence(start=datetime(2026, 3, 29, 9, tzinfo=AMS), end=datetime(2026, 3, 29, 10, tzinfo=AMS))]
    session.flush()
    spans = [(s.isoformat(), e.isoformat()) for s, e in availability(worker, date(2026, 3, 28), date(2026, 3, 29))]
    assert spans == [("2026-03-28T22:00:00+01:00", "2026-03-29T09:00:00+02:00"),
                     ("2026-03-29T10:00:00+02:00", "2026-03-29T12:00:00+02:00")]


def test_a_minor_is_never_available_between_23_and_6(session, pool):
    """The planner cannot see the youth rules, so a 17-year-old's nights are cut from the
    availability it plans with; the night after the 18th birthday is theirs again."""
    worker = registry.get_worker(session, SYSTEM, pool.worker_x)
    worker.birth_date = date(2008, 3, 25)            # 18 on Wednesday 2026-03-25
    worker.weekly = [WeeklyAvailability(weekday=d, start=time(20), end=time(8)) for d in (0, 1, 2)]
    worker.absences = []
    session.flush()
    spans = [(s.isoformat(), e.isoformat()) for s, e in availability(worker, date(2026, 3, 23), date(2026, 3, 25))]
    assert spans == [("2026-03-23T20:00:00+01:00", "2026-03-23T23:00:00+01:00"),   # 17: Monday night cut
                     ("2026-03-24T06:00:00+01:00", "2026-03-24T08:00:00+01:00"),
                     ("2026-03-24T20:00:00+01:00", "2026-03-24T23:00:00+01:00"),   # Tuesday night too
                     ("2026-03-25T06:00:00+01:00", "2026-03-25T08:00:00+01:00"),
                     ("2026-03-25T20:00:00+01:00", "2026-03-26T08:00:00+01:00")]   # 18: the whole night


def test_instance_lists_every_worker_with_db_ids_and_statutory_rules(session, pool):
    built = build_instance(session, date(2026, 3, 23), date(2026, 3, 29))
    inst = built.instance
    assert [w["id"] for w in inst["workers"]] == [str(pool.worker_x), str(pool.worker_y)]
    assert inst["shifts"] == [] and inst["rules"]["max_shift_hours"] == 12.0 and built.base == []
    again = build_instance(session, date(2026, 3, 23), date(2026, 3, 29))
    assert again.fingerprint == built.fingerprint  # deterministic: the base check relies on it


def _shift(session, employer_id, start, end, break_minutes=30):
    shift = Shift(employer_id=employer_id, start=start, end=end, break_minutes=break_minutes, skills=["groen"],
                  paid_hours=Decimal((end - start).total_seconds() / 3600 - break_minutes / 60))
    session.add(shift)
    session.flush()
    return str(shift.id)


def test_what_the_law_or_a_cao_forbids_for_a_worker_is_excluded_for_that_worker(session, pool):
    """The rules stay statutory for everyone; one shift that the Working Hours Act or the employer's CAO
    forbids for a worker goes in that worker's `excluded` (a CAO limit only at that CAO's employer)."""
    transport = registry.create_employer(session, SYSTEM, employer_data(name="Vervoer", kvk_number="61234599",
                                                                        cao_code="beroepsgoederenvervoer"))
    minor = registry.get_worker(session, SYSTEM, pool.worker_y)
    minor.birth_date = date(2009, 6, 1)  # 16 in March 2026
    minor.max_hours_per_week = Decimal(50)
    day = lambda h, m=0: datetime(2026, 3, 24, h, m, tzinfo=AMS)  # noqa: E731
    long_garden = _shift(session, pool.employer_a, day(6), day(17), 45)        # 10.25 h work, hoveniers
    long_transport = _shift(session, transport.id, day(6), day(17), 45)       # the CAO: at most 10 h a day
    short_garden = _shift(session, pool.employer_a, day(7), day(15))           # 7.5 h
    no_break = _shift(session, pool.employer_b, day(16), day(22), break_minutes=0)  # 6 h without a break
    inst = build_instance(session, date(2026, 3, 23), date(2026, 3, 29)).instance
    assert inst["rules"]["max_shift_hours"] == 12.0
    workers = {w["id"]: w for w in inst["workers"]}
    adult, young = workers[str(pool.worker_x)], workers[str(pool.worker_y)]
    assert adult["excluded"] == sorted([long_transport, no_break], key=int)
    assert young["excluded"] == sorted([long_garden, long_transport, no_break], key=int)
    assert short_garden not in young["excluded"]
    assert young["max_hours_per_week"] == 45.0 and adult["max_hours_per_week"] == 40.0


def test_outbox_delivery_with_a_pluggable_sender(session, pool):
    session.add_all([OutboxMessage(worker_id=pool.worker_x, kind="schedule_changed", payload={"reason": "a"}),
                     OutboxMessage(worker_id=pool.worker_y, kind="schedule_changed", payload={"reason": "b"})])
    session.flush()
    sent = []

    def flaky(message):
        if message.worker_id == pool.worker_y:
            raise ConnectionError("mail server down")
        sent.append(message.payload["reason"])

    assert deliver_outbox(session, flaky) == 1 and sent == ["a"]
    pending = session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).all()
    assert [(m.worker_id, m.attempts, m.last_error) for m in pending] == [
        (pool.worker_y, 1, "ConnectionError: mail server down")]
    assert deliver_outbox(session) == 1  # the default log sender
    assert deliver_outbox(session) == 0
