"""Hours and invoices in the web interface.

Intermediary: the invoice list with a form to make a draft, the invoice page (finalise, credit, discard)
and its CSV / UBL / PDF downloads. Employer: its own invoices and the submitted hours at its sites to
correct and approve; an approval can be reopened while the hours are not on a final invoice.
Worker: registering the hours worked on past confirmed assignments (/me/hours).
"""
from __future__ import annotations

import re

from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_currency, gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TimeField
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

from banenpool.calendar_nl import AMS
from banenpool.db import utcnow
from banenpool.errors import Conflict, InvalidInput, NotFound, Unavailable
from banenpool.services import assignments, billing, invoice_documents, registry, timesheets
from web.api.fields import MAX_ID
from web.database import session
from web.views.common import date_arg, employer_names, local, role_required, today, who, worker_names
from web.views.forms import EmptyForm, field_errors, plausible_day
from web.views.filters import day as day_text
from web.views.filters import hours as hours_text
from web.views.filters import when
from web.views.messages import invalid, refusal

bp = Blueprint("billing", __name__)
MEDIA = {"csv": ("text/csv; charset=utf-8", "csv"), "ubl": ("application/xml", "xml"),
         "pdf": ("application/pdf", "pdf")}
LOOK_BACK = timedelta(weeks=8)
LONG_SHIFT_HOURS = 12   # more work than the Working Hours Act allows in one shift: say so when saved


class DraftForm(FlaskForm):
    employer_id = SelectField(_l("Employer"), coerce=int, validators=[InputRequired()])
    period_start = DateField(_l("From"), validators=[DataRequired(), plausible_day()])
    period_end = DateField(_l("Through"), validators=[DataRequired(), plausible_day()])


class HoursForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(), plausible_day()])
    start = TimeField(_l("Start"), validators=[DataRequired()])
    end = TimeField(_l("End"), validators=[DataRequired()])
    break_minutes = IntegerField(_l("Break (min)"), default=0, validators=[InputRequired(), NumberRange(0, 240)])

    def validate_end(self, field) -> None:
        """08:00–08:00 would be read as 24 hours of work (an end at the start is on the next day):
        far more likely a slip, and the other forms refuse equal times too."""
        if self.start.data is not None and field.data == self.start.data:
            raise ValidationError(_l("must differ from the start"))

    def span(self, shown: tuple[datetime, ...] = ()) -> tuple[datetime, datetime]:
        """Start and end (in UTC) of the local times typed; an end at or before the start is on
        the next day (night shift). UTC, so their difference is the time that passed: two times
        in the Amsterdam zone subtract as wall clock, an hour off on the nights the clocks change.

        `shown`: the moments the form was filled in with. On the night the clocks go back the
        page shows 02:00-03:00 twice; a time left as shown stays the moment it was (the second
        02:30, say), where building it from the wall clock would pick the first."""
        start = _as_shown(datetime.combine(self.day.data, self.start.data, AMS), shown)
        end = datetime.combine(self.day.data, self.end.data, AMS)
        if end <= start:
            end += timedelta(days=1)
        return start.astimezone(UTC), _as_shown(end, shown).astimezone(UTC)


def _as_shown(moment: datetime, shown: tuple[datetime, ...]) -> datetime:
    wall = moment.replace(tzinfo=None)
    return next((m.astimezone(AMS) for m in shown if m.astimezone(AMS).replace(tzinfo=None) == wall), moment)


@bp.app_template_filter("euro")
def euro(value) -> str:
    return format_currency(value or 0, "EUR")


# ---- intermediary ----

@bp.route("/invoices", methods=["GET", "POST"])
@role_required("intermediary")
def invoices():
    form = DraftForm()
    form.employer_id.choices = [(e.id, e.name) for e in registry.list_employers(session(), who())]
    if not form.is_submitted():
        first_of_month = today().replace(day=1)
        form.period_end.data = first_of_month - timedelta(days=1)
        form.period_start.data = form.period_end.data.replace(day=1)
    if form.validate_on_submit():
        data = {"employer_id": form.employer_id.data, "period_start": form.period_start.data,
                "period_end": form.period_end.data}
        try:
            invoice = billing.create_invoice(session(), who(), data)
        except InvalidInput as exc:
            flash(_("No draft made: %(reason)s", reason=invalid(exc)), "error")
        except Conflict as exc:   # hours still waiting for approval, say
            flash(_("No draft made: %(reason)s", reason=refusal(exc)), "error")
        else:
            session().commit()
            flash(_("Draft invoice made with %(n)s lines.", n=len(invoice.lines)), "info")
            return redirect(url_for(".invoice", invoice_id=invoice.id))
    return render_template("billing/invoices.html", form=form, invoices=billing.list_invoices(session(), who()),
                           show="billing.invoice")


@bp.get("/invoices/<int:invoice_id>")
@role_required("intermediary")
def invoice(invoice_id):
    return _invoice_page(invoice_id, "billing.invoice", "billing.download")


@bp.post("/invoices/<int:invoice_id>/finalize")
@role_required("intermediary")
def finalize(invoice_id):
    try:
        invoice = billing.finalize(session(), who(), invoice_id)
    except Conflict as exc:
        flash(_("Not finalised: %(reason)s", reason=refusal(exc)), "error")
    else:
        session().commit()
        flash(_("Invoice %(number)s is final.", number=invoice.number), "info")
    return redirect(url_for(".invoice", invoice_id=invoice_id))


@bp.post("/invoices/<int:invoice_id>/credit")
@role_required("intermediary")
def credit(invoice_id):
    try:
        note = billing.credit(session(), who(), invoice_id)
    except Conflict as exc:
        flash(_("No credit note made: %(reason)s", reason=refusal(exc)), "error")
        return redirect(url_for(".invoice", invoice_id=invoice_id))
    session().commit()
    flash(_("Credit note %(number)s made.", number=note.number), "info")
    return redirect(url_for(".invoice", invoice_id=note.id))


@bp.post("/invoices/<int:invoice_id>/delete")
@role_required("intermediary")
def delete(invoice_id):
    try:
        billing.delete_invoice(session(), who(), invoice_id)
    except Conflict as exc:
        flash(_("Not discarded: %(reason)s", reason=refusal(exc)), "error")
        return redirect(url_for(".invoice", invoice_id=invoice_id))
    session().commit()
    flash(_("The draft is discarded."), "info")
    return redirect(url_for(".invoices"))


@bp.get("/invoices/<int:invoice_id>/download/<fmt>")
@role_required("intermediary")
def download(invoice_id, fmt):
    return _download(invoice_id, fmt, "billing.invoice")


# ---- employer ----

@bp.get("/employer/invoices")
@role_required("employer")
def employer_invoices():
    return render_template("billing/invoices.html", form=None, invoices=billing.list_invoices(session(), who()),
                           show="billing.employer_invoice")


@bp.get("/employer/invoices/<int:invoice_id>")
@role_required("employer")
def employer_invoice(invoice_id):
    return _invoice_page(invoice_id, "billing.employer_invoice", "billing.employer_download")


@bp.get("/employer/invoices/<int:invoice_id>/download/<fmt>")
@role_required("employer")
def employer_download(invoice_id, fmt):
    return _download(invoice_id, fmt, "billing.employer_invoice")


@bp.get("/employer/timesheets")
@role_required("employer")
def employer_timesheets():
    return _timesheets_page(None)


@bp.get("/hours")
@role_required("intermediary")
def pool_hours():
    """The intermediary's view of the hours at every employer (or one: ?employer=ID)."""
    return _timesheets_page(_employer_arg(), _pool_employers())


def _employer_arg() -> int | None:
    """?employer=ID of the pool's hours page: None for all employers (left out, blank or not a
    number); 404 for a number no employer can have (beyond the database's ids)."""
    employer_id = request.args.get("employer", type=int)
    if employer_id is not None and not 1 <= employer_id <= MAX_ID:
        abort(404)
    return employer_id


def _pool_employers() -> dict[int, str]:
    employers = sorted(registry.list_employers(session(), who()), key=lambda e: e.name.lower())
    return {e.id: e.name for e in employers}


def _timesheets_page(employer_id: int | None, employers: dict | None = None, posted: tuple | None = None):
    """`posted`: (assignment id, form) of a correction that was refused, shown as it was typed."""
    since = date_arg("from", today() - LOOK_BACK)
    waiting = timesheets.list_timesheets(session(), who(), status="submitted", employer_id=employer_id,
                                         confirmed_only=True)     # hours of a cancelled shift are not approved
    approved = timesheets.list_timesheets(session(), who(), status="approved", employer_id=employer_id,
                                          approved_since=since)   # as the page says: approved since that day
    return render_template("billing/timesheets.html", waiting=waiting, approved=approved, since=since,
                           names=worker_names(s.assignment.worker_id for s in waiting + approved),
                           forms={s.assignment_id: posted[1] if posted and posted[0] == s.assignment_id
                                  else _hours_form(s.assignment, s) for s in waiting},
                           billed=timesheets.final_invoices(session(), [s.assignment_id for s in approved]),
                           employers=employers, employer_id=employer_id, button=EmptyForm())


def _back_to_hours():
    """The hours page the form was posted from (the employer's, or the pool's with its filter)."""
    if who().role == "intermediary":
        return redirect(url_for(".pool_hours", **{k: v for k, v in request.args.items() if k in ("employer", "from")}))
    return redirect(url_for(".employer_timesheets", **{k: v for k, v in request.args.items() if k == "from"}))


@bp.post("/employer/timesheets/<int:assignment_id>/hours")
@role_required("employer", "intermediary")
def correct_hours(assignment_id):
    """The hours form's two buttons: save the corrected hours, or approve them as they stand in
    the form (saved first when they were changed, so an edit is never lost)."""
    approving = request.form.get("action") == "approve"
    saved, form = _save_hours(assignment_id, only_changed=approving)
    if not saved:   # the page again, with what was typed
        if who().role == "intermediary":
            return _timesheets_page(_employer_arg(), _pool_employers(), (assignment_id, form))
        return _timesheets_page(None, posted=(assignment_id, form))
    if approving:
        _approve(assignment_id)
    else:
        flash(_("Hours corrected; approve them when they are right."), "info")
    return _back_to_hours()


@bp.post("/employer/timesheets/<int:assignment_id>/reopen")
@role_required("employer", "intermediary")
def reopen(assignment_id):
    _on_hours(timesheets.reopen, assignment_id, _l("Not reopened: %(reason)s"),
              _l("The approval of the hours of %(name)s on %(day)s is withdrawn: correct them and approve again."))
    return _back_to_hours()


@bp.post("/employer/timesheets/<int:assignment_id>/approve")
@role_required("employer", "intermediary")
def approve(assignment_id):
    _approve(assignment_id)
    return _back_to_hours()


@bp.post("/employer/timesheets/approve-all")
@role_required("employer", "intermediary")
def approve_all():
    """Every waiting hour the page showed, approved at once or (one refused) none."""
    posted = request.form.getlist("assignment_id")
    if not posted or not all(re.fullmatch(r"[0-9]{1,9}", v) for v in posted):
        flash(_("No hours chosen."), "error")
        return _back_to_hours()
    try:
        sheets = timesheets.approve_many(session(), who(), [int(v) for v in posted])
    except InvalidInput as exc:
        session().rollback()
        flash(_("Nothing approved: %(reason)s", reason=invalid(exc)), "error")
        return _back_to_hours()
    except Conflict as exc:
        session().rollback()
        failed = assignments.get_assignment(session(), who(), exc.assignment_id)
        flash(_("Nothing approved: the hours of %(name)s on %(day)s: %(reason)s",
                name=worker_names([failed.worker_id])[failed.worker_id],
                day=day_text(local(failed.shift.start).date(), "d MMM y"), reason=refusal(exc)), "error")
        return _back_to_hours()
    session().commit()
    flash(_("Hours of %(n)s shifts approved.", n=len(sheets)), "info")
    return _back_to_hours()


def _approve(assignment_id: int) -> None:
    _on_hours(timesheets.approve, assignment_id, _l("Not approved: %(reason)s"),
              _l("Hours of %(name)s on %(day)s approved."))


def _on_hours(action, assignment_id: int, refused, done) -> None:
    """Approve or reopen (`action`, a timesheets service) and say how it went: `refused` with the
    reason, or `done` with the worker's name and the day (another employer's hours → 404)."""
    try:
        sheet = action(session(), who(), assignment_id)
    except Conflict as exc:
        flash(str(refused) % {"reason": refusal(exc)}, "error")
        return
    session().commit()
    name = worker_names([sheet.assignment.worker_id])[sheet.assignment.worker_id]
    flash(str(done) % {"name": name, "day": day_text(local(sheet.start).date(), "d MMM y")}, "info")


# ---- worker ----

@bp.get("/me/hours")
@role_required("worker")
def hours():
    return _worker_hours_page()


def _worker_hours_page(posted: HoursForm | None = None, assignment_id: int | None = None):
    """`posted`: a form that was refused, shown again as the worker filled it in."""
    first = min(date_arg("from", today() - LOOK_BACK), today())   # no hours to register ahead
    now = utcnow()
    rows = [a for a in assignments.list_assignments(session(), who(), start=first, end=today())
            if a.status == "confirmed" and a.shift.start <= now]
    sheets = {s.assignment_id: s for s in timesheets.list_timesheets(session(), who(), start=first - timedelta(days=1))}
    forms = {a.id: _hours_form(a, sheets.get(a.id)) for a in rows if a.id not in sheets
             or sheets[a.id].status != "approved"}
    if posted is not None and assignment_id in forms:
        forms[assignment_id] = posted
    return render_template("billing/hours.html", rows=rows[::-1], sheets=sheets, forms=forms, first=first,
                           employers=employer_names(a.shift.employer_id for a in rows))


@bp.post("/me/hours/<int:assignment_id>")
@role_required("worker")
def register_hours(assignment_id):
    saved, form = _save_hours(assignment_id)
    if not saved:   # the page again, with what was typed
        return _worker_hours_page(form, assignment_id)
    flash(_("Hours saved; your employer approves them."), "info")
    return redirect(url_for(".hours", **({"from": request.args["from"]} if request.args.get("from") else {})))


def _save_hours(assignment_id: int, only_changed: bool = False) -> tuple[bool, HoursForm]:
    """Register the hours of the posted form (HoursForm with the assignment's prefix): (saved, the
    form); when they are refused the reasons are flashed and nothing is kept. `only_changed`:
    leave registered hours that the form repeats as they are."""
    form = HoursForm(prefix=f"a{assignment_id}")
    if not form.validate():
        flash("; ".join(field_errors(form)), "error")
        return False, form
    registered = _registered(assignment_id)
    start, end = form.span(registered[:2] if registered else _shown(assignment_id))
    if only_changed and (start, end, form.break_minutes.data) == registered:
        return True, form
    try:
        timesheets.submit(session(), who(), assignment_id, {"start": start, "end": end,
                                                             "break_minutes": form.break_minutes.data})
    except InvalidInput as exc:
        flash(_("Not saved: %(reason)s", reason=invalid(exc)), "error")
    except Conflict as exc:
        flash(_("Not saved: %(reason)s", reason=refusal(exc)), "error")
    else:
        session().commit()
        worked = (end - start - timedelta(minutes=form.break_minutes.data)) / timedelta(hours=1)
        if worked > LONG_SHIFT_HOURS:    # allowed (the hours were worked), but likely a typing slip
            flash(_("Note: these hours are %(hours)s h of work, from %(start)s to %(end)s; if that is a slip, "
                    "correct them.", hours=hours_text(round(worked, 2)), start=when(start),
                    end=when(end)), "error")
        return True, form
    session().rollback()     # the refused hours were written to the session before the check
    return False, form


def _shown(assignment_id: int) -> tuple[datetime, datetime]:
    """The start and end the hours form was filled in with (see _hours_form); 404 for an
    assignment that is not the worker's."""
    registered = _registered(assignment_id)
    if registered:
        return registered[:2]
    shift = assignments.get_assignment(session(), who(), assignment_id).shift
    return shift.start, shift.end


def _registered(assignment_id: int) -> tuple | None:
    """(start, end, break minutes) of the hours registered on the assignment, if any."""
    try:
        sheet = timesheets.get_timesheet(session(), who(), assignment_id)
    except NotFound:
        return None
    return sheet.start, sheet.end, sheet.break_minutes


def _hours_form(assignment, sheet) -> HoursForm:
    """Filled in with the registered hours, or else with the planned shift."""
    start, end, pause = (sheet.start, sheet.end, sheet.break_minutes) if sheet else (
        assignment.shift.start, assignment.shift.end, assignment.shift.break_minutes)
    return HoursForm(formdata=None, prefix=f"a{assignment.id}", day=local(start).date(),
                     start=local(start).time(), end=local(end).time(), break_minutes=pause)


# ---- shared ----

def _invoice_page(invoice_id: int, show: str, download_endpoint: str):
    invoice = billing.get_invoice(session(), who(), invoice_id)  # another employer's → 404
    credit_notes = [i for i in billing.list_invoices(session(), who(), invoice.employer_id)
                    if i.credit_of_id == invoice.id]
    return render_template("billing/invoice.html", invoice=invoice, credit_notes=credit_notes, show=show,
                           download=download_endpoint, button=EmptyForm(),
                           manage=who().role == "intermediary", review=billing.draft_review(session(), who(), invoice))


def _download(invoice_id: int, fmt: str, show: str):
    if fmt not in MEDIA:
        abort(404)
    invoice = billing.get_invoice(session(), who(), invoice_id)
    try:
        if fmt == "csv":
            body = invoice_documents.to_csv(invoice)
        elif fmt == "ubl":
            body = invoice_documents.to_ubl(invoice)  # a draft → 409
        else:
            body = invoice_documents.to_pdf(render_template("invoice.html",
                                                            **invoice_documents.document_context(invoice)))
    except (Conflict, Unavailable) as exc:  # no number yet, or no Pango on this server: say so on the page
        flash(_("No download: %(reason)s", reason=refusal(exc)), "error")
        return redirect(url_for(show, invoice_id=invoice_id))
    mimetype, extension = MEDIA[fmt]
    name = f"{'creditnota' if invoice.kind == 'credit_note' else 'factuur'}-{invoice.number or f'concept-{invoice.id}'}"
    return Response(body, content_type=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'})
