"""Assignments: the scoped list, manual assignment and cancellation."""
from flask.views import MethodView

from banenpool.services import assignments
from web.api.assignments.schemas import AssignmentPatchSchema, AssignmentQueryArgsSchema, AssignmentSchema
from web.api.blueprint import Blueprint
from web.api.paging import paged
from web.auth import principal
from web.database import session

blp = Blueprint("assignments", __name__, url_prefix="/assignments", description="Workers on shifts")


@blp.route("")
class AssignmentViews(MethodView):
    @blp.arguments(AssignmentQueryArgsSchema, location="query")
    @blp.response(200, AssignmentSchema(many=True))
    @paged(blp)
    def get(self, args):
        """List confirmed and cancelled assignments (employer: its shifts; worker: own)"""
        return assignments.list_assignments(session(), principal(), args["worker_id"], args["employer_id"],
                                            args["from_"], args["to"])

    @blp.arguments(AssignmentSchema)
    @blp.response(201, AssignmentSchema)
    def post(self, data):
        """Assign a worker to a shift by hand (intermediary); a broken rule is 409"""
        assignment = assignments.assign(session(), principal(), data["shift_id"], data["worker_id"])
        session().commit()
        return assignment


@blp.route("/<int:assignment_id>")
class AssignmentByIdViews(MethodView):
    @blp.response(200, AssignmentSchema)
    def get(self, assignment_id):
        """Read an assignment"""
        return assignments.get_assignment(session(), principal(), assignment_id)

    @blp.arguments(AssignmentPatchSchema)
    @blp.response(200, AssignmentSchema)
    def patch(self, data, assignment_id):
        """Cancel an assignment (intermediary)"""
        assignment = assignments.update_status(session(), principal(), assignment_id, data["status"])
        session().commit()
        return assignment


@blp.post("/<int:assignment_id>/decline")
@blp.response(200, AssignmentSchema)
def decline(assignment_id):
    """The worker refuses a call made less than 4 days before the shift (own; on-call and min-max
    contracts, art. 7:628a BW): it is cancelled and no wages are owed. 409 `call_in_time` (called 4 days
    ahead or more), `fixed_hours`, `shift_begun`, `not_confirmed`"""
    assignment = assignments.decline(session(), principal(), assignment_id)
    session().commit()
    return assignment
