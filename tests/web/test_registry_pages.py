"""The pool registers and changes workers, contracts and employers in the web interface: the same
rules as the API (its schemas and the registry service), refusals under the field in Dutch,
nothing written when refused."""
import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from banenpool.models import Contract, Employer, Worker
from banenpool.principal import SYSTEM
from banenpool.services import registry
from tests.web.pages_data import csrf_token, login

NEW_WORKER = {"name": "Mila de Vries", "email": "mila@example.org", "phone": "06 12345678",
              "birth_date": "2001-05-17", "postcode": "7511 JM", "lat": "52,2215", "lon": "6,8937",
              "skills": "groen, rijbewijs-b", "min_hours_per_week": "8", "target_hours_per_week": "24,5",
              "max_hours_per_week": "32", "max_travel_km": "25"}
NEW_EMPLOYER = {"name": "Bakkerij Oost", "kvk_number": "71234567", "vat_number": "NL712345676B05",
                "cao_code": "zoetwaren", "sector": "food", "street": "Oldenzaalsestraat 12", "postcode": "7511 AB",
                "city": "Enschede", "lat": "52,224", "lon": "6,9", "tariff_factor": "1,9",
                "invoice_email": "facturen@bakkerij.example"}


def _post(client, path, data):
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return client.post(path, data={**data, "csrf_token": csrf_token(page.get_data(as_text=True))})


def _count(session, model):
    session.expire_all()
    return session.scalar(select(func.count(model.id)))


def test_a_new_worker_is_registered_from_the_form(client, pool, session):
    login(client, "intermediary")
    r = _post(client, "/workers/new", NEW_WORKER)
    assert r.status_code == 302, r.get_data(as_text=True)
    worker = session.scalar(select(Worker).where(Worker.name == "Mila de Vries"))
    assert r.headers["Location"].endswith(f"/workers/{worker.id}")
    assert (worker.email, worker.birth_date, worker.skills) == ("mila@example.org", date(2001, 5, 17),
                                                                ["groen", "rijbewijs-b"])
    assert (worker.lat, worker.lon, worker.max_travel_km) == (52.2215, 6.8937, 25.0)
    assert (worker.min_hours_per_week, worker.target_hours_per_week, worker.max_hours_per_week) == \
        (Decimal(8), Decimal("24.5"), Decimal(32))
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Mila de Vries is ingeschreven" in page


@pytest.mark.parametrize("changes, field, message", [
    ({"birth_date": "2020-01-01"}, "birth_date", "een poolmedewerker is minstens 15 jaar oud"),
    ({"min_hours_per_week": "30"}, "target_hours_per_week", "moet minstens gelijk zijn aan Minimumuren per week (30)"),
    ({"postcode": "75111"}, "postcode", "moet een Nederlandse postcode zijn, zoals 7511 JM"),
    ({"lon": ""}, "lon", "Dit veld is verplicht."),
    ({"skills": "Heftruck!"}, "skills", "vaardigheden zijn woorden in kleine letters"),
    ({"email": "daan@example.org"}, "email", "dit e-mailadres is al in gebruik"),
    ({"max_travel_km": "veel"}, "max_travel_km", "Geen geldig getal."),
])
def test_a_refused_worker_is_shown_again_with_the_reason_under_the_field(client, pool, session, changes, field,
                                                                          message):
    login(client, "intermediary")
    before = _count(session, Worker)
    r = _post(client, "/workers/new", {**NEW_WORKER, **changes})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert message in page.split(f'name="{field}"')[1].split("</label>")[0], page[page.find("error") - 200:][:800]
    assert f'value="{NEW_WORKER["name"]}"' in page           # what was typed is kept
    assert _count(session, Worker) == before


def test_changing_a_worker_keeps_what_the_form_does_not_change(client, pool, session):
    weekly = [{"weekday": 0, "start": time(7), "end": time(16)}]
    registry.set_availability(session, SYSTEM, pool.worker_x, weekly, [])
    session.commit()
    login(client, "intermediary")
    page = client.get(f"/workers/{pool.worker_x}/edit").get_data(as_text=True)
    assert 'value="Sanne Scholten"' in page and 'value="32"' in page and 'value="groen"' in page
    form = {"name": "Sanne Scholten-Oude", "email": "sanne@example.org", "phone": "", "birth_date": "1998-04-02",
            "postcode": "7511 JM", "lat": "52,22", "lon": "6,89", "skills": "groen, heftruck",
            "min_hours_per_week": "12", "target_hours_per_week": "36", "max_hours_per_week": "40",
            "max_travel_km": "30"}
    r = client.post(f"/workers/{pool.worker_x}/edit", data={**form, "csrf_token": csrf_token(page)})
    assert r.status_code == 302
    session.expire_all()
    worker = session.get(Worker, pool.worker_x)
    assert (worker.name, worker.skills, worker.target_hours_per_week) == ("Sanne Scholten-Oude",
                                                                           ["groen", "heftruck"], Decimal(36))
    assert [(w.weekday, w.start, w.end) for w in worker.weekly] == [(0, time(7), time(16))]  # not this form's


def test_a_contract_is_added_from_the_worker_page(client, pool, session):
    login(client, "intermediary")
    assert "Contract toevoegen" in client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    data = {"employer_id": str(pool.employer_a), "kind": "on_call", "hours_per_week": "12",
            "cao_code": "hoveniers", "scale": "", "hourly_wage": "", "start_date": "2026-01-01", "end_date": ""}
    bad = _post(client, f"/workers/{pool.worker_x}/contracts/new", {**data, "end_date": "2025-12-01"})
    assert bad.status_code == 200 and "mag niet vóór Van liggen" in bad.get_data(as_text=True)
    assert _count(session, Contract) == 0
    r = _post(client, f"/workers/{pool.worker_x}/contracts/new", data)
    assert r.status_code == 302
    (contract,) = session.scalars(select(Contract)).all()
    assert (contract.employer_id, contract.kind, contract.hours_per_week, contract.cao_code) == \
        (pool.employer_a, "on_call", Decimal(12), "hoveniers")
    assert contract.hourly_wage is not None            # the CAO scale's wage
    page = client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    assert "Het contract is toegevoegd." in page and "oproep" in page


def test_an_employer_is_registered_and_changed(client, pool, session):
    login(client, "intermediary")
    assert 'value="1,85"' in client.get("/employers/new").get_data(as_text=True)   # the default markup, Dutch
    r = _post(client, "/employers/new", NEW_EMPLOYER)
    assert r.status_code == 302, r.get_data(as_text=True)
    employer = session.scalar(select(Employer).where(Employer.kvk_number == "71234567"))
    assert (employer.cao_code, employer.city, employer.tariff_factor) == ("zoetwaren", "Enschede", Decimal("1.9"))

    page = client.get(f"/employers/{employer.id}/edit").get_data(as_text=True)
    assert 'value="1,9"' in page and 'value="Bakkerij Oost"' in page
    again = {**NEW_EMPLOYER, "kvk_number": "61234501"}       # employer A's number
    r = client.post(f"/employers/{employer.id}/edit", data={**again, "csrf_token": csrf_token(page)})
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    assert "dit KvK-nummer is al van een andere werkgever" in body.split('name="kvk_number"')[1]
    r = client.post(f"/employers/{employer.id}/edit",
                    data={**NEW_EMPLOYER, "vat_number": "NL12", "csrf_token": csrf_token(page)})
    assert "een Nederlands btw-nummer ziet eruit als NL123456789B01" in r.get_data(as_text=True)
    r = client.post(f"/employers/{employer.id}/edit",
                    data={**NEW_EMPLOYER, "invoice_email": "boekhouding@bakkerij.example",
                          "csrf_token": csrf_token(page)})
    assert r.status_code == 302
    session.expire_all()
    employer = session.get(Employer, employer.id)
    assert (employer.kvk_number, employer.vat_number, employer.invoice_email) == \
        ("71234567", "NL712345676B05", "boekhouding@bakkerij.example")


@pytest.mark.parametrize("role", ["employer_a", "worker_x"])
def test_only_the_pool_registers(client, pool, session, role):
    login(client, role)
    page = client.get("/me" if role == "worker_x" else "/employer/requests").get_data(as_text=True)
    token = csrf_token(page)
    for path in ("/workers/new", f"/workers/{pool.worker_x}/edit", f"/workers/{pool.worker_x}/contracts/new",
                 "/employers/new", f"/employers/{pool.employer_a}/edit"):
        assert client.get(path).status_code == 403, path
        assert client.post(path, data={**NEW_WORKER, **NEW_EMPLOYER, "csrf_token": token}).status_code == 403, path
    assert _count(session, Worker) == 2 and _count(session, Employer) == 2


def test_the_pool_registers_a_sick_call_and_cancels_the_shift_without_wages_owed(client, pool, session):
    """Someone calls in sick for a call in two days: the pool registers the absence on the worker's
    availability page, which points at the planned shift; cancelling it then owes no wages."""
    from datetime import datetime, timedelta

    from banenpool.calendar_nl import AMS
    from banenpool.models import Assignment, Timesheet
    from tests.banenpool.test_billing import make_assignment
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="on_call",
                         hours_per_week=Decimal(12), cao_code="hoveniers", start_date=date(2026, 1, 1)))
    session.commit()
    start = (datetime.now(AMS) + timedelta(days=2)).replace(hour=7, minute=0, second=0, microsecond=0)
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=start)
    login(client, "intermediary")
    assert "Beschikbaarheid en afwezigheid" in client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    page = client.get(f"/workers/{pool.worker_x}/availability").get_data(as_text=True)
    assert "Sanne Scholten" in page and f"/workers/{pool.worker_x}/availability/absences" in page
    day = start.date().isoformat()
    r = client.post(f"/workers/{pool.worker_x}/availability/absences",
                    data={"first": day, "last": day, "reason": "sick", "csrf_token": csrf_token(page)})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/workers/{pool.worker_x}/availability")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Sanne Scholten is in deze periode ingepland op 1 dienst" in page and "Vrijgeven" in page
    session.expire_all()
    assert [x.reason for x in session.get(Worker, pool.worker_x).absences] == ["sick"]

    shift_page = client.get(f"/shifts/{session.get(Assignment, a).shift_id}/staff").get_data(as_text=True)
    assert "loon verschuldigd" not in shift_page        # absent: cancelling owes nothing
    r = client.post(f"/assignments/{a}/cancel", data={"csrf_token": csrf_token(shift_page)})
    assert r.status_code == 302
    session.expire_all()
    assert session.get(Assignment, a).status == "cancelled"
    assert session.scalar(select(Timesheet).where(Timesheet.assignment_id == a)) is None


def test_a_worker_cannot_use_the_pools_availability_pages(client, pool, session):
    login(client, "worker_x")
    token = csrf_token(client.get("/me/availability").get_data(as_text=True))
    assert client.get(f"/workers/{pool.worker_y}/availability").status_code == 403
    r = client.post(f"/workers/{pool.worker_y}/availability/absences",
                    data={"first": "2026-12-20", "last": "2026-12-21", "reason": "leave", "csrf_token": token})
    assert r.status_code == 403
    session.expire_all()
    assert session.get(Worker, pool.worker_y).absences == []


def test_a_contract_is_ended_but_not_before_hours_approved_under_it(client, pool, session):
    from tests.banenpool.test_billing import MONDAY, work
    contract = Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="on_call",
                        hours_per_week=Decimal(12), cao_code="hoveniers", start_date=date(2026, 1, 1))
    session.add(contract)
    session.commit()
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)      # approved hours that day
    path = f"/api/v1/workers/{pool.worker_x}/contracts/{contract.id}"
    h = pool.headers("intermediary")
    r = client.patch(path, headers=h, json={"end_date": (MONDAY.date() - timedelta(days=1)).isoformat()})
    assert r.status_code == 409 and r.get_json()["rules"] == ["hours_after_end"]
    r = client.patch(path, headers=h, json={"end_date": "2025-12-31"})
    assert r.status_code == 422 and "end_date" in r.get_json()["errors"]["json"]
    r = client.patch(path, headers=h, json={"end_date": MONDAY.date().isoformat()})
    assert r.status_code == 200 and r.get_json()["end_date"] == MONDAY.date().isoformat()
    session.expire_all()
    assert session.get(Contract, contract.id).end_date == MONDAY.date()

    login(client, "intermediary")                                    # and from the worker's page
    page = client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    end = f"/workers/{pool.worker_x}/contracts/{contract.id}/end"
    r = client.post(end, data={"end_date": "2026-01-05", "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Niet opgeslagen: goedgekeurde uren zijn betaald onder het contract zoals het liep" in r.get_data(as_text=True)
    r = client.post(end, data={"end_date": "", "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Het contract loopt door zonder einddatum." in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Contract, contract.id).end_date is None


def test_saving_an_edit_form_unchanged_changes_nothing(client, pool, session):
    registry.update_worker(session, SYSTEM, pool.worker_x, {"max_travel_km": 12.25,
                                                            "location": {"lat": 52.12345678, "lon": 6.87654321}})
    registry.update_employer(session, SYSTEM, pool.employer_a, {"tariff_factor": Decimal("1.8725")})
    session.commit()
    login(client, "intermediary")
    for path in (f"/workers/{pool.worker_x}/edit", f"/employers/{pool.employer_a}/edit"):
        page = client.get(path).get_data(as_text=True)
        fields = dict(re.findall(r'<input id="(\w+)"[^>]* name="\w+"[^>]* value="([^"]*)"', page))
        selects = dict(re.findall(r'<select id="(\w+)".*?<option selected value="([^"]*)"', page, re.S))
        r = client.post(path, data={**fields, **selects})
        assert r.status_code == 302, r.get_data(as_text=True)[-1500:]
    session.expire_all()
    worker, employer = session.get(Worker, pool.worker_x), session.get(Employer, pool.employer_a)
    assert (worker.max_travel_km, worker.lat, worker.lon) == (12.25, 52.12345678, 6.87654321)
    assert employer.tariff_factor == Decimal("1.8725")


def test_a_worker_sees_what_another_employers_cao_changes(client, pool, session):
    """Worker x's main contract is at employer A (hoveniers); a shift next week at employer B
    (schoonmaak) shows what working under that CAO changes, to the worker and to the pool."""
    from datetime import datetime

    from banenpool.calendar_nl import AMS
    from tests.banenpool.test_billing import make_assignment
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="min_max",
                         hours_per_week=Decimal(16), cao_code="hoveniers", start_date=date(2026, 1, 1)))
    session.commit()
    start = (datetime.now(AMS) + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    make_assignment(session, pool.employer_b, pool.worker_x, start=start)
    for who, path in (("worker_x", "/me/checks"), ("intermediary", f"/workers/{pool.worker_x}")):
        login(client, who)
        page = client.get(path).get_data(as_text=True)
        assert "Werken onder een andere cao" in page and "hoveniers → schoonmaak" in page, who
        section = page.split("Werken onder een andere cao")[1]
        assert "Glans Schoonmaak" in section and "Uurloon" in section and "Zondag" in section
    login(client, "worker_y")                      # nothing at another CAO: no section
    assert "Werken onder een andere cao" not in client.get("/me/checks").get_data(as_text=True)


def test_a_contract_end_never_moves_approved_hours_to_another_contract(client, pool, session):
    """Pay reads the contract in force on the day the hours start: ending a contract on the day of a
    night shift planned the evening before is refused, and so is reopening an ended contract over
    hours approved after it."""
    from datetime import datetime

    from banenpool.calendar_nl import AMS
    from banenpool.models import Assignment, Timesheet
    from tests.banenpool.test_billing import make_assignment
    ended = Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="fixed", hours_per_week=Decimal(12),
                     cao_code="hoveniers", start_date=date(2025, 1, 1), end_date=date(2026, 3, 1))
    running = Contract(worker_id=pool.worker_y, employer_id=pool.employer_a, kind="fixed", hours_per_week=Decimal(12),
                       cao_code="hoveniers", start_date=date(2026, 1, 1))
    session.add_all([ended, running])
    session.commit()
    h = pool.headers("intermediary")
    for worker, who, planned, worked in (
            (pool.worker_x, "worker_x", datetime(2026, 3, 9, 8, tzinfo=AMS), datetime(2026, 3, 9, 8, tzinfo=AMS)),
            (pool.worker_y, "worker_y", datetime(2026, 3, 9, 20, tzinfo=AMS), datetime(2026, 3, 10, 6, tzinfo=AMS))):
        a = make_assignment(session, pool.employer_a, worker, start=planned)
        body = {"start": worked.isoformat(), "end": (worked + timedelta(hours=8)).isoformat(), "break_minutes": 0}
        assert client.put(f"/api/v1/assignments/{a}/timesheet", headers=pool.headers(who), json=body).status_code == 200
        assert client.post(f"/api/v1/assignments/{a}/timesheet/approve", headers=h).status_code == 200
    r = client.patch(f"/api/v1/workers/{pool.worker_y}/contracts/{running.id}", headers=h, json={"end_date": "2026-03-09"})
    assert r.status_code == 409 and "2026-03-10" in r.get_json()["message"]      # the hours start on Tuesday
    assert client.patch(f"/api/v1/workers/{pool.worker_y}/contracts/{running.id}", headers=h,
                        json={"end_date": "2026-03-10"}).status_code == 200
    r = client.patch(f"/api/v1/workers/{pool.worker_x}/contracts/{ended.id}", headers=h, json={"end_date": None})
    assert r.status_code == 409 and r.get_json()["rules"] == ["hours_after_end"]
    session.expire_all()
    assert session.get(Contract, ended.id).end_date == date(2026, 3, 1)
    assert session.scalar(select(func.count(Timesheet.id)).where(Timesheet.status == "approved")) == 2
    assert session.scalar(select(func.count(Assignment.id))) == 2


def test_an_ended_contract_is_not_the_main_one_to_compare_from(client, pool, session):
    from datetime import datetime

    from banenpool.calendar_nl import AMS
    from tests.banenpool.test_billing import make_assignment
    session.add_all([
        Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="fixed", hours_per_week=Decimal(32),
                 cao_code="hoveniers", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31)),
        Contract(worker_id=pool.worker_x, employer_id=pool.employer_b, kind="min_max", hours_per_week=Decimal(12),
                 cao_code="schoonmaak", start_date=date(2026, 1, 1))])
    session.commit()
    make_assignment(session, pool.employer_b, pool.worker_x,
                    start=(datetime.now(AMS) + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0))
    login(client, "worker_x")
    assert "Werken onder een andere cao" not in client.get("/me/checks").get_data(as_text=True)
    r = client.get(f"/api/v1/workers/{pool.worker_x}/cao-move?employer_id={pool.employer_a}",
                   headers=pool.headers("intermediary"))
    assert r.status_code == 200 and (r.get_json()["from_cao"], r.get_json()["to_cao"]) == ("schoonmaak", "hoveniers")
