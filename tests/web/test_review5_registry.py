"""Review of the registry: contracts, availability, employers and logins."""
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from banenpool.models import Contract
from tests.web.pages_data import csrf_token, login


def _contract(**overrides) -> dict:
    return {"kind": "on_call", "hours_per_week": "0", "cao_code": "hoveniers", "start_date": "2025-01-01",
            **overrides}


def test_two_contracts_with_one_employer_over_the_same_days_are_refused(client, pool, session):
    """Pay, late calls and the fixed-hours offers read the one contract in force with the employer on
    a day: a second one over the same days was stored, and the first one silently won."""
    h, path = pool.headers("intermediary"), f"/api/v1/workers/{pool.worker_x}/contracts"
    first = client.post(path, headers=h, json=_contract(employer_id=pool.employer_a, end_date="2025-12-31"))
    assert first.status_code == 201
    r = client.post(path, headers=h, json=_contract(employer_id=pool.employer_a, kind="fixed", hours_per_week="20",
                                                    start_date="2025-06-01"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["contract_overlap"]
    assert "2025-01-01 to 2025-12-31" in r.get_json()["message"]
    # another employer, the pool itself, or the next day: fine
    for body in (_contract(employer_id=pool.employer_b), _contract(), _contract(employer_id=pool.employer_a,
                                                                                start_date="2026-01-01")):
        assert client.post(path, headers=h, json=body).status_code == 201, body
    assert session.scalar(select(func.count(Contract.id))) == 4
    # and moving the first one's end over the next one is refused as well
    r = client.patch(f"{path}/{first.get_json()['id']}", headers=h, json={"end_date": None})
    assert r.status_code == 409 and r.get_json()["rules"] == ["contract_overlap"]
    session.expire_all()
    assert session.get(Contract, first.get_json()["id"]).end_date == date(2025, 12, 31)


def test_the_contract_form_says_why_under_from(client, pool, session):
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="fixed",
                         hours_per_week=Decimal(20), cao_code="hoveniers", start_date=date(2025, 1, 1)))
    session.commit()
    login(client, "intermediary")
    path = f"/workers/{pool.worker_x}/contracts/new"
    page = client.get(path).get_data(as_text=True)
    r = client.post(path, data={"employer_id": str(pool.employer_a), "kind": "on_call", "hours_per_week": "0",
                                "cao_code": "hoveniers", "start_date": "2025-03-01", "csrf_token": csrf_token(page)})
    assert r.status_code == 200
    assert "heeft over deze dagen al een ander contract met deze werkgever" in r.get_data(as_text=True)
    assert session.scalar(select(func.count(Contract.id))) == 1


def test_a_new_contract_never_moves_approved_hours_to_itself(client, pool, session):
    """Like a contract's end: hours approved with no contract at the employer (paid under the pool's, or
    as on-call under the hirer's CAO) stay so; a contract added later that covers their day was
    stored, and changed the pay of hours already paid and billed."""
    from tests.banenpool.test_billing import MONDAY, work
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    h, path = pool.headers("intermediary"), f"/api/v1/workers/{pool.worker_x}/contracts"
    r = client.post(path, headers=h, json=_contract(employer_id=pool.employer_a, kind="fixed", hours_per_week="20",
                                                    start_date="2026-01-01"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["hours_before_contract"]
    assert MONDAY.date().isoformat() in r.get_json()["message"]
    assert session.scalar(select(func.count(Contract.id))) == 0
    # from the day after, or at another employer: fine
    for body in (_contract(employer_id=pool.employer_a, start_date="2026-03-10"),
                 _contract(employer_id=pool.employer_b, start_date="2026-01-01")):
        assert client.post(path, headers=h, json=body).status_code == 201, body
    login(client, "intermediary")
    page = client.get(f"{path.removeprefix('/api/v1')}/new").get_data(as_text=True)
    r = client.post(f"{path.removeprefix('/api/v1')}/new", data={
        "employer_id": "", "kind": "on_call", "hours_per_week": "0", "cao_code": "hoveniers",
        "start_date": "2026-01-01", "csrf_token": csrf_token(page)})
    assert r.status_code == 200
    assert "goedgekeurde uren in deze periode zijn betaald onder een ander contract" in r.get_data(as_text=True)
    assert session.scalar(select(func.count(Contract.id))) == 2


def test_a_vat_id_with_wrong_check_digits_is_refused(client, pool):
    """The VAT id goes on every invoice (and is required for btw verlegd): a typing error in it passed,
    as only its shape was checked. Right: the 11-proof of the 9 digits (a company's btw-nummer from its
    RSIN) or mod 97 of the whole id (the btw-identificatienummer since 2020)."""
    from tests.conftest import employer_data
    from tests.web.test_registry_api import _json
    h = pool.headers("intermediary")
    for wrong in ("NL612345015B01", "NL002455799B12"):
        r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=h, json={"vat_number": wrong})
        assert r.status_code == 422 and "check digits" in r.get_json()["errors"]["json"]["vat_number"][0], wrong
    for right in ("NL004495445B01", "NL002455799B11"):
        r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=h, json={"vat_number": right})
        assert r.status_code == 200 and r.get_json()["vat_number"] == right
    r = client.post("/api/v1/employers", headers=h, json=_json(employer_data(kvk_number="61234599",
                                                                             vat_number="NL612345990B01")))
    assert r.status_code == 422 and "vat_number" in r.get_json()["errors"]["json"]
    login(client, "intermediary")
    path = f"/employers/{pool.employer_a}/edit"
    page = client.get(path).get_data(as_text=True)
    r = client.post(path, data={"name": "Groenwerk", "kvk_number": "61234501", "vat_number": "NL612345015B01",
                                "cao_code": "hoveniers", "tariff_factor": "1,85", "csrf_token": csrf_token(page)})
    assert "de controlecijfers van dit btw-nummer kloppen niet" in r.get_data(as_text=True)


def test_the_demo_employers_have_vat_ids_that_pass_the_check():
    from banenpool.demo import EMPLOYERS, _vat_id
    from banenpool.services.registry import vat_id_valid
    assert all(vat_id_valid(_vat_id(row[1])) for row in EMPLOYERS)
    assert _vat_id("61234501") == "NL612345014B01"


def test_a_sick_call_points_at_the_night_shift_that_runs_into_its_first_day(client, pool, session):
    """An absence from Tuesday covers Monday's night shift 22:00–06:00 from midnight: the page said the
    worker had no shift in the period (only shifts starting on its days were looked at)."""
    from datetime import datetime, timedelta

    from banenpool.calendar_nl import AMS
    from tests.banenpool.test_billing import make_assignment
    evening = (datetime.now(AMS) + timedelta(days=2)).replace(hour=22, minute=0, second=0, microsecond=0)
    make_assignment(session, pool.employer_a, pool.worker_x, start=evening, hours=8, break_minutes=0)
    session.commit()
    login(client, "intermediary")
    page = client.get(f"/workers/{pool.worker_x}/availability").get_data(as_text=True)
    day = (evening + timedelta(days=1)).date().isoformat()
    r = client.post(f"/workers/{pool.worker_x}/availability/absences", follow_redirects=True,
                    data={"first": day, "last": day, "reason": "sick", "csrf_token": csrf_token(page)})
    assert "Sanne Scholten is in deze periode ingepland op 1 dienst" in r.get_data(as_text=True)


def test_ending_a_contract_points_at_the_calls_after_it_that_no_contract_covers(client, pool, session):
    """A contract ended while the worker is still planned at that employer after its last day: the page
    said only that the contract ends; those calls go on with no contract (paid as on-call under the
    hirer's CAO). With a contract of the pool's that covers them, nothing to say."""
    from datetime import datetime, timedelta

    from banenpool.calendar_nl import AMS
    from tests.banenpool.test_billing import make_assignment
    contract = Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="on_call",
                        hours_per_week=Decimal(0), cao_code="hoveniers", start_date=date(2026, 1, 1))
    session.add(contract)
    session.commit()
    now = datetime.now(AMS)
    for days in (5, 6):
        make_assignment(session, pool.employer_a, pool.worker_x,
                        start=(now + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0))
    session.commit()
    login(client, "intermediary")
    page = client.get(f"/workers/{pool.worker_x}").get_data(as_text=True)
    end = f"/workers/{pool.worker_x}/contracts/{contract.id}/end"
    r = client.post(end, data={"end_date": now.date().isoformat(), "csrf_token": csrf_token(page)},
                    follow_redirects=True)
    assert ("Sanne Scholten is na deze laatste dag op 2 diensten ingepland waarvoor geen contract meer geldt"
            in r.get_data(as_text=True))
    session.add(Contract(worker_id=pool.worker_x, employer_id=None, kind="on_call", hours_per_week=Decimal(0),
                         cao_code="hoveniers", start_date=date(2026, 1, 1)))
    session.commit()
    r = client.post(end, data={"end_date": (now.date() + timedelta(days=1)).isoformat(),
                               "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Het contract eindigt op" in r.get_data(as_text=True)
    assert "waarvoor geen contract meer geldt" not in r.get_data(as_text=True)


def test_the_fixed_hours_page_shows_the_12_months_up_to_their_last_day(client, pool, session):
    """The period ran "1 okt 2025 – 1 okt 2026": the anniversary, the first day after the 12 months,
    shown as their end (the API's period_end is exclusive and says so; the page's ranges are not)."""
    from datetime import datetime, time, timedelta

    from banenpool.calendar_nl import AMS
    from banenpool.models import Timesheet
    from tests.banenpool.test_billing import make_assignment
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="on_call",
                         hours_per_week=Decimal(0), cao_code="hoveniers", start_date=date(2025, 10, 1)))
    start = datetime.combine(date(2026, 2, 2), time(8), AMS)
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=start)
    session.add(Timesheet(assignment_id=a, start=start, end=start + timedelta(hours=8.5), break_minutes=30,
                          status="approved", kind="worked"))
    session.commit()
    login(client, "intermediary")
    page = client.get("/fixed-hours?on=2026-10-05").get_data(as_text=True)
    assert "1 okt 2025 – 30 sep 2026" in page and "1 okt 2025 – 1 okt 2026" not in page
    assert 'name="hours" value="0,15"' in page          # the average (8 h over 52 1/7 weeks), as the page writes numbers


def test_the_refusal_of_a_taken_address_names_the_login_in_english(client, pool):
    h = pool.headers("intermediary")
    for address, said in (("employer_a@test.example", "an employer login"),
                          ("intermediary@test.example", "an intermediary login"),
                          ("worker_y@test.example", "a worker login")):
        r = client.patch(f"/api/v1/workers/{pool.worker_x}", headers=h, json={"email": address})
        assert r.status_code == 409 and r.get_json()["message"] == f"email: {said} for {address} exists already"


def test_a_contract_with_fixed_hours_has_more_than_0_hours(client, pool, session):
    """A "fixed" contract of 0 hours a week was stored: its worker, on call in fact, could then not
    refuse a late call and was never listed for an offer of fixed hours."""
    h, path = pool.headers("intermediary"), f"/api/v1/workers/{pool.worker_x}/contracts"
    r = client.post(path, headers=h, json=_contract(kind="fixed", hours_per_week="0"))
    assert r.status_code == 422 and "hours_per_week" in r.get_json()["errors"]["json"]
    assert client.post(path, headers=h, json=_contract(kind="fixed", hours_per_week="0.5",
                                                       end_date="2025-01-31")).status_code == 201
    assert client.post(path, headers=h, json=_contract(kind="min_max", hours_per_week="0",
                                                       start_date="2025-02-01")).status_code == 201
    login(client, "intermediary")
    page = client.get(f"/workers/{pool.worker_x}/contracts/new").get_data(as_text=True)
    r = client.post(f"/workers/{pool.worker_x}/contracts/new", data={
        "employer_id": str(pool.employer_a), "kind": "fixed", "hours_per_week": "0", "cao_code": "hoveniers",
        "start_date": "2025-03-01", "csrf_token": csrf_token(page)})
    assert "een contract met vaste uren heeft meer dan 0 uur per week" in r.get_data(as_text=True)
    assert session.scalar(select(func.count(Contract.id))) == 2
