"""The pool's registry pages: new and changed workers, their contracts, new and changed employers.

Each save goes through the API's schema and the registry service in one transaction, so a page
refuses what the API refuses (shown under the field, in the page's language) and writes nothing
then."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError
from wtforms.fields.choices import SelectChoice

from banenpool.calendar_nl import AMS
from banenpool.errors import Conflict, InvalidInput
from banenpool.services import assignments, auth, caos, registry
from web.api.employers.schemas import EmployerPatchSchema, EmployerSchema
from web.api.workers.schemas import ContractSchema, WorkerPatchSchema, WorkerSchema
from web import password_links
from web.database import session
from web.views import availability_pages
from web.views.common import role_required, who
from web.views.filters import day
from web.views.forms import ContractEndForm, LeftOnForm, LoginInviteForm, field_errors
from web.views.messages import field_text, invalid, refusal
from web.views.registry_forms import ContractForm, EmployerForm, RegistryForm, WorkerForm

bp = Blueprint("registry", __name__)
CONFLICT_FIELD = {"email_taken": "email", "kvk_taken": "kvk_number", "contract_overlap": "start_date",
                  "hours_before_contract": "start_date", "cao_change_invoiced": "cao_valid_from",
                  "cao_change_before_latest": "cao_valid_from"}   # a 409's rule → the field it is about


def _saved(form: RegistryForm, schema, save):
    """`save(data)` with the form's data as the schema loads it; None (and the errors shown on the
    form, nothing written) when the form, the schema or the service refuses."""
    if not form.validate_on_submit():
        return None
    try:
        saved = save(schema.load(form.api_data()))
        session().flush()
    except ValidationError as exc:
        form.show_errors(exc.messages, field_text)
    except InvalidInput as exc:
        form.show_errors(exc.errors, field_text)
    except Conflict as exc:
        field = next((CONFLICT_FIELD[r] for r in exc.rules if r in CONFLICT_FIELD), None)
        form.show_errors({field: [refusal(exc)]} if field else {"": [refusal(exc)]}, str)
    else:
        session().commit()
        return saved
    session().rollback()
    return None


def _form_page(form: RegistryForm, title: str, back: str):
    return render_template("pool/record_form.html", form=form, title=title, back=back)


def _cao_choices() -> list[SelectChoice]:
    """Every CAO of the catalogue, named as its latest version."""
    catalogue = caos.catalogue()
    return [SelectChoice(code, f"{catalogue.versions(code)[-1].name} ({code})") for code in catalogue.codes()]


@bp.route("/workers/new", methods=["GET", "POST"])
@role_required("intermediary")
def new_worker():
    form = WorkerForm()
    worker = _saved(form, WorkerSchema(), lambda data: registry.create_worker(session(), who(), data))
    if worker is not None:
        flash(_("%(name)s is registered. Add their contracts and availability.", name=worker.name), "info")
        return redirect(url_for("pool_admin.worker", worker_id=worker.id))
    return _form_page(form, _("New worker"), url_for("pool_admin.workers"))


def _edit(current, form: RegistryForm, schema, update, back: str):
    """The change form of a stored record, filled from it until posted; back to `back` once saved."""
    if not form.is_submitted():
        form.fill(current)
    if _saved(form, schema, update) is not None:
        flash(_("Saved."), "info")
        return redirect(back)
    return _form_page(form, current.name, back)


@bp.route("/workers/<int:worker_id>/edit", methods=["GET", "POST"])
@role_required("intermediary")
def edit_worker(worker_id):
    return _edit(registry.get_worker(session(), who(), worker_id), WorkerForm(), WorkerPatchSchema(partial=True),
                 lambda data: registry.update_worker(session(), who(), worker_id, data),
                 url_for("pool_admin.worker", worker_id=worker_id))


POOL = availability_pages.Urls("registry.availability", "registry.add_absence", "registry.delete_absence", own=False)


@bp.route("/workers/<int:worker_id>/availability", methods=["GET", "POST"])
@role_required("intermediary")
def availability(worker_id):
    return availability_pages.edit(worker_id, POOL)


@bp.post("/workers/<int:worker_id>/availability/absences")
@role_required("intermediary")
def add_absence(worker_id):
    return availability_pages.add_absence(worker_id, POOL)


@bp.post("/workers/<int:worker_id>/availability/absences/<int:absence_id>/delete")
@role_required("intermediary")
def delete_absence(worker_id, absence_id):
    return availability_pages.delete_absence(worker_id, absence_id, POOL)


@bp.post("/workers/<int:worker_id>/availability/absences/<int:absence_id>/release")
@role_required("intermediary")
def release_absence(worker_id, absence_id):
    return availability_pages.release_absence(worker_id, absence_id, POOL)


@bp.post("/workers/<int:worker_id>/availability/school-holidays")
@role_required("intermediary")
def add_school_holiday(worker_id):
    return availability_pages.add_school_holiday(worker_id, POOL)


@bp.post("/workers/<int:worker_id>/availability/school-holidays/<int:holiday_id>/delete")
@role_required("intermediary")
def delete_school_holiday(worker_id, holiday_id):
    return availability_pages.delete_school_holiday(worker_id, holiday_id, POOL)


@bp.route("/workers/<int:worker_id>/contracts/new", methods=["GET", "POST"])
@role_required("intermediary")
def new_contract(worker_id):
    worker = registry.get_worker(session(), who(), worker_id)
    form = ContractForm()
    form.employer_id.choices = [SelectChoice("", _("the pool (intermediary)"))] + [
        SelectChoice(str(e.id), e.name) for e in registry.list_employers(session(), who())]
    form.cao_code.choices = _cao_choices()
    contract = _saved(form, ContractSchema(), lambda data: registry.add_contract(session(), who(), worker_id, data))
    if contract is not None:
        flash(_("The contract is added."), "info")
        chain = getattr(contract, "chain", None)
        if chain is not None and chain.indefinite_from is not None:
            flash(_("By the chain rule (art. 7:668a BW) this contract is for an indefinite period from %(day)s: "
                    "%(why)s, unless the CAO allows more.", day=day(chain.indefinite_from, "d MMM y"),
                    why=_("fixed-term contract %(n)s in a row, where 3 are allowed", n=chain.number)
                    if chain.reason == "count"
                    else _("the chain runs past 36 months")), "error")
        return redirect(url_for("pool_admin.worker", worker_id=worker_id))
    return _form_page(form, _("New contract for %(name)s", name=worker.name),
                      url_for("pool_admin.worker", worker_id=worker_id))


def _day_saved(form, change):
    """`change()` for a day posted from the worker's page, committed; None (the refusal flashed,
    nothing written) when the form or the service refuses it."""
    if not form.validate_on_submit():
        flash(_("Not saved: %(reason)s", reason="; ".join(field_errors(form))), "error")
        return None
    try:
        saved = change()
    except (Conflict, InvalidInput) as exc:
        session().rollback()
        flash(_("Not saved: %(reason)s", reason=refusal(exc) if isinstance(exc, Conflict) else invalid(exc)), "error")
        return None
    session().commit()
    return saved


@bp.post("/workers/<int:worker_id>/contracts/<int:contract_id>/end")
@role_required("intermediary")
def end_contract(worker_id, contract_id):
    form = ContractEndForm()
    back = url_for("pool_admin.worker", worker_id=worker_id)
    contract = _day_saved(form, lambda: registry.end_contract(session(), who(), worker_id, contract_id,
                                                              form.end_date.data))
    if contract is None:
        return redirect(back)
    flash(_("The contract ends on %(day)s.", day=day(contract.end_date, "d MMM y")) if contract.end_date else
          _("The contract runs on without an end date."), "info")
    if contract.end_date is not None and (uncovered := _uncovered_calls(contract)):
        flash(ngettext("%(name)s is planned on %(num)s shift after this last day that no contract covers: cancel it "
                       "on the shift's page, or add a contract.",
                       "%(name)s is planned on %(num)s shifts after this last day that no contract covers: cancel them "
                       "on the shift's page, or add a contract.", uncovered, name=contract.worker.name), "error")
    return redirect(back)


@bp.post("/workers/<int:worker_id>/contracts/<int:contract_id>/delete")
@role_required("intermediary")
def delete_contract(worker_id, contract_id):
    """A contract entered by mistake, removed (not when approved hours were paid under it)."""
    back = url_for("pool_admin.worker", worker_id=worker_id)
    try:
        registry.delete_contract(session(), who(), worker_id, contract_id)
    except Conflict as exc:
        session().rollback()
        flash(_("Not removed: %(reason)s", reason=refusal(exc)), "error")
        return redirect(back)
    session().commit()
    flash(_("The contract is removed."), "info")
    return redirect(back)


@bp.post("/workers/<int:worker_id>/left-on")
@role_required("intermediary")
def set_left_on(worker_id):
    """The worker's last day in the pool ("uit dienst per"), or blank: in the pool again (leaving)."""
    form = LeftOnForm()
    back = url_for("pool_admin.worker", worker_id=worker_id)
    worker = _day_saved(form, lambda: registry.update_worker(session(), who(), worker_id,
                                                             {"left_on": form.left_on.data}))
    if worker is None:
        return redirect(back)
    if worker.left_on is None:
        flash(_("%(name)s belongs to the pool again. Contracts that ended when they left stay ended: give them a "
                "new last day if they run on.", name=worker.name), "info")
        return redirect(back)
    flash(_("%(name)s leaves the pool after %(day)s: from the next day on they are no longer planned or offered "
            "for shifts.", name=worker.name, day=day(worker.left_on, "d MMM y")), "info")
    if worker.ended_contracts:
        flash(ngettext("%(num)s contract that ran on now ends on %(day)s.",
                       "%(num)s contracts that ran on now end on %(day)s.", len(worker.ended_contracts),
                       day=day(worker.left_on, "d MMM y")), "info")
    return redirect(back)


def _uncovered_calls(contract) -> int:
    """The worker's confirmed shifts after the contract's last day that no contract of theirs covers."""
    worker = contract.worker
    calls = assignments.list_assignments(session(), who(), worker_id=worker.id,
                                         start=contract.end_date + timedelta(days=1))
    return sum(1 for a in calls if a.status == "confirmed" and registry.contract_on(
        worker.contracts, a.shift.employer_id, a.shift.start.astimezone(AMS).date()) is None)


def _employer_form(change: bool = False) -> EmployerForm:
    """The employer form; a new employer's CAO holds from the start, so only a change form asks
    from when a changed CAO holds."""
    form = EmployerForm()
    form.cao_code.choices = _cao_choices()
    if not change:
        del form.cao_valid_from
    return form


@bp.route("/employers/new", methods=["GET", "POST"])
@role_required("intermediary")
def new_employer():
    form = _employer_form()
    employer = _saved(form, EmployerSchema(), lambda data: registry.create_employer(session(), who(), data))
    if employer is not None:
        flash(_("%(name)s is registered.", name=employer.name), "info")
        return redirect(url_for("pool_admin.employer", employer_id=employer.id))
    return _form_page(form, _("New employer"), url_for("pool_admin.employers"))


@bp.route("/employers/<int:employer_id>/edit", methods=["GET", "POST"])
@role_required("intermediary")
def edit_employer(employer_id):
    return _edit(registry.get_employer(session(), who(), employer_id), _employer_form(change=True),
                 EmployerPatchSchema(partial=True),
                 lambda data: registry.update_employer(session(), who(), employer_id, data),
                 url_for("pool_admin.employer", employer_id=employer_id))


# -- logins: the pool invites a worker or an employer; the link lets them choose a password ---------
@bp.post("/workers/<int:worker_id>/logins")
@role_required("intermediary")
def invite_worker(worker_id):
    worker = registry.get_worker(session(), who(), worker_id)
    if not worker.email:
        flash(_("Add the worker's e-mail address first: it is their login."), "error")
        return redirect(url_for("pool_admin.worker", worker_id=worker_id))
    return _invite(dict(email=worker.email, role="worker", worker_id=worker_id),
                   url_for("pool_admin.worker", worker_id=worker_id))


@bp.post("/employers/<int:employer_id>/logins")
@role_required("intermediary")
def invite_employer(employer_id):
    registry.get_employer(session(), who(), employer_id)
    form = LoginInviteForm()
    back = url_for("pool_admin.employer", employer_id=employer_id)
    if not form.validate_on_submit():
        flash(_("Not invited: %(reason)s", reason="; ".join(field_errors(form))), "error")
        return redirect(back)
    return _invite(dict(email=form.email.data, role="employer", employer_id=employer_id), back)


def _invite(login: dict, back: str):
    try:
        user = auth.invite(session(), who(), **login)
    except (Conflict, InvalidInput) as exc:
        session().rollback()
        flash(_("Not invited: %(reason)s", reason=refusal(exc) if isinstance(exc, Conflict) else invalid(exc)),
              "error")
        return redirect(back)
    session().commit()
    return redirect(url_for(".login_link", user_id=user.id))


@bp.get("/logins/<int:user_id>/link")
@role_required("intermediary")
def login_link(user_id):
    """A fresh link for the login's owner to choose a password (an earlier unused one keeps working
    until a password is set)."""
    user = auth.get_login(session(), who(), user_id)
    back = url_for("pool_admin.worker", worker_id=user.worker_id) if user.worker_id else \
        url_for("pool_admin.employer", employer_id=user.employer_id)
    try:
        auth.login_for_link(session(), who(), user_id)
    except Conflict as exc:
        reason = refusal(exc)
        flash(reason[:1].upper() + reason[1:], "error")
        return redirect(back)
    return render_template("pool/login_link.html", user=user, link=password_links.link(user), back=back,
                           days=password_links.LINK_DAYS)


@bp.post("/logins/<int:user_id>/block")
@role_required("intermediary")
def block_login(user_id):
    return _set_active(user_id, False)


@bp.post("/logins/<int:user_id>/unblock")
@role_required("intermediary")
def unblock_login(user_id):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = auth.set_active(session(), who(), user_id, active)
    back = url_for("pool_admin.worker", worker_id=user.worker_id) if user.worker_id else \
        url_for("pool_admin.employer", employer_id=user.employer_id)
    session().commit()
    flash(_("%(email)s can log in again.", email=user.email) if active else
          _("%(email)s is blocked: no longer logged in, API tokens stopped.", email=user.email), "info")
    return redirect(back)
