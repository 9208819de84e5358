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


def _statement():
    """(first, last, the statement or None, the refusal or None) for ?from=&to= (ISO days; by
    default last month)."""
    last_month_end = today().replace(day=1) - timedelta(days=1)
    first, last = date_arg("from", last_month_end.replace(day=1)), date_arg("to", last_month_end)
    try:
        return first, last, payroll.statement(session(), who(), first, last), None
    except InvalidInput as exc:
        return first, last, None, invalid(exc)


@bp.get("/payroll")
@role_required("intermediary")
def statement():
    first, last, data, problem = _statement()
    page = render_template("billing/payroll.html", data=data, first=first, last=last, problem=problem)
    return (page, 422) if problem else page


@bp.get("/payroll/download")
@role_required("intermediary")
def download():
    first, last, data, problem = _statement()
    if problem:
        return Response(problem, status=422, content_type="text/plain; charset=utf-8")
    return Response(payroll.to_csv(data), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="loonverdeling-{first.isoformat()}-{last.isoformat()}.csv"'})
