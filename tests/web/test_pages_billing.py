"""The hours and invoice pages through the real app: roles, the draft → final → credit flow via the forms,
approving hours via the page, employers kept apart, English."""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from banenpool.models import Assignment, Invoice, Shift, Timesheet
from banenpool.principal import SYSTEM
from banenpool.calendar_nl import today_local
from banenpool.services import billing
from tests.banenpool.test_billing import MONDAY, work
from tests.web.pages_data import csrf_token, login, staff

MARCH = {"period_start": MONDAY.date().replace(day=1), "period_end": MONDAY.date().replace(day=31)}


@dataclass
class Billed:
    invoice_a: int
    invoice_b: int


@pytest.fixture
def billed(client, pool, session) -> Billed:
    """A draft invoice for each employer, each from one approved timesheet in March 2026."""
    work(client, pool, "employer_a", "worker_x", session=session)
    work(client, pool, "employer_b", "worker_y", session=session)
    ids = [billing.create_invoice(session, SYSTEM, {"employer_id": e, **MARCH}).id
           for e in (pool.employer_a, pool.employer_b)]
    session.commit()
    return Billed(*ids)


def html(r) -> str:
    assert r.mimetype == "text/html", (r.status_code, r.mimetype, r.get_data(as_text=True)[:200])
    return r.get_data(as_text=True)


PAGES = {"intermediary": ["/invoices", "/invoices/{a}", "/invoices/{a}/download/csv", "/hours"],
         "employer_a": ["/employer/invoices", "/employer/invoices/{a}", "/employer/invoices/{a}/download/csv",
                        "/employer/timesheets"],
         "worker_x": ["/me/hours"]}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_every_billing_page_renders_for_its_role_only(client, pool, billed, role):
    login(client, role)
    for owner, paths in PAGES.items():
        for path in paths:
            r = client.get(path.format(a=billed.invoice_a))
            if owner == role:
                assert r.status_code == 200, (path, r.get_data(as_text=True)[:500])
                if "download" not in path:
                    assert "Uitloggen" in html(r)
            else:
                assert r.status_code == 403 and "Geen toegang" in html(r), (role, path, r.status_code)


def test_anonymous_goes_to_login_and_posts_need_a_login(client, pool, billed):
    for path in [p for paths in PAGES.values() for p in paths]:
        r = client.get(path.format(a=billed.invoice_a))
        assert r.status_code == 302 and "/login?next=" in r.headers["Location"], path
    token = csrf_token(html(client.get("/login")))
    for path in (f"/invoices/{billed.invoice_a}/finalize", "/employer/timesheets/1/approve", "/me/hours/1"):
        r = client.post(path, data={"csrf_token": token})
        assert r.status_code == 302 and "/login" in r.headers["Location"], path


def test_employer_b_never_sees_employer_a_invoice(client, pool, billed, session):
    billing.finalize(session, SYSTEM, billed.invoice_a)
    session.commit()
    login(client, "employer_b")
    listing = html(client.get("/employer/invoices"))
    assert f"/employer/invoices/{billed.invoice_b}" in listing
    assert f"/employer/invoices/{billed.invoice_a}" not in listing
    number_a = session.get(Invoice, billed.invoice_a).number
    assert number_a not in listing
    for path in (f"/employer/invoices/{billed.invoice_a}", f"/employer/invoices/{billed.invoice_a}/download/csv",
                 f"/employer/invoices/{billed.invoice_a}/download/pdf"):
        r = client.get(path)
        assert r.status_code == 404 and "Niet gevonden" in html(r), path
    own = html(client.get(f"/employer/invoices/{billed.invoice_b}"))
    assert "Glans Schoonmaak" in own and "Groenwerk" not in own
    assert "Definitief maken" not in own and "Creditnota" not in own  # no intermediary buttons
    r = client.post(f"/invoices/{billed.invoice_b}/finalize", data={"csrf_token": csrf_token(own)})
    assert r.status_code == 403 and session.get(Invoice, billed.invoice_b).status == "draft"


def test_draft_finalize_credit_through_the_forms(client, pool, session):
    work(client, pool, "employer_a", "worker_x", session=session)
    login(client, "intermediary")
    page = html(client.get("/invoices"))
    assert "Nieuwe conceptfactuur" in page and "Groenwerk Twente BV" in page
    r = client.post("/invoices", data={"csrf_token": csrf_token(page), "employer_id": pool.employer_b,
                                       "period_start": "2026-03-01", "period_end": "2026-03-31"})
    assert r.status_code == 200 and "Geen concept gemaakt" in html(r)  # employer_b has no approved hours
    r = client.post("/invoices", data={"csrf_token": csrf_token(page), "employer_id": pool.employer_a,
                                       "period_start": "2026-03-01", "period_end": "2026-03-31"})
    assert r.status_code == 302, html(r)
    draft_id = int(r.headers["Location"].rsplit("/", 1)[1])
    draft = html(client.get(r.headers["Location"]))
    assert "Conceptfactuur gemaakt met 1 regels." in draft
    assert "Sanne Scholten" in draft and "btw verlegd" in draft  # hoveniers: reverse charge
    assert "€\xa0222,00" in draft and "concept" in draft  # 8 h × 15.00 × 1.85
    r = client.get(f"/invoices/{draft_id}/download/ubl")  # a draft has no number: no e-invoice yet
    assert r.status_code == 302 and "Niet te downloaden" in html(client.get(r.headers["Location"]))
    r = client.post(f"/invoices/{draft_id}/finalize", data={"csrf_token": csrf_token(draft)})
    assert r.status_code == 302
    final = html(client.get(f"/invoices/{draft_id}"))
    number = session.get(Invoice, draft_id).number
    assert number and f"Factuur {number} is definitief." in final and "definitief" in final
    r = client.post(f"/invoices/{draft_id}/finalize", data={"csrf_token": csrf_token(final)})  # a stale button
    again = html(client.get(r.headers["Location"]))
    assert "Niet definitief gemaakt: deze factuur is definitief en verandert nooit" in again  # the 409 as a flash
    assert f"/invoices/{draft_id}" in html(client.get("/invoices"))
    for fmt, kind in (("csv", "text/csv"), ("ubl", "application/xml")):
        r = client.get(f"/invoices/{draft_id}/download/{fmt}")
        assert r.status_code == 200 and r.mimetype == kind and number in r.get_data(as_text=True)
    r = client.get(f"/invoices/{draft_id}/download/pdf")
    if r.status_code == 200:
        assert r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    else:  # no Pango here: the reason as a flash on the invoice page, not a crash
        assert r.status_code == 302 and "Niet te downloaden" in html(client.get(r.headers["Location"]))
    assert client.get(f"/invoices/{draft_id}/download/doc").status_code == 404
    r = client.post(f"/invoices/{draft_id}/credit", data={"csrf_token": csrf_token(final)})
    assert r.status_code == 302
    note = session.scalar(select(Invoice).where(Invoice.credit_of_id == draft_id))
    credit_page = html(client.get(r.headers["Location"]))
    assert f"Creditnota {note.number} gemaakt." in credit_page and "€\xa0-222,00" in credit_page
    assert f"/invoices/{draft_id}" in credit_page and "gecrediteerd" in html(client.get(f"/invoices/{draft_id}"))
    r = client.post(f"/invoices/{draft_id}/credit", data={"csrf_token": csrf_token(credit_page)})
    assert "Geen creditnota gemaakt" in html(client.get(r.headers["Location"]))


def test_discard_a_draft(client, pool, billed, session):
    login(client, "intermediary")
    page = html(client.get(f"/invoices/{billed.invoice_a}"))
    r = client.post(f"/invoices/{billed.invoice_a}/delete", data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302 and "Het concept is verwijderd." in html(client.get(r.headers["Location"]))
    session.expire_all()
    assert session.get(Invoice, billed.invoice_a) is None


def test_worker_registers_hours_and_employer_approves_them(app, client, pool, session):
    staffed = staff(app, session, pool)
    assert staffed.plan_id
    mine = session.scalars(select(Assignment).join(Shift).where(Assignment.worker_id == pool.worker_x,
                                                                Assignment.status == "confirmed")
                           .order_by(Shift.start)).first()
    assert mine is not None
    employer = {pool.employer_a: "employer_a", pool.employer_b: "employer_b"}[mine.shift.employer_id]
    login(client, "worker_x")
    page = html(client.get("/me/hours?from=2026-03-23"))
    assert "Mijn uren" in page and "niet geregistreerd" in page
    prefix = f"a{mine.id}"
    assert f'name="{prefix}-start"' in page
    day = mine.shift.start.astimezone(billing.AMS).date().isoformat()
    r = client.post(f"/me/hours/{mine.id}", data={f"{prefix}-day": day, f"{prefix}-start": "07:00",
                                                  f"{prefix}-end": "15:00", f"{prefix}-break_minutes": "0"})
    assert r.status_code == 400 and r.mimetype == "text/html"  # no CSRF token
    assert session.scalar(select(Timesheet).where(Timesheet.assignment_id == mine.id)) is None
    r = client.post(f"/me/hours/{mine.id}?from=2026-03-23", data={
        f"{prefix}-csrf_token": csrf_token(page), f"{prefix}-day": day, f"{prefix}-start": "07:15",
        f"{prefix}-end": "15:30", f"{prefix}-break_minutes": "30"})
    assert r.status_code == 302 and "from=2026-03-23" in r.headers["Location"]
    after = html(client.get(r.headers["Location"]))
    assert "Uren opgeslagen" in after and "wacht op goedkeuring" in after
    sheet = session.scalar(select(Timesheet).where(Timesheet.assignment_id == mine.id))
    assert sheet.status == "submitted" and sheet.break_minutes == 30
    assert sheet.start.astimezone(billing.AMS).strftime("%H:%M") == "07:15"
    bad = client.post(f"/me/hours/{mine.id}?from=2026-03-23", data={
        f"{prefix}-csrf_token": csrf_token(page), f"{prefix}-day": "2026-01-01", f"{prefix}-start": "07:00",
        f"{prefix}-end": "15:00", f"{prefix}-break_minutes": "0"})
    refused = html(bad)         # far from the planned start: the page again, with what was typed
    assert "Niet opgeslagen: Begin: moet binnen 12 uur van de geplande start liggen" in refused
    assert re.search(rf'name="{prefix}-day"[^>]*value="2026-01-01"', refused)
    empty = client.post(f"/me/hours/{mine.id}", data={f"{prefix}-csrf_token": csrf_token(page), f"{prefix}-day": day,
                                                      f"{prefix}-start": "07:00", f"{prefix}-end": ""})
    assert "Einde:" in html(empty)  # the form's own check, as a flash
    same = client.post(f"/me/hours/{mine.id}", data={f"{prefix}-csrf_token": csrf_token(page), f"{prefix}-day": day,
                                                     f"{prefix}-start": "07:15", f"{prefix}-end": "07:15",
                                                     f"{prefix}-break_minutes": "0"})
    assert "Einde: moet anders zijn dan het begin" in html(same)   # not 24 hours of work
    session.expire_all()
    assert session.get(Timesheet, sheet.id).start.astimezone(billing.AMS).strftime("%H:%M") == "07:15"

    other = "employer_b" if employer == "employer_a" else "employer_a"
    login(client, other)
    listing = html(client.get("/employer/timesheets"))
    assert "Sanne Scholten" not in listing
    r = client.post(f"/employer/timesheets/{mine.id}/approve", data={"csrf_token": csrf_token(listing)})
    assert r.status_code == 404 and "Niet gevonden" in html(r)

    login(client, employer)
    listing = html(client.get("/employer/timesheets"))
    assert "Sanne Scholten" in listing and "07:15" in listing and "Goedkeuren" in listing
    r = client.post(f"/employer/timesheets/{mine.id}/approve", data={"csrf_token": csrf_token(listing)})
    assert r.status_code == 302
    done = html(client.get("/employer/timesheets?from=2026-03-01"))
    assert "Uren van Sanne Scholten" in done and "goedgekeurd" in done
    assert "Geen uren die wachten op goedkeuring." in done
    session.expire_all()
    assert session.get(Timesheet, sheet.id).status == "approved"
    r = client.post(f"/employer/timesheets/{mine.id}/approve", data={"csrf_token": csrf_token(done)})
    assert "Niet goedgekeurd" in html(client.get(r.headers["Location"]))

    login(client, "worker_x")
    approved = html(client.get("/me/hours?from=2026-03-23"))
    assert "goedgekeurd" in approved and f'name="{prefix}-start"' not in approved  # no form: approved hours stay


def test_english_on_the_billing_pages(client, pool, billed):
    login(client, "intermediary")
    body = html(client.get("/invoices?lang=en"))
    assert '<html lang="en">' in body and "New draft invoice" in body and "Make draft" in body
    invoice = html(client.get(f"/invoices/{billed.invoice_a}"))
    assert "Invoice draft" in invoice and "reverse-charged" in invoice and "Finalize" in invoice
    assert "€222.00" in invoice
    login(client, "employer_a")
    assert "Hours to approve" in html(client.get("/employer/timesheets?lang=en"))
    assert "Invoices" in html(client.get("/employer/invoices"))
    login(client, "worker_x")
    assert "My hours" in html(client.get("/me/hours?lang=en"))
    assert "Mijn uren" in html(client.get("/me/hours?lang=nl"))


def test_authenticate_is_the_one_password_check(pool, session):
    """The login page and the API token both use services.auth.authenticate (moved out of the login view)."""
    from banenpool.models import User
    from banenpool.services.auth import authenticate
    from tests.conftest import PASSWORD
    user = authenticate(session, "  Employer_A@Test.Example ", PASSWORD)
    assert user is not None and user.role == "employer" and user.employer_id == pool.employer_a
    assert authenticate(session, "employer_a@test.example", "wrong password") is None
    assert authenticate(session, "nobody@test.example", PASSWORD) is None
    session.get(User, user.id).active = False
    session.flush()
    assert authenticate(session, "employer_a@test.example", PASSWORD) is None


def test_a_draft_whose_hours_all_wait_for_earlier_hours_is_a_message_not_an_error_page(client, pool, session):
    from datetime import timedelta
    monday = work(client, pool, "employer_a", "worker_x", approve=False, session=session)
    tuesday = work(client, pool, "employer_a", "worker_x", start=MONDAY + timedelta(days=1), session=session)
    login(client, "intermediary")
    page = html(client.get("/invoices"))
    r = client.post("/invoices", data={"csrf_token": csrf_token(page), "employer_id": pool.employer_a,
                                       "period_start": "2026-03-01", "period_end": "2026-03-31"})
    assert r.status_code == 200
    shown = html(r)
    assert "Geen concept gemaakt: er kunnen nog geen uren gefactureerd worden: eerdere diensten" in shown
    assert session.scalars(select(Invoice)).all() == []


def test_hours_page_from_a_future_day_shows_the_past_hours_form(client, pool, session):
    work(client, pool, "employer_a", "worker_x", approve=False, session=session)
    login(client, "worker_x")
    r = client.get("/me/hours?from=2099-01-01")
    assert r.status_code == 200 and "Mijn uren" in html(r)


def test_employer_reopens_corrects_and_approves_hours_on_the_page(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session)   # Monday 08:00-16:30, approved
    login(client, "employer_b")
    other = html(client.get("/employer/timesheets?from=2026-03-01"))
    assert client.post(f"/employer/timesheets/{a}/reopen", data={"csrf_token": csrf_token(other)}).status_code == 404
    login(client, "employer_a")
    page = html(client.get("/employer/timesheets?from=2026-03-01"))
    assert "Heropenen" in page
    r = client.post(f"/employer/timesheets/{a}/reopen", data={"csrf_token": csrf_token(page)})
    page = html(client.get(r.headers["Location"]))
    assert "De goedkeuring van de uren van Sanne Scholten op 9 mrt 2026 is ingetrokken" in page
    prefix = f"a{a}"
    assert re.search(rf'name="{prefix}-end"[^>]*value="16:30"', page)      # filled in with the hours
    r = client.post(f"/employer/timesheets/{a}/hours", data={
        f"{prefix}-csrf_token": csrf_token(page), f"{prefix}-day": "2026-03-09", f"{prefix}-start": "08:00",
        f"{prefix}-end": "15:00", f"{prefix}-break_minutes": "30"})
    page = html(client.get(r.headers["Location"]))
    assert "Uren gecorrigeerd" in page
    session.expire_all()
    sheet = session.scalar(select(Timesheet).where(Timesheet.assignment_id == a))
    assert sheet.status == "submitted" and sheet.end.astimezone(billing.AMS).strftime("%H:%M") == "15:00"
    client.post(f"/employer/timesheets/{a}/approve", data={"csrf_token": csrf_token(page)})
    session.expire_all()
    draft = billing.create_invoice(session, SYSTEM, {"employer_id": pool.employer_a, **MARCH})
    number = billing.finalize(session, SYSTEM, draft.id).number
    session.commit()
    page = html(client.get("/employer/timesheets?from=2026-03-01"))
    assert f"gefactureerd op {number}" in page and "Heropenen" not in page
    r = client.post(f"/employer/timesheets/{a}/reopen", data={"csrf_token": csrf_token(page)})
    assert "Niet heropend" in html(client.get(r.headers["Location"]))


def test_the_pool_sees_every_employers_hours_and_reopens_them(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session)
    b = work(client, pool, "employer_b", "worker_y", session=session, approve=False)
    login(client, "intermediary")
    page = html(client.get("/hours?from=2026-03-01"))
    assert "Groenwerk Twente BV" in page and "Glans Schoonmaak" in page    # both employers' hours
    assert "Sanne Scholten" in page and "Heropenen" in page and "Goedkeuren" in page
    only_b = html(client.get(f"/hours?from=2026-03-01&employer={pool.employer_b}"))
    assert "Heropenen" not in only_b and "Goedkeuren" in only_b             # employer A's approved hours left out
    r = client.post(f"/employer/timesheets/{b}/approve?employer={pool.employer_b}&from=2026-03-01",
                    data={"csrf_token": csrf_token(only_b)})
    assert r.status_code == 302 and f"employer={pool.employer_b}" in r.headers["Location"]
    r = client.post(f"/employer/timesheets/{a}/reopen?from=2026-03-01", data={"csrf_token": csrf_token(page)})
    after = html(client.get(r.headers["Location"]))
    assert "is ingetrokken" in after
    session.expire_all()
    statuses = {s.assignment_id: s.status for s in session.scalars(select(Timesheet))}
    assert statuses == {a: "submitted", b: "approved"}
    login(client, "employer_a")
    assert client.get("/hours").status_code == 403


def test_approve_takes_the_hours_as_edited_in_the_form(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session, approve=False)   # 08:00-16:30
    login(client, "employer_a")
    page = html(client.get("/employer/timesheets"))
    prefix = f"a{a}"
    form = {f"{prefix}-csrf_token": csrf_token(page), f"{prefix}-day": "2026-03-09", f"{prefix}-start": "08:00",
            f"{prefix}-end": "14:00", f"{prefix}-break_minutes": "30", "action": "approve"}
    refused = html(client.post(f"/employer/timesheets/{a}/hours", data={**form, f"{prefix}-day": "2026-03-11"}))
    assert "Niet opgeslagen: Begin: moet binnen 12 uur" in refused                 # 2 days after the plan
    assert re.search(rf'name="{prefix}-day"[^>]*value="2026-03-11"', refused)      # kept as typed
    r = client.post(f"/employer/timesheets/{a}/hours", data=form)
    assert "goedgekeurd" in html(client.get(r.headers["Location"]))
    session.expire_all()
    sheet = session.scalar(select(Timesheet).where(Timesheet.assignment_id == a))
    assert sheet.status == "approved" and sheet.end.astimezone(billing.AMS).strftime("%H:%M") == "14:00"
    assert 'data-confirm="' in html(client.get("/employer/timesheets?from=2026-03-01"))   # reopening asks first


def test_the_draft_page_says_what_waits_and_what_changed(client, pool, session):
    from datetime import timedelta
    work(client, pool, "employer_a", "worker_x", session=session, approve=False)       # Monday: not approved
    tuesday = work(client, pool, "employer_a", "worker_x", start=MONDAY + timedelta(days=1), session=session)
    other = work(client, pool, "employer_a", "worker_y", session=session)
    draft = billing.create_invoice(session, SYSTEM, {"employer_id": pool.employer_a, **MARCH})
    session.commit()
    assert draft.note is None                       # nothing internal goes on the buyer's document
    login(client, "intermediary")
    page = html(client.get(f"/invoices/{draft.id}"))
    assert 'id="waiting"' in page and "Sanne Scholten, di 10 mrt 2026: wacht op 1 eerdere dienst" in page
    assert 'id="changed"' not in page
    client.post(f"/api/v1/assignments/{other}/timesheet/reopen", headers=pool.headers("intermediary"))
    page = html(client.get(f"/invoices/{draft.id}"))
    assert 'id="changed"' in page and "kan niet meer definitief worden" in page
    login(client, "employer_a")
    assert 'id="waiting"' not in html(client.get(f"/employer/invoices/{draft.id}"))   # the pool's work list


def test_swapped_times_are_saved_as_a_night_but_flagged(client, pool, session):
    """15:00 to 07:00 is worked hours into the next morning (the hours are allowed: they were worked),
    so the page says how long that is and marks the end as the next day."""
    a = work(client, pool, "employer_a", "worker_x", session=session, approve=False)   # Mon 08:00-16:30
    login(client, "employer_a")
    page = html(client.get("/employer/timesheets"))
    prefix = f"a{a}"
    r = client.post(f"/employer/timesheets/{a}/hours", data={
        f"{prefix}-csrf_token": csrf_token(page), f"{prefix}-day": "2026-03-09", f"{prefix}-start": "15:00",
        f"{prefix}-end": "07:00", f"{prefix}-break_minutes": "30", "action": "save"})
    after = html(client.get(r.headers["Location"]))
    assert "Let op: dit zijn 15,5 uur werk, van ma 9 mrt 15:00 tot di 10 mrt 07:00" in after
    assert re.search(r"ma 9 mrt 08:00–16:30</td>", after)                 # the plan: one day
    client.post(f"/employer/timesheets/{a}/approve", data={"csrf_token": csrf_token(after)})
    approved = html(client.get("/employer/timesheets?from=2026-03-01"))
    assert "ma 9 mrt 15:00–07:00 (+1)" in approved                         # ends the next day


def test_hours_of_a_cancelled_shift_do_not_wait_for_approval(client, pool, session):
    a = work(client, pool, "employer_a", "worker_x", session=session, approve=False)
    assert client.patch(f"/api/v1/assignments/{a}", headers=pool.headers("intermediary"),
                        json={"status": "cancelled"}).status_code == 200
    login(client, "employer_a")
    page = html(client.get("/employer/timesheets"))
    assert "Sanne Scholten" not in page and "Geen uren die wachten op goedkeuring." in page


def test_hours_approved_today_are_listed_under_approved_since_whenever_they_were_worked(client, pool, session):
    """The page lists the hours "approved since" a day (by default 8 weeks ago): hours of a shift
    worked long before (March 2026) that the employer approves now stay on the page, with the
    button to reopen them, instead of vanishing once approved."""
    a = work(client, pool, "employer_a", "worker_x", approve=False, session=session)
    login(client, "employer_a")
    page = html(client.get("/employer/timesheets"))
    assert f'/employer/timesheets/{a}/hours' in page
    client.post(f"/employer/timesheets/{a}/approve", data={"csrf_token": csrf_token(page)})
    page = html(client.get("/employer/timesheets"))
    assert "Geen uren die wachten op goedkeuring." in page
    assert f"/employer/timesheets/{a}/reopen" in page and "Sanne Scholten" in page
    login(client, "intermediary")
    assert f"/employer/timesheets/{a}/reopen" in html(client.get("/hours"))
    tomorrow = (today_local() + timedelta(days=1)).isoformat()
    assert f"/employer/timesheets/{a}/reopen" not in html(client.get(f"/hours?from={tomorrow}"))


def test_hours_typed_over_the_night_the_clocks_go_back_count_the_hour_twice(client, pool, session):
    """The night of 24 to 25 October 2026 has an hour more: 17:00 to 06:00 is 14 h of work, not 13,
    and 06:00 to 05:30 the next morning is 24.5 h, more than a timesheet covers (24 h)."""
    from tests.banenpool.test_billing import AMS, make_assignment
    a = make_assignment(session, pool.employer_a, pool.worker_x, start=datetime(2026, 10, 24, 6, 0, tzinfo=AMS),
                        hours=12, break_minutes=0)
    login(client, "employer_a")
    prefix = f"a{a}"

    def save(start, end):
        page = html(client.get("/employer/timesheets"))
        r = client.post(f"/employer/timesheets/{a}/hours", data={
            f"{prefix}-csrf_token": csrf_token(page), f"{prefix}-day": "2026-10-24", f"{prefix}-start": start,
            f"{prefix}-end": end, f"{prefix}-break_minutes": "0", "action": "save"})
        return html(client.get(r.headers["Location"])) if r.status_code == 302 else html(r)

    assert "Niet opgeslagen" in save("06:00", "05:30")
    assert session.scalar(select(Timesheet).where(Timesheet.assignment_id == a)) is None
    after = save("17:00", "06:00")
    assert "Let op: dit zijn 14 uur werk, van za 24 okt 17:00 tot zo 25 okt 06:00" in after
    session.expire_all()
    sheet = session.scalar(select(Timesheet).where(Timesheet.assignment_id == a))
    assert sheet.end - sheet.start == timedelta(hours=14)
