"""Employer pages: its own capacity requests (list, create) and its own staffed shifts — nothing else."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from banenpool.db import utcnow
from banenpool.errors import InvalidInput, NotFound
from banenpool.services import assignments, caos, capacity, registry, shifts
from banenpool.services.employer_caos import cao_history
from web.database import session
from web.views.billing import euro
from web.views.common import (
    calendar_address, iso_week, later_shifts, local, renew_calendar_address, role_required, week_arg, who, worker_names,
)
from web.views.forms import EmptyForm, RequestForm
from web.views.messages import field_messages
from web.views.staffing import REASON_LENGTH, call_off, set_headcount

bp = Blueprint("employer", __name__, url_prefix="/employer")


def _by_line(errors: dict, numbers: list[int]) -> dict:
    """Errors about pattern entry i named by the page's line number ("#3"), not by i: empty lines
    are left out of the pattern, so i is not the line the employer sees."""
    pattern = errors.get("pattern")
    if not isinstance(pattern, dict):
        return errors
    return {**errors, "pattern": {(f"#{numbers[int(i)]}" if i.isdigit() and int(i) < len(numbers) else i): value
                                  for i, value in pattern.items()}}


@bp.route("/requests", methods=["GET", "POST"])
@role_required("employer")
def requests():
    form = RequestForm()
    form.scale.choices = _scale_choices()
    if form.validate_on_submit():
        if not form.pattern():
            flash(_("Fill in at least one line: day, start and end."), "error")
        else:
            data = {"employer_id": who().employer_id, "title": form.title.data, "skills": form.skill_list(),
                    "start_date": form.start_date.data, "end_date": form.end_date.data, "pattern": form.pattern(),
                    "scale": form.scale.data or None}
            try:
                request = capacity.create_request(session(), who(), data)
            except InvalidInput as exc:
                for message in field_messages(_by_line(exc.errors, form.line_numbers())):
                    flash(message, "error")
            else:
                session().commit()
                flash(_("Request “%(title)s” created with %(n)s shifts.", title=request.title,
                        n=len(request.shifts)), "info")
                return redirect(url_for(".request_detail", request_id=request.id))
    return render_template("employer/requests.html", form=form,
                           requests=capacity.list_requests(session(), who()))


def _scale_choices() -> list[SelectChoice]:
    """The wage scales of the employer's CAO as in force today, lowest first, with the hourly wage
    (the service checks the scale against the version in force when the request starts)."""
    employer = registry.get_employer(session(), who(), who().employer_id)
    try:
        cao = caos.get_cao(employer.cao_code)
    except NotFound:
        return []
    return [SelectChoice(code, f"{code} ({euro(wage)})") for code, wage in cao.wage_scales.items()]


@bp.get("/requests/<int:request_id>")
@role_required("employer")
def request_detail(request_id):
    request = capacity.get_request(session(), who(), request_id)  # 404 for another employer's request
    days = [local(s.start).date() for s in request.shifts]     # a moved shift may lie outside the request's dates
    staffed = _who_comes(min(days, default=request.start_date), max(days, default=request.end_date))
    rows = [(s, len(staffed.get(s.id, []))) for s in request.shifts]
    return render_template("employer/request.html", request=request, staffed=staffed, rows=rows,
                           names=worker_names(w for ids in staffed.values() for w in ids),
                           editable=True, now=utcnow(), button=EmptyForm(), reason_length=REASON_LENGTH)


@bp.post("/shifts/<int:shift_id>/headcount")
@role_required("employer")
def change_headcount(shift_id):
    """A shift of the employer's own request needs more or fewer workers (back to its request)."""
    set_headcount(shift_id, request.form.get("headcount", ""))
    return _back_to_request()


@bp.post("/shifts/<int:shift_id>/cancel")
@role_required("employer")
def cancel_shift(shift_id):
    """Call off a coming shift of the employer's own (back to its request)."""
    call_off(shift_id, request.form.get("reason", ""))
    return _back_to_request()


def _back_to_request():
    back = request.form.get("request_id", "")
    if back.isascii() and back.isdigit() and len(back) < 10:
        return redirect(url_for(".request_detail", request_id=int(back)))
    return redirect(url_for(".requests"))


@bp.get("/shifts")
@role_required("employer")
def staffed_shifts():
    monday = week_arg()
    sunday = monday + timedelta(days=6)
    rows = shifts.list_shifts(session(), who(), monday, sunday, include_cancelled=True)
    staffed = _who_comes(monday, sunday)
    return render_template("employer/shifts.html", rows=rows, staffed=staffed, week=iso_week(monday),
                           names=worker_names(w for ids in staffed.values() for w in ids),
                           calendar_url=calendar_address(
                               lambda calendar: calendar.employer_token(session(), who(), who().employer_id)),
                           button=EmptyForm(),
                           prev=iso_week(monday - timedelta(days=7)), next=iso_week(monday + timedelta(days=7)),
                           later=later_shifts(not rows, sunday + timedelta(days=1), "employer.staffed_shifts"))


@bp.get("/details")
@role_required("employer")
def details():
    """The employer's own registered details and CAO history, read-only: the pool changes them."""
    employer = registry.get_employer(session(), who(), who().employer_id)
    return render_template("employer/details.html", employer=employer, cao_history=cao_history(employer))


@bp.post("/calendar/renew")
@role_required("employer")
def renew_calendar():
    """A new private address for the employer's shift calendar; the old one stops working."""
    renew_calendar_address(lambda calendar: calendar.rotate_employer_token(session(), who(), who().employer_id),
                           _("The shift calendar has a new address; the old one no longer works. "
                             "Subscribe to the new one."))
    return redirect(url_for(".staffed_shifts"))


def _who_comes(first, last) -> dict[int, list[int]]:
    """Confirmed workers per shift id, from the employer-scoped assignment list."""
    out: dict[int, list[int]] = {}
    for a in assignments.list_assignments(session(), who(), start=first, end=last):
        if a.status == "confirmed":
            out.setdefault(a.shift_id, []).append(a.worker_id)
    return out
