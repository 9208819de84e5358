"""A shift's staffing (intermediary): who has it, who could take it and why others cannot,
assigning a worker by hand and cancelling an assignment. The rules are the services'
(assignments.assign and assignments.staffing judge by the same rules engines)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from banenpool.db import utcnow
from banenpool.errors import Conflict, InvalidInput, NotFound
from banenpool.models import Shift
from banenpool.services import assignments, registry, shifts
from banenpool.services.timesheets import CALL_NOTICE, approved_hours, owed_if_cancelled
from web.database import session
from web.views.common import lang, local, role_required, who
from web.views.filters import hours, when
from web.views.forms import AssignForm, EmptyForm, MoveShiftForm
from web.views.messages import CONFLICT, RULE, invalid, refusal, rule_reason

bp = Blueprint("staffing", __name__)
REASON_LENGTH = assignments.MAX_CANCEL_REASON


@bp.get("/shifts/<int:shift_id>/staff")
@role_required("intermediary")
def shift(shift_id):
    staffed = assignments.staffing(session(), who(), shift_id, lang=lang())
    employers = {e.id: e for e in registry.list_employers(session(), who())}
    owed = {a.id: owed_if_cancelled(session(), a) for a, _worker in staffed.assigned}
    approved = approved_hours(session(), owed)     # cancelling those is refused: no button
    reasons = {c.worker.id: list(dict.fromkeys(rule_reason(rule, message) for rule, message in c.refusals))
               for c in staffed.candidates}   # a rule broken on both sides of the shift is said once
    return render_template("pool/shift.html", staffed=staffed, employers=employers, owed=owed, reasons=reasons,
                           approved=approved,
                           form=AssignForm(), button=EmptyForm(), now=utcnow(), reason_length=REASON_LENGTH)


@bp.post("/shifts/<int:shift_id>/assign")
@role_required("intermediary")
def assign(shift_id):
    form = AssignForm()
    if not form.validate_on_submit():
        flash(_("Choose a worker."), "error")
        return redirect(url_for(".shift", shift_id=shift_id))
    try:
        a = assignments.assign(session(), who(), shift_id, form.worker_id.data)
    except NotFound:
        session().rollback()
        flash(_("Not assigned: that worker or shift does not exist (any more)."), "error")
    except Conflict as exc:
        session().rollback()
        flash(_("Not assigned: %(reason)s", reason=_why_not(exc, shift_id, form.worker_id.data)), "error")
    else:
        name = registry.get_worker(session(), who(), a.worker_id).name
        session().commit()
        flash(_("%(name)s has the shift; it is in their schedule and calendar.", name=name), "info")
    return redirect(url_for(".shift", shift_id=shift_id))


def _why_not(exc: Conflict, shift_id: int, worker_id: int) -> str:
    """A refused assignment in the page's language: a known refusal by its code, the rules the worker
    breaks as the candidate list says them (judged again, in the page's language)."""
    if any(rule in CONFLICT for rule in exc.rules) or all(rule in RULE for rule in exc.rules):
        return refusal(exc)
    broken = assignments.refusals(session(), who(), shift_id, worker_id, lang=lang())
    return "; ".join(dict.fromkeys(rule_reason(rule, message) for rule, message in broken)) or refusal(exc)


@bp.post("/assignments/<int:assignment_id>/cancel")
@role_required("intermediary")
def cancel(assignment_id):
    a = assignments.get_assignment(session(), who(), assignment_id)
    shift_id, owed = a.shift_id, owed_if_cancelled(session(), a)
    try:
        assignments.update_status(session(), who(), assignment_id, "cancelled")
    except Conflict as exc:
        session().rollback()
        flash(_("Not cancelled: %(reason)s", reason=refusal(exc)), "error")
    else:
        session().commit()
        if owed:
            flash(_("Cancelled less than 4 days ahead: the %(hours)s planned hours are owed as wages and billed.",
                    hours=hours(a.shift.paid_hours)), "info")
        else:
            flash(_("Cancelled; the worker's schedule and calendar show it."), "info")
    return redirect(url_for(".shift", shift_id=shift_id))


def set_headcount(shift_id: int, raw: str) -> None:
    """Change how many workers a shift needs from a page's number field (the employer's request page,
    the pool's staffing page), with the outcome as the message."""
    try:
        if not raw.isascii() or not raw.isdigit() or len(raw) > 3:
            raise InvalidInput({"headcount": ["must be from 1 to 500"]})
        shift, _filled = shifts.set_headcount(session(), who(), shift_id, int(raw))
    except InvalidInput as exc:
        session().rollback()
        flash(_("Not changed: %(reason)s", reason=invalid(exc)), "error")
    except Conflict as exc:
        session().rollback()
        flash(_("Not changed: %(reason)s", reason=refusal(exc)), "error")
    else:
        session().commit()
        flash(_("The shift of %(day)s now needs %(n)s workers.", day=when(shift.start),
                n=shift.headcount), "info")


@bp.post("/shifts/<int:shift_id>/headcount")
@role_required("intermediary")
def change_headcount(shift_id):
    set_headcount(shift_id, request.form.get("headcount", ""))
    return redirect(url_for(".shift", shift_id=shift_id))


def call_off(shift_id: int, reason: str) -> None:
    """Cancel a shift from a page (the employer's request page, the pool's staffing page), with
    what became of its workers as the message."""
    try:
        done = assignments.cancel_shift(session(), who(), shift_id, reason)
    except (Conflict, InvalidInput) as exc:
        session().rollback()
        flash(_("Shift not cancelled: %(reason)s",
                reason=refusal(exc) if isinstance(exc, Conflict) else invalid(exc)), "error")
        return
    session().commit()
    day = when(done.shift.start)
    paid = sum(1 for _a, owed in done.cancelled if owed)
    if not done.cancelled:
        flash(_("The shift of %(day)s is cancelled; nobody was on it.", day=day), "info")
    elif paid:
        flash(_("The shift of %(day)s is cancelled and its %(n)s workers are told. It starts within 4 days: "
                "%(paid)s of them are paid the %(hours)s planned hours, which are billed.", day=day,
                n=len(done.cancelled), paid=paid, hours=hours(done.shift.paid_hours)), "info")
    else:
        flash(_("The shift of %(day)s is cancelled and its %(n)s workers are told.", day=day,
                n=len(done.cancelled)), "info")


@bp.post("/shifts/<int:shift_id>/cancel")
@role_required("intermediary")
def cancel_shift(shift_id):
    call_off(shift_id, request.form.get("reason", ""))
    return redirect(url_for(".shift", shift_id=shift_id))


@bp.route("/shifts/<int:shift_id>/move", methods=["GET", "POST"])
@role_required("employer", "intermediary")
def move(shift_id):
    """New times for a shift that has not begun (the employer's own, or any for the pool), with what
    becomes of its workers said before and after."""
    shift = session().get(Shift, shift_id)
    if shift is None or not who().may_see_employer(shift.employer_id):
        abort(404)
    form = MoveShiftForm()
    if request.method == "GET":
        start = local(shift.start)
        form.day.data, form.start.data = start.date(), start.time()
        form.end.data, form.break_minutes.data = local(shift.end).time(), shift.break_minutes
    elif form.validate_on_submit():
        try:
            moved = assignments.move_shift(session(), who(), shift_id, form.day.data, form.start.data,
                                           form.end.data, form.break_minutes.data)
        except (Conflict, InvalidInput) as exc:
            session().rollback()
            flash(_("Not moved: %(reason)s",
                    reason=refusal(exc) if isinstance(exc, Conflict) else invalid(exc)), "error")
        else:
            session().commit()
            _say_moved(moved)
            return redirect(_after_change(moved.shift))
    else:
        flash(_("Not moved: %(reason)s", reason="; ".join(f"{f.label.text}: {e}" for f in form for e in f.errors)),
              "error")
    owed = sum(1 for a in shift.assignments if a.status == "confirmed" and owed_if_cancelled(session(), a))
    return render_template("move_shift.html", shift=shift, form=form, owed=owed, now=utcnow(), notice=CALL_NOTICE,
                           confirmed=sum(1 for a in shift.assignments if a.status == "confirmed"),
                           back=_after_change(shift))


def _say_moved(moved) -> None:
    day = when(moved.shift.start)
    paid = sum(1 for _a, owed in moved.released if owed)
    flash(_("The shift now starts %(day)s.", day=day), "info")
    if moved.kept:
        flash(_("%(n)s workers keep it at the new times and are told.", n=len(moved.kept)), "info")
    if moved.released and moved.late:
        flash(_("%(n)s workers no longer have it and are told; %(paid)s of them are paid the planned hours "
                "(moved less than 4 days ahead).", n=len(moved.released), paid=paid), "info")
    elif moved.released:
        flash(_("%(n)s workers cannot take it at the new times (a rule they would break) and are told.",
                n=len(moved.released)), "info")


def _after_change(shift) -> str:
    if who().role == "intermediary":
        return url_for(".shift", shift_id=shift.id)
    if shift.request_id is not None:
        return url_for("employer.request_detail", request_id=shift.request_id)
    return url_for("employer.staffed_shifts")
