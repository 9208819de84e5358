"""Log in and click through the pages in headless Chromium; screenshots land in BANENPOOL_SCREENSHOTS."""
import re

from tests.conftest import PASSWORD
from tests.web.pages_data import WEEK, staff


def log_in(page, live_url, who):
    page.goto(f"{live_url}/login")
    page.get_by_label("E-mailadres").fill(f"{who}@test.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_intermediary_sees_the_week_schedule_and_switches_to_english(app, session, pool, live_url, page, shot):
    staff(app, session, pool)
    log_in(page, live_url, "intermediary")
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.get_by_role("link", name="Weekrooster").click()
    page.goto(f"{live_url}/schedule?week={WEEK}")
    assert page.get_by_role("heading", name="Weekrooster · week 13, 2026").is_visible()     # WEEK, as people say it
    row = page.get_by_role("row").filter(has_text="Sanne Scholten")
    cells = page.locator(".shift")
    assert cells.count() == 4 and cells.first.is_visible()
    assert "07:00–15:30" in page.locator("table.grid").inner_text()
    assert row.count() == 1
    colour = cells.filter(has_text="Glans Schoonmaak").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(255, 183, 3)"
    shot(page, "intermediary-week-nl")

    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Week schedule · week 13, 2026").is_visible()
    assert page.get_by_role("link", name="next week →").is_visible()
    shot(page, "intermediary-week-en")
    page.get_by_role("link", name="next week →").click()
    page.wait_for_url(re.compile(r"week=2026-W14"))
    assert page.locator(".shift").count() == 0

    page.goto(f"{live_url}/coverage?from=2026-03-23&to=2026-03-29")
    assert page.locator("svg.chart rect").count() >= 5
    shot(page, "intermediary-coverage-en")
    page.goto(f"{live_url}/open-shifts")
    assert page.get_by_text("no worker has skill heftruck").is_visible()
    shot(page, "intermediary-open-shifts-en")
    page.goto(f"{live_url}/caos?a=hoveniers&b=taxi&lang=nl")
    assert page.locator(".badge.example").first.is_visible()
    shot(page, "intermediary-caos-nl")


def test_employer_creates_a_capacity_request_and_sees_its_shifts(app, session, pool, live_url, page, shot):
    log_in(page, live_url, "employer_a")
    page.wait_for_url(re.compile(r"/employer/requests$"))
    page.get_by_label("Titel").fill("Snoeiwerk Hengelo")
    page.get_by_label("Vaardigheden (met komma’s)").fill("groen")
    page.get_by_label("Van").fill("2026-04-06")
    page.get_by_label("Tot en met").fill("2026-04-19")
    line = page.locator("table.lines tbody tr").first
    line.get_by_label("Dag").select_option(label="dinsdag")
    line.get_by_label("Begin").fill("08:00")
    line.get_by_label("Einde").fill("16:30")
    line.get_by_label("Pauze (min)").fill("30")
    line.get_by_label("Medewerkers").fill("2")
    second = page.locator("table.lines tbody tr").nth(1)
    second.get_by_label("Dag").select_option(label="zaterdag")
    second.get_by_label("Begin").fill("22:00")
    second.get_by_label("Einde").fill("06:00")
    shot(page, "employer-request-form")
    page.get_by_role("button", name="Aanvraag maken").click()
    page.wait_for_url(re.compile(r"/employer/requests/\d+$"))
    assert page.get_by_text("Aanvraag „Snoeiwerk Hengelo” gemaakt met 4 diensten.").is_visible()
    body = page.locator("main").inner_text()
    assert "di 7 apr 08:00" in body and "za 18 apr 22:00" in body and "Diensten (4)" in body
    shot(page, "employer-request-created")
    page.get_by_role("link", name="Bezette diensten").click()
    assert page.get_by_role("heading", name=re.compile("Bezette diensten")).is_visible()


def test_intermediary_staffs_a_shift_from_the_week_schedule(app, session, pool, live_url, page, shot):
    """A shift in the week schedule opens its staffing page; cancelling asks first, and the freed
    place is given to the other worker from the list of who can take it."""
    staff(app, session, pool)
    log_in(page, live_url, "intermediary")
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.goto(f"{live_url}/schedule?week={WEEK}")
    page.locator("a.shift").filter(has_text="Glans Schoonmaak").click()
    page.wait_for_url(re.compile(r"/shifts/\d+/staff$"))
    assert page.get_by_text("1 van 1 plaatsen gevuld").is_visible()
    assert page.get_by_text("De dienst heeft al zijn medewerkers.").is_visible()
    assigned = page.locator("table").first.inner_text()
    other = "Daan Nijhuis" if "Sanne Scholten" in assigned else "Sanne Scholten"

    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Afzeggen").click()
    assert asked and asked[0].startswith("Deze dienst van")
    assert page.get_by_text("1 van 1 plaatsen gevuld").is_visible()     # dismissed: nothing changed
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Afzeggen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Afgezegd; het rooster en de agenda van de medewerker tonen het.").is_visible()
    assert page.get_by_text("0 van 1 plaatsen gevuld").is_visible()
    row = page.get_by_role("row").filter(has_text=other)
    row.get_by_role("button", name="Toewijzen").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{other} heeft de dienst").is_visible()
    assert page.get_by_text("1 van 1 plaatsen gevuld").is_visible()
    shot(page, "intermediary-staff-shift-nl")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_intermediary_registers_a_worker_in_the_form(app, session, pool, live_url, page, shot):
    log_in(page, live_url, "intermediary")
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.goto(f"{live_url}/workers")
    page.get_by_role("link", name="Nieuwe medewerker").click()
    page.get_by_label("Naam").fill("Mila de Vries")
    page.get_by_label("Geboortedatum").fill("2020-01-01")            # too young: refused, kept
    page.get_by_label("Vaardigheden (met komma’s)").fill("groen")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text("een poolmedewerker is minstens 15 jaar oud").is_visible()
    assert page.get_by_label("Naam").input_value() == "Mila de Vries"
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "intermediary-new-worker-refused-nl")
    page.get_by_label("Geboortedatum").fill("2001-05-17")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r"/workers/\d+$"))
    assert page.get_by_text("Mila de Vries is ingeschreven").is_visible()


def test_the_pools_new_pages_keep_a_phones_width(app, session, pool, live_url, page, shot):
    """Payroll sharing, a worker's page (logins, contracts with their last day), an employer's page
    and the hours page at 375 px: tables scroll inside, the page itself does not."""
    staff(app, session, pool)
    log_in(page, live_url, "intermediary")
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.set_viewport_size({"width": 375, "height": 800})
    for path, name in (("/payroll?from=2026-03-01&to=2026-03-31", "payroll"), (f"/workers/{pool.worker_x}", "worker"),
                       (f"/employers/{pool.employer_a}", "employer"), ("/hours", "hours"),
                       (f"/workers/{pool.worker_x}/availability", "availability")):
        page.goto(f"{live_url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        shot(page, f"intermediary-{name}-375-nl")
