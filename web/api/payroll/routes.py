"""The payroll-sharing statement."""
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
        """Per worker: approved hours and gross pay per employer, surcharges, holiday allowance, allocation"""
        return payroll.statement(session(), principal(), args["period_start"], args["period_end"])
