"""Messages in the reader's language and format: the compliance checks on the pages and in the API
(day, time and employer instead of ids; Dutch decimal comma), and the compliance screen's and the
planner's English texts shown in Dutch on the pool's plan pages."""
from datetime import date

from tests.web.pages_data import login
from tests.web.test_rules_api import _confirmed

TUESDAY = date(2026, 3, 10)


def _too_long(session, pool):
    """12,5 h of work at Groenwerk on Tuesday 10 March 2026 (06:00–19:15, 45 min break)."""
    return _confirmed(session, pool.worker_x, pool.employer_a, TUESDAY, "06:00", "19:15", brk=45)


def test_the_pool_worker_page_says_the_check_in_the_pages_language(client, pool, session):
    _too_long(session, pool)
    login(client, "intermediary")
    dutch = client.get(f"/workers/{pool.worker_x}?lang=nl").get_data(as_text=True)
    assert ("Dienstduur: 12,5 uur werk in dienst di 10 mrt 06:00–19:15 bij Groenwerk Twente BV; "
            "maximaal 12 uur") in dutch
    english = client.get(f"/workers/{pool.worker_x}?lang=en").get_data(as_text=True)
    assert ("Shift length: 12.5 h of work in duty Tue 10 Mar 06:00–19:15 at Groenwerk Twente BV; "
            "at most 12 h") in english


def test_the_checks_api_keeps_the_ids_in_assignment_ids_and_names_the_shift_in_the_message(client, pool, session):
    _too_long(session, pool)
    url = f"/api/v1/workers/{pool.worker_x}/checks?from=2026-03-09&to=2026-03-15"
    for lang, text in (("nl", "12,5 uur werk in dienst di 10 mrt 06:00–19:15 bij Groenwerk Twente BV"),
                       ("en", "12.5 h of work in duty Tue 10 Mar 06:00–19:15 at Groenwerk Twente BV")):
        body = client.get(f"{url}&lang={lang}", headers=pool.headers("intermediary")).get_json()
        (violation,) = [v for v in body["violations"] if v["rule"] == "ATW-shift-length"]
        assert text in violation["message"]
        (ident,) = violation["assignment_ids"]
        assert f"A{ident}" not in violation["message"]


# ---- the plan pages: the compliance screen's and the planner's English, said in the page's language ----

def test_a_left_out_proposal_reads_in_the_pages_language_and_the_api_stays_english(client, pool, session,
                                                                                  monkeypatch):
    from banenpool import queue
    from banenpool.models import Worker
    from tests.web.test_plan_compliance import MINOR_PATTERN, ROUND_THE_CLOCK, _available, _minor, _plan
    monkeypatch.setattr(queue.huey, "immediate", True)
    _minor(session, pool.worker_x)
    _available(client, pool, pool.worker_x, ROUND_THE_CLOCK)
    _available(client, pool, pool.worker_y, [])
    plan = _plan(client, pool, MINOR_PATTERN)
    name = session.get(Worker, pool.worker_x).name
    (slot,) = client.get(f"/api/v1/plans/{plan['id']}/unfilled", headers=pool.headers("intermediary")).get_json()
    stored = ("YOUTH-rest-12h: Rest: only 11.5 h rest between Mon 23 Mar 10:00–19:30 at Groenwerk Twente BV and "
              "Tue 24 Mar 07:00–11:30 at Groenwerk Twente BV; at least 12 h")
    assert slot["reasons"][0] == f"worker {pool.worker_x} left out: {stored}"      # the API: English, as stored
    login(client, "intermediary")
    dutch = client.get(f"/open-shifts?plan={plan['id']}&lang=nl").get_data(as_text=True)
    assert (f"{name} weggelaten: YOUTH-rest-12h: Rusttijd: slechts 11,5 uur rust tussen ma 23 mrt 10:00–19:30 "
            "bij Groenwerk Twente BV en di 24 mrt 07:00–11:30 bij Groenwerk Twente BV; minimaal 12 uur") in dutch
    english = client.get(f"/open-shifts?plan={plan['id']}&lang=en").get_data(as_text=True)
    assert f"{name} left out: {stored}" in english
    plans = client.get("/plans?lang=nl").get_data(as_text=True)
    assert 'title="YOUTH-rest-12h: Rusttijd: slechts 11,5 uur rust tussen ma 23 mrt' in plans
    assert 'title="YOUTH-rest-12h: Rest: only 11.5 h' in client.get("/plans?lang=en").get_data(as_text=True)


def test_a_plans_progress_and_failure_read_in_the_pages_language(client, pool, session):
    from datetime import date, datetime, timezone

    from banenpool.models import Plan
    now = datetime.now(timezone.utc)     # a heartbeat just now: not a stale plan
    running = Plan(started_at=now, heartbeat_at=now, start_date=date(2026, 3, 23), end_date=date(2026, 3, 29),
                   time_limit_seconds=10,
                   keep_published=True, status="running", progress=0.3, instance={}, fingerprint="x",
                   message="week 2/4: coverage: LP relaxation 1234.5 on 800 pairs; plan over them 1200.0")
    failed = Plan(start_date=date(2026, 3, 30), end_date=date(2026, 4, 5), time_limit_seconds=10,
                  keep_published=True, status="failed", progress=0.1, message="failed", instance={},
                  fingerprint="y",
                  error="the worker process stopped: no heartbeat since 2026-03-23T10:00:00+00:00")
    session.add_all([running, failed])
    session.commit()
    login(client, "intermediary")
    dutch = client.get("/plans?lang=nl").get_data(as_text=True)
    assert "week 2/4: bezetting: LP-relaxatie 1.234,5 op 800 paren; plan daarover 1.200" in dutch
    assert "het planningsproces is gestopt: geen teken van leven sinds ma 23 mrt 11:00" in dutch
    english = client.get("/plans?lang=en").get_data(as_text=True)
    assert "week 2/4: coverage: LP relaxation 1,234.5 on 800 pairs; plan over them 1,200" in english
    assert "the planning process stopped: no sign of life since Mon 23 Mar 11:00" in english


# ---- the CAO comparison: money and numbers in the page's (or the request's) format ----

def test_the_cao_comparison_writes_money_the_pages_way(client, pool):
    from datetime import date

    from contracts.cao import catalogue
    wage = catalogue().get("hoveniers", date(2026, 3, 2)).scale_wage(None)
    login(client, "intermediary")
    query = "a=hoveniers&b=zoetwaren&on=2026-03-02"
    dutch = client.get(f"/caos?{query}&lang=nl").get_data(as_text=True)
    assert f"€ {wage:.2f}".replace(".", ",") in dutch
    english = client.get(f"/caos?{query}&lang=en").get_data(as_text=True)
    assert f"€{wage:.2f}" in english and f"€ {wage:.2f}".replace(".", ",") not in english


def test_the_cao_move_api_writes_money_the_requests_way(client, pool):
    r = client.post(f"/api/v1/workers/{pool.worker_x}/contracts", headers=pool.headers("intermediary"),
                    json={"employer_id": pool.employer_a, "kind": "min_max", "hours_per_week": "12",
                          "cao_code": "hoveniers", "start_date": "2026-01-01"})
    assert r.status_code == 201, r.get_json()
    url = f"/api/v1/workers/{pool.worker_x}/cao-move?employer_id={pool.employer_b}&on=2026-03-02"
    dutch = client.get(url, headers=pool.headers("worker_x")).get_json()["changes"]
    english = client.get(f"{url}&lang=en", headers=pool.headers("worker_x")).get_json()["changes"]
    assert dutch[1].startswith("Wettelijk minimumloon voor ") and dutch[1].endswith("op 2 mrt 2026: € 14,71")
    assert english[1].startswith("Statutory minimum wage at age ") and english[1].endswith("on 2 Mar 2026: €14.71")
