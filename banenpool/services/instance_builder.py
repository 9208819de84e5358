"""Build the planner's `banenpool-instance/1` from the database.

Ids are the database ids as strings. Decisions (see also the report of issue 5):
- `workers[].employers` is null (any employer): a contract says who employs the worker, not
  where the pool may place them.
- Weekly availability is expanded day by day over the period (an end at or before the start runs
  past midnight), touching windows are merged, absences are cut out.
- Confirmed assignments on shifts just outside the period (the ISO weeks it touches, plus a day)
  go in as context shifts with `fixed` workers and headcount = their confirmed count, so the rest
  and weekly-hours rules see them. Confirmed assignments inside the period are the plan's base: the
  solver gets them as `keep` (soft), so a worker who reported sick can be moved.
- Shifts of the period that had begun when the plan was made (`frozen_before`) are context too:
  their confirmed workers fixed, nobody added or dropped; a begun shift nobody holds is left out.
- A contract's base hours (`Contract.base_pattern`) become shifts of the contract's employer,
  headcount 1, with the worker in `fixed`, on every day the contract is active in the ISO weeks
  the period touches (so they count for that week's hours and rest). Not the day either side:
  a shift in a neighbouring week would add that whole week to the shortfall metrics of every
  plan, since base hours recur every week. So rest across the edge of the period's weeks against
  a neighbouring week's base shift is not seen by the planner (a later plan of that week sees it
  as a confirmed context shift). Their ids are not database ids:
  `base-<contract id>-<YYYYMMDD>-<pattern line>`. See base_shifts.
- `rules` are the statutory values (instance-wide in the format). What the Working Hours Act or a
  CAO asks of one shift for one worker (a minor's 9 h, a break, a CAO's daily limit at that
  employer) goes in as `workers[].excluded`: the shifts of the period that contracts.compliance
  finds unlawful on their own for that worker (plan_compliance.excluded_shifts). A minor's
  `max_hours_per_week` is at most 45 h; at 15 at most 12 h when every week of the period is a school
  week for them, else 40 h (age15_week_hours). Two shifts an adult may not work both of (a break over a
  duty of the two, a night duty over 12 h, 14 h rest after a night shift) go in as `conflicts`
  (plan_compliance.conflicting_pairs). Rules about longer combinations (weekly rest per 7×24 h,
  night counts, nights over 10 h (5 per 14×24 h, 12 h rest after), a minor's 12 h rest) are
  checked on the plan before it is stored (plan_compliance.screen).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS, iso_week_start, local_datetime
from banenpool.models import Assignment, Contract, Employer, Shift, Worker
from banenpool.services.capacity import expand, shift_times
from banenpool.services.leaving import available_until, in_pool, in_pool_on
from banenpool.services.shifts import day_bounds
from banenpool.services.plan_compliance import conflicting_pairs, excluded_shifts
from contracts.compliance_youth import school_week
from contracts.wml import age_on

FORMAT = "banenpool-instance/1"
STATUTORY_RULES = {"max_shift_hours": 12.0, "max_week_hours": 60.0, "min_daily_rest_hours": 11.0,
                   "min_weekly_rest_hours": 36.0, "travel_speed_kmh": 40.0}


@dataclass
class BuiltInstance:
    instance: dict
    base: list[list[int]]  # confirmed assignments in the period: [assignment_id, shift_id, worker_id]
    fingerprint: str


def fingerprint(instance: dict, base: list) -> str:
    text = json.dumps({"instance": instance, "base": base}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(AMS).isoformat()


def employer_entry(e: Employer, first: date) -> dict:
    """The employer with its CAO on the period's first day (the format has one per employer; the
    checks of the plan take each shift's own day, services/checks.work_item)."""
    loc = None if e.lat is None or e.lon is None else {"lat": e.lat, "lon": e.lon}
    return {"id": str(e.id), "name": e.name, "cao": e.cao_on(first), "location": loc}


def shift_entry(s: Shift, headcount: int | None = None) -> dict:
    return {"id": str(s.id), "employer": str(s.employer_id), "start": _iso(s.start), "end": _iso(s.end),
            "break_minutes": s.break_minutes, "skills": sorted(s.skills or []),
            "headcount": s.headcount if headcount is None else headcount, "priority": float(s.priority)}


def rules_for() -> dict:
    """The instance's rules: the Working Hours Act's, for every worker and employer alike."""
    return dict(STATUTORY_RULES)


def id_key(ident) -> tuple:
    """Sort key for instance ids: database ids by number first, then the others (base shifts) as text."""
    text = str(ident)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def base_shifts(session: Session, lo: datetime, hi: datetime,
                worker_id: int | None = None) -> list[tuple[int, dict]]:
    """(worker id, shift entry) for every base shift of a contract starting in [lo, hi).

    A contract with a `base_pattern` and an employer gives one shift per pattern line on each day
    the contract is active (start_date … end_date, by the local start day): at that employer,
    headcount 1, no skills, priority 1. The caller puts the worker's id in `fixed`, so the shift
    stays theirs and counts for every rule and for their hours. Contracts with the intermediary
    itself (employer_id null) are skipped: the intermediary has no site where base hours are worked.
    """
    query = select(Contract).where(Contract.employer_id.is_not(None)).order_by(Contract.id)
    if worker_id is not None:
        query = query.where(Contract.worker_id == worker_id)
    first = (lo - timedelta(days=1)).astimezone(AMS).date()  # a night shift may start the day before
    last = hi.astimezone(AMS).date()
    out = []
    for contract in session.scalars(query):
        if not contract.base_pattern:
            continue
        for index, line in enumerate(contract.base_pattern):
            for occ in expand([{**line, "headcount": 1}], first, last):
                day = occ["start"].date()
                if not lo <= occ["start"] < hi or day < contract.start_date or \
                        (contract.end_date is not None and day > contract.end_date):
                    continue
                out.append((contract.worker_id, {
                    "id": f"base-{contract.id}-{day:%Y%m%d}-{index}", "employer": str(contract.employer_id),
                    "start": _iso(occ["start"]), "end": _iso(occ["end"]), "break_minutes": occ["break_minutes"],
                    "skills": [], "headcount": 1, "priority": 1.0}))
    return out


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def subtract_intervals(intervals, cuts) -> list[tuple[datetime, datetime]]:
    """`intervals` minus `cuts` (both lists of (start, end))."""
    out = list(intervals)
    for cut_start, cut_end in cuts:
        nxt = []
        for s, e in out:
            if cut_end <= s or e <= cut_start:
                nxt.append((s, e))
                continue
            if s < cut_start:
                nxt.append((s, cut_start))
            if cut_end < e:
                nxt.append((cut_end, e))
        out = nxt
    return out


def availability(worker: Worker, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """The worker's weekly windows on the days first-1 … last, merged, minus absences, up to the
    end of a shift begun on their last day in the pool (leaving.available_until; build_instance bars
    the shifts that start after that day)."""
    windows = []
    day = first - timedelta(days=1)
    while day <= last:
        for w in worker.weekly:
            if w.weekday == day.weekday():
                windows.append(shift_times(day, w.start, w.end))  # an end at or before the start is next day
        day += timedelta(days=1)
    cuts = [(a.start, a.end) for a in worker.absences] + youth_nights(worker, first, last)
    if worker.left_on is not None and worker.left_on <= last:   # no window reaches past last+1
        cuts.append((available_until(worker.left_on), local_datetime(last + timedelta(days=2), time(12))))
    return [(s, e) for s, e in subtract_intervals(_merge(windows), cuts) if e > s]


YOUTH_AGE = 18   # below: no work between 23:00 and 06:00 (nl-facts §2, Youth)


def youth_nights(worker: Worker, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """23:00–06:00 of every night in first-1 … last on which the worker is 16 or 17 (the
    planner knows only the rules all workers share; this keeps it from planning a minor at
    night, which contracts.compliance forbids)."""
    if worker.birth_date is None:
        return []
    nights = []
    day = first - timedelta(days=1)
    while day <= last:
        if age_on(worker.birth_date, day) < YOUTH_AGE:
            nights.append((local_datetime(day, time(23)), local_datetime(day + timedelta(days=1), time(6))))
        day += timedelta(days=1)
    return nights


YOUTH_WEEK_HOURS = 45.0  # at most 45 h a week at 16 and 17 (nl-facts §2, Youth)
AGE15_WEEK_HOURS = 12.0, 40.0   # at 15: in a school week, in a week without school


def age15_week_hours(w: Worker, first: date, last: date) -> float | None:
    """A worker who is 15 all through first … last: 12 h when every ISO week of the period is a school
    week for them (contracts.compliance_youth), else 40 h (the instance has one weekly maximum per
    worker; the plan's screen holds each week to its own limit). None for any other worker."""
    if w.birth_date is None or not age_on(w.birth_date, first) == age_on(w.birth_date, last) == 15:
        return None
    holidays = w.school_holiday_days()
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        if not school_week(monday, holidays):
            return AGE15_WEEK_HOURS[1]
        monday += timedelta(days=7)
    return AGE15_WEEK_HOURS[0]


def worker_entry(w: Worker, first: date, last: date, fixed: list[str], excluded: list[str]) -> dict:
    home = None if w.lat is None or w.lon is None else {"lat": w.lat, "lon": w.lon}
    most = float(w.max_hours_per_week)
    if w.birth_date is not None and age_on(w.birth_date, first) < YOUTH_AGE:
        most = min(most, YOUTH_WEEK_HOURS, age15_week_hours(w, first, last) or YOUTH_WEEK_HOURS)
    entry = {"id": str(w.id), "skills": sorted(w.skills or []), "home": home, "max_travel_km": w.max_travel_km,
             "min_hours_per_week": min(float(w.min_hours_per_week), most),
             "target_hours_per_week": min(float(w.target_hours_per_week), most),
             "max_hours_per_week": most, "employers": None,
             "available": [{"start": _iso(s), "end": _iso(e)} for s, e in availability(w, first, last)],
             "fixed": fixed}
    if w.left_on is not None and w.left_on <= last:   # the day their availability ends (describe_changes)
        entry["left_on"] = w.left_on.isoformat()
    if excluded:
        entry["excluded"] = excluded
    return entry


def _confirmed(session: Session, lo: datetime, hi: datetime, worker_id: int | None = None):
    query = (select(Assignment, Shift).join(Shift, Assignment.shift_id == Shift.id)
             .where(Assignment.status == "confirmed", Shift.start >= lo, Shift.start < hi)
             .order_by(Shift.start, Shift.id, Assignment.worker_id))
    if worker_id is not None:
        query = query.where(Assignment.worker_id == worker_id)
    return [(a, s) for a, s in session.execute(query)]


def _declined(session: Session, shift_ids: list[int]) -> list[tuple[int, int]]:
    """(worker, shift) of these shifts whose call the worker refused (assignments.decline) and who has
    not taken the shift since: a plan does not offer it to them again."""
    if not shift_ids:
        return []
    rows = session.execute(
        select(Assignment.worker_id, Assignment.shift_id)
        .where(Assignment.shift_id.in_(shift_ids), Assignment.declined_at.is_not(None))
        .distinct().order_by(Assignment.worker_id, Assignment.shift_id)).all()
    confirmed = set(session.execute(select(Assignment.worker_id, Assignment.shift_id)
                                    .where(Assignment.shift_id.in_(shift_ids), Assignment.status == "confirmed")).all())
    return [(w, s) for w, s in rows if (w, s) not in confirmed]


def context_window(lo: datetime, hi: datetime) -> tuple[datetime, datetime]:
    """The ISO weeks the period [lo, hi) touches, plus a day either side."""
    before = iso_week_start(lo) - timedelta(days=1)
    after = iso_week_start(hi - timedelta(seconds=1)) + timedelta(days=8)
    return before, after


def _assemble(shift_entries: dict[int, dict], employers: list[Employer], workers: list[Worker],
              fixed: dict[int, list[str]], first: date, last: date,
              excluded: dict[int, list[str]] | None = None) -> dict:
    excluded = excluded or {}
    return {"format": FORMAT, "timezone": "Europe/Amsterdam", "rules": rules_for(),
            "employers": [employer_entry(e, first) for e in employers],
            "workers": [worker_entry(w, first, last, sorted(fixed.get(w.id, []), key=id_key),
                                     sorted(excluded.get(w.id, []), key=id_key)) for w in workers],
            "shifts": list(shift_entries.values())}


def build_instance(session: Session, start_date: date, end_date: date,
                   frozen_before: datetime | None = None) -> BuiltInstance:
    """The instance for shifts starting on start_date … end_date (Amsterdam days).

    Shifts of the period that begin before `frozen_before` (the moment the plan is made) are not
    the plan's to change: their confirmed workers go in as context (fixed, headcount = their
    count, not in the base), and such a shift nobody holds is left out (no one can still be
    sent). None: every shift of the period is planned."""
    lo, hi = day_bounds(start_date, end_date)
    frozen = lo if frozen_before is None else min(max(frozen_before, lo), hi)
    shifts = session.scalars(select(Shift).where(Shift.start >= frozen, Shift.start < hi,
                                                 Shift.cancelled_at.is_(None))
                             .order_by(Shift.start, Shift.id)).all()
    entries = {s.id: shift_entry(s) for s in shifts}
    base = [[a.id, s.id, a.worker_id] for a, s in _confirmed(session, frozen, hi)]
    before, after = context_window(lo, hi)
    fixed: dict[int, list[str]] = {}
    # the workers who belong to the pool on a day of the period (leaving): only theirs is context
    workers = list(session.scalars(select(Worker).where(in_pool_on(start_date)).order_by(Worker.id)))
    members = {w.id for w in workers}
    context = [(a, s) for a, s in _confirmed(session, before, frozen) + _confirmed(session, hi, after)
               if a.worker_id in members]
    counts: dict[int, int] = {}
    for a, s in context:
        counts[s.id] = counts.get(s.id, 0) + 1
        fixed.setdefault(a.worker_id, []).append(str(s.id))
    for a, s in context:
        entries[s.id] = shift_entry(s, headcount=counts[s.id])
    for worker_id, entry in base_shifts(session, iso_week_start(lo), iso_week_start(hi - timedelta(seconds=1))
                                        + timedelta(days=7)):
        if worker_id not in members:
            continue
        entries[entry["id"]] = entry
        fixed.setdefault(worker_id, []).append(entry["id"])
    employer_ids = {s["employer"] for s in entries.values()}
    employers = [e for e in session.scalars(select(Employer).order_by(Employer.id)) if str(e.id) in employer_ids]
    entries = dict(sorted(entries.items(), key=lambda kv: (kv[1]["start"], id_key(kv[0]))))
    by_id = {str(e.id): e for e in employers}
    barred = excluded_shifts(workers, [entries[s.id] for s in shifts], by_id)
    for worker_id, shift_id in _declined(session, [s.id for s in shifts]):
        barred.setdefault(worker_id, []).append(str(shift_id))
    for w in workers:   # a worker who leaves in the period: not the shifts that start after their last day
        after = [str(s.id) for s in shifts if not in_pool(w, s.start.astimezone(AMS).date())]
        if after:
            barred[w.id] = sorted(set(barred.get(w.id, [])) | set(after), key=id_key)
    instance = _assemble(entries, employers, workers, fixed, start_date, end_date, barred)
    pairs = conflicting_pairs(list(entries.values()), by_id, fixed)
    if pairs:
        instance["conflicts"] = pairs
    return BuiltInstance(instance, base, fingerprint(instance, base))


WORKER_INSTANCE_MARGIN = timedelta(days=8)   # the worker's shifts either side of the judged one(s)


def build_worker_instance(session: Session, worker: Worker, shift: Shift, *more: Shift) -> dict:
    """An instance to judge `worker` taking `shift` (or any one of `shift` and `more`): their confirmed
    shifts and base hours nearby are fixed."""
    judged = {s.id: s for s in (shift, *more)}
    lo = min(s.start for s in judged.values()) - WORKER_INSTANCE_MARGIN
    hi = max(s.end for s in judged.values()) + WORKER_INSTANCE_MARGIN
    rows = [(a, s) for a, s in _confirmed(session, lo, hi, worker.id) if s.id not in judged]
    entries = {s.id: shift_entry(s, headcount=1) for _, s in rows}
    entries.update((s.id, shift_entry(s)) for s in judged.values())
    fixed = {worker.id: [str(s.id) for _, s in rows]}
    for _, entry in base_shifts(session, lo, hi, worker.id):
        entries[entry["id"]] = entry
        fixed[worker.id].append(entry["id"])
    employer_ids = {int(e["employer"]) for e in entries.values()}
    employers = list(session.scalars(select(Employer).where(Employer.id.in_(employer_ids)).order_by(Employer.id)))
    first, last = lo.astimezone(AMS).date(), hi.astimezone(AMS).date()
    return _assemble(entries, employers, [worker], fixed, first, last)


def _leaving_change(ident: str, old: dict | None, new: dict | None) -> str | None:
    """A worker entry changed by their leaving the pool (worker_entry's `left_on`), in words; else None.
    A worker is left out of a build only when they left before its period (workers are not deleted)."""
    if old is not None and new is None:
        return f"worker {ident} left the pool before the period"
    if old is None or new is None or old.get("left_on") == new.get("left_on"):
        return None
    if new.get("left_on"):
        return f"worker {ident} left the pool on {new['left_on']}"
    return f"worker {ident} no longer leaves the pool in the period (was: on {old['left_on']})"


def describe_changes(old: dict, old_base: list, new: dict, new_base: list,
                     period: tuple[date, date] | None = None) -> list[str]:
    """Why two builds of the same period (`period`: its first and last day, when known) differ, in
    words. A worker's confirmed shift that is context is one next to the period, or one of the
    period that had begun when the plan was made (build_instance's `frozen_before`)."""
    reasons = []

    def context(ident: str) -> str:
        entry = by_id(new, "shifts").get(ident) or by_id(old, "shifts").get(ident)
        day = datetime.fromisoformat(entry["start"]).astimezone(AMS).date() if entry else None
        if period is not None and day is not None and period[0] <= day <= period[1]:
            return f"shift {ident} (begun when the plan was made)"
        return f"shift {ident} next to the period"

    def by_id(inst, key):
        return {x["id"]: x for x in inst.get(key, [])}

    def holders(inst) -> dict[str, list[str]]:   # a shift in the instance as a worker's confirmed (fixed) one
        out: dict[str, list[str]] = {}
        for w in inst.get("workers", []):
            for shift in w.get("fixed", []):
                out.setdefault(shift, []).append(w["id"])
        return out

    held, held_now = holders(old), holders(new)
    for key, noun in (("shifts", "shift"), ("workers", "worker"), ("employers", "employer")):
        a, b = by_id(old, key), by_id(new, key)
        for ident in sorted(set(a) | set(b), key=id_key):
            if ident not in b and key == "shifts" and ident in held:
                # a confirmed shift next to the period, in the plan only as its worker's context
                reasons.append(f"shift {ident} is no longer confirmed for worker {', '.join(held[ident])} "
                               "(cancelled or deleted)")
            elif ident not in a and key == "shifts" and ident in held_now:
                reasons.append(f"{context(ident)} was confirmed for worker {', '.join(held_now[ident])} since")
            elif key == "shifts" and ident in a and ident in b and (ident in held or ident in held_now) and \
                    {k for k in set(a[ident]) | set(b[ident]) if a[ident].get(k) != b[ident].get(k)} == {"headcount"}:
                reasons.append(f"{context(ident)} has other confirmed workers "
                               f"({', '.join(held.get(ident, [])) or 'none'} → {', '.join(held_now.get(ident, []))})")
            elif key == "workers" and (left := _leaving_change(ident, a.get(ident), b.get(ident))):
                reasons.append(left)
            elif ident not in b:
                reasons.append(f"{noun} {ident} was removed")
            elif ident not in a:
                reasons.append(f"{noun} {ident} was added")
            elif a[ident] != b[ident]:
                fields = sorted(k for k in set(a[ident]) | set(b[ident]) if a[ident].get(k) != b[ident].get(k))
                reasons.append(f"{noun} {ident} changed ({', '.join(fields)})")
    if old.get("rules") != new.get("rules"):
        reasons.append("the rules changed")
    if old.get("conflicts", []) != new.get("conflicts", []):
        reasons.append("the pairs of shifts no worker may hold both of changed")
    if sorted(map(tuple, old_base)) != sorted(map(tuple, new_base)):
        reasons.append("the confirmed assignments in the period changed")
    return reasons or ["the planning data changed"]
