"""The employer's CAO on a day (Employer.cao_on) and migration 0016, which gives every employer its
CAO as a history row."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, text

from banenpool.errors import InvalidInput
from banenpool.migrate import downgrade, upgrade
from banenpool.models import Employer, EmployerCao
from banenpool.principal import SYSTEM
from banenpool.services import capacity
from banenpool.services.checks import work_item
from banenpool.services.employer_caos import change_cao
from banenpool.services.instance_builder import employer_entry
from tests.banenpool.test_migrations import _emptied, _urls

AMS = ZoneInfo("Europe/Amsterdam")
CHANGE = date(2026, 7, 1)


def test_the_cao_of_a_day_is_the_latest_change_from_that_day_or_before():
    employer = Employer(name="Groen", caos=[EmployerCao(cao_code="hoveniers", valid_from=date(2026, 1, 1)),
                                            EmployerCao(cao_code="abu", valid_from=CHANGE)])
    assert employer.cao_on(date(2025, 6, 1)) == "hoveniers"      # the first CAO holds from the start
    assert employer.cao_on(CHANGE - timedelta(days=1)) == "hoveniers"
    assert employer.cao_on(CHANGE) == "abu" and employer.cao_on(date(2030, 1, 1)) == "abu"
    assert Employer(name="Nieuw", cao_code="taxi").cao_on(date(2026, 1, 1)) == "taxi"


def test_a_shift_takes_the_cao_of_its_amsterdam_start_day(pool, session):
    employer = session.get(Employer, pool.employer_a)
    change_cao(session, SYSTEM, employer, "zoetwaren", CHANGE)
    just_after = datetime(2026, 7, 1, 0, 30, tzinfo=AMS)          # 22:30 UTC on 30 June
    just_before = datetime(2026, 6, 30, 23, 30, tzinfo=AMS)       # runs into 1 July
    assert work_item("A", just_after, just_after + timedelta(hours=6), 0, employer).cao_code == "zoetwaren"
    assert work_item("B", just_before, just_before + timedelta(hours=6), 0, employer).cao_code == "hoveniers"
    assert employer_entry(employer, CHANGE - timedelta(days=1))["cao"] == "hoveniers"
    assert employer_entry(employer, CHANGE)["cao"] == "zoetwaren"


def test_a_request_checks_its_scale_in_the_cao_of_its_first_day(pool, session):
    employer = session.get(Employer, pool.employer_a)
    change_cao(session, SYSTEM, employer, "abu", CHANGE)           # abu has scales A-C, hoveniers A-D
    pattern = [{"weekday": 2, "start": "08:00", "end": "12:00", "break_minutes": 0, "headcount": 1}]

    def request(first):
        return capacity.create_request(session, SYSTEM, {
            "employer_id": employer.id, "title": "Werk", "skills": [], "start_date": first,
            "end_date": first + timedelta(days=6), "pattern": pattern, "scale": "D"})
    assert request(CHANGE - timedelta(days=14)).scale == "D"
    with pytest.raises(InvalidInput, match="CAO abu has no scale 'D'"):
        request(CHANGE)


def test_migration_0016_gives_every_employer_its_cao_as_history(tmp_path):
    for url in _urls(tmp_path):
        with _emptied(url) as engine:
            upgrade(url, "0014")
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO employers (name, kvk_number, cao_code, tariff_factor) "
                                  "VALUES ('Groen', '12345678', 'hoveniers', 1.8), ('Glans', '12345679', "
                                  "'schoonmaak', 1.8)"))
            upgrade(url, "0016")
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT e.name, c.cao_code, c.valid_from FROM employer_caos c "
                                         "JOIN employers e ON e.id = c.employer_id ORDER BY e.name")).all()
                assert [(name, code, str(day)) for name, code, day in rows] == [
                    ("Glans", "schoonmaak", "1900-01-01"), ("Groen", "hoveniers", "1900-01-01")]
                assert "cao_code" not in {c["name"] for c in inspect(conn).get_columns("employers")}
                conn.execute(text("INSERT INTO employer_caos (employer_id, cao_code, valid_from) "
                                  "VALUES (1, 'abu', '2026-01-01'), (1, 'taxi', '2199-01-01')"))
                conn.commit()
            downgrade(url, "0014")     # back: the CAO in force on the day of the downgrade
            with engine.connect() as conn:
                assert dict(conn.execute(text("SELECT name, cao_code FROM employers")).all()) == {
                    "Groen": "abu", "Glans": "schoonmaak"}


def test_what_changes_at_an_employer_follows_its_cao_of_the_shift_day(pool, session):
    """Worker x's main contract is at employer B (schoonmaak); employer A moves from hoveniers to
    abu on CHANGE: shifts at A on both sides show both moves, and only the later one after it."""
    from decimal import Decimal

    from banenpool.models import Contract
    from banenpool.services.checks import cao_moves_ahead
    from tests.banenpool.test_billing import make_assignment
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_b, kind="min_max",
                         hours_per_week=Decimal(16), cao_code="schoonmaak", start_date=date(2026, 1, 1)))
    change_cao(session, SYSTEM, session.get(Employer, pool.employer_a), "abu", CHANGE)
    session.commit()
    for day in (CHANGE - timedelta(days=2), CHANGE + timedelta(days=1)):
        make_assignment(session, pool.employer_a, pool.worker_x, start=datetime.combine(day, time(9), AMS))
    first = CHANGE - timedelta(days=7)
    moves = cao_moves_ahead(session, SYSTEM, pool.worker_x, first, CHANGE + timedelta(days=7))
    assert [(m["employer_id"], m["from_cao"], m["to_cao"]) for m in moves] == [
        (pool.employer_a, "schoonmaak", "hoveniers"), (pool.employer_a, "schoonmaak", "abu")]
    assert all(m["changes"] for m in moves)
    later = cao_moves_ahead(session, SYSTEM, pool.worker_x, CHANGE, CHANGE + timedelta(days=7))
    assert [m["to_cao"] for m in later] == ["abu"]
