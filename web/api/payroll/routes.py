"""The payroll-sharing statement."""
from flask import Response
from flask.views import MethodView

from banenpool.services import payroll
from web.api.blueprint import Blueprint
from web.api.payroll.schemas import ClosedPeriodSchema, ClosePeriodSchema, PayrollQueryArgsSchema, PayrollSchema
from web.auth import principal
from web.database import session

blp = Blueprint("payroll", __name__, url_prefix="/payroll", description="Payroll-sharing statement")


@blp.route("")
class PayrollViews(MethodView):
    @blp.arguments(PayrollQueryArgsSchema, location="query")
    @blp.response(200, PayrollSchema)
    def get(self, args):
        """Per worker: hours and gross pay per employer, surcharges, guarantee top-ups, holiday allowance, shares;
        a closed period as kept, with its differences since"""
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


@blp.route("/periods")
class PayrollPeriodViews(MethodView):
    @blp.response(200, ClosedPeriodSchema(many=True))
    def get(self):
        """The closed payroll periods, with who closed them, when, and their totals"""
        return payroll.closed_periods(session(), principal())

    @blp.arguments(ClosePeriodSchema)
    @blp.response(201, PayrollSchema)
    def post(self, args):
        """Close a payroll period: its statement is kept as it is now; overlapping a closed period → 409
        payroll_period_overlap; hours or top-ups left out → 409 payroll_incomplete unless accept_incomplete"""
        closed = payroll.close(session(), principal(), args["period_start"], args["period_end"],
                               args["accept_incomplete"])
        session().commit()
        return closed
