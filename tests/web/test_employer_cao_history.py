"""An employer's CAO changes on a date: hours before it keep the old CAO's pay, hours from it on get
the new one's (timesheet pay, invoices, payroll, the compliance checks); a change may not reach back
over finally invoiced hours nor come before the latest change; the pool's employer page lists the
history, and only the pool changes it."""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from banenpool.models import Employer, EmployerCao
from banenpool.principal import SYSTEM
from banenpool.services import checks, registry
from banenpool.services.timesheets import approved_in_period, timesheet_pay
from tests.banenpool.test_billing import MONDAY, work
from tests.web.pages_data import csrf_token, login

TUESDAY = MONDAY + timedelta(days=1)        # 2026-03-10: employer A moves from hoveniers to zoetwaren
A_DAY = {"hoveniers": Decimal("15.00"), "zoetwaren": Decimal("15.20")}   # scale A of each CAO in March 2026


def _patch(client, pool, body, who="intermediary"):
    return client.patch(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers(who), json=body)


def _move_a(client, pool, day=TUESDAY.date(), code="zoetwaren"):
    r = _patch(client, pool, {"cao_code": code, "cao_valid_from": day.isoformat()})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _history(session, employer_id):
    session.expire_all()
    return [(row.cao_code, row.valid_from) for row in session.get(Employer, employer_id).caos]


def _invoice(client, pool, first, last):
    r = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, "period_start": first.isoformat(),
                          "period_end": last.isoformat()})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_hours_before_and_after_a_change_are_priced_under_each_cao(client, pool, session):
    monday = work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    tuesday = work(client, pool, "employer_a", "worker_x", start=TUESDAY, session=session)
    body = _move_a(client, pool)
    assert body["cao_code"] == "zoetwaren"            # in force now (December 2026)
    assert body["cao_history"] == [
        {"cao_code": "hoveniers", "valid_from": None, "valid_to": "2026-03-09"},
        {"cao_code": "zoetwaren", "valid_from": "2026-03-10", "valid_to": None}]

    # the timesheets' pay: the worker has no contract, so the hirer's CAO of the day prices them
    pays = {row.Assignment.id: timesheet_pay(session, *row) for row in
            approved_in_period(session, MONDAY.date(), TUESDAY.date(), pool.employer_a)}
    assert (pays[monday].cao_code, pays[tuesday].cao_code) == ("hoveniers", "zoetwaren")
    assert [line.rate for line in pays[monday].result.lines if line.kind == "base"] == [A_DAY["hoveniers"]]
    assert [line.rate for line in pays[tuesday].result.lines if line.kind == "base"] == [A_DAY["zoetwaren"]]

    # each day's lines under its own CAO, × the tariff factor 1.85; hoveniers is btw verlegd, zoetwaren
    # 21 %: one invoice has one VAT scheme, so the two days are invoiced separately
    r = client.post("/api/v1/invoices", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, "period_start": MONDAY.date().isoformat(),
                          "period_end": TUESDAY.date().isoformat()})
    assert r.status_code == 422 and "end the period on 2026-03-09" in r.get_json()["errors"]["json"]["period_end"][0]
    invoices = [_invoice(client, pool, day.date(), day.date()) for day in (MONDAY, TUESDAY)]
    base = [(line["assignment_id"], line["description"].rsplit(" (", 1)[1], line["rate"])
            for invoice in invoices for line in invoice["lines"] if line["kind"] == "base"]
    # 15.00 × 1.85 and 15.20 × 1.85, half up
    assert sorted(base) == [(monday, "cao hoveniers)", "27.75"), (tuesday, "cao zoetwaren)", "28.12")]
    assert [invoice["vat"] == "0.00" for invoice in invoices] == [True, False]

    # the payroll statement: each day's gross pay under its CAO
    def gross(day):
        r = client.get(f"/api/v1/payroll?period_start={day}&period_end={day}", headers=pool.headers("intermediary"))
        assert r.status_code == 200, r.get_json()
        (part,) = r.get_json()["workers"][0]["employers"]
        return part["cao_code"], Decimal(part["gross_pay"])
    assert gross(MONDAY.date()) == ("hoveniers", pays[monday].result.total)
    assert gross(TUESDAY.date()) == ("zoetwaren", pays[tuesday].result.total)
    assert pays[monday].result.total != pays[tuesday].result.total


def test_compliance_checks_judge_each_shift_by_the_cao_of_its_day(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    work(client, pool, "employer_a", "worker_x", start=TUESDAY, session=session)
    _move_a(client, pool)
    session.expire_all()
    worker = registry.get_worker(session, SYSTEM, pool.worker_x)
    items = checks.work_items(session, worker, MONDAY.date(), TUESDAY.date())
    assert [(item.local_start.date(), item.cao_code) for item in items] == [
        (MONDAY.date(), "hoveniers"), (TUESDAY.date(), "zoetwaren")]


def test_a_change_on_or_before_finally_invoiced_hours_is_refused(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    invoice = _invoice(client, pool, MONDAY.date(), MONDAY.date())
    r = client.post(f"/api/v1/invoices/{invoice['id']}/finalize", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    for day in (MONDAY.date(), MONDAY.date() - timedelta(days=30)):
        r = _patch(client, pool, {"cao_code": "zoetwaren", "cao_valid_from": day.isoformat()})
        assert r.status_code == 409, r.get_json()
        assert r.get_json()["rules"] == ["cao_change_invoiced"] and "2026-03-09" in r.get_json()["message"]
    assert _history(session, pool.employer_a) == [("hoveniers", date(1900, 1, 1))]
    _move_a(client, pool)                               # the day after the invoiced hours is fine
    r = client.post(f"/api/v1/invoices/{invoice['id']}/credit", headers=pool.headers("intermediary"))
    assert r.status_code in (200, 201), r.get_json()
    # credited: its hours are no longer billed, so the change may now be corrected back over them
    r = _patch(client, pool, {"cao_code": "zoetwaren", "cao_valid_from": "2026-03-10"})
    assert r.status_code == 200


def test_a_change_before_the_latest_is_refused_the_same_day_corrects_it(client, pool, session):
    _move_a(client, pool, date(2027, 7, 1))
    r = _patch(client, pool, {"cao_code": "taxi", "cao_valid_from": "2027-06-30"})
    assert r.status_code == 409 and r.get_json()["rules"] == ["cao_change_before_latest"], r.get_json()
    # the details form sends the CAO in force now, unchanged: nothing changes, the coming change stays
    r = _patch(client, pool, {"cao_code": "hoveniers", "name": "Groenwerk Twente"})
    assert r.status_code == 200 and r.get_json()["cao_code"] == "hoveniers"
    assert _history(session, pool.employer_a) == [("hoveniers", date(1900, 1, 1)), ("zoetwaren", date(2027, 7, 1))]
    _move_a(client, pool, date(2027, 7, 1), "taxi")      # the same day: a correction
    assert _history(session, pool.employer_a) == [("hoveniers", date(1900, 1, 1)), ("taxi", date(2027, 7, 1))]
    _move_a(client, pool, date(2027, 7, 1), "hoveniers")  # back to the CAO before it: the change is undone
    assert _history(session, pool.employer_a) == [("hoveniers", date(1900, 1, 1))]


def test_a_change_without_a_date_starts_today_and_bad_input_is_named(client, pool, session):
    r = _patch(client, pool, {"cao_valid_from": "2027-01-01"})
    assert r.status_code == 422 and "cao_valid_from" in r.get_json()["errors"]["json"], r.get_json()
    r = _patch(client, pool, {"cao_code": "bestaat-niet", "cao_valid_from": "2027-01-01"})
    assert r.status_code == 422 and "cao_code" in r.get_json()["errors"]["json"], r.get_json()
    r = _patch(client, pool, {"cao_code": "taxi", "cao_valid_from": "2026-02-30"})
    assert r.status_code == 422 and "cao_valid_from" in r.get_json()["errors"]["json"], r.get_json()
    r = _patch(client, pool, {"cao_code": "taxi"})
    assert r.status_code == 200 and r.get_json()["cao_code"] == "taxi"
    (_, (code, since)) = _history(session, pool.employer_a)
    assert code == "taxi" and abs((since - date.today()).days) <= 1     # today in Amsterdam
    assert session.scalar(select(EmployerCao.id).where(EmployerCao.cao_code == "bestaat-niet")) is None


def test_only_the_pool_changes_an_employers_cao(client, pool, session):
    r = _patch(client, pool, {"cao_code": "zoetwaren", "cao_valid_from": "2027-01-01"}, who="employer_a")
    assert r.status_code == 403
    r = client.patch(f"/api/v1/employers/{pool.employer_b}", headers=pool.headers("employer_a"),
                     json={"cao_code": "zoetwaren"})
    assert r.status_code in (403, 404)
    assert _history(session, pool.employer_a) == [("hoveniers", date(1900, 1, 1))]
    r = client.get(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers("employer_a"))
    assert r.status_code == 200 and r.get_json()["cao_history"][0]["cao_code"] == "hoveniers"
    login(client, "employer_a")
    assert client.get(f"/employers/{pool.employer_a}/edit").status_code == 403
    assert client.get(f"/employers/{pool.employer_a}").status_code == 403


def test_the_employer_page_lists_the_history_and_the_form_changes_it(client, pool, session):
    login(client, "intermediary")
    path = f"/employers/{pool.employer_a}/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'name="cao_valid_from"' in page and "Nieuwe cao vanaf" in page
    assert 'name="cao_valid_from"' not in client.get("/employers/new").get_data(as_text=True)
    form = {"name": "Groenwerk Twente BV", "kvk_number": "61234501", "vat_number": "NL612345014B01",
            "cao_code": "zoetwaren", "cao_valid_from": "2026-03-10", "street": "Hengelosestraat 1",
            "postcode": "7521 AH", "city": "Enschede", "tariff_factor": "1,85", "csrf_token": csrf_token(page)}
    r = client.post(path, data=form)
    assert r.status_code == 302, r.get_data(as_text=True)
    html = client.get(f"/employers/{pool.employer_a}").get_data(as_text=True)
    assert "Cao-geschiedenis" in html and "het begin" in html and "9 mrt 2026" in html and "10 mrt 2026" in html
    assert "(hoveniers)" in html and "(zoetwaren)" in html

    r = client.post(path, data={**form, "cao_code": "taxi", "cao_valid_from": "2026-03-01"})
    assert r.status_code == 200
    after_field = r.get_data(as_text=True).split('name="cao_valid_from"')[1]
    assert "de cao van de werkgever verandert al op een latere dag" in after_field
    assert _history(session, pool.employer_a) == [("hoveniers", date(1900, 1, 1)), ("zoetwaren", date(2026, 3, 10))]
    english = client.get(f"/employers/{pool.employer_a}?lang=en").get_data(as_text=True)
    assert "CAO history" in english and "the start" in english and "10 Mar 2026" in english


def test_an_employer_sees_its_own_details_and_cao_history_and_nobody_elses(client, pool, session):
    _move_a(client, pool)
    login(client, "employer_a")
    html = client.get("/employer/details").get_data(as_text=True)
    assert "Bedrijfsgegevens" in html and 'href="/employer/details"' in html      # in the menu as well
    assert "Cao-geschiedenis" in html and "9 mrt 2026" in html and "10 mrt 2026" in html
    assert "(hoveniers)" in html and "(zoetwaren)" in html
    other = session.get(Employer, pool.employer_b)
    assert other.name not in html and other.kvk_number not in html
    assert 'name="cao_valid_from"' not in html                  # read-only: the pool changes it
    login(client, "employer_b")
    html_b = client.get("/employer/details").get_data(as_text=True)
    assert other.kvk_number in html_b and "(zoetwaren)" not in html_b
    for role in ("intermediary", "worker_x"):
        login(client, role)
        assert client.get("/employer/details").status_code == 403
