"""A worker's own open shifts: the coming shifts with a free place they may take, and taking one."""
from banenpool.services import open_shifts
from web.api.assignments.schemas import AssignmentSchema
from web.api.blueprint import Blueprint
from web.api.open_shifts.schemas import OpenShiftQueryArgsSchema, OpenShiftSchema
from web.api.paging import paged
from web.auth import principal
from web.database import session

blp = Blueprint("open_shifts", __name__, url_prefix="/me/open-shifts",
                description="Open shifts a worker takes themselves")


@blp.get("")
@blp.arguments(OpenShiftQueryArgsSchema, location="query")
@blp.response(200, OpenShiftSchema(many=True))
@paged(blp)
def list_open(args):
    """The coming shifts with a free place that the asking worker may take (worker only): not cancelled,
    not theirs yet, and breaking no rule for them, judged as the pool's manual assignment is; times in
    Europe/Amsterdam. `from`/`to`: Amsterdam days, default the coming 4 weeks, at most 92 days"""
    return open_shifts.open_shifts(session(), principal(), args["from_"], args["to"])


@blp.post("/<int:shift_id>/claim")
@blp.response(201, AssignmentSchema)
def claim(shift_id):
    """Take an open shift (worker only): a confirmed assignment, as the pool's manual assignment makes
    it; the pool and the employer are told. 409 `W01` when it is full, the rules the worker would break
    (codes and messages), `shift_cancelled`, `shift_begun`; 404 for no such shift"""
    assignment = open_shifts.claim(session(), principal(), shift_id)
    session().commit()
    return assignment
