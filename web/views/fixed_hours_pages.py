"""The pool's list of fixed-hours offers owed to on-call workers after 12 months (art. 7:628a lid 5
BW; services/fixed_hours.py), and recording an offer made."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from banenpool.errors import Conflict, InvalidInput, NotFound
from banenpool.services import fixed_hours
from web.database import session
from web.views.common import date_arg, role_required, today, who
from web.views.filters import hours as format_hours
from web.views.messages import invalid, refusal

bp = Blueprint("fixed_hours_pages", __name__)


@bp.get("/fixed-hours")
@role_required("intermediary")
def offers():
    on = date_arg("on", today())
    return render_template("pool/fixed_hours.html", offers=fixed_hours.fixed_hours_offers(session(), who(), on),
                           on=on, today=today())


@bp.post("/fixed-hours/<int:worker_id>/<int:contract_id>")
@role_required("intermediary")
def record(worker_id, contract_id):
    raw_hours, raw_day = request.form.get("hours", "").strip().replace(",", "."), request.form.get("offered_on", "")
    try:
        try:
            hours = Decimal(raw_hours)
        except InvalidOperation:
            raise InvalidInput({"hours": ["must be a number of hours"]}) from None
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise InvalidInput({"offered_on": ["must be a date"]}) from None
        contract = fixed_hours.record_offer(session(), who(), worker_id, contract_id, hours, day, today())
    except (InvalidInput, Conflict, NotFound) as exc:
        session().rollback()
        reason = invalid(exc) if isinstance(exc, InvalidInput) else \
            refusal(exc) if isinstance(exc, Conflict) else _("that contract does not exist")
        flash(_("Not recorded: %(reason)s", reason=reason), "error")
    else:
        session().commit()
        flash(_("Recorded: %(name)s was offered %(hours)s fixed hours per week.", name=contract.worker.name,
                hours=format_hours(contract.fixed_hours_offered)), "info")
    return redirect(url_for(".offers"))
