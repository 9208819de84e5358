"""Closing a payroll period: the statement as paid is kept, later differences are shown and paid
once, as a correction in the next period closed."""
import csv
import io
from datetime import date, timedelta

from banenpool.models import PayrollPeriod
from tests.banenpool.test_billing import MONDAY, work
from tests.banenpool.test_payroll_guarantee import WEDNESDAY, contract
from tests.web.pages_data import csrf_token, login

MARCH = {"period_start": "2026-03-01", "period_end": "2026-03-31"}
APRIL = {"period_start": "2026-04-01", "period_end": "2026-04-30"}
MAY = {"period_start": "2026-05-01", "period_end": "2026-05-31"}
LATER = MONDAY + timedelta(days=7)      # Monday 16 March


def statement(client, pool, period, who="intermediary"):
    r = client.get(f"/api/v1/payroll?period_start={period['period_start']}&period_end={period['period_end']}",
                   headers=pool.headers(who))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def close(client, pool, period, who="intermediary", **extra):
    return client.post("/api/v1/payroll/periods", headers=pool.headers(who), json={**period, **extra})


def corrections(data):
    return [(row["worker_name"], part["employer_id"], part["cao_code"], part["hours"], part["gross_pay"],
             part["wage_cost"], part["correction_of"]["period_start"])
            for row in data["workers"] for part in row["employers"] if part["correction_of"]]


def test_a_closed_period_keeps_its_statement_and_a_later_difference_is_paid_once(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)          # 8 h hoveniers, 129.60
    late = work(client, pool, "employer_b", "worker_x", start=LATER, approve=False, session=session)
    before = statement(client, pool, MARCH)
    assert before["closed"] is None and before["totals"]["wage_cost"] == "129.60"
    r = close(client, pool, MARCH)
    assert r.status_code == 201, r.get_json()
    closed = r.get_json()
    assert closed["closed"]["closed_by_email"] == "intermediary@test.example" and closed["closed"]["closed_at"]
    assert closed["workers"] == before["workers"] and closed["differences"] == []

    # the employer approves the hours of 16 March after the period was paid
    assert client.post(f"/api/v1/assignments/{late}/timesheet/approve",
                       headers=pool.headers("employer_b")).status_code == 200
    march = statement(client, pool, MARCH)
    assert march["workers"] == before["workers"] and march["totals"] == before["totals"]    # as paid
    assert march["closed"]["id"] == closed["closed"]["id"]
    (difference,) = march["differences"]
    assert (difference["worker_name"], difference["employer_id"], difference["cao_code"]) == (
        "Sanne Scholten", pool.employer_b, "schoonmaak")
    assert (difference["difference"]["hours"], difference["difference"]["wage_cost"]) == ("8.00", "129.60")
    assert difference["carried"]["wage_cost"] == "0.00" and difference["outstanding"]["wage_cost"] == "129.60"

    # the next period carries it, once, until a period closed after it has it
    assert corrections(statement(client, pool, APRIL)) == [
        ("Sanne Scholten", pool.employer_b, "schoonmaak", "8.00", "120.00", "129.60", "2026-03-01")]
    assert corrections(statement(client, pool, MAY)) == corrections(statement(client, pool, APRIL))
    april = close(client, pool, APRIL).get_json()
    assert april["totals"]["wage_cost"] == "129.60" and len(corrections(april)) == 1
    assert corrections(statement(client, pool, MAY)) == []
    (difference,) = statement(client, pool, MARCH)["differences"]
    assert difference["carried"]["wage_cost"] == "129.60" and difference["outstanding"]["wage_cost"] == "0.00"
    assert [p["period_start"] for p in difference["carried_in"]] == ["2026-04-01"]
    assert statement(client, pool, APRIL)["differences"] == []      # its own hours did not change

    # hours of March corrected down later: nothing is reclaimed while they are reopened, the next
    # open period reclaims the difference once they are approved again
    assert client.post(f"/api/v1/assignments/{late}/timesheet/reopen",
                       headers=pool.headers("employer_b")).status_code == 200
    assert corrections(statement(client, pool, MAY)) == []
    assert [d["held"] for d in statement(client, pool, MARCH)["differences"]] == [True]
    assert client.put(f"/api/v1/assignments/{late}/timesheet", headers=pool.headers("employer_b"), json={
        "start": LATER.isoformat(), "end": (LATER + timedelta(hours=6.5)).isoformat(),
        "break_minutes": 30}).status_code == 200
    assert client.post(f"/api/v1/assignments/{late}/timesheet/approve",
                       headers=pool.headers("employer_b")).status_code == 200
    assert corrections(statement(client, pool, MAY)) == [
        ("Sanne Scholten", pool.employer_b, "schoonmaak", "-2.00", "-30.00", "-32.40", "2026-03-01")]
    may = statement(client, pool, MAY)
    assert may["totals"]["wage_cost"] == "-32.40" and may["workers"][0]["employers"][0]["share"] is None

    listed = client.get("/api/v1/payroll/periods", headers=pool.headers("intermediary")).get_json()
    assert [(p["closed"]["period_start"], p["totals"]["wage_cost"]) for p in listed] == [
        ("2026-03-01", "129.60"), ("2026-04-01", "129.60")]


def test_the_kept_statement_is_read_not_computed(client, pool, session):
    """What is kept is what is shown: even a statement no computation would give today."""
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    assert close(client, pool, MARCH).status_code == 201
    period = session.query(PayrollPeriod).one()
    kept = dict(period.statement)
    kept["totals"] = {**kept["totals"], "wage_cost": "1.23"}
    period.statement = kept
    session.commit()
    assert statement(client, pool, MARCH)["totals"]["wage_cost"] == "1.23"


def test_closing_refuses_overlaps_unfinished_periods_and_bad_input(client, pool, session):
    assert close(client, pool, MARCH).status_code == 201
    r = close(client, pool, {"period_start": "2026-03-31", "period_end": "2026-04-30"})
    assert r.status_code == 409 and r.get_json()["rules"] == ["payroll_period_overlap"]
    assert "2026-03-01" in r.get_json()["message"]
    assert close(client, pool, MARCH).get_json()["rules"] == ["payroll_period_overlap"]
    for body, field in (({"period_start": "2026-04-30", "period_end": "2026-04-01"}, "period_end"),
                        ({"period_end": "2026-04-30"}, "period_start"),
                        ({"period_start": "2026-04-01", "period_end": "30-4-2026"}, "period_end"),
                        ({**APRIL, "accept_incomplete": "perhaps"}, "accept_incomplete"),
                        ({"period_start": "2026-04-01", "period_end": (date.today() + timedelta(days=2)).isoformat()},
                         "period_end")):
        r = client.post("/api/v1/payroll/periods", headers=pool.headers("intermediary"), json=body)
        assert r.status_code == 422 and list(r.get_json()["errors"]["json"]) == [field], (body, r.get_json())
    overlapping = statement(client, pool, {"period_start": "2026-03-15", "period_end": "2026-04-15"})
    assert overlapping["overlapping_closed"] == [{"id": 1, "period_start": "2026-03-01", "period_end": "2026-03-31"}]
    assert session.query(PayrollPeriod).count() == 1


def test_closing_a_statement_that_leaves_hours_out_needs_saying_so(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    work(client, pool, "employer_a", "worker_x", start=WEDNESDAY, hours=4.5, approve=False,
         session=session)   # registered, not approved yet: the week's top-up waits for them
    r = close(client, pool, MARCH)
    assert r.status_code == 409 and r.get_json()["rules"] == ["payroll_incomplete"]
    assert "1 guarantees left out" in r.get_json()["message"]
    r = close(client, pool, MARCH, accept_incomplete=True)
    assert r.status_code == 201
    assert [g["code"] for g in r.get_json()["guarantees_left_out"]] == ["waiting"]
    assert [g["code"] for g in statement(client, pool, MARCH)["guarantees_left_out"]] == ["waiting"]


def test_only_the_intermediary_closes_and_lists_periods(client, pool, session):
    for who, status in (("employer_a", 403), ("worker_x", 403), ("anonymous", 401)):
        assert close(client, pool, MARCH, who).status_code == status
        assert client.get("/api/v1/payroll/periods", headers=pool.headers(who)).status_code == status
    assert session.query(PayrollPeriod).count() == 0
    assert close(client, pool, MARCH).status_code == 201
    for who in ("employer_a", "worker_x"):
        assert client.get("/api/v1/payroll?period_start=2026-03-01&period_end=2026-03-31",
                          headers=pool.headers(who)).status_code == 403


def test_the_csv_follows_the_kept_statement_and_lists_corrections_and_top_ups_left_out(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    late = work(client, pool, "employer_b", "worker_x", start=LATER, approve=False, session=session)
    close(client, pool, MARCH)
    client.post(f"/api/v1/assignments/{late}/timesheet/approve", headers=pool.headers("employer_b"))

    def lines(period):
        r = client.get(f"/api/v1/payroll/export?period_start={period['period_start']}&period_end="
                       f"{period['period_end']}", headers=pool.headers("intermediary"))
        return list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    (march,) = lines(MARCH)
    assert (march["employer_id"], march["wage_cost"], march["share"], march["line"]) == (
        str(pool.employer_a), "129.60", "1.0000", "pay")
    (april,) = lines(APRIL)
    assert (april["employer_id"], april["hours"], april["wage_cost"], april["share"], april["line"], april["note"]) == (
        str(pool.employer_b), "8.00", "129.60", "", "correction", "correctie periode 2026-03-01 t/m 2026-03-31")
    contract(client, pool, "worker_y", "employer_a", "min_max", "12", start="2026-04-01")
    work(client, pool, "employer_a", "worker_y", start=MONDAY + timedelta(days=28), hours=4.5, approve=False,
         session=session)
    left = [line for line in lines(APRIL) if line["line"] == "guarantee_left_out"]
    assert [(line["worker_name"], line["employer_id"], line["wage_cost"], line["note"]) for line in left] == [
        ("Daan Nijhuis", str(pool.employer_a), "", "week 2026-04-06: waiting")]


def test_the_dutch_page_closes_a_period_and_shows_it_closed_with_its_differences(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    late = work(client, pool, "employer_b", "worker_x", start=LATER, approve=False, session=session)
    login(client, "intermediary")
    page = client.get("/payroll?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "Periode afsluiten" in page
    r = client.post("/payroll/close?from=2026-03-01&to=2026-03-31", data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Periode afgesloten" in page and "definitief" in page and "intermediary@test.example" in page
    assert "Periode afsluiten" not in page
    client.post(f"/api/v1/assignments/{late}/timesheet/approve", headers=pool.headers("employer_b"))
    page = client.get("/payroll?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "Verschillen sinds het afsluiten" in page and "€\xa0129,60" in page
    page = client.get("/payroll?from=2026-04-01&to=2026-04-30").get_data(as_text=True)
    assert "correctie periode 1 mrt 2026 t/m 31 mrt 2026" in page and "Glans Schoonmaak" in page
    r = client.post("/payroll/close?from=2026-03-15&to=2026-04-15", data={"csrf_token": csrf_token(page)})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Niet afgesloten: deze periode overlapt een afgesloten loonperiode" in page
    login(client, "employer_a")
    assert client.post("/payroll/close?from=2026-04-01&to=2026-04-30",
                       data={"csrf_token": csrf_token(page)}).status_code == 403


def test_the_reason_hours_cannot_be_priced_is_said_in_the_page_language(client, pool, session):
    from contracts.formats import day as written_day
    from tests.banenpool.test_invoice_pay_review import work_before_the_cao_starts
    _, day, first = work_before_the_cao_starts(client, pool, session)
    assert close(client, pool, {"period_start": day.isoformat(), "period_end": day.isoformat()}).get_json()[
        "rules"] == ["payroll_incomplete"]
    login(client, "intermediary")
    page = client.get(f"/payroll?from={day}&to={day}").get_data(as_text=True)
    assert (f"de cao zoetwaren van de werkgever heeft geen versie die geldt op {written_day(day, 'nl', year=True)} "
            f"(de eerste versie begint op {written_day(first, 'nl', year=True)})") in page
    assert "cannot be priced" not in page and "Toch afsluiten" in page
    page = client.get(f"/payroll?from={day}&to={day}&lang=en").get_data(as_text=True)
    assert "CAO zoetwaren has no version in force on" in page and "its first version starts on" in page


def test_two_periods_closed_at_once_carry_a_correction_once(app, client, pool, session):
    """Closings take turns: the second sees the first one's kept corrections and does not carry them again."""
    import threading

    from banenpool.principal import SYSTEM
    from banenpool.services import payroll
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    late = work(client, pool, "employer_b", "worker_x", start=LATER, approve=False, session=session)
    close(client, pool, MARCH)
    client.post(f"/api/v1/assignments/{late}/timesheet/approve", headers=pool.headers("employer_b"))
    barrier, kept, errors = threading.Barrier(2), {}, []

    def closing(period):
        try:
            with app.extensions["banenpool.sessionmaker"]() as own:
                barrier.wait(timeout=10)
                start, end = (date.fromisoformat(period[k]) for k in ("period_start", "period_end"))
                kept[start] = payroll.close(own, SYSTEM, start, end)
                own.commit()
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=closing, args=(p,)) for p in (APRIL, MAY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    carried = [len(corrections(statement(client, pool, p))) for p in (APRIL, MAY)]
    assert sorted(carried) == [0, 1]
    (difference,) = statement(client, pool, MARCH)["differences"]
    assert difference["carried"]["wage_cost"] == "129.60" and difference["outstanding"]["wage_cost"] == "0.00"


def test_a_period_not_over_yet_is_refused_on_the_page_in_its_language(client, pool, session):
    login(client, "intermediary")
    page = client.get("/payroll").get_data(as_text=True)
    last = date.today() + timedelta(days=2)
    r = client.post(f"/payroll/close?from={last.replace(day=1)}&to={last}", data={"csrf_token": csrf_token(page)})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Niet afgesloten: Tot en met: de periode is nog niet voorbij; ze kan worden afgesloten vanaf" in page
    assert "not over yet" not in page
    assert session.query(PayrollPeriod).count() == 0


def test_the_page_offers_closing_only_a_period_that_is_over(client, pool, session):
    login(client, "intermediary")
    last = date.today() + timedelta(days=2)
    page = client.get(f"/payroll?from={last - timedelta(days=9)}&to={last}").get_data(as_text=True)
    assert "action=\"/payroll/close" not in page
    assert "Deze periode is nog niet voorbij: ze kan worden afgesloten vanaf" in page
    page = client.get("/payroll?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "action=\"/payroll/close" in page and "nog niet voorbij" not in page


def test_a_payroll_period_is_at_most_a_year(client, pool, session):
    assert close(client, pool, {"period_start": "2024-01-01", "period_end": "2024-12-31"}).status_code == 201
    for body, days in (({"period_start": "1900-01-01", "period_end": "2023-12-31"}, 45290),
                       ({"period_start": "2023-01-01", "period_end": "2024-01-02"}, 367)):
        r = close(client, pool, body)
        assert r.status_code == 422, r.get_json()
        assert r.get_json()["errors"]["json"]["period_end"] == [
            f"a payroll period is at most 366 days; this one has {days}"]
        r = client.get(f"/api/v1/payroll?period_start={body['period_start']}&period_end={body['period_end']}",
                       headers=pool.headers("intermediary"))
        assert r.status_code == 422, r.get_json()
    assert session.query(PayrollPeriod).count() == 1
    login(client, "intermediary")
    r = client.get("/payroll?from=2023-01-01&to=2024-01-02")
    assert r.status_code == 422
    assert "een loonperiode beslaat hooguit 366 dagen; deze heeft er 367" in r.get_data(as_text=True)
