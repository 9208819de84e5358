"""Intermediary pages: dashboard, week schedule, coverage chart and open shifts with their reasons."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _

from banenpool.db import utcnow
from banenpool.services import assignments, capacity, fixed_hours, planning, registry, shifts, timesheets
from web.database import session
from web.views.charts import coverage, coverage_svg, week_grid
from web.views.common import (colour, date_arg, iso_week, later_shifts, role_required, this_monday, today,
                               week_arg, who)
from web.views.filters import day

bp = Blueprint("pool", __name__)
MAX_COVERAGE_DAYS = 92   # the chart's longest period (from → to), in days


def _employers() -> dict:
    return {e.id: e for e in registry.list_employers(session(), who())}


def _open(rows):
    return [(s, n) for s, n in rows if n < s.headcount]


@bp.get("/dashboard")
@role_required("intermediary")
def dashboard():
    monday = week_arg()
    week = shifts.list_shifts(session(), who(), monday, monday + timedelta(days=6))
    plans = planning.list_plans(session(), who())
    session().commit()  # list_plans may have marked stale plans failed
    counts = {"workers": len(registry.list_workers(session(), who(), "current")), "employers": len(_employers()),
              "requests": len(capacity.list_requests(session(), who())), "shifts": len(week),
              "open_slots": sum(s.headcount - n for s, n in _open(week)),
              "running": sum(p.status in ("queued", "running") for p in plans),
              "waiting_hours": len(timesheets.list_timesheets(session(), who(), status="submitted",
                                                               confirmed_only=True)),
              "offers_due": sum(o.status != "offered" for o in fixed_hours.fixed_hours_offers(session(), who(), today()))}
    refusals = assignments.recent_refusals(session(), who(), utcnow() - timedelta(days=7))
    return render_template("pool/dashboard.html", counts=counts, open_shifts=_open(week), employers=_employers(),
                           refusals=refusals,
                           week=iso_week(monday), monday=monday, current=monday == this_monday(),
                           prev=iso_week(monday - timedelta(days=7)), next=iso_week(monday + timedelta(days=7)),
                           later=later_shifts(not week, monday + timedelta(days=7), "pool.dashboard"))


@bp.get("/schedule")
@role_required("intermediary")
def schedule():
    monday = week_arg()
    sunday = monday + timedelta(days=6)
    rows = assignments.list_assignments(session(), who(), start=monday, end=sunday)
    employers = _employers()
    in_week = registry.list_workers(session(), who(), "current", on=monday)    # in the pool on a day of it
    grid = week_grid(monday, in_week, [a for a in rows if a.status == "confirmed"])
    used = sorted({a.shift.employer_id for a in rows})
    return render_template("pool/schedule.html", grid=grid, days=[monday + timedelta(days=i) for i in range(7)],
                           employers=employers, used=used, colour=colour, week=iso_week(monday),
                           prev=iso_week(monday - timedelta(days=7)), next=iso_week(monday + timedelta(days=7)),
                           later=later_shifts(not rows, sunday + timedelta(days=1), "pool.schedule"))


@bp.get("/coverage")
@role_required("intermediary")
def coverage_chart():
    first = date_arg("from", week_arg())
    last = date_arg("to", first + timedelta(days=13))
    if last < first or (last - first).days > MAX_COVERAGE_DAYS:
        shown = first + timedelta(days=13 if last < first else MAX_COVERAGE_DAYS)   # too long: the most it shows
        flash(_("The chart shows at most %(days)s days from the start, and the end must not come before it: "
                "shown from %(first)s to %(last)s.", days=MAX_COVERAGE_DAYS + 1, first=day(first, "d MMM y"),
                last=day(shown, "d MMM y")), "error")
        last = shown
    listed = shifts.list_shifts(session(), who(), first, last)
    days = coverage(first, last, listed)
    employers = _employers()
    ids = sorted({eid for d in days for eid in d.demand})
    return render_template("pool/coverage.html", chart=coverage_svg(days, ids), days=days, ids=ids,
                           employers=employers, colour=colour, first=first, last=last,
                           later=later_shifts(not listed, last + timedelta(days=1), "pool.coverage_chart", "from"))


@bp.get("/open-shifts")
@role_required("intermediary")
def open_shifts():
    """The open slots of a finished plan (?plan=<id>; default the latest whose period has not ended,
    else the latest: a past month's open slots are no work left to find anyone for) and why they
    are open."""
    done = [p for p in planning.list_plans(session(), who()) if p.status == "done"]
    session().commit()
    chosen = request.args.get("plan", type=int)
    if chosen is not None:
        plan = next((p for p in done if p.id == chosen), None)
    else:
        plan = next((p for p in done if p.end_date >= today()), done[0] if done else None)
    if chosen is not None and plan is None:
        abort(404)
    rows = planning.plan_unfilled(session(), who(), plan.id) if plan else []
    return render_template("pool/open_shifts.html", plan=plan, rows=rows, employers=_employers(), colour=colour,
                           workers={w.id: w for w in registry.list_workers(session(), who())},
                           others=[p for p in done if plan is not None and p.id != plan.id][:10])
