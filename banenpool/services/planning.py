"""Planning jobs: create a plan from the database, run it (in the queue consumer), read it.

A job writes its progress and a heartbeat in short transactions of its own; the proposed
assignments are written only in its final transaction. A running plan whose heartbeat is older
than STALE_SECONDS is marked failed (its worker process died) when it is read and when a
consumer starts.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from banenpool.calendar_nl import AMS
from banenpool.db import utcnow, write_lock_on_sqlite
from banenpool.errors import Conflict, InvalidInput, NotFound
from banenpool.models import Assignment, Plan, Shift, Worker
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.instance_builder import build_instance, describe_changes
from banenpool.services.plan_compliance import screen
from banenpool.services.shifts import day_bounds, lock_shifts
from banenpool.services.timesheets import (CALL_NOTICE, approved_hours, owed_if_cancelled,
                                           pay_late_cancellation, undo_late_cancellation)

log = logging.getLogger(__name__)
STALE_SECONDS = 30.0  # a running plan without a heartbeat for this long has lost its worker
HEARTBEAT_SECONDS = 1.0  # how often a running job writes its heartbeat and progress
PROGRESS_SECONDS = 0.25  # at most this often a progress report from the solver is written at once
MAX_DAYS = 62


def create_plan(session: Session, who: Principal, start_date: date, end_date: date,
                time_limit_seconds: float, keep_published: bool = True,
                include_started: bool = False) -> Plan:
    """Build the instance for the period and store a queued plan (the caller commits, then queues).

    Shifts that have begun by now stay as they are (build_instance's `frozen_before`): their
    workers are at work or have been. `include_started` plans them too, e.g. to record a period
    that was worked without a plan; a period that is wholly over needs it (422 otherwise)."""
    who.require("intermediary")
    if end_date < start_date:
        raise InvalidInput({"end_date": ["must be on or after start_date"]})
    if (end_date - start_date).days >= MAX_DAYS:
        raise InvalidInput({"end_date": [f"a plan covers at most {MAX_DAYS} days"]})
    frozen_before = None if include_started else utcnow()
    if frozen_before is not None and day_bounds(start_date, end_date)[1] <= frozen_before:
        raise InvalidInput({"end_date": ["the period is over: every shift in it has begun; set include_started "
                                         "to plan it all the same"]})
    built = build_instance(session, start_date, end_date, frozen_before)
    # the published assignments it should keep where it can go into the instance itself (its
    # optional `keep`), so GET /plans/{id}/instance replays as it was solved
    shifts, workers = ({x["id"] for x in built.instance[key]} for key in ("shifts", "workers"))
    weights = _drop_weights(session, [ident for ident, _, _ in built.base]) if keep_published else {}
    keep = [{"shift": str(shift), "worker": str(worker), **weights.get(ident, {})}
            for ident, shift, worker in built.base
            if str(shift) in shifts and str(worker) in workers] if keep_published else []
    instance = {**built.instance, "keep": keep} if keep else built.instance
    plan = Plan(start_date=start_date, end_date=end_date, time_limit_seconds=time_limit_seconds,
                keep_published=keep_published, status="queued", progress=0.0, message="queued",
                instance=instance, base_assignments=built.base, fingerprint=built.fingerprint,
                kept_ids=[], dropped_ids=[], created_by=who.user_id, created_at=utcnow(),
                frozen_before=frozen_before)
    session.add(plan)
    session.flush()
    audit.record(session, who, "create", "plan", plan.id,
                 {"start_date": start_date, "end_date": end_date, "shifts": len(built.instance["shifts"])})
    return plan


def _drop_weights(session: Session, assignment_ids: list[int]) -> dict[int, dict]:
    """Of these published assignments, the calls the plan would owe wages for if it dropped them
    (cancelled less than 4 days ahead), each `{"weight": …}`: dropping one counts as one change plus
    its paid hours in changes (one change weighs as many hours below a minimum as the planner's
    change weight). Only the calls starting within 4 days are read (one query)."""
    now, wanted = utcnow(), set(assignment_ids)
    soon = session.scalars(select(Assignment).join(Shift, Assignment.shift_id == Shift.id)
                           .where(Assignment.status == "confirmed", Shift.start > now,
                                  Shift.start < now + CALL_NOTICE)) if wanted else []
    owed = [a for a in soon if a.id in wanted and owed_if_cancelled(session, a, now)]
    if not owed:
        return {}
    from scheduling import DEFAULT_CHANGE_WEIGHT   # the planner (PuLP) loads in a web process only here
    hours_per_change = Decimal(str(DEFAULT_CHANGE_WEIGHT))
    return {a.id: {"weight": float(min(Decimal(100), 1 + a.shift.paid_hours / hours_per_change))} for a in owed}


def get_plan(session: Session, who: Principal, plan_id: int) -> Plan:
    who.require("intermediary")
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"plan {plan_id} does not exist")
    if plan.status == "running" and _is_stale(plan):
        _fail(plan, _stale_message(plan))
    return plan


def list_plans(session: Session, who: Principal) -> list[Plan]:
    who.require("intermediary")
    fail_stale_plans(session)
    return list(session.scalars(select(Plan).order_by(Plan.id.desc())))


def late_cancellations(session: Session, plan: Plan) -> dict | None:
    """What publishing this plan now would owe for calls it cancels less than 4 days ahead
    (timesheets.owed_if_cancelled): `{"count", "hours", "assignment_ids"}`, hours as a decimal
    string; None for a plan that is published or cancels no such call. Read when the plan is
    read, since the 4 days run from the moment of publishing."""
    if plan.published_at is not None or plan.status != "done" or not plan.dropped_ids:
        return None
    now = utcnow()
    owed = [a for a in session.scalars(select(Assignment).where(Assignment.id.in_(plan.dropped_ids),
                                                                 Assignment.status == "confirmed")
                                       .order_by(Assignment.id))
            if owed_if_cancelled(session, a, now)]
    if not owed:
        return None
    return {"count": len(owed), "hours": str(sum((a.shift.paid_hours for a in owed), Decimal(0))),
            "assignment_ids": [a.id for a in owed]}


def _is_stale(plan: Plan) -> bool:
    beat = plan.heartbeat_at or plan.started_at
    return beat is None or utcnow() - beat > timedelta(seconds=STALE_SECONDS)


def _stale_message(plan: Plan) -> str:
    beat = plan.heartbeat_at or plan.started_at
    return f"the worker process stopped: no heartbeat since {beat.isoformat() if beat else 'the start'}"


def _fail(plan: Plan, message: str) -> None:
    plan.status, plan.error, plan.message, plan.finished_at = "failed", message, "failed", utcnow()


def fail_stale_plans(session: Session) -> list[int]:
    """Mark running plans whose heartbeat stopped as failed; returns their ids."""
    stale = [p for p in session.scalars(select(Plan).where(Plan.status == "running")) if _is_stale(p)]
    for plan in stale:
        _fail(plan, _stale_message(plan))
    return [p.id for p in stale]


class _Reporter:
    """Collects the solver's progress; a thread writes it with a heartbeat every HEARTBEAT_SECONDS."""

    def __init__(self, maker: sessionmaker, plan_id: int):
        self.maker, self.plan_id = maker, plan_id
        self.fraction, self.message = 0.0, "starting"
        self.stop, self.lock, self.written = threading.Event(), threading.Lock(), 0.0
        self.thread = threading.Thread(target=self._loop, name=f"plan-{plan_id}-heartbeat", daemon=True)

    def __call__(self, fraction: float, message: str) -> None:
        self.fraction, self.message = max(self.fraction, min(float(fraction), 0.999)), message[:200]
        if time.monotonic() - self.written >= PROGRESS_SECONDS:
            self.write()

    def _loop(self) -> None:
        while not self.stop.wait(HEARTBEAT_SECONDS):
            self.write()

    def write(self) -> None:
        try:
            with self.lock, self.maker() as session:
                self.written = time.monotonic()
                session.execute(update(Plan).where(Plan.id == self.plan_id, Plan.status == "running")
                                .values(progress=self.fraction, message=self.message, heartbeat_at=utcnow()))
                session.commit()
        except Exception:  # a missed heartbeat is not fatal; the next one may succeed
            log.exception("plan %s: could not write progress", self.plan_id)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def run_plan(maker: sessionmaker, plan_id: int) -> None:
    """The job: solve a queued plan and store the result in one final transaction."""
    with maker() as session:
        plan = session.get(Plan, plan_id)
        if plan is None or plan.status != "queued":
            log.warning("plan %s is not queued (%s); skipped", plan_id, plan and plan.status)
            return
        plan.status, plan.started_at, plan.heartbeat_at, plan.message = "running", utcnow(), utcnow(), "starting"
        session.commit()
        instance, limit = plan.instance, plan.time_limit_seconds
        base = [tuple(row) for row in plan.base_assignments]
    try:
        from scheduling import load_instance, solve, solution_to_dict
        inst = load_instance(instance)      # its `keep`: the published assignments, if kept
        started = time.monotonic()
        with _Reporter(maker, plan_id) as reporter:
            reporter.write()
            solution = solve(inst, time_limit=limit, progress=reporter)
        log.info("plan %s solved in %.2f s: %s", plan_id, time.monotonic() - started, solution.status)
        with maker() as session:
            result = screen(session, instance, solution_to_dict(solution), base, _period_shifts(instance))
        _store(maker, plan_id, result, base)
    except Exception as exc:
        log.exception("plan %s failed", plan_id)
        with maker() as session:
            plan = session.get(Plan, plan_id)
            if plan is not None and plan.status == "running":
                _fail(plan, f"{type(exc).__name__}: {exc}")
                session.commit()


def _store(maker: sessionmaker, plan_id: int, solution: dict, base: list[tuple]) -> None:
    """The job's final transaction: result, changes and the proposed assignments, all or nothing."""
    pairs = {(int(a["shift"]), int(a["worker"])) for a in solution["assignments"] if _is_db_id(a["shift"])}
    base_pairs = {(shift, worker): ident for ident, shift, worker in base}
    with maker() as session:
        plan = session.get(Plan, plan_id, with_for_update=True)
        if plan is None or plan.status != "running":
            return  # marked failed meanwhile (lost heartbeat): leave nothing behind
        period_shifts = {int(s) for s in _period_shifts(plan.instance)}
        in_period = {pair for pair in pairs if pair[0] in period_shifts}
        kept = sorted(base_pairs[p] for p in in_period if p in base_pairs)
        dropped = sorted(ident for p, ident in base_pairs.items() if p not in in_period)
        added = sorted(p for p in in_period if p not in base_pairs)
        for shift_id, worker_id in added:
            session.add(Assignment(shift_id=shift_id, worker_id=worker_id, status="proposed", plan_id=plan.id))
        plan.kept_ids, plan.dropped_ids = kept, dropped
        plan.changes = {"kept": len(kept), "dropped": len(dropped), "added": len(added)}
        plan.result = {k: solution[k] for k in ("status", "metrics", "bound", "unfilled", "solve_seconds")}
        plan.result["compliance"] = solution.get("compliance", {"left_out": [], "refilled": []})
        plan.result["levels"] = solution.get("levels", [])
        plan.status, plan.progress, plan.message, plan.finished_at = "done", 1.0, "done", utcnow()
        session.commit()


def _is_db_id(ident: str) -> bool:
    """Shift ids from the database are numbers; base-hours shifts (`base-…`) are not stored shifts."""
    return str(ident).isdigit()


def _period_shifts(instance: dict) -> set[str]:
    """The stored shifts the plan decides: all but the context (shifts outside the period, fixed for
    their confirmed workers) and the base hours (`base-…`)."""
    context = {s for w in instance["workers"] for s in w.get("fixed", []) if _is_db_id(s)}
    return {s["id"] for s in instance["shifts"] if _is_db_id(s["id"]) and s["id"] not in context}


def plan_assignments(session: Session, who: Principal, plan_id: int) -> list[tuple[Assignment, str]]:
    """The plan's assignments: kept confirmed ones and its own (proposed, or confirmed once published)."""
    plan = get_plan(session, who, plan_id)
    own = session.scalars(select(Assignment).where(Assignment.plan_id == plan.id)).all()
    kept = session.scalars(select(Assignment).where(Assignment.id.in_(plan.kept_ids or [-1]))).all() if plan.kept_ids else []
    rows = [(a, "kept") for a in kept] + [(a, "added") for a in own if a.id not in set(plan.kept_ids or [])]
    return sorted(rows, key=lambda r: (r[0].shift.start, r[0].shift_id, r[0].worker_id))


def publish_plan(session: Session, who: Principal, plan_id: int) -> Plan:
    """Proposed → confirmed and dropped → cancelled, in the caller's transaction; 409 when not allowed.

    When the planning data changed since the plan was made, it is published only when it still holds
    on the new data (_changes_it_survives; else 409 `base_changed`), and `changes["data_changed"]`
    says what changed. A shift that began since the plan was made and that it changes: 409
    `shifts_begun`.

    A plan that would cancel ("drop") an assignment whose hours are approved is refused as a whole
    (409 naming those assignments), not published without them: the hours were worked, and the plan
    may have filled that shift with someone else or moved the worker, so publishing the rest of it
    would double-staff the shift or break a rule. Plan again for a period after the worked shifts.
    """
    from banenpool.services.notifications import schedule_changed
    who.require("intermediary")
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"plan {plan_id} does not exist")
    overlapping = _lock_overlapping(session, plan)
    if plan.published_at is not None:
        raise Conflict(f"plan {plan.id} was already published at {plan.published_at.isoformat()}", ["published"])
    if plan.status != "done":
        raise Conflict(f"plan {plan.id} is {plan.status}; only a done plan can be published", ["not_done"])
    if (plan.result or {}).get("status") == "infeasible":
        raise Conflict(f"plan {plan.id} is infeasible: its fixed shifts break a rule", ["infeasible"])
    # the shifts the plan fills, and those whose calls it keeps or cancels, locked in id order before
    # the data is compared (lock_shifts): a manual assignment (which locks its shift) or an absent
    # worker's release (which locks the shifts it releases) waits for this publish, or this publish sees it
    touched = or_(and_(Assignment.plan_id == plan.id, Assignment.status == "proposed"),
                  Assignment.id.in_([*(plan.kept_ids or []), *(plan.dropped_ids or [])]))
    lock_shifts(session, session.scalars(select(Assignment.shift_id).where(touched)))
    # and their workers (a worker's last day in the pool set meanwhile waits, or this publish sees it)
    session.scalars(select(Worker.id).where(Worker.id.in_(select(Assignment.worker_id).where(
        Assignment.plan_id == plan.id, Assignment.status == "proposed"))).order_by(Worker.id).with_for_update()).all()
    later = [p for p in overlapping if p.published_at is not None and p.published_at > plan.created_at]
    if later:
        raise Conflict(f"plan {later[0].id} for an overlapping period was published after plan {plan.id} "
                       "was built; make a new plan", ["overlapping_plan_published"])
    added = session.scalars(select(Assignment).where(Assignment.plan_id == plan.id,
                                                     Assignment.status == "proposed")).all()
    dropped = session.scalars(select(Assignment).where(Assignment.id.in_(plan.dropped_ids))).all() \
        if plan.dropped_ids else []
    rebuilt = build_instance(session, plan.start_date, plan.end_date, plan.frozen_before)
    changed = [] if rebuilt.fingerprint == plan.fingerprint else _changes_it_survives(plan, rebuilt, added)
    _refuse_begun(plan, added, dropped)
    worked = approved_hours(session, [a.id for a in dropped])
    if worked:
        raise Conflict(f"plan {plan.id} would cancel worked assignments: "
                       + "; ".join(f"assignment {i}: {why}" for i, why in sorted(worked.items()))
                       + ". A plan never cancels approved hours; make a new plan for a period after these shifts",
                       ["timesheet_approved"])
    now = utcnow()
    for a in added:
        a.status = "confirmed"
        a.confirmed_at = undo_late_cancellation(session, who, a.shift, a.worker_id) or now
    for a in dropped:
        a.status = "cancelled"
    session.flush()
    for a in dropped:
        pay_late_cancellation(session, who, a)
    _refuse_unlawful(session, plan, added)
    plan.published_at = now
    if changed:   # published over data that changed since, which the plan still keeps every rule of
        plan.changes = {**(plan.changes or {}), "data_changed": changed}
    schedule_changed(session, f"plan {plan.id} published", added=added, cancelled=dropped)
    audit.record(session, who, "publish", "plan", plan.id, plan.changes)
    session.flush()
    return plan


def _changes_it_survives(plan: Plan, rebuilt, added: list[Assignment]) -> list[str]:
    """The planning data changed since the plan was made (`rebuilt` is the period's instance now):
    what changed, in words, when the plan still holds on the new data — else 409 `base_changed`.

    It holds when the confirmed assignments in the period are the ones it was made on (its kept and
    cancelled calls refer to them), all its new assignments are still there (a shift called off or
    deleted takes its proposals with it), and its whole result — the fixed shifts of the new data, the
    calls it keeps and its new ones — passes every rule of the planner against the new data
    (contracts.worktime: a shift removed or moved, a headcount lowered, a worker absent or a
    confirmed shift next to the period now in the way). A worker or shift added, an availability
    widened, a headcount raised leave it valid: its open slots stay open until the next plan."""
    from contracts.worktime import check_solution
    reasons = describe_changes(plan.instance, plan.base_assignments, rebuilt.instance, rebuilt.base,
                               (plan.start_date, plan.end_date))
    problems, gone = [], (plan.changes or {}).get("added", 0) - len(added)
    if sorted(map(tuple, plan.base_assignments)) != sorted(map(tuple, rebuilt.base)):
        problems.append("the confirmed assignments in the period changed")
    elif gone > 0:   # the rest may have been arranged around them (a worker moved, a call dropped)
        problems.append(f"{gone} of its new assignments went with their shifts")
    else:
        standing = {s["id"] for s in rebuilt.instance["shifts"]}
        problems += [f"shift {i} it fills was called off or removed"
                     for i in sorted({a.shift_id for a in added if str(a.shift_id) not in standing})]
        kept = set(plan.kept_ids or [])
        pairs = {(s, w["id"]) for w in rebuilt.instance["workers"] for s in w.get("fixed", [])}
        pairs |= {(str(shift), str(worker)) for ident, shift, worker in plan.base_assignments if ident in kept}
        pairs |= {(str(a.shift_id), str(a.worker_id)) for a in added if str(a.shift_id) in standing}
        found = check_solution(rebuilt.instance, {"assignments": [{"shift": s, "worker": w} for s, w in sorted(pairs)]})
        problems += [v.message for v in found]
    if problems:
        raise Conflict(f"the planning data changed since plan {plan.id} was built: " + "; ".join(reasons[:10])
                       + "; the plan no longer holds on it: " + "; ".join(problems[:5])
                       + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""), ["base_changed"])
    return reasons


def _refuse_begun(plan: Plan, added: list[Assignment], dropped: list[Assignment]) -> None:
    """409 when the plan would add a worker to, or take one off, a shift that has begun since the
    plan was made: the call comes too late, or the worker is already at work. Refused whole, as
    the plan may have moved that worker or their replacement elsewhere. A plan made with
    `include_started` (frozen_before null) may change begun shifts."""
    if plan.frozen_before is None:
        return
    now = utcnow()
    begun = sorted({a.shift for a in [*added, *dropped] if a.shift.start <= now}, key=lambda s: (s.start, s.id))
    if begun:
        named = ", ".join(f"shift {s.id} ({s.start.astimezone(AMS):%Y-%m-%d %H:%M})" for s in begun[:5])
        more = f" and {len(begun) - 5} more" if len(begun) > 5 else ""
        raise Conflict(f"plan {plan.id} changes {len(begun)} shift(s) that began after it was made: {named}{more}; "
                       "make a new plan", ["shifts_begun"])


def _refuse_unlawful(session: Session, plan: Plan, added: list[Assignment]) -> None:
    """409 when, with the plan's shifts confirmed, a worker's combined schedule breaks a
    compliance rule (contracts.compliance) that involves one of the plan's new shifts.

    The plan's screen checked every worker against the confirmed shifts when it was built, and
    publishing refuses changes in the plan's own weeks (the fingerprint). The rules look further
    (4, 16 and 52 weeks): a shift assigned by hand or another plan published since, outside the
    period, can still make the combination unlawful. Violations among shifts the plan does not
    add are not this plan's to refuse. The caller's transaction is rolled back with the error."""
    from collections import defaultdict

    from banenpool.services.checks import COMPLIANCE_CONTEXT as CONTEXT, check_worker_schedule, work_items
    new: dict[int, set[str]] = defaultdict(set)
    for a in added:
        new[a.worker_id].add(f"A{a.id}")
    problems, rules = [], set()
    for worker_id, ids in sorted(new.items()):
        worker = session.get(Worker, worker_id)
        if worker is None or worker.birth_date is None:
            continue
        items = work_items(session, worker, plan.start_date - CONTEXT, plan.end_date + CONTEXT)
        violations, _ = check_worker_schedule(worker, items, lang="en")
        for v in violations:
            if ids & set(v.assignment_ids):
                problems.append(f"worker {worker_id}: {v.rule}: {v.message}")
                rules.add(v.rule)
    if problems:
        raise Conflict(f"publishing plan {plan.id} would break the Working Hours Act or a CAO, with shifts "
                       "confirmed since it was built: " + "; ".join(problems[:10])
                       + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else "")
                       + ". Make a new plan", ["compliance", *sorted(rules)])


def _lock_overlapping(session: Session, plan: Plan) -> list[Plan]:
    """Serialise publishing: lock the plan and every plan overlapping its period, re-read them.

    PostgreSQL: one SELECT … FOR UPDATE over all of them in id order, so two publishes wait for
    each other instead of deadlocking, and the second sees the first's published_at. SQLite
    ignores FOR UPDATE: a write takes the database's write lock first (the driver begins the
    transaction at the first write; a second publish waits for the first to commit, then reads
    fresh data). Returns the other overlapping plans.
    """
    write_lock_on_sqlite(session, Plan, plan.id)
    rows = session.scalars(
        select(Plan).where(or_(Plan.id == plan.id, and_(Plan.start_date <= plan.end_date,
                                                        Plan.end_date >= plan.start_date)))
        .order_by(Plan.id).with_for_update().execution_options(populate_existing=True)).all()
    return [p for p in rows if p.id != plan.id]


def mark_failed(session: Session, plan_id: int, message: str) -> None:
    plan = session.get(Plan, plan_id)
    if plan is not None and plan.status in ("queued", "running"):
        _fail(plan, message)


def plan_unfilled(session: Session, who: Principal, plan_id: int) -> list[dict]:
    """Open slots from the solver's result, with the shift's employer and times; not those of shifts
    called off or deleted (with their capacity request) since the plan was made."""
    plan = get_plan(session, who, plan_id)
    shifts = {s["id"]: s for s in plan.instance["shifts"]}
    ids = [int(u["shift"]) for u in (plan.result or {}).get("unfilled", []) if _is_db_id(u["shift"])]
    standing = {str(i) for i in session.scalars(select(Shift.id).where(Shift.id.in_(ids),
                                                                        Shift.cancelled_at.is_(None)))} \
        if ids else set()
    return [{"shift_id": int(u["shift"]), "employer_id": int(shifts[u["shift"]]["employer"]),
             "start": shifts[u["shift"]]["start"], "end": shifts[u["shift"]]["end"],
             "open": u["open"], "reasons": u["reasons"]}
            for u in (plan.result or {}).get("unfilled", []) if u["shift"] in standing]
