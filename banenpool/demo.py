"""A believable Twente job pool for `banenpool demo`: employers, workers, contracts, a spring peak,
and the month before today worked: planned, hours registered and mostly approved, invoiced."""
from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

from banenpool.calendar_nl import local_datetime, today_local
from banenpool.config import Settings
from banenpool.db import make_engine, make_sessionmaker
from banenpool.migrate import upgrade
from banenpool.principal import SYSTEM
from banenpool.services import auth, capacity, registry

PASSWORD = "banenpool-demo"
PEAK_START, PEAK_END = date(2027, 3, 15), date(2027, 4, 25)  # spring peak, DST change on 28 March

# (name, kvk, cao, sector, street, postcode, city, lat, lon, tariff)
EMPLOYERS = [
    ("Groenwerk Twente BV", "61234501", "hoveniers", "groenonderhoud", "Hengelosestraat 120", "7521 AH", "Enschede", 52.2215, 6.8737, "1.85"),
    ("Taxi Centrale Hengelo", "61234502", "taxi", "taxi en zorgvervoer", "Enschedesestraat 40", "7552 CK", "Hengelo", 52.2598, 6.7931, "1.80"),
    ("Snelkoerier Oost", "61234503", "beroepsgoederenvervoer", "koeriers", "Industriestraat 9", "7553 CN", "Hengelo", 52.2680, 6.8010, "1.80"),
    ("Twentse Koekfabriek", "61234504", "zoetwaren", "voedingsindustrie", "Bornsestraat 200", "7601 GL", "Almelo", 52.3570, 6.6630, "1.90"),
    ("Avonturenpark Twentepoort", "61234505", "recreatie", "recreatie", "Parkweg 1", "7572 AA", "Oldenzaal", 52.3130, 6.9290, "1.75"),
    ("Glans Schoonmaak Twente", "61234506", "schoonmaak", "schoonmaak", "Oldenzaalsestraat 55", "7511 DZ", "Enschede", 52.2230, 6.9000, "1.85"),
    ("Logistiek Centrum Twente", "61234507", "beroepsgoederenvervoer", "logistiek", "Twentepoort West 10", "7609 RD", "Almelo", 52.3330, 6.6920, "1.80"),
    ("Hoveniersbedrijf De Esch", "61234508", "hoveniers", "groenonderhoud", "Eschweg 3", "7621 AB", "Borne", 52.3000, 6.7520, "1.85"),
]

# employer index → capacity requests: (title, skills, [(weekdays, start, end, break, headcount)])
REQUESTS = {
    0: ("Voorjaarsonderhoud plantsoenen", ["groen"], [((0, 1, 2, 3, 4), "07:00", "15:30", 30, 4)]),
    1: ("Ritten avond en weekend", ["rijbewijs-b", "chauffeurspas"], [((4, 5), "17:00", "23:00", 30, 2),
                                                                      ((0, 1, 2, 3, 4), "07:00", "10:00", 0, 2)]),
    2: ("Pakketpiek", ["rijbewijs-b"], [((0, 1, 2, 3, 4, 5), "08:00", "16:30", 30, 3)]),
    3: ("Paasproductie nachtploeg", ["hygiene"], [((0, 1, 2, 3), "22:00", "06:00", 30, 3),
                                                  ((0, 1, 2, 3, 4), "06:30", "15:00", 30, 3)]),
    4: ("Seizoensopening park", ["attractie"], [((5, 6), "09:30", "18:00", 30, 6)]),
    5: ("Kantoorschoonmaak gesplitste diensten", ["schoonmaak"], [((0, 1, 2, 3, 4), "06:00", "09:00", 0, 2),
                                                                   ((0, 1, 2, 3, 4), "17:30", "20:30", 0, 2)]),
    6: ("Orderpicken en heftruck", ["heftruck"], [((0, 1, 2, 3, 4), "06:00", "14:30", 30, 3)]),
    7: ("Aanleg tuinen", ["groen", "rijbewijs-b"], [((0, 1, 2, 3), "07:30", "16:00", 30, 2)]),
}

SKILLS_BY_SECTOR = [["groen"], ["rijbewijs-b", "chauffeurspas"], ["rijbewijs-b"], ["hygiene"],
                    ["attractie"], ["schoonmaak"], ["heftruck"], ["groen", "rijbewijs-b"]]
FIRST = ["Anouk", "Bram", "Daan", "Emma", "Fleur", "Gijs", "Hanna", "Ilse", "Jesse", "Kim", "Lars", "Lotte",
         "Milan", "Noa", "Olaf", "Pien", "Ruben", "Sanne", "Thijs", "Vera", "Wout", "Yara", "Zoë", "Bas",
         "Iris", "Joris", "Mila", "Niek", "Roos", "Stijn"]
LAST = ["Bosch", "Brinkman", "Jansen", "Kamphuis", "Lammerink", "Nijhuis", "Oude Elferink", "Pool",
        "Roerink", "Scholten", "Ten Brinke", "Velthuis", "Wessels", "Hofman", "Kuipers", "Morsink"]
TOWNS = [("7511", "Enschede", 52.2215, 6.8937), ("7551", "Hengelo", 52.2650, 6.7930),
         ("7607", "Almelo", 52.3560, 6.6620), ("7572", "Oldenzaal", 52.3130, 6.9290),
         ("7622", "Borne", 52.3000, 6.7520), ("7481", "Haaksbergen", 52.1560, 6.7390)]
WINDOWS = [((0, 1, 2, 3, 4), time(6), time(17)), ((0, 1, 2, 3, 4, 5), time(6), time(23, 59)),
           ((4, 5, 6), time(8), time(23, 59)), ((0, 1, 2, 3), time(21), time(7)),
           ((0, 1, 2, 3, 4, 5, 6), time(5, 30), time(21))]


PLAN_START, PLAN_END = PEAK_START, PEAK_START + timedelta(days=13)  # two weeks, the DST change inside
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


def worked_month(today: date) -> tuple[date, date]:
    """The calendar month before `today`: worked, its hours registered and invoiced in the demo."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def load_demo(settings: Settings, reset: bool = False, echo=print, plan: bool = True,
              time_limit: float = 30) -> dict:
    if reset and settings.database_url.startswith("sqlite:///"):
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    maker = make_sessionmaker(engine)
    month = worked_month(today_local())
    with maker() as session:
        logins = build(session, month)
        session.commit()
    echo("Demo pool geladen: 8 werkgevers, 60 poolmedewerkers, voorjaarspiek "
         f"{PEAK_START:%d-%m-%Y} t/m {PEAK_END:%d-%m-%Y}.")
    summary = plan_and_publish(maker, PLAN_START, PLAN_END, time_limit, echo) if plan else None
    if plan:
        # the worked month gets the same limit: its last level needs ~11-17 s on a 2-core machine,
        # and the planner stops as soon as every level is proven
        plan_and_publish(maker, *month, time_limit, echo, include_started=True)
        work_and_invoice(maker, *month, echo)
    with maker() as session:
        logins += worker_logins(session)
        session.commit()
    engine.dispose()
    echo(f"Logins (wachtwoord voor allemaal: {PASSWORD}):")
    for role, email in logins:
        echo(f"  {role:<13} {email}")
    return {"logins": logins, "plan": summary}


def plan_and_publish(maker, start: date, end: date, time_limit: float, echo=print,
                     include_started: bool = False) -> dict:
    """Plan start..end (the first two weeks of the peak, the worked month) in this process and
    publish the result. The worked month lies in the past: it is planned with `include_started`,
    as if the plan had been made before it began."""
    from banenpool.services.planning import create_plan, publish_plan, run_plan
    with maker() as session:
        plan = create_plan(session, SYSTEM, start, end, time_limit, include_started=include_started)
        session.commit()
        plan_id = plan.id
    echo(f"Planning {start:%d-%m} t/m {end:%d-%m-%Y} (max. {time_limit:g} s)...")
    run_plan(maker, plan_id)
    with maker() as session:
        plan = publish_plan(session, SYSTEM, plan_id)
        session.commit()
        result = plan.result or {}
        metrics = result.get("metrics", {})
        echo(f"Plan {plan_id} gepubliceerd ({result.get('status')}): {metrics.get('covered_hours', 0):g} van "
             f"{metrics.get('demand_hours', 0):g} uur gedekt, {len(result.get('unfilled', []))} diensten met open plekken.")
        return {"id": plan_id, "metrics": metrics}


def work_and_invoice(maker, start: date, end: date, echo=print) -> None:
    """The worked month as the pool lives it: hours registered on every confirmed shift (some
    a quarter later or earlier than planned), approved by the employers but for part of the
    last week (waiting on the employer's page) and a few not yet registered (on the worker's
    page); a draft invoice per employer, the first four made final."""
    from sqlalchemy import select

    from banenpool.errors import Conflict, InvalidInput
    from banenpool.models import Assignment, Shift
    from banenpool.services import billing, timesheets
    from banenpool.services.shifts import day_bounds
    from banenpool.db import utcnow
    rng, now = random.Random(f"{start}"), utcnow()
    lo, hi = day_bounds(start, end)
    last_week = hi - timedelta(days=7)
    with maker() as session:
        rows = session.execute(select(Assignment.id, Shift.start, Shift.end, Shift.break_minutes)
                               .join(Shift, Assignment.shift_id == Shift.id)
                               .where(Assignment.status == "confirmed", Shift.start >= lo, Shift.start < hi)
                               .order_by(Shift.start, Assignment.id)).all()
        approved = waiting = 0
        for assignment_id, begin, finish, pause in rows:
            late = begin >= last_week
            if late and rng.random() < 0.15:
                continue                                    # not registered yet
            quarter = timedelta(minutes=15)
            shift = rng.random()
            begin, finish = (begin + quarter, finish) if shift < 0.08 else (
                (begin, finish + quarter) if shift < 0.2 else (begin, finish))
            if finish > now:
                continue                                    # a night into today: not worked yet
            timesheets.submit(session, SYSTEM, assignment_id, {"start": begin, "end": finish,
                                                               "break_minutes": pause})
            if late and rng.random() < 0.4:
                waiting += 1
                continue
            timesheets.approve(session, SYSTEM, assignment_id)
            approved += 1
        session.commit()
        finals = drafts = 0
        for employer in registry.list_employers(session, SYSTEM):
            try:
                invoice = billing.create_invoice(session, SYSTEM, {"employer_id": employer.id,
                                                                   "period_start": start, "period_end": end})
                session.flush()
                if finals < 4:
                    billing.finalize(session, SYSTEM, invoice.id)
                    finals += 1
                else:
                    drafts += 1
                session.commit()
            except (Conflict, InvalidInput):
                session.rollback()
    echo(f"{MONTHS[start.month - 1].capitalize()} {start.year} gewerkt: {approved} diensten met goedgekeurde uren, "
         f"{waiting} wachten op goedkeuring, {len(rows) - approved - waiting} nog niet geregistreerd; "
         f"{finals} definitieve facturen, {drafts} concepten.")


def worker_logins(session) -> list[tuple[str, str]]:
    """Logins for five workers whose combined schedule shows what the pool does: those with
    confirmed shifts at the most employers (then the most shifts); the first five without a plan."""
    from sqlalchemy import func, select

    from banenpool.models import Assignment, Shift, Worker
    ranked = session.execute(
        select(Assignment.worker_id).join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.status == "confirmed").group_by(Assignment.worker_id)
        .order_by(func.count(func.distinct(Shift.employer_id)).desc(), func.count().desc(), Assignment.worker_id)
        .limit(5)).scalars().all()
    ids = sorted(ranked) or session.scalars(select(Worker.id).order_by(Worker.id).limit(5)).all()
    logins = []
    for n, worker_id in enumerate(ids):
        email = f"medewerker{n + 1}@banenpool.test"
        auth.create_user(session, SYSTEM, email=email, password=PASSWORD, role="worker", worker_id=worker_id)
        logins.append(("worker", f"{email}  ({session.get(Worker, worker_id).name})"))
    return logins


def build(session, month: tuple[date, date]) -> list[tuple[str, str]]:
    rng = random.Random(2027)
    logins = [("intermediary", "planner@banenpool.test")]
    auth.create_user(session, SYSTEM, email="planner@banenpool.test", password=PASSWORD, role="intermediary")
    employers = [_employer(session, row) for row in EMPLOYERS]
    for i, employer in enumerate(employers):
        email = f"werkgever{i + 1}@banenpool.test"
        auth.create_user(session, SYSTEM, email=email, password=PASSWORD, role="employer", employer_id=employer.id)
        logins.append(("employer", f"{email}  ({employer.name})"))
    for n in range(60):
        _worker(session, rng, n, employers, month)
    for index, (title, skills, lines) in REQUESTS.items():
        pattern = [{"weekday": d, "start": s, "end": e, "break_minutes": b, "headcount": h}
                   for days, s, e, b, h in lines for d in days]
        capacity.create_request(session, SYSTEM, {"employer_id": employers[index].id, "title": title,
                                                  "skills": skills, "start_date": PEAK_START,
                                                  "end_date": PEAK_END, "pattern": pattern})
        regular = pattern
        capacity.create_request(session, SYSTEM, {
            "employer_id": employers[index].id, "skills": skills, "start_date": month[0], "end_date": month[1],
            "title": f"Vaste bezetting {MONTHS[month[0].month - 1]} {month[0].year}", "pattern": regular})
    return logins


def _vat_id(kvk: str) -> str:
    """A made-up VAT id from the KvK number whose check digits are right (registry.vat_id_valid)."""
    return next(vat for unit in range(1, 100) for digit in range(10)
                if registry.vat_id_valid(vat := f"NL{kvk}{digit}B{unit:02d}"))


def _employer(session, row):
    name, kvk, cao, sector, street, postcode, city, lat, lon, tariff = row
    return registry.create_employer(session, SYSTEM, {
        "name": name, "kvk_number": kvk, "vat_number": _vat_id(kvk), "cao_code": cao, "sector": sector,
        "address": {"street": street, "postcode": postcode, "city": city},
        "location": {"lat": lat, "lon": lon}, "tariff_factor": Decimal(tariff),
        "invoice_email": f"facturen@{name.split()[0].lower()}.example"})


def _worker(session, rng: random.Random, n: int, employers, month: tuple[date, date]):
    home_sector = n % len(employers)
    skills = set(SKILLS_BY_SECTOR[home_sector])
    if rng.random() < 0.5:
        skills |= set(rng.choice(SKILLS_BY_SECTOR))
    prefix, town, lat, lon = rng.choice(TOWNS)
    target = Decimal(rng.choice([20, 24, 28, 32, 36]))
    worker = registry.create_worker(session, SYSTEM, {
        "name": f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}",
        "email": f"pool{n + 1}@medewerkers.example", "phone": f"06-{rng.randint(10000000, 99999999)}",
        "birth_date": date(rng.randint(1962, 2008), rng.randint(1, 12), rng.randint(1, 28)),
        "postcode": f"{prefix} {rng.choice(['AA', 'BK', 'CL', 'DM', 'GR', 'TW'])}",
        "location": {"lat": lat + rng.uniform(-0.02, 0.02), "lon": lon + rng.uniform(-0.02, 0.02)},
        "skills": sorted(skills), "min_hours_per_week": Decimal(rng.choice([8, 12, 16])),
        "target_hours_per_week": target, "max_hours_per_week": min(target + 8, Decimal(40)),
        "max_travel_km": float(rng.choice([15, 20, 30, 40]))})
    for employer in _contract_employers(rng, employers, home_sector):
        registry.add_contract(session, SYSTEM, worker.id, {
            "employer_id": employer.id if employer else None,
            "kind": rng.choice(["fixed", "min_max", "on_call"]) if employer else "min_max",
            "hours_per_week": Decimal(rng.choice([8, 12, 16])),
            "cao_code": employer.cao_code if employer else "abu", "scale": None, "hourly_wage": None,
            "start_date": min(date(2026, 1, 1), month[0]), "end_date": max(date(2027, 12, 31), month[1])})
    days, start, end = rng.choice(WINDOWS)
    weekly = [{"weekday": d, "start": start, "end": end} for d in days]
    absences = []
    if rng.random() < 0.2:
        leave = PEAK_START + timedelta(weeks=rng.randint(0, 5))
        absences.append({"start": local_datetime(leave, time(0)), "end": local_datetime(leave + timedelta(days=7), time(0)),
                         "reason": "leave"})
    registry.set_availability(session, SYSTEM, worker.id, weekly, absences)
    return worker


def _contract_employers(rng: random.Random, employers, home_sector: int):
    chosen = [employers[home_sector]]
    if rng.random() < 0.5:
        chosen.append(rng.choice(employers))
    if rng.random() < 0.3:
        chosen.append(None)  # a contract with the intermediary itself (uitzenden)
    return list({id(e): e for e in chosen}.values())
