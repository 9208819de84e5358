"""Worker pages: the own combined schedule over all employers, availability and compliance checks."""
from __future__ import annotations

from collections import defaultdict
from datetime import time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from banenpool.calendar_nl import local_datetime
from banenpool.db import utcnow
from banenpool.services import assignments, registry
from banenpool.services.checks import worker_checks
from web.database import session
from web.views.common import colour, date_arg, employer_names, lang, later_shifts, local, role_required, today, who
from web.views.forms import WEEKDAYS, AbsenceForm, AvailabilityForm, EmptyForm, field_errors

bp = Blueprint("worker", __name__, url_prefix="/me")
WEEKS_AHEAD = 4


@bp.get("")
@role_required("worker")
def schedule():
    first = date_arg("from", today() - timedelta(days=today().weekday()))
    last = first + timedelta(days=7 * WEEKS_AHEAD - 1)
    rows = assignments.list_assignments(session(), who(), start=first, end=last)
    days = defaultdict(list)
    for a in rows:
        days[local(a.shift.start).date()].append(a)
    return render_template("worker/schedule.html", days=sorted(days.items()), first=first, last=last,
                           calendar_url=_calendar_url(), button=EmptyForm(),
                           employers=employer_names(a.shift.employer_id for a in rows), colour=colour,
                           worker=registry.get_worker(session(), who(), who().worker_id),
                           later=later_shifts(not rows, last + timedelta(days=1), "worker.schedule", "from"))


@bp.post("/calendar/renew")
@role_required("worker")
def renew_calendar():
    """A new private calendar address; the old one stops working (a phone lost, a link shared)."""
    if "calendar_feeds.feed" not in current_app.view_functions:
        abort(404)
    from banenpool.services import calendar
    calendar.rotate_worker_token(session(), who(), who().worker_id)
    session().commit()
    flash(_("Your calendar has a new address; the old one no longer works. Subscribe to the new one."), "info")
    return redirect(url_for(".schedule"))


def _calendar_url() -> str | None:
    """The private iCalendar feed URL (made on first use), when the feed route is installed."""
    if "calendar_feeds.feed" not in current_app.view_functions:
        return None
    from banenpool.services import calendar
    token = calendar.worker_token(session(), who(), who().worker_id)
    session().commit()
    return url_for("calendar_feeds.feed", token=token, _external=True)


@bp.route("/availability", methods=["GET", "POST"])
@role_required("worker")
def availability():
    worker = registry.get_worker(session(), who(), who().worker_id)
    form = AvailabilityForm()
    if not form.is_submitted():
        for entry in form.days:
            entry.available.data = False
        for w in worker.weekly:
            day = form.days[w.weekday]
            day.available.data, day.start.data, day.end.data = True, w.start, w.end
    if form.validate_on_submit():
        weekly, changed = _weekly(form, worker)
        if any(d["end"] == d["start"] for d in changed):
            flash(_("The end of a window must differ from its start."), "error")
        else:
            registry.set_availability(session(), who(), worker.id, weekly, _absences_as_stored(worker))
            session().commit()
            flash(_("Availability saved."), "info")
            for d in changed:   # as in the API, an end before the start is the next morning
                if d["end"] < d["start"]:
                    day, after = (str(WEEKDAYS[(d["weekday"] + i) % 7].label) for i in (0, 1))
                    flash(_("%(day)s %(start)s–%(end)s ends on %(next)s.", day=day.capitalize(), next=after,
                            start=d["start"].strftime("%H:%M"), end=d["end"].strftime("%H:%M")), "info")
            return redirect(url_for(".availability"))
    elif form.is_submitted():  # the page shows no field errors: say what is wrong, nothing is saved
        for message in form.days.errors:
            if isinstance(message, str):
                flash(_("Not saved: %(reason)s", reason=message), "error")
    return _availability_page(form, worker)


def _availability_page(form: AvailabilityForm, worker, absence: AbsenceForm | None = None):
    since = utcnow() - timedelta(days=30)
    shown = [(a, _whole_days(a)) for a in sorted(worker.absences, key=lambda a: a.start) if a.end >= since]
    return render_template("worker/availability.html", form=form, worker=worker, absences=shown,
                           absence=absence or AbsenceForm(formdata=None), button=EmptyForm())


def _whole_days(absence):
    """(first day, last day) when the absence runs from midnight to midnight (Amsterdam), else None."""
    start, end = local(absence.start), local(absence.end)
    if start.time() == end.time() == time(0) and end > start:
        return start.date(), (end - timedelta(days=1)).date()
    return None


def _weekly_as_stored(worker) -> list[dict]:
    return [{"weekday": w.weekday, "start": w.start, "end": w.end} for w in worker.weekly]


def _absences_as_stored(worker, leave_out=None) -> list[dict]:
    return [{"start": a.start, "end": a.end, "reason": a.reason} for a in worker.absences if a.id != leave_out]


@bp.post("/availability/absences")
@role_required("worker")
def add_absence():
    """Leave in whole days: from the first day's 00:00 to the day after the last, Amsterdam time."""
    worker = registry.get_worker(session(), who(), who().worker_id)
    form = AbsenceForm()
    if not form.validate():
        for message in field_errors(form):
            flash(_("Not saved: %(reason)s", reason=message), "error")
        return _availability_page(AvailabilityForm(formdata=None), worker, form), 422
    first, last = form.first.data, form.last.data
    start, end = local_datetime(first, time(0)), local_datetime(last + timedelta(days=1), time(0))
    absences = _absences_as_stored(worker) + [{"start": start, "end": end, "reason": form.reason.data}]
    registry.set_availability(session(), who(), worker.id, _weekly_as_stored(worker), absences)
    planned = [a for a in assignments.list_assignments(session(), who(), start=first, end=last)
               if a.status == "confirmed" and a.shift.end > start and a.shift.start < end]
    session().commit()
    flash(_("Absence saved from %(first)s through %(last)s.", first=first.strftime("%d-%m-%Y"),
            last=last.strftime("%d-%m-%Y")), "info")
    if planned:
        flash(_("You are planned on %(n)s shift(s) in this period: tell the pool, it finds a replacement.",
                n=len(planned)), "error")
    return redirect(url_for(".availability"))


@bp.post("/availability/absences/<int:absence_id>/delete")
@role_required("worker")
def delete_absence(absence_id):
    worker = registry.get_worker(session(), who(), who().worker_id)
    if absence_id not in {a.id for a in worker.absences}:
        abort(404)
    registry.set_availability(session(), who(), worker.id, _weekly_as_stored(worker),
                              _absences_as_stored(worker, leave_out=absence_id))
    session().commit()
    flash(_("Absence removed."), "info")
    return redirect(url_for(".availability"))


def _weekly(form: AvailabilityForm, worker) -> tuple[list[dict], list[dict]]:
    """The weekly windows to save, and those of them the worker changed on the page.

    The page shows one window per day (the last), while the API also stores several a day and
    windows past midnight. A day posted as it was shown keeps every stored window of that day, so
    saving the page does not drop, say, Monday 08:00-12:00 beside Monday 13:00-17:00 set by the
    intermediary, nor refuse a stored night window the worker did not touch."""
    stored: dict[int, list] = {}
    for w in worker.weekly:
        stored.setdefault(w.weekday, []).append({"weekday": w.weekday, "start": w.start, "end": w.end})
    posted = {d["weekday"]: d for d in form.weekly()}
    weekly, changed = [], []
    for day in range(7):
        shown = stored[day][-1] if day in stored else None
        if posted.get(day) == shown:
            weekly += stored.get(day, [])
        elif day in posted:
            weekly.append(posted[day])
            changed.append(posted[day])
    return weekly, changed


@bp.get("/checks")
@role_required("worker")
def checks():
    first = today() - timedelta(days=today().weekday())
    result = worker_checks(session(), who(), who().worker_id, first, first + timedelta(days=7 * WEEKS_AHEAD - 1),
                           lang=lang())
    return render_template("worker/checks.html", checks=result)
