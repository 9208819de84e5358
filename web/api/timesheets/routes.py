"""Worked hours per assignment and their approval."""
from flask.views import MethodView

from banenpool.services import timesheets
from web.api.blueprint import Blueprint
from web.api.paging import paged
from web.api.timesheets.schemas import BulkApproveSchema, TimesheetQueryArgsSchema, TimesheetSchema
from web.auth import principal
from web.database import session

blp = Blueprint("timesheets", __name__, url_prefix="", description="Worked hours and their approval")


@blp.route("/assignments/<int:assignment_id>/timesheet")
class TimesheetViews(MethodView):
    @blp.response(200, TimesheetSchema)
    def get(self, assignment_id):
        """Read the hours registered on an assignment"""
        return timesheets.get_timesheet(session(), principal(), assignment_id)

    @blp.arguments(TimesheetSchema)
    @blp.response(200, TimesheetSchema)
    def put(self, data, assignment_id):
        """Register the hours worked (worker: own; employer: own site); approved hours → 409

        Hours that overlap the worker's other registered hours (at any employer) → 409 with rule
        `timesheet_overlap`, naming the other assignment, its timesheet and the overlap (to another
        employer: only when). An employer's hours that overlap the worker's confirmed shift at another
        employer → 409 `planned_elsewhere`; the worker and the intermediary may register them."""
        sheet = timesheets.submit(session(), principal(), assignment_id, data)
        session().commit()
        return sheet


@blp.route("/assignments/<int:assignment_id>/timesheet/approve")
class TimesheetApproveViews(MethodView):
    @blp.response(200, TimesheetSchema)
    def post(self, assignment_id):
        """Approve the hours (employer: own site; intermediary): they become billable

        Hours that overlap the worker's other registered hours → 409 (`timesheet_overlap`). Hours
        whose later hours that week at that employer (their overtime counts these) are on a final
        invoice → 409 (`later_hours_billed`): credit that invoice first."""
        sheet = timesheets.approve(session(), principal(), assignment_id)
        session().commit()
        return sheet


@blp.route("/timesheets/approve")
class TimesheetBulkApproveViews(MethodView):
    @blp.arguments(BulkApproveSchema)
    @blp.response(200, TimesheetSchema(many=True))
    def post(self, data):
        """Approve the hours of several assignments at once (employer: own sites; intermediary), all
        or none: the first refusal is the 409 of that assignment (`assignment_id` in the answer) and
        nothing is approved"""
        sheets = timesheets.approve_many(session(), principal(), data["assignment_ids"])
        session().commit()
        return sheets


@blp.route("/assignments/<int:assignment_id>/timesheet/reopen")
class TimesheetReopenViews(MethodView):
    @blp.response(200, TimesheetSchema)
    def post(self, assignment_id):
        """Take an approval back (employer: own site; intermediary) so the hours can be corrected

        The timesheet is `submitted` again and no longer billable; register the corrected hours and
        approve them again. Not approved → 409 `not_approved`. Hours on a final invoice → 409
        `timesheet_billed` (credit the invoice first); the worker's later hours at that employer in
        the same week on a final invoice → 409 `later_hours_billed` (their overtime counts these hours).
        A draft invoice holding the hours can no longer be finalised, even once they are approved again
        (409 `hours_changed`): make a new draft."""
        sheet = timesheets.reopen(session(), principal(), assignment_id)
        session().commit()
        return sheet


@blp.route("/timesheets")
class TimesheetListViews(MethodView):
    @blp.arguments(TimesheetQueryArgsSchema, location="query")
    @blp.response(200, TimesheetSchema(many=True))
    @paged(blp)
    def get(self, args):
        """List timesheets (employer: its sites; worker: own)"""
        return timesheets.list_timesheets(session(), principal(), args["status"], args["employer_id"],
                                          args["from_"], args["to"])
