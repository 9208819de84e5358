"""The payroll-sharing statement for the pool: per worker the hours and gross pay per employer,
and each employer's share of the wage cost; a CSV of it for payroll software."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, render_template

from banenpool.errors import InvalidInput
from banenpool.services import payroll
from web.database import session
from web.views.common import date_arg, role_required, today, who
from web.views.messages import invalid

bp = Blueprint("payroll_pages", __name__)


def _period():
    """?from=&to= (ISO days); by default last month."""
    last_month_end = today().replace(day=1) - timedelta(days=1)
    return date_arg("from", last_month_end.replace(day=1)), date_arg("to", last_month_end)


@bp.get("/payroll")
@role_required("intermediary")
def statement():
    first, last = _period()
    try:
        data = payroll.statement(session(), who(), first, last)
    except InvalidInput as exc:
        return render_template("billing/payroll.html", data=None, first=first, last=last, problem=invalid(exc)), 422
    return render_template("billing/payroll.html", data=data, first=first, last=last, problem=None)


@bp.get("/payroll/download")
@role_required("intermediary")
def download():
    first, last = _period()
    try:
        data = payroll.statement(session(), who(), first, last)
    except InvalidInput as exc:
        return Response(invalid(exc), status=422, content_type="text/plain; charset=utf-8")
    return Response(payroll.to_csv(data), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="loonverdeling-{first.isoformat()}-{last.isoformat()}.csv"'})
