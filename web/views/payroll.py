"""The payroll-sharing statement for the pool: per worker the hours and gross pay per employer,
and each employer's share of the wage cost; a CSV of it for payroll software; closing a period."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from banenpool.errors import Conflict, InvalidInput
from banenpool.services import payroll
from web.database import session
from web.views.common import date_arg, role_required, today, who
from web.views.forms import EmptyForm
from web.views.messages import invalid, pricing_reason, refusal

bp = Blueprint("payroll_pages", __name__)


def _period():
    """(first, last) of ?from=&to= (ISO days; by default last month)."""
    last_month_end = today().replace(day=1) - timedelta(days=1)
    return date_arg("from", last_month_end.replace(day=1)), date_arg("to", last_month_end)


def _statement():
    """(first, last, the statement or None, the refusal or None)."""
    first, last = _period()
    try:
        return first, last, payroll.statement(session(), who(), first, last), None
    except InvalidInput as exc:
        return first, last, None, invalid(exc)


@bp.get("/payroll")
@role_required("intermediary")
def statement():
    first, last, data, problem = _statement()
    page = render_template("billing/payroll.html", data=data, first=first, last=last, problem=problem,
                           closed_periods=payroll.closed_periods(session(), who()), reason=pricing_reason,
                           button=EmptyForm(), today=today(), closes_from=last + timedelta(days=1),
                           incomplete=bool(data) and any(payroll.still_to_come(data).values()))
    return (page, 422) if problem else page


@bp.post("/payroll/close")
@role_required("intermediary")
def close():
    first, last = _period()
    try:
        payroll.close(session(), who(), first, last, accept_incomplete=bool(request.form.get("accept_incomplete")))
    except (InvalidInput, Conflict) as exc:
        flash(_("Not closed: %(reason)s", reason=invalid(exc) if isinstance(exc, InvalidInput) else refusal(exc)),
              "error")
    else:
        session().commit()
        flash(_("The payroll period is closed: its statement is kept as it is now."), "info")
    return redirect(url_for(".statement", **{"from": first.isoformat(), "to": last.isoformat()}))


@bp.get("/payroll/download")
@role_required("intermediary")
def download():
    first, last, data, problem = _statement()
    if problem:
        return Response(problem, status=422, content_type="text/plain; charset=utf-8")
    return Response(payroll.to_csv(data), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="loonverdeling-{first.isoformat()}-{last.isoformat()}.csv"'})
