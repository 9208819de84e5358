"""The payroll-sharing statement."""
from flask import Response
from flask.views import MethodView

from banenpool.services import payroll
from web.api.blueprint import Blueprint
from web.api.payroll.schemas import PayrollQueryArgsSchema, PayrollSchema
from web.auth import principal
from web.database import session

blp = Blueprint("payroll", __name__, url_prefix="/payroll", description="Payroll-sharing statement")


@blp.route("")
class PayrollViews(MethodView):
    @blp.arguments(PayrollQueryArgsSchema, location="query")
    @blp.response(200, PayrollSchema)
    def get(self, args):
        """Per worker: hours and gross pay per employer, surcharges, guarantee top-ups, holiday allowance, shares"""
        return payroll.statement(session(), principal(), args["period_start"], args["period_end"])


@blp.route("/export")
class PayrollExportViews(MethodView):
    @blp.arguments(PayrollQueryArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args):
        """The statement as CSV for payroll software: one line per worker, employer (intermediary) and CAO"""
        statement = payroll.statement(session(), principal(), args["period_start"], args["period_end"])
        name = f"loonverdeling-{args['period_start'].isoformat()}-{args['period_end'].isoformat()}.csv"
        return Response(payroll.to_csv(statement), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
