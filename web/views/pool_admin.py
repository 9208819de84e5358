"""Intermediary pages: plans (make, follow, publish), workers, employers and the CAO comparison."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l

from wtforms.fields.choices import SelectChoice

from banenpool import queue
from banenpool.errors import Conflict, InvalidInput
from banenpool.services import auth, caos, capacity, planning, registry
from banenpool.services.checks import cao_moves_ahead, worker_checks
from banenpool.services.shifts import day_bounds
from banenpool.services.employer_caos import cao_history
from web.database import session
from web.views.availability_pages import whole_days
from web.views.common import lang, role_required, today, who
from web.views.forms import CaoCompareForm, EmptyForm, LoginInviteForm, PlanForm
from web.views.messages import invalid, refusal

bp = Blueprint("pool_admin", __name__)


@bp.route("/plans", methods=["GET", "POST"])
@role_required("intermediary")
def plans():
    form = PlanForm()
    if not form.is_submitted():
        monday = today() + timedelta(days=7 - today().weekday())
        form.start_date.data, form.end_date.data = monday, monday + timedelta(days=6)
    if form.validate_on_submit():
        try:
            plan = planning.create_plan(session(), who(), form.start_date.data, form.end_date.data,
                                        form.time_limit_seconds.data, include_started=form.include_started.data)
        except InvalidInput as exc:
            flash(invalid(exc), "error")
        else:
            session().commit()
            _enqueue(plan.id)
            flash(_("Plan %(id)s is queued.", id=plan.id), "info")
            return redirect(url_for(".plans"))
    rows = planning.list_plans(session(), who())
    session().commit()  # stale running plans may just have been marked failed
    late = {p.id: planning.late_cancellations(session(), p) for p in rows}
    # as the open-shifts page lists them (a shift called off since the plan is no longer open)
    still_open = {p.id: len(planning.plan_unfilled(session(), who(), p.id)) for p in rows
                  if p.status == "done" and (p.result or {}).get("unfilled")}
    # plans made while their period had begun: those shifts were kept as they were
    frozen = {p.id: p.frozen_before for p in rows
              if p.frozen_before is not None and p.frozen_before > day_bounds(p.start_date, p.end_date)[0]}
    return render_template("pool/plans.html", form=form, plans=rows, late=late, still_open=still_open,
                           frozen=frozen, button=EmptyForm())


def _enqueue(plan_id: int) -> None:
    try:
        queue.enqueue_plan(plan_id, current_app.config["DATABASE_URL"])
    except Exception as exc:  # the queue is down: the plan must not wait forever
        planning.mark_failed(session(), plan_id, f"could not queue the job: {exc}")
        session().commit()


@bp.post("/plans/<int:plan_id>/publish")
@role_required("intermediary")
def publish(plan_id):
    try:
        plan = planning.publish_plan(session(), who(), plan_id)
    except Conflict as exc:
        # approved hours on a shift the plan drops: the plan is wrong for them, not the hours
        reason = _("this plan would cancel shifts whose hours are already approved (worked); make a new plan "
                   "for a period after those shifts") if "timesheet_approved" in exc.rules else refusal(exc)
        flash(_("Not published: %(reason)s", reason=reason), "error")
    else:
        session().commit()
        flash(_("Plan %(id)s is published.", id=plan_id), "info")
        changed = (plan.changes or {}).get("data_changed")
        if changed:
            flash(ngettext("The planning data changed since the plan was made (%(num)s change); the plan still "
                           "keeps every rule on it. Make a new plan to use what changed.",
                           "The planning data changed since the plan was made (%(num)s changes); the plan still "
                           "keeps every rule on it. Make a new plan to use what changed.", len(changed)), "info")
    return redirect(url_for(".plans"))


WORKER_LISTS = {"current": _l("In the pool"), "left": _l("Left"), "all": _l("All")}


@bp.get("/workers")
@role_required("intermediary")
def workers():
    """The workers in the pool today (by default), those who left it, or all."""
    show = request.args.get("show") if request.args.get("show") in WORKER_LISTS else "current"
    return render_template("pool/workers.html", workers=registry.list_workers(session(), who(), show),
                           show=show, lists=WORKER_LISTS, today=today())


@bp.get("/workers/<int:worker_id>")
@role_required("intermediary")
def worker(worker_id):
    w = registry.get_worker(session(), who(), worker_id)
    employers = {e.id: e for e in registry.list_employers(session(), who())}
    return render_template("pool/worker.html", worker=w, contracts=registry.list_contracts(session(), who(), w.id),
                           checks=worker_checks(session(), who(), w.id, None, None, lang=lang()),
                           moves=cao_moves_ahead(session(), who(), w.id, today(), today() + timedelta(weeks=4),
                                                 lang=lang()),
                           employers=employers, logins=auth.logins(session(), who(), worker_id=w.id),
                           absences=[(a, whole_days(a)) for a in sorted(w.absences, key=lambda a: a.start)],
                           button=EmptyForm(), today=today())


@bp.get("/employers")
@role_required("intermediary")
def employers():
    return render_template("pool/employers.html", employers=registry.list_employers(session(), who()))


@bp.get("/employers/<int:employer_id>")
@role_required("intermediary")
def employer(employer_id):
    e = registry.get_employer(session(), who(), employer_id)
    requests = [r for r in capacity.list_requests(session(), who()) if r.employer_id == e.id]
    return render_template("pool/employer.html", employer=e, requests=requests, cao_history=cao_history(e),
                           logins=auth.logins(session(), who(), employer_id=e.id), invite=LoginInviteForm())


@bp.get("/caos")
@role_required("intermediary")
def cao_compare():
    """Two CAOs side by side as in force on a date; only the CAOs with a version in force that day
    can be chosen (a date before a CAO's first version leaves it out, never an error page)."""
    form = CaoCompareForm(formdata=request.args)
    on = form.on.data or today()
    in_force = {cao.code: cao for cao in caos.caos_in_force(on)}
    codes = list(in_force)
    form.a.choices = form.b.choices = [SelectChoice(c, f"{in_force[c].name} ({c})") for c in codes]
    if len(codes) < 2:
        starts = sorted(caos.catalogue().versions(c)[0].valid_from for c in caos.catalogue().codes())
        return render_template("pool/caos.html", form=form, on=on, differences=[], a=None, b=None,
                               first=starts[1] if len(starts) > 1 else None)
    a = form.a.data if form.a.data in codes else codes[0]
    b = form.b.data if form.b.data in codes else next(c for c in codes if c != a)
    form.a.data, form.b.data = a, b
    return render_template("pool/caos.html", form=form, on=on, differences=caos.diff(a, b, on, lang()),
                           a=in_force[a], b=in_force[b])
