"""Shifts, scoped to who asks."""

from banenpool.services import assignments
from banenpool.services.shifts import list_shifts, set_headcount
from web.api.blueprint import Blueprint
from web.api.paging import paged
from web.api.shifts.schemas import (
    CancelledShiftSchema, CancelShiftSchema, HeadcountSchema, ShiftQueryArgsSchema, ShiftSchema, StaffingSchema,
)
from web.auth import principal
from web.database import session

blp = Blueprint("shifts", __name__, url_prefix="/shifts", description="Concrete shifts")


@blp.get("")
@blp.arguments(ShiftQueryArgsSchema, location="query")
@blp.response(200, ShiftSchema(many=True))
@paged(blp)
def shifts(args):
    """List shifts between two dates (inclusive, Amsterdam days); `to` before `from` is 422; cancelled
    shifts only with `include_cancelled=true`"""
    rows = list_shifts(session(), principal(), args["from_"], args["to"], args["employer_id"],
                       args["include_cancelled"])
    return [_with_filled(shift, filled) for shift, filled in rows]


def _with_filled(shift, filled):
    shift.filled = filled
    return shift


@blp.get("/<int:shift_id>/candidates")
@blp.response(200, StaffingSchema)
def candidates(shift_id):
    """Who has the shift and who could take it, with the rules each other worker would break
    (intermediary; the same judgement as POST /assignments, nothing written)"""
    return assignments.staffing(session(), principal(), shift_id)


@blp.patch("/<int:shift_id>")
@blp.arguments(HeadcountSchema)
@blp.response(200, ShiftSchema)
def change_headcount(data, shift_id):
    """Change how many workers a shift that has not begun needs (employer: own; intermediary); below
    the confirmed workers → 409 `below_assigned` (the pool cancels first), begun → 409 `shift_begun`"""
    shift, filled = set_headcount(session(), principal(), shift_id, data["headcount"])
    session().commit()
    return _with_filled(shift, filled)


@blp.post("/<int:shift_id>/cancel")
@blp.arguments(CancelShiftSchema)
@blp.response(200, CancelledShiftSchema)
def cancel(data, shift_id):
    """Call off one shift that has not begun (employer: own; intermediary): its confirmed workers are
    cancelled and told, a call less than 4 days ahead is still paid and invoiced; begun → 409
    `shift_begun`, cancelled before → 409 `shift_cancelled`"""
    done = assignments.cancel_shift(session(), principal(), shift_id, data["reason"])
    session().commit()
    shift = _with_filled(done.shift, 0)
    shift.cancelled = done.cancelled
    return shift
