"""When a week's guaranteed hours top-up is final (a shift the worker did not come to), contracts with
one employer stored over the same days, and a week split over two statements in euros."""
from datetime import date, datetime, timedelta
from decimal import Decimal

from banenpool.models import Contract
from banenpool.services.guarantee import top_ups
from tests.banenpool.test_billing import AMS, MONDAY, make_assignment, work
from tests.banenpool.test_payroll_guarantee import WEEK, contract, statement, worker_row
from tests.web.pages_data import login
from tests.web.test_plans import set_availability

WEDNESDAY = MONDAY + timedelta(days=2)   # 11 March 2026, 08:00–12:30


def _week(session, now):
    """The top-ups of the week of 9 March as they stand at `now` (Amsterdam time), nothing paid."""
    session.expire_all()
    return top_ups(session, date(2026, 3, 9), date(2026, 3, 15), {}, now=now.astimezone(AMS))


def test_a_shift_without_hours_holds_the_top_up_back_for_7_days_then_counts_as_not_worked(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    no_show = make_assignment(session, pool.employer_a, pool.worker_x, WEDNESDAY, hours=4.5)   # nobody came
    ended = WEDNESDAY + timedelta(hours=4.5)
    lines, (left,) = _week(session, ended + timedelta(days=7) - timedelta(minutes=1))
    assert lines == [] and (left["code"], left["waiting_on"]) == ("waiting", [no_show])
    (line,), left_out = _week(session, ended + timedelta(days=7))
    assert left_out == [] and (line["hours"], line["amount"], line["not_worked"]) == (
        Decimal("12.00"), Decimal("180.00"), [no_show])
    # through the statement (today is long after March): 5 h worked count, the shift without hours is named
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    data = statement(client, pool)
    (top_up,) = worker_row(data, pool.worker_x)["employers"][0]["guarantee_top_ups"]
    assert (top_up["paid_hours"], top_up["hours"], top_up["not_worked"]) == ("5.00", "7.00", [no_show])
    assert data["guarantees_left_out"] == []
    login(client, "intermediary")
    page = client.get("/payroll?from=2026-03-09&to=2026-03-15").get_data(as_text=True)
    assert "1 dienst zonder uren, geteld als niet gewerkt" in page


def test_hours_registered_but_not_approved_still_hold_it_back_after_7_days(client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    registered = work(client, pool, "employer_a", "worker_x", start=WEDNESDAY, hours=4.5, approve=False,
                      session=session)
    lines, (left,) = _week(session, WEDNESDAY + timedelta(days=30))
    assert lines == [] and (left["code"], left["waiting_on"]) == ("waiting", [registered])


def test_a_shift_the_worker_is_registered_absent_for_counts_as_not_worked_once_the_week_is_over(
        client, pool, session):
    contract(client, pool, "worker_x", "employer_a", "min_max", "12")
    sick = make_assignment(session, pool.employer_a, pool.worker_x, WEDNESDAY, hours=4.5)
    set_availability(client, pool, pool.worker_x, absences=[
        {"start": "2026-03-11T00:00:00+01:00", "end": "2026-03-12T00:00:00+01:00", "reason": "sick"}])
    next_monday = datetime(2026, 3, 16, 9, tzinfo=AMS)
    (line,), left_out = _week(session, next_monday)
    assert left_out == [] and (line["hours"], line["not_worked"]) == (Decimal("12.00"), [sick])
    # the week is not over yet: nothing is final
    lines, (left,) = _week(session, next_monday - timedelta(days=1))
    assert lines == [] and left["code"] == "week_not_over"


def test_two_contracts_with_one_employer_over_the_same_days_count_the_hours_once(client, pool, session):
    """Contract A (12 h, to Wednesday 11 March) and B (14 h, from Monday 9 March), stored before such
    overlaps were refused. Pay reads A while it runs, so the guarantee does too: A guarantees Monday
    to Wednesday (5.15 h, 5 h worked), B only Thursday to Sunday (14 × 4/7 = 8 h). Before, B guaranteed
    its whole week (14 h) on top of A: 14.15 h topped up for the same days."""
    first = contract(client, pool, "worker_x", "employer_a", "min_max", "12", end_date="2026-03-11")
    second = Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="min_max",
                      hours_per_week=Decimal(14), cao_code="hoveniers", start_date=date(2026, 3, 9))
    session.add(second)
    session.commit()
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    data = statement(client, pool)
    (part,) = worker_row(data, pool.worker_x)["employers"]
    a, b = part["guarantee_top_ups"]
    assert (a["contract_id"], a["days_in_force"], a["guaranteed_hours"], a["paid_hours"], a["hours"]) == (
        first, 3, "5.15", "5.00", "0.15")
    assert (b["contract_id"], b["days_in_force"], b["guaranteed_hours"], b["paid_hours"], b["hours"], b["amount"]) == (
        second.id, 4, "8.00", "0.00", "8.00", "120.00")
    assert part["guarantee_hours"] == "8.15"
    (left,) = data["guarantees_left_out"]
    assert (left["contract_id"], left["code"]) == (second.id, "contract_overlap")
    assert f"contract {first} with the same employer is in force on 2026-03-09 to 2026-03-11" in left["reason"]
    login(client, "intermediary")
    page = client.get("/payroll?from=2026-03-09&to=2026-03-15").get_data(as_text=True)
    assert "een ander contract met deze werkgever loopt over een deel van die dagen" in page


def test_a_week_split_over_two_statements_pays_the_whole_weeks_amount_to_the_cent(client, pool):
    """12 h at 15.25 = 183.00 for the week; split after Wednesday 5.14 h + 6.86 h, and each rounded
    on its own 78.39 + 104.62 = 183.01. The second statement pays what the first left: 104.61."""
    contract(client, pool, "worker_x", "employer_a", "min_max", "12", hourly_wage="15.25")

    def top_up(first, last):
        (part,) = worker_row(statement(client, pool, {"period_start": first, "period_end": last}),
                             pool.worker_x)["employers"]
        (line,) = part["guarantee_top_ups"]
        return line["hours"], line["rate"], line["amount"]
    assert top_up(WEEK["period_start"], WEEK["period_end"]) == ("12.00", "15.25", "183.00")
    assert top_up("2026-03-09", "2026-03-11") == ("5.14", "15.25", "78.39")
    assert top_up("2026-03-12", "2026-03-15") == ("6.86", "15.25", "104.61")


def test_a_contract_overlap_alone_does_not_keep_the_period_from_closing(client, pool, session):
    """The overlap is listed for the pool to end one of the contracts; no top-up is to come for it,
    so closing does not ask for accept_incomplete as it does for hours or top-ups still to come."""
    contract(client, pool, "worker_x", "employer_a", "min_max", "12", end_date="2026-03-11")
    session.add(Contract(worker_id=pool.worker_x, employer_id=pool.employer_a, kind="min_max",
                         hours_per_week=Decimal(14), cao_code="hoveniers", start_date=date(2026, 3, 9)))
    session.commit()
    work(client, pool, "employer_a", "worker_x", start=MONDAY, hours=5.5, session=session)
    r = client.post("/api/v1/payroll/periods", headers=pool.headers("intermediary"), json=WEEK)
    assert r.status_code == 201, r.get_json()
    assert [g["code"] for g in r.get_json()["guarantees_left_out"]] == ["contract_overlap"]
    work(client, pool, "employer_a", "worker_x", start=MONDAY + timedelta(days=7), hours=5.5, approve=False,
         session=session)    # registered, not approved: the next week's top-up is still to come
    r = client.post("/api/v1/payroll/periods", headers=pool.headers("intermediary"),
                    json={"period_start": "2026-03-16", "period_end": "2026-03-22"})
    assert r.status_code == 409 and r.get_json()["rules"] == ["payroll_incomplete"]
