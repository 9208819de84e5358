"""Worker pages: the own combined schedule over all employers, availability and compliance checks."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from banenpool.errors import Conflict
from banenpool.services import assignments, registry, timesheets
from banenpool.services.checks import cao_moves_ahead, worker_checks
from web.database import session
from web.views import availability_pages
from web.views.common import (
    calendar_address, colour, date_arg, employer_names, lang, later_shifts, local, renew_calendar_address, role_required,
    today, who,
)
from web.views.filters import when
from web.views.forms import EmptyForm
from web.views.messages import refusal

bp = Blueprint("worker", __name__, url_prefix="/me")
WEEKS_AHEAD = 4
OWN = availability_pages.Urls("worker.availability", "worker.add_absence", "worker.delete_absence", own=True)


@bp.get("")
@role_required("worker")
def schedule():
    first = date_arg("from", today() - timedelta(days=today().weekday()))
    last = first + timedelta(days=7 * WEEKS_AHEAD - 1)
    rows = assignments.list_assignments(session(), who(), start=first, end=last)
    days = defaultdict(list)
    for a in rows:
        days[local(a.start).date()].append(a)
    paid = {s.assignment_id for s in timesheets.list_timesheets(session(), who(), status="approved",
                                                                start=first, end=last)
            if s.kind == "cancelled_call"}      # cancelled less than 4 days ahead: paid all the same
    may_decline = {a.id for a in rows if assignments.decline_refusal(session(), a) is None}
    return render_template("worker/schedule.html", days=sorted(days.items()), first=first, last=last, paid=paid,
                           earlier=first - timedelta(days=7 * WEEKS_AHEAD), following=last + timedelta(days=1),
                           calendar_url=calendar_address(
                               lambda calendar: calendar.worker_token(session(), who(), who().worker_id)),
                           button=EmptyForm(), may_decline=may_decline,
                           employers=employer_names(a.shift.employer_id for a in rows), colour=colour,
                           worker=registry.get_worker(session(), who(), who().worker_id),
                           later=later_shifts(not rows, last + timedelta(days=1), "worker.schedule", "from"))


@bp.post("/assignments/<int:assignment_id>/decline")
@role_required("worker")
def decline(assignment_id):
    """Refuse a call made less than 4 days ahead (assignments.decline)."""
    try:
        a = assignments.decline(session(), who(), assignment_id)
    except Conflict as exc:
        session().rollback()
        flash(_("Not refused: %(reason)s", reason=refusal(exc)), "error")
    else:
        session().commit()
        flash(_("You refused the shift of %(day)s; it is open again for the pool to fill.",
                day=when(a.shift.start)), "info")
    return redirect(url_for(".schedule"))


@bp.post("/calendar/renew")
@role_required("worker")
def renew_calendar():
    """A new private calendar address; the old one stops working (a phone lost, a link shared)."""
    renew_calendar_address(lambda calendar: calendar.rotate_worker_token(session(), who(), who().worker_id),
                           _("Your calendar has a new address; the old one no longer works. Subscribe to the new one."))
    return redirect(url_for(".schedule"))


@bp.route("/availability", methods=["GET", "POST"])
@role_required("worker")
def availability():
    return availability_pages.edit(who().worker_id, OWN)


@bp.post("/availability/absences")
@role_required("worker")
def add_absence():
    return availability_pages.add_absence(who().worker_id, OWN)


@bp.post("/availability/absences/<int:absence_id>/delete")
@role_required("worker")
def delete_absence(absence_id):
    return availability_pages.delete_absence(who().worker_id, absence_id, OWN)


@bp.get("/checks")
@role_required("worker")
def checks():
    first = today() - timedelta(days=today().weekday())
    last = first + timedelta(days=7 * WEEKS_AHEAD - 1)
    result = worker_checks(session(), who(), who().worker_id, first, last, lang=lang())
    moves = cao_moves_ahead(session(), who(), who().worker_id, max(first, today()), last, lang=lang())
    return render_template("worker/checks.html", checks=result, moves=moves)
