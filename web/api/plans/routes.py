"""Plans: planner runs on the job queue, their results, and publishing them."""
from flask import current_app
from flask.views import MethodView

from banenpool import queue
from banenpool.services import planning
from web.api.blueprint import Blueprint
from web.api.paging import paged
from web.api.plans.schemas import PlanAssignmentSchema, PlanCreateSchema, PlanSchema, UnfilledSchema
from web.auth import principal
from web.database import session

blp = Blueprint("plans", __name__, url_prefix="/plans", description="Planner runs (intermediary)")


@blp.route("")
class PlanViews(MethodView):
    @blp.response(200, PlanSchema(many=True))
    @paged(blp)
    def get(self):
        """List plans, newest first"""
        plans = planning.list_plans(session(), principal())
        session().commit()  # stale running plans may just have been marked failed
        return [_with_late_cancellations(p) for p in plans]

    @blp.arguments(PlanCreateSchema)
    @blp.response(202, PlanSchema)
    def post(self, data):
        """Build the instance for a period and queue the planner; poll the plan for its status"""
        plan = planning.create_plan(session(), principal(), **data)
        session().commit()
        try:
            queue.enqueue_plan(plan.id, current_app.config["DATABASE_URL"])
        except Exception as exc:  # the queue is down: the plan must not wait forever
            planning.mark_failed(session(), plan.id, f"could not queue the job: {exc}")
            session().commit()
        return plan


@blp.route("/<int:plan_id>")
class PlanByIdViews(MethodView):
    @blp.response(200, PlanSchema)
    def get(self, plan_id):
        """Status, progress (0-1), metrics, bound and error of a plan"""
        plan = planning.get_plan(session(), principal(), plan_id)
        session().commit()
        return _with_late_cancellations(plan)


def _with_late_cancellations(plan):
    plan.late_cancellations = planning.late_cancellations(session(), plan)
    return plan


@blp.get("/<int:plan_id>/assignments")
@blp.response(200, PlanAssignmentSchema(many=True))
@paged(blp)
def plan_assignments(plan_id):
    """The plan's assignments: kept confirmed ones and its proposals (confirmed once published)"""
    rows = planning.plan_assignments(session(), principal(), plan_id)
    for assignment, change in rows:
        assignment.change = change
    return [a for a, _ in rows]


@blp.get("/<int:plan_id>/unfilled")
@blp.response(200, UnfilledSchema(many=True))
@paged(blp)
def plan_unfilled(plan_id):
    """Open slots the plan could not fill, with reasons"""
    return planning.plan_unfilled(session(), principal(), plan_id)


@blp.get("/<int:plan_id>/instance")
@blp.response(200)
def plan_instance(plan_id):
    """The exact banenpool-instance/1 the plan solved (replay it with `banenpool solve`)"""
    return planning.get_plan(session(), principal(), plan_id).instance


@blp.post("/<int:plan_id>/publish")
@blp.response(200, PlanSchema)
def publish(plan_id):
    """Confirm the plan's proposals and cancel what it dropped; 409 if published or the data changed

    Also 409 (rules `compliance` and the rule codes) when a new shift of the plan, with the shifts
    confirmed since the plan was built, breaks the Working Hours Act or a CAO (a 4-, 16- or 52-week
    rule reaching outside the period): make a new plan."""
    plan = planning.publish_plan(session(), principal(), plan_id)
    session().commit()
    return plan
