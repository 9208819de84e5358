"""A worker's availability and absences page: the worker's own (/me/availability) and the pool's
for any worker (/workers/<id>/availability, when someone calls in sick). One page, two sets of
addresses (`Urls`); the registry service checks who may change whose. The pool's page of a worker
under 16 also lists their school holidays (at 15 they decide how long the worker may work a day)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from banenpool.calendar_nl import local_datetime
from banenpool.db import utcnow
from banenpool.errors import InvalidInput, NotFound
from banenpool.services import assignments, registry
from web.database import session
from web.views.common import local, who
from web.views.filters import day as day_text
from web.views.forms import WEEKDAYS, AbsenceForm, AvailabilityForm, DaysForm, EmptyForm, field_errors
from web.views.messages import leaf_messages


@dataclass(frozen=True)
class Urls:
    page: str      # endpoints of the page, of adding and of removing an absence
    add: str
    delete: str
    own: bool      # the worker's own page (else the pool's, with the worker's id in the address)

    def args(self, worker_id: int) -> dict:
        return {} if self.own else {"worker_id": worker_id}


def edit(worker_id: int, urls: Urls):
    worker = registry.get_worker(session(), who(), worker_id)
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
            registry.set_availability(session(), who(), worker.id, weekly,
                                      registry.as_stored(worker.absences, registry.ABSENCE_FIELDS))
            session().commit()
            flash(_("Availability saved."), "info")
            for d in changed:   # as in the API, an end before the start is the next morning
                if d["end"] < d["start"]:
                    day, after = (str(WEEKDAYS[(d["weekday"] + i) % 7].label) for i in (0, 1))
                    flash(_("%(day)s %(start)s–%(end)s ends on %(next)s.", day=day.capitalize(), next=after,
                            start=d["start"].strftime("%H:%M"), end=d["end"].strftime("%H:%M")), "info")
            return redirect(url_for(urls.page, **urls.args(worker.id)))
    elif form.is_submitted():  # the page shows no field errors: say what is wrong, nothing is saved
        for message in form.days.errors:
            if isinstance(message, str):
                flash(_("Not saved: %(reason)s", reason=message), "error")
    return _page(form, worker, urls)


def _page(form: AvailabilityForm, worker, urls: Urls, absence: AbsenceForm | None = None,
          school: DaysForm | None = None):
    since = utcnow() - timedelta(days=30)
    shown = [(a, whole_days(a)) for a in sorted(worker.absences, key=lambda a: a.start) if a.end >= since]
    # per absence, the confirmed shifts in it that have not begun: the worker cannot come
    calls = assignments.absent_calls_per_absence(session(), worker, [a for a, _days in shown])
    today = local(utcnow()).date()
    holidays = ([h for h in worker.school_holidays if h.last_day >= since.date()]
                if registry.school_age(worker, today) else None)
    return render_template("worker/availability.html", form=form, worker=worker, absences=shown, calls=calls,
                           absence=absence or AbsenceForm(formdata=None), button=EmptyForm(), urls=urls,
                           url_args=urls.args(worker.id), school_holidays=holidays,
                           school=school or DaysForm(formdata=None, prefix="school"))


def whole_days(absence):
    """(first day, last day) when the absence runs from midnight to midnight (Amsterdam), else None."""
    start, end = local(absence.start), local(absence.end)
    if start.time() == end.time() == time(0) and end > start:
        return start.date(), (end - timedelta(days=1)).date()
    return None


def add_absence(worker_id: int, urls: Urls):
    """Leave in whole days: from the first day's 00:00 to the day after the last, Amsterdam time."""
    worker = registry.get_worker(session(), who(), worker_id)
    form = AbsenceForm()
    if not form.validate():
        for message in field_errors(form):
            flash(_("Not saved: %(reason)s", reason=message), "error")
        return _page(AvailabilityForm(formdata=None), worker, urls, form), 422
    first, last = form.first.data, form.last.data
    start, end = local_datetime(first, time(0)), local_datetime(last + timedelta(days=1), time(0))
    registry.add_absence(session(), who(), worker.id, {"start": start, "end": end, "reason": form.reason.data})
    planned = assignments.absent_calls(session(), worker, start, end)   # the night before's too
    session().commit()
    flash(_("Absence saved from %(first)s through %(last)s.", first=day_text(first, "d MMM y"),
          last=day_text(last, "d MMM y")), "info")
    if planned and urls.own:
        flash(ngettext("You are planned on %(num)s shift in this period: tell the pool, it finds a replacement.",
                       "You are planned on %(num)s shifts in this period: tell the pool, it finds a replacement.",
                       len(planned)), "error")
    elif planned:
        flash(ngettext("%(name)s is planned on %(num)s shift in this period: release it below to open it for a "
                       "replacement.",
                       "%(name)s is planned on %(num)s shifts in this period: release them below to open them for a "
                       "replacement.", len(planned), name=worker.name), "error")
    return redirect(url_for(urls.page, **urls.args(worker.id)))


def release_absence(worker_id: int, absence_id: int, urls: Urls):
    """The pool releases the worker from the shifts an absence covers (assignments.release_absent)."""
    worker = registry.get_worker(session(), who(), worker_id)
    try:
        absence = registry.get_absence(session(), who(), worker.id, absence_id)
    except NotFound as exc:
        return _gone(exc, _("This absence was removed or changed meanwhile (perhaps on another page); nothing was "
                       "released. Look again below."), worker, urls)
    released = assignments.release_absent(session(), who(), worker.id, absence.start, absence.end)
    session().commit()
    if released:
        flash(ngettext("%(name)s is released from %(num)s shift; it is open again for a replacement.",
                       "%(name)s is released from %(num)s shifts; they are open again for a replacement.",
                       len(released), name=worker.name), "info")
        told = len({w for a in released for w in a.offered_to})
        flash(ngettext("%(num)s worker who can take them without breaking a rule was told.",
                       "%(num)s workers who can take them without breaking a rule were told.", told), "info")
    else:
        flash(_("%(name)s has no shifts in this absence that have not begun.", name=worker.name), "info")
    return redirect(url_for(urls.page, **urls.args(worker.id)))


def delete_absence(worker_id: int, absence_id: int, urls: Urls):
    worker = registry.get_worker(session(), who(), worker_id)
    try:
        registry.delete_absence(session(), who(), worker.id, absence_id)
    except NotFound as exc:
        return _gone(exc, _("This absence was removed or changed meanwhile (perhaps on another page). Look again "
                       "below."), worker, urls)
    session().commit()
    flash(_("Absence removed."), "info")
    return redirect(url_for(urls.page, **urls.args(worker.id)))


def _gone(exc: NotFound, message: str, worker, urls: Urls):
    """A button of an entry that is no longer there (a page left open while it was removed): say so on
    the page as it is now, nothing changed. Another worker's entry stays a 404."""
    if not getattr(exc, "gone", False):
        raise exc
    session().rollback()
    flash(message, "error")
    return redirect(url_for(urls.page, **urls.args(worker.id)))


def add_school_holiday(worker_id: int, urls: Urls):
    """The pool adds a school holiday, first through last day (registry.set_school_holidays)."""
    worker = registry.get_worker(session(), who(), worker_id)
    form = DaysForm(prefix="school")
    if form.validate():
        holiday = {"first_day": form.first.data, "last_day": form.last.data}
        try:
            registry.add_school_holiday(session(), who(), worker.id, holiday)
        except InvalidInput as exc:
            session().rollback()
            flash(_("Not saved: %(reason)s", reason="; ".join(leaf_messages(exc.errors))), "error")
        else:
            session().commit()
            flash(_("School holiday saved from %(first)s through %(last)s.", first=day_text(form.first.data, "d MMM y"),
                    last=day_text(form.last.data, "d MMM y")), "info")
            return redirect(url_for(urls.page, **urls.args(worker.id)))
    for message in field_errors(form):
        flash(_("Not saved: %(reason)s", reason=message), "error")
    worker = registry.get_worker(session(), who(), worker_id)
    return _page(AvailabilityForm(formdata=None), worker, urls, school=form), 422


def delete_school_holiday(worker_id: int, holiday_id: int, urls: Urls):
    worker = registry.get_worker(session(), who(), worker_id)
    try:
        registry.delete_school_holiday(session(), who(), worker.id, holiday_id)
    except NotFound as exc:
        return _gone(exc, _("This school holiday was removed or changed meanwhile (perhaps on another page). Look "
                       "again below."), worker, urls)
    session().commit()
    flash(_("School holiday removed."), "info")
    return redirect(url_for(urls.page, **urls.args(worker.id)))


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
